"""tests/fixtures/transfers/SPEC.md, driven from Python.

A handle lent until the library's next call is copied at once (`Box.peek` → an owned `Item`), a
handle consumed only when the call succeeds stays open on failure (`Box.close_strict`), and bytes
the callee takes over are copied into the library's allocator (`Box.adopt`). The counters are
compared with their values at the test's start.
"""
import gc
from collections.abc import Iterator

import pytest

import transfers as tr


@pytest.fixture
def base() -> Iterator[tuple[int, int]]:
    gc.collect()
    start = (tr.live_objects(), tr.live_blocks())
    yield start
    gc.collect()
    assert (tr.live_objects(), tr.live_blocks()) == start
    assert tr.violations() == 0


def test_t1_each_peek_is_an_owned_copy(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    a = b.peek(7)
    c = b.peek(8)
    assert isinstance(a, tr.Item)
    assert a.value() == 7  # the second peek overwrote the scratch item, not this copy
    assert c.value() == 8
    assert tr.live_objects() == base[0] + 3
    a.close()
    assert tr.live_objects() == base[0] + 2
    del c
    gc.collect()
    assert tr.live_objects() == base[0] + 1  # T2: dropping frees the copy, never the scratch item
    assert tr.violations() == 0
    b.close()


def test_t1_copies_outlive_the_box(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    items = [b.peek(i) for i in range(5)]
    b.close()
    assert [i.value() for i in items] == list(range(5))


def test_c1_a_refused_close_leaves_the_box_open(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    b.pin(1)
    with pytest.raises(tr.Error) as info:
        b.close_strict()
    assert info.value.code == 5
    assert str(info.value) == "box is pinned"
    assert not b.closed
    assert b.peek(3).value() == 3  # still open and usable
    b.pin(0)
    b.close()


def test_c2_a_successful_close_empties_the_object(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    b.pin(0)
    b.close_strict()
    assert b.closed
    assert tr.live_objects() == base[0]
    with pytest.raises(ValueError, match="closed"):
        b.peek(1)
    b.close()  # frees nothing twice
    del b
    gc.collect()
    assert tr.live_objects() == base[0]
    assert tr.violations() == 0


def test_c2_with_statement_after_close_strict(base: tuple[int, int]) -> None:
    with tr.Box.new() as b:
        b.close_strict()
    assert b.closed


def test_e2_close_strict_on_a_closed_box(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    b.close()
    with pytest.raises(ValueError, match="closed"):
        b.close_strict()


@pytest.mark.parametrize("make", [bytearray, bytes, lambda v: memoryview(bytearray(v))])
def test_a1_adopt_copies_into_the_library_allocator(base: tuple[int, int], make) -> None:  # type: ignore[no-untyped-def]
    b = tr.Box.new()
    data = make([1, 2, 3])
    b.adopt(data)
    if isinstance(data, (bytearray, memoryview)):
        data[0] = 100  # the box holds its own copy
    assert b.size() == 3
    assert b.checksum() == 6
    assert tr.live_blocks() == base[1] + 1
    # A2: replacing it releases the old block (in the library)
    b.adopt(b"\xff")
    assert b.checksum() == 255
    assert tr.live_blocks() == base[1] + 1
    b.close()  # A5
    assert tr.live_blocks() == base[1]


def test_a3_a_failed_adopt_is_released_by_the_library(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    b.adopt(b"abc")
    blocks = tr.live_blocks()
    b.pin(1)
    with pytest.raises(tr.Error, match="box is pinned"):
        b.adopt(b"xy")
    b.pin(0)
    assert tr.live_blocks() == blocks  # released once, by the library; never by the binding
    assert tr.violations() == 0
    assert b.checksum() == ord("a") + ord("b") + ord("c")
    b.close()


def test_a4_empty_bytes(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    b.adopt(b"")
    assert b.size() == 0
    assert b.checksum() == 0
    b.close()


def test_e1_type_errors_before_c_is_called(base: tuple[int, int]) -> None:
    b = tr.Box.new()
    with pytest.raises(TypeError):
        b.adopt(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        b.adopt(None)  # type: ignore[arg-type]
    assert tr.live_blocks() == base[1]
    b.close()


def test_many_transfers_leave_nothing(base: tuple[int, int]) -> None:
    for i in range(20_000):
        b = tr.Box.new()
        b.adopt(bytes([i % 256]) * (i % 64))
        item = b.peek(i)
        assert item.value() == i
        if i % 2:
            b.close_strict()
        else:
            b.pin(1)
            with pytest.raises(tr.Error):
                b.close_strict()
            b.pin(0)
            del b
    del item
