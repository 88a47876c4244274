"""An aggregate / window function implemented in Python: bindery's SQLite module against APSW and
CPython's own sqlite3 (its C module, _sqlite3, imported directly: bindery's package takes the name).

    PYTHONPATH=<generated sqlite3 package> python3 bench/python/window.py [--rows N --repeat R]

Every side implements the same integer sum (step adds, final/value report, inverse subtracts) and
runs, over a table of the integers 1 … N:
  aggregate: SELECT pysum(x) FROM t                                  (step per row, one final)
  window:    SELECT pysum(x) OVER (ORDER BY x ROWS 1 PRECEDING) …    (step, value, inverse per row)
Reported: ns per row (median of repeats), and the same query with SQLite's built-in sum as the
floor. APSW (pinned in requirements-dev.txt) bundles its own SQLite 3.54; bindery and CPython link
the system's.
"""
import argparse
import statistics
import time
from collections.abc import Callable

import sqlite3 as sq  # bindery's generated module (first on PYTHONPATH), not the standard library's

AGGREGATE = "SELECT {f}(x) FROM t"
WINDOW = "SELECT sum(s) FROM (SELECT {f}(x) OVER (ORDER BY x ROWS 1 PRECEDING) AS s FROM t)"


class BinderySum:
    def __init__(self) -> None:
        self.total = 0

    def step(self, ctx: sq.Context, values: list[sq.Value]) -> None:
        self.total += values[0].int64()

    def inverse(self, ctx: sq.Context, values: list[sq.Value]) -> None:
        self.total -= values[0].int64()

    def value(self, ctx: sq.Context) -> None:
        ctx.result_int64(self.total)

    def final(self, ctx: sq.Context) -> None:
        ctx.result_int64(self.total)


class PlainSum:
    """The APSW / CPython shape: arguments as Python values, results returned."""

    def __init__(self) -> None:
        self.total = 0

    def step(self, x: int) -> None:
        self.total += x

    def inverse(self, x: int) -> None:
        self.total -= x

    def value(self) -> int:
        return self.total

    def final(self) -> int:
        return self.total

    finalize = final  # CPython's name for it


def table_sql(rows: int) -> list[str]:
    return ["CREATE TABLE t(x INTEGER)",
            f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) "
            "INSERT INTO t SELECT x FROM c"]


Case = dict[str, Callable[[], int]]


def bindery_case(rows: int) -> Case:
    db = sq.Database.open(":memory:")
    for s in table_sql(rows):
        db.exec(s)
    db.create_window_function("pysum", 1, BinderySum)

    def run(sql: str) -> Callable[[], int]:
        def once() -> int:
            with db.prepare_v2(sql) as st:
                st.step()
                return st.column_int64(0)
        return once

    return {"aggregate": run(AGGREGATE.format(f="pysum")), "window": run(WINDOW.format(f="pysum")),
            "aggregate (built-in sum)": run(AGGREGATE.format(f="sum")),
            "window (built-in sum)": run(WINDOW.format(f="sum"))}


def apsw_case(rows: int) -> Case | None:
    try:
        import apsw  # type: ignore[import-not-found]
    except ImportError:
        return None
    con = apsw.Connection(":memory:")
    for s in table_sql(rows):
        con.execute(s)
    con.create_window_function("pysum", PlainSum, 1)

    def run(sql: str) -> Callable[[], int]:
        return lambda: int(con.execute(sql).fetchall()[0][0])

    return {"aggregate": run(AGGREGATE.format(f="pysum")), "window": run(WINDOW.format(f="pysum")),
            "aggregate (built-in sum)": run(AGGREGATE.format(f="sum")),
            "window (built-in sum)": run(WINDOW.format(f="sum"))}


def cpython_case(rows: int) -> Case | None:
    import _sqlite3  # CPython's C module behind the standard library's sqlite3 package

    con = _sqlite3.connect(":memory:")
    for s in table_sql(rows):
        con.execute(s)
    con.create_window_function("pysum", 1, PlainSum)

    def run(sql: str) -> Callable[[], int]:
        return lambda: int(con.execute(sql).fetchall()[0][0])

    return {"aggregate": run(AGGREGATE.format(f="pysum")), "window": run(WINDOW.format(f="pysum")),
            "aggregate (built-in sum)": run(AGGREGATE.format(f="sum")),
            "window (built-in sum)": run(WINDOW.format(f="sum"))}


def ns_per_row(fn: Callable[[], int], rows: int, repeat: int, expected: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        assert fn() == expected
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    a = parser.parse_args()
    n = a.rows
    # The window's sums: x + (x - 1) for each row but the first.
    expected = {"aggregate": n * (n + 1) // 2, "window": n * (n + 1) - n}
    cases = {"bindery": bindery_case(n), "APSW": apsw_case(n), "CPython sqlite3": cpython_case(n)}
    print(f"ns per row, median of {a.repeat} runs over {n} rows")
    print("| library | aggregate (Python) | built-in sum | window (Python) | built-in sum |")
    print("|---|---|---|---|---|")
    for name, case in cases.items():
        if case is None:
            print(f"| {name} | not installed | | | |")
            continue
        cells = [ns_per_row(case[q], n, a.repeat, expected[q.split()[0]])
                 for q in ("aggregate", "aggregate (built-in sum)", "window", "window (built-in sum)")]
        print(f"| {name} | " + " | ".join(f"{c:.0f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
