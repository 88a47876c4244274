"""tests/fixtures/enums/SPEC.md, driven from Python."""
import enum

import pytest

import enums as n


def test_n1_n6_values_are_the_c_values() -> None:
    assert issubclass(n.Color, enum.IntEnum)
    assert (n.Color.RED, n.Color.GREEN, n.Color.BLUE) == (0, 5, 6)
    assert (n.Mode.READ, n.Mode.WRITE, n.Mode.APPEND) == (1, 2, 3)


def test_n2_results_are_typed() -> None:
    assert n.color_next(n.Color.RED) is n.Color.GREEN
    assert n.color_next(n.Color.GREEN) is n.Color.BLUE
    assert n.color_next(n.Color.BLUE) is n.Color.RED
    assert isinstance(n.color_next(n.Color.RED), n.Color)


def test_n3_n4_n5_n7() -> None:
    assert n.color_in_blue(n.Color.BLUE) is True
    assert n.color_in_blue(n.Color.GREEN) is False
    assert n.color_in_blue(6) is True  # type: ignore[arg-type]  # a plain int that is a member's value is accepted
    assert n.color_name(n.Color.GREEN) == "green"
    assert n.sign_of(-9) is n.Sign.NEGATIVE
    assert n.Sign.NEGATIVE == -1  # type: ignore[comparison-overlap]
    assert n.sign_of(0) is n.Sign.ZERO
    assert n.sign_of(2**63 - 1) is n.Sign.POSITIVE
    assert n.mode_in_append(n.Mode.APPEND) is True
    assert n.mode_writes(n.Mode.WRITE) is True
    assert n.mode_writes(n.Mode.READ) is False


def test_n8_n9_n10_flags() -> None:
    assert issubclass(n.Perms, enum.IntFlag)
    assert n.perms_in_read_exec(n.Perms.READ | n.Perms.EXEC) is True
    assert n.perms_in_read_exec(n.Perms.READ | n.Perms.WRITE | n.Perms.EXEC) is False
    assert n.perms_default() == 3
    assert n.perms_without_write(n.Perms.READ | n.Perms.WRITE | n.Perms.EXEC) == 5
    assert n.perms_without_write(n.Perms(0)) == 0


def test_n11_members_in_c_value_order() -> None:
    assert list(n.Color) == [n.Color.RED, n.Color.GREEN, n.Color.BLUE]
    assert list(n.Perms) == [n.Perms.READ, n.Perms.WRITE, n.Perms.EXEC]


def test_e1_not_a_member_is_value_error() -> None:
    with pytest.raises(ValueError):
        n.color_next(7)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        n.color_next(1)  # type: ignore[arg-type]


def test_e2_member_of_another_enum_is_type_error() -> None:
    with pytest.raises(TypeError):
        n.mode_in_append(n.Color.BLUE)  # type: ignore[arg-type]


def test_e3_bit_outside_the_flag_set() -> None:
    with pytest.raises(ValueError):
        n.perms_in_read_exec(8)  # type: ignore[arg-type]


def test_e4_string_is_type_error() -> None:
    with pytest.raises(TypeError):
        n.color_next("red")  # type: ignore[arg-type]
