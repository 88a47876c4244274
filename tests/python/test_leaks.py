"""Leak counting for records and callbacks: 100 000 calls each, then measures that do not need a
debug build of CPython (sys.gettotalrefcount is absent from release builds):

- tracemalloc: the bytes Python allocated between two snapshots, after a warm-up run;
- gc: the number of objects the collector tracks (records are not GC objects: the reference
  count of an argument passed 100 000 times shows that none is kept);
- weakref.finalize on the callables: every callable the library was given is freed once the
  library lets it go (notified and owner scopes), none is freed while C may still call it.

The modules of the records, callbacks and sqlite3 fixtures are on PYTHONPATH (tests/python/CMakeLists.txt).
"""
import gc
import sys
import weakref
from collections.abc import Callable

import allocation

import callbacks as cb
import records as rec
import sqlite3 as sq

N = 100_000


def allocated_growth(run: Callable[[int], None]) -> int:
    """Bytes still allocated by Python after run(N), beyond what a warm-up run left."""
    return allocation.allocated_growth(run, N)


def tracked_objects_growth(run: Callable[[int], None]) -> int:
    run(1000)
    gc.collect()
    before = len(gc.get_objects())
    run(N)
    gc.collect()
    return len(gc.get_objects()) - before


# ---- records ------------------------------------------------------------------------------------

def record_calls(n: int) -> None:
    p = rec.Point(1, 2)
    r = rec.rect_make(0, 0, 4, 3)
    for i in range(n):
        q = rec.point_add(p, rec.Point(i & 0xFF, 1))  # record in (by value) and out
        assert rec.rect_area(r) == 12
        rec.rect_contains(r, q)
        rec.rect_center(r)
        rec.mixed_in(rec.mixed_make())
        _ = q.x + q.y  # attribute reads


def test_records_in_and_out_do_not_leak_memory() -> None:
    assert allocated_growth(record_calls) < 64 * 1024


def test_records_in_and_out_do_not_leak_objects() -> None:
    assert tracked_objects_growth(record_calls) < 100


def test_record_arguments_are_not_kept() -> None:
    p = rec.Point(3, 4)
    before = sys.getrefcount(p)
    for _ in range(N):
        rec.point_add(p, p)
        rec.point_in(p)
    assert sys.getrefcount(p) == before


# ---- callbacks ----------------------------------------------------------------------------------

def call_scope_calls(n: int) -> None:
    seen = [0]

    def visit(v: int) -> int:
        seen[0] += 1
        return 0

    for _ in range(n // 10):
        assert cb.visit_range(0, 10, visit) == 10
    assert cb.sum_mapped(10, lambda v: v) == 45


def test_call_scope_callbacks_do_not_leak() -> None:
    assert allocated_growth(call_scope_calls) < 64 * 1024
    assert tracked_objects_growth(call_scope_calls) < 100


def test_call_scope_callables_are_released_after_each_call() -> None:
    freed = 0

    def on_free() -> None:
        nonlocal freed
        freed += 1

    for i in range(N // 10):
        f = lambda v, i=i: v + i  # a new callable each time  # noqa: E731
        weakref.finalize(f, on_free)
        cb.sum_mapped(1, f)
        del f
    assert freed == N // 10


def notified_calls(n: int) -> None:
    e = cb.Emitter()
    for i in range(n):
        e.subscribe(lambda event: None)  # replaces (and the destroy-notify releases) the last one
        if i % 3 == 0:
            e.emit(i)
        if i % 7 == 0:
            e.unsubscribe()
    e.close()


def test_notified_callbacks_are_released_by_their_destroy_notify() -> None:
    assert allocated_growth(notified_calls) < 64 * 1024
    assert cb.live_subscriptions() == 0


def test_every_notified_callable_is_freed_once_the_library_lets_it_go() -> None:
    freed = 0

    def on_free() -> None:
        nonlocal freed
        freed += 1

    e = cb.Emitter()
    for i in range(N):
        f = lambda event: None  # noqa: E731
        weakref.finalize(f, on_free)
        e.subscribe(f)
        del f
        assert freed == i  # the current subscriber is alive, every earlier one is freed
    e.close()
    assert freed == N


def owner_calls(n: int) -> None:
    with sq.Database.open(":memory:") as db:
        for i in range(n):
            db.commit_hook(lambda: 0)  # the Database's slot: the previous one is released
            if i % 5 == 0:
                db.update_hook(lambda op, name, table, rowid: None)
            if i % 11 == 0:
                db.commit_hook(None)


def test_owner_callbacks_do_not_leak() -> None:
    assert allocated_growth(owner_calls) < 64 * 1024
    assert tracked_objects_growth(owner_calls) < 100


def test_every_owner_callable_is_freed_when_replaced_or_closed() -> None:
    freed = 0

    def on_free() -> None:
        nonlocal freed
        freed += 1

    db = sq.Database.open(":memory:")
    for i in range(N):
        f = lambda: 0  # noqa: E731
        weakref.finalize(f, on_free)
        db.commit_hook(f)
        del f
        assert freed == i
    db.close()
    assert freed == N


def test_hooks_that_run_do_not_leak() -> None:
    def run(n: int) -> None:
        with sq.Database.open(":memory:") as db:
            db.exec("CREATE TABLE t (x)")
            rows = [0]

            def on_update(op: int, name: str, table: str, rowid: int) -> None:
                rows[0] += 1

            db.update_hook(on_update)
            with db.prepare("INSERT INTO t VALUES (?)") as ins:
                for i in range(n // 10):
                    ins.bind_int(1, i)
                    ins.step()
                    ins.reset()
            assert rows[0] == n // 10

    assert allocated_growth(run) < 64 * 1024


# ---- callback buffer arguments and lent handles ---------------------------------------------------

def test_callback_buffer_arguments_do_not_leak() -> None:
    def run(n: int) -> None:
        pieces = [0]

        def count(piece: str, raw: bytes) -> None:
            pieces[0] += len(raw)

        def count16(piece: str, whole: str) -> None:
            pieces[0] += len(piece)

        for _ in range(n // 10):
            cb.split("ab,,Grüße,世界", count)
            cb.split16("a,β,😀", count16)

    assert allocated_growth(run) < 64 * 1024
    assert tracked_objects_growth(run) < 100


def test_collations_and_lent_connections_do_not_leak() -> None:
    def run(n: int) -> None:
        with sq.Database.open(":memory:") as db:
            db.exec("CREATE TABLE w (s TEXT)")
            with db.prepare("INSERT INTO w VALUES (?)") as ins:
                for i in range(20):
                    ins.bind_text(1, f"w{i * 7 % 20}")
                    ins.step()
                    ins.reset()

            def needed(conn: sq.Database, rep: int, name: str) -> None:
                conn.create_collation_v2(name, lambda a, b: (a > b) - (a < b))

            db.collation_needed16(needed)
            for i in range(max(1, n // 200)):  # 500 collations, each asked for once
                with db.prepare(f"SELECT s FROM w ORDER BY s COLLATE C{i}") as sel:
                    while sel.step() == sq.SQLITE_ROW:
                        pass

    assert allocated_growth(run) < 64 * 1024
    assert tracked_objects_growth(run) < 100


def test_sql_functions_and_their_lent_values_do_not_leak() -> None:
    def run(n: int) -> None:
        kept: list[sq.Value] = []

        def total(ctx: sq.Context, args: list[sq.Value]) -> None:
            kept[:] = args  # kept past the call: closed, then dropped by the next call
            ctx.result_int64(sum(a.int64() for a in args))

        with sq.Database.open(":memory:") as db:
            db.exec("CREATE TABLE t (x)")
            with db.prepare("INSERT INTO t VALUES (?)") as ins:
                for i in range(100):
                    ins.bind_int64(1, i)
                    ins.step()
                    ins.reset()
            for i in range(max(1, n // 100)):  # n calls, 3 lent values each
                db.create_function_v2("total", 3, total)  # replaces (and releases) the previous
                with db.prepare("SELECT sum(total(x, x, 1)) FROM t") as sel:
                    assert sel.step() == sq.SQLITE_ROW
                    assert sel.column_int64(0) == 2 * 4950 + 100

    assert allocated_growth(run) < 64 * 1024
    assert tracked_objects_growth(run) < 100
