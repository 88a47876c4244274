# frozen_string_literal: true

# tests/fixtures/text/SPEC.md, from Ruby.
require "minitest/autorun"
require "text"

class TestText < Minitest::Test
  SAMPLE = "Grüße, 世界 ✓"

  def test_t1_length_in_bytes
    assert_equal 0, Text.length("")
    assert_equal 6, Text.length("héllo")
    assert_equal 19, Text.length(SAMPLE)
  end

  def test_t2_t3_inputs
    assert_equal true, Text.in_utf8(SAMPLE)
    assert_equal false, Text.in_utf8("Grusse")
    assert_equal true, Text.in_empty("")
    assert_equal false, Text.in_empty(" ")
  end

  def test_t4_t5_static
    assert_equal "hello, world", Text.static_greeting
    utf8 = Text.static_utf8
    assert_equal SAMPLE, utf8
    assert_equal 11, utf8.length
    assert_equal Encoding::UTF_8, utf8.encoding
  end

  def test_t6_t8_owned_strings_are_freed
    assert_equal "foobar", Text.concat("foo", "bar")
    assert_equal "", Text.concat("", "")
    assert_equal "#{SAMPLE}!", Text.concat(SAMPLE, "!")
    assert_equal "ababab", Text.repeat("ab", 3)
    assert_equal "", Text.repeat("x", 0)
    1000.times { Text.concat("a", "b") }
    assert_equal 0, Text.live_strings
  end

  def test_t9_t10_explicit_length_keeps_nuls
    assert_equal 3, Text.count_char("a\0a\0a", "a")
    assert_equal 2, Text.count_char("a\0a\0a", "\0")
    assert_equal 0, Text.count_char("", "a")
  end

  def test_t11_span
    assert_equal true, Text.span_in_utf8(SAMPLE)
    assert_equal false, Text.span_in_utf8("Grüße")
  end

  def test_t12_to_t14_buffer
    b = Text::TextBuffer.new("ab")
    assert_nil b.append("cé")
    s = b.get
    assert_equal "abcé", s
    assert_equal 5, b.length
    b.append("x")
    assert_equal "abcé", s # copied at once (until: mutation)
    assert_equal "abcéx", b.get
    b.close
    b.close
    assert_raises(Text::ClosedError) { b.get }
  end

  def test_t15_free_is_not_exposed
    refute Text.respond_to?(:free)
  end

  def test_e1_to_e3
    assert_raises(TypeError) { Text.length(nil) }
    assert_raises(ArgumentError) { Text.length("a\0b") }
    assert_raises(TypeError) { Text.length(42) }
  end

  # ---- UTF-16 (native-endian units; lengths in bytes) -------------------------------------------

  def test_t17_utf16_in_nul_terminated
    assert_equal 7, Text.utf16_units("héllo😀")
    assert_equal 0, Text.utf16_units("")
    assert_equal 7, Text.utf16_units("héllo😀".encode("UTF-16BE")) # any String: transcoded first
    assert_equal 2, Text.utf16_units("ab".b)
  end

  def test_t18_hidden_length_in_bytes
    assert Text.utf16_in_sample("grüß 😀")
    refute Text.utf16_in_sample("gruss")
    assert Text.utf16_in_sample("grüß 😀".encode("UTF-16LE"))
  end

  def test_t19_utf16_out_as_utf8_strings
    assert_equal "grüß 😀", Text.utf16_sample
    assert_equal Encoding::UTF_8, Text.utf16_sample.encoding
    assert_equal "日本", Text.utf16_sized
    assert_equal Encoding::UTF_8, Text.utf16_sized.encoding
  end

  def test_t20_invalid_text_raises_an_encoding_error
    lone_surrogate = [0xED, 0xA0, 0x80].pack("C*").force_encoding(Encoding::UTF_8) # U+D800 in UTF-8
    assert_raises(EncodingError) { Text.utf16_units(lone_surrogate) }
    assert_raises(EncodingError) { Text.utf16_units("\xFF\xFE".dup.force_encoding(Encoding::UTF_8)) }
    assert_raises(EncodingError) { Text.utf16_units("caf\xE9".b) } # binary with a high byte: not text
    assert_raises(TypeError) { Text.utf16_units(nil) }
    assert_raises(ArgumentError) { Text.utf16_units("a\0b") } # C would stop at the NUL
  end
end
