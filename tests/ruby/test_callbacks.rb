# frozen_string_literal: true

# tests/fixtures/callbacks/SPEC.md, from Ruby: callbacks of scope `call` (K1–K6, E1, E3, E4).
# A callback is a block or any object with #call. An exception raised inside one is kept by the
# generated trampoline (rb_protect, never a longjmp through the library's C frames), the callable
# is not called again during that C call, C sees the zero value of the result type for the rest of
# the call, and the exception is raised again once the C function has returned. Integer results:
# true/false/nil read as 1/0, an Integer is range-checked, anything else raises TypeError (E4).
#
# Scopes notified (Emitter#subscribe) and forever (set_logger) are not bound by the ruby backend
# yet: K7–K14 and E2 are checked to be absent rather than silently wrong.
require "minitest/autorun"
require "callbacks"

class TestCallbacks < Minitest::Test
  def test_k1_visit_in_order_with_a_lambda
    seen = []
    f = lambda { |v|
      seen << v
      0
    }
    assert_equal 4, Callbacks.visit_range(3, 7, f)
    assert_equal [3, 4, 5, 6], seen
  end

  def test_k1_with_a_block
    seen = []
    assert_equal 4, Callbacks.visit_range(3, 7) { |v| seen << v; 0 }
    assert_equal [3, 4, 5, 6], seen
  end

  def test_k2_stop_early_with_true_or_one
    [true, 1].each do |stop|
      seen = []
      assert_equal 3, Callbacks.visit_range(3, 100) { |v| seen << v; v == 5 ? stop : false }
      assert_equal [3, 4, 5], seen
    end
  end

  def test_k3_empty_range_never_calls
    called = false
    assert_equal 0, Callbacks.visit_range(5, 5) { called = true }
    refute called
  end

  def test_k4_results_reach_c
    assert_equal 14, Callbacks.sum_mapped(4) { |v| v * v }
    assert_equal 14, Callbacks.sum_mapped(4, ->(v) { v * v })
  end

  def test_k5_closure_state
    offset = 10
    assert_equal 33, Callbacks.sum_mapped(3) { |v| v + offset }
  end

  def test_any_callable_a_method_object
    assert_equal 14, Callbacks.sum_mapped(4, 2.method(:+)) # (2+0) + (2+1) + (2+2) + (2+3)
  end

  class Doubler
    def call(v) = v * 2
  end

  def test_any_object_with_call
    assert_equal 12, Callbacks.sum_mapped(4, Doubler.new) # 0 + 2 + 4 + 6
  end

  def test_k6_callables_are_released_after_the_call
    weak = ObjectSpace::WeakMap.new
    make = lambda do
      f = ->(v) { v }
      weak[f] = true
      Callbacks.sum_mapped(3, f)
    end
    10.times { make.call }
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    # Conservative stack scanning may keep the most recent one; the binding keeps none of them.
    assert_operator weak.size, :<=, 1
  end

  def test_e1_exception_propagates_and_stops_calls
    calls = 0
    err = assert_raises(ZeroDivisionError) do
      Callbacks.visit_range(0, 10) do |v|
        calls += 1
        1 / 0 if calls == 3
        v.zero? ? 0 : 0
      end
    end
    assert_match(/divided by 0/, err.message)
    assert_equal 3, calls # not called again after it raised
  end

  def test_e1_same_exception_object
    mine = RuntimeError.new("mine")
    raised = assert_raises(RuntimeError) { Callbacks.sum_mapped(5) { raise mine } }
    assert_same mine, raised
  end

  def test_break_and_throw_leave_through_the_binding
    r = Callbacks.visit_range(0, 10) { |v| break :early if v == 2; 0 }
    assert_equal :early, r
    r = catch(:out) { Callbacks.visit_range(0, 10) { |v| throw :out, v * 100 if v == 4; 0 } }
    assert_equal 400, r
    # The binding is still usable afterwards.
    assert_equal 14, Callbacks.sum_mapped(4) { |v| v * v }
  end

  def test_e3_not_callable
    assert_raises(TypeError) { Callbacks.visit_range(0, 1, 42) }
    assert_raises(ArgumentError) { Callbacks.visit_range(0, 1) } # neither block nor callable
    assert_raises(ArgumentError) { Callbacks.visit_range(0, 1, ->(_) { 0 }) { 0 } } # both
  end

  def test_e4_wrong_result_type
    assert_raises(TypeError) { Callbacks.visit_range(0, 3) { "stop" } }
    assert_raises(RangeError) { Callbacks.sum_mapped(2) { 2**40 } }
    assert_equal 0, Callbacks.sum_mapped(3) { nil } # nil reads as 0
  end

  def test_nested_and_reentrant
    inner = Callbacks.sum_mapped(3) { |v| Callbacks.sum_mapped(v) { |w| w } }
    assert_equal 0 + 0 + 1, inner # sum over v of (0+…+v-1)
  end

  def test_gc_during_callback
    assert_equal 14, Callbacks.sum_mapped(4) { |v| GC.start; GC.compact if GC.respond_to?(:compact); v * v }
  end

  def test_notified_and_forever_are_not_bound_yet
    refute Callbacks::Emitter.method_defined?(:subscribe)
    refute Callbacks.respond_to?(:set_logger)
    assert_equal 0, Callbacks.log("x") # K12
  end
end
