# frozen_string_literal: true

# The seed example from Ruby: open an archive written by the system's tar, read names and
# contents, and prove the protocol: close (explicit, block form, finaliser), borrowed results
# copied, -1 from find as nil, errno failures as Errno::*.
require "minitest/autorun"
require "tmpdir"
require "tarball"

class TestTarball < Minitest::Test
  def setup
    @dir = Dir.mktmpdir("bindery-ruby-tarball")
    Dir.chdir(@dir) do
      File.write("hello.txt", "hello, world\n")
      File.binwrite("zeros.bin", "\x00a\x00b".b)
      File.write("empty.txt", "")
      system("tar", "--format=ustar", "-cf", "x.tar", "hello.txt", "zeros.bin", "empty.txt", exception: true)
    end
    @path = File.join(@dir, "x.tar")
  end

  def teardown
    FileUtils.remove_entry(@dir)
  end

  def test_names_and_data
    t = Tarball::Tarball.open(@path)
    assert_equal 3, t.count
    assert_equal %w[hello.txt zeros.bin empty.txt], Array.new(3) { |i| t.file_name(i) }
    assert_equal "hello, world\n".b, t.file_data(0)
    assert_equal "\x00a\x00b".b, t.file_data(1)
    assert_equal "".b, t.file_data(2)
    assert t.file_data(0).frozen?
    assert_nil t.file_name(3)
    assert_nil t.file_data(3)
    t.close
  end

  def test_find_absent_is_nil
    Tarball::Tarball.open(@path) do |t|
      assert_equal 1, t.find("zeros.bin")
      assert_nil t.find("missing")
    end
  end

  def test_block_form_closes_and_copies_outlive_it
    data = nil
    tar = Tarball::Tarball.open(@path) { |t| data = t.file_data(0); t }
    assert tar.closed?
    assert_raises(Tarball::ClosedError) { tar.count }
    GC.start
    assert_equal "hello, world\n", data
  end

  def test_errno_errors
    assert_raises(Errno::ENOENT) { Tarball::Tarball.open(File.join(@dir, "nope.tar")) }
    File.write(File.join(@dir, "bad.tar"), "not a tar" * 100)
    assert_raises(Errno::EINVAL) { Tarball::Tarball.open(File.join(@dir, "bad.tar")) }
    assert_raises(ArgumentError) { Tarball::Tarball.open("a\0b") }
    assert_raises(TypeError) { Tarball::Tarball.open(nil) }
  end

  def test_range_and_type_errors
    Tarball::Tarball.open(@path) do |t|
      assert_raises(RangeError) { t.file_name(-1) }
      assert_raises(RangeError) { t.file_name(2**32) }
      assert_raises(TypeError) { t.file_name("0") }
    end
  end

  def test_finaliser
    100.times { Tarball::Tarball.open(@path) }
    GC.start
  end
end
