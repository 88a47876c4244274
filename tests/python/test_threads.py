"""Callbacks a library calls on a thread it started itself (tests/node/threads/, shared with the
Node and Ruby tests). A call-scope callback runs on the caller's GIL, which the caller holds while it
waits in the C call: no Python can run on the library's thread (it has no thread state, and taking
the GIL would wait for the caller forever). The trampoline refuses — the callable is not called, the
library gets the zero value — and the call raises RuntimeError once C returns."""
import threading

import pytest

import threads


def test_a_callback_reached_on_a_library_thread_is_not_called_and_the_call_raises() -> None:
    called: list[int] = []

    def record(v: int) -> int:
        called.append(v)
        return v + 1

    before = threads.thread_calls()
    with pytest.raises(RuntimeError, match="thread the library started"):
        threads.call_on_thread(41, 3, record)
    assert called == [], "Python never ran on the library thread"
    assert threads.thread_calls() - before == 3, "the library thread did call back three times"
    assert threads.last_result() == 0, "the library got the zero value"


def test_the_same_callback_on_the_calling_thread_works_before_and_after_a_refusal() -> None:
    assert threads.call_here(41, lambda v: v + 1) == 42
    with pytest.raises(RuntimeError):
        threads.call_on_thread(1, 1, lambda v: v)
    assert threads.call_here(41, lambda v: v * 2) == 82, "a refusal is not reported again by a later call"
    assert threads.last_result() == 82


def test_a_thread_that_never_calls_back_is_no_error() -> None:
    def never(v: int) -> int:
        raise AssertionError("never called")

    assert threads.call_on_thread(5, 0, never) == 0


def test_an_exception_on_the_calling_thread_wins() -> None:
    class Boom(Exception):
        pass

    def boom(v: int) -> int:
        raise Boom("boom")

    with pytest.raises(Boom):
        threads.call_here(1, boom)
    assert threads.last_result() == 0


def test_from_another_python_thread_the_callback_runs_there() -> None:
    out: list[int] = []
    t = threading.Thread(target=lambda: out.append(threads.call_here(20, lambda v: v + 1)))
    t.start()
    t.join()
    assert out == [21]
