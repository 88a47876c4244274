"""tests/fixtures/host_values/SPEC.md, driven from Python.

Any Python object (not None) travels through the library as `void *`: the object itself is the
box, holding a strong reference that the library gives back through the binding's release
function. A tagged slot hands a value back only under this module's own tag
("bindery:python:host_values"); an untagged one (like SQLite's aux data) holds only this binding's
boxes. Counters are compared with their values at the test's start.
"""
import gc
import sys
import threading
import weakref
from collections.abc import Iterator

import pytest

import host_values as hv


class Thing:
    """A fresh object that can be weakly referenced."""


def dead(ref: "weakref.ref[Thing]") -> bool:
    gc.collect()
    return ref() is None


@pytest.fixture
def base() -> Iterator[tuple[int, int]]:
    gc.collect()
    start = (hv.live(), hv.releases())
    yield start
    gc.collect()
    assert hv.live() == start[0]


def test_h1_to_h4_tagged_values(base: tuple[int, int]) -> None:
    live, releases = base
    s = hv.Store.new()
    o = Thing()
    s.put(0, o)
    assert s.get(0) is o  # H1: the very same object
    assert hv.live() == live + 1
    ref = weakref.ref(o)
    del o
    gc.collect()
    assert ref() is not None and s.get(0) is ref()  # H2: the store keeps it alive
    p = Thing()
    s.put(0, p)  # H3: the old value is released
    assert hv.releases() == releases + 1
    assert dead(ref)
    assert s.get(0) is p
    q = Thing()
    qref = weakref.ref(q)
    with pytest.raises(IndexError):  # H4: out of range; released at once by the library
        s.put(9, q)
    del q
    assert hv.releases() == releases + 2
    assert dead(qref)
    assert hv.live() == live + 1
    s.close()
    assert hv.live() == live


def test_h5_empty_and_foreign_slots_are_absent(base: tuple[int, int]) -> None:
    s = hv.Store.new()
    assert s.get(5) is None
    s.put_foreign(1, "foreign")  # the library's own pointer under another tag
    assert s.get(1) is None
    s.close()


def test_h6_h7_untagged_values(base: tuple[int, int]) -> None:
    live, releases = base
    s = hv.Store.new()
    r = Thing()
    ref = weakref.ref(r)
    s.set(2, r)
    assert s.lookup(2) is r
    assert s.lookup(3) is None
    del r
    assert s.remove(2) is True  # H7
    assert hv.releases() == releases + 1
    assert dead(ref)
    assert s.remove(2) is False
    s.close()


@pytest.mark.parametrize("how", ["close", "collect"])
def test_h8_destroying_the_store_releases_every_value(base: tuple[int, int], how: str) -> None:
    s = hv.Store.new()
    p, r2 = Thing(), Thing()
    refs = [weakref.ref(p), weakref.ref(r2)]
    s.put(0, p)
    s.set(2, r2)
    s.put_foreign(1, "foreign")
    del p, r2
    if how == "close":
        s.close()
    else:
        del s
    assert all(dead(ref) for ref in refs)
    assert hv.live() == base[0]


def test_any_object_round_trips(base: tuple[int, int]) -> None:
    s = hv.Store.new()
    for value in [42, "text", [1, 2], (3,), {"k": "v"}, Thing, len, 1.5, b"x", True]:
        s.put(0, value)
        assert s.get(0) is value
        s.set(1, value)
        assert s.lookup(1) is value
    s.close()


def test_h9_many_replacements_do_not_leak(base: tuple[int, int]) -> None:
    s = hv.Store.new()
    gc.collect()
    objects = len(gc.get_objects())
    for i in range(10_000):
        s.put(0, [i])
        s.set(1, [i])
    assert len(gc.get_objects()) - objects < 100
    assert s.get(0) == [9_999]
    s.close()


def test_refcounts_are_exact(base: tuple[int, int]) -> None:
    s = hv.Store.new()
    o = Thing()
    before = sys.getrefcount(o)
    s.put(0, o)
    assert sys.getrefcount(o) == before + 1  # the box's reference
    got = s.get(0)
    assert sys.getrefcount(o) == before + 2  # + the new reference get returned
    del got
    s.remove(0)
    assert sys.getrefcount(o) == before
    s.close()


def test_release_from_a_thread_without_the_gil(base: tuple[int, int]) -> None:
    # A finaliser or another thread may run the library's destroy: releasing takes the GIL itself.
    s = hv.Store.new()
    o = Thing()
    ref = weakref.ref(o)
    s.put(0, o)
    del o
    t = threading.Thread(target=s.close)
    t.start()
    t.join()
    assert dead(ref)


def test_e1_none_is_not_a_value(base: tuple[int, int]) -> None:
    s = hv.Store.new()
    with pytest.raises(TypeError, match="None"):
        s.put(0, None)
    with pytest.raises(TypeError, match="None"):
        s.set(0, None)
    assert hv.live() == base[0]
    s.close()


def test_e2_closed_store(base: tuple[int, int]) -> None:
    s = hv.Store.new()
    s.close()
    with pytest.raises(ValueError, match="closed"):
        s.get(0)


def test_e3_a_bad_key_retains_nothing(base: tuple[int, int]) -> None:
    s = hv.Store.new()
    o = Thing()
    before = sys.getrefcount(o)
    with pytest.raises(TypeError):
        s.put("x", o)  # type: ignore[arg-type]
    assert sys.getrefcount(o) == before
    assert hv.live() == base[0]
    s.close()
