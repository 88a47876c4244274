"""tests/fixtures/lifetimes/SPEC.md, driven from Python.

Borrows that end at named calls are copied (str / bytes), a length comes from a sibling call, an
out handle valid on error is destroyed by the binding, captured text is kept alive by the object
that captured it, and an owner-scope callable is kept by the document (not by the caller).
"""
import gc
import weakref
from collections.abc import Iterator

import pytest

import lifetimes as lt


@pytest.fixture
def base() -> Iterator[int]:
    gc.collect()
    start = lt.live_docs()
    yield start
    gc.collect()
    assert lt.live_docs() == start  # L15: every document released


def make_string(prefix: str) -> str:
    return "".join([prefix, "!"])[:-1]  # a fresh str, not an interned literal


def test_l1_to_l4_lines_bytes_and_sibling_length(base: int) -> None:
    d = lt.Doc.open("alpha\nbeta\n\ngamma")
    assert d.count() == 4
    assert d.error() == ""
    assert lt.live_docs() == base + 1
    assert [d.line(0), d.line(2), d.line(3)] == ["alpha", "", "gamma"]
    assert d.line(4) is None and d.line(-1) is None  # L3
    assert d.bytes() == b"alpha\nbeta\n\ngamma"  # L4: 17 bytes, the length from size()
    assert d.size() == 17
    d.close()


def test_l5_l6_borrows_ending_at_append_were_copied(base: int) -> None:
    with lt.Doc.open("alpha\nbeta\n\ngamma") as d:
        line, data = d.line(0), d.bytes()
        d.append("delta")
        assert line == "alpha"
        assert data == b"alpha\nbeta\n\ngamma"
        assert isinstance(data, bytes)  # a copy, not a view of memory append() moved
        assert (d.count(), d.line(4), d.size()) == (5, "delta", 23)  # L6


def test_l7_empty_document(base: int) -> None:
    with lt.Doc.open("") as d:
        assert d.count() == 1
        assert d.bytes() == b""


def test_l9_to_l11_captured_titles_are_kept_alive(base: int) -> None:
    with lt.Doc.open("x") as d:
        assert d.title() == ""  # L9
        t = make_string("Notes ✓")
        ref_count_probe = [make_string("garbage " * 10) for _ in range(1000)]
        d.set_title(t)
        del t
        gc.collect()
        del ref_count_probe
        _ = [make_string("other " * 10) for _ in range(1000)]  # reuse freed memory, if any
        assert d.title() == "Notes ✓"  # L10: the document's object kept the str
        d.set_title(make_string("A"))
        d.set_title(make_string("B"))
        assert d.title() == "B"  # L11


def test_l13_l14_the_filter_is_kept_by_the_document(base: int) -> None:
    class Starts:
        def __init__(self, prefix: str) -> None:
            self.prefix = prefix

        def __call__(self, line: str) -> bool:
            return line.startswith(self.prefix)

    with lt.Doc.open("alpha\nbeta\n\ngamma\ndelta") as d:
        assert d.count_matching() == 5  # L12: no filter
        f = Starts("g")
        ref = weakref.ref(f)
        d.set_filter(f)
        del f
        gc.collect()
        assert d.count_matching() == 1  # L13: kept alive by d
        d.set_filter(Starts("d"))
        gc.collect()
        assert ref() is None  # L14: released when replaced
        assert d.count_matching() == 1
        d.set_filter(None)
        assert d.count_matching() == 5


def test_l15_closing_releases_the_filter_and_title(base: int) -> None:
    d = lt.Doc.open("a")
    f = lambda line: True  # noqa: E731
    fref = weakref.ref(f)
    d.set_filter(f)
    d.set_title(make_string("T"))
    del f
    d.close()
    gc.collect()
    assert fref() is None


def test_e1_error_from_the_half_open_document(base: int) -> None:
    with pytest.raises(lt.Error) as info:
        lt.Doc.open("one\ntwo\r\nthree")
    assert info.value.code == -1
    assert str(info.value) == "carriage return at byte 7"
    assert lt.live_docs() == base  # L8: the binding destroyed the half-open document


def test_e2_to_e4(base: int) -> None:
    with lt.Doc.open("a\nb") as d:
        with pytest.raises(OverflowError):
            d.line(2**31)
        with pytest.raises(TypeError):
            d.set_filter(42)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            d.set_title(None)  # type: ignore[arg-type]
        assert d.title() == ""  # a refused title changed nothing

        def boom(line: str) -> bool:
            raise KeyError(line)

        d.set_filter(boom)
        with pytest.raises(KeyError):
            d.count_matching()
        d.set_filter(None)
        assert d.count_matching() == 2


def test_captured_text_needs_the_owning_object(base: int) -> None:
    d = lt.Doc.open("x")
    for i in range(10_000):
        d.set_title(make_string(f"title {i}"))
    assert d.title() == "title 9999"
    d.close()
    with pytest.raises(ValueError, match="closed"):
        d.set_title("late")
