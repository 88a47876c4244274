"""zlib (the system library, tests/fixtures/zlib/bindery.yaml) through the generated module:
one-shot round trips of 1 MiB, a corrupt stream raising zlib's error, and streaming through the
pinned z_stream (`Deflater`: storage owned by the binding, buffers passed through its fields)
checked against Python's own zlib."""
import binascii
import importlib.machinery
import importlib.util
import os
import sys
from types import ModuleType

import pytest

import zlib as z  # the generated binding: first on PYTHONPATH, it shadows the standard module


def python_zlib() -> ModuleType:
    """CPython's own zlib module, which the generated package shadows on sys.path."""
    if "zlib" in sys.builtin_module_names:
        pytest.skip("CPython's zlib is built in: it cannot be loaded beside the binding")
    path = [p for p in sys.path if not os.path.isdir(os.path.join(p or ".", "zlib"))]
    spec = importlib.machinery.PathFinder.find_spec("zlib", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module is not z and hasattr(module, "decompressobj")
    return module


def deflate_stream(d: z.Deflater, data: bytes, chunk: int = 65536) -> bytes:
    """Feeds `data` in chunks, then finishes: the caller's loop over (status, consumed, output)."""
    out = []
    view = memoryview(data)
    pos = 0
    while pos < len(data):
        status, used, produced = d.deflate(view[pos:pos + chunk], chunk, z.Flush.NO_FLUSH)
        assert status is None and 0 <= used <= chunk
        pos += used
        out.append(produced)
    while True:
        status, used, produced = d.deflate(b"", chunk, z.Flush.FINISH)
        out.append(produced)
        if status == z.Z_STREAM_END:
            return b"".join(out)
        assert status is None and len(produced) == chunk  # more pending only when it was full


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


def sample() -> bytes:
    return os.urandom(256 * 1024) + b"bindery " * (64 * 1024) + bytes(256 * 1024)  # 1 MiB


def test_deflater_streams_1_mib_that_pythons_zlib_inflates() -> None:
    std = python_zlib()
    data = sample()
    assert len(data) == 1024 * 1024
    with z.Deflater.deflate_init(6) as d:
        packed = deflate_stream(d, data)
    assert len(packed) < len(data)
    assert std.decompress(packed) == data
    # Small chunks and a tiny output capacity: many calls, same stream.
    with z.Deflater.deflate_init(6) as d:
        assert deflate_stream(d, data[:100_000], chunk=1000) == std.compress(data[:100_000], 6)


def test_deflater_matches_pythons_zlib_byte_for_byte_with_raw_deflate() -> None:
    std = python_zlib()
    data = sample()
    with z.Deflater.deflate_init2(9, -15, 8, z.Strategy.DEFAULT_STRATEGY) as d:  # raw deflate
        packed = deflate_stream(d, data)
    c = std.compressobj(9, std.DEFLATED, -15, 8, std.Z_DEFAULT_STRATEGY)
    assert packed == c.compress(data) + c.flush()
    assert std.decompress(packed, -15) == data


def test_input_from_any_buffer_and_what_was_not_consumed() -> None:
    std = python_zlib()
    d = z.Deflater.deflate_init(1)
    status, used, produced = d.deflate(bytearray(b"abc" * 1000), 0, z.Flush.NO_FLUSH)
    assert status == z.Z_BUF_ERROR or (status is None and produced == b"")
    assert used <= 3000
    rest = b"abc" * 1000
    out = [produced]
    status, used2, produced = d.deflate(memoryview(rest)[used:], 1 << 16, z.Flush.FINISH)
    out.append(produced)
    assert status == z.Z_STREAM_END and used + used2 == 3000
    assert std.decompress(b"".join(out)) == b"abc" * 1000
    d.close()


def test_deflate_copy_continues_the_same_stream() -> None:
    std = python_zlib()
    data = sample()[:200_000]
    with z.Deflater.deflate_init(6) as d:
        status, used, head = d.deflate(data[:100_000], 1 << 20, z.Flush.NO_FLUSH)
        assert used == 100_000
        with z.Deflater.deflate_copy(d) as twin:
            tail_a = deflate_stream(d, data[100_000:])
            tail_b = deflate_stream(twin, data[100_000:])
    assert tail_a == tail_b
    assert std.decompress(head + tail_a) == data


def test_deflater_errors() -> None:
    with pytest.raises(z.Error) as info:
        z.Deflater.deflate_init(42)  # not a level
    assert info.value.code == z.Z_STREAM_ERROR
    with pytest.raises(TypeError):
        z.Deflater()  # only its constructors make one (they initialise the pinned storage)
    d = z.Deflater.deflate_init()
    with pytest.raises(TypeError, match="bytes-like"):
        d.deflate("text", 10, z.Flush.NO_FLUSH)  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        d.deflate(b"x", -1, z.Flush.NO_FLUSH)
    with pytest.raises(OverflowError, match="avail_out"):
        d.deflate(b"x", 1 << 40, z.Flush.NO_FLUSH)  # uInt avail_out: refused, not truncated
    d.deflate(b"still usable", 100, z.Flush.FINISH)
    d.close()
    d.close()
    with pytest.raises(ValueError, match="closed"):
        d.deflate(b"x", 10, z.Flush.FINISH)


def test_many_deflaters_do_not_leak() -> None:
    import tracemalloc

    def churn(n: int) -> None:
        for _ in range(n):
            d = z.Deflater.deflate_init(1)
            d.deflate(b"x", 64, z.Flush.FINISH)
            if _ % 2:
                d.close()

    churn(200)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    churn(5000)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert grown < 64 * 1024, grown


# ---- roles: the same z_stream as an Inflater (its own init and inflateEnd) ---------------------------

def inflate_stream(i: z.Inflater, packed: bytes, chunk: int = 65536) -> bytes:
    out = []
    view = memoryview(packed)
    pos = 0
    while True:
        status, used, produced = i.inflate(view[pos:pos + chunk], chunk, z.Flush.NO_FLUSH)
        pos += used
        out.append(produced)
        if status == z.Z_STREAM_END:
            assert pos == len(packed)
            return b"".join(out)
        assert status is None or (status == z.Z_BUF_ERROR and used == 0 and not produced)


def test_deflater_to_inflater_round_trip_of_1_mib() -> None:
    data = sample()
    with z.Deflater.deflate_init(6) as d:
        packed = deflate_stream(d, data)
    with z.Inflater.inflate_init() as i:
        assert inflate_stream(i, packed) == data
    with z.Inflater.inflate_init() as i:  # tiny steps: many calls, same result
        assert inflate_stream(i, packed, chunk=777) == data


def test_inflater_reads_pythons_zlib_and_raw_deflate() -> None:
    std = python_zlib()
    data = sample()
    with z.Inflater.inflate_init() as i:
        assert inflate_stream(i, std.compress(data, 9)) == data
    c = std.compressobj(6, std.DEFLATED, -15)
    raw = c.compress(data) + c.flush()
    with z.Inflater.inflate_init2(-15) as i:
        assert inflate_stream(i, raw) == data


def test_inflater_refuses_corrupt_input() -> None:
    with z.Deflater.deflate_init(6) as d:
        packed = bytearray(deflate_stream(d, sample()[:50_000]))
    packed[0] ^= 0xFF  # the header's CMF byte
    with z.Inflater.inflate_init() as i:
        with pytest.raises(z.Error) as info:
            i.inflate(bytes(packed), 1 << 20, z.Flush.NO_FLUSH)
        assert info.value.code == z.Z_DATA_ERROR
        assert "header" in str(info.value)  # z_stream's msg, read at once


def test_a_deflater_is_not_an_inflater() -> None:
    with z.Deflater.deflate_init() as d:
        with pytest.raises(TypeError, match="Inflater"):
            z.Inflater.inflate_copy(d)  # type: ignore[arg-type]
