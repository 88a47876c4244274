"""Python benchmark (issue 7): the six cases, bindery's generated module vs the hand-written floor
and ctypes (and any peer module given with --peer NAME=MODULE). Prints ns per call (median of
repeats) and the ratio to the floor. Not a timed test: run it by hand or with `ninja bench_python`.

    python3 bench.py [--repeat 7] [--number 1000000]
"""
import argparse
import ctypes
import importlib
import statistics
import sys
import timeit
from collections.abc import Callable

TEXT16 = "abcdefghijklmnop"


def cases(mod) -> dict[str, tuple[str, dict]]:  # type: ignore[no-untyped-def,type-arg]
    c = mod.Counter()
    return {
        "noop()": ("f()", {"f": mod.noop}),
        "double_input(int)": ("f(21)", {"f": mod.double_input}),
        "Counter.add(int)": ("f(1)", {"f": c.add}),
        "str argument (16 chars)": ("f(s)", {"f": mod.text_length, "s": TEXT16}),
        "borrowed 1 KiB bytes": ("f()", {"f": c.data}),
        "create+destroy": ("C()", {"C": mod.Counter}),
    }


class CtypesModule:
    """The same six cases through ctypes (no compiled glue: the slow end of the table)."""

    def __init__(self, path: str) -> None:
        lib = ctypes.CDLL(path)
        lib.benchlib_double_input.argtypes = [ctypes.c_int]
        lib.benchlib_double_input.restype = ctypes.c_int
        lib.benchlib_text_length.argtypes = [ctypes.c_char_p]
        lib.benchlib_text_length.restype = ctypes.c_size_t
        lib.benchlib_counter_new.restype = ctypes.c_void_p
        lib.benchlib_counter_free.argtypes = [ctypes.c_void_p]
        lib.benchlib_counter_add.argtypes = [ctypes.c_void_p, ctypes.c_int64]
        lib.benchlib_counter_data.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
        lib.benchlib_counter_data.restype = ctypes.POINTER(ctypes.c_uint8)
        self.noop = lib.benchlib_noop
        self.double_input = lib.benchlib_double_input
        text_length = lib.benchlib_text_length
        self.text_length: Callable[[str], int] = lambda s: text_length(s.encode())

        class Counter:
            def __init__(self) -> None:
                self.p = lib.benchlib_counter_new()

            def __del__(self) -> None:
                lib.benchlib_counter_free(self.p)

            def add(self, d: int) -> None:
                lib.benchlib_counter_add(self.p, d)

            def data(self) -> memoryview:
                n = ctypes.c_size_t()
                ptr = lib.benchlib_counter_data(self.p, ctypes.byref(n))
                return memoryview((ctypes.c_uint8 * n.value).from_address(ctypes.addressof(ptr.contents)))

        self.Counter = Counter


def measure(mod, repeat: int, number: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    out = {}
    for name, (stmt, glob) in cases(mod).items():
        times = timeit.repeat(stmt, globals=glob, repeat=repeat, number=number)
        out[name] = statistics.median(times) / number * 1e9
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--number", type=int, default=300_000)
    ap.add_argument("--ctypes-lib", help="path to a shared benchlib for the ctypes row")
    ap.add_argument("--peer", action="append", default=[], help="NAME=MODULE with the same API")
    args = ap.parse_args()

    modules = {"bindery": importlib.import_module("benchlib"),
               "hand-written": importlib.import_module("benchfloor")}
    for peer in args.peer:
        name, _, module = peer.partition("=")
        modules[name] = importlib.import_module(module)
    if args.ctypes_lib:
        modules["ctypes"] = CtypesModule(args.ctypes_lib)
    results = {name: measure(m, args.repeat, args.number) for name, m in modules.items()}

    names = list(results)
    print(f"Python {sys.version.split()[0]}, ns per call (median of {args.repeat} x {args.number})")
    print(f"{'case':26}" + "".join(f"{n:>14}" for n in names) + f"{'bindery/floor':>15}")
    worst = 0.0
    for case in results["bindery"]:
        row = [results[n][case] for n in names]
        ratio = results["bindery"][case] / results["hand-written"][case]
        worst = max(worst, ratio)
        print(f"{case:26}" + "".join(f"{v:14.1f}" for v in row) + f"{ratio:15.2f}")
    print(f"worst ratio bindery/floor: {worst:.2f} (target <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
