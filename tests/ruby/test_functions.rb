# frozen_string_literal: true

# tests/fixtures/functions/SPEC.md, from Ruby (F1–F8, E1–E3): functions registered by name and
# called later, the shape of SQLite's create_function_v2. The block gets the Call and a plain Array
# of Args; the generated trampoline finds its kept record through functions_call_user_data (the IR's
# user_data_from), and every Call/Arg is lent for the call only: closed when the block returns (the
# fixture frees them then), so a kept one raises ClosedError instead of reading freed memory.
require "minitest/autorun"
require "functions"

class TestFunctions < Minitest::Test
  # A callable of its own class, so ObjectSpace can count the live ones.
  class Summer
    attr_reader :calls

    def initialize(offset = 0)
      @offset = offset
      @calls = []
    end

    def call(call, args)
      @calls << [call.class, args.map(&:class)]
      call.set_result(args.sum(&:value) + @offset)
    end
  end

  def collect = 3.times { GC.start(full_mark: true, immediate_sweep: true) }

  def live(klass)
    collect
    ObjectSpace.each_object(klass).count
  end

  # Registries an earlier test dropped are released by the collector whenever it runs: collect
  # first, so a later collection inside the test cannot lower the count under @base.
  def setup
    collect
    @base = Functions.live_registrations
  end

  def test_f1_sum_gets_one_call_and_three_args
    r = Functions::Registry.new
    f = Summer.new
    assert_equal 0, r.define("sum", f)
    assert_equal 42, r.call("sum", [1, 2, 39])
    assert_equal [[Functions::Call, [Functions::Arg] * 3]], f.calls
    r.close
  end

  def test_f1_with_a_block
    r = Functions::Registry.new
    assert_equal 0, r.define("sum") { |call, args| call.set_result(args.sum(&:value)) }
    assert_equal 42, r.call("sum", [40, 2])
    r.close
  end

  def test_f2_no_arguments_and_unknown_name
    r = Functions::Registry.new
    got = nil
    r.define("sum") { |call, args| got = args.dup; call.set_result(args.sum(&:value)) }
    assert_equal 0, r.call("sum", [])
    assert_equal [], got
    assert_equal(-1, r.call("nope", [1]))
    r.close
  end

  def test_f3_closure_state_reaches_the_callback
    r = Functions::Registry.new
    offset = 100
    r.define("sum") { |call, args| call.set_result(args.sum(&:value) + offset) }
    assert_equal 101, r.call("sum", [1])
    r.define("plus", Summer.new(1000))
    assert_equal 1001, r.call("plus", [1])
    r.close
  end

  def define_dropped(r, name, weak)
    f = Summer.new
    weak[f] = true
    r.define(name, f)
    nil
  end

  def test_f4_kept_alive_while_registered
    r = Functions::Registry.new
    weak = ObjectSpace::WeakMap.new
    define_dropped(r, "sum", weak)
    assert_equal @base + 1, Functions.live_registrations
    collect
    GC.compact if GC.respond_to?(:compact)
    assert_equal 42, r.call("sum", [40, 2])
    assert_equal 1, weak.size
    r.close
  end

  def test_f5_f6_replace_then_remove_release_the_callables
    base = live(Summer)
    r = Functions::Registry.new
    f = Summer.new
    g = Summer.new(10)
    r.define("sum", f)
    r.define("sum", g) # f's destroy-notify ran
    assert_equal @base + 1, Functions.live_registrations
    assert_equal 12, r.call("sum", [2])
    assert_equal [], f.calls
    assert_equal 1, g.calls.size
    f = nil
    assert_operator live(Summer), :<=, base + 1 + 1 # g, and f at most on the conservative stack
    assert_equal 0, r.define("sum", nil) # F6: removed, g's destroy-notify ran
    assert_equal(-1, r.call("sum", [1]))
    assert_equal @base, Functions.live_registrations
    g = nil
    assert_operator live(Summer), :<=, base + 1
    r.close
  end

  def test_f5_weak_reference_dead_after_replace
    r = Functions::Registry.new
    weak = ObjectSpace::WeakMap.new
    define_dropped(r, "sum", weak)
    r.define("sum") { |call, _| call.set_result(7) }
    collect
    assert_operator weak.size, :<=, 1 # the conservative stack may hold one
    assert_equal 7, r.call("sum", [2])
    r.close
  end

  def test_f7_close_or_collect_releases
    r = Functions::Registry.new
    r.define("x", Summer.new)
    r.define("y", Summer.new)
    assert_equal @base + 2, Functions.live_registrations
    r.close
    assert_equal @base, Functions.live_registrations
    r.close # idempotent
    assert_raises(Functions::ClosedError) { r.call("x", [1]) }
    make = lambda do
      r2 = Functions::Registry.new
      r2.define("x", Summer.new)
      nil
    end
    make.call
    collect # dfree → destroy-notify, inside the GC
    assert_operator Functions.live_registrations, :<=, @base + 1
  end

  def test_f8_kept_call_and_args_are_closed_after_the_call
    r = Functions::Registry.new
    kept_call = kept_arg = kept_args = nil
    r.define("sum") do |call, args|
      kept_call = call
      kept_arg = args[0]
      kept_args = args
      assert_equal 5, kept_arg.value # usable during the call
      call.set_result(args.sum(&:value))
    end
    assert_equal 8, r.call("sum", [5, 3])
    assert_raises(Functions::ClosedError) { kept_call.set_result(1) }
    assert_raises(Functions::ClosedError) { kept_arg.value }
    assert_equal 2, kept_args.size # a plain Array the block may keep
    kept_args.each { |a| assert a.closed? }
    assert kept_call.closed?
    r.close
  end

  def test_f8_items_closed_whatever_the_block_did_to_its_array
    r = Functions::Registry.new
    kept = []
    r.define("sum") do |call, args|
      kept.concat(args)
      args.clear # the block's own Array: the binding closes from its private copy
      args << :junk
      call.set_result(1)
    end
    assert_equal 1, r.call("sum", [1, 2, 3])
    assert_equal 3, kept.size
    kept.each { |a| assert_raises(Functions::ClosedError) { a.value } }
    r.close
  end

  def test_f8_closed_after_a_raise_too
    r = Functions::Registry.new
    kept = nil
    r.define("sum") { |call, args| kept = [call, *args]; raise "boom" }
    assert_raises(RuntimeError) { r.call("sum", [1]) }
    kept.each { |o| assert o.closed? }
    assert_raises(Functions::ClosedError) { kept[1].value }
    r.close
  end

  def test_e1_raise_reaches_the_caller
    r = Functions::Registry.new
    klass = Class.new(StandardError)
    r.define("sum") { |_call, _args| raise klass, "from the block" }
    e = assert_raises(klass) { r.call("sum", [1]) }
    assert_equal "from the block", e.message
    r.define("sum") { |call, args| call.set_result(args.sum(&:value)) }
    assert_equal 3, r.call("sum", [1, 2]) # nothing left pending
    r.close
  end

  def test_e2_failed_define_releases_at_once
    r = Functions::Registry.new
    base = live(Summer)
    weak = ObjectSpace::WeakMap.new
    before = Functions.live_registrations
    assert_equal(-1, define_dropped_result(r, "", weak))
    assert_equal before, Functions.live_registrations
    collect
    assert_operator weak.size, :<=, 1 # released (the conservative stack aside)
    assert_operator live(Summer), :<=, base + 1
    r.close
  end

  def define_dropped_result(r, name, weak)
    f = Summer.new
    weak[f] = true
    r.define(name, f)
  end

  def test_e3_type_errors_before_c
    r = Functions::Registry.new
    before = Functions.live_registrations
    assert_raises(TypeError) { r.define("sum", 42) }
    assert_equal before, Functions.live_registrations
    r.define("sum") { |call, _| call.set_result(1) }
    assert_raises(TypeError) { r.call("sum", nil) }
    assert_raises(TypeError) { r.call("sum", ["1"]) }
    r.close
  end

  def test_no_leak_over_many_calls
    r = Functions::Registry.new
    kept = []
    r.define("sum") { |call, args| kept << args.first if kept.size < 10; call.set_result(args.sum(&:value)) }
    rss = lambda { File.read("/proc/self/status")[/VmRSS:\s+(\d+)/, 1].to_i }
    20_000.times { |i| r.call("sum", [i, 1, 2]) }
    collect
    before_rss = rss.call
    base_args = live(Functions::Arg)
    40_000.times { |i| assert_equal i + 3, r.call("sum", [i, 1, 2]) }
    assert_operator live(Functions::Arg), :<=, base_args + 64 # lent objects collected
    # KiB: no growth per call (ASan's quarantine keeps freed memory: not measured there)
    assert_operator rss.call - before_rss, :<, 16 * 1024 unless ENV["BINDERY_SANITIZED"]
    kept.each { |a| assert a.closed? }
    # Compared with the count just before close: a registry of an earlier test may be collected
    # during this one (slow under ASan), so @base is not exact here.
    before_close = Functions.live_registrations
    r.close
    assert_equal before_close - 1, Functions.live_registrations
  end

  def test_under_gc_stress
    r = Functions::Registry.new
    r.define("sum") { |call, args| call.set_result(args.sum(&:value)) }
    GC.stress = true
    begin
      5.times { |i| assert_equal i + 3, r.call("sum", [i, 1, 2]) }
    ensure
      GC.stress = false
    end
    r.close
  end
end
