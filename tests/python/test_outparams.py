"""tests/fixtures/outparams/SPEC.md, driven from Python."""
import pytest

import outparams as p


def test_p1_p2_outs_become_a_tuple() -> None:
    assert p.divmod(17, 5) == (3, 2)
    assert p.divmod(-17, 5) == (-3, -2)
    assert p.split(3.75) == (3, 0.75)
    assert p.split(-2.5) == (-2, -0.5)


def test_p3_each_out_typed_as_its_c_type() -> None:
    assert p.all_kinds() == (True, -8, 65535, 9223372036854775807, 0.5, -2.25, "k")
    assert type(p.all_kinds()[0]) is bool


def test_p4_p5_return_value_first() -> None:
    assert p.sum_and_product(6, 7) == (13, 42)
    assert p.sum_and_product(2147483647, 2147483647) == (4294967294, 4611686014132420609)


def test_p6_p7_p8_in_out() -> None:
    assert p.increment(41) == 42
    assert p.increment(2147483647) == -2147483648
    assert p.swap(1, 2) == (2, 1)
    assert p.fetch_add(10, 5) == (10, 15)


def test_p9_status_not_returned() -> None:
    assert p.parse_u16("65535") == 65535
    assert p.parse_u16("0") == 0


def test_p10_p11_zero_initialised() -> None:
    assert p.try_half(10) == (True, 5)
    assert p.try_half(-4) == (True, -2)
    assert p.try_half(7) == (False, 0)


def test_e1_precondition_before_c() -> None:
    with pytest.raises(ValueError, match="precondition"):
        p.divmod(1, 0)
    with pytest.raises(ValueError, match="precondition"):
        p.divmod(-2147483648, -1)


@pytest.mark.parametrize("text", ["65536", "", "-1"])
def test_e2_library_error(text: str) -> None:
    with pytest.raises(p.Error) as info:
        p.parse_u16(text)
    assert info.value.code == 1
    assert info.value.message == "not a decimal number in 0..65535"


def test_e3_e4_range_and_arity() -> None:
    with pytest.raises(OverflowError):
        p.increment(2**31)
    with pytest.raises(TypeError):
        p.swap(1)  # type: ignore[call-arg]


# ---- output lengths: a T ** output paired with its count (length: {out: P}) -------------------------

def test_p12_text_output_of_exactly_its_length_keeps_nuls() -> None:
    assert p.repeat("ab", 2) == "ab\0ab\0"  # the value, not a (value, length) tuple
    assert p.repeat("é", 3) == "é\0é\0é\0"
    assert p.repeat("x", 0) == ""


def test_p13_slice_output_of_exactly_its_count() -> None:
    assert p.squares(4) == [0.0, 1.0, 4.0, 9.0]
    assert p.squares(0) == []
    with pytest.raises(p.Error):
        p.squares(1001)
    for _ in range(10_000):  # owned: freed with outparams_free after each copy
        p.squares(100)
