"""SQLite's connection hooks: callbacks of scope `owner` (tests/fixtures/sqlite3/bindery.yaml).

The Database object keeps each hook's callable in a slot of its own: setting again replaces it,
None clears it, close() and deallocation release it after sqlite3_close, and the cyclic garbage
collector sees it (tp_traverse), so a hook that refers to its own connection is collected.

An exception raised in a hook: SQLite calls hooks during a call into it (exec, step, close); the
trampoline returns 0 to SQLite (a commit goes ahead, a busy handler stops retrying), and the call
that was running raises the exception once SQLite has returned. When no Python call is running —
sqlite3_close called by the finaliser or the collector — it goes to sys.unraisablehook.
"""
import gc
import sys
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

import sqlite3 as sq  # the generated binding (on PYTHONPATH first)


def open_db() -> sq.Database:
    return sq.Database.open(":memory:")


class Hook:
    """A callable with a weak-referenceable identity and a call count."""

    def __init__(self, result: int = 0) -> None:
        self.calls = 0
        self.result = result

    def __call__(self, *args: object) -> int:
        self.calls += 1
        return self.result


def count(db: sq.Database, table: str = "t") -> int:
    with db.prepare(f"SELECT count(*) FROM {table}") as st:
        assert st.step() == sq.SQLITE_ROW
        return st.column_int(0)


@pytest.fixture
def unraisable() -> Iterator[list[BaseException]]:
    seen: list[BaseException] = []
    old = sys.unraisablehook

    def hook(u: Any) -> None:
        seen.append(u.exc_value)

    sys.unraisablehook = hook
    try:
        yield seen
    finally:
        sys.unraisablehook = old


def test_commit_hook_runs_at_each_commit_and_can_turn_it_into_a_rollback() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")
        hook = Hook()
        db.commit_hook(hook)
        db.exec("INSERT INTO t VALUES (1)")
        db.exec("BEGIN; INSERT INTO t VALUES (2); INSERT INTO t VALUES (3); COMMIT")
        assert hook.calls == 2
        hook.result = 1  # nonzero: SQLite rolls the commit back
        with pytest.raises(sq.Error) as info:
            db.exec("INSERT INTO t VALUES (4)")
        assert info.value.code & 0xFF == sq.SQLITE_CONSTRAINT  # SQLITE_CONSTRAINT_COMMITHOOK
        assert count(db) == 3


def test_update_hook_receives_the_operation_database_table_and_rowid() -> None:
    seen: list[tuple[int, str, str, int]] = []
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")
        db.update_hook(lambda op, name, table, rowid: seen.append((op, name, table, rowid)))
        db.exec("INSERT INTO t VALUES ('a'); INSERT INTO t VALUES ('b')")
        db.exec("UPDATE t SET x = 'c' WHERE rowid = 2; DELETE FROM t WHERE rowid = 1")
    assert seen == [(sq.SQLITE_INSERT, "main", "t", 1), (sq.SQLITE_INSERT, "main", "t", 2),
                    (sq.SQLITE_UPDATE, "main", "t", 2), (sq.SQLITE_DELETE, "main", "t", 1)]


def test_update_hook_rowid_is_the_full_64_bit_value() -> None:
    # The hook's rowid is a sqlite3_int64 (the C type keeps that spelling since session 7): the
    # whole range reaches Python, with no truncation to 32 bits and no sign change.
    seen: list[int] = []
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")
        db.update_hook(lambda op, name, table, rowid: seen.append(rowid))
        for rowid in (2**63 - 1, -(2**63), 2**32 + 1, -1):
            db.exec(f"INSERT INTO t (rowid, x) VALUES ({rowid}, 0)")
    assert seen == [2**63 - 1, -(2**63), 2**32 + 1, -1]


def test_setting_again_replaces_and_releases_the_previous_callable() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")
        first, second = Hook(), Hook()
        gone = weakref.ref(first)
        db.commit_hook(first)
        db.exec("INSERT INTO t VALUES (1)")
        db.commit_hook(second)
        del first
        assert gone() is None  # the Database no longer holds it (and SQLite no longer calls it)
        db.exec("INSERT INTO t VALUES (2)")
        assert second.calls == 1


def test_none_clears_the_hook_and_releases_it() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")
        hook = Hook()
        gone = weakref.ref(hook)
        db.update_hook(hook)
        db.exec("INSERT INTO t VALUES (1)")
        db.update_hook(None)
        calls = hook.calls
        del hook
        assert gone() is None
        db.exec("INSERT INTO t VALUES (2)")
        db.commit_hook(Hook())
        db.commit_hook()  # the argument is optional: omitted clears too
        assert calls == 1


def test_close_and_deallocation_release_the_hooks() -> None:
    db = open_db()
    hook = Hook()
    gone = weakref.ref(hook)
    db.commit_hook(hook)
    db.update_hook(hook)
    del hook
    assert gone() is not None  # kept by the Database while SQLite may call it
    db.close()
    assert gone() is None
    db2 = open_db()
    hook2 = Hook()
    gone2 = weakref.ref(hook2)
    db2.commit_hook(hook2)
    del hook2, db2  # no cycle: released by reference counting alone
    assert gone2() is None


def test_a_hook_that_refers_to_its_own_connection_is_collected() -> None:
    class SelfHook:
        def __init__(self, db: sq.Database) -> None:
            self.db = db

        def __call__(self) -> int:
            return 0

    gc.collect()
    db = open_db()
    hook = SelfHook(db)
    db.commit_hook(hook)
    gone = weakref.ref(hook)  # the Database is only reachable through the hook: freed with it
    del db, hook
    assert gone() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert gone() is None


def test_the_collector_sees_the_kept_callables() -> None:
    with open_db() as db:
        hook = Hook()
        db.busy_handler(hook)
        assert hook in gc.get_referents(db)


def test_hooks_cannot_be_kept_by_a_borrowed_database() -> None:
    with open_db() as db:
        with db.prepare("SELECT 1") as st:
            borrowed = st.db_handle()
            with pytest.raises(ValueError, match="borrowed"):
                borrowed.commit_hook(Hook())
            borrowed.commit_hook(None)  # clearing keeps nothing: allowed


def test_an_exception_in_a_hook_propagates_from_the_call_that_ran_it() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")

        def broken(op: int, name: str, table: str, rowid: int) -> None:
            raise KeyError(rowid)

        db.update_hook(broken)
        with pytest.raises(KeyError):
            db.exec("INSERT INTO t VALUES (1)")
        # SQLite saw a normal return: the row is there; the next call is unaffected.
        db.update_hook(None)
        assert count(db) == 1


def test_a_raising_commit_hook_lets_the_commit_proceed_and_raises_after() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")

        def broken() -> int:
            raise RuntimeError("in the hook")

        db.commit_hook(broken)
        with pytest.raises(RuntimeError, match="in the hook"):
            db.exec("INSERT INTO t VALUES (1)")
        db.commit_hook(None)
        assert count(db) == 1  # 0 reached SQLite: "commit"


def test_a_busy_handler_is_called_while_another_connection_holds_the_lock(tmp_path: Any) -> None:
    path = str(tmp_path / "busy.db")
    with sq.Database.open(path) as a, sq.Database.open(path) as b:
        a.exec("CREATE TABLE t (x)")
        a.exec("BEGIN EXCLUSIVE")
        tries: list[int] = []

        def busy(n: int) -> int:
            tries.append(n)
            return 1 if n < 3 else 0  # retry three times, then give up

        b.busy_handler(busy)
        with pytest.raises(sq.Error) as info:
            b.exec("INSERT INTO t VALUES (1)")
        assert info.value.code == sq.SQLITE_BUSY
        assert tries == [0, 1, 2, 3]
        a.exec("COMMIT")
        b.exec("INSERT INTO t VALUES (1)")


def test_an_exception_with_no_caller_goes_to_the_unraisable_hook(
        unraisable: list[BaseException]) -> None:
    db = open_db()
    db.exec("CREATE TABLE t (x)")

    def broken() -> None:
        raise ValueError("rolled back at close")

    db.rollback_hook(broken)
    db.exec("BEGIN; INSERT INTO t VALUES (1)")
    del db  # sqlite3_close rolls back from the finaliser: no Python call to raise it from
    assert [str(e) for e in unraisable] == ["rolled back at close"]


def test_close_raises_an_exception_its_rollback_hook_raised() -> None:
    db = open_db()
    db.exec("CREATE TABLE t (x)")

    def broken() -> None:
        raise ValueError("rolled back by close()")

    db.rollback_hook(broken)
    db.exec("BEGIN; INSERT INTO t VALUES (1)")
    with pytest.raises(ValueError, match="by close"):
        db.close()
    assert db.closed


def test_finaliser_keeps_an_exception_already_in_flight(unraisable: list[BaseException]) -> None:
    def fail_while_a_hooked_db_dies() -> None:
        db = open_db()
        db.exec("CREATE TABLE t (x)")
        db.rollback_hook(lambda: None)
        db.exec("BEGIN; INSERT INTO t VALUES (1)")
        raise LookupError("the original error")  # db dies while this propagates

    with pytest.raises(LookupError, match="original"):
        fail_while_a_hooked_db_dies()
    assert unraisable == []


def test_a_statement_prepared_while_a_callback_raised_is_finalized_not_leaked() -> None:
    """The authorizer runs inside prepare: SQLite makes the statement, then the wrapper raises the
    callback's exception, finalizing the statement it will not return."""
    with open_db() as db:
        db.exec("CREATE TABLE t (x)")

        def broken(action: int, a: str | None, b: str | None, c: str | None,
                   d: str | None) -> int:
            raise KeyError("authorizer")

        db.set_authorizer(broken)

        def prepare_many(n: int) -> None:
            for _ in range(n):
                with pytest.raises(KeyError):
                    db.prepare("SELECT x FROM t WHERE x > 1 ORDER BY x")

        prepare_many(100)
        before = sq.memory_used()
        prepare_many(3000)
        assert sq.memory_used() - before < 64 * 1024  # a leaked statement costs ~1-2 KiB each
        db.set_authorizer(None)
