"""SQLite's pointer-passing interface and auxiliary data carry Python objects (host values).

`Statement.bind_pointer(i, obj)` and `Context.result_pointer(obj)` box the object (SQLite calls the
binding's release when done with it); `Value.pointer()` gives it back — only for a pointer bound
under this module's own type string ("bindery:python:sqlite3"), None for anything else.
`Context.set_auxdata(n, obj)` / `get_auxdata(n)` cache an object per constant argument.
"""
import gc
import weakref

import sqlite3 as sq


class Payload:
    def __init__(self, n: int) -> None:
        self.n = n


def dead(ref: "weakref.ref[Payload]") -> bool:
    gc.collect()
    return ref() is None


def test_bind_pointer_reaches_a_function_through_value_pointer() -> None:
    seen: list[object] = []

    def peek(ctx: sq.Context, args: list[sq.Value]) -> None:
        obj = args[0].pointer()
        seen.append(obj)
        ctx.result_int64(obj.n if isinstance(obj, Payload) else -1)

    with sq.Database.open(":memory:") as db:
        db.create_function_v2("peek", 1, peek)
        p = Payload(42)
        ref = weakref.ref(p)
        with db.prepare_v2("SELECT peek(?), peek(7), peek(NULL)") as st:
            st.bind_pointer(1, p)
            assert st.step() == sq.SQLITE_ROW
            assert [st.column_int64(i) for i in range(3)] == [42, -1, -1]
            assert seen[0] is p and seen[1:] == [None, None]  # not a pointer of ours: absent
            del p, seen[:]
            assert not dead(ref)  # the statement still holds the binding
        assert dead(ref)  # released by SQLite when the statement was finalized


def test_rebinding_releases_the_previous_pointer() -> None:
    with sq.Database.open(":memory:") as db:
        with db.prepare_v2("SELECT ?") as st:
            a, b = Payload(1), Payload(2)
            ra = weakref.ref(a)
            st.bind_pointer(1, a)
            st.bind_pointer(1, b)
            del a
            assert dead(ra)


def test_result_pointer_passes_an_object_between_functions() -> None:
    def wrap(ctx: sq.Context, args: list[sq.Value]) -> None:
        ctx.result_pointer(Payload(args[0].int64()))

    def unwrap(ctx: sq.Context, args: list[sq.Value]) -> None:
        obj = args[0].pointer()
        assert isinstance(obj, Payload)
        ctx.result_int64(obj.n * 2)

    with sq.Database.open(":memory:") as db:
        db.create_function_v2("wrap", 1, wrap)
        db.create_function_v2("unwrap", 1, unwrap)
        with db.prepare_v2("SELECT unwrap(wrap(21)), wrap(1) IS NULL") as st:
            assert st.step() == sq.SQLITE_ROW
            assert st.column_int64(0) == 42
            assert st.column_int64(1) == 1  # to SQL a pointer is NULL
        gc.collect()


def test_auxdata_caches_an_object_per_constant_argument() -> None:
    made: list[weakref.ref[Payload]] = []

    def cached(ctx: sq.Context, args: list[sq.Value]) -> None:
        obj = ctx.get_auxdata(0)
        if obj is None:
            obj = Payload(args[0].int64())
            made.append(weakref.ref(obj))
            ctx.set_auxdata(0, obj)
        assert isinstance(obj, Payload)
        ctx.result_int64(obj.n + args[1].int64())

    with sq.Database.open(":memory:") as db:
        db.create_function_v2("cached", 2, cached)
        db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)")
        with db.prepare_v2("SELECT sum(cached(100, x)) FROM t") as st:
            assert st.step() == sq.SQLITE_ROW
            assert st.column_int64(0) == 306
        assert len(made) == 1  # made once, found again for the next rows
        assert dead(made[0])  # released by SQLite with the statement


def test_many_pointers_do_not_leak() -> None:
    def peek(ctx: sq.Context, args: list[sq.Value]) -> None:
        obj = args[0].pointer()
        ctx.result_int64(len(obj) if isinstance(obj, list) else -1)

    with sq.Database.open(":memory:") as db:
        db.create_function_v2("peek", 1, peek)
        gc.collect()
        objects = len(gc.get_objects())
        with db.prepare_v2("SELECT peek(?)") as st:
            for i in range(20_000):
                st.bind_pointer(1, [i, i])
                assert st.step() == sq.SQLITE_ROW
                assert st.column_int64(0) == 2
                st.reset()
        gc.collect()
        assert len(gc.get_objects()) - objects < 100
