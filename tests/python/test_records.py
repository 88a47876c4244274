"""tests/fixtures/records/SPEC.md, driven from Python.

A record is a class whose storage is the C struct: attributes are range-checked when set (E1 is
raised at assignment), a nested record's attribute is a view into the enclosing record, and a
record passed to C is copied (changing the Python object afterwards never changes C state).
"""
import copy

import pytest

import records as r
from records import Mixed, Point, Rect


def test_c1_make() -> None:
    p = r.point_make(3, 4)
    assert isinstance(p, Point)
    assert (p.x, p.y) == (3, 4)
    assert p == Point(3, 4)
    assert repr(p) == "Point(x=3, y=4)"


def test_c2_add_and_c3_fields_in_the_right_order() -> None:
    assert r.point_add(Point(3, 4), Point(-2, -6)) == Point(1, -2)
    assert r.point_in(Point(1, -2)) is True
    assert r.point_in(Point(-2, 1)) is False
    assert r.point_in(Point(x=1, y=-2)) is True
    assert r.point_in(Point(y=-2, x=1)) is True


def test_c4_nested_record() -> None:
    rect = r.rect_make(10, 20, 4, 6)
    assert rect == Rect(origin=Point(10, 20), size=Point(4, 6))
    assert repr(rect) == "Rect(origin=Point(x=10, y=20), size=Point(x=4, y=6))"


def test_c5_int64_result() -> None:
    assert r.rect_area(Rect(Point(10, 20), Point(4, 6))) == 24
    assert r.rect_area(r.rect_make(0, 0, 100000, 100000)) == 10000000000


def test_c6_contains() -> None:
    rect = r.rect_make(10, 20, 4, 6)
    assert r.rect_contains(rect, Point(10, 20)) is True
    assert r.rect_contains(rect, Point(14, 20)) is False
    assert r.rect_contains(rect, Point(13, 25)) is True


def test_c7_out_param_record_is_the_result() -> None:
    assert r.rect_center(r.rect_make(10, 20, 4, 6)) == Point(12, 23)


def test_c8_const_pointer_parameter_takes_a_value() -> None:
    assert r.rect_perimeter(r.rect_make(10, 20, 4, 6)) == 20


def test_c9_inout_returns_the_new_value_and_leaves_the_argument() -> None:
    p = Point(3, 4)
    assert r.point_scale(p, -2) == Point(-6, -8)
    assert p == Point(3, 4)


def test_c10_every_field_exact() -> None:
    m = r.mixed_make()
    assert m.flag is True
    assert m.small == 200
    assert m.ratio == 0.25
    assert m.big == -9223372036854775808
    assert m.letter == "q"
    assert m.weight == 1.5
    assert m == Mixed(flag=True, small=200, ratio=0.25, big=-(2**63), letter="q", weight=1.5)


def test_c11_a_changed_copy_is_a_different_value() -> None:
    m = r.mixed_make()
    assert r.mixed_in(m) is True
    m2 = copy.copy(m)
    m2.small = 201
    assert r.mixed_in(m2) is False
    assert r.mixed_in(m) is True  # the copy is independent
    assert copy.deepcopy(m) == m


def test_c12_value_equality() -> None:
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != (1, 2)  # type: ignore[comparison-overlap]
    with pytest.raises(TypeError):
        hash(Point(1, 2))  # mutable values are not hashable


def test_a_record_passed_to_c_is_a_copy() -> None:
    p = Point(1, -2)
    assert r.point_in(p) is True
    p.x = 5
    assert r.point_in(p) is False
    assert r.point_add(p, Point(0, 0)) == Point(5, -2)


def test_nested_attribute_is_a_view_into_the_enclosing_record() -> None:
    rect = Rect(Point(0, 0), Point(2, 3))
    rect.origin.x = 7  # reads as it writes: the rect changes
    assert rect.origin == Point(7, 0)
    origin = rect.origin
    del rect  # the view keeps the storage alive
    assert origin == Point(7, 0)
    outer = Rect(Point(0, 0), Point(1, 1))
    outer.size = Point(4, 5)  # assigning a record copies it in
    assert r.rect_area(outer) == 20


def test_e1_range_checked_when_set_and_when_built() -> None:
    with pytest.raises(OverflowError):
        Point(2**31, 0)
    p = Point(0, 0)
    with pytest.raises(OverflowError):
        p.x = 2**31
    assert p.x == 0  # a failed assignment changes nothing
    with pytest.raises(TypeError):
        p.y = 1.5  # type: ignore[assignment]


def test_e2_mixed_fields_checked() -> None:
    with pytest.raises(OverflowError):
        Mixed(flag=True, small=256, ratio=0.25, big=0, letter="q", weight=1.5)
    m = r.mixed_make()
    with pytest.raises(OverflowError):
        m.small = -1
    with pytest.raises(TypeError):
        m.flag = 1  # type: ignore[assignment]
    with pytest.raises(TypeError):
        m.letter = "qq"
    with pytest.raises(OverflowError):
        m.weight = 1e300


def test_e3_none_is_not_a_record() -> None:
    with pytest.raises(TypeError, match="expected Point"):
        r.point_in(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected Point"):
        r.point_in((1, -2))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected Point"):
        r.rect_contains(r.rect_make(0, 0, 1, 1), Rect(Point(0, 0), Point(0, 0)))  # type: ignore[arg-type]


def test_e4_missing_field() -> None:
    with pytest.raises(TypeError, match="missing required argument 'y'"):
        Point(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, 2, z=3)  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        del Point(1, 2).x
