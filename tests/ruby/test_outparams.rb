# frozen_string_literal: true

# tests/fixtures/outparams/SPEC.md, from Ruby: several results come back as an Array (return value
# first, then the outs in C order); a single result is returned as itself.
require "minitest/autorun"
require "outparams"

class TestOutparams < Minitest::Test
  def test_p1_p2
    assert_equal [3, 2], Outparams.divmod(17, 5)
    assert_equal [-3, -2], Outparams.divmod(-17, 5)
    assert_equal [3, 0.75], Outparams.split(3.75)
    assert_equal [-2, -0.5], Outparams.split(-2.5)
  end

  def test_p3_every_kind
    assert_equal [true, -8, 65_535, 9_223_372_036_854_775_807, 0.5, -2.25, "k"], Outparams.all_kinds
  end

  def test_p4_p5_return_first
    assert_equal [13, 42], Outparams.sum_and_product(6, 7)
    assert_equal [4_294_967_294, 4_611_686_014_132_420_609], Outparams.sum_and_product(2_147_483_647, 2_147_483_647)
  end

  def test_p6_to_p8_inout
    assert_equal 42, Outparams.increment(41)
    assert_equal(-2_147_483_648, Outparams.increment(2_147_483_647))
    assert_equal [2, 1], Outparams.swap(1, 2)
    assert_equal [10, 15], Outparams.fetch_add(10, 5)
  end

  def test_p9_status_then_out
    assert_equal 65_535, Outparams.parse_u16("65535")
    assert_equal 0, Outparams.parse_u16("0")
  end

  def test_p10_p11_verdict_and_out
    assert_equal [true, 5], Outparams.try_half(10)
    assert_equal [true, -2], Outparams.try_half(-4)
    assert_equal [false, 0], Outparams.try_half(7)
  end

  def test_e1_precondition
    e = assert_raises(ArgumentError) { Outparams.divmod(1, 0) }
    assert_match(/b != 0/, e.message)
    assert_raises(ArgumentError) { Outparams.divmod(-2_147_483_648, -1) }
  end

  def test_e2_library_error
    ["65536", "", "-1"].each do |s|
      e = assert_raises(Outparams::Error) { Outparams.parse_u16(s) }
      assert_equal 1, e.code
      assert_equal "not a decimal number in 0..65535", e.message
    end
  end

  def test_e3_e4
    assert_raises(RangeError) { Outparams.increment(2**31) }
    assert_raises(ArgumentError) { Outparams.swap(1) }
  end

  # Output lengths (the IR pairs `char **out` with its hidden `size_t *out_len`).
  def test_p12_text_with_nuls_has_the_reported_length
    r = Outparams.repeat("ab", 3)
    assert_equal "ab\0ab\0ab\0", r
    assert_equal 9, r.bytesize
    assert_equal Encoding::UTF_8, r.encoding
    assert_equal "\0\0", Outparams.repeat("", 2)
    assert_equal "", Outparams.repeat("x", 0)
    assert_equal 2, Outparams.method(:repeat).arity # (s, times): the length is not an argument
  end

  def test_p13_slice_of_doubles
    assert_equal [0.0, 1.0, 4.0, 9.0], Outparams.squares(4)
    assert_equal [], Outparams.squares(0)
  end

  def test_e5_error_leaks_nothing
    e = assert_raises(Outparams::Error) { Outparams.squares(1001) }
    assert_equal 1, e.code
  end
end
