"""tests/fixtures/errors/SPEC.md, driven from Python."""
import errno
import gc
from collections.abc import Iterator

import pytest

import errors as e


@pytest.fixture(autouse=True)
def no_leak() -> Iterator[None]:
    yield
    gc.collect()
    assert e.live_readers() == 0


def test_r1_r2_out_param_is_the_result_and_eof_is_none() -> None:
    r = e.Reader.new(3)
    assert [r.next(), r.next(), r.next()] == [1, 2, 3]
    assert r.next() is None
    r.close()


def test_r3_soft_code_is_returned_not_raised() -> None:
    with e.Reader.new(1) as r:
        # Documented for Python: plain success is None, a soft code is returned as its int.
        assert [r.poll(), r.poll(), r.poll()] == [2, None, 2]


def test_r4_r5_r6_r9_status_with_message_from_the_reader() -> None:
    with e.Reader.new(1) as r:
        assert r.message() == ""
        assert r.check(0) is None
        assert r.check(1000) is None
        with pytest.raises(e.Error) as info:
            r.check(-5)
        assert info.value.code == -1
        assert info.value.message == "negative value: -5"
        assert "negative value: -5" in str(info.value)
        with pytest.raises(e.Error) as info:
            r.check(1001)
        assert info.value.code == -2
        assert info.value.message == "value out of range: 1001"
        assert isinstance(info.value, RuntimeError)


def test_r7_r8_r9_counts_and_negative_errors() -> None:
    with e.Reader.new(5) as r:
        assert r.skip(2) == 2
        assert r.next() == 3
        assert r.skip(10) == 2
        assert r.skip(1) == 0
        with pytest.raises(e.Error) as info:
            r.skip(-1)
        assert info.value.code == -1
        assert info.value.message == "cannot skip a negative count"
        assert r.message() == "cannot skip a negative count"


def test_r10_verdict_is_a_bool() -> None:
    assert e.verify("open sesame") is True
    assert e.verify("open") is False


def test_r11_r12_r13_global_message() -> None:
    assert e.parse_int("-42") == -42
    assert e.parse_int("2147483647") == 2147483647
    with pytest.raises(e.Error) as info:
        e.parse_int("12x")
    assert (info.value.code, info.value.message) == (-1, "not a number: '12x'")
    with pytest.raises(e.Error) as info:
        e.parse_int("2147483648")
    assert (info.value.code, info.value.message) == (-2, "out of range: '2147483648'")
    with pytest.raises(e.Error) as info:
        e.parse_int("")
    assert (info.value.code, info.value.message) == (-1, "not a number: ''")


def test_r14_r15_r16_errno_is_os_error() -> None:
    with pytest.raises(OSError) as info:
        e.Reader.new(-1)
    assert info.value.errno == errno.EINVAL
    with pytest.raises(OSError) as info:
        e.Reader.new(1001)
    assert info.value.errno == errno.ERANGE


def test_e1_host_range_error_before_c() -> None:
    with e.Reader.new(1) as r:
        with pytest.raises(OverflowError):
            r.check(2**31)


def test_e2_closed_reader() -> None:
    r = e.Reader.new(1)
    r.close()
    with pytest.raises(ValueError):
        r.next()
