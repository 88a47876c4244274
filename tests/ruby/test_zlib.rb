# frozen_string_literal: true

# zlib 1.2.13 (Debian's libz), bound from tests/fixtures/zlib/bindery.yaml and driven from Ruby:
# one-shot compression through caller-allocated buffers (capacity in, written length out), zlib's
# own error codes and texts, checksums over Strings read in place, and `blocking: true` calls that
# release the GVL so other Ruby threads run meanwhile. Streaming over the pinned z_stream: Deflater
# and Inflater (one C struct, two roles), their storage the binding's own (never moved), buffers
# passed through its fields; a 1 MiB round trip against Ruby's own zlib, corrupt and truncated input.
require "minitest/autorun"
require "rbconfig"
require "tmpdir"
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

  # ---- streaming over the pinned z_stream (field buffers) -------------------------------------

  def chunks(data, size) = (0...data.bytesize).step(size).map { |i| data.byteslice(i, size) }

  def deflate_all(data, piece: 64 * 1024, level: 6)
    Zlib::Deflater.deflate_init(level) do |d|
      out = +"".b
      chunks(data, piece).each { |c| out << d.deflate(c, :no_flush) }
      out << d.deflate("", :finish)
    end
  end

  def test_deflater_round_trip_against_rubys_zlib
    data = sample
    packed = deflate_all(data)
    assert_equal Encoding::BINARY, packed.encoding
    assert_operator packed.bytesize, :<, data.bytesize / 2
    # Ruby's own zlib (Zlib::Inflate, in a child process) reads it back.
    assert_equal data, ruby_zlib("$stdout.write Zlib::Inflate.inflate($stdin.read)", packed)
    # And the other way: Ruby's deflate, our Inflater, fed in small pieces.
    theirs = ruby_zlib("$stdout.write Zlib::Deflate.deflate($stdin.read)", data)
    got = +"".b
    Zlib::Inflater.inflate_init do |i|
      chunks(theirs, 1000).each { |c| got << i.inflate(c, :no_flush) }
    end
    assert_equal data, got
  end

  def test_deflater_to_inflater_round_trip
    data = sample(300_000) + Random.new(1).bytes(50_000) # incompressible tail: output grows past the input
    packed = deflate_all(data, piece: 7_777, level: 9)
    out = Zlib::Inflater.inflate_init { |i| i.inflate(packed, :sync_flush) }
    assert_equal data, out
    assert_equal "".b, Zlib::Inflater.inflate_init { |i| i.inflate(deflate_all(""), :finish) }
  end

  def test_sync_flush_emits_a_decodable_prefix
    d = Zlib::Deflater.deflate_init
    i = Zlib::Inflater.inflate_init
    %w[alpha beta gamma].each do |word|
      assert_equal word, i.inflate(d.deflate(word, :sync_flush), :no_flush) # each flush alone decodes
    end
    d.close
    i.close
  end

  def test_corrupt_input_raises_zlibs_error
    packed = deflate_all(sample(10_000))
    broken = packed.dup
    broken.setbyte(20, broken.getbyte(20) ^ 0x55)
    broken.setbyte(21, broken.getbyte(21) ^ 0x55)
    e = assert_raises(Zlib::Error) { Zlib::Inflater.inflate_init { |i| i.inflate(broken, :no_flush) } }
    assert_equal(-3, e.code) # Z_DATA_ERROR, with zlib's own message from strm->msg
    refute_empty e.message
    e = assert_raises(Zlib::Error) { Zlib::Inflater.inflate_init { |i| i.inflate("not zlib data at all", :no_flush) } }
    assert_equal(-3, e.code)
    assert_match(/header/, e.message)
  end

  def test_truncated_input_gives_what_there_is
    data = sample(100_000)
    packed = deflate_all(data)
    i = Zlib::Inflater.inflate_init
    part = i.inflate(packed.byteslice(0, packed.bytesize / 2), :no_flush)
    assert data.start_with?(part)
    assert_operator part.bytesize, :>, 0
    rest = i.inflate(packed.byteslice(packed.bytesize / 2..), :no_flush) # the stream continues
    assert_equal data, part + rest
    i.close
  end

  def test_wrong_arguments_and_use_after_close
    d = Zlib::Deflater.deflate_init(9)
    assert_raises(TypeError) { d.deflate(nil, :finish) }
    assert_raises(ArgumentError) { d.deflate("x", :no_such_flush) }
    assert_raises(Zlib::Error) { Zlib::Deflater.deflate_init(42) } # Z_STREAM_ERROR: bad level
    d.close
    d.close
    assert d.closed?
    assert_raises(Zlib::ClosedError) { d.deflate("x", :finish) }
  end

  def test_many_streams_collected_and_compacted
    GC.stress = true
    begin
      3.times { Zlib::Deflater.deflate_init.deflate("abc", :finish) }
    ensure
      GC.stress = false
    end
    2000.times { |n| Zlib::Inflater.inflate_init.inflate(deflate_all("x#{n}"), :finish) }
    GC.compact if GC.respond_to?(:compact)
    d = Zlib::Deflater.deflate_init
    GC.compact if GC.respond_to?(:compact) # the z_stream never moves: it is the binding's C memory
    assert_equal "hello", ruby_zlib("$stdout.write Zlib::Inflate.inflate($stdin.read)", d.deflate("hello", :finish))
  end

  def test_z4_deflate_init2_with_level_and_strategy
    data = sample(200_000)
    out = +"".b
    d = Zlib::Deflater.deflate_init2(9, 15, 8, :filtered)
    chunks(data, 10_000).each { |c| out << d.deflate(c, :no_flush) }
    out << d.deflate("", :finish)
    d.close
    assert_equal data, ruby_zlib("$stdout.write Zlib::Inflate.inflate($stdin.read)", out)
  end

  def test_z6_copies_carry_the_whole_state
    data = sample(100_000)
    d = Zlib::Deflater.deflate_init
    head = d.deflate(data.byteslice(0, 50_000), :no_flush)
    c = Zlib::Deflater.deflate_copy(d)
    rest = data.byteslice(50_000..)
    assert_equal d.deflate(rest, :finish), c.deflate(rest, :finish)
    packed = head + Zlib::Deflater.deflate_copy(c).deflate("", :finish) # ended copy: nothing new
    refute_empty packed
    i = Zlib::Inflater.inflate_init
    part = i.inflate(deflate_all(data).byteslice(0, 1000), :no_flush)
    j = Zlib::Inflater.inflate_copy(i)
    tail = deflate_all(data).byteslice(1000..)
    assert_equal i.inflate(tail, :no_flush), j.inflate(tail, :no_flush)
    assert data.start_with?(part)
    [d, c, i, j].each(&:close)
  end

  def test_z3_z7_gzfile_open_and_dopen
    Dir.mktmpdir do |dir|
      path = File.join(dir, "x.gz")
      Zlib::GzFile.open(path, "wb") { |f| assert_equal 5, f.write("hello") }
      Zlib::GzFile.open(path, "rb") do |f|
        assert_equal "hell", f.read(4)
        assert_equal "o".ord, f.getc
        assert_equal(-1, f.getc)
        assert f.eof
      end
      fd = IO.sysopen(path, "rb")
      g = Zlib::GzFile.dopen(fd, "rb")
      assert_equal "hello", g.read(100)
      g.close
      g.close # a second close is a no-op
      assert_raises(Errno::EBADF) { IO.new(fd).close } # the GzFile owned the descriptor and closed it
      assert_raises(Zlib::ClosedError) { g.read(1) }
    end
  end

  # ---- one call, any size, every flush mode: the output loop returns everything ---------------
  #
  # The loop's first output chunk is input.bytesize / 2 + 64 bytes, then doubles (to 1 MiB); it
  # calls again whenever the library used all the room it had, whatever code it returned (inflate
  # answers Z_BUF_ERROR to every Z_FINISH round but the last: that once cut :finish output short).

  DEFLATE_FLUSHES = %i[no_flush partial_flush sync_flush full_flush block finish].freeze
  INFLATE_FLUSHES = %i[no_flush sync_flush full_flush finish].freeze

  def first_chunk(input) = input.bytesize / 2 + 64

  # Our Deflater, one call with `flush`, then :finish if that was not it.
  def deflate_once(data, flush)
    Zlib::Deflater.deflate_init do |d|
      out = d.deflate(data, flush)
      flush == :finish ? out : out + d.deflate("", :finish)
    end
  end

  # Ruby's zlib over many inputs in one child process: [[:inflate | :deflate, bytes], …] -> results.
  def ruby_zlib_batch(jobs)
    script = "Marshal.dump(Marshal.load($stdin.read).map { |op, s| " \
             "op == :inflate ? Zlib::Inflate.inflate(s) : Zlib::Deflate.deflate(s) }, $stdout)"
    Marshal.load(ruby_zlib(script, Marshal.dump(jobs)))
  end

  # Data (a random head, zeros after it) of one of `totals` bytes for which out_size(data) ==
  # target(data); nil when no split point hits it exactly.
  def data_hitting(totals, out_size, target)
    totals.each do |total|
      head = Random.new(total).bytes(total)
      make = ->(n) { head.byteslice(0, n) + ("\0" * (total - n)).b }
      gap = ->(n) { out_size.(make.(n)) - target.(make.(n)) }
      lo = 0
      hi = total
      next if (gap.(lo) <=> 0) == (gap.(hi) <=> 0) # no crossing at this size
      rising = gap.(hi).positive?
      while hi - lo > 1 # bisect to where the gap changes sign (roughly monotonic in n)
        mid = (lo + hi) / 2
        (gap.(mid).positive? == rising) ? hi = mid : lo = mid
      end
      ([lo - 64, 0].max..[lo + 64, total].min).each do |n|
        return make.(n) if gap.(n).zero?
      end
    end
    nil
  end

  # [rounds, extra, data] for outputs of exactly 1, 3 or 7 first chunks (the rounds c, 2c, 4c),
  # and one byte more or less; the block gives the input whose size sets the first chunk.
  def boundary_inputs(out_size, cases)
    cases.filter_map do |rounds, extra, totals|
      d = data_hitting(totals, out_size, ->(x) { rounds * first_chunk(yield(x)) + extra })
      d && [rounds, extra, d]
    end
  end

  def test_every_flush_mode_in_one_call_round_trips_against_rubys_zlib
    # (Under ASan every allocation of these sizes is slow, in this process and in Ruby's zlib child:
    # 2 MiB still takes five rounds.)
    big = ENV["BINDERY_SANITIZED"] ? 2 * MIB : 8 * MIB
    datas = ["".b, "x".b, sample(big), Random.new(7).bytes(big / 28), ("ab" * 100_000).b]
    # Ruby's deflate, our inflate (one call per flush mode).
    theirs = ruby_zlib_batch(datas.map { |d| [:deflate, d] })
    assert_operator datas[2].bytesize, :>, 7 * first_chunk(theirs[2]) # MiBs of sample text: many rounds
    datas.zip(theirs).each do |data, packed|
      INFLATE_FLUSHES.each do |flush|
        got = Zlib::Inflater.inflate_init { |i| i.inflate(packed, flush) }
        assert data == got, "inflate(#{packed.bytesize} bytes, #{flush}): #{got.bytesize} of #{data.bytesize} bytes"
      end
    end
    # Our deflate (one call per flush mode, then :finish), Ruby's inflate.
    jobs = datas.product(DEFLATE_FLUSHES).map { |data, flush| [:inflate, deflate_once(data, flush)] }
    ruby_zlib_batch(jobs).zip(datas.product(DEFLATE_FLUSHES)).each do |got, (data, flush)|
      assert data == got, "deflate(#{data.bytesize} bytes, #{flush}): Ruby inflated #{got.bytesize} bytes"
    end
  end

  def test_output_of_exactly_one_chunk_and_one_more_byte
    # inflate: data whose size is 1, 3 or 7 first chunks (± 1 byte) of its compressed size.
    packed_of = ->(d) { Zlib.compress(Zlib.compress_bound(d.bytesize), d) }
    wanted = [[1, 0, 100..220], [1, 1, 100..220], [1, -1, 100..220],
              [3, 0, 3000..3012], [3, 1, 3000..3012], [7, 0, 40_000..40_030], [7, 1, 40_000..40_030]]
    inflate_cases = boundary_inputs(->(d) { d.bytesize }, wanted) { |d| packed_of.(d) }
    assert_operator inflate_cases.size, :>=, 6, "boundary inputs found: #{inflate_cases.map { _1.take(2) }}"
    inflate_cases.each do |rounds, extra, data|
      packed = packed_of.(data)
      assert_equal rounds * first_chunk(packed) + extra, data.bytesize
      INFLATE_FLUSHES.each do |flush|
        got = Zlib::Inflater.inflate_init { |i| i.inflate(packed, flush) }
        assert data == got, "#{rounds} chunks #{extra.positive? ? '+' : ''}#{extra}, #{flush}: #{got.bytesize} of #{data.bytesize}"
      end
    end
    # deflate(:finish): data whose compressed size is 1, 3 or 7 first chunks (± 1) of the data.
    deflated = ->(d) { Zlib::Deflater.deflate_init { |z| z.deflate(d, :finish) } }
    # (Deflated output is at most the input plus a few bytes: it ends within the first two rounds;
    # the 300 000 random bytes of the test above take both.)
    wanted = [[1, 0, 150..160], [1, 1, 150..160], [1, -1, 150..160], [1, 0, 5000..5010], [1, 1, 5000..5010]]
    deflate_cases = boundary_inputs(->(d) { deflated.(d).bytesize }, wanted) { |d| d }
    assert_operator deflate_cases.size, :>=, 4, "boundary inputs found: #{deflate_cases.map { _1.take(2) }}"
    jobs = deflate_cases.flat_map do |rounds, extra, data|
      packed = deflated.(data)
      assert_equal rounds * first_chunk(data) + extra, packed.bytesize
      [[:inflate, packed]] + DEFLATE_FLUSHES.map { |flush| [:inflate, deflate_once(data, flush)] }
    end
    expected = deflate_cases.flat_map { |_, _, data| [data] * (1 + DEFLATE_FLUSHES.size) }
    ruby_zlib_batch(jobs).zip(expected).each_with_index do |(got, data), n|
      assert data == got, "deflate boundary job #{n}: #{got.bytesize} of #{data.bytesize} bytes"
    end
  end

  # Ruby's own zlib, in a child process: its extension also defines a module named Zlib, which in
  # this process is the generated gem's.
  def ruby_zlib(script, input)
    IO.popen([RbConfig.ruby, "-rzlib", "-e", "$stdout.binmode; $stdin.binmode; #{script}"], "r+b") do |io|
      writer = Thread.new { io.write(input); io.close_write }
      out = io.read
      writer.join
      out
    end
  end

  # ---- busy handles: deflate runs without the GVL; close from another thread is refused ------

  def test_close_of_a_deflater_inside_deflate_in_another_thread_is_refused
    data = sample(8 * MIB)
    d = Zlib::Deflater.deflate_init(9)
    worker = Thread.new { d.deflate(data, :finish) }
    # busy? is set before the GVL is released and stays set across deflate's output chunks.
    Thread.pass until d.busy? || !worker.alive?
    assert d.busy?, "deflate returned before the main thread saw it busy"
    closer = Thread.new do
      d.close
    rescue IOError => e
      e
    end
    e = closer.value
    assert_kind_of Zlib::BusyError, e
    assert_match(/Zlib::Deflater#close: the object is in use by another thread/, e.message)
    refute d.closed?, "a refused close closes nothing"
    assert_raises(Zlib::BusyError) { d.deflate("x", :no_flush) } # affine: one call at a time
    packed = worker.value
    refute d.busy?
    d.close
    assert d.closed?
    out = Zlib::Inflater.inflate_init { |i| i.inflate(packed, :sync_flush) }
    assert data == out, "round trip after the refused close (#{out.bytesize} of #{data.bytesize} bytes)"
  end

  # Thread#raise into the worker: the interrupt is handled with the busy marks already cleared, so
  # the Deflater does not stay busy (closable) whatever the exception interrupted.
  def test_an_interrupted_deflate_leaves_the_deflater_closable
    d = Zlib::Deflater.deflate_init(9)
    worker = Thread.new { d.deflate(sample(8 * MIB), :finish) }
    Thread.pass until d.busy? || !worker.alive?
    assert d.busy?, "deflate returned before the main thread saw it busy"
    worker.raise(Interrupt, "stop")
    assert_raises(Interrupt) { worker.join }
    refute d.busy?
    d.close
    assert d.closed?
  end
end
