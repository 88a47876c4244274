"""The C++ library examples/shapes from Python: C++ → generated C layer → CPython extension.

Registered from tests/python/CMakeLists.txt as python.shapes (examples/shapes/CMakeLists.txt does
not add this folder yet). Exceptions thrown in C++ arrive as the library's error with its kind:
std::invalid_argument → ValueError, std::out_of_range → IndexError, both also ShapesError.
"""
import math
from typing import TypeVar

import pytest

import shapes as s
from shapes import Point, Polygon

T = TypeVar("T")


def some(value: T | None) -> T:
    """The C layer's convention says any call may return SHAPES_NONE (it has `eof` on the
    convention, not on the functions that return optionals), so the stubs say `| None` too."""
    assert value is not None
    return value


def test_static_factory_and_borrowed_name() -> None:
    with some(Polygon.square(2.0)) as p:
        assert p.name() == "square"
        assert p.size() == 4
        assert p.area() == pytest.approx(4.0)
        assert p.vertex(1) == Point(2.0, 0.0)


def test_constructor_from_text_and_a_slice() -> None:
    p = some(Polygon.new_str_f64s("tri", [0.0, 0.0, 4.0, 0.0, 0.0, 3.0]))
    assert p.size() == 3
    assert p.area() == pytest.approx(6.0)
    coords = p.coordinates()
    assert coords is not None
    assert coords.format == "d"
    assert coords.tolist() == [0.0, 0.0, 4.0, 0.0, 0.0, 3.0]
    del coords  # a view keeps the polygon open: release it first
    p.close()


def test_records_and_optionals() -> None:
    p = some(Polygon.square(2.0))
    assert p.centroid() == Point(1.0, 1.0)
    assert p.find(Point(2.0, 2.0)) == 2
    assert p.find(Point(9.0, 9.0)) is None
    empty = some(Polygon.new_str_f64s("empty", []))
    assert empty.centroid() is None
    assert s.distance(Point(0.0, 0.0), Point(3.0, 4.0)) == 5.0
    assert s.parse_point("1.5,2") == Point(1.5, 2.0)


def test_regular_polygon_with_default_radius() -> None:
    p = some(Polygon.regular(6))
    assert p.size() == 6
    assert p.area() == pytest.approx(3 * math.sqrt(3) / 2)


def test_enum_round_trip() -> None:
    p = some(Polygon.square(1.0))
    assert p.color() is s.Color.RED
    p.set_color(s.Color.BLUE)
    assert p.color() is s.Color.BLUE


def test_invalid_argument_is_value_error() -> None:
    with pytest.raises(ValueError) as info:
        Polygon.regular(2, 1.0)
    assert isinstance(info.value, s.ShapesError)
    assert isinstance(info.value, s.ShapesValueError)
    assert info.value.code == s.SHAPES_ERROR_INVALID_ARGUMENT
    assert "3" in str(info.value)  # the C++ exception's message
    with pytest.raises(ValueError):
        s.parse_point("nonsense")


def test_out_of_range_is_index_error() -> None:
    p = some(Polygon.square(1.0))
    with pytest.raises(IndexError) as info:
        p.vertex(10)
    assert isinstance(info.value, s.ShapesError)
    assert info.value.code == s.SHAPES_ERROR_OUT_OF_RANGE


def test_bad_alloc_is_memory_error() -> None:
    p = some(Polygon.square(1.0))
    with pytest.raises(MemoryError) as info:
        p.reserve(2**33)
    assert isinstance(info.value, s.ShapesError)
    assert isinstance(info.value, s.ShapesMemoryError)


def test_canvas_takes_polygons_over() -> None:
    with s.Canvas() as c:
        p = some(Polygon.square(2.0))
        c.add(p)
        assert p.closed  # consumed: the canvas owns it now
        c.add(some(Polygon.square(1.0)))
        assert c.count() == 2
        assert c.total_area() == pytest.approx(5.0)
