"""Instructions per call for each benchmark case, counted with callgrind (stable on a busy
machine, unlike wall time): runs each case N and 2N times and divides the difference by N.

    PYTHONPATH=<dir with benchlib/ and benchfloor> python3 callgrind.py [--n 20000]

Includes the interpreter's cost of one call expression (LOAD_FAST + CALL), like timeit does.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

# (setup, statement): the statement is what timeit would time.
SETUP = {
    "noop()": ("f = m.noop", "f()"),
    "double_input(int)": ("f = m.double_input", "f(21)"),
    "Counter.add(int)": ("f = m.Counter().add", "f(1)"),
    "str argument (16 chars)": ("f = m.text_length\ns = 'abcdefghijklmnop'", "f(s)"),
    "borrowed 1 KiB bytes": ("f = m.Counter().data", "f()"),
    "create+destroy": ("C = m.Counter", "C()"),
}

# Inside a function (fast locals), unrolled 10x so the loop's own cost is small and identical
# for both modules.
PROGRAM = """
import importlib
m = importlib.import_module({module!r})
{setup}
def run(f={var}):
    for _ in range({n} // 10):
        {body}
run()
"""


def instructions(module: str, case: tuple[str, str], n: int) -> int:
    setup, stmt = case
    var = stmt.split("(")[0]
    body = "; ".join([stmt.replace(var + "(", "f(", 1)] * 10)
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "case.py")
        with open(script, "w") as f:
            f.write(PROGRAM.format(module=module, setup=setup, n=n, var=var, body=body))
        out = os.path.join(tmp, "cg.out")
        r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                            sys.executable, script], capture_output=True, text=True, check=True)
        m = re.search(r"Collected : (\d+)", r.stderr)
        assert m, r.stderr
        return int(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--peer", action="append", default=[], help="NAME=MODULE with the same API")
    args = ap.parse_args()
    modules = {"bindery": "benchlib", "hand-written": "benchfloor"}
    for peer in args.peer:
        name, _, module = peer.partition("=")
        modules[name] = module
    print(f"instructions per call (callgrind, (I(2N) - I(N)) / N, N = {args.n})")
    print(f"{'case':26}" + "".join(f"{k:>14}" for k in modules) + f"{'/floor':>8}{'/fastest':>9}")
    for case, setup in SETUP.items():
        per = {}
        for name, module in modules.items():
            per[name] = (instructions(module, setup, 2 * args.n) -
                         instructions(module, setup, args.n)) / args.n
        ratio = per["bindery"] / per["hand-written"]
        fastest = per["bindery"] / min(per.values())
        print(f"{case:26}" + "".join(f"{v:14.0f}" for v in per.values()) + f"{ratio:8.2f}"
              f"{fastest:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
