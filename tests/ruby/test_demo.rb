# frozen_string_literal: true

# The generator on a hand-built IR (tests/ruby/demo): one test per mapping rule, independent of the
# frontend and of the fixtures.
require "minitest/autorun"
require "demo"

class TestDemo < Minitest::Test
  def test_fixed_arity_and_default_argument
    assert_equal 5, Demo.add(2, 3)
    assert_equal 5, Demo.add(5)
    assert_raises(ArgumentError) { Demo.add }
    assert_raises(ArgumentError) { Demo.add(1, 2, 3) }
    assert_equal 2, Demo.method(:scale).arity
  end

  def test_blocking_call_releases_the_gvl
    assert_equal 5, Demo.add_blocking(2, 3)
    assert_raises(RangeError) { Demo.add_blocking(2**31, 0) }
    threads = Array.new(4) { |t| Thread.new { 1000.times.sum { |i| Demo.add_blocking(i, t) } } }
    assert_equal Array.new(4) { |t| 499_500 + 1000 * t }, threads.map(&:value)
  end

  def test_scalars
    assert_in_delta 1.0, Demo.scale(2, 0.5)
    assert_equal true, Demo.even?(4)
    assert_equal false, Demo.even?(3)
    assert_equal 2**64 - 1, Demo.u64_echo(2**64 - 1)
    assert_raises(RangeError) { Demo.u64_echo(2**64) }
    assert_raises(RangeError) { Demo.u64_echo(-1) }
    assert_raises(RangeError) { Demo.add(2**31, 0) }
    assert_raises(TypeError) { Demo.add(1.5, 0) }
    assert_raises(TypeError) { Demo.scale("1", 1) }
    assert_raises(RangeError) { Demo.scale(1, 1e300) }
  end

  def test_text
    assert_equal 6, Demo.strlen("héllo")
    greeting = Demo.greeting
    assert_equal "héllo", greeting
    assert_equal Encoding::UTF_8, greeting.encoding
    assert_equal "ABC", Demo.upper("abc")
    assert_raises(ArgumentError) { Demo.strlen("a\0b") }
    assert_raises(TypeError) { Demo.strlen(nil) }
    assert_raises(TypeError) { Demo.strlen(:sym) }
  end

  def test_bytes_with_hidden_length
    assert_equal 258, Demo.sum_bytes("\x01\x02\xff".b)
    assert_equal 0, Demo.sum_bytes("")
  end

  def test_constants_and_errors
    assert_equal 42, Demo::ANSWER
    assert_operator Demo::Error, :<, StandardError
    assert_operator Demo::ClosedError, :<, IOError
  end

  def test_handle_lifecycle
    c = Demo::Counter.new(5)
    assert_equal 8, c.add(3)
    refute c.closed?
    assert_nil c.close
    assert c.closed?
    assert_nil c.close # idempotent
    err = assert_raises(Demo::ClosedError) { c.add(1) }
    assert_match(/closed/, err.message)
    assert_raises(TypeError) { Demo::Counter.allocate }
  end

  def test_block_form_closes
    kept = nil
    result = Demo::Counter.new(1) { |k| kept = k; k.add(41) }
    assert_equal 42, result
    assert kept.closed?
  end

  def test_null_constructor_raises_with_errno
    err = assert_raises(Errno::EINVAL) { Demo::Counter.new(-1) }
    assert_match(/demo_counter_new/, err.message)
  end

  def test_status_error_with_message_and_code
    c = Demo::Counter.new(8)
    err = assert_raises(Demo::Error) { c.check(2) }
    assert_equal 7, err.code
    assert_equal "value 8 is over 2", err.message
    assert_nil c.check(100)
  end

  def test_borrowed_bytes_are_frozen_copies
    c = Demo::Counter.new(0x01020304)
    data = c.bytes
    assert data.frozen?
    assert_equal Encoding::BINARY, data.encoding
    assert_equal [0x01020304].pack("l"), data
    c.close
    GC.start
    assert_equal [0x01020304].pack("l"), data # a copy: outlives its owner
  end

  def test_wrong_receiver_type
    assert_raises(TypeError) { Demo::Counter.instance_method(:add).bind_call(Object.new, 1) }
  end

  def test_finalizer_frees
    before = Demo.live_counters
    1000.times { Demo::Counter.new(1) }
    GC.start
    assert_operator Demo.live_counters, :<=, before + 10 # conservative GC may keep a few
  end

  # A consumed argument is refused while a GVL-free call in another thread uses it, whatever the
  # class's thread policy (Cell is `free`: other calls may overlap, consumption may not).
  def test_consuming_a_busy_handle_is_refused
    live = Demo.live_counters
    into = Demo::Cell.new(1)
    busy = Demo::Cell.new(41)
    worker = Thread.new { busy.hold(300) }
    Thread.pass until busy.busy? || !worker.alive?
    assert busy.busy?, "hold returned before the main thread saw it busy"
    assert_equal 41, busy.hold(0) # `free`: a second call on the busy cell runs
    e = assert_raises(Demo::BusyError) { into.absorb(busy) }
    assert_kind_of IOError, e
    assert_match(/Cell#absorb: from: the Demo::Cell is in use by another thread/, e.message)
    refute busy.closed?, "a refused consumption takes nothing"
    assert_equal 41, worker.value
    assert_equal 42, into.absorb(busy) # idle now: consumed
    assert busy.closed?
    assert_raises(Demo::ClosedError) { busy.hold(0) }
    into.close
    assert_equal live, Demo.live_counters
  end

  # Counter is plain (the TypedData holds the C pointer): its views live in a hidden ivar.
  def test_bytes_view_of_a_plain_class_is_invalidated_by_close
    c = Demo::Counter.new(0x01020304)
    v = c.bytes_view
    assert_equal [4, 3, 2, 1], v.get_string.bytes
    s = v.slice(1, 2)
    GC.compact if GC.respond_to?(:compact)
    assert_equal [3, 2], s.get_string.bytes
    assert_raises(TypeError) { v.clone } # nothing aliases the memory but views
    again = c.bytes_view # a view of its own, over the same memory
    refute_same v, again
    assert_equal v.get_string, again.get_string
    c.close
    assert_raises(Demo::ClosedError) { v.get_string }
    assert_raises(Demo::ClosedError) { s.get_string }
    kept = Demo::Counter.new(1) { |k| k.bytes_view } # the block form's close detaches too
    assert kept.closed?
  end

  # Views of different memory of one owner: each is listed (a C list it leaves when collected),
  # none is held by the owner; close detaches every one still alive.
  def test_views_of_different_memory_are_all_invalidated_by_close
    c = Demo::Counter.new(0x01020304)
    v1 = c.tail_view(1)
    v2 = c.tail_view(2)
    refute_same v1, v2
    v1_again = c.tail_view(1)
    refute_same v1, v1_again
    assert_equal [3, 2, 1], v1.get_string.bytes
    assert_equal [2, 1], v2.get_string.bytes
    200.times { |i| c.tail_view(i % 4) } # views no one holds are collectable
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal [3, 2, 1], v1_again.get_string.bytes
    c.close
    [v1, v2, v1_again].each { |v| assert_raises(Demo::ClosedError) { v.get_string } }
  end
  # A callback argument that is a slice of scalars (pointer + element count) reaches the callable as
  # an Array copy: the C array is freed when the callback returns, the Array stays readable.
  def test_callback_slice_of_scalars_is_an_array_copy
    kept = nil
    assert_equal 5 + 6 + 7, Demo.window(5, 3) { |xs| kept = xs; xs.sum }
    assert_equal [5, 6, 7], kept
    GC.start
    assert_equal [5, 6, 7], kept
    assert_equal(-1, Demo.window(0, 0) { |xs| xs.empty? ? -1 : 1 }) # NULL with 0: an empty Array
    assert_equal [-2**31, 1 - 2**31], Demo.window(-2**31, 2, proc { |xs| kept = xs; 0 }) && kept
    big = Demo.window(0, 10_000) { |xs| xs.size }
    assert_equal 10_000, big
    assert_raises(TypeError) { Demo.window(0, 1) { |_| "not an integer" } }
    assert_raises(ZeroDivisionError) { Demo.window(0, 1) { |_| 1 / 0 } }
  end
end
