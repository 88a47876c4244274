# frozen_string_literal: true

# tests/fixtures/transfers/SPEC.md, from Ruby: a lent handle copied at once (`returns: {copy: FN}`),
# a receiver consumed only when the call succeeds (`own: full, when: ok`), and bytes the callee
# takes over and frees with its own allocator (`own: full, alloc: FN`).
require "minitest/autorun"
require "transfers"

class TestTransfers < Minitest::Test
  def setup
    collect
    @objects = Transfers.live_objects
    @blocks = Transfers.live_blocks
  end

  def teardown
    collect
    assert_equal 0, Transfers.violations
  end

  def collect
    # Conservative stack scanning can keep one recent object alive; a few collections settle it.
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
  end

  def test_t1_t2_each_peek_is_an_owned_copy
    b = Transfers::Box.new
    a = b.peek(7)
    c = b.peek(8)
    assert_instance_of Transfers::Item, a
    assert_equal 7, a.value # the second peek overwrote the scratch item, not this copy
    assert_equal 8, c.value
    assert_equal @objects + 3, Transfers.live_objects
    a.close
    c.close
    assert_raises(Transfers::ClosedError) { a.value }
    assert_equal @objects + 1, Transfers.live_objects
    assert_equal 0, Transfers.violations # the lent scratch item was never freed by the binding
    b.close
    assert_equal @objects, Transfers.live_objects
  end

  def test_t2_copies_are_collected
    b = Transfers::Box.new
    2000.times { |i| b.peek(i) }
    assert_equal 1999, b.peek(1999).value
    b.close
    collect
    assert_operator Transfers.live_objects, :<=, @objects + 1 # one may still be on the stack
    assert_equal 0, Transfers.violations
  end

  def test_c1_close_strict_failing_leaves_the_box_open
    b = Transfers::Box.new
    b.pin(1)
    e = assert_raises(Transfers::Error) { b.close_strict }
    assert_equal 5, e.code
    assert_match(/box is pinned/, e.message)
    refute b.closed?
    assert_equal 3, b.peek(3).value
    b.pin(0)
    b.close_strict
    assert b.closed?
  end

  def test_c2_close_strict_succeeding_empties_the_box
    b = Transfers::Box.new
    b.pin(0)
    assert_nil b.close_strict
    assert b.closed?
    assert_raises(Transfers::ClosedError) { b.peek(1) }
    b.close # frees nothing twice
    assert_equal @objects, Transfers.live_objects
    assert_equal 0, Transfers.violations
    # E2: close_strict on a closed box
    assert_raises(Transfers::ClosedError) { b.close_strict }
  end

  def test_c2_collected_after_close_strict
    Transfers::Box.new.close_strict
    collect
    assert_equal @objects, Transfers.live_objects
    assert_equal 0, Transfers.violations
  end

  def test_a1_to_a5_adopt_copies_into_the_library_allocator
    b = Transfers::Box.new
    data = +"\x01\x02\x03"
    b.adopt(data)
    data.setbyte(0, 100) # the box holds its own copy
    assert_equal 3, b.size
    assert_equal 6, b.checksum
    assert_equal @blocks + 1, Transfers.live_blocks
    b.adopt("\xff".b) # A2: the old block released by the library
    assert_equal 255, b.checksum
    assert_equal @blocks + 1, Transfers.live_blocks
    b.pin(1) # A3: the library releases the copy on failure; the binding does not free it again
    e = assert_raises(Transfers::Error) { b.adopt("xy") }
    assert_match(/box is pinned/, e.message)
    b.pin(0)
    assert_equal @blocks + 1, Transfers.live_blocks
    assert_equal 255, b.checksum
    b.adopt("") # A4: an empty buffer (a 1-byte block) is adopted
    assert_equal 0, b.size
    assert_equal 0, b.checksum
    b.adopt("a" * 100_000)
    assert_equal 97 * 100_000, b.checksum
    b.close # A5
    assert_equal @blocks, Transfers.live_blocks
    assert_equal @objects, Transfers.live_objects
    assert_equal 0, Transfers.violations
  end

  def test_e1_wrong_types_raise_before_c_is_called
    b = Transfers::Box.new
    assert_raises(TypeError) { b.adopt(42) }
    assert_raises(TypeError) { b.adopt(nil) }
    assert_raises(ArgumentError) { b.adopt }
    assert_equal @blocks, Transfers.live_blocks
    b.close
    assert_raises(Transfers::ClosedError) { b.adopt("x") }
    assert_equal @blocks, Transfers.live_blocks
  end

  def test_many_adoptions_under_gc_stress
    b = Transfers::Box.new
    GC.stress = true
    begin
      20.times { |i| b.adopt(i.chr * i) }
    ensure
      GC.stress = false
    end
    assert_equal 19 * 19, b.checksum
    b.close
    assert_equal @blocks, Transfers.live_blocks
  end
end
