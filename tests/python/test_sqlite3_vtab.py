"""SQLite virtual tables implemented in Python (sqlite3_module through `interfaces:`).

`db.create_module(name, module)` registers the binding's static sqlite3_module; `module` is any
object with create/connect (each gets the connection, lent for the call, and the arguments: the
module's name, the database's, the table's, then those written in USING module(…)); the tables
they return get best_index (an IndexInfo lent for the call), open, disconnect/destroy; the cursors
get filter, next, eof, column (a Context lent for the call), rowid and close. An exception inside
a method is raised by the step()/exec() that ran it; the connection releases the module and its
tables when it closes.
"""
import gc
import threading
import weakref

import pytest

import sqlite3 as sq  # the generated binding (on PYTHONPATH first), not the standard library's

SQLITE_INDEX_CONSTRAINT_GE = 32


class SeriesCursor:
    def __init__(self, table: "SeriesTable") -> None:
        self.table = table
        self.row = 0

    def filter(self, idx_num: int, idx_str: str | None, args: list[sq.Value]) -> None:
        self.table.filters.append((idx_num, idx_str, [a.int64() for a in args]))
        self.row = max(self.table.start, args[0].int64()) if idx_num == 1 else self.table.start

    def next(self) -> None:
        self.row += 1

    def eof(self) -> bool:
        return self.row > self.table.stop

    def column(self, ctx: sq.Context, column: int) -> None:
        if self.table.fail_column:
            raise self.table.fail_column
        ctx.result_int64(self.row)

    def rowid(self) -> int:
        return self.row

    def close(self) -> None:
        self.table.cursors_closed += 1


class SeriesTable:
    """The integers start … stop (inclusive), one column `value`."""

    def __init__(self, start: int, stop: int) -> None:
        self.start, self.stop = start, stop
        self.filters: list[tuple[int, str | None, list[int]]] = []
        self.infos: list[sq.IndexInfo] = []
        self.fail_column: BaseException | None = None
        self.cursors_closed = 0
        self.disconnected = 0

    def best_index(self, info: sq.IndexInfo) -> None:
        self.infos.append(info)
        info.set_estimated_cost(float(self.stop - self.start + 1))
        for i in range(info.constraint_count()):
            usable = info.constraint_usable(i)
            if usable and info.constraint_op(i) == SQLITE_INDEX_CONSTRAINT_GE and info.constraint_column(i) == 0:
                info.use_constraint(i, 1, True)  # filter gets the bound as args[0]; SQLite omits its check
                info.set_idx_num(1)
                info.set_idx_str("value>=")
                return

    def open(self) -> SeriesCursor:
        return SeriesCursor(self)

    def disconnect(self) -> None:
        self.disconnected += 1

    def destroy(self) -> None:
        self.disconnected += 1


class Series:
    def __init__(self) -> None:
        self.args: list[list[str]] = []
        self.tables: "weakref.WeakSet[SeriesTable]" = weakref.WeakSet()
        self.last: SeriesTable | None = None

    def connect(self, db: sq.Database, args: list[str]) -> SeriesTable:
        self.args.append(args)
        start, stop = (int(a) for a in args[3:])
        db.declare_vtab("CREATE TABLE x(value INTEGER)")
        table = SeriesTable(start, stop)
        self.tables.add(table)
        self.last = table
        return table

    def create(self, db: sq.Database, args: list[str]) -> SeriesTable:
        return self.connect(db, args)


def one_int(db: sq.Database, sql: str) -> int:
    with db.prepare(sql) as sel:
        assert sel.step() == sq.SQLITE_ROW
        return sel.column_int64(0)


def test_a_series_table_sums() -> None:
    series = Series()
    with sq.Database.open(":memory:") as db:
        db.create_module("series", series)
        db.exec("CREATE VIRTUAL TABLE s USING series(1, 10)")
        assert [a[0] for a in series.args] == ["series"] and series.args[0][1:3] == ["main", "s"]
        assert [a.strip() for a in series.args[0][3:]] == ["1", "10"]
        assert one_int(db, "SELECT sum(value) FROM s") == 55
        assert one_int(db, "SELECT count(*) FROM s") == 10
        assert one_int(db, "SELECT max(rowid) FROM s") == 10


def test_best_index_passes_a_constraint_to_filter() -> None:
    series = Series()
    with sq.Database.open(":memory:") as db:
        db.create_module("series", series)
        db.exec("CREATE VIRTUAL TABLE s USING series(1, 10)")
        assert one_int(db, "SELECT sum(value) FROM s WHERE value >= 8") == 27
        table = series.last
        assert table is not None
        assert (1, "value>=", [8]) in table.filters
        # The IndexInfo was lent for best_index only.
        assert table.infos and all(i.closed for i in table.infos)
        with pytest.raises(ValueError, match="closed"):
            table.infos[0].constraint_count()


def test_an_exception_in_a_method_leaves_the_step() -> None:
    series = Series()
    with sq.Database.open(":memory:") as db:
        db.create_module("series", series)
        db.exec("CREATE VIRTUAL TABLE s USING series(1, 3)")
        boom = LookupError("no such value")
        assert series.last is not None
        series.last.fail_column = boom
        with db.prepare_v2("SELECT value FROM s") as sel:
            with pytest.raises(LookupError) as caught:
                sel.step()
            assert caught.value is boom
            assert db.errmsg() == "no such value"  # SQLite got the message (the table's zErrMsg)
        with pytest.raises(LookupError):
            db.exec("SELECT value FROM s")
        assert db.errmsg() == "no such value"
        series.last.fail_column = None
        assert one_int(db, "SELECT sum(value) FROM s") == 6  # the connection is fine afterwards
        assert series.last.cursors_closed >= 3


def test_connect_raising_fails_the_create_statement() -> None:
    series = Series()
    with sq.Database.open(":memory:") as db:
        db.create_module("series", series)
        with pytest.raises(ValueError, match="invalid literal"):
            db.exec("CREATE VIRTUAL TABLE bad USING series(one, 2)")
        assert "invalid literal" in (db.errmsg() or "")  # through *pzErr
        with pytest.raises(sq.Error):  # the table was never created
            db.exec("SELECT * FROM bad")


def test_closing_the_database_releases_the_module_and_its_tables() -> None:
    series = Series()
    ref = weakref.ref(series)
    db = sq.Database.open(":memory:")
    db.create_module("series", series)
    db.exec("CREATE VIRTUAL TABLE s USING series(1, 10)")
    assert one_int(db, "SELECT sum(value) FROM s") == 55
    table = series.last
    assert table is not None
    tables = series.tables
    table_ref = weakref.ref(table)
    del series, table
    gc.collect()
    assert ref() is not None and table_ref() is not None  # SQLite holds both
    db.close()
    gc.collect()
    assert ref() is None
    assert table_ref() is None and len(tables) == 0


def test_replacing_the_module_releases_the_old_one() -> None:
    first, second = Series(), Series()
    first_ref = weakref.ref(first)
    with sq.Database.open(":memory:") as db:
        db.create_module("series", first)
        del first
        gc.collect()
        assert first_ref() is not None
        db.create_module("series", second)
        gc.collect()
        assert first_ref() is None
        db.exec("CREATE VIRTUAL TABLE s USING series(2, 4)")
        assert one_int(db, "SELECT sum(value) FROM s") == 9
        assert second.args


def test_an_unclosed_database_collected_releases_the_module() -> None:
    series = Series()
    ref = weakref.ref(series)
    db = sq.Database.open(":memory:")
    db.create_module("series", series)
    db.exec("CREATE VIRTUAL TABLE s USING series(1, 3)")
    assert one_int(db, "SELECT sum(value) FROM s") == 6
    tables = series.tables
    del series, db  # the finaliser closes the connection: SQLite disconnects the table
    gc.collect()
    assert ref() is None and len(tables) == 0


class FailingDisconnect(Series):
    def connect(self, db: sq.Database, args: list[str]) -> SeriesTable:
        table = super().connect(db, ["series", "main", "s", "1", "2"])

        def disconnect() -> None:
            raise OSError("disconnect failed")

        table.disconnect = disconnect  # type: ignore[method-assign]
        return table


def test_close_raises_what_disconnect_raised_and_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    db = sq.Database.open(":memory:")
    db.create_module("series", FailingDisconnect())
    db.exec("CREATE VIRTUAL TABLE s USING series()")
    with pytest.raises(OSError, match="disconnect failed"):
        db.close()
    assert db.closed
    # Collected instead of closed: nobody to raise it to, it is reported as unraisable.
    seen: list[BaseException | None] = []
    monkeypatch.setattr("sys.unraisablehook", lambda u: seen.append(u.exc_value))
    db = sq.Database.open(":memory:")
    db.create_module("series", FailingDisconnect())
    db.exec("CREATE VIRTUAL TABLE s USING series()")
    del db
    gc.collect()
    assert [type(e) for e in seen] == [OSError]


def test_queries_on_several_threads_run_the_methods_on_each() -> None:
    """step() releases the GIL; each method takes it back on the thread SQLite calls it from."""
    results: dict[int, int] = {}
    opened_on: dict[int, list[bool]] = {}

    def work(index: int) -> None:
        me = threading.get_ident()
        on_this_thread = opened_on.setdefault(index, [])

        class Recording(Series):
            def connect(self, db: sq.Database, args: list[str]) -> SeriesTable:
                table = super().connect(db, args)
                original = table.open

                def open_here() -> SeriesCursor:
                    on_this_thread.append(threading.get_ident() == me)
                    return original()

                table.open = open_here  # type: ignore[method-assign]
                return table

        with sq.Database.open(":memory:") as db:
            db.create_module("series", Recording())
            db.exec(f"CREATE VIRTUAL TABLE s USING series(1, {1000 * (index + 1)})")
            for _ in range(20):
                results[index] = one_int(db, "SELECT sum(value) FROM s")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    work(4)
    for t in threads:
        t.join()
    assert results == {i: n * (n + 1) // 2 for i in range(5) for n in [1000 * (i + 1)]}
    assert all(len(runs) == 20 and all(runs) for runs in opened_on.values()) and len(opened_on) == 5
