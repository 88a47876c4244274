"""SQLite (the system library, tests/fixtures/sqlite3/bindery.yaml) through the generated module.

Borrowed column data valid only until the next step is copied (bytes / str), never a view.
"""
import pathlib

import pytest

import sqlite3 as sq  # the generated binding (on PYTHONPATH first), not the standard library's


def open_db() -> sq.Database:
    return sq.Database.open(":memory:")


def test_table_bind_step_columns() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, n INTEGER)")
        with db.prepare("INSERT INTO t (name, data, n) VALUES (?, ?, ?)") as ins:
            assert ins.bind_parameter_count() == 3
            ins.bind_text(1, "Grüße ✓")
            ins.bind_blob(2, b"\x00\x01\xff")
            ins.bind_int64(3, 2**40)
            assert ins.step() == sq.SQLITE_DONE
            ins.reset()
            ins.bind_null(1)
            ins.bind_blob(2, bytearray(b""))
            ins.bind_int(3, -7)
            assert ins.step() == sq.SQLITE_DONE
        rows = []
        with db.prepare("SELECT name, data, n FROM t ORDER BY id") as sel:
            assert sel.column_count() == 3
            while sel.step() == sq.SQLITE_ROW:
                rows.append((sel.column_text(0), sel.column_blob(1), sel.column_int64(2),
                             sel.column_type(0)))
        assert rows == [("Grüße ✓", b"\x00\x01\xff", 2**40, sq.SQLITE_TEXT),
                        (None, b"", -7, sq.SQLITE_NULL)]


def test_blobs_are_copies_that_outlive_the_next_step() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE b (x BLOB); INSERT INTO b VALUES (x'0102'), (x'0304')")
        with db.prepare("SELECT x FROM b") as sel:
            assert sel.step() == sq.SQLITE_ROW
            first = sel.column_blob(0)
            assert isinstance(first, bytes)
            assert sel.step() == sq.SQLITE_ROW
            assert sel.column_blob(0) == b"\x03\x04"
            assert first == b"\x01\x02"


def test_transaction_rollback() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (n INTEGER)")
        db.exec("BEGIN")
        db.exec("INSERT INTO t VALUES (1)")
        db.exec("ROLLBACK")
        db.exec("BEGIN; INSERT INTO t VALUES (2); COMMIT")
        with db.prepare("SELECT count(*), sum(n) FROM t") as sel:
            assert sel.step() == sq.SQLITE_ROW
            assert (sel.column_int(0), sel.column_int(1)) == (1, 2)


def test_error_carries_sqlites_message_and_code() -> None:
    with open_db() as db:
        with pytest.raises(sq.Error, match="no such table: nope") as info:
            db.prepare("SELECT * FROM nope")
        assert info.value.code == sq.SQLITE_ERROR
        db.exec("CREATE TABLE u (k INTEGER UNIQUE)")
        db.exec("INSERT INTO u VALUES (1)")
        with pytest.raises(sq.Error, match="UNIQUE constraint failed"):
            db.exec("INSERT INTO u VALUES (1)")


def test_a_bind_index_out_of_range_is_an_index_error() -> None:
    # stmt_rc's kinds: SQLITE_RANGE raises an IndexError that is also the library's error.
    with open_db() as db:
        with db.prepare("SELECT ?1") as st:
            with pytest.raises(IndexError, match="out of range") as info:
                st.bind_int(5, 1)
            assert isinstance(info.value, sq.Error)
            assert info.value.code == sq.SQLITE_RANGE
            st.bind_int(1, 1)  # the statement is still usable


def test_statement_keeps_its_database_open() -> None:
    db = open_db()
    st = db.prepare("SELECT 1")
    with pytest.raises(ValueError, match="still alive"):
        db.close()
    st.close()
    db.close()
    with pytest.raises(ValueError, match="closed"):
        db.exec("SELECT 1")


def test_blocking_call_releases_the_gil() -> None:
    """sqlite3_sleep is `blocking: true`: while it sleeps in C, another Python thread runs."""
    import threading
    import time

    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    worker = threading.Thread(target=spin)
    worker.start()
    try:
        time.sleep(0.05)  # let the worker start
        before = ticks
        sq.sleep(300)  # holds the GIL for 300 ms unless the wrapper released it
        during = ticks - before
    finally:
        stop.set()
        worker.join()
    assert during > 1000, during


# ---- the UTF-16 twins take and return str ------------------------------------------------------------

def test_utf16_functions_take_and_return_str() -> None:
    with sq.Database.open16(":memory:") as db:
        db.exec("CREATE TABLE t (name TEXT)")
        with db.prepare16("INSERT INTO t VALUES (?)") as ins:
            ins.bind_text16(1, "Grüße 😀 日本")
            assert ins.step() == sq.SQLITE_DONE
        with db.prepare16("SELECT name AS label FROM t") as sel:
            assert sel.step() == sq.SQLITE_ROW
            assert sel.column_text16(0) == "Grüße 😀 日本"
            assert sel.column_bytes16(0) == len("Grüße 😀 日本".encode("utf-16-le"))
            assert sel.column_name16(0) == "label"
            assert sel.column_text(0) == "Grüße 😀 日本"  # the same value through UTF-8
        with pytest.raises(sq.Error):
            db.prepare16("SELECT * FROM nope")
        assert "no such table: nope" in db.errmsg16()
    assert sq.complete16("SELECT 1;") == 1
    assert sq.complete16("SELECT 1") == 0


def test_utf16_lone_surrogates_raise_unicode_encode_error() -> None:
    with open_db() as db:
        with db.prepare("SELECT ?") as st:
            with pytest.raises(UnicodeEncodeError):
                st.bind_text16(1, "bad \ud800")
            st.bind_text16(1, "good")  # still usable
            assert st.step() == sq.SQLITE_ROW and st.column_text16(0) == "good"
        with pytest.raises(UnicodeEncodeError):
            sq.complete16("\udc00;")


# ---- output lengths: keyword_name returns the keyword itself -----------------------------------------

def test_keyword_name_is_exactly_the_keyword() -> None:
    names = [sq.keyword_name(i) for i in range(sq.keyword_count())]
    assert "SELECT" in names and "ABORT" in names
    # Not cut, not run into the next keyword (SQLite's names are not NUL-terminated).
    assert all(n.replace("_", "").isalpha() and n == n.upper() for n in names)
    assert len(set(names)) == len(names) and all(sq.keyword_check(n) for n in names)
    with pytest.raises(sq.Error):
        sq.keyword_name(sq.keyword_count())


# ---- nullable callback args: the authorizer gets None for absent names -------------------------------

def test_set_authorizer_gets_none_for_absent_arguments_and_can_deny() -> None:
    with open_db() as db:
        db.exec("CREATE TABLE t (x); CREATE TABLE secret (y)")
        seen: list[tuple[int, str | None, str | None, str | None, str | None]] = []

        def authorize(action: int, a: str | None, b: str | None, database: str | None,
                      trigger: str | None) -> int:
            seen.append((action, a, b, database, trigger))
            return sq.SQLITE_DENY if a == "secret" else sq.SQLITE_OK

        db.set_authorizer(authorize)
        with db.prepare("SELECT x FROM t") as st:
            assert st.step() == sq.SQLITE_DONE
        assert (sq.SQLITE_SELECT, None, None, None, None) in seen  # NULL names arrive as None
        assert (sq.SQLITE_READ, "t", "x", "main", None) in seen
        with pytest.raises(sq.Error, match="prohibited"):
            db.prepare("SELECT y FROM secret")
        db.set_authorizer(None)
        db.prepare("SELECT y FROM secret").close()


def test_a_failed_open_closes_the_half_open_connection(tmp_path: "pathlib.Path") -> None:
    # sqlite3_open_v2 sets *ppDb even on failure (valid_on_error): the binding reads the message
    # from it, then closes it. SQLite's own allocator counts what a leaked connection would keep.
    missing = str(tmp_path / "no" / "such" / "dir.db")

    def fail_once() -> None:
        with pytest.raises(sq.Error, match="unable to open"):
            sq.Database.open_v2(missing, sq.OpenFlags.READONLY)

    fail_once()
    before = sq.memory_used()
    for _ in range(200):
        fail_once()
    assert sq.memory_used() == before
