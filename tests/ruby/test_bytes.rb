# frozen_string_literal: true

# tests/fixtures/bytes/SPEC.md, from Ruby: bytes are binary Strings, slices are Arrays, and a
# caller-allocated output takes its capacity as an Integer and returns the written bytes.
# E1 (Ruby): a text String is accepted as its bytes (Ruby strings are bytes).
require "minitest/autorun"
require "bytes"

class TestBytes < Minitest::Test
  def test_b1_to_b4_checksum
    assert_equal 0x811c9dc5, Bytes.checksum("".b)
    assert_equal 0x1a47e90b, Bytes.checksum("abc".b)
    assert_equal 0xf28f40e0, Bytes.checksum("\x00\xff\x00".b)
    assert_equal 0x90a458c5, Bytes.checksum((0..255).to_a.pack("C*"))
    assert_equal 0x811c9dc5, Bytes.checksum(nil)
    assert_equal 0, Bytes.count(nil)
    assert_equal 3, Bytes.count("abc".b)
  end

  def test_b5_b6_borrowed_data_is_a_frozen_copy
    b = Bytes::Blob.new("\x01\x00\x02".b)
    assert_equal 3, b.size
    v = b.data
    assert_equal "\x01\x00\x02".b, v
    assert v.frozen?
    assert_equal Encoding::BINARY, v.encoding
    b.close
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal "\x01\x00\x02".b, v
  end

  def test_b7_null_means_empty
    assert_equal "".b, Bytes::Blob.new("".b).data
    assert_equal "".b, Bytes::Blob.new(nil).data
  end

  def test_b8_b9_written_returned
    b = Bytes::Blob.new("\x01\x00\x02".b)
    assert_equal "\x01\x00".b, b.copy(2)
    assert_equal "\x01\x00\x02".b, b.copy(8)
    assert_equal "".b, Bytes::Blob.new("".b).copy(8)
  end

  def test_b10_written_in_out_param
    assert_equal "\x07\x07\x07".b, Bytes.repeat(7, 3, 8)
    assert_equal "\x09\x09\x09\x09".b, Bytes.repeat(9, 100, 4)
  end

  def test_b11_capacity_in_count_out
    assert_equal (0..15).to_a.pack("C*"), Bytes.iota(32)
    assert_equal "\x00\x01\x02".b, Bytes.iota(3)
    assert_equal "".b, Bytes.iota(0)
  end

  def test_b12_whole_capacity
    assert_equal "\xab\xab\xab\xab".b, Bytes.fill(4, 0xab)
  end

  def test_b13_to_b15_slices
    assert_equal(-4, Bytes.sum_i32([1, 2, 3, -10]))
    assert_equal 0, Bytes.sum_i32([])
    assert_equal 0, Bytes.sum_i32(nil)
    assert_equal true, Bytes.i32_in_extremes([-2_147_483_648, -1, 0, 1, 2_147_483_647])
    assert_equal false, Bytes.i32_in_extremes([0])
    assert_equal 2.5, Bytes.mean_f64([1.0, 2.0, 4.5])
    assert_equal 0.0, Bytes.mean_f64([])
  end

  def test_b16_many_blobs
    10_000.times { Bytes::Blob.new("x".b * 100).data }
    GC.start
  end

  def test_e1_text_is_bytes
    assert_equal Bytes.checksum("abc".b), Bytes.checksum("abc")
  end

  def test_e2_e3_element_errors
    assert_raises(RangeError) { Bytes.i32_in_extremes([2_147_483_648]) }
    assert_raises(TypeError) { Bytes.sum_i32([1.5]) }
    assert_raises(TypeError) { Bytes.sum_i32("abc".b) }
  end

  def test_e4_closed
    b = Bytes::Blob.new("a".b)
    b.close
    assert_raises(Bytes::ClosedError) { b.data }
  end

  def test_e5_negative_capacity
    assert_raises(RangeError) { Bytes.iota(-1) }
  end

  # Borrowed bytes as a zero-copy view (the `_view` twin): a read-only Bytes::View over the blob's
  # memory (not an IO::Buffer: a slice of one is writable in Ruby 3.1), detached when the blob is
  # closed; it keeps the blob alive meanwhile.
  def test_data_view_is_a_read_only_view_over_the_blob
    b = Bytes::Blob.new("hello world".b)
    v = b.data_view
    assert_kind_of Bytes::View, v
    assert_equal "hello world".b, v.get_string
    assert_equal Encoding::BINARY, v.get_string.encoding
    assert_equal 11, v.size
    assert_equal "lo w", v.get_string(3, 4)
    assert_equal "world", v.get_string(6)
    assert_equal "h".ord, v.getbyte(0)
    assert_nil v.getbyte(11)
    assert v.readonly?
    %i[set_string set_value free transfer resize].each { |m| refute_respond_to v, m } # nothing writes
    assert_raises(IndexError) { v.get_string(12) }
    assert_raises(IndexError) { v.get_string(5, 7) }
    assert_raises(IndexError) { v.slice(-1, 2) }
    assert_raises(TypeError) { v.dup } # nothing aliases the memory but views
    assert_raises(TypeError) { Bytes::View.new } # views come from `_view` methods only
    assert_equal 0, Bytes::Blob.new(nil).data_view.size # NULL: empty
    s = v.slice(6, 5)
    assert_equal "world", s.get_string
    refute_respond_to s, :set_string # a slice is read-only too
    ss = s.slice(1, 2)
    assert_equal "or", ss.get_string
    b.close
    [v, s, ss].each do |x|
      assert x.closed?
      e = assert_raises(Bytes::ClosedError) { x.get_string }
      assert_match(/closed/, e.message)
      assert_raises(Bytes::ClosedError) { x.size }
      assert_raises(Bytes::ClosedError) { x.slice(0, 1) }
    end
  end

  def test_data_view_keeps_its_blob_alive_and_survives_compaction
    views = Array.new(50) { |i| view_of("blob #{i}") }
    slices = views.map { |v| v.slice(5, v.size - 5) }
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
    GC.compact if GC.respond_to?(:compact)
    views.each_with_index { |v, i| assert_equal "blob #{i}", v.get_string }
    2000.times { |i| view_of("x#{i}").slice(0, 1) } # views, slices and blobs collected together
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal "blob 7", views[7].get_string
    assert_equal "7", slices[7].get_string
  end

  # Every call makes a view of its own (nothing is remembered: an owner holds no view, so views
  # nobody holds are collected); close detaches every one still alive, however many.
  def test_many_views_of_one_blob_all_detached_by_close
    b = Bytes::Blob.new("abc".b)
    v = b.data_view
    w = b.data_view
    refute_same v, w
    s = v.slice(1, 1)
    1000.times { b.data_view.slice(0, 1) } # collectable: each leaves the blob's list in its free
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal "abc", w.get_string # alive across collection and compaction
    assert_equal "b", s.get_string
    other = Bytes::Blob.new("abc".b)
    ov = other.data_view
    b.close
    [v, w, s].each { |x| assert_raises(Bytes::ClosedError) { x.get_string } }
    assert_raises(Bytes::ClosedError) { b.data_view }
    assert_equal "abc", ov.get_string # another owner's view is untouched
    other.close
    assert_raises(Bytes::ClosedError) { ov.get_string }
  end

  def view_of(text) = Bytes::Blob.new(text.b).data_view
end
