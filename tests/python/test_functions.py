"""tests/fixtures/functions/SPEC.md, driven from Python.

A registered function is any callable `f(call, args)`: `call` is a `Call`, `args` a plain list of
`Arg`s. The binding finds the callable through `functions_call_user_data(call)` (the IR's
`user_data_from`), so no user data is visible here. The `Call` and every `Arg` are lent for the
call only: the fixture frees them when the call ends, and a kept one raises ValueError (closed)
instead of reading freed memory (F8; the ASan build of the fixture would report such a read).
"""
import gc
import weakref
from collections.abc import Callable, Iterator

import pytest

import allocation
import functions as fx

Fn = Callable[[fx.Call, list[fx.Arg]], object]


class Summer:
    """f(call, args): sets the sum of the arguments plus `offset`; records what it received."""

    def __init__(self, offset: int = 0) -> None:
        self.offset = offset
        self.received: list[tuple[type, list[type]]] = []

    def __call__(self, call: fx.Call, args: list[fx.Arg]) -> None:
        self.received.append((type(call), [type(a) for a in args]))
        call.set_result(sum(a.value() for a in args) + self.offset)


def released(ref: "weakref.ref[Summer]") -> bool:
    gc.collect()
    return ref() is None


@pytest.fixture
def registry() -> Iterator[fx.Registry]:
    r = fx.Registry.new()
    yield r
    r.close()
    assert fx.live_registrations() == 0  # every test leaves nothing registered


def test_f1_sum() -> None:
    r = fx.Registry()
    f = Summer()
    assert r.define("sum", f) == 0
    assert r.call("sum", [1, 2, 39]) == 42
    assert f.received == [(fx.Call, [fx.Arg, fx.Arg, fx.Arg])]
    r.close()


def test_f2_no_arguments_and_unknown_names(registry: fx.Registry) -> None:
    seen: list[list[fx.Arg]] = []

    def f(call: fx.Call, args: list[fx.Arg]) -> None:
        seen.append(args)
        call.set_result(len(args))

    registry.define("sum", f)
    assert registry.call("sum", []) == 0
    assert seen == [[]]  # an empty list, not None
    assert registry.call("nope", [1]) == -1
    assert len(seen) == 1


def test_f3_closure_state_reaches_the_callback(registry: fx.Registry) -> None:
    offset = 100
    registry.define("sum", lambda call, args: call.set_result(sum(a.value() for a in args) + offset))
    assert registry.call("sum", [1]) == 101
    registry.define("plus", Summer(offset=7))
    assert registry.call("plus", [1, 2]) == 10
    assert registry.call("sum", [1]) == 101  # two registrations, each its own callable


def test_f4_a_registered_function_stays_alive(registry: fx.Registry) -> None:
    f = Summer()
    ref = weakref.ref(f)
    registry.define("sum", f)
    assert fx.live_registrations() == 1
    del f
    assert not released(ref)  # the registry keeps it
    assert registry.call("sum", [40, 2]) == 42
    assert fx.live_registrations() == 1


def test_f5_replacing_releases_the_old_function(registry: fx.Registry) -> None:
    f, g = Summer(), Summer(offset=1000)
    f_ref = weakref.ref(f)
    registry.define("sum", f)
    registry.define("sum", g)
    del f
    assert released(f_ref)
    assert registry.call("sum", [2]) == 1002
    assert g.received == [(fx.Call, [fx.Arg])]
    assert fx.live_registrations() == 1


def test_f6_none_removes_the_function(registry: fx.Registry) -> None:
    g = Summer()
    g_ref = weakref.ref(g)
    registry.define("sum", g)
    assert registry.define("sum", None) == 0
    del g
    assert released(g_ref)
    assert registry.call("sum", [1]) == -1
    assert fx.live_registrations() == 0


@pytest.mark.parametrize("how", ["close", "collect"])
def test_f7_destroying_the_registry_releases_its_functions(how: str) -> None:
    r = fx.Registry.new()
    h = Summer()
    h_ref = weakref.ref(h)
    finalized: list[str] = []
    weakref.finalize(h, finalized.append, "h")
    r.define("x", h)
    del h
    assert not released(h_ref)
    if how == "close":
        r.close()
    else:
        del r
    assert released(h_ref)
    assert finalized == ["h"]
    assert fx.live_registrations() == 0


def test_f8_lent_calls_and_arguments_refuse_use_afterwards(registry: fx.Registry) -> None:
    kept: dict[str, object] = {}

    def f(call: fx.Call, args: list[fx.Arg]) -> None:
        assert not call.closed and not any(a.closed for a in args)
        kept["call"], kept["arg"], kept["args"] = call, args[0], args
        call.set_result(args[0].value() + args[1].value())

    registry.define("sum", f)
    assert registry.call("sum", [20, 22]) == 42
    kept_call, kept_arg, kept_args = kept["call"], kept["arg"], kept["args"]
    assert isinstance(kept_call, fx.Call) and isinstance(kept_arg, fx.Arg)
    assert isinstance(kept_args, list) and len(kept_args) == 2  # the list is the callable's own
    assert kept_call.closed and all(a.closed for a in kept_args)
    with pytest.raises(ValueError, match="closed"):
        kept_call.set_result(1)
    with pytest.raises(ValueError, match="closed"):
        kept_arg.value()
    for a in kept_args:
        with pytest.raises(ValueError, match="closed"):
            a.value()


def test_f8_a_changed_list_cannot_hide_an_argument(registry: fx.Registry) -> None:
    kept: list[fx.Arg] = []

    def f(call: fx.Call, args: list[fx.Arg]) -> None:
        kept.extend(args)
        args.clear()  # the binding closes what it lent, not what the list holds afterwards
        args.append(kept[0])

    registry.define("sum", f)
    registry.call("sum", [1, 2, 3])
    assert len(kept) == 3
    for a in kept:
        with pytest.raises(ValueError, match="closed"):
            a.value()


def test_f8_closing_a_lent_object_inside_the_call_frees_nothing(registry: fx.Registry) -> None:
    def f(call: fx.Call, args: list[fx.Arg]) -> None:
        args[0].close()  # borrowed: closing only stops this object (the fixture frees the memory)
        call.set_result(args[1].value())

    registry.define("sum", f)
    assert registry.call("sum", [1, 5]) == 5


# ---- errors -----------------------------------------------------------------------------------

def test_a_function_cannot_close_the_registry_running_it() -> None:
    """Closing (or collecting) the registry inside one of its functions would free the C object
    under functions_registry_call: refused with RuntimeError; removing its own registration works."""
    r = fx.Registry.new()
    errors: list[str] = []

    def f(call: fx.Call, args: list[fx.Arg]) -> None:
        try:
            r.close()
        except RuntimeError as e:
            errors.append(str(e))
        assert not r.closed
        try:
            with r:  # __exit__ closes too: refused the same way
                pass
        except RuntimeError as e:
            errors.append(str(e))
        assert r.define("f", None) == 0  # its registration ends; this call still completes
        call.set_result(7)

    r.define("f", f)
    assert r.call("f", []) == 7
    assert len(errors) == 2
    assert all(e.startswith("cannot close functions.Registry: it is in use by a running call")
               for e in errors)
    assert not r.closed
    assert r.call("f", []) == -1
    r.close()
    assert r.closed
    assert fx.live_registrations() == 0


class Boom(Exception):
    pass


def test_e1_an_exception_reaches_the_caller(registry: fx.Registry) -> None:
    def f(call: fx.Call, args: list[fx.Arg]) -> None:
        raise Boom(args[0].value())

    registry.define("sum", f)
    with pytest.raises(Boom) as info:
        registry.call("sum", [1])
    assert info.value.args == (1,)
    registry.define("sum", Summer())
    assert registry.call("sum", [1, 1]) == 2  # nothing left behind: the next call works


def test_e2_a_failed_registration_releases_at_once(registry: fx.Registry) -> None:
    registry.define("other", Summer())
    before = fx.live_registrations()
    f = Summer()
    ref = weakref.ref(f)
    assert registry.define("", f) == -1
    del f
    assert released(ref)
    assert fx.live_registrations() == before


def test_e2_a_full_registry_releases_at_once(registry: fx.Registry) -> None:
    for i in range(8):
        assert registry.define(f"f{i}", Summer()) == 0
    f = Summer()
    ref = weakref.ref(f)
    assert registry.define("one_too_many", f) == -1
    del f
    assert released(ref)
    assert fx.live_registrations() == 8


def test_e3_type_errors_before_c_is_called(registry: fx.Registry) -> None:
    with pytest.raises(TypeError):
        registry.define("sum", 42)  # type: ignore[arg-type]
    assert fx.live_registrations() == 0  # C never saw it
    registry.define("sum", Summer())
    with pytest.raises(TypeError):
        registry.call("sum", None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        registry.call("sum", ["1"])  # type: ignore[list-item]


def test_lent_objects_cannot_be_made_from_python() -> None:
    with pytest.raises(TypeError):
        fx.Arg()  # no constructor: only the library makes them


# ---- releases and leak counts -------------------------------------------------------------------

N = 20_000


def many_calls(n: int) -> None:
    r = fx.Registry.new()
    r.define("sum", Summer())
    kept: list[fx.Arg] = []

    def keep(call: fx.Call, args: list[fx.Arg]) -> None:
        kept[:] = args  # kept past the call: closed, then collected with the list
        call.set_result(len(args))

    r.define("keep", keep)
    for i in range(n):
        assert r.call("keep", [i, i]) == 2
        r.call("sum", [i, 1, 2])
    r.close()


def test_many_calls_do_not_leak() -> None:
    many_calls(1000)
    gc.collect()
    objects_before = len(gc.get_objects())
    growth = allocation.allocated_growth(many_calls, N)
    assert growth < 16 * 1024, growth  # 2 * N calls, 5 * N lent objects: none kept
    assert len(gc.get_objects()) - objects_before < 100


def test_every_registered_callable_is_freed_once() -> None:
    freed: list[int] = []
    r = fx.Registry.new()
    for i in range(500):
        f = Summer(offset=i)
        weakref.finalize(f, freed.append, i)
        r.define(f"f{i % 4}", f)  # replaces the one registered 4 definitions ago
        assert r.call(f"f{i % 4}", [1]) == i + 1
    del f
    gc.collect()
    assert sorted(freed) == list(range(496))  # the last four are still registered
    r.close()
    gc.collect()
    assert sorted(freed) == list(range(500))
    assert fx.live_registrations() == 0
