"""SQLite handles busy in a blocking call on another thread (docs/adr/python-busy-handles.md).

Statement.step and Database.exec are `blocking`: they run with the GIL released. A progress
handler signals from inside the call that it is running; the switch interval is raised so that the
main thread, once it holds the GIL again, keeps it until it joins: the worker cannot return from
SQLite (nor unmark its handles) in between. Deterministic, no sleeps.

The worker holds the connection's mutex while it waits for the GIL in the progress handler; calls
the main thread makes on the connection meanwhile release the GIL while they wait for that mutex
(test_sqlite3_locks.py, docs/adr/python-gil-and-library-locks.md).
"""
import threading
from collections.abc import Callable, Iterator

import pytest

import sqlite3 as sq  # the generated binding (on PYTHONPATH first)

COUNT = 2_000_000
SLOW = (f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {COUNT}) "
        "SELECT count(*) FROM c")


def run_inside(db: sq.Database, call: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    """Starts call() on a thread; returns once SQLite runs it (its progress handler was called)."""
    inside = threading.Event()

    def progress() -> int:
        inside.set()
        return 0

    db.progress_handler(1000, progress)
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(call()))
    worker.start()
    assert inside.wait(120), "the call never reached SQLite's VM"
    return worker, results


def test_a_stepping_statement_refuses_close_and_calls_then_closes(
        gil_kept_until_blocking: None) -> None:
    db = sq.Database.open(":memory:")
    st = db.prepare_v2(SLOW)
    worker, results = run_inside(db, st.step)
    assert st.blocking_calls == 1 and not st.closed
    with pytest.raises(RuntimeError, match="cannot close sqlite3.Statement: it is in use by a blocking call"):
        st.close()
    with pytest.raises(RuntimeError, match="Statement.column_count\\(\\): sqlite3.Statement object is in use"):
        st.column_count()  # affine: no second call on the statement while it steps
    with pytest.raises(ValueError, match="cannot close sqlite3.Database: 1 object"):
        db.close()  # its statement is alive: refused as ever, nothing closed
    assert not st.closed and not db.closed
    worker.join()
    assert results == [sq.SQLITE_ROW]
    assert st.blocking_calls == 0 and st.column_int(0) == COUNT
    st.close()
    assert st.closed
    db.close()
    assert db.closed


def test_a_database_running_exec_refuses_close_then_closes(gil_kept_until_blocking: None) -> None:
    db = sq.Database.open(":memory:")
    worker, results = run_inside(db, lambda: db.exec(SLOW))
    assert db.blocking_calls == 1 and not db.closed  # serialized: counted, ptr kept (no lending)
    with pytest.raises(RuntimeError, match="cannot close sqlite3.Database: it is in use by a blocking call"):
        db.close()
    assert not db.closed
    worker.join()
    assert results == [None] and db.blocking_calls == 0
    db.close()
    assert db.closed


def test_the_object_stays_alive_while_busy(gil_kept_until_blocking: None) -> None:
    import gc

    db = sq.Database.open(":memory:")
    st = db.prepare_v2(SLOW)
    worker, results = run_inside(db, st.step)
    del st  # the call holds the statement (and busy_enter a reference of its own)
    gc.collect()
    with pytest.raises(ValueError, match="1 object"):
        db.close()  # so the statement is not finalized: it still counts as the database's child
    worker.join()
    assert results == [sq.SQLITE_ROW]
    del worker
    gc.collect()
    db.close()  # finalized once the call returned
    assert db.closed
