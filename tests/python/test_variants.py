"""tests/fixtures/variants/SPEC.md, driven from Python.

One C function bound as several typed methods (`variants:`): each calls a `static inline` shim
the generated module defines after the library's #includes, so a `void *` becomes concrete and
variadic functions take typed arguments.
"""
import pytest

import variants as va


def test_v1_swap_scale_through_an_inout_int() -> None:
    d = va.Dial.new()
    assert d.swap_scale(5) == 1
    assert d.scale() == 5
    assert d.swap_scale(7) == 5
    d.close()


def test_v2_rename_makes_the_void_pointer_text() -> None:
    with va.Dial.new() as d:
        d.rename("knob")
        assert d.name() == "knob"
        d.rename("Grüße ✓")
        assert d.name() == "Grüße ✓"


def test_v3_set_limit_returns_the_previous_limit() -> None:
    with va.Dial.new() as d:
        assert d.set_limit(10) == 0
        assert d.limit() == 10
        assert d.set_limit(3) == 10


def test_v4_reset_the_variadic_call_without_further_arguments() -> None:
    with va.Dial.new() as d:
        d.swap_scale(9)
        d.rename("x")
        d.set_limit(4)
        d.reset()
        assert (d.scale(), d.name(), d.limit()) == (1, "", 0)


def test_v5_sum3() -> None:
    assert va.sum3(1, 2, 3) == 6
    assert va.sum3(-1, 0, 2147483647) == 2147483646


def test_v6_only_the_variants_are_bound() -> None:
    for name in ("control", "config", "dial_control", "dial_config"):
        assert not hasattr(va.Dial, name)
    assert not hasattr(va, "sum")
    assert not hasattr(va, "dial_control")


def test_e1_an_invalid_value_is_a_value_error() -> None:
    with va.Dial.new() as d:
        d.set_limit(5)
        with pytest.raises(ValueError) as info:
            d.set_limit(-1)
        assert isinstance(info.value, va.VariantsError)
        assert info.value.code == -1
        assert d.limit() == 5


def test_e2_type_and_arity_errors_before_c_is_called() -> None:
    with va.Dial.new() as d:
        with pytest.raises(TypeError):
            d.rename(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            d.swap_scale("x")  # type: ignore[arg-type]
        assert d.scale() == 1
    with pytest.raises(TypeError):
        va.sum3(1, 2)  # type: ignore[call-arg]


def test_e3_out_of_range() -> None:
    with va.Dial.new() as d:
        with pytest.raises(OverflowError):
            d.swap_scale(2**31)
        assert d.scale() == 1
