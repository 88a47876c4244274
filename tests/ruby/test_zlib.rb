# frozen_string_literal: true

# zlib 1.2.13 (Debian's libz), bound from tests/fixtures/zlib/bindery.yaml and driven from Ruby:
# one-shot compression through caller-allocated buffers (capacity in, written length out), zlib's
# own error codes and texts, checksums over Strings read in place, and `blocking: true` calls that
# release the GVL so other Ruby threads run meanwhile. The z_stream side (Deflater, a pinned type)
# is not bound by the ruby backend yet: its methods are reported and left out.
require "minitest/autorun"
require "zlib" # lib/zlib.rb of the generated gem (first on the load path), not Ruby's own zlib

class TestZlib < Minitest::Test
  MIB = 1 << 20

  def sample(size = MIB)
    rng = Random.new(42)
    words = %w[bindery ruby zlib compress deflate inflate buffer stream]
    out = +""
    out << words[rng.rand(words.size)] << " " while out.bytesize < size
    out.b[0, size]
  end

  def test_one_mib_round_trip
    data = sample
    packed = Zlib.compress(Zlib.compress_bound(data.bytesize), data)
    assert_operator packed.bytesize, :<, data.bytesize / 2
    assert_equal Encoding::BINARY, packed.encoding
    assert_equal data, Zlib.uncompress(data.bytesize, packed)
    best = Zlib.compress2(Zlib.compress_bound(data.bytesize), data, 9)
    assert_equal data, Zlib.uncompress(data.bytesize, best)
  end

  def test_corrupt_stream_is_zlibs_error
    packed = Zlib.compress(1024, "hello hello hello hello")
    broken = packed.dup
    broken.setbyte(5, broken.getbyte(5) ^ 0xFF)
    e = assert_raises(Zlib::Error) { Zlib.uncompress(1024, broken) }
    assert_equal(-3, e.code) # Z_DATA_ERROR
    assert_equal "data error", e.message
    e = assert_raises(Zlib::Error) { Zlib.uncompress(1024, "not zlib at all") }
    assert_equal(-3, e.code)
  end

  def test_output_too_small_is_buffer_error
    e = assert_raises(Zlib::Error) { Zlib.uncompress(3, Zlib.compress(1024, "x" * 100)) }
    assert_equal(-5, e.code) # Z_BUF_ERROR: an error for the one-shot utilities
    assert_equal "buffer error", e.message
  end

  def test_checksums
    assert_equal 0x0d4a1185, Zlib.crc32(0, "hello world")
    assert_equal 0x1a0b045d, Zlib.adler32(1, "hello world")
    assert_equal 256, Zlib.get_crc_table.size
    assert_match(/\A1\.2\./, Zlib.version)
  end

  def test_wrong_arguments
    assert_raises(TypeError) { Zlib.compress(100, nil) }
    assert_raises(RangeError) { Zlib.compress(-1, "x") }
  end

  def test_blocking_call_releases_the_gvl
    data = sample(8 * MIB)
    bound = Zlib.compress_bound(data.bytesize)
    ticks = 0
    running = true
    ticker = Thread.new do
      while running
        ticks += 1
        Thread.pass
      end
    end
    sleep 0.01 until ticks.positive?
    before = ticks
    Zlib.compress2(bound, data, 9) # tens of milliseconds without the GVL
    during = ticks - before
    running = false
    ticker.join
    # With the GVL held the ticker could not run at all during the call (no Ruby code runs in C);
    # released, it keeps counting.
    assert_operator during, :>, 100, "the other thread made #{during} steps during compress2"
  end

  def test_pinned_deflater_is_left_out
    refute Zlib::Deflater.respond_to?(:deflate_init_)
    refute Zlib::Deflater.method_defined?(:deflate)
  end
end
