"""tests/fixtures/vocabulary/SPEC.md, driven from Python."""
import inspect
import threading
import time
import warnings

import pytest

import vocabulary as vo


def test_v1_to_v3_a_borrowed_settings_object() -> None:
    s = vo.Settings.get()
    assert s.level() == 1
    s.set_level(3)
    assert vo.Settings.get().level() == 3  # both objects wrap the same C object
    s.set_level(1)
    s.close()  # closing a borrowed object destroys nothing
    del s
    assert vo.Settings.get().level() == 1


def test_v4_named_parameters() -> None:
    assert vo.mul(6, 7) == 42
    assert vo.mul(-3, 5) == -15
    assert vo.mul(a=6, b=7) == 42
    assert vo.mul(b=7, a=6) == 42
    assert list(inspect.signature(vo.mul).parameters) == ["a", "b"]


def test_v5_fixed_parameters_are_hidden() -> None:
    assert vo.checked(5) == 5


def test_v6_deprecated_warns_on_call() -> None:
    with pytest.warns(DeprecationWarning, match="old_add\\(\\) is deprecated: use mul or plain addition"):
        assert vo.old_add(2, 3) == 5
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(DeprecationWarning):
            vo.old_add(2, 3)  # an error filter stops the call


def test_v7_a_blocking_call_lets_other_threads_run() -> None:
    count = [0]
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            count[0] += 1
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.01)
    before = count[0]
    assert vo.sleep_ms(200) == 200
    during = count[0] - before
    stop.set()
    t.join()
    assert during >= 10  # the GIL was released during the 200 ms


def test_v8_text_written_into_a_buffer() -> None:
    assert vo.format(-1234, 8) == "-1234"
    assert vo.format(123456789, 4) == "123"
    assert vo.format(7, 0) == ""


def test_v9_v10_status_and_extra_success_codes() -> None:
    assert vo.transfer(0) is None
    assert vo.transfer(100) is None
    assert vo.transfer(101) == vo.VOCAB_PARTIAL == 3
    assert vo.transfer(1000) == 3


def test_v11_constants() -> None:
    assert (vo.VOCAB_LIMIT, vo.VOCAB_VERSION_MAJOR, vo.VOCAB_PARTIAL) == (1000, 2, 3)


def test_e1_e2_errors_with_their_code() -> None:
    with pytest.raises(vo.Error) as info:
        vo.transfer(1001)
    assert str(info.value) == "transfer refused"
    assert info.value.code == 1001
    with pytest.raises(vo.Error) as info:
        vo.transfer(-5)
    assert info.value.code == -5


def test_e3_hidden_arguments_cannot_be_passed() -> None:
    with pytest.raises(TypeError):
        vo.checked(5, None, 2)  # type: ignore[call-arg]


def test_e4_settings_is_not_constructible() -> None:
    with pytest.raises(TypeError):
        vo.Settings()
