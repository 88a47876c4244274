"""SQLite application-defined functions (create_function_v2) through the generated module.

The function is any callable `f(ctx, args)`: `ctx` a Context, `args` a list of Values, both lent
for the call (SQLite owns them: a kept one raises ValueError, closed). The binding finds the
callable again through sqlite3_user_data(ctx); the connection keeps it until the function is
replaced or removed or the connection closes (its destroy-notify). An exception raised inside
leaves the step()/exec() during which SQLite ran the function.
"""
import gc
import weakref

import pytest

import sqlite3 as sq  # the generated binding (on PYTHONPATH first), not the standard library's


def twice(ctx: sq.Context, args: list[sq.Value]) -> None:
    ctx.result_int64(args[0].int64() * 2)


def one_int(db: sq.Database, sql: str) -> int:
    with db.prepare(sql) as sel:
        assert sel.step() == sq.SQLITE_ROW
        return sel.column_int64(0)


def test_a_scalar_function_twice() -> None:
    with sq.Database.open(":memory:") as db:
        db.create_function_v2("twice", 1, twice)
        assert one_int(db, "SELECT twice(21)") == 42
        db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)")
        assert one_int(db, "SELECT sum(twice(x)) FROM t") == 12


def test_create_function_and_create_function16() -> None:
    with sq.Database.open(":memory:") as db:
        db.create_function("twice", 1, twice)  # no destroy-notify: kept for the process
        db.create_function16("zweimal_ü", 1, twice)  # the name goes to SQLite as UTF-16
        assert one_int(db, "SELECT twice(5) + zweimal_ü(16)") == 42


def test_a_variadic_function_gets_every_argument_as_a_value() -> None:
    seen: list[int] = []

    def total(ctx: sq.Context, args: list[sq.Value]) -> None:
        seen.append(len(args))
        ctx.result_int64(sum(a.int64() for a in args))

    with sq.Database.open(":memory:") as db:
        db.create_function_v2("total", -1, total)
        assert one_int(db, "SELECT total(1, 2, 39)") == 42
        assert one_int(db, "SELECT total()") == 0
    assert seen == [3, 0]


def test_values_and_context_are_closed_after_the_call() -> None:
    kept: list[tuple[sq.Context, list[sq.Value]]] = []

    def keep(ctx: sq.Context, args: list[sq.Value]) -> None:
        kept.append((ctx, args))
        ctx.result_int64(args[0].int64())

    with sq.Database.open(":memory:") as db:
        db.create_function_v2("keep", 1, keep)
        assert one_int(db, "SELECT keep(7)") == 7
        ctx, args = kept[0]
        with pytest.raises(ValueError, match="closed"):
            ctx.result_int64(1)
        with pytest.raises(ValueError, match="closed"):
            args[0].int64()


def test_the_function_is_released_when_replaced_removed_or_closed() -> None:
    class Fn:
        def __call__(self, ctx: sq.Context, args: list[sq.Value]) -> None:
            ctx.result_int64(1)

    db = sq.Database.open(":memory:")
    f, g = Fn(), Fn()
    f_ref, g_ref = weakref.ref(f), weakref.ref(g)
    db.create_function_v2("f", 0, f)
    db.create_function_v2("g", 0, g)
    del f, g
    gc.collect()
    assert f_ref() is not None and g_ref() is not None  # the connection keeps them
    assert one_int(db, "SELECT f() + g()") == 2
    db.create_function_v2("f", 0, None)  # removed: SQLite calls the destroy-notify
    gc.collect()
    assert f_ref() is None and g_ref() is not None
    with pytest.raises(sq.Error, match="no such function"):
        db.exec("SELECT f()")
    db.close()
    gc.collect()
    assert g_ref() is None


def test_a_failed_registration_releases_the_function() -> None:
    class Fn:
        def __call__(self, ctx: sq.Context, args: list[sq.Value]) -> None:
            ctx.result_int64(1)

    f = Fn()
    ref = weakref.ref(f)
    with sq.Database.open(":memory:") as db:
        with pytest.raises(sq.Error):
            db.create_function_v2("f", 1000, f)  # more arguments than SQLite allows
        del f
        gc.collect()
        assert ref() is None  # SQLite ran the destroy-notify at once
        with pytest.raises(sq.Error, match="no such function"):
            db.exec("SELECT f()")


def test_an_exception_in_a_function_reaches_step_and_exec() -> None:
    def boom(ctx: sq.Context, args: list[sq.Value]) -> None:
        raise LookupError(f"no {args[0].int64()}")

    with sq.Database.open(":memory:") as db:
        db.create_function_v2("boom", 1, boom)
        with pytest.raises(LookupError, match="no 3"):
            db.exec("SELECT boom(3)")
        with db.prepare("SELECT boom(4)") as sel:
            with pytest.raises(LookupError, match="no 4"):
                sel.step()
        db.create_function_v2("twice", 1, twice)
        assert one_int(db, "SELECT twice(2)") == 4  # the connection still works


def test_a_function_cannot_close_the_connection_or_statement_running_it() -> None:
    errors: list[str] = []
    db = sq.Database.open(":memory:")

    def closer(ctx: sq.Context, args: list[sq.Value]) -> None:
        for obj in (db, st):
            try:
                obj.close()
            except (RuntimeError, ValueError) as e:
                errors.append(f"{type(e).__name__}: {e}")
        ctx.result_int64(1)

    db.create_function_v2("closer", 0, closer)
    st = db.prepare("SELECT closer()")
    assert st.step() == sq.SQLITE_ROW
    assert st.column_int64(0) == 1
    # The statement is busy in step(); the connection has a live statement.
    assert errors == [
        "ValueError: cannot close sqlite3.Database: 1 object(s) that depend on it are still alive "
        "(close them first)",
        "RuntimeError: cannot close sqlite3.Statement: it is in use by a blocking call that has not "
        "returned (on another thread, or the call that ran this callback)"]
    assert not db.closed and not st.closed
    st.close()
    # exec() runs the function with nothing depending on the connection: it is the busy one.
    errors.clear()
    db.exec("SELECT closer()")
    assert errors[0].startswith("RuntimeError: cannot close sqlite3.Database: it is in use by a "
                                "blocking call")
    assert not db.closed
    db.close()
