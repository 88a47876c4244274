"""zlib (the system library, tests/fixtures/zlib/bindery.yaml) through the generated module:
one-shot round trips of 1 MiB, and a corrupt stream raising zlib's error. (The streaming z_stream
API is a pinned handle, not bound to python yet.)"""
import binascii
import os

import pytest

import zlib as z  # the generated binding: first on PYTHONPATH, it shadows the standard module


def test_it_is_the_generated_module() -> None:
    assert z.__name__ == "zlib" and hasattr(z, "compress_bound") and hasattr(z, "Z_DATA_ERROR")


def test_one_shot_round_trip_of_1_mib() -> None:
    data = os.urandom(512 * 1024) + bytes(512 * 1024)
    packed = z.compress(z.compress_bound(len(data)), data)
    assert len(packed) < len(data)
    assert z.uncompress(len(data), packed) == data
    assert z.uncompress(len(data), memoryview(bytearray(packed))) == data


def test_level_and_checksums() -> None:
    data = b"hello " * 1000
    fast = z.compress2(z.compress_bound(len(data)), data, 1)
    assert z.uncompress(len(data), fast) == data
    assert z.crc32(0, data) == binascii.crc32(data)
    assert z.adler32(1, b"") == 1


def test_corrupt_stream_raises_zlibs_error() -> None:
    packed = bytearray(z.compress(100, b"x" * 50))
    packed[3] ^= 0xFF
    with pytest.raises(z.Error) as info:
        z.uncompress(100, bytes(packed))
    assert info.value.code == z.Z_DATA_ERROR
    with pytest.raises(z.Error):
        z.uncompress(10, b"not zlib at all")


def test_too_small_output_is_an_error_not_a_truncation() -> None:
    data = os.urandom(1000)
    packed = z.compress(z.compress_bound(len(data)), data)
    with pytest.raises(z.Error) as info:
        z.uncompress(10, packed)
    assert info.value.code == z.Z_BUF_ERROR
