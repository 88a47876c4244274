"""tests/fixtures/scalars/SPEC.md, driven from Python. Every *_in_* verdict is computed in C."""
import math

import pytest

import scalars as s

BOUNDS = {
    8: (-(2**7), 2**7 - 1),
    16: (-(2**15), 2**15 - 1),
    32: (-(2**31), 2**31 - 1),
    64: (-(2**63), 2**63 - 1),
}


def test_s1_noop_returns_none_and_runs_in_c() -> None:
    before = s.noop_calls()
    assert s.noop() is None  # type: ignore[func-returns-value]
    assert s.noop() is None  # type: ignore[func-returns-value]
    assert s.noop_calls() == before + 2


def test_s2_s3_add_wraps_in_c() -> None:
    assert s.add(2, 3) == 5
    assert s.add(-7, 7) == 0
    assert s.add(2147483647, 1) == -2147483648


def test_s4_default_argument() -> None:
    assert s.add(5) == 5
    assert s.add(a=5, b=2) == 7  # keywords use the C parameter names


@pytest.mark.parametrize("bits", [8, 16, 32, 64])
def test_s5_s6_signed_bounds(bits: int) -> None:
    lo, hi = BOUNDS[bits]
    assert getattr(s, f"int{bits}_in_max")(hi) is True
    assert getattr(s, f"int{bits}_in_min")(lo) is True
    assert getattr(s, f"int{bits}_out_max")() == hi
    assert getattr(s, f"int{bits}_out_min")() == lo


@pytest.mark.parametrize("bits", [8, 16, 32, 64])
def test_s7_s8_unsigned_bounds(bits: int) -> None:
    assert getattr(s, f"uint{bits}_in_max")(2**bits - 1) is True
    assert getattr(s, f"uint{bits}_in_min")(0) is True
    assert getattr(s, f"uint{bits}_out_max")() == 2**bits - 1
    assert getattr(s, f"uint{bits}_out_min")() == 0


def test_s9_the_check_is_real() -> None:
    assert s.int8_in_max(126) is False
    assert s.uint8_in_min(1) is False


def test_s10_identities() -> None:
    assert s.int64_identity(-1234567890123) == -1234567890123
    assert s.uint64_identity(18446744073709551614) == 18446744073709551614


def test_s11_double_specials() -> None:
    assert s.double_identity(math.inf) == math.inf
    assert math.isnan(s.double_identity(math.nan))


def test_s12_s13_bool() -> None:
    assert s.bool_in_true(True) is True
    assert s.bool_in_false(False) is True
    assert s.bool_out_true() is True
    assert s.bool_out_false() is False
    assert s.bool_not(True) is False
    assert s.bool_not(False) is True


def test_s14_to_s18_floating_point() -> None:
    assert s.float_in_max(3.4028234663852886e38) is True
    assert s.float_out_max() == 3.4028234663852886e38
    assert s.float_in_tenth(0.1) is True
    assert s.float_out_tenth() == 0.10000000149011612
    assert s.double_in_max(1.7976931348623157e308) is True
    assert s.double_out_max() == 1.7976931348623157e308
    assert s.double_in_tenth(0.1) is True
    assert s.double_out_tenth() == 0.1


def test_s19_char() -> None:
    assert s.char_in("A") is True
    assert s.char_in("a") is False
    assert s.char_out() == "Z"


@pytest.mark.parametrize(
    "call",
    [
        lambda: s.int8_in_max(128),
        lambda: s.int8_in_min(-129),
        lambda: s.uint8_in_min(-1),
        lambda: s.uint32_in_max(4294967296),
        lambda: s.int64_in_max(2**63),
        lambda: s.uint64_in_max(2**64),
        lambda: s.int32_in_max(10**100),
        lambda: s.float_in_max(1e39),
    ],
)
def test_e1_e2_e3_out_of_range_is_overflow_error(call) -> None:  # type: ignore[no-untyped-def]
    before = s.noop_calls()
    with pytest.raises(OverflowError):
        call()
    assert s.noop_calls() == before


def test_e4_non_integer_is_type_error() -> None:
    with pytest.raises(TypeError):
        s.add(1.5, 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        s.add("1", 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        s.add(None, 2)  # type: ignore[arg-type]


def test_e5_bool_is_strict_in_python() -> None:
    # Documented choice for Python: only True/False convert; 1, None or "yes" are a TypeError,
    # because a silently truthy argument hides bugs at the boundary.
    for v in (1, 0, None, "yes", 1.0):
        with pytest.raises(TypeError):
            s.bool_in_true(v)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["AB", "", "é", 65])
def test_e6_e7_char_takes_one_ascii_character(bad: object) -> None:
    with pytest.raises(TypeError):
        s.char_in(bad)  # type: ignore[arg-type]


def test_arity_and_keywords_are_checked() -> None:
    with pytest.raises(TypeError):
        s.add()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        s.add(1, 2, 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        s.add(1, c=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        s.add(1, a=2)  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.noop(1)  # type: ignore[call-arg]


def test_index_protocol_objects_are_integers() -> None:
    class Seven:
        def __index__(self) -> int:
            return 7

    assert s.int64_identity(Seven()) == 7  # type: ignore[arg-type]
    assert s.uint64_identity(Seven()) == 7  # type: ignore[arg-type]
    assert s.int64_identity(True) == 1  # bool is an int in Python
