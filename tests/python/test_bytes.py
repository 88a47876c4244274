"""tests/fixtures/bytes/SPEC.md, driven from Python."""
import array
import gc

import pytest

import bytes as b


def test_b1_b2_b3_checksum_of_any_buffer() -> None:
    assert b.checksum(b"") == 0x811C9DC5
    assert b.checksum(b"abc") == 0x1A47E90B
    assert b.checksum(bytearray(b"abc")) == 0x1A47E90B
    assert b.checksum(memoryview(b"xabcx")[1:4]) == 0x1A47E90B
    assert b.checksum(b"\x00\xff\x00") == 0xF28F40E0
    assert b.checksum(bytes(range(256))) == 0x90A458C5


def test_b4_absent_is_null_and_empty() -> None:
    assert b.checksum(None) == 0x811C9DC5
    assert b.count(None) == 0
    assert b.count(b"abc") == 3


def test_b5_b6_borrowed_view_pins_the_blob() -> None:
    blob = b.Blob.new(b"\x01\x00\x02")
    assert blob.size() == 3
    v = blob.data()
    assert isinstance(v, memoryview)
    assert v.readonly
    assert bytes(v) == b"\x01\x00\x02"
    with pytest.raises(BufferError):
        blob.close()  # refused: nothing is closed while the view lives
    assert blob.size() == 3
    del blob
    gc.collect()
    assert bytes(v) == b"\x01\x00\x02"  # the view kept the blob alive
    with pytest.raises(TypeError):
        v[0] = 9
    v.release()


def test_view_released_then_close_works() -> None:
    blob = b.Blob.new(b"xyz")
    with blob.data() as v:
        assert bytes(v) == b"xyz"
    blob.close()
    assert blob.closed


def test_slices_and_casts_of_a_view_keep_the_export_until_the_last_goes() -> None:
    blob = b.Blob.new(b"abcd")
    v = blob.data()
    part = v[1:3]
    ints = v.cast("B")
    del v
    gc.collect()
    with pytest.raises(BufferError):
        blob.close()  # the slice and the cast share the view's export
    assert bytes(part) == b"bc" and list(ints) == [97, 98, 99, 100]
    part.release()
    ints.release()
    blob.close()
    assert blob.closed


def test_a_handle_is_not_a_buffer_itself() -> None:
    blob = b.Blob.new(b"abc")
    with pytest.raises(TypeError):
        memoryview(blob)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        b.checksum(blob)  # type: ignore[arg-type]
    blob.close()


def test_many_views_count_down_to_zero() -> None:
    blob = b.Blob.new(b"xy")
    views = [blob.data() for _ in range(100)]
    del views[:99]
    with pytest.raises(BufferError, match="1 memoryview"):
        blob.close()
    views.clear()
    blob.close()


def test_b7_null_data_is_empty_not_none() -> None:
    assert bytes(b.Blob.new(b"").data()) == b""
    assert bytes(b.Blob.new(None).data()) == b""


def test_b8_b9_copy_into_capacity() -> None:
    blob = b.Blob.new(b"\x01\x00\x02")
    assert blob.copy(2) == b"\x01\x00"
    assert blob.copy(8) == b"\x01\x00\x02"
    assert b.Blob.new(b"").copy(8) == b""


def test_b10_b11_b12_caller_allocated_outputs() -> None:
    assert b.repeat(7, 3, 8) == b"\x07\x07\x07"
    assert b.repeat(9, 100, 4) == b"\x09" * 4
    assert b.iota(32) == bytes(range(16))
    assert b.iota(3) == b"\x00\x01\x02"
    assert b.iota(0) == b""
    assert b.fill(4, 0xAB) == b"\xab" * 4


def test_b13_b14_b15_slices_from_lists_and_typed_buffers() -> None:
    assert b.sum_i32([1, 2, 3, -10]) == -4
    assert b.sum_i32([]) == 0
    assert b.sum_i32(None) == 0
    assert b.sum_i32(array.array("i", [1, 2, 3, -10])) == -4
    assert b.i32_in_extremes([-2147483648, -1, 0, 1, 2147483647]) is True
    assert b.i32_in_extremes((-2147483648, -1, 0, 1, 2147483647)) is True
    assert b.i32_in_extremes([0]) is False
    assert b.mean_f64([1.0, 2.0, 4.5]) == 2.5
    assert b.mean_f64(array.array("d", [1.0, 2.0, 4.5])) == 2.5
    assert b.mean_f64([]) == 0.0


def test_b16_many_views() -> None:
    for _ in range(10_000):
        b.Blob.new(b"x" * 100).data()
    gc.collect()


def test_e1_text_is_not_bytes() -> None:
    with pytest.raises(TypeError):
        b.checksum("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        b.checksum(12)  # type: ignore[arg-type]


def test_e2_e3_slice_elements_are_checked() -> None:
    with pytest.raises(OverflowError):
        b.i32_in_extremes([2147483648])
    with pytest.raises(TypeError):
        b.sum_i32([1.5])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        b.sum_i32(b"abc")
    with pytest.raises(TypeError):
        b.sum_i32(array.array("d", [1.0]))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        b.sum_i32("123")  # type: ignore[arg-type]


def test_e4_data_after_close() -> None:
    blob = b.Blob.new(b"abc")
    blob.close()
    with pytest.raises(ValueError):
        blob.data()


def test_e5_negative_capacity() -> None:
    with pytest.raises(OverflowError):
        b.iota(-1)
