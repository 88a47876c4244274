# frozen_string_literal: true

# tests/fixtures/errors/SPEC.md, from Ruby. Statuses raise Errors::Error (#code, #message); the errno
# convention raises SystemCallError (Errno::EINVAL …). R3 (Ruby): a status with soft or extra
# success codes returns that code as an Integer and nil for the plain OK.
require "minitest/autorun"
require "errors"

class TestErrors < Minitest::Test
  def test_r1_r2_out_param_and_eof
    r = Errors::Reader.new(3)
    assert_equal [1, 2, 3], Array.new(3) { r.next }
    assert_nil r.next
    r.close
  end

  def test_r3_soft_status_is_returned
    r = Errors::Reader.new(1)
    assert_equal [2, nil, 2], Array.new(3) { r.poll }
    r.close
  end

  def test_r4_to_r6_status_with_message_from_the_reader
    r = Errors::Reader.new(1)
    assert_nil r.check(0)
    assert_nil r.check(1000)
    e = assert_raises(Errors::Error) { r.check(-5) }
    assert_equal(-1, e.code)
    assert_equal "negative value: -5", e.message
    e = assert_raises(Errors::Error) { r.check(1001) }
    assert_equal(-2, e.code)
    assert_equal "value out of range: 1001", e.message
    r.close
  end

  def test_r7_to_r9_counts
    r = Errors::Reader.new(5)
    assert_equal "", r.message
    assert_equal 2, r.skip(2)
    assert_equal 3, r.next
    assert_equal 2, r.skip(10)
    assert_equal 0, r.skip(1)
    e = assert_raises(Errors::Error) { r.skip(-1) }
    assert_equal(-1, e.code)
    assert_equal "cannot skip a negative count", e.message
    assert_equal "cannot skip a negative count", r.message
    r.close
  end

  def test_r10_verdict
    assert_equal true, Errors.verify("open sesame")
    assert_equal false, Errors.verify("open")
  end

  def test_r11_to_r13_global_message
    assert_equal(-42, Errors.parse_int("-42"))
    assert_equal 2_147_483_647, Errors.parse_int("2147483647")
    e = assert_raises(Errors::Error) { Errors.parse_int("12x") }
    assert_equal [-1, "not a number: '12x'"], [e.code, e.message]
    e = assert_raises(Errors::Error) { Errors.parse_int("2147483648") }
    assert_equal [-2, "out of range: '2147483648'"], [e.code, e.message]
    e = assert_raises(Errors::Error) { Errors.parse_int("") }
    assert_equal [-1, "not a number: ''"], [e.code, e.message]
  end

  def test_r14_r15_errno
    before = Errors.live_readers
    e = assert_raises(Errno::EINVAL) { Errors::Reader.new(-1) }
    assert_kind_of SystemCallError, e
    assert_equal Errno::EINVAL::Errno, e.errno
    assert_raises(Errno::ERANGE) { Errors::Reader.new(1001) }
    assert_equal before, Errors.live_readers
  end

  def test_r16_nothing_leaks
    100.times do
      r = Errors::Reader.new(2)
      assert_raises(Errors::Error) { r.check(-1) }
      r.close
    end
    GC.start
    assert_equal 0, Errors.live_readers
  end

  def test_e1_e2_not_library_errors
    r = Errors::Reader.new(1)
    assert_raises(RangeError) { r.check(2**31) }
    r.close
    assert_raises(Errors::ClosedError) { r.next }
  end

  def test_error_hierarchy
    assert_operator Errors::Error, :<, StandardError
  end
end
