"""Interface methods whose result C reads as a value (tests/python/interface_values/): a float, a
range-checked int8_t and an enum. A result that does not convert is an exception of the method
(C gets `on_error`), raised by the call that ran the method.
"""
import gc
import weakref

import pytest

import values as v


class Source:
    def __init__(self) -> None:
        self.small_result: object = 7
        self.color_result: object = v.Color.GREEN

    def scale(self, x: float) -> float:
        return x * 2.5

    def small(self) -> int:
        return self.small_result  # type: ignore[return-value]  # some tests return wrong types

    def color(self) -> v.Color:
        return self.color_result  # type: ignore[return-value]


def test_values_reach_c() -> None:
    hub = v.Hub()
    hub.register(Source())
    assert hub.scale(4.0) == 10.0
    assert hub.small() == 7
    assert hub.color() == v.Color.GREEN


def test_an_int_out_of_range_is_raised_never_truncated() -> None:
    hub = v.Hub()
    src = Source()
    hub.register(src)
    src.small_result = 300  # an int8_t cannot hold it: never truncated
    with pytest.raises(OverflowError, match=r"the result of Source.small\(\): 300 does not fit in int8_t"):
        hub.small()
    src.small_result = -128
    assert hub.small() == -128
    src.small_result = "7"
    with pytest.raises(TypeError):
        hub.small()


def test_an_enum_result_must_be_a_member() -> None:
    hub = v.Hub()
    src = Source()
    hub.register(src)
    src.color_result = 5  # no member has the value 5
    with pytest.raises(ValueError):
        hub.color()
    src.color_result = v.Color.RED
    assert hub.color() == v.Color.RED


def test_a_raising_method_gives_c_on_error_then_raises() -> None:
    class Failing(Source):
        def scale(self, x: float) -> float:
            raise ArithmeticError("no scale")

    hub = v.Hub()
    hub.register(Failing())
    with pytest.raises(ArithmeticError, match="no scale"):
        hub.scale(1.0)
    assert hub.small() == 7  # nothing pending afterwards


def test_the_source_is_released_with_the_hub() -> None:
    hub = v.Hub()
    src = Source()
    ref = weakref.ref(src)
    hub.register(src)
    del src
    gc.collect()
    assert ref() is not None
    hub.close()
    gc.collect()
    assert ref() is None
