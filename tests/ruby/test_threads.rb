# frozen_string_literal: true

# Callbacks a library calls on a thread it started itself (tests/node/threads/, shared with the Node
# tests): no Ruby code can run there (rb_protect on such a thread crashes the process), so the
# trampoline refuses — the block is not called, the library gets the callback's zero value — and the
# method raises ThreadError once the C function has returned.
require "minitest/autorun"
require "threads"

class TestThreads < Minitest::Test
  def test_a_callback_reached_on_a_library_thread_is_not_called_and_the_call_raises
    called = 0
    before = Threads.thread_calls
    e = assert_raises(ThreadError) { Threads.call_on_thread(41, 3) { |v| called += 1; v + 1 } }
    assert_match(/thread the library started/, e.message)
    assert_equal 0, called, "Ruby never ran on the library thread"
    assert_equal 3, Threads.thread_calls - before, "the library thread did call back three times"
    assert_equal 0, Threads.last_result, "the library got the zero value"
  end

  def test_the_same_callback_on_the_calling_thread_works_before_and_after_a_refusal
    assert_equal 42, Threads.call_here(41) { |v| v + 1 }
    assert_raises(ThreadError) { Threads.call_on_thread(1, 1) { |v| v } }
    assert_equal 82, Threads.call_here(41) { |v| v * 2 }, "a refusal is not reported again by a later call"
    assert_equal 82, Threads.last_result
  end

  def test_a_thread_that_never_calls_back_is_no_error
    assert_equal 0, Threads.call_on_thread(5, 0) { flunk "never called" }
  end

  def test_an_exception_on_the_calling_thread_is_raised_as_before
    boom = Class.new(StandardError)
    assert_raises(boom) { Threads.call_here(1) { raise boom, "boom" } }
    assert_equal 0, Threads.last_result, "the library got the zero value for the exception too"
  end

  def test_from_another_ruby_thread_the_callback_runs_there
    value = Thread.new { Threads.call_here(20) { |v| v + 1 } }.value
    assert_equal 21, value
  end
end
