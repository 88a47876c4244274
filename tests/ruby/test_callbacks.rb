# frozen_string_literal: true

# tests/fixtures/callbacks/SPEC.md, from Ruby: callbacks of scope `call` (K1–K6, E1, E3, E4).
# A callback is a block or any object with #call. An exception raised inside one is kept by the
# generated trampoline (rb_protect, never a longjmp through the library's C frames), the callable
# is not called again during that C call, C sees the zero value of the result type for the rest of
# the call, and the exception is raised again once the C function has returned. Integer results:
# true/false/nil read as 1/0, an Integer is range-checked, anything else raises TypeError (E4).
#
# Scopes notified (Emitter#subscribe: kept in the module registry until the destroy-notify) and
# forever (set_logger: kept for the process): K7–K14, E2, GC.stress / GC.compact in between, Procs
# counted with ObjectSpace. An exception from a kept callback waits for the method whose C call
# made the library call back, and is raised from it (docs/adr/ruby-kept-callbacks.md).
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

  # ---- scope notified: Emitter#subscribe (K7–K11, E2) ---------------------------------------

  # A callable of its own class, so ObjectSpace can count the live ones.
  class Recorder
    attr_reader :seen

    def initialize = @seen = []
    def call(event) = @seen << event
  end

  def live(klass)
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    ObjectSpace.each_object(klass).count
  end

  def subscribe_dropped(e, weak)
    g = Recorder.new
    weak[g] = true
    e.subscribe(g)
    nil
  end

  def test_k7_k8_subscriber_kept_alive_by_the_binding
    e = Callbacks::Emitter.new
    assert_equal 0, e.emit(1)
    weak = ObjectSpace::WeakMap.new
    subscribe_dropped(e, weak)
    assert_equal 1, Callbacks.live_subscriptions
    GC.start
    GC.compact if GC.respond_to?(:compact)
    GC.start
    assert_equal 1, e.emit(7)
    assert_equal 1, e.emit(8)
    assert_equal 1, weak.size
    g = weak.keys.first
    assert_equal [7, 8], g.seen
    e.close
  end

  def test_k8_with_a_block
    got = []
    e = Callbacks::Emitter.new
    e.subscribe { |ev| got << ev }
    e.emit(3)
    e.emit(4)
    assert_equal [3, 4], got
    e.close
    assert_equal 0, Callbacks.live_subscriptions
  end

  def test_k9_k10_replace_then_unsubscribe_release_the_callables
    base = live(Recorder)
    e = Callbacks::Emitter.new
    g = Recorder.new
    h = Recorder.new
    e.subscribe(g)
    e.subscribe(h) # g's destroy-notify ran
    assert_equal 1, e.emit(9)
    assert_equal [], g.seen
    assert_equal [9], h.seen
    assert_equal 1, Callbacks.live_subscriptions
    e.unsubscribe
    assert_equal 0, e.emit(10)
    assert_equal 0, Callbacks.live_subscriptions
    g = h = nil
    assert_operator live(Recorder), :<=, base + 1 # the binding keeps neither (conservative stack aside)
    e.close
  end

  def test_k11_close_or_collect_releases
    e = Callbacks::Emitter.new
    e.subscribe(Recorder.new)
    e.close
    assert_equal 0, Callbacks.live_subscriptions
    e.close # idempotent
    assert_raises(Callbacks::ClosedError) { e.emit(1) }
    # Made and dropped on a thread that has ended, so no stack the collector scans conservatively
    # (ASan's larger frames keep stale words around longer) still holds it, and no later test
    # counts this emitter's subscription.
    Thread.new do
      e2 = Callbacks::Emitter.new
      e2.subscribe(Recorder.new)
      nil
    end.join
    assert_equal 1, Callbacks.live_subscriptions
    3.times { GC.start(full_mark: true, immediate_sweep: true) } # dfree → destroy-notify, inside the GC
    assert_equal 0, Callbacks.live_subscriptions
  end

  def test_no_leak_over_many_subscriptions_under_gc_stress
    base = live(Recorder)
    e = Callbacks::Emitter.new
    GC.stress = true
    begin
      20.times do |i|
        e.subscribe(Recorder.new)
        e.emit(i)
      end
    ensure
      GC.stress = false
    end
    2000.times do |i|
      e.subscribe(Recorder.new)
      e.emit(i)
      GC.compact if (i % 500).zero? && GC.respond_to?(:compact)
    end
    e.close
    assert_equal 0, Callbacks.live_subscriptions
    assert_operator live(Recorder), :<=, base + 2
  end

  def test_e2_exception_from_a_kept_callback_propagates_from_the_call
    e = Callbacks::Emitter.new
    mine = ArgumentError.new("from the subscriber")
    e.subscribe { |_ev| raise mine }
    raised = assert_raises(ArgumentError) { e.emit(1) }
    assert_same mine, raised
    # Still subscribed, and the next call raises only its own exception.
    e.subscribe { |ev| ev }
    assert_equal 1, e.emit(2)
    e.close
  end

  def test_break_out_of_a_kept_block_is_a_local_jump_error
    e = Callbacks::Emitter.new
    e.subscribe { |_ev| break }
    assert_raises(LocalJumpError) { e.emit(1) }
    e.close
  end

  def test_not_callable_raises_before_subscribing
    e = Callbacks::Emitter.new
    assert_raises(TypeError) { e.subscribe(42) }
    assert_equal 0, Callbacks.live_subscriptions
    e.close
  end

  # ---- scope forever: set_logger (K12–K14) ---------------------------------------------------

  def test_k12_k14_logger
    assert_equal 0, Callbacks.log("x") # K12
    got = []
    Callbacks.set_logger { |m| got << m }
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal 1, Callbacks.log("hello")
    assert_equal 1, Callbacks.log("Grüße, 世界 ✓")
    assert_equal ["hello", "Grüße, 世界 ✓"], got
    assert_equal Encoding::UTF_8, got.last.encoding
    Callbacks.set_logger(nil) # K14
    assert_equal 0, Callbacks.log("gone")
    assert_equal 2, got.size
  end

  def test_logger_exception_propagates_from_log
    Callbacks.set_logger(->(_m) { raise IOError, "disk full" })
    assert_raises(IOError) { Callbacks.log("x") }
  ensure
    Callbacks.set_logger(nil)
  end

  def test_k15_nullable_callback_argument_is_nil
    seen = []
    assert_equal 3, Callbacks.each_name { |name, pos| seen << [name, pos] }
    assert_equal [["first", 0], [nil, 1], ["third", 2]], seen
  end

  # K16: text and bytes with a length argument (hidden from the block), not NUL-terminated; an
  # empty piece comes as NULL with length 0; what the block kept are copies.
  def test_k16_buffer_arguments_with_hidden_lengths
    seen = []
    assert_equal 3, Callbacks.split("ab,,cde") { |piece, raw| seen << [piece, raw] }
    assert_equal [["ab", "ab".b], ["", "".b], ["cde", "cde".b]], seen
    seen.each do |piece, raw|
      assert_equal Encoding::UTF_8, piece.encoding
      assert_equal Encoding::BINARY, raw.encoding
    end
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal [["ab", "ab".b], ["", "".b], ["cde", "cde".b]], seen # copies: intact after split
    arity = []
    Callbacks.split("x", ->(*args) { arity << args.size })
    assert_equal [2], arity # the two length arguments are hidden
  end

  # K17
  def test_k17_utf8_pieces
    seen = []
    assert_equal 2, Callbacks.split("Grüße,世界") { |piece, raw| seen << [piece, raw] }
    assert_equal [["Grüße", "Grüße".b], ["世界", "世界".b]], seen
  end

  # K18: UTF-16 with a byte length, and NUL-terminated UTF-16.
  def test_k18_utf16_pieces_and_whole
    seen = []
    assert_equal 3, Callbacks.split16("a,β,😀") { |piece, whole| seen << [piece, whole] }
    w = "a,β,😀"
    assert_equal [["a", w], ["β", w], ["😀", w]], seen
    assert(seen.all? { |piece, whole| piece.encoding == Encoding::UTF_8 && whole.valid_encoding? })
  end

  # K19: a slice of scalars as an argument: a Ruby Array of Integers, a copy (its length hidden).
  def test_k19_slice_of_scalars_is_an_array_copy
    seen = []
    assert_equal 2, Callbacks.windows([1, 2, 3, 4], 3) { |window| seen << window }
    assert_equal [[1, 2, 3], [2, 3, 4]], seen
    seen.each { |w| w << 99 } # the block's own Arrays: changing one touches nothing else
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal [[1, 2, 3, 99], [2, 3, 4, 99]], seen # intact after windows returned
    empty = []
    assert_equal 1, Callbacks.windows([5], 0, ->(w) { empty << w }) # NULL with length 0
    assert_equal [[]], empty
    assert_equal 0, Callbacks.windows([5], 2) { |w| flunk "called with #{w}" }
    assert_equal 1, Callbacks.windows([-2**31, 2**31 - 1], 2) { |w| assert_equal [-2**31, 2**31 - 1], w }
    assert_raises(RangeError) { Callbacks.windows([2**31], 1) { |_| flunk } }
    assert_raises(TypeError) { Callbacks.windows([1, "2"], 1) { |_| flunk } }
    assert_raises(TypeError) { Callbacks.windows(nil, 1) { |_| flunk } }
  end

  def test_buffer_callback_exception_propagates
    calls = 0
    e = assert_raises(KeyError) do
      Callbacks.split("a,b,c") do |piece, _|
        calls += 1
        raise KeyError, piece
      end
    end
    assert_equal "a", e.message
    assert_equal 1, calls # not called again after it raised
  end
end
