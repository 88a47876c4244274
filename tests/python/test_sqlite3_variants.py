"""SQLite's op-code APIs bound as typed methods (`variants:`): sqlite3_db_config's boolean options
(variadic: value -1 asks, 0 or 1 sets, the setting in effect comes back) and sqlite3_file_control's
`void *` made an `int *` or `unsigned *`."""
import os
import pathlib

import pytest

import sqlite3 as sq

BOOLEAN_OPTIONS = ["enable_fkey", "enable_trigger", "enable_view", "enable_qpsg", "trigger_eqp",
                   "no_ckpt_on_close", "reset_database", "defensive", "legacy_alter_table",
                   "dqs_dml", "dqs_ddl", "legacy_file_format", "trusted_schema"]


@pytest.mark.parametrize("option", BOOLEAN_OPTIONS)
def test_every_boolean_db_config_option_sets_and_reports(option: str) -> None:
    with sq.Database.open(":memory:") as db:
        config = getattr(db, "config_" + option)
        assert config(1) == 1
        assert config(-1) == 1  # -1 only asks
        assert config(0) == 0
        assert config(-1) == 0


def test_foreign_keys_follow_config_enable_fkey() -> None:
    with sq.Database.open(":memory:") as db:
        db.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); "
                "CREATE TABLE c (p INTEGER REFERENCES p(id))")
        db.config_enable_fkey(0)
        db.exec("INSERT INTO c VALUES (1)")  # not enforced
        db.exec("DELETE FROM c")
        assert db.config_enable_fkey(1) == 1
        with pytest.raises(sq.Error, match="FOREIGN KEY"):
            db.exec("INSERT INTO c VALUES (2)")


def test_the_shims_themselves_are_not_bound() -> None:
    assert not hasattr(sq.Database, "db_config")
    assert not hasattr(sq.Database, "file_control")


def test_file_control_on_a_file_database(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "x.db"
    with sq.Database.open(str(path)) as db:
        db.exec("CREATE TABLE t (x)")
        assert db.file_control_persist_wal(None, 1) == 1
        assert db.file_control_persist_wal("main", -1) == 1
        assert db.file_control_persist_wal(None, 0) == 0
        assert db.file_control_powersafe_overwrite(None, -1) in (0, 1)
        assert db.file_control_has_moved() == 0
        before = db.file_control_data_version()
        db.exec("INSERT INTO t VALUES (1)")
        with sq.Database.open(str(path)) as other:
            other.exec("INSERT INTO t VALUES (2)")
        assert db.file_control_data_version() != before  # another connection changed the file
        os.rename(path, tmp_path / "y.db")
        assert db.file_control_has_moved() == 1


def test_file_control_reports_sqlite_errors() -> None:
    with sq.Database.open(":memory:") as db:
        with pytest.raises(sq.Error):
            db.file_control_persist_wal("no_such_schema", 1)  # SQLITE_ERROR: no such database


def test_config_values_are_range_checked() -> None:
    with sq.Database.open(":memory:") as db:
        with pytest.raises(OverflowError):
            db.config_enable_fkey(2**31)
        with pytest.raises(TypeError):
            db.config_enable_fkey("1")  # type: ignore[arg-type]
