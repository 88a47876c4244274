"""The GIL against a serialized SQLite connection's mutex (docs/adr/python-gil-and-library-locks.md).

A worker runs a blocking call (GIL released); SQLite holds the connection's mutex while it calls
the progress handler, which needs the GIL. If the main thread, holding the GIL, called into the
same connection (or one of its statements) and waited for that mutex with the GIL held, neither
thread could go on. Each scenario runs in a child process with a timeout, so a deadlock fails the
test instead of hanging the run.
"""
import subprocess
import sys
import textwrap

import pytest

PRELUDE = textwrap.dedent("""
    import sys, threading
    import sqlite3 as sq
    sys.setswitchinterval(1000.0)  # the main thread keeps the GIL until it blocks
    COUNT = 300_000
    SLOW = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
            f"{COUNT}) SELECT count(*) FROM c")
    db = sq.Database.open(":memory:")
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
    inside = threading.Event()
    calls = [0]
    def progress():
        calls[0] += 1
        inside.set()
        return 0
    db.progress_handler(100, progress)
""")

SCENARIOS = {
    # The main thread calls the connection itself: sqlite3_errmsg, sqlite3_busy_timeout and
    # sqlite3_txn_state take its mutex (sqlite3_changes does not).
    "database call": """
        worker = threading.Thread(target=db.exec, args=(SLOW,))
        worker.start()
        inside.wait()
        for _ in range(50):
            db.errmsg(); db.busy_timeout(10); db.txn_state(None); db.changes()
        worker.join()
    """,
    # Another statement of the same connection: sqlite3_column_int takes the connection's mutex.
    "statement of the connection": """
        other = db.prepare_v2("SELECT x FROM t")
        assert other.step() == sq.SQLITE_ROW
        st = db.prepare_v2(SLOW)
        worker = threading.Thread(target=st.step)
        worker.start()
        inside.wait()
        for _ in range(50):
            assert other.column_int(0) == 1
        worker.join()
        assert st.column_int(0) == COUNT
    """,
    # Another statement of the connection closed, or collected: sqlite3_finalize takes the
    # connection's mutex too.
    "statement closed": """
        other = db.prepare_v2("SELECT x FROM t")
        st = db.prepare_v2(SLOW)
        worker = threading.Thread(target=st.step)
        worker.start()
        inside.wait()
        other.close()
        worker.join()
        assert other.closed and st.column_int(0) == COUNT
    """,
    "statement collected": """
        other = db.prepare_v2("SELECT x FROM t")
        st = db.prepare_v2(SLOW)
        worker = threading.Thread(target=st.step)
        worker.start()
        inside.wait()
        del other
        worker.join()
        assert st.column_int(0) == COUNT
    """,
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_no_deadlock_between_the_gil_and_the_connection_mutex(name: str) -> None:
    code = PRELUDE + textwrap.dedent(SCENARIOS[name]) + "\nprint('ok', calls[0] > 0)\n"
    try:
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: deadlock (no progress in 60 s)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["ok", "True"]
