# frozen_string_literal: true

# Hostile input against generated extensions (fixtures scalars, text, handles, bytes, records,
# callbacks): wrong types, wrong arity, out-of-range integers, nil where a value is required, use
# after close, borrowed results and zero-copy views kept past their owner's close and collection
# (GC.start, GC.compact, GC.stress), an exception / break / throw out of a callback, copies of
# handle objects, and 100 000 create/destroy cycles with flat RSS. Every failure must be
# a Ruby exception: no crash, no leak.
require "minitest/autorun"
require "scalars"
require "text"
require "handles"
require "bytes"
require "records"
require "callbacks"

class TestHostile < Minitest::Test
  JUNK = [nil, true, 1, 1.5, 2**70, "s", :sym, [], {}, Object.new, Class, -> {}].freeze

  def rss_kib
    File.read("/proc/self/status")[/VmRSS:\s+(\d+)/, 1].to_i
  end

  def test_junk_everywhere_raises_ruby_errors
    calls = [
      ->(v) { Scalars.add(v, 1) }, ->(v) { Scalars.int8_in_max(v) }, ->(v) { Scalars.uint64_in_max(v) },
      ->(v) { Scalars.bool_not(v) }, ->(v) { Scalars.double_identity(v) }, ->(v) { Scalars.char_in(v) },
      ->(v) { Text.length(v) }, ->(v) { Text.count_char(v, "a") }, ->(v) { Text::TextBuffer.new(v) },
      ->(v) { Handles::Counter.new(v) }, ->(v) { Handles.consume(v) }, ->(v) { Bytes.sum_i32(v) },
      ->(v) { Records.point_in(v) }, ->(v) { Records.rect_area(v) }
    ]
    calls.each do |call|
      JUNK.each do |junk|
        call.call(junk)
      rescue TypeError, ArgumentError, RangeError
        next
      end
    end
    pass
  end

  def test_wrong_arity
    assert_raises(ArgumentError) { Scalars.noop(1) }
    assert_raises(ArgumentError) { Scalars.add }
    assert_raises(ArgumentError) { Scalars.add(1, 2, 3) }
    assert_raises(ArgumentError) { Handles::Counter.new(1).add }
  end

  def test_out_of_range_never_truncates
    [2**31, -2**31 - 1, 2**64, -2**64, 2**200].each do |v|
      assert_raises(RangeError) { Scalars.add(v, 0) }
    end
    assert_raises(RangeError) { Scalars.uint64_in_max(-1) }
    assert_raises(RangeError) { Scalars.uint64_in_max(2**64) }
    assert_raises(RangeError) { Scalars.int64_in_max(2**63) }
    assert_raises(RangeError) { Scalars.int64_in_min(-2**63 - 1) }
  end

  def test_use_after_close_and_consume
    c = Handles::Counter.new(1)
    c.close
    assert_raises(Handles::ClosedError) { c.get }
    assert_raises(Handles::ClosedError) { c.add(1) }
    d = Handles::Counter.new(2)
    assert_raises(Handles::ClosedError) { d.sum(c) }
    Handles.consume(d)
    assert_raises(Handles::ClosedError) { Handles.consume(d) }
    assert_equal 0, Handles.violations
  end

  def test_borrowed_view_outlives_owner_close_and_gc
    p = Handles::Parent.new("owner")
    child = p.new_child(1)
    view = child.parent # borrowed from child
    child.close
    assert_raises(Handles::ClosedError) { view.name } # what it borrowed from is gone
    assert view.closed?
    p.close
    view = nil
    4.times { GC.start }
    GC.compact
    assert_equal 0, Handles.violations
  end

  def test_borrowed_copies_survive_compaction
    b = Text::TextBuffer.new("abc")
    s = b.get
    blob = Bytes::Blob.new("\x01\x02".b)
    data = blob.data
    b.close
    blob.close
    GC.start
    GC.compact
    assert_equal "abc", s
    assert_equal "\x01\x02".b, data
  end

  def test_children_survive_compaction
    kids = Array.new(50) { |i| Handles::Parent.new("p#{i}").new_child(i) }
    GC.start
    GC.compact
    GC.verify_compaction_references(double_heap: false, toward: :empty) if GC.respond_to?(:verify_compaction_references)
    kids.each_with_index { |k, i| assert_equal "p#{i}", k.parent.name }
    kids.each(&:close)
    GC.start
    assert_equal 0, Handles.violations
  end

  def test_gc_stress
    GC.stress = true
    5.times do |i|
      p = Handles::Parent.new("s#{i}")
      c = p.new_child(i)
      assert_equal "s#{i}", c.parent.name
      assert_equal "ab", Text.concat("a", "b")
    end
  ensure
    GC.stress = false
  end

  def test_handles_cannot_be_copied_or_forged
    p = Handles::Parent.new("x")
    assert_raises(TypeError) { p.dup }
    assert_raises(TypeError) { Marshal.dump(p) }
    assert_raises(TypeError) { Handles::Parent.allocate }
    assert_raises(TypeError) { Class.new(Handles::Parent).allocate }
    p.close
  end

  def test_threads
    threads = Array.new(4) do
      Thread.new { 2000.times.sum { |i| Scalars.add(i, 1) } }
    end
    assert_equal [2000 * 2001 / 2] * 4, threads.map(&:value)
  end

  # An extension without thread-affine classes declares itself Ractor-safe (rb_ext_ractor_safe);
  # one with them (handles: the default `thread: affine`) is refused outside the main Ractor.
  def test_ractors
    skip "no Ractor" unless defined?(Ractor)
    verbose = $VERBOSE
    $VERBOSE = nil # "Ractor is experimental"
    r = Ractor.new { Scalars.add(40, 2) }
    assert_equal 42, r.take
    r = Ractor.new do
      Handles::Counter.new(1).get
    rescue Ractor::UnsafeError => e
      e.class.name
    end
    assert_equal "Ractor::UnsafeError", r.take
  ensure
    $VERBOSE = verbose
  end

  def test_100k_create_destroy_cycles_flat_rss
    cycle = -> { 10_000.times { |i| Handles::Counter.new(i).close; Handles::Counter.new(i) } }
    cycle.call
    GC.start
    before = rss_kib
    10.times { cycle.call }
    GC.start
    grown = rss_kib - before
    # ASan's quarantine keeps freed memory resident: RSS is measured in the uninstrumented pass.
    assert_operator grown, :<, 8 * 1024, "RSS grew by #{grown} KiB over 100 000 cycles" unless ENV["BINDERY_SANITIZED"]
    assert_operator Handles.live_objects, :<, 100
  end

  def test_exceptions_and_jumps_out_of_callbacks
    e = assert_raises(TypeError) { Callbacks.split("a,b,c") { |_piece, _raw| raise TypeError, "from the block" } }
    assert_equal "from the block", e.message
    assert_equal 1, Callbacks.split("a,b,c") { |*| break 1 } # break leaves through the C call
    assert_equal :out, catch(:t) { Callbacks.split("a,b") { |*| throw :t, :out } }
    assert_equal 2, Callbacks.split("a,b") { |*| } # nothing left pending
  end

  def test_view_kept_after_its_owner_is_closed_and_collected
    views = Array.new(100) { |i| Bytes::Blob.new("blob #{i}".b).data_view }
    slices = views.map { |v| v.slice(0, 4) }
    GC.start
    GC.compact
    assert_equal "blob 42", views[42].get_string
    blob = Bytes::Blob.new("closing".b)
    v = blob.data_view
    s = v.slice(1, 3)
    blob.close
    blob = nil
    GC.start
    GC.compact
    assert_raises(Bytes::ClosedError) { v.get_string }
    assert_raises(Bytes::ClosedError) { s.get_string }
    assert_equal "blob", slices[7].get_string
  end
end
