# frozen_string_literal: true

# SQLite 3 (Debian's libsqlite3), bound from tests/fixtures/sqlite3/bindery.yaml and driven from
# Ruby: a real library's handles, status codes with messages from sqlite3_errmsg, and text results.
require "minitest/autorun"
require "sqlite3"
require "tmpdir"

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

  # ---- hooks of scope owner: kept by the connection, replaced, cleared with nil, released on close --

  class Hook
    attr_reader :calls

    def initialize(result = 0)
      @calls = []
      @result = result
    end

    def call(*args)
      @calls << args
      @result
    end
  end

  def live_hooks
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    ObjectSpace.each_object(Hook).count
  end

  def test_commit_hook_runs_and_can_turn_a_commit_into_a_rollback
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer)")
      commits = 0
      db.commit_hook { commits += 1; 0 }
      GC.start
      GC.compact if GC.respond_to?(:compact)
      db.exec("insert into t values (1)")
      db.exec("begin; insert into t values (2); commit;")
      assert_equal 2, commits
      db.commit_hook { 1 } # replaces the first; nonzero: the COMMIT becomes a ROLLBACK
      assert_raises(Sqlite3::Error) { db.exec("insert into t values (3)") }
      db.commit_hook(nil) # cleared
      db.exec("insert into t values (4)")
      assert_equal 2, commits
    end
  end

  def test_update_hook_sees_the_changes
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer)")
      hook = Hook.new
      db.update_hook(hook)
      db.exec("insert into t values (10); update t set x = 11; delete from t where x = 11;")
      ops = hook.calls.map { |c| c[0] }
      assert_equal [Sqlite3::SQLITE_INSERT, Sqlite3::SQLITE_UPDATE, Sqlite3::SQLITE_DELETE], ops
      assert_equal %w[main t], hook.calls.first[1, 2]
      assert_equal 1, hook.calls.first[3] # rowid
    end
  end

  def test_busy_handler_is_called_by_a_locked_database
    Dir.mktmpdir do |dir|
      path = File.join(dir, "busy.db")
      a = Sqlite3::Database.open(path)
      b = Sqlite3::Database.open(path)
      a.exec("create table t(x integer)")
      a.exec("begin exclusive; insert into t values (1);")
      tries = []
      b.busy_handler { |n| tries << n; n < 3 ? 1 : 0 } # retry three times, then give up
      e = assert_raises(Sqlite3::Error) { b.exec("insert into t values (2)") }
      assert_equal Sqlite3::SQLITE_BUSY, e.code & 0xff
      assert_equal [0, 1, 2, 3], tries
      a.exec("commit")
      b.exec("insert into t values (2)")
      a.close
      b.close
    end
  end

  def test_hook_exception_is_raised_from_the_call_that_ran_it
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer)")
      db.update_hook { |*| raise KeyError, "from the hook" }
      assert_raises(KeyError) { db.exec("insert into t values (1)") }
      db.update_hook(nil)
      db.exec("insert into t values (2)") # nothing pending any more
    end
  end

  # A hook that raised on thread A (inside A's GVL-free exec) must not be raised by a call that
  # returns on thread B meanwhile: the pending exception is per thread. The hook's second run
  # hands the GVL to B and waits until B's calls returned, so the order is fixed.
  def test_a_hook_exception_stays_on_the_thread_that_ran_the_hook
    db = Sqlite3::Database.open(":memory:")
    other = Sqlite3::Database.open(":memory:")
    other.update_hook { |*| } # B's module keeps callbacks too: its methods check for a pending exception
    to_b = Queue.new
    from_b = Queue.new
    runs = 0
    db.progress_handler(1000) do
      runs += 1
      raise KeyError, "raised on thread A" if runs == 1
      if runs == 2
        to_b << :go
        from_b.pop # B runs now; A's exception is pending
      end
      0
    end
    b = Thread.new do
      to_b.pop
      begin
        other.exec("create table t(x integer)")
        other.exec("insert into t values (1)")
        [:returned, Sqlite3.libversion_number]
      rescue Exception => e # rubocop:disable Lint/RescueException
        [:raised, e]
      ensure
        from_b << :done # A's hook goes on
      end
    end
    a = Thread.new { db.exec(SLOW) }
    e = assert_raises(KeyError) { a.join }
    assert_equal "raised on thread A", e.message
    outcome, value = b.value
    assert_operator runs, :>=, 2
    assert_equal :returned, outcome, "thread B raised #{value.inspect}"
    assert_operator value, :>=, 3_000_000
    other.exec("insert into t values (2)") # nothing pending anywhere any more
    db.progress_handler(1000, nil)
    db.exec("select 1")
    [db, other].each(&:close)
  end

  # Hooks made in helper methods, so no stale reference stays in this frame's stack slots.
  def install(db, *hooks) = hooks.each { |h| db.public_send(h, Hook.new) }

  def test_hooks_released_on_replace_clear_close_and_collect
    base = live_hooks
    db = Sqlite3::Database.open(":memory:")
    10.times { install(db, :commit_hook) } # each replaces (and releases) the one before
    install(db, :update_hook, :busy_handler)
    assert_operator live_hooks, :<=, base + 3 + 1
    db.update_hook(nil)
    assert_operator live_hooks, :<=, base + 2 + 1
    db.close # releases the rest
    assert_operator live_hooks, :<=, base + 1
    GC.stress = true
    begin
      5.times do
        d = Sqlite3::Database.open(":memory:")
        install(d, :commit_hook, :update_hook)
        d.exec("create table t(x); insert into t values (1);")
      end
    ensure
      GC.stress = false
    end
    200.times do
      d = Sqlite3::Database.open(":memory:")
      install(d, :commit_hook)
      d.exec("create table t(x); begin; insert into t values (1);") # open transaction at collection
    end
    assert_operator live_hooks, :<=, base + 2
  end

  # ---- UTF-16 twins (S7) and the authorizer (H6) --------------------------------------------------

  def test_s7_utf16_twins_take_and_give_ruby_strings
    db = Sqlite3::Database.open16(":memory:")
    db.exec("create table t(s text)")
    ins = db.prepare16_v2("insert into t values (?1)")
    ins.bind_text16(1, "grüß 😀")
    ins.step
    ins.close
    st = db.prepare16_v2("select s as wörd from t")
    assert_equal Sqlite3::SQLITE_ROW, st.step
    assert_equal "grüß 😀", st.column_text16(0)
    assert_equal st.column_text(0), st.column_text16(0)
    assert_equal Encoding::UTF_8, st.column_text16(0).encoding
    assert_equal "wörd", st.column_name16(0)
    assert_equal 14, st.column_bytes16(0) # bytes (7 UTF-16 units), not characters
    st.close
    assert_raises(Sqlite3::Error) { db.prepare16_v2("selec 1") }
    assert_match(/syntax error/, db.errmsg16)
    assert_equal db.errmsg, db.errmsg16
    assert_equal 1, Sqlite3.complete16("SELECT 1;")
    assert_equal 0, Sqlite3.complete16("SELECT 1")
    bad = [0xED, 0xA0, 0x80].pack("C*").force_encoding(Encoding::UTF_8)
    assert_raises(EncodingError) { db.prepare16_v2("select '#{bad.b}'".force_encoding(Encoding::UTF_8)) }
    db.close
  end

  def test_h6_authorizer_gets_nil_for_absent_names
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer)")
      calls = []
      db.set_authorizer { |action, a, b, c, d| calls << [action, a, b, c, d]; Sqlite3::SQLITE_OK }
      db.prepare_v2("select x from t").close
      assert_includes calls, [Sqlite3::SQLITE_SELECT, nil, nil, nil, nil]
      assert_includes calls, [Sqlite3::SQLITE_READ, "t", "x", "main", nil]
      db.set_authorizer { |action, *| action == Sqlite3::SQLITE_READ ? Sqlite3::SQLITE_DENY : Sqlite3::SQLITE_OK }
      e = assert_raises(Sqlite3::Error) { db.prepare_v2("select x from t") }
      assert_match(/not authorized|prohibited/, e.message)
      db.set_authorizer(nil)
      db.prepare_v2("select x from t").close
    end
  end

  def test_s6_keyword_name_has_its_exact_length
    n = Sqlite3.keyword_count
    assert_operator n, :>, 100
    names = (0...n).map { |i| Sqlite3.keyword_name(i) }
    assert_includes names, "SELECT"
    assert(names.all? { |k| k.match?(/\A[A-Z_]+\z/) }) # no terminator, nothing past the length
    assert(names.all? { |k| Sqlite3.keyword_check(k) })
    assert_raises(Sqlite3::Error) { Sqlite3.keyword_name(n) }
  end

  def test_s5_statement_keeps_its_database_alive
    st = Sqlite3::Database.open(":memory:").prepare_v2("select 40 + 2")
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    GC.compact if GC.respond_to?(:compact)
    assert_equal Sqlite3::SQLITE_ROW, st.step
    assert_equal 42, st.column_int(0)
    st.close
  end

  # ---- busy handles: a blocking call runs without the GVL; close from another thread waits ----

  COUNT_TO = 3_000_000
  SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c where x < #{COUNT_TO}) " \
         "select count(*) from c"

  # Starts `st.step` in a thread and returns once that step is inside its GVL-free call: `busy?` is
  # set before the GVL is released, and this thread only runs again once the worker let go of it.
  def start_slow_step(st)
    worker = Thread.new { st.step }
    Thread.pass until st.busy? || !worker.alive?
    assert st.busy?, "the step returned before the main thread saw it busy"
    worker
  end

  def test_close_of_a_statement_stepping_in_another_thread_is_refused
    db = Sqlite3::Database.open(":memory:")
    st = db.prepare_v2(SLOW)
    worker = start_slow_step(st)
    e = assert_raises(Sqlite3::BusyError) { st.close }
    assert_kind_of IOError, e
    assert_match(/Sqlite3::Statement#close: the object is in use by another thread/, e.message)
    refute st.closed?, "a refused close closes nothing"
    # Statement is `thread: affine`: a second call while the step runs is refused as well.
    e = assert_raises(Sqlite3::BusyError) { st.column_int(0) }
    assert_match(/Statement#column_int: self: the Sqlite3::Statement is in use by another thread/, e.message)
    assert_raises(Sqlite3::BusyError) { st.step }
    assert_equal Sqlite3::SQLITE_ROW, worker.value
    refute st.busy?
    assert_equal COUNT_TO, st.column_int(0)
    st.close # succeeds once the step returned
    assert st.closed?
    db.close
  end

  def test_closing_the_database_of_a_stepping_statement_is_deferred
    db = Sqlite3::Database.open(":memory:")
    st = db.prepare_v2(SLOW)
    worker = start_slow_step(st)
    refute db.busy?, "only the statement is used by the step"
    db.close # the C connection stays until its last statement goes (as in node's ADR)
    assert db.closed?
    assert_raises(Sqlite3::BusyError) { st.close }
    assert_equal Sqlite3::SQLITE_ROW, worker.value
    assert_equal COUNT_TO, st.column_int(0)
    st.close # finalizes the statement, then the connection (ASan: nothing freed under the step)
    assert st.closed?
  end
end
