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

  def test_blobs_are_copied_before_the_next_step
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table b(x blob)")
      ins = db.prepare_v2("insert into b values (?1)")
      ["\x00\x01\xFF".b, "second".b, "".b].each do |blob|
        ins.bind_blob(1, blob)
        ins.step
        ins.reset
      end
      ins.close
      st = db.prepare_v2("select x from b order by rowid")
      got = []
      got << st.column_blob(0) while st.step == Sqlite3::SQLITE_ROW
      st.close
      # `until: next_call` borrows are copied at once: each value survived the following steps.
      assert_equal ["\x00\x01\xFF".b, "second".b, "".b], got
      assert(got.all?(&:frozen?))
      assert_equal Encoding::BINARY, got.first.encoding
    end
  end

  def test_text_columns_and_bindings
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(s text, n integer)")
      ins = db.prepare_v2("insert into t values (?1, ?2)")
      ins.bind_text(1, "Grüße, 世界 ✓")
      ins.bind_int64(2, 2**40)
      ins.step
      ins.close
      st = db.prepare_v2("select s, n from t")
      assert_equal Sqlite3::SQLITE_ROW, st.step
      assert_equal "Grüße, 世界 ✓", st.column_text(0)
      assert_equal Encoding::UTF_8, st.column_text(0).encoding
      assert_equal 2**40, st.column_int64(1)
      assert_equal Sqlite3::SQLITE_DONE, st.step
      st.close
    end
  end

  def test_transactions_commit_and_rollback
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer)")
      assert db.get_autocommit
      db.exec("begin")
      refute db.get_autocommit
      db.exec("insert into t values (1)")
      db.exec("rollback")
      db.exec("begin; insert into t values (2); commit;")
      st = db.prepare_v2("select count(*), sum(x) from t")
      st.step
      assert_equal [1, 2], [st.column_int(0), st.column_int(1)]
      st.close
      e = assert_raises(Sqlite3::Error) { db.exec("commit") } # no transaction is active
      assert_match(/no transaction is active/, e.message)
    end
  end

  def test_error_text_and_kinds
    Sqlite3::Database.open(":memory:") do |db|
      e = assert_raises(Sqlite3::Error) { db.prepare_v2("selec 1") }
      assert_match(/syntax error/, e.message)
      assert_equal Sqlite3::SQLITE_ERROR, e.code
      st = db.prepare_v2("select ?1")
      # The statement's convention (stmt_rc) reads the connection's message and extended code.
      e = assert_raises(Sqlite3::Error) { st.bind_int(5, 1) }
      assert_equal Sqlite3::SQLITE_RANGE, e.code
      # stmt_rc's kinds: SQLITE_RANGE is Ruby's IndexError too.
      assert_kind_of IndexError, e
      assert_match(/column index out of range/, e.message)
      st.close
    end
  end

  def test_closed
    db = Sqlite3::Database.open(":memory:")
    db.close
    db.close
    assert_raises(Sqlite3::ClosedError) { db.changes }
  end
end
