"""After a call, the reads its wrapper makes (error code and message, a sibling length call) run
before the GIL is taken back (docs/adr/python-gil-and-library-locks.md).

tests/python/locks/ is a library whose calls all take its own mutex. A holder thread parks in the
blocking `Lock.hold(fn)`; `fail()` and `data()` hand the mutex over to it before they return, and
the holder then calls `fn` (which needs the GIL) while holding it. A wrapper that took the GIL back
before reading the message (locks_errmsg) or the length (locks_data_len) would wait for the mutex
with the GIL held: each thread would wait for what the other holds. The same holds for freeing an
item (whose free takes its lock's mutex, as sqlite3_finalize takes the connection's): close(), the
collector, and a new item discarded because a kept callback raised during the call that made it.
Each scenario runs in a child process with a timeout, so a deadlock fails the test instead of
hanging the run.
"""
import subprocess
import sys
import textwrap

import pytest

PRELUDE = textwrap.dedent("""
    import sys, threading, time
    import locks as lk
    lock = lk.Lock.new()
    items = [lock.item_new(), lock.item_new()]  # no holder parked yet: no handover
    ran = []
    def fn():
        ran.append(threading.current_thread().name)
    results = []
    holder = threading.Thread(target=lambda: results.append(lock.hold(fn, 10_000)), name="holder")
    holder.start()
    while not lock.parked():
        time.sleep(0.001)
""")

SCENARIOS = {
    # The message getter runs while the holder owns the mutex.
    "error message": """
        try:
            lock.fail()
        except lk.Error as e:
            print("error", e.message)
    """,
    # The length's sibling call runs while the holder owns the mutex.
    "sibling length call": """
        print("data", lock.data().hex())
    """,
    # The item's free runs while the holder owns the mutex.
    "item closed": """
        lock.give()
        items[0].close()
        print("items", lock.items())
    """,
    "item collected": """
        lock.give()
        del items[0]
        print("items", lock.items())
    """,
    # A kept callback raises inside item_new, which then hands the mutex over: the new item is
    # freed (its exception replaces the result) while the holder owns the mutex.
    "new item discarded": """
        def refuse():
            raise KeyError("no items")
        lock.on_item(refuse)
        try:
            lock.item_new()
        except KeyError as e:
            print("raised", e.args[0], lock.items())
    """,
}

EXPECTED = {
    "error message": ["error", "locks: failed on purpose"],
    "sibling length call": ["data", "01020304"],
    "item closed": ["items", "1"],
    "item collected": ["items", "1"],
    "new item discarded": ["raised", "no items 2"],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_what_takes_the_lock_waits_without_the_gil(name: str) -> None:
    code = PRELUDE + textwrap.dedent(SCENARIOS[name]) + textwrap.dedent("""
        holder.join()
        print("held", results == [True], ran == ["holder"], lock.handovers())
    """)
    try:
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: deadlock (no progress in 30 s)")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split(" ", 1) == EXPECTED[name]
    # The holder really took the mutex from the call and ran its callback holding it.
    assert lines[1].split() == ["held", "True", "True", "1"]
