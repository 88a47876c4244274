"""double_input from Python: one C function, range-checked both ways."""
import pytest

import double_input


def test_doubles() -> None:
    assert double_input.double_input(21) == 42
    assert double_input.double_input(-4) == -8
    assert double_input.double_input(0) == 0


def test_wraps_like_the_c_library() -> None:
    assert double_input.double_input(2**30) == -(2**31)
    assert double_input.double_input(2**31 - 1) == -2


def test_refuses_what_c_cannot_take() -> None:
    with pytest.raises(OverflowError):
        double_input.double_input(2**31)
    with pytest.raises(TypeError):
        double_input.double_input(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        double_input.double_input()  # type: ignore[call-arg]


def test_docstring_from_the_header() -> None:
    assert "Returns twice" in (double_input.double_input.__doc__ or "")
