"""SQLite aggregate and window functions in Python (create_window_function).

The registration takes a factory (any callable): SQLite calls `step(ctx, values)` for each row of
a group and `final(ctx)` once per group — with OVER (…) also `value(ctx)` for the current window
and `inverse(ctx, values)` for a row leaving it — on one object per group, which the binding makes
on the group's first call and keeps in the group's aggregate context until final. An exception in
a method becomes the statement's error and is raised again from its step().
"""
import gc
import weakref
from collections.abc import Iterator

import pytest

import sqlite3 as sq  # the generated binding (on PYTHONPATH first), not the standard library's


class PySum:
    """SUM of integers; also a window function (value / inverse)."""

    made = 0
    finals = 0
    alive: "weakref.WeakSet[PySum]" = weakref.WeakSet()

    def __init__(self) -> None:
        PySum.made += 1
        PySum.alive.add(self)
        self.total = 0

    def step(self, ctx: sq.Context, values: list[sq.Value]) -> None:
        self.total += values[0].int64()

    def inverse(self, ctx: sq.Context, values: list[sq.Value]) -> None:
        self.total -= values[0].int64()

    def value(self, ctx: sq.Context) -> None:
        ctx.result_int64(self.total)

    def final(self, ctx: sq.Context) -> None:
        PySum.finals += 1
        ctx.result_int64(self.total)


@pytest.fixture(autouse=True)
def counted() -> Iterator[None]:
    """Fresh counters; after each test no group's object is alive."""
    PySum.made = PySum.finals = 0
    yield
    gc.collect()
    assert len(PySum.alive) == 0


@pytest.fixture
def db() -> Iterator[sq.Database]:
    with sq.Database.open(":memory:") as d:
        d.exec("CREATE TABLE t (g TEXT, y INTEGER, x INTEGER);"
               "INSERT INTO t VALUES ('a', 1, 1), ('b', 2, 10), ('a', 3, 2), ('b', 4, 20), ('c', 5, 100)")
        d.create_window_function("pysum", 1, PySum)
        yield d


def rows(db: sq.Database, sql: str) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    with db.prepare(sql) as stmt:
        while stmt.step() == sq.SQLITE_ROW:
            out.append(tuple(stmt.column_int64(i) if stmt.column_type(i) == sq.SQLITE_INTEGER else stmt.column_text(i)
                             for i in range(stmt.column_count())))
    return out


def test_an_aggregate_over_group_by(db: sq.Database) -> None:
    assert rows(db, "SELECT g, pysum(x) FROM t GROUP BY g ORDER BY g") == [("a", 3), ("b", 30), ("c", 100)]
    assert PySum.made == PySum.finals == 3  # one object per group, each finished once
    assert len(PySum.alive) == 0  # released by final, no collection needed


def test_an_aggregate_without_rows_still_gets_final(db: sq.Database) -> None:
    # No GROUP BY over no rows: SQLite calls final once, on an object made for it.
    assert rows(db, "SELECT pysum(x) FROM t WHERE x < 0") == [(0,)]
    assert PySum.made == PySum.finals == 1


def test_a_window_uses_value_and_inverse(db: sq.Database) -> None:
    window = "OVER (ORDER BY y ROWS 1 PRECEDING)"
    want = rows(db, f"SELECT y, sum(x) {window} FROM t ORDER BY y")
    assert want == [(1, 1), (2, 11), (3, 12), (4, 22), (5, 120)]
    assert rows(db, f"SELECT y, pysum(x) {window} FROM t ORDER BY y") == want
    assert PySum.made == PySum.finals == 1  # one window partition: one object


def test_a_partitioned_window_has_one_object_per_partition(db: sq.Database) -> None:
    got = rows(db, "SELECT g, y, pysum(x) OVER (PARTITION BY g ORDER BY y) FROM t ORDER BY g, y")
    assert got == [("a", 1, 1), ("a", 3, 3), ("b", 2, 10), ("b", 4, 30), ("c", 5, 100)]
    assert PySum.made == PySum.finals == 3


def test_an_exception_in_step_leaves_the_statements_step(db: sq.Database) -> None:
    err = ValueError("x too large")

    class Picky(PySum):
        def step(self, ctx: sq.Context, values: list[sq.Value]) -> None:
            if values[0].int64() > 50:
                raise err
            super().step(ctx, values)

    db.create_window_function("picky", 1, Picky)
    with db.prepare("SELECT g, picky(x) FROM t GROUP BY g") as stmt:
        with pytest.raises(ValueError) as caught:
            while stmt.step() == sq.SQLITE_ROW:
                pass
    assert caught.value is err
    assert db.errmsg() == "x too large"  # sqlite3_result_error got the message
    del caught
    err.__traceback__ = None  # it held step's frame, and so the group's object
    gc.collect()
    assert PySum.made == PySum.finals  # every group that was made was finished
    assert len(PySum.alive) == 0
    # The connection works afterwards.
    assert rows(db, "SELECT pysum(x) FROM t") == [(133,)]


def test_an_exception_in_final_and_in_value(db: sq.Database) -> None:
    class BadFinal(PySum):
        def final(self, ctx: sq.Context) -> None:
            super().final(ctx)
            raise LookupError("final broke")

    class BadValue(PySum):
        def value(self, ctx: sq.Context) -> None:
            raise KeyError("value broke")

    db.create_window_function("bad_final", 1, BadFinal)
    db.create_window_function("bad_value", 1, BadValue)
    with pytest.raises(LookupError, match="final broke"):
        rows(db, "SELECT bad_final(x) FROM t")
    with pytest.raises(KeyError, match="value broke"):
        rows(db, "SELECT bad_value(x) OVER (ORDER BY y) FROM t")
    gc.collect()
    assert PySum.made == PySum.finals == 2


def test_a_factory_failing_or_returning_none(db: sq.Database) -> None:
    def broken() -> PySum:
        raise OSError("no objects today")

    db.create_window_function("broken", 1, broken)
    db.create_window_function("none_maker", 1, lambda: None)  # type: ignore[arg-type, return-value]  # deliberate
    with pytest.raises(OSError, match="no objects today"):
        rows(db, "SELECT broken(x) FROM t")
    with pytest.raises(TypeError, match="returned None"):
        rows(db, "SELECT none_maker(x) FROM t")


def test_a_statement_finalized_midway_releases_every_group(db: sq.Database) -> None:
    # The window's rows come one by one: finalizing after the first leaves the partition open;
    # SQLite calls final for it then, and the binding releases its object.
    stmt = db.prepare("SELECT pysum(x) OVER (PARTITION BY g ORDER BY y) FROM t")
    assert stmt.step() == sq.SQLITE_ROW
    assert len(PySum.alive) >= 1
    stmt.close()
    assert len(PySum.alive) == 0
    assert PySum.made == PySum.finals


def test_a_context_kept_past_its_call_is_closed(db: sq.Database) -> None:
    kept: list[sq.Context] = []

    class Keeper(PySum):
        def step(self, ctx: sq.Context, values: list[sq.Value]) -> None:
            kept.append(ctx)
            super().step(ctx, values)

    db.create_window_function("keeper", 1, Keeper)
    assert rows(db, "SELECT keeper(x) FROM t") == [(133,)]
    with pytest.raises(ValueError, match="closed"):
        kept[0].result_int64(1)


def test_the_factory_is_released_when_replaced_or_the_database_closes() -> None:
    class Factory:
        def __call__(self) -> PySum:
            return PySum()

    first, second = Factory(), Factory()
    first_ref, second_ref = weakref.ref(first), weakref.ref(second)
    d = sq.Database.open(":memory:")
    d.create_window_function("f", 1, first)
    d.create_window_function("f", 1, second)
    del first, second
    gc.collect()
    assert first_ref() is None
    assert rows(d, "SELECT f(5)") == [(5,)]
    assert second_ref() is not None
    d.close()
    gc.collect()
    assert second_ref() is None


def test_many_statements_keep_nothing(db: sq.Database) -> None:
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(500):
        rows(db, "SELECT g, pysum(x) FROM t GROUP BY g")
        rows(db, "SELECT pysum(x) OVER (ORDER BY y ROWS 1 PRECEDING) FROM t")
    gc.collect()
    assert len(gc.get_objects()) - before < 50
    assert PySum.made == PySum.finals == 500 * 4
