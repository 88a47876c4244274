# frozen_string_literal: true

# SQLite 3 (Debian's libsqlite3), bound from tests/fixtures/sqlite3/bindery.yaml and driven from
# Ruby: a real library's handles, status codes with messages from sqlite3_errmsg, and text results.
require "minitest/autorun"
require "sqlite3"
require "tmpdir"
require "weakref"

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

  # ---- collations (callback arguments: text with byte lengths) ----------------------------------

  def column(db, sql)
    st = db.prepare_v2(sql)
    out = []
    out << st.column_text(0) while st.step == Sqlite3::SQLITE_ROW
    st.close
    out
  end

  def words_db
    db = Sqlite3::Database.open(":memory:")
    db.exec("create table t(x text)")
    %w[banana Apple cherry apple Banana].each { |w| db.exec("insert into t values ('#{w}')") }
    db
  end

  def test_create_collation_with_a_block_orders_a_query
    db = words_db
    seen = []
    db.create_collation("reversed") do |a, b|
      seen << a << b
      b <=> a
    end
    assert_equal %w[cherry banana apple Banana Apple], column(db, "select x from t order by x collate reversed")
    # Exactly the words, as long as their lengths say (the C text is not NUL-terminated there),
    # as UTF-8 Strings (the binding registers SQLITE_UTF8: the arguments are `string: utf8`).
    assert_equal %w[Apple Banana apple banana cherry], seen.uniq.sort
    assert(seen.all? { |w| w.encoding == Encoding::UTF_8 })
    # _v2 (released by SQLite's destroy-notify when replaced or closed): case-folded.
    db.create_collation_v2("folded") { |a, b| [a.downcase, a] <=> [b.downcase, b] }
    assert_equal %w[Apple apple Banana banana cherry], column(db, "select x from t order by x collate folded")
    db.create_collation_v2("folded") { |a, b| b.downcase <=> a.downcase } # replaces: the old one is released
    assert_equal "cherry", column(db, "select x from t order by x collate folded").first
    db.close
  end

  def test_create_collation16_gets_utf16_text_as_strings
    db = Sqlite3::Database.open(":memory:")
    db.exec("create table t(x text)")
    %w[Öl zebra Äpfel éclair].each { |w| db.exec("insert into t values ('#{w}')") }
    seen = []
    db.create_collation16("ascii_folded") do |a, b|
      seen << a << b
      fold = ->(s) { s.unicode_normalize(:nfd).gsub(/\p{Mn}/, "").downcase }
      fold.(a) <=> fold.(b)
    end
    assert_equal %w[Äpfel éclair Öl zebra], column(db, "select x from t order by x collate ascii_folded")
    assert(seen.all? { |s| s.encoding == Encoding::UTF_8 && s.valid_encoding? })
    assert_includes seen, "Öl"
    db.close
  end

  def test_a_collation_that_raises_makes_the_query_raise
    db = words_db
    db.create_collation("broken") { |_, _| raise ArgumentError, "no order" }
    e = assert_raises(ArgumentError) { column(db, "select x from t order by x collate broken") }
    assert_equal "no order", e.message
    assert_equal 5, column(db, "select x from t").size # nothing pending afterwards
    db.close
  end

  # ---- application-defined functions: user_data_from sqlite3_user_data, argv lent Values ----------

  class Twice
    def call(ctx, args) = ctx.result_int64(args[0].int64 * 2)
  end

  def scalar(db, sql)
    st = db.prepare_v2(sql)
    assert_equal Sqlite3::SQLITE_ROW, st.step
    v = st.column_int64(0)
    st.close
    v
  end

  def define_twice(db, weak)
    f = Twice.new
    weak[f] = true
    db.create_function_v2("twice", 1, f)
    nil
  end

  def test_create_function_v2_twice_released_on_close
    db = Sqlite3::Database.open(":memory:")
    weak = ObjectSpace::WeakMap.new
    define_twice(db, weak)
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal 42, scalar(db, "select twice(21)")
    assert_equal 1, weak.size # kept alive by the binding while registered
    db.close # SQLite's destroy-notify releases it
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    assert_operator weak.size, :<=, 1 # (a conservative stack may still hold one)
    assert_operator ObjectSpace.each_object(Twice).count, :<=, 1
  end

  def test_create_function_values_are_lent_for_the_call
    db = Sqlite3::Database.open(":memory:")
    kept = nil
    db.create_function_v2("sum3", 3) do |ctx, args|
      kept = [ctx, *args]
      ctx.result_int64(args.sum(&:int64))
    end
    assert_equal 6, scalar(db, "select sum3(1, 2, 3)")
    assert(kept.all?(&:closed?))
    assert_raises(Sqlite3::ClosedError) { kept[1].int64 }
    db.close
  end

  def test_create_function_and_create_function16_with_blocks
    db = Sqlite3::Database.open(":memory:")
    db.create_function("plus1", 1) { |ctx, args| ctx.result_int64(args[0].int64 + 1) } # kept forever
    db.create_function16("nargs", -1) { |ctx, args| ctx.result_int64(args.size) }
    assert_equal 42, scalar(db, "select plus1(41)")
    assert_equal 0, scalar(db, "select nargs()")
    assert_equal 3, scalar(db, "select nargs(1, 'two', NULL)")
    db.close
  end

  def test_a_raise_inside_a_function_reaches_step_and_exec
    db = Sqlite3::Database.open(":memory:")
    db.create_function_v2("boom", 1) { |_ctx, _args| raise KeyError, "from twice" }
    st = db.prepare_v2("select boom(1)")
    e = assert_raises(KeyError) { st.step }
    assert_equal "from twice", e.message
    st.close
    assert_raises(KeyError) { db.exec("select boom(2)") }
    db.create_function_v2("boom", 1, nil) # removed
    assert_raises(Sqlite3::Error) { db.exec("select boom(3)") }
    db.close
  end

  # ---- callbacks with a handle argument: a Database lent for the call -------------------------

  def test_collation_needed_registers_on_the_lent_database
    db = words_db
    asked = []
    kept = nil
    db.collation_needed do |conn, text_rep, name|
      asked << [name, text_rep]
      kept = conn
      assert_kind_of Sqlite3::Database, conn
      refute conn.closed?
      conn.create_collation(name) { |a, b| a.length == b.length ? a <=> b : a.length <=> b.length }
    end
    assert_equal %w[Apple apple Banana banana cherry], column(db, "select x from t order by x collate by_length")
    assert_equal [["by_length", Sqlite3::SQLITE_UTF8]], asked
    # The lent Database was a view for the callback only: closed now, the real one untouched.
    assert kept.closed?
    assert_raises(Sqlite3::ClosedError) { kept.exec("select 1") }
    GC.start
    GC.compact if GC.respond_to?(:compact)
    refute db.closed?
    column(db, "select x from t order by x collate by_length") # registered now: not asked again
    assert_equal 1, asked.size
    db.close
  end

  def test_collation_needed16_gets_the_name_as_a_string
    db = words_db
    asked = []
    db.collation_needed16 do |conn, _text_rep, name|
      asked << name
      conn.create_collation16(name) { |a, b| b <=> a }
    end
    assert_equal %w[cherry banana apple Banana Apple], column(db, "select x from t order by x collate désordre")
    assert_equal ["désordre"], asked
    assert_equal Encoding::UTF_8, asked.first.encoding
    db.collation_needed16(nil)
    db.close
  end

  def test_wal_hook_gets_the_database_the_schema_and_the_pages
    Dir.mktmpdir do |dir|
      db = Sqlite3::Database.open(File.join(dir, "w.db"))
      db.exec("pragma journal_mode=wal")
      seen = []
      db.wal_hook do |conn, schema, pages|
        seen << [conn.class, schema, pages]
        Sqlite3::SQLITE_OK
      end
      db.exec("create table t(x)")
      db.exec("insert into t values (1)")
      assert_operator seen.size, :>=, 2
      assert(seen.all? { |cls, schema, pages| cls == Sqlite3::Database && schema == "main" && pages.positive? })
      db.wal_hook(nil)
      db.close
    end
  end

  # ---- Filename: a handle on `typedef const char *sqlite3_filename` ---------------------------

  def test_filename_from_db_filename_reads_the_uri_parameters
    Dir.mktmpdir do |dir|
      path = File.join(dir, "f.db")
      Sqlite3::Database.open(path) { |db| db.exec("create table t(x)") }
      flags = Sqlite3::SQLITE_OPEN_READONLY | Sqlite3::SQLITE_OPEN_URI
      db = Sqlite3::Database.open_v2("file:#{path}?mode=ro&x=1", flags, nil)
      f = db.db_filename
      assert_kind_of Sqlite3::Filename, f
      assert_equal "ro", f.uri_parameter("mode")
      assert_equal "1", f.uri_parameter("x")
      assert_nil f.uri_parameter("nothing")
      assert_equal true, f.uri_boolean("x", 0)
      assert_equal false, f.uri_boolean("nothing", 0)
      assert_equal 1, f.uri_int64("x", 7)
      assert_equal 7, f.uri_int64("nothing", 7)
      assert_equal %w[mode x], [f.uri_key(0), f.uri_key(1)]
      assert_nil f.uri_key(2)
      real = File.realpath(path)
      assert_equal real, f.database
      assert_equal "#{real}-journal", f.journal
      assert_equal "#{real}-wal", f.wal
      f.close # borrowed: closing the view frees nothing
      assert_equal "1", db.db_filename.uri_parameter("x")
      g = db.db_filename
      db.close
      assert_raises(Sqlite3::ClosedError) { g.uri_parameter("x") } # its Database is closed
    end
  end

  def test_filename_keeps_its_database_alive
    Dir.mktmpdir do |dir|
      path = File.join(dir, "k.db")
      f = filename_of(path)
      3.times { GC.start(full_mark: true, immediate_sweep: true) }
      GC.compact if GC.respond_to?(:compact)
      assert_equal "2", f.uri_parameter("y")
    end
  end

  def filename_of(path)
    Sqlite3::Database.open_v2("file:#{path}?y=2", Sqlite3::SQLITE_OPEN_READWRITE | Sqlite3::SQLITE_OPEN_CREATE |
                              Sqlite3::SQLITE_OPEN_URI, nil).db_filename
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
  # returns: {copy: sqlite3_value_dup}: each column_value is an owned, protected copy that outlives
  # the step (and the statement) that lent it.
  def test_column_value_is_an_owned_copy
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer, s text); insert into t values (42, 'forty-two'), (7, 'seven');")
      st = db.prepare("select x, s from t order by x desc")
      st.step
      x = st.column_value(0)
      s = st.column_value(1)
      assert_instance_of Sqlite3::Value, x
      st.step # the lent values now describe the next row; the copies do not
      assert_equal 42, x.int64
      assert_equal "forty-two", s.text
      assert_equal 7, st.column_value(0).int64
      st.close
      assert_equal 42, x.int64 # the statement is gone, the copy stays
      x.close
      assert_raises(Sqlite3::ClosedError) { x.int64 }
      s.close
    end
  end

  # own: full, when: ok: sqlite3_close frees the connection only when it succeeds.
  def test_close_strict_is_refused_while_a_statement_is_open
    db = Sqlite3::Database.open(":memory:")
    st = db.prepare("select 1")
    e = assert_raises(Sqlite3::Error) { db.close_strict }
    assert_match(/unfinalized|busy/i, e.message)
    refute db.closed?
    assert_equal [[1]], rows(db, "select 1") # still open and usable
    st.close
    assert_nil db.close_strict
    assert db.closed?
    assert_raises(Sqlite3::ClosedError) { db.exec("select 1") }
    assert_raises(Sqlite3::ClosedError) { db.close_strict }
    db.close # nothing left to free
  end

  # own: full, alloc: sqlite3_malloc64: deserialize copies the bytes into SQLite's memory, which
  # SQLite frees (FREEONCLOSE) and may grow (RESIZEABLE).
  def test_deserialize_a_serialized_database
    image = Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table t(x integer); insert into t values (1), (2), (3);")
      db.serialize("main")
    end
    assert_operator image.bytesize, :>, 0
    Sqlite3::Database.open(":memory:") do |db|
      db.deserialize("main", image)
      assert_equal [[6]], rows(db, "select sum(x) from t")
      db.exec("insert into t select x + 3 from t;") # RESIZEABLE: SQLite grows its own copy
      assert_equal [[21]], rows(db, "select sum(x) from t")
      assert_equal [[6]], rows(Sqlite3::Database.open(":memory:").tap { |o| o.deserialize(nil, image) }, "select sum(x) from t")
    end
    Sqlite3::Database.open(":memory:") do |db|
      assert_raises(TypeError) { db.deserialize("main", 42) }
      assert_raises(Sqlite3::Error) { db.deserialize("nosuchschema", image) } # SQLite frees the copy
      200.times { db.deserialize("main", image) } # each copy freed by SQLite (ASan/valgrind clean)
      assert_equal [[3]], rows(db, "select count(*) from t")
    end
  end

  def rows(db, sql)
    st = db.prepare(sql)
    out = []
    while st.step == Sqlite3::SQLITE_ROW
      out << Array.new(st.column_count) { |i| st.column_int64(i) }
    end
    out
  ensure
    st&.close
  end
  # Host values: bind_pointer / result_pointer box a Ruby object under this binding's tag;
  # Value#pointer gives the very object back (nil for anything else); SQLite releases each box once.
  def test_bind_pointer_and_value_pointer_carry_the_same_object
    db = Sqlite3::Database.open(":memory:")
    seen = []
    db.create_function_v2("peek_ptr", 1) { |ctx, args| seen << args[0].pointer; ctx.result_int64(1) }
    obj = Object.new
    ref = bound_pointer_ref(db, obj)
    assert_same obj, seen[0]
    assert_equal 1, scalar(db, "select peek_ptr(1)") # not a pointer: nil
    assert_equal 1, scalar(db, "select peek_ptr(NULL)")
    assert_nil seen[1]
    assert_nil seen[2]
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    # Rebinding released each earlier box, finalizing the last one: all collectable (a conservative
    # stack scan may still hold one).
    assert_operator ref.count(&:weakref_alive?), :<=, 1
    db.close
  end

  def bound_pointer_ref(db, obj)
    require "weakref"
    st = db.prepare_v2("select peek_ptr(?)")
    assert_raises(TypeError) { st.bind_pointer(1, nil) }
    weak = Array.new(20) { Object.new }
    weak.each { |w| st.bind_pointer(1, w) } # each rebinding releases the box before
    refs = weak.map { |w| WeakRef.new(w) }
    weak.clear
    st.bind_pointer(1, obj)
    assert_equal Sqlite3::SQLITE_ROW, st.step
    st.close
    refs
  end

  def test_result_pointer_passes_an_object_between_functions
    db = Sqlite3::Database.open(":memory:")
    made = { "answer" => 42 }
    db.create_function_v2("make_ptr", 0) { |ctx, _| ctx.result_pointer(made) }
    db.create_function_v2("read_ptr", 1) { |ctx, args| ctx.result_int64(args[0].pointer.fetch("answer")) }
    assert_equal 42, scalar(db, "select read_ptr(make_ptr())")
    GC.compact if GC.respond_to?(:compact)
    assert_equal 42, scalar(db, "select read_ptr(make_ptr())")
    db.close
  end

  def test_auxdata_keeps_a_ruby_object_across_rows
    db = Sqlite3::Database.open(":memory:")
    db.exec("create table t(x text); insert into t values ('a1'), ('b2'), ('a3'), ('a4');")
    compiled = 0
    db.create_function_v2("matches", 2) do |ctx, args|
      re = ctx.get_auxdata(0)
      unless re
        compiled += 1
        re = Regexp.new(args[0].text)
        ctx.set_auxdata(0, re)
      end
      ctx.result_int64(re.match?(args[1].text) ? 1 : 0)
    end
    assert_equal 3, scalar(db, "select sum(matches('^a', x)) from t")
    assert_operator compiled, :<, 4 # SQLite kept the Regexp for the constant pattern
    db.exec("select matches('^b', x) from t") # exec runs without the GVL: released with it taken back
    assert_equal 1, scalar(db, "select sum(matches('^b', x)) from t")
    db.close
  end
  # variants: sqlite3_db_config's boolean options (variadic: -1 asks, 0/1 sets, the setting in
  # effect comes back through the int *) and sqlite3_file_control's void * made an int *.
  BOOLEAN_CONFIG = %w[enable_fkey enable_trigger enable_view enable_qpsg trigger_eqp no_ckpt_on_close
                      reset_database defensive legacy_alter_table dqs_dml dqs_ddl legacy_file_format
                      trusted_schema].freeze

  def test_every_boolean_db_config_option_sets_and_reports
    Sqlite3::Database.open(":memory:") do |db|
      BOOLEAN_CONFIG.each do |option|
        config = db.method("config_#{option}")
        assert_equal 1, config.call(1), option
        assert_equal 1, config.call(-1), option # -1 only asks
        assert_equal 0, config.call(0), option
        assert_equal 0, config.call(-1), option
      end
      refute_respond_to db, :db_config # the shims' C function itself is not bound
      refute_respond_to db, :file_control
      assert_raises(RangeError) { db.config_enable_fkey(2**31) }
      assert_raises(TypeError) { db.config_enable_fkey("1") }
    end
  end

  def test_foreign_keys_follow_config_enable_fkey
    Sqlite3::Database.open(":memory:") do |db|
      db.exec("create table p(id integer primary key); create table c(p integer references p(id));")
      db.config_enable_fkey(0)
      db.exec("insert into c values (1)") # not enforced
      db.exec("delete from c")
      assert_equal 1, db.config_enable_fkey(1)
      assert_raises(Sqlite3::Error) { db.exec("insert into c values (2)") }
    end
  end

  def test_file_control_on_a_file_database
    Dir.mktmpdir do |dir|
      path = File.join(dir, "x.db")
      Sqlite3::Database.open(path) do |db|
        db.exec("create table t(x)")
        assert_equal 1, db.file_control_persist_wal(nil, 1)
        assert_equal 1, db.file_control_persist_wal("main", -1)
        assert_equal 0, db.file_control_persist_wal(nil, 0)
        assert_includes [0, 1], db.file_control_powersafe_overwrite(nil, -1)
        assert_equal 0, db.file_control_has_moved(nil)
        before = db.file_control_data_version(nil)
        db.exec("insert into t values (1)")
        Sqlite3::Database.open(path) { |other| other.exec("insert into t values (2)") }
        refute_equal before, db.file_control_data_version(nil) # another connection changed the file
        File.rename(path, File.join(dir, "y.db"))
        assert_equal 1, db.file_control_has_moved(nil)
        assert_raises(Sqlite3::Error) { db.file_control_persist_wal("no_such_schema", 1) }
      end
    end
  end

  # ---- virtual tables: a module implemented in Ruby (interfaces: sqlite3_module) -------------------

  # `series(start, stop)`: one column `value`, the integers start … stop. create and connect are the
  # same (it keeps no storage); best_index takes `value >= N` itself, passing N to filter. Each module
  # records what reached it, and which of its tables were released (disconnect / destroy).
  class SeriesModule
    attr_reader :args, :released, :infos

    def initialize
      @released = []
      @infos = []
    end

    def create(db, args) = connect(db, args)

    def connect(db, args)
      @args = args
      start, stop = args[3..].map { |a| Integer(a.strip) }
      db.declare_vtab("CREATE TABLE x(value INTEGER)")
      SeriesTable.new(start, stop, self)
    end
  end

  class SeriesTable
    attr_reader :module

    def initialize(start, stop, mod)
      @start = start
      @stop = stop
      @module = mod
    end

    def best_index(info)
      @module.infos << info
      info.constraint_count.times do |i|
        next unless info.constraint_usable(i) && info.constraint_column(i).zero? &&
                    info.constraint_op(i) == Sqlite3::SQLITE_INDEX_CONSTRAINT_GE

        info.use_constraint(i, 1, true) # its value is filter's args[0]; SQLite need not check it
        info.set_idx_num(1)
      end
      info.set_estimated_cost(10.0)
    end

    def open = open_cursor_class.new(@start, @stop)
    def open_cursor_class = SeriesCursor
    def disconnect = @module.released << :disconnect
    def destroy = @module.released << :destroy
  end

  class SeriesCursor
    attr_reader :filtered

    def initialize(start, stop)
      @start = start
      @stop = stop
    end

    def filter(idx_num, _idx_str, args)
      @filtered = args.map(&:int64)
      @value = idx_num == 1 ? [@start, args[0].int64].max : @start
    end

    def next = @value += 1
    def eof = @value > @stop
    def column(ctx, _column) = ctx.result_int64(@value)
    def rowid = @value
  end

  def test_vtab_series_sum_with_a_constraint_best_index_takes
    Sqlite3::Database.open(":memory:") do |db|
      mod = SeriesModule.new
      db.create_module("series", mod)
      db.exec("CREATE VIRTUAL TABLE s USING series(1, 10)")
      assert_equal %w[series main s 1 10], mod.args.map(&:strip) # module, schema, table, then USING's
      assert_equal 55, scalar(db, "SELECT sum(value) FROM s")
      assert_equal 27, scalar(db, "SELECT sum(value) FROM s WHERE value >= 8") # 8 + 9 + 10
      refute_empty mod.infos
      assert(mod.infos.all?(&:closed?)) # lent to best_index for the call only
      assert_raises(Sqlite3::ClosedError) { mod.infos.first.constraint_count }
      db.exec("DROP TABLE s")
      assert_equal [:destroy], mod.released
    end
  end

  class EofFails < SeriesCursor
    def eof = raise(IOError, "the series broke")
  end

  def test_vtab_a_method_raising_leaves_the_step
    Sqlite3::Database.open(":memory:") do |db|
      mod = SeriesModule.new
      db.create_module("series", mod)
      db.exec("CREATE VIRTUAL TABLE s USING series(1, 3)")
      SeriesTable.class_eval { def open_cursor_class = EofFails }
      st = db.prepare_v2("SELECT sum(value) FROM s")
      raised = assert_raises(IOError) { st.step }
      assert_equal "the series broke", raised.message
      st.close
    ensure
      SeriesTable.class_eval { def open_cursor_class = SeriesCursor }
    end
  end

  def test_vtab_connect_raising_fails_create_with_its_message
    Sqlite3::Database.open(":memory:") do |db|
      mod = SeriesModule.new
      mod.define_singleton_method(:create) do |db_, args|
        raise ArgumentError, "series needs start, stop" unless args.size == 5

        connect(db_, args)
      end
      db.create_module("series", mod)
      raised = assert_raises(ArgumentError) { db.exec("CREATE VIRTUAL TABLE s USING series(1)") }
      assert_equal "series needs start, stop", raised.message
      assert_match(/series needs start, stop/, db.errmsg) # SQLite got the message through pzErr
      db.exec("CREATE VIRTUAL TABLE t USING series(1, 2)") # the module is still usable
      assert_equal 3, scalar(db, "SELECT sum(value) FROM t")
    end
  end

  # A database, its module and one table, made on a thread that then ends (no stale stack word of
  # this thread keeps them alive). Returns weak references to the module and the table.
  def series_database(close:)
    Thread.new do
      db = Sqlite3::Database.open(":memory:")
      mod = SeriesModule.new
      db.create_module("series", mod)
      db.exec("CREATE VIRTUAL TABLE s USING series(1, 3)")
      assert_equal 6, scalar(db, "SELECT sum(value) FROM s")
      weak = [WeakRef.new(mod)]
      ObjectSpace.each_object(SeriesTable) { |t| weak << WeakRef.new(t) if t.module.equal?(mod) }
      if close
        db.close
        assert_equal [:disconnect], mod.released
      end
      weak
    end.value
  end

  def test_vtab_closing_the_database_releases_the_module_and_its_tables
    refs = series_database(close: true)
    assert_equal 2, refs.size
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    refs.each { |r| refute r.weakref_alive? }
  end

  def test_vtab_an_unclosed_database_collected_releases_them_without_running_ruby_in_the_gc
    refs = series_database(close: false)
    # The Database's dfree closes it; SQLite disconnects the table inside the GC, where no Ruby
    # method may run: the trampoline refuses, and still frees the table and releases both boxes.
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    3.times { GC.start(full_mark: true, immediate_sweep: true) } # the boxes' objects, now unreferenced
    refs.each { |r| refute r.weakref_alive? }
  end

  def test_vtab_close_raises_what_disconnect_raised
    db = Sqlite3::Database.open(":memory:")
    mod = SeriesModule.new
    db.create_module("series", mod)
    db.exec("CREATE VIRTUAL TABLE s USING series(1, 3)")
    assert_equal 6, scalar(db, "SELECT sum(value) FROM s")
    table = ObjectSpace.each_object(SeriesTable).find { |t| t.module.equal?(mod) }
    table.define_singleton_method(:disconnect) { raise KeyError, "disconnect broke" }
    raised = assert_raises(KeyError) { db.close }
    assert_equal "disconnect broke", raised.message
    assert db.closed?
  end

  def test_vtab_replacing_the_module_releases_the_old_one
    Sqlite3::Database.open(":memory:") do |db|
      first = Thread.new do
        mod = SeriesModule.new
        db.create_module("series", mod)
        WeakRef.new(mod)
      end.value
      db.create_module("series", SeriesModule.new)
      3.times { GC.start(full_mark: true, immediate_sweep: true) }
      refute first.weakref_alive?
      db.exec("CREATE VIRTUAL TABLE s USING series(2, 4)")
      assert_equal 9, scalar(db, "SELECT sum(value) FROM s")
    end
  end

  # ---- aggregates and window functions: one Ruby object per group (interfaces: window) ------------
  # Database#create_window_function(name, n_arg, factory): the factory (a Class, or anything with
  # #call) makes one object per group on the group's first call, kept in SQLite's aggregate context
  # and released after final.

  class Total
    @made = 0
    class << self
      attr_accessor :made
    end

    def initialize
      Total.made += 1
      @sum = 0
    end

    def step(_ctx, values) = @sum += values[0].int64
    def inverse(_ctx, values) = @sum -= values[0].int64
    def value(ctx) = ctx.result_int64(@sum)
    def final(ctx) = ctx.result_int64(@sum)
  end

  def column_rows(db, sql)
    st = db.prepare_v2(sql)
    out = []
    out << st.column_int64(0) while st.step == Sqlite3::SQLITE_ROW
    out
  ensure
    st&.close
  end

  def test_window_an_aggregate_makes_one_object_per_group
    Sqlite3::Database.open(":memory:") do |db|
      db.create_window_function("total", 1, Total)
      db.exec("CREATE TABLE t(g, x); INSERT INTO t VALUES (1, 1), (1, 2), (2, 10), (2, 20), (2, 30)")
      before = Total.made
      assert_equal [3, 60], column_rows(db, "SELECT total(x) FROM t GROUP BY g ORDER BY g")
      assert_equal before + 2, Total.made
      assert_equal [0], column_rows(db, "SELECT total(x) FROM t WHERE g = 3") # an empty group: final alone
    end
  end

  def test_window_a_window_function_uses_value_and_inverse
    Sqlite3::Database.open(":memory:") do |db|
      db.create_window_function("total", 1, -> { Total.new })
      db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3), (4)")
      sql = "SELECT total(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t"
      assert_equal [1, 3, 5, 7], column_rows(db, sql)
    end
  end

  class BrokenTotal < Total
    def step(_ctx, _values) = raise(KeyError, "step broke")
  end

  def test_window_a_raising_step_leaves_the_statement_with_its_message
    Sqlite3::Database.open(":memory:") do |db|
      db.create_window_function("broken", 1, BrokenTotal)
      db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
      st = db.prepare_v2("SELECT broken(x) FROM t")
      raised = assert_raises(KeyError) { st.step }
      assert_equal "step broke", raised.message
      assert_match(/step broke/, db.errmsg) # sqlite3_result_error got the message
      assert_raises(Sqlite3::Error) { st.close } # finalize reports the failed step again
      assert st.closed?
    end
  end

  def test_window_group_objects_and_the_factory_are_released
    refs = Thread.new do
      db = Sqlite3::Database.open(":memory:")
      factory = -> { Total.new }
      db.create_window_function("total", 1, factory)
      db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)")
      before = Total.made
      assert_equal [3], column_rows(db, "SELECT total(x) FROM t")
      assert_equal before + 1, Total.made
      weak = [WeakRef.new(factory)]
      ObjectSpace.each_object(Total) { |t| weak << WeakRef.new(t) }
      db.close
      weak
    end.value
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    refs.each { |r| refute r.weakref_alive? }
  end
end
