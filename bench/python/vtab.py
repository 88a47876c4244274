"""A virtual table implemented in Python: bindery's SQLite module against APSW.

    PYTHONPATH=<generated sqlite3 package> python3 bench/python/vtab.py [--rows N --repeat R]

Both sides implement the same `series(start, stop)` table (one column, `value`, the integers
start … stop) and run `SELECT sum(value) FROM s`: per row SQLite calls the cursor's next, eof,
column (and the Python method sets the result). Reported: ns per row (median of repeats), for the
virtual table and, as the floor SQLite itself sets, for an ordinary table of the same rows. APSW
(pip apsw, pinned in requirements-dev.txt) bundles its own SQLite (3.54), bindery's module links the
system one: the ordinary-table rows show how much of a difference that makes alone.
"""
import argparse
import statistics
import time
from collections.abc import Callable

import sqlite3 as sq  # bindery's generated module (first on PYTHONPATH), not the standard library's


class BinderyCursor:
    def __init__(self, start: int, stop: int) -> None:
        self.row, self.stop = start, stop

    def filter(self, idx_num: int, idx_str: str | None, args: list[sq.Value]) -> None:
        pass

    def next(self) -> None:
        self.row += 1

    def eof(self) -> bool:
        return self.row > self.stop

    def column(self, ctx: sq.Context, column: int) -> None:
        ctx.result_int64(self.row)

    def rowid(self) -> int:
        return self.row


class BinderyTable:
    def __init__(self, start: int, stop: int) -> None:
        self.start, self.stop = start, stop

    def open(self) -> BinderyCursor:
        return BinderyCursor(self.start, self.stop)


class BinderySeries:
    def connect(self, db: sq.Database, args: list[str]) -> BinderyTable:
        db.declare_vtab("CREATE TABLE x(value INTEGER)")
        return BinderyTable(int(args[3]), int(args[4]))

    def create(self, db: sq.Database, args: list[str]) -> BinderyTable:
        return self.connect(db, args)


def bindery_case(rows: int, plain: bool = True) -> tuple[Callable[[], int], Callable[[], int] | None]:
    db = sq.Database.open(":memory:")
    db.create_module("series", BinderySeries())
    db.exec(f"CREATE VIRTUAL TABLE s USING series(1, {rows})")
    if plain:
        db.exec("CREATE TABLE t(value INTEGER)")
        db.exec(f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) "
                "INSERT INTO t SELECT x FROM c")

    def run(sql: str) -> Callable[[], int]:
        def once() -> int:
            with db.prepare_v2(sql) as st:
                st.step()
                return st.column_int64(0)
        return once

    return run("SELECT sum(value) FROM s"), run("SELECT sum(value) FROM t") if plain else None


def apsw_case(rows: int, plain: bool = True) -> tuple[Callable[[], int], Callable[[], int] | None] | None:
    try:
        import apsw  # type: ignore[import-not-found]
    except ImportError:
        return None

    class Cursor:
        def __init__(self, start: int, stop: int) -> None:
            self.row, self.stop = start, stop

        def Filter(self, *args: object) -> None:
            pass

        def Next(self) -> None:
            self.row += 1

        def Eof(self) -> bool:
            return self.row > self.stop

        def Column(self, column: int) -> int:
            return self.row

        def Rowid(self) -> int:
            return self.row

        def Close(self) -> None:
            pass

    class Table:
        def __init__(self, start: int, stop: int) -> None:
            self.start, self.stop = start, stop

        def BestIndex(self, *args: object) -> None:
            return None

        def Open(self) -> Cursor:
            return Cursor(self.start, self.stop)

        def Disconnect(self) -> None:
            pass

        Destroy = Disconnect

    class Series:
        def Create(self, db: object, module: str, dbname: str, table: str, *args: str) -> tuple[str, Table]:
            return "CREATE TABLE x(value INTEGER)", Table(int(args[0]), int(args[1]))

        Connect = Create

    con = apsw.Connection(":memory:")
    con.create_module("series", Series())
    con.execute(f"CREATE VIRTUAL TABLE s USING series(1, {rows})")
    if plain:
        con.execute("CREATE TABLE t(value INTEGER)")
        con.execute(f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) "
                    "INSERT INTO t SELECT x FROM c")

    def run(sql: str) -> Callable[[], int]:
        def once() -> int:
            return int(con.execute(sql).fetchall()[0][0])
        return once

    return run("SELECT sum(value) FROM s"), run("SELECT sum(value) FROM t") if plain else None


def ns_per_row(fn: Callable[[], int], rows: int, repeat: int) -> float:
    expected = rows * (rows + 1) // 2
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
    parser.add_argument("--only", choices=["bindery", "APSW"], help="one library")
    parser.add_argument("--vtab-only", action="store_true",
                        help="one scan of the virtual table, nothing else (for callgrind: N and 2N rows)")
    a = parser.parse_args()
    cases = {name: make(a.rows, not a.vtab_only) for name, make in (("bindery", bindery_case), ("APSW", apsw_case))
             if a.only in (None, name)}
    if a.vtab_only:
        for case in cases.values():
            if case is not None:
                case[0]()
        return
    print(f"ns per row, median of {a.repeat} scans of {a.rows} rows")
    print("| library | virtual table (Python) | ordinary table | difference |")
    print("|---|---|---|---|")
    for name, case in cases.items():
        if case is None:
            print(f"| {name} | not installed | | |")
            continue
        vtab, plain = (ns_per_row(fn, a.rows, a.repeat) for fn in case if fn is not None)
        print(f"| {name} | {vtab:.0f} | {plain:.0f} | {vtab - plain:.0f} |")


if __name__ == "__main__":
    main()
