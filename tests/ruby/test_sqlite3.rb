# frozen_string_literal: true

# SQLite 3 (Debian's libsqlite3), bound from tests/fixtures/sqlite3/bindery.yaml and driven from
# Ruby: a real library's handles, status codes with messages from sqlite3_errmsg, and text results.
require "minitest/autorun"
require "sqlite3"

class TestSqlite3 < Minitest::Test
  def test_exec_and_counts
    db = Sqlite3::Database.open(":memory:")
    db.exec("create table t(x integer, s text); insert into t values (1, 'one'), (2, 'two');")
    assert_equal 2, db.changes
    assert_equal 2, db.last_insert_rowid
    db.close
  end

  def test_statement_rows
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer); insert into t values (20), (22);")
      st = db.prepare("select sum(x) from t")
      assert_equal 1, st.column_count
      assert_equal "sum(x)", st.column_name(0)
      refute_nil st.step # SQLITE_ROW, an extra success code, is returned
      st.close
    end
  end

  def test_errors_carry_the_message
    Sqlite3::Database.open(":memory:") do |db|
      e = assert_raises(Sqlite3::Error) { db.exec("select * from missing_table") }
      assert_match(/no such table/, e.message)
      assert_kind_of Integer, e.code
      assert_match(/no such table/, db.errmsg)
    end
  end

  def test_closed
    db = Sqlite3::Database.open(":memory:")
    db.close
    db.close
    assert_raises(Sqlite3::ClosedError) { db.changes }
  end
end
