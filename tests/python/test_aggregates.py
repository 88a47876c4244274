"""tests/fixtures/aggregates/SPEC.md, driven from Python.

An aggregate is registered as a factory (any callable): the engine calls `step(ctx, value)` for
each row and `final(ctx)` once per group on one object per group, which the binding makes on the
group's first call by calling the factory and keeps in the group's state memory until `final` has
run. An exception inside a method reaches the engine as its error (aggregates_result_error) and is
raised again by `Engine.run`.
"""
import gc
import os
import pathlib
import sys
import weakref
from collections.abc import Iterator

import pytest

import aggregates as agg


class Sum:
    """`step` adds the value, `final` reports the total; counts instances made and alive."""

    made = 0
    alive: "weakref.WeakSet[Sum]" = weakref.WeakSet()
    keys: list[str] = []

    def __init__(self) -> None:
        Sum.made += 1
        Sum.alive.add(self)
        self.total = 0

    def step(self, ctx: agg.Context, value: int) -> None:
        Sum.keys.append(ctx.key())
        self.total += value

    def final(self, ctx: agg.Context) -> None:
        ctx.result_int(self.total)


class PositiveSum(Sum):
    """Raises on a negative value; records every final it ran."""

    finals: list[int] = []

    def step(self, ctx: agg.Context, value: int) -> None:
        if value < 0:
            raise ValueError(f"negative value {value}")
        super().step(ctx, value)

    def final(self, ctx: agg.Context) -> None:
        PositiveSum.finals.append(self.total)
        super().final(ctx)


@pytest.fixture(autouse=True)
def counted() -> Iterator[None]:
    """Fresh counters; after the test every group's slot is freed and no Sum is alive (A3)."""
    Sum.made = 0
    Sum.keys = []
    PositiveSum.finals = []
    gc.collect()
    yield
    gc.collect()
    assert agg.live_states() == 0
    assert len(Sum.alive) == 0


def test_a1_one_object_per_group() -> None:
    e = agg.Engine()
    e.register("sum", Sum)
    assert e.run("sum", "a:1,b:5,a:2") == "a=3,b=5"
    assert Sum.made == 2


def test_a2_step_sees_the_groups_key() -> None:
    e = agg.Engine()
    e.register("sum", Sum)
    e.run("sum", "a:1,b:5,a:2")
    assert Sum.keys == ["a", "b", "a"]


def test_a3_every_groups_object_is_released_after_final() -> None:
    e = agg.Engine()
    e.register("sum", Sum)
    e.run("sum", "a:1,b:5,c:7")
    # Released by final itself (no collection needed: nothing else refers to them).
    assert len(Sum.alive) == 0
    assert agg.live_states() == 0
    e.close()


def test_a4_no_rows_no_factory_call() -> None:
    e = agg.Engine()
    e.register("sum", Sum)
    assert e.run("sum", "") == ""
    assert Sum.made == 0


def test_a5_step_raises_the_very_exception_and_final_still_runs() -> None:
    e = agg.Engine()
    e.register("sum", PositiveSum)
    with pytest.raises(ValueError) as caught:
        e.run("sum", "a:1,b:-5,a:2")
    assert str(caught.value) == "negative value -5"
    assert e.errmsg() == "negative value -5"  # through error_call
    assert PositiveSum.finals == [1, 0]  # both groups' final ran; the engine stopped after b
    del caught  # its traceback holds step's frame, and so b's object
    gc.collect()
    assert len(Sum.alive) == 0
    # The engine works again afterwards.
    assert e.run("sum", "a:1,a:2") == "a=3"


def unraisable_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages of the exceptions reported unraisable (a second exception during one C call); only
    the text is kept, so no traceback keeps a group's object alive."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(f"{type(u.exc_value).__name__}: {u.exc_value}"))
    return seen


def test_a6_final_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    class FailingFinal(Sum):
        def final(self, ctx: agg.Context) -> None:
            raise KeyError(f"final of {ctx.key()} broke")

    seen = unraisable_messages(monkeypatch)
    e = agg.Engine()
    e.register("sum", FailingFinal)
    with pytest.raises(KeyError, match="final of a broke"):
        e.run("sum", "a:1,b:2")
    assert e.errmsg() == "'final of a broke'"
    # b's final ran too; its exception came second (the first one wins).
    assert seen == ["KeyError: 'final of b broke'"]
    gc.collect()  # the exception's traceback held a's object until pytest.raises dropped it
    assert len(Sum.alive) == 0


def test_a6_the_first_exception_wins_over_a_later_final(monkeypatch: pytest.MonkeyPatch) -> None:
    class BothFail(Sum):
        def step(self, ctx: agg.Context, value: int) -> None:
            raise ValueError("step broke")

        def final(self, ctx: agg.Context) -> None:
            raise KeyError("final broke")

    seen = unraisable_messages(monkeypatch)
    e = agg.Engine()
    e.register("sum", BothFail)
    with pytest.raises(ValueError, match="step broke"):
        e.run("sum", "a:1")
    assert e.errmsg() == "step broke"
    assert seen == ["KeyError: 'final broke'"]
    gc.collect()
    assert len(Sum.alive) == 0


def test_a7_the_factory_raises() -> None:
    calls = 0

    def broken() -> Sum:
        nonlocal calls
        calls += 1
        raise OSError("no factory today")

    e = agg.Engine()
    e.register("sum", broken)
    with pytest.raises(OSError, match="no factory today"):
        e.run("sum", "a:1,b:2")
    assert e.errmsg() == "no factory today"
    # step of a failed and the engine stopped; final of a had no object to release (the factory
    # is not called again only to make one after the error).
    assert calls == 1
    assert agg.live_states() == 0


def test_a8_the_factory_returns_none() -> None:
    e = agg.Engine()
    e.register("sum", lambda: None)  # type: ignore[arg-type, return-value]  # deliberate
    with pytest.raises(TypeError, match="returned None"):
        e.run("sum", "a:1")


def test_a9_a_context_kept_past_its_call_is_closed() -> None:
    kept: list[agg.Context] = []

    class Keeper(Sum):
        def step(self, ctx: agg.Context, value: int) -> None:
            kept.append(ctx)
            super().step(ctx, value)

    e = agg.Engine()
    e.register("sum", Keeper)
    assert e.run("sum", "a:4") == "a=4"
    assert kept[0].closed
    with pytest.raises(ValueError, match="closed"):
        kept[0].key()
    with pytest.raises(ValueError, match="closed"):
        kept[0].result_int(1)


def test_a10_a_replaced_factory_is_released_and_close_releases_the_last() -> None:
    class Factory:
        def __call__(self) -> Sum:
            return Sum()

    first, other = Factory(), Factory()
    first_ref, other_ref = weakref.ref(first), weakref.ref(other)
    e = agg.Engine()
    e.register("sum", first)
    e.register("sum", other)
    del first
    gc.collect()
    assert first_ref() is None
    assert e.run("sum", "a:1") == "a=1"
    del other
    gc.collect()
    assert other_ref() is not None  # the engine holds it
    e.close()
    gc.collect()
    assert other_ref() is None


def test_a11_thousands_of_runs_keep_nothing() -> None:
    e = agg.Engine()
    e.register("sum", Sum)
    for _ in range(50):
        e.run("sum", "a:1,b:2,c:3")
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(2000):
        assert e.run("sum", "a:1,b:2,c:3") == "a=1,b=2,c=3"
    gc.collect()
    assert len(gc.get_objects()) - before < 50
    assert agg.live_states() == 0
    assert Sum.made == 2050 * 3


def test_a11_thousands_of_failing_runs_keep_nothing() -> None:
    e = agg.Engine()
    e.register("sum", PositiveSum)
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(2000):
        with pytest.raises(ValueError):
            e.run("sum", "a:1,b:-2,c:3")
    gc.collect()
    assert len(gc.get_objects()) - before < 50
    assert agg.live_states() == 0


def test_e1_none_is_refused_before_the_engine_sees_it() -> None:
    e = agg.Engine()
    e.register("sum", Sum)
    with pytest.raises(TypeError, match="got None"):
        e.register("sum", None)  # type: ignore[arg-type]
    assert e.run("sum", "a:1") == "a=1"  # the registered aggregate is still there


def test_e2_unknown_aggregate_is_the_librarys_error() -> None:
    e = agg.Engine()
    with pytest.raises(agg.AggregatesError) as caught:
        e.run("nothing", "a:1")
    assert caught.value.message == "no such aggregate"


def test_e3_malformed_rows_after_final_of_the_first_group() -> None:
    e = agg.Engine()
    e.register("sum", PositiveSum)
    with pytest.raises(agg.AggregatesError) as caught:
        e.run("sum", "a:1,B:2")
    assert caught.value.message == "malformed rows"
    assert PositiveSum.finals == [1]


def test_a_missing_method_is_an_attribute_error() -> None:
    class NoFinal:
        def step(self, ctx: agg.Context, value: int) -> None:
            pass

    e = agg.Engine()
    e.register("sum", NoFinal)  # type: ignore[arg-type]  # deliberate: no final
    with pytest.raises(AttributeError, match="final"):
        e.run("sum", "a:1")
    assert agg.live_states() == 0


def test_base_exceptions_propagate_and_release() -> None:
    class Interrupted(Sum):
        def step(self, ctx: agg.Context, value: int) -> None:
            raise KeyboardInterrupt

    e = agg.Engine()
    e.register("sum", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        e.run("sum", "a:1,b:2")
    gc.collect()
    assert len(Sum.alive) == 0


def test_protocol_and_factory_type_in_the_stub() -> None:
    assert getattr(agg.Aggregate, "_is_protocol", False)  # a typing.Protocol, also at run time
    stub = pathlib.Path(agg.__file__).with_suffix(".pyi").read_text()
    assert "class Aggregate(Protocol):" in stub
    assert "Callable[[], Aggregate]" in stub


def test_mypy_rejects_a_factory_of_the_wrong_objects(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    code = (
        "import aggregates\n"
        "class NoFinal:\n"
        "    def step(self, ctx: aggregates.Context, value: int, /) -> None: ...\n"
        "class Good(NoFinal):\n"
        "    def final(self, ctx: aggregates.Context, /) -> None: ...\n"
        "e = aggregates.Engine()\n"
        "e.register('good', Good)\n"
        "e.register('bad', NoFinal)\n"
    )
    path = tmp_path / "user.py"
    path.write_text(code)
    monkeypatch.setenv("MYPYPATH", os.path.dirname(os.path.dirname(agg.__file__)))
    out, _, status = api.run(["--strict", "--no-incremental", f"--cache-dir={tmp_path / 'cache'}", str(path)])
    assert status != 0
    assert out.count("error:") == 1, out
    assert "user.py:8:" in out, out
