"""A Deflater busy in deflate() on another thread (docs/adr/python-busy-handles.md).

deflate is `blocking`: it runs with the GIL released. Meanwhile close() must not free the
z_stream under it, and (the class is `affine`) no other call may enter zlib on the same stream.

Deterministic: the switch interval is raised so that once the main thread holds the GIL it keeps
it until it blocks (join). The worker's deflate can finish its C work but cannot return, so what
the main thread sees as busy stays busy until it joins.
"""
import os
import threading
import time

import pytest

import zlib as z  # the generated binding (on PYTHONPATH first)


def deflate_in_thread(d: z.Deflater, data: bytes) -> tuple[threading.Thread, list[tuple[int | None, int, bytes]]]:
    """Starts d.deflate(data, FINISH) on a thread; returns once the call is inside zlib, or once
    the thread is done if it was quicker than the main thread's polling (the caller retries)."""
    results: list[tuple[int | None, int, bytes]] = []
    worker = threading.Thread(
        target=lambda: results.append(d.deflate(data, len(data) + len(data) // 100 + 4096,
                                                z.Flush.FINISH)))
    worker.start()
    while d.blocking_calls == 0 and worker.is_alive():
        time.sleep(0.0002)  # releases the GIL: the worker reaches deflate
    return worker, results


def test_close_and_other_calls_are_refused_while_deflate_runs_then_close_works(
        gil_kept_until_blocking: None) -> None:
    size = 8 << 20
    for _ in range(4):  # a bigger input if the worker finished before it was seen busy
        data = os.urandom(1 << 20) * (size >> 20)
        d = z.Deflater.deflate_init(9)
        worker, results = deflate_in_thread(d, data)
        if d.blocking_calls == 0:
            worker.join()
            d.close()
            size *= 2
            continue
        assert d.blocking_calls == 1 and not d.closed
        with pytest.raises(RuntimeError, match="cannot close zlib.Deflater: it is in use by a blocking call"):
            d.close()
        with pytest.raises(RuntimeError, match="Deflater.deflate\\(\\): zlib.Deflater object is in use by a blocking call"):
            d.deflate(b"x", 16, z.Flush.NO_FLUSH)  # affine: no second call into the same stream
        with pytest.raises(RuntimeError, match="in use by a blocking call"):
            d.__exit__(None, None, None)  # `with` ends by closing: refused the same way
        assert d.blocking_calls == 1 and not d.closed
        worker.join()  # the GIL goes to the worker, which leaves deflate
        assert d.blocking_calls == 0
        status, used, out = results[0]
        assert status == z.Z_STREAM_END and used == len(data)
        assert z.uncompress(len(data), out) == data
        d.close()
        assert d.closed
        return
    pytest.fail("deflate of %d MiB never was observed running" % (size >> 20))


def test_a_deflater_that_is_not_busy_has_busy_zero_and_closes() -> None:
    d = z.Deflater.deflate_init(1)
    assert d.blocking_calls == 0
    d.deflate(b"abc" * 1000, 8192, z.Flush.FINISH)
    assert d.blocking_calls == 0
    d.close()
    assert d.closed and d.blocking_calls == 0


def test_a_stream_closed_by_a_conversion_is_checked_before_its_fields_are_written() -> None:
    """deflate's capacity conversion runs Python code (__index__) that closes the stream: the
    call must stop before it writes next_in/avail_in (into freed memory, under ASan an error)."""
    d = z.Deflater.deflate_init(6)

    class ClosesTheStream:
        def __index__(self) -> int:
            d.close()
            return 64

    with pytest.raises(ValueError, match="closed"):
        d.deflate(b"abc", ClosesTheStream(), z.Flush.FINISH)  # type: ignore[arg-type]
    assert d.closed


def test_a_failed_deflate_leaves_no_field_pointing_at_released_input() -> None:
    """An output capacity too large for avail_out fails after next_in was set: the stream is
    left with no input pointer, and the next deflate works on fresh input."""
    d = z.Deflater.deflate_init(6)
    with pytest.raises(OverflowError):
        d.deflate(bytearray(b"abc"), 1 << 40, z.Flush.NO_FLUSH)
    status, consumed, out = d.deflate(b"hello", 256, z.Flush.FINISH)
    assert consumed == 5 and out
    assert z.Inflater.inflate_init().inflate(out, 256, z.Flush.FINISH)[2] == b"hello"
    d.close()
