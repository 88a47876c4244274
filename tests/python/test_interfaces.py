"""tests/fixtures/interfaces/SPEC.md, driven from Python.

An interface is a struct of function pointers the host implements. Any Python object with the
methods will do (duck typing; the stub declares Source / Table / Cursor as typing.Protocol
classes): the engine calls `open(args)` on the registered source, then `plan`, `open_cursor`,
`filter`, `next`, `eof`, `value`, `key` and `close` on the objects it returned. An exception inside
a method reaches the engine as an error (with its message) and is raised by the call that ran it.
"""
import ctypes
import gc
import os
import pathlib
import sys
import weakref
from collections.abc import Iterator

import pytest

import interfaces as itf

INT64_MIN = -(2**63)


class Log:
    """What the host objects saw, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.filters: list[int] = []
        self.args: list[list[str]] = []
        self.plans: list[itf.Plan] = []


class RangeCursor:
    def __init__(self, table: "RangeTable") -> None:
        self.table = table
        self.row = 0
        self.hi = 0

    def filter(self, min_key: int) -> None:
        self.table.log.filters.append(min_key)
        self.row = max(self.table.lo, min_key)
        self.hi = self.table.hi

    def next(self) -> None:
        self.row += 1

    def eof(self) -> bool:
        return self.row >= self.hi

    def value(self, result: itf.Result, column: int) -> None:
        result.set_int(self.row * (column + 1))

    def key(self) -> int:
        return self.row

    def close(self) -> None:
        self.table.log.events.append("cursor.close")


class RangeTable:
    """`open([lo, hi])`: the rows lo … hi-1 (key = row, value in column c = row × (c + 1))."""

    def __init__(self, log: Log, lo: int, hi: int) -> None:
        self.log, self.lo, self.hi = log, lo, hi

    def plan(self, plan: itf.Plan) -> None:
        self.log.plans.append(plan)
        plan.use_min_key(1)
        plan.set_cost(2.5)

    def open_cursor(self) -> RangeCursor:
        return RangeCursor(self)

    def close(self) -> None:
        self.log.events.append("table.close")


class Range:
    def __init__(self, log: Log | None = None) -> None:
        self.log = log or Log()
        self.tables: "weakref.WeakSet[RangeTable]" = weakref.WeakSet()
        self.cursors: "weakref.WeakSet[RangeCursor]" = weakref.WeakSet()

    def open(self, args: list[str]) -> RangeTable:
        self.log.args.append(args)
        table = self.make_table(int(args[0]), int(args[1]))
        self.tables.add(table)
        return table

    def make_table(self, lo: int, hi: int) -> RangeTable:
        return RangeTable(self.log, lo, hi)


@pytest.fixture
def objects() -> Iterator[int]:
    """The engine's count of open tables and cursors, back to its start after the test."""
    gc.collect()
    start = itf.open_objects()
    yield start
    gc.collect()
    assert itf.open_objects() == start


def engine_with(source: object, name: str = "range") -> itf.Engine:
    e = itf.Engine()
    e.register(name, source)  # type: ignore[arg-type]  # the bad sources below are deliberate
    return e


def test_i1_sum_over_a_python_source(objects: int) -> None:
    src = Range()
    e = itf.Engine()
    e.register("range", src)
    assert e.sum("range", "1,5", 0, 0) == 10
    assert e.last_cost() == 2.5
    assert src.log.args == [["1", "5"]]  # a list of str
    assert e.errmsg() == ""


def test_i2_the_plan_decides_what_filter_receives(objects: int) -> None:
    src = Range()
    e = engine_with(src)
    assert e.sum("range", "1,5", 1, 3) == 14  # 2 × (3 + 4)
    assert src.log.filters == [3]


class BareCursor:
    """No close(): optional."""

    def __init__(self, log: Log, lo: int, hi: int) -> None:
        self.log, self.row, self.lo, self.hi = log, 0, lo, hi

    def filter(self, min_key: int) -> None:
        self.log.filters.append(min_key)
        self.row = max(self.lo, min_key)

    def next(self) -> None:
        self.row += 1

    def eof(self) -> int:  # any object: its truth is the answer
        return 1 if self.row >= self.hi else 0

    def value(self, result: itf.Result, column: int) -> None:
        result.set_int(self.row * (column + 1))

    def key(self) -> int:
        return self.row


class BareTable:
    """No plan(), no close(): both optional."""

    def __init__(self, log: Log, lo: int, hi: int) -> None:
        self.log, self.lo, self.hi = log, lo, hi

    def open_cursor(self) -> BareCursor:
        return BareCursor(self.log, self.lo, self.hi)


class BareSource:
    def __init__(self) -> None:
        self.log = Log()

    def open(self, args: list[str]) -> BareTable:
        return BareTable(self.log, int(args[0]), int(args[1]))


def test_i3_optional_methods_may_be_missing(objects: int) -> None:
    src = BareSource()
    e = itf.Engine()
    e.register("bare", src)
    assert e.sum("bare", "1,5", 0, 3) == 7
    assert e.last_cost() == -1
    assert src.log.filters == [INT64_MIN]
    assert itf.open_objects() == objects


def test_i4_close_runs_once_on_each_object_and_nothing_is_kept(objects: int) -> None:
    src = Range()
    e = engine_with(src)
    assert e.sum("range", "1,5", 0, 0) == 10
    assert src.log.events == ["cursor.close", "table.close"]
    assert itf.open_objects() == objects
    gc.collect()
    assert len(src.tables) == 0 and len(src.cursors) == 0
    table = src.make_table(0, 0)
    ref = weakref.ref(table)
    del table
    gc.collect()
    assert ref() is None


class FailingOpen(Range):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def open(self, args: list[str]) -> RangeTable:
        raise self.error


def test_i5_open_raises_the_very_exception(objects: int) -> None:
    err = ValueError("bad args")
    e = engine_with(FailingOpen(err))
    with pytest.raises(ValueError) as caught:
        e.sum("range", "1", 0, 0)
    assert caught.value is err
    assert e.errmsg() == "bad args"  # through *error
    e.register("range", Range())
    assert e.sum("range", "0,3", 0, 0) == 3


class Faults(Range):
    """A range whose cursors fail in one method."""

    def __init__(self, fault: str, error: BaseException | None = None) -> None:
        super().__init__()
        self.fault = fault
        self.error = error

    def make_table(self, lo: int, hi: int) -> RangeTable:
        outer = self

        class Cursor(RangeCursor):
            def value(self, result: itf.Result, column: int) -> None:
                if outer.fault == "value" and outer.error:
                    raise outer.error
                super().value(result, column)

            def eof(self) -> bool:
                if outer.fault == "eof" and outer.error:
                    raise outer.error
                return super().eof()

            def key(self) -> int:
                if outer.fault == "key":
                    return "seven"  # type: ignore[return-value]  # deliberately not an int
                return super().key()

            def close(self) -> None:
                super().close()
                if outer.fault == "close" and outer.error:
                    raise outer.error

        class Table(RangeTable):
            def open_cursor(self) -> RangeCursor:
                cursor = Cursor(self)
                outer.cursors.add(cursor)
                return cursor

        return Table(self.log, lo, hi)


def test_i6_value_raises_message_through_the_tables_error_field(objects: int) -> None:
    src = Faults("value", LookupError("no such column"))
    e = engine_with(src)
    with pytest.raises(LookupError, match="no such column") as caught:
        e.sum("range", "1,5", 0, 0)
    assert caught.value is src.error
    assert e.errmsg() == "no such column"
    assert src.log.events == ["cursor.close", "table.close"]
    assert itf.open_objects() == objects


def test_i7_eof_raises(objects: int) -> None:
    src = Faults("eof", RuntimeError("eof broke"))
    e = engine_with(src)
    with pytest.raises(RuntimeError, match="eof broke"):
        e.sum("range", "1,5", 0, 0)
    assert src.log.events == ["cursor.close", "table.close"]
    assert itf.open_objects() == objects


def test_i8_key_of_the_wrong_type_is_a_type_error(objects: int) -> None:
    src = Faults("key")
    e = engine_with(src)
    with pytest.raises(TypeError):
        e.sum("range", "1,5", 0, 0)
    assert src.log.events == ["cursor.close", "table.close"]
    assert itf.open_objects() == objects


class NoTable(Range):
    def open(self, args: list[str]) -> RangeTable:
        return None  # type: ignore[return-value]  # a method that makes an object must return one


def test_i9_open_returning_none_is_a_type_error(objects: int) -> None:
    e = engine_with(NoTable())
    with pytest.raises(TypeError, match="returned None"):
        e.sum("range", "1,5", 0, 0)
    assert itf.open_objects() == objects


def test_i10_the_engine_keeps_the_source_until_replaced_or_closed(objects: int) -> None:
    e = itf.Engine()
    src = Range()
    ref = weakref.ref(src)
    e.register("range", src)
    del src
    gc.collect()
    assert ref() is not None
    assert e.sum("range", "1,5", 0, 0) == 10
    other = Range()
    other_ref = weakref.ref(other)
    e.register("range", other)  # replaces (and releases) src
    gc.collect()
    assert ref() is None
    del other
    gc.collect()
    assert other_ref() is not None
    e.close()
    gc.collect()
    assert other_ref() is None


def test_i11_a_plan_kept_past_its_call_is_closed(objects: int) -> None:
    src = Range()
    e = engine_with(src)
    assert e.sum("range", "1,5", 0, 0) == 10
    (kept,) = src.log.plans
    assert kept.closed
    with pytest.raises(ValueError, match="closed"):
        kept.min_key()
    with pytest.raises(ValueError, match="closed"):
        kept.set_cost(1.0)


def test_i12_thousands_of_sums_release_every_table_and_cursor(objects: int) -> None:
    src = Range()
    e = engine_with(src)
    e.sum("range", "0,3", 0, 0)  # warm up caches
    del src.log.plans[:]
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(2000):
        assert e.sum("range", "0,3", 0, 0) == 3
        del src.log.plans[:], src.log.args[:], src.log.filters[:], src.log.events[:]
    gc.collect()
    assert len(src.tables) == 0 and len(src.cursors) == 0
    assert itf.open_objects() == objects
    assert len(gc.get_objects()) - before < 50


def test_i13_a_helper_written_in_the_yaml_is_a_method(objects: int) -> None:
    src = Range()
    e = engine_with(src)
    assert e.sum_all("range", "1,5") == 10
    assert src.log.filters == [INT64_MIN]


def test_e1_none_is_refused_before_the_engine_sees_it(objects: int) -> None:
    e = engine_with(Range())
    with pytest.raises(TypeError):
        e.register("range", None)  # type: ignore[arg-type]
    assert e.sum("range", "1,5", 0, 0) == 10  # the registered source is still there


def test_e2_unknown_source_is_the_librarys_error() -> None:
    e = itf.Engine()
    with pytest.raises(itf.InterfacesError) as caught:
        e.sum("nothing", "", 0, 0)
    assert caught.value.code == itf.INTERFACES_NOT_FOUND == 2
    assert caught.value.message == "no such source"


def test_e3_closed_engine() -> None:
    e = itf.Engine()
    e.close()
    with pytest.raises(ValueError, match="closed"):
        e.register("range", Range())
    with pytest.raises(ValueError, match="closed"):
        e.sum("range", "1,5", 0, 0)


# ---- beyond the spec: Python specifics ----------------------------------------------------------


class MissingFilter:
    def open_cursor(self) -> object:
        return object()  # a cursor without any method


def test_a_required_method_missing_is_an_attribute_error(objects: int) -> None:
    class Source:
        def open(self, args: list[str]) -> MissingFilter:
            return MissingFilter()

    e = engine_with(Source())
    with pytest.raises(AttributeError, match="filter"):
        e.sum("range", "", 0, 0)
    assert itf.open_objects() == objects


def test_the_first_exception_wins_and_a_later_one_is_unraisable(objects: int, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(u.exc_value))
    first = LookupError("first")
    src = Faults("value", first)

    def failing_close() -> None:
        raise OSError("second")

    src.fault = "value"
    e = engine_with(src)
    original = src.make_table

    def make_table(lo: int, hi: int) -> RangeTable:
        table = original(lo, hi)
        table.close = failing_close  # type: ignore[method-assign]
        return table

    src.make_table = make_table  # type: ignore[method-assign]
    with pytest.raises(LookupError) as caught:
        e.sum("range", "1,5", 0, 0)
    assert caught.value is first
    assert [type(x) for x in seen] == [OSError]
    assert itf.open_objects() == objects


def test_a_method_raising_base_exception_subclasses_propagates(objects: int) -> None:
    src = Faults("value", KeyboardInterrupt())
    e = engine_with(src)
    with pytest.raises(KeyboardInterrupt):
        e.sum("range", "1,5", 0, 0)
    assert itf.open_objects() == objects
    assert e.errmsg() == "KeyboardInterrupt"  # an empty message: the type's name instead


def test_closing_the_engine_from_inside_a_method_is_refused(objects: int) -> None:
    class Closer(Range):
        engine: itf.Engine

        def open(self, args: list[str]) -> RangeTable:
            self.engine.close()  # the engine is running this very call
            return super().open(args)

    src = Closer()
    e = engine_with(src)
    src.engine = e
    with pytest.raises(RuntimeError, match="cannot close"):
        e.sum("range", "1,5", 0, 0)
    assert not e.closed
    src.open = lambda args: Range.open(src, args)  # type: ignore[method-assign]
    assert e.sum("range", "1,5", 0, 0) == 10
    e.close()
    assert e.closed


def test_protocols_exist_at_run_time_and_in_the_stub() -> None:
    assert {"Source", "Table", "Cursor"} <= set(vars(itf))
    assert itf.Source.__doc__ and "open" in dir(itf.Source)


def test_mypy_rejects_a_source_without_open(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    code = (
        "import interfaces\n"
        "class NotASource:\n"
        "    def open_cursor(self) -> None: ...\n"
        "interfaces.Engine().register('x', NotASource())\n"
    )
    path = tmp_path / "user.py"
    path.write_text(code)
    monkeypatch.setenv("MYPYPATH", os.path.dirname(os.path.dirname(itf.__file__)))
    out, _, status = api.run(["--strict", "--no-incremental", f"--cache-dir={tmp_path / 'cache'}", str(path)])
    assert status != 0
    assert 'incompatible type "NotASource"; expected "Source"' in out


def malloc_in_use() -> int:
    """Bytes the C heap has handed out right now (glibc's mallinfo2)."""

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in
                    ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                     "fordblks", "keepcost")]

    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = Mallinfo2
    info = libc.mallinfo2()
    return int(info.uordblks + info.hblkhd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallinfo2")
def test_a_releasing_methods_message_is_not_kept_in_the_object_it_frees(objects: int) -> None:
    # close() releases its table: a message stored in the table's error field would be freed with
    # nothing (the object's shim frees only the object). 400 closes raising 64 KiB messages would
    # leak 25 MiB.
    class ClosingTable(RangeTable):
        def close(self) -> None:
            raise OSError("x" * 65536)

    class Closing(Range):
        def make_table(self, lo: int, hi: int) -> RangeTable:
            return ClosingTable(self.log, lo, hi)

    e = engine_with(Closing())
    for _ in range(20):
        with pytest.raises(OSError):
            e.sum("range", "1,5", 0, 0)
    gc.collect()
    before = malloc_in_use()
    for _ in range(400):
        with pytest.raises(OSError):
            e.sum("range", "1,5", 0, 0)
    gc.collect()
    assert malloc_in_use() - before < 4 * 1024 * 1024
