"""SQLite collations and the Filename handle through the generated module.

A collation's comparison gets both strings as str (UTF-8, as the binding registers it), each
from a buffer with a hidden byte length (not NUL-terminated: SQLite hands out pointers into its
records), copied for the call; the connection keeps the callable. collation_needed16 gets the missing name as NUL-terminated UTF-16 and the
connection lent for the call. A Filename (`typedef const char *sqlite3_filename`) is the very
pointer SQLite made: its URI parameters live after the name's NUL, so a copy could not find them.
"""
import gc
import pathlib
from typing import Any

import pytest

import sqlite3 as sq  # the generated binding (on PYTHONPATH first), not the standard library's

WORDS = ["banana", "Apple", "cherry", "apple", "Banana"]


def fill(db: sq.Database) -> None:
    db.exec("CREATE TABLE w (s TEXT)")
    with db.prepare("INSERT INTO w VALUES (?)") as ins:
        for word in WORDS:
            ins.bind_text(1, word)
            assert ins.step() == sq.SQLITE_DONE
            ins.reset()


def ordered(db: sq.Database, collation: str) -> list[str]:
    out = []
    with db.prepare(f"SELECT s FROM w ORDER BY s COLLATE {collation}, rowid") as sel:
        while sel.step() == sq.SQLITE_ROW:
            text = sel.column_text(0)
            assert text is not None
            out.append(text)
    return out


def cmp(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def test_create_collation_reversed_orders_a_query() -> None:
    seen: list[tuple[str, str]] = []

    def reverse(a: str, b: str) -> int:
        seen.append((a, b))
        return cmp(b, a)

    with sq.Database.open(":memory:") as db:
        fill(db)
        db.create_collation("REV", reverse)
        assert ordered(db, "REV") == sorted(WORDS, reverse=True)
    # Each argument is exactly one value (the length argument cut it, no NUL was read past).
    assert seen and all(a in WORDS and b in WORDS for a, b in seen)


def test_create_collation_v2_case_folded_and_released_on_close() -> None:
    def folded(a: str, b: str) -> int:
        return cmp(a.casefold(), b.casefold())

    db = sq.Database.open(":memory:")
    fill(db)
    db.create_collation_v2("FOLD", folded)
    assert ordered(db, "FOLD") == ["Apple", "apple", "banana", "Banana", "cherry"]
    with db.prepare("SELECT count(DISTINCT s COLLATE FOLD) FROM w") as sel:
        assert sel.step() == sq.SQLITE_ROW
        assert sel.column_int(0) == 3
    db.close()  # SQLite calls the destroy-notify: the binding drops its reference


def test_create_collation_gets_utf8_text() -> None:
    seen: set[str] = set()

    def by_length(a: str, b: str) -> int:
        seen.update((a, b))
        return cmp((len(a), a), (len(b), b))  # characters, not bytes: 'Grüße' is 5 long

    with sq.Database.open(":memory:") as db:
        db.exec("CREATE TABLE w (s TEXT)")
        db.exec("INSERT INTO w VALUES ('Grüße'), ('😀'), ('abcdef'), ('世界x')")
        db.create_collation("LEN8", by_length)
        assert ordered(db, "LEN8") == ["😀", "世界x", "Grüße", "abcdef"]
    assert seen <= {"Grüße", "😀", "abcdef", "世界x"} and "😀" in seen and "Grüße" in seen


def test_create_collation16_gets_utf16_text() -> None:
    seen: set[str] = set()

    def by_length(a: str, b: str) -> int:
        seen.update((a, b))
        return cmp((len(a), a), (len(b), b))

    with sq.Database.open(":memory:") as db:
        db.exec("CREATE TABLE w (s TEXT)")
        db.exec("INSERT INTO w VALUES ('Grüße'), ('😀'), ('ab'), ('世界x')")
        db.create_collation16("LEN", by_length)
        assert ordered(db, "LEN") == ["😀", "ab", "世界x", "Grüße"]
    assert seen <= {"Grüße", "😀", "ab", "世界x"} and "😀" in seen


def test_an_exception_in_a_collation_propagates_out_of_step() -> None:
    def broken(a: str, b: str) -> int:
        raise ZeroDivisionError("no order")

    with sq.Database.open(":memory:") as db:
        fill(db)
        db.create_collation("BROKEN", broken)
        with pytest.raises(ZeroDivisionError, match="no order"):
            ordered(db, "BROKEN")


def test_collation_needed16_registers_on_demand() -> None:
    asked: list[tuple[int, str]] = []
    lent: list[sq.Database] = []

    def needed(conn: sq.Database, text_rep: int, name: str) -> None:
        asked.append((text_rep, name))
        lent.append(conn)
        conn.create_collation(name, lambda a, b: cmp(b, a))

    with sq.Database.open(":memory:") as db:
        fill(db)
        db.collation_needed16(needed)
        assert ordered(db, "ZYX_Ω") == sorted(WORDS, reverse=True)
        assert asked and asked[0][1] == "ZYX_Ω"
        # The connection was lent for the callback only: the object kept past it is closed and
        # owns nothing (the real connection is untouched).
        with pytest.raises(ValueError, match="closed"):
            lent[0].exec("SELECT 1")
        lent.clear()
        gc.collect()
        db.exec("SELECT 1")
        db.collation_needed16(None)


def test_filename_from_a_uri_with_parameters(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "f.db"
    with sq.Database.open(str(path)) as db:
        db.exec("CREATE TABLE t (x)")
    flags = sq.OpenFlags.READWRITE | sq.OpenFlags.URI
    with sq.Database.open_v2(f"file:{path}?mode=ro&x=1&big=12345678901", flags) as db:
        f = db.db_filename()
        assert isinstance(f, sq.Filename)
        assert f.database() == str(path)
        assert f.uri_parameter("mode") == "ro"
        assert f.uri_parameter("x") == "1"
        assert f.uri_parameter("nope") is None
        assert f.uri_boolean("x", 0) is True
        assert f.uri_boolean("nope", 1) is True
        assert f.uri_int64("big", -1) == 12345678901
        assert f.uri_int64("nope", -1) == -1
        assert [f.uri_key(i) for i in range(4)] == ["mode", "x", "big", None]
        assert f.journal() == str(path) + "-journal"
        assert f.wal() == str(path) + "-wal"
        with pytest.raises(sq.Error):
            db.exec("INSERT INTO t VALUES (1)")  # mode=ro reached SQLite
        f.close()  # borrowed from the connection: closing it frees nothing
        f2 = db.db_filename()
        assert f2 is not None and f2.uri_parameter("x") == "1"


def test_filename_keeps_its_connection_alive_and_fails_after_close(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "g.db"
    flags = sq.OpenFlags.READWRITE | sq.OpenFlags.CREATE | sq.OpenFlags.URI
    db = sq.Database.open_v2(f"file:{path}?k=v", flags)
    f = db.db_filename()
    assert f is not None
    del db
    gc.collect()
    assert f.uri_parameter("k") == "v"  # the Filename holds the Database open
    db2 = sq.Database.open_v2(f"file:{path}?k=w", flags)
    g = db2.db_filename()
    db2.close()
    assert g is not None
    with pytest.raises(ValueError, match="closed"):
        g.uri_parameter("k")


def test_in_memory_database_has_an_empty_or_no_filename() -> None:
    with sq.Database.open(":memory:") as db:
        f = db.db_filename()
        assert f is None or f.database() in ("", None)
