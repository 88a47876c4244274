"""tests/fixtures/callbacks/SPEC.md, driven from Python.

Any callable is accepted. An exception raised inside a callback propagates out of the outer call
once the C function has returned; until then C sees 0 from the callback and the callable is not
called again (E1). A callback must return an int where C expects one: None or "stop" is a
TypeError raised the same way (E4) — no truthiness guess.
"""
import array
import gc
import weakref
from collections.abc import Callable

import pytest

import callbacks as cb


class Recorder:
    """A callable that records its arguments and returns `stop_at == value`."""

    def __init__(self, stop_at: int | None = None) -> None:
        self.seen: list[int] = []
        self.stop_at = stop_at

    def __call__(self, value: int) -> int:
        self.seen.append(value)
        return 1 if value == self.stop_at else 0


def test_k1_visit_all() -> None:
    f = Recorder()
    assert cb.visit_range(3, 7, f) == 4
    assert f.seen == [3, 4, 5, 6]


def test_k2_stop_early_with_true_or_1() -> None:
    f = Recorder(stop_at=5)
    assert cb.visit_range(3, 100, f) == 3
    assert f.seen == [3, 4, 5]
    assert cb.visit_range(3, 100, lambda v: v == 4) == 2  # True is an int


def test_k3_never_called() -> None:
    f = Recorder()
    assert cb.visit_range(5, 5, f) == 0
    assert f.seen == []


def test_k4_k5_results_reach_c_and_closures_work() -> None:
    assert cb.sum_mapped(4, lambda v: v * v) == 14
    offset = 10
    assert cb.sum_mapped(3, lambda v: v + offset) == 33
    assert cb.sum_mapped(2, int.__neg__) == -1  # a builtin is a callable too


def test_k6_call_scope_callables_are_not_kept() -> None:
    f = Recorder()
    ref = weakref.ref(f)
    cb.visit_range(0, 3, f)
    cb.sum_mapped(3, f)
    del f
    gc.collect()
    assert ref() is None


def test_k7_to_k10_notified_subscriber() -> None:
    e = cb.Emitter.new()
    assert e.emit(1) == 0
    got: list[int] = []

    def g(event: int) -> None:
        got.append(event)

    g_ref = weakref.ref(g)
    e.subscribe(g)
    assert e.emit(7) == 1
    assert got == [7]
    assert cb.live_subscriptions() == 1
    del g
    gc.collect()
    assert e.emit(8) == 1  # the subscription keeps g alive
    assert got == [7, 8]

    h = Recorder()
    h_got = h.seen
    h_ref = weakref.ref(h)
    e.subscribe(h)  # K9: replaces g, whose destroy-notify releases it
    gc.collect()
    assert g_ref() is None
    assert e.emit(9) == 1
    assert got == [7, 8]
    assert h_got == [9]
    del h
    e.unsubscribe()  # K10
    gc.collect()
    assert h_ref() is None
    assert e.emit(10) == 0
    assert cb.live_subscriptions() == 0
    e.close()


def test_k11_close_releases_the_subscriber() -> None:
    def g(event: int) -> None:
        pass

    g_ref = weakref.ref(g)
    e = cb.Emitter.new()
    e.subscribe(g)
    del g
    e.close()
    gc.collect()
    assert g_ref() is None
    assert cb.live_subscriptions() == 0
    # and by the finaliser
    e2 = cb.Emitter.new()
    e2.subscribe(lambda event: None)
    del e2
    gc.collect()
    assert cb.live_subscriptions() == 0


def test_k12_to_k14_forever_logger() -> None:
    assert cb.log("x") == 0
    messages: list[str] = []
    cb.set_logger(messages.append)
    sample = "Grüße, 世界 ✓"
    assert cb.log("hello") == 1
    assert cb.log(sample) == 1
    assert messages == ["hello", sample]
    cb.set_logger(None)
    assert cb.log("gone") == 0
    assert messages == ["hello", sample]


class Boom(Exception):
    pass


def test_e1_exception_propagates_after_c_returns() -> None:
    calls: list[int] = []
    err = Boom("third call")

    def f(v: int) -> int:
        calls.append(v)
        if len(calls) == 3:
            raise err
        return 0

    with pytest.raises(Boom) as info:
        cb.visit_range(0, 10, f)
    assert info.value is err  # the same object
    assert calls == [0, 1, 2]  # never called again after it raised
    # the module still works
    assert cb.visit_range(0, 2, Recorder()) == 2


def test_e1_mapper_exception_with_a_c_default() -> None:
    def f(v: int) -> int:
        if v == 1:
            raise KeyError(v)
        return 100

    with pytest.raises(KeyError):
        cb.sum_mapped(5, f)


def test_e2_notified_callback_exception_propagates_from_emit() -> None:
    def g(event: int) -> None:
        raise Boom(event)

    with cb.Emitter.new() as e:
        e.subscribe(g)
        with pytest.raises(Boom):
            e.emit(1)
        e.unsubscribe()
        assert e.emit(2) == 0


def test_e3_not_callable() -> None:
    with pytest.raises(TypeError, match="expected a callable"):
        cb.visit_range(0, 1, 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a callable"):
        cb.Emitter.new().subscribe("g")  # type: ignore[arg-type]
    assert cb.live_subscriptions() == 0


def test_e4_non_integer_result_is_a_type_error() -> None:
    bad: Callable[[int], int] = lambda v: "stop"  # type: ignore[assignment, return-value]
    with pytest.raises(TypeError, match="result of the callback"):
        cb.visit_range(0, 3, bad)
    with pytest.raises(TypeError):
        cb.visit_range(0, 3, lambda v: None)  # type: ignore[arg-type, return-value]
    with pytest.raises(OverflowError):
        cb.sum_mapped(1, lambda v: 2**40)


def test_k15_a_nullable_callback_argument_arrives_as_none() -> None:
    seen: list[tuple[str | None, int]] = []
    assert cb.each_name(lambda name, position: seen.append((name, position))) == 3
    assert seen == [("first", 0), (None, 1), ("third", 2)]


# ---- K16-K18: buffer arguments (text and bytes sized by a hidden length argument) ----


def test_k16_sized_text_and_bytes_are_copies_of_exactly_their_length() -> None:
    seen: list[tuple[str, bytes]] = []
    assert cb.split("ab,,cde", lambda piece, raw: seen.append((piece, raw))) == 3
    assert seen == [("ab", b"ab"), ("", b""), ("cde", b"cde")]
    assert all(type(p) is str and type(r) is bytes for p, r in seen)  # copies, not views


def test_k16_the_length_arguments_are_hidden() -> None:
    with pytest.raises(TypeError):
        cb.split("a,b", lambda piece, raw, extra: None)  # type: ignore[misc,arg-type]


def test_k17_utf8_pieces() -> None:
    seen: list[tuple[str, bytes]] = []
    assert cb.split("Grüße,世界", lambda piece, raw: seen.append((piece, raw))) == 2
    assert seen == [("Grüße", "Grüße".encode()), ("世界", "世界".encode())]


def test_k18_utf16_pieces_sized_and_nul_terminated() -> None:
    seen: list[tuple[str, str]] = []
    assert cb.split16("a,β,😀", lambda piece, whole: seen.append((piece, whole))) == 3
    assert seen == [("a", "a,β,😀"), ("β", "a,β,😀"), ("😀", "a,β,😀")]


def test_k16_an_exception_in_a_buffer_callback_propagates() -> None:
    calls = []

    def boom(piece: str, raw: bytes) -> None:
        calls.append(piece)
        raise KeyError(piece)

    with pytest.raises(KeyError, match="ab"):
        cb.split("ab,cd", boom)
    assert calls == ["ab"]  # not called again after it raised


# ---- K19: a slice of scalars (a pointer and a hidden count) ----


def test_k19_a_slice_of_scalars_arrives_as_a_list_copy() -> None:
    seen: list[list[int]] = []
    values = array.array("i", [1, 2, 3, 4])
    assert cb.windows(values, 3, seen.append) == 2
    assert seen == [[1, 2, 3], [2, 3, 4]]
    assert all(type(w) is list for w in seen)
    # Copies: changing the caller's array afterwards (which C's pointers pointed into) or one
    # window leaves the other windows as they were.
    values[1] = 99
    seen[0][2] = -1
    assert seen == [[1, 2, -1], [2, 3, 4]]


def test_k19_an_empty_window_and_no_window() -> None:
    seen: list[list[int]] = []
    assert cb.windows([5], 0, seen.append) == 1  # NULL with length 0: the empty list
    assert seen == [[]]
    assert cb.windows([5], 2, seen.append) == 0  # wider than the values: never called
    assert seen == [[]]


def test_k19_the_count_argument_is_hidden_and_the_full_range_arrives() -> None:
    with pytest.raises(TypeError):
        cb.windows([1, 2], 1, lambda window, width: None)  # type: ignore[arg-type,misc]
    extremes = [-(2**31), 2**31 - 1, 0, -1]
    seen: list[list[int]] = []
    assert cb.windows(extremes, 4, seen.append) == 1
    assert seen == [extremes]


def test_k19_an_exception_in_a_slice_callback_propagates() -> None:
    calls: list[list[int]] = []

    def boom(window: list[int]) -> None:
        calls.append(window)
        raise KeyError(window[0])

    with pytest.raises(KeyError):
        cb.windows([7, 8, 9], 1, boom)
    assert calls == [[7]]  # not called again after it raised
