"""SQLite's transfers (tests/fixtures/transfers/SPEC.md's vocabulary on the real library).

- `Statement.column_value(i)`: the "unprotected" value SQLite lends until the next step is copied
  at once with sqlite3_value_dup; Python gets an owned `Value` that outlives the row.
- `Database.close_strict()`: sqlite3_close, which frees the connection only on SQLITE_OK.
- `Database.deserialize(schema, data)`: the bytes are copied into sqlite3_malloc64 memory that the
  connection owns (FREEONCLOSE | RESIZEABLE) and frees, also when the call fails.
"""
import gc

import pytest

import sqlite3 as sq


def test_column_value_is_an_owned_copy_that_outlives_the_row() -> None:
    with sq.Database.open(":memory:") as db:
        st = db.prepare_v2("SELECT 42, 'hi', x'0102', NULL UNION ALL SELECT 7, 'x', x'', 1")
        assert st.step() == sq.SQLITE_ROW
        values = [st.column_value(i) for i in range(4)]
        assert all(isinstance(v, sq.Value) for v in values)
        assert st.step() == sq.SQLITE_ROW  # the lent values are overwritten; the copies are not
        assert st.step() == sq.SQLITE_DONE
        st.close()
        assert values[0].int64() == 42
        assert values[1].text() == "hi"
        assert values[2].blob() == b"\x01\x02"
        assert values[3].type() == sq.SQLITE_NULL
        values[0].close()
        with pytest.raises(ValueError, match="closed"):
            values[0].int64()


def test_column_values_do_not_leak() -> None:
    import allocation

    def many(n: int) -> None:
        with sq.Database.open(":memory:") as db:
            with db.prepare_v2("SELECT 'some text'") as st:
                for _ in range(n):
                    assert st.step() == sq.SQLITE_ROW
                    assert st.column_value(0).text() == "some text"
                    st.reset()

    many(1000)
    assert allocation.allocated_growth(many, 50_000) < 16 * 1024


def test_close_strict_closes_an_idle_connection() -> None:
    db = sq.Database.open(":memory:")
    db.exec("CREATE TABLE t (x)")
    db.close_strict()
    assert db.closed
    with pytest.raises(ValueError, match="closed"):
        db.exec("SELECT 1")
    db.close()  # nothing freed twice
    del db
    gc.collect()


def test_close_strict_with_a_live_statement_leaves_the_connection_open() -> None:
    db = sq.Database.open(":memory:")
    st = db.prepare_v2("SELECT 1")
    # The binding refuses first (the statement depends on the connection); SQLite would answer
    # SQLITE_BUSY. Either way the connection stays open and usable.
    with pytest.raises(ValueError, match="depend on it"):
        db.close_strict()
    assert not db.closed
    assert st.step() == sq.SQLITE_ROW
    st.close()
    db.close_strict()
    assert db.closed


def test_close_strict_on_a_closed_connection() -> None:
    db = sq.Database.open(":memory:")
    db.close()
    with pytest.raises(ValueError, match="closed"):
        db.close_strict()


def image_with_rows() -> bytes:
    with sq.Database.open(":memory:") as src:
        src.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)")
        data = src.serialize("main")
        assert data is not None
        return data


def total(db: sq.Database) -> int:
    with db.prepare_v2("SELECT sum(x) FROM t") as st:
        assert st.step() == sq.SQLITE_ROW
        return st.column_int64(0)


def test_deserialize_copies_the_image_into_sqlite_memory() -> None:
    data = bytearray(image_with_rows())
    with sq.Database.open(":memory:") as db:
        db.deserialize("main", data)
        data[:] = b"\x00" * len(data)  # the connection holds its own copy
        assert total(db) == 6
        db.exec("INSERT INTO t SELECT x * 10 FROM t")  # RESIZEABLE: SQLite may grow its copy
        assert total(db) == 66
        again = db.serialize("main")
        assert again is not None and len(again) >= len(data)


def test_deserialize_into_a_missing_schema_fails_and_frees_the_copy() -> None:
    data = image_with_rows()
    with sq.Database.open(":memory:") as db:
        with pytest.raises(sq.Error):
            db.deserialize("no_such_schema", data)
        db.deserialize(None, data)  # None: the main schema
        assert total(db) == 6


def test_deserialize_rejects_what_is_not_bytes() -> None:
    with sq.Database.open(":memory:") as db:
        with pytest.raises(TypeError):
            db.deserialize("main", "text")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            db.deserialize("main", None)  # type: ignore[arg-type]
