"""tests/fixtures/optional/SPEC.md, driven from Python."""
import gc
from collections.abc import Iterator

import pytest

import optional as o


@pytest.fixture(autouse=True)
def no_leak() -> Iterator[None]:
    yield
    gc.collect()
    assert o.live_items() == 0


def test_o1_o2_absent_text_is_none() -> None:
    assert o.number_name(1) == "one"
    assert o.number_name(3) == "three"
    assert o.number_name(0) is None
    assert o.number_name(4) is None


def test_o3_o4_optional_constructor() -> None:
    i = o.Item.new_if_positive(7)
    assert i is not None
    assert i.value() == 7
    assert o.live_items() == 1
    i.close()
    assert o.live_items() == 0
    assert o.Item.new_if_positive(0) is None
    assert o.Item.new_if_positive(-5) is None
    assert o.live_items() == 0


def test_o5_o6_o7_optional_label() -> None:
    i = o.Item.new(7)
    assert i.label() is None
    i.set_label("seven")
    s = i.label()
    assert s == "seven"
    i.set_label("eight")
    i.close()
    assert s == "seven"
    j = o.Item.new(1)
    j.set_label("x")
    j.set_label(None)
    assert j.label() is None
    j.set_label("y")
    j.set_label()  # the nullable argument may be omitted too
    assert j.label() is None


def test_o8_absent_and_empty_differ() -> None:
    assert o.length_or_minus_one(None) == -1
    assert o.length_or_minus_one("") == 0
    assert o.length_or_minus_one("abc") == 3


def test_o9_optional_handle() -> None:
    i = o.Item.new(7)
    assert o.value_or(i, -1) == 7
    assert o.value_or(None, -1) == -1


def test_o10_default_argument() -> None:
    assert o.scale(21) == 42
    assert o.scale(21, 3) == 63
    assert o.scale(21, factor=3) == 63


def test_o11_o12_o13_outs_are_a_tuple_and_zero_initialised() -> None:
    assert o.divide(17, 5) == (True, 3, 2)
    assert o.divide(-17, 5) == (True, -3, -2)
    assert o.divide(1, 0) == (False, 0, 0)
    assert o.divide(-2147483648, -1) == (False, 0, 0)


def test_e1_e2_e3_refusals() -> None:
    with pytest.raises(TypeError):
        o.Item.new(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        o.scale(None)  # type: ignore[arg-type]
    i = o.Item.new(1)
    i.close()
    with pytest.raises(ValueError):
        i.value()
    with pytest.raises(TypeError):
        o.value_or("x", 1)  # type: ignore[arg-type]
