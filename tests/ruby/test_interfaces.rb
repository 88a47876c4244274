# frozen_string_literal: true

# tests/fixtures/interfaces/SPEC.md, from Ruby: a struct of function pointers (a model of SQLite's
# sqlite3_module) implemented by plain Ruby objects. The registered source answers `open`, the
# tables and cursors it returns answer the rest (duck typing; optional methods may be missing).
# Objects are boxed in the extension's registry (strong, GC.compact-safe) until the library
# releases them; a method's exception is raised by the outer call, its message reaches the engine.
#
# Garbage made by one test is never counted by another: counts are relative to a base taken in
# the test, and objects whose death a test asserts are made on a thread that has ended (a stale
# word on this thread's stack could otherwise keep one alive).
require "minitest/autorun"
require "weakref"
require "interfaces"

# Rows lo … hi-1: key = row, value in column c = row × (c + 1). Records what it received.
module Rows
  attr_reader :filtered, :log

  def initialize(lo, hi, log)
    @lo = lo
    @hi = hi
    @log = log
  end

  def filter(min_key)
    @filtered = min_key
    @log << [:filter, min_key]
    @row = [@lo, min_key].max
    nil
  end

  def next
    @row += 1
    nil
  end

  def eof
    @row >= @hi
  end

  def value(result, column)
    result.set_int(@row * (column + 1))
  end

  def key
    @row
  end
end

class RangeCursor
  include Rows

  def close
    @log << :cursor_close
  end
end

# A cursor with no `close` (optional).
class BareCursor
  include Rows
end

class RangeTable
  attr_reader :log

  def initialize(lo, hi, log, cursor_class = RangeCursor)
    @lo = lo
    @hi = hi
    @log = log
    @cursor_class = cursor_class
  end

  def plan(plan)
    @log << [:plan, plan]
    plan.use_min_key(1)
    plan.set_cost(2.5)
  end

  def open_cursor
    c = @cursor_class.new(@lo, @hi, @log)
    @log << [:cursor, c]
    c
  end

  def close
    @log << :table_close
  end
end

# A table with no `plan` and no `close` (both optional).
class BareTable
  def initialize(lo, hi, log)
    @lo = lo
    @hi = hi
    @log = log
  end

  def open_cursor
    BareCursor.new(@lo, @hi, @log)
  end
end

class RangeSource
  attr_reader :opened_with, :log

  def initialize(table_class = RangeTable, cursor_class = nil)
    @table_class = table_class
    @cursor_class = cursor_class
    @log = []
  end

  def open(args)
    @opened_with = args
    lo, hi = args.map { |a| Integer(a) }
    t = @cursor_class ? @table_class.new(lo, hi, @log, @cursor_class) : @table_class.new(lo, hi, @log)
    @log << [:table, t]
    t
  end

  def tables = @log.select { |e| e.is_a?(Array) && e[0] == :table }.map(&:last)
  def cursors = @log.select { |e| e.is_a?(Array) && e[0] == :cursor }.map(&:last)
end

# A source whose objects fail where a test says.
class FailingSource < RangeSource
  def initialize(cursor_class)
    super(RangeTable, cursor_class)
  end
end

class ValueFails < RangeCursor
  def value(_result, _column) = raise("no such column")
end

class EofFails < RangeCursor
  def eof = raise(IOError, "eof broke")
end

class KeyIsText < RangeCursor
  def key = "seven"
end

class TestInterfaces < Minitest::Test
  def collect
    # Conservative stack scanning can keep one recent object alive; a few collections settle it.
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
  end

  # Runs the block on a thread that then ends: what it made is referenced from no live stack.
  def on_a_thread(&block) = Thread.new(&block).value

  def engine_with(source)
    e = Interfaces::Engine.new
    e.register("range", source)
    e
  end

  def test_i1_sum_plan_cost_and_string_arguments
    src = RangeSource.new
    e = engine_with(src)
    assert_equal 10, e.sum("range", "1,5", 0, 0)
    assert_equal 2.5, e.last_cost
    assert_equal %w[1 5], src.opened_with
    assert(src.opened_with.all? { |a| a.is_a?(String) && a.encoding == Encoding::UTF_8 })
    assert_equal "", e.errmsg
    e.close
  end

  def test_i2_the_plan_says_the_table_applies_the_minimum
    src = RangeSource.new
    e = engine_with(src)
    assert_equal 14, e.sum("range", "1,5", 1, 3)
    assert_equal 3, src.cursors.last.filtered
    e.close
  end

  def test_i3_optional_methods_missing
    base = Interfaces.open_objects
    src = RangeSource.new(BareTable)
    e = engine_with(src)
    assert_equal 7, e.sum("range", "1,5", 0, 3)
    assert_equal(-1.0, e.last_cost)
    assert_includes src.log, [:filter, -2**63]
    assert_equal base, Interfaces.open_objects
    e.close
  end

  def test_i4_closed_once_cursor_first_then_released
    base = Interfaces.open_objects
    src = RangeSource.new
    e = engine_with(src)
    refs = on_a_thread do
      assert_equal 10, e.sum("range", "1,5", 0, 0)
      [WeakRef.new(src.tables.last), WeakRef.new(src.cursors.last)]
    end
    assert_equal %i[cursor_close table_close], src.log.select { |x| x.is_a?(Symbol) }
    assert_equal base, Interfaces.open_objects
    src.log.clear # the test's own references
    collect
    refs.each { |r| refute r.weakref_alive?, "the binding keeps nothing after close" }
    e.close
  end

  def test_i5_open_raises_the_very_exception_and_the_engine_gets_its_message
    src = RangeSource.new
    error = ArgumentError.new("bad args")
    src.define_singleton_method(:open) { |_args| raise error }
    e = engine_with(src)
    raised = assert_raises(ArgumentError) { e.sum("range", "1,5", 0, 0) }
    assert_same error, raised
    assert_equal "bad args", e.errmsg
    e.close
  end

  def test_i6_value_raises_message_through_the_table_error_field
    base = Interfaces.open_objects
    src = FailingSource.new(ValueFails)
    e = engine_with(src)
    raised = assert_raises(RuntimeError) { e.sum("range", "1,5", 0, 0) }
    assert_equal "no such column", raised.message
    assert_equal "no such column", e.errmsg
    assert_equal %i[cursor_close table_close], src.log.select { |x| x.is_a?(Symbol) }
    assert_equal base, Interfaces.open_objects
    e.close
  end

  def test_i7_eof_raises_and_the_engine_stops
    base = Interfaces.open_objects
    src = FailingSource.new(EofFails)
    e = engine_with(src)
    assert_raises(IOError) { e.sum("range", "1,5", 0, 0) }
    assert_equal %i[cursor_close table_close], src.log.select { |x| x.is_a?(Symbol) }
    assert_equal base, Interfaces.open_objects
    e.close
  end

  def test_i8_a_key_of_the_wrong_type_is_a_type_error
    base = Interfaces.open_objects
    src = FailingSource.new(KeyIsText)
    e = engine_with(src)
    raised = assert_raises(TypeError) { e.sum("range", "1,5", 0, 0) }
    assert_match(/Cursor#key/, raised.message)
    assert_equal %i[cursor_close table_close], src.log.select { |x| x.is_a?(Symbol) }
    assert_equal base, Interfaces.open_objects
    e.close
  end

  def test_i9_open_returning_nil_is_a_type_error
    base = Interfaces.open_objects
    src = RangeSource.new
    src.define_singleton_method(:open) { |_args| nil }
    e = engine_with(src)
    raised = assert_raises(TypeError) { e.sum("range", "1,5", 0, 0) }
    assert_match(/Source#open/, raised.message)
    assert_match(/Source#open/, e.errmsg)
    assert_equal base, Interfaces.open_objects
    e.close
  end

  def test_i10_the_engine_keeps_the_source_alive_and_releases_it
    e = Interfaces::Engine.new
    first = on_a_thread do
      src = RangeSource.new
      e.register("range", src)
      WeakRef.new(src)
    end
    collect
    GC.compact if GC.respond_to?(:compact)
    assert first.weakref_alive?
    assert_equal 10, e.sum("range", "1,5", 0, 0) # the box still finds the source after compaction
    second = on_a_thread do
      other = RangeSource.new
      e.register("range", other) # replaces, and releases, the first
      WeakRef.new(other)
    end
    collect
    refute first.weakref_alive?
    assert second.weakref_alive?
    e.close
    collect
    refute second.weakref_alive?
  end

  def test_i11_a_plan_kept_after_the_call_is_closed
    src = RangeSource.new
    e = engine_with(src)
    e.sum("range", "1,5", 0, 0)
    kept = src.log.find { |x| x.is_a?(Array) && x[0] == :plan }[1]
    assert kept.closed?
    assert_raises(Interfaces::ClosedError) { kept.min_key }
    e.close
  end

  def test_i12_many_sums_release_every_table_and_cursor
    base_open = Interfaces.open_objects
    collect
    base_tables = ObjectSpace.each_object(RangeTable).count
    base_cursors = ObjectSpace.each_object(RangeCursor).count
    e = Interfaces::Engine.new
    on_a_thread do
      e.register("range", RangeSource.new.tap { |s| s.define_singleton_method(:open) { |a| RangeTable.new(*a.map { |x| Integer(x) }, []) } })
      2000.times { assert_equal 10, e.sum("range", "1,5", 0, 0) }
      nil
    end
    assert_equal base_open, Interfaces.open_objects
    collect
    # 4000 objects made; a leak would keep them all. One recent object may still sit in a register.
    assert_operator ObjectSpace.each_object(RangeTable).count, :<=, base_tables + 1
    assert_operator ObjectSpace.each_object(RangeCursor).count, :<=, base_cursors + 1
    e.close
  end

  def test_e1_nil_is_no_source
    e = Interfaces::Engine.new
    assert_raises(TypeError) { e.register("x", nil) }
    e.close
  end

  def test_e2_the_library_error
    e = Interfaces::Engine.new
    raised = assert_raises(Interfaces::Error) { e.sum("nothing", "", 0, 0) }
    assert_equal Interfaces::INTERFACES_NOT_FOUND, raised.code
    assert_equal 2, raised.code
    assert_match(/no such source/, raised.message)
    e.close
  end

  def test_e3_after_close
    e = Interfaces::Engine.new
    e.close
    assert_raises(Interfaces::ClosedError) { e.register("range", RangeSource.new) }
    assert_raises(Interfaces::ClosedError) { e.sum("range", "1,5", 0, 0) }
  end

  def test_closing_the_engine_from_inside_a_method_is_refused
    src = RangeSource.new
    e = engine_with(src)
    src.define_singleton_method(:open) do |args|
      e.close # the engine is running this very call: freeing it would pull it from under the library
      super(args)
    end
    raised = assert_raises(Interfaces::BusyError) { e.sum("range", "1,5", 0, 0) }
    assert_match(/nothing was closed/, raised.message)
    refute e.closed?
    refute e.busy?
    src.singleton_class.remove_method(:open)
    assert_equal 10, e.sum("range", "1,5", 0, 0)
    e.close
    assert e.closed?
  end

  def test_a_throw_out_of_a_method_becomes_a_local_jump_error
    src = RangeSource.new
    src.define_singleton_method(:open) { |_args| throw :out }
    e = engine_with(src)
    caught = catch(:out) { assert_raises(LocalJumpError) { e.sum("range", "1,5", 0, 0) } }
    assert_kind_of LocalJumpError, caught # the throw never unwound through the engine's C frames
    assert_match(/break or throw/, e.errmsg)
    e.close
  end

  class MessageRaises < StandardError
    def message = raise("no message today")
  end

  def test_a_message_that_raises_gives_the_engine_the_class_name
    src = RangeSource.new
    src.define_singleton_method(:open) { |_args| raise MessageRaises }
    e = engine_with(src)
    assert_raises(MessageRaises) { e.sum("range", "1,5", 0, 0) }
    assert_equal "TestInterfaces::MessageRaises", e.errmsg
    e.close
  end

  def test_a_variant_of_sum_goes_through_the_same_table
    e = engine_with(RangeSource.new)
    assert_equal 10, e.sum_all("range", "1,5")
    e.close
  end
end
