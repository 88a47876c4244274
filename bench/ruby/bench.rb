# frozen_string_literal: true

# Six cases (the 1 KiB result as a copy, a view, a view read, a first view), every binding of benchlib in one run: ns per call (median of repeats, loop included)
# and the ratio to the fastest binding of the case. Run through run.sh, which builds them all.
require "fiddle"
require "benchlib"
require "floor_ext"
begin
  require "ffi"
rescue LoadError
  nil
end
begin
  require "swig_benchlib"
rescue LoadError
  nil
end

LIBPATH = ARGV.fetch(0)
CALLS = Integer(ENV.fetch("BENCH_CALLS", "1000000"))
REPEATS = Integer(ENV.fetch("BENCH_REPEATS", "7"))
S16 = "sixteen chars!!!"
raise unless S16.bytesize == 16

# Fiddle: libffi through Ruby's standard library.
module ViaFiddle
  LIB = Fiddle.dlopen(LIBPATH)
  F = Fiddle
  NOOP = F::Function.new(LIB["bench_noop"], [], F::TYPE_VOID)
  DOUBLE = F::Function.new(LIB["bench_double_input"], [F::TYPE_INT], F::TYPE_INT)
  STRLEN = F::Function.new(LIB["bench_strlen"], [F::TYPE_VOIDP], F::TYPE_SIZE_T)
  NEW = F::Function.new(LIB["bench_counter_new"], [], F::TYPE_VOIDP)
  FREE = F::Function.new(LIB["bench_counter_free"], [F::TYPE_VOIDP], F::TYPE_VOID)
  ADD = F::Function.new(LIB["bench_counter_add"], [F::TYPE_VOIDP, F::TYPE_INT], F::TYPE_LONG_LONG)
  KIB = F::Function.new(LIB["bench_counter_kib"], [F::TYPE_VOIDP, F::TYPE_VOIDP], F::TYPE_VOIDP)
end

if defined?(FFI)
  module ViaFFI
    extend FFI::Library
    ffi_lib LIBPATH
    attach_function :noop, :bench_noop, [], :void
    attach_function :double_input, :bench_double_input, [:int], :int
    attach_function :strlen, :bench_strlen, [:string], :size_t
    attach_function :counter_new, :bench_counter_new, [], :pointer
    attach_function :counter_free, :bench_counter_free, [:pointer], :void
    attach_function :counter_add, :bench_counter_add, [:pointer, :int32], :int64
    attach_function :counter_kib, :bench_counter_kib, [:pointer, :pointer], :pointer
  end
end

def sample(blk)
  GC.start # each sample starts from the same heap, whatever ran before it
  t = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
  blk.call(CALLS)
  (Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - t).fdiv(CALLS)
end

# Repeats interleave the bindings (a, b, c, a, b, c, …) so that a slow spell of the shared machine,
# or the heap growth of the first allocating run, does not land on one binding: median per binding.
def measure_all(bindings)
  samples = Hash.new { |h, k| h[k] = [] }
  bindings.each_value { |blk| blk.call(CALLS / 10) } # warm-up: method caches, heap size
  REPEATS.times { bindings.each { |name, blk| samples[name] << sample(blk) } }
  samples.transform_values { |v| v.sort[v.size / 2] }
end

gen_c = Benchlib::Counter.new
floor_c = Floor::Counter.new
fid_c = ViaFiddle::NEW.call
fid_len = Fiddle::Pointer.malloc(Fiddle::SIZEOF_SIZE_T, Fiddle::RUBY_FREE)
ffi_c = defined?(ViaFFI) ? ViaFFI.counter_new : nil
ffi_len = defined?(FFI) ? FFI::MemoryPointer.new(:size_t) : nil
swig_c = defined?(Swig_benchlib) ? Swig_benchlib.bench_counter_new : nil

# Each binding's loop is written out so that no block or send sits between the loop and the call.
CASES = {
  "noop" => {
    "generated" => ->(n) { i = 0; while i < n; Benchlib.noop; i += 1; end },
    "floor" => ->(n) { i = 0; while i < n; Floor.noop; i += 1; end },
    "fiddle" => ->(n) { f = ViaFiddle::NOOP; i = 0; while i < n; f.call; i += 1; end },
    "ffi" => ffi_c && ->(n) { i = 0; while i < n; ViaFFI.noop; i += 1; end },
    "swig" => swig_c && ->(n) { i = 0; while i < n; Swig_benchlib.bench_noop; i += 1; end }
  },
  "double_input(int)" => {
    "generated" => ->(n) { i = 0; while i < n; Benchlib.double_input(21); i += 1; end },
    "floor" => ->(n) { i = 0; while i < n; Floor.double_input(21); i += 1; end },
    "fiddle" => ->(n) { f = ViaFiddle::DOUBLE; i = 0; while i < n; f.call(21); i += 1; end },
    "ffi" => ffi_c && ->(n) { i = 0; while i < n; ViaFFI.double_input(21); i += 1; end },
    "swig" => swig_c && ->(n) { i = 0; while i < n; Swig_benchlib.bench_double_input(21); i += 1; end }
  },
  "Counter#add(int)" => {
    "generated" => ->(n) { c = gen_c; i = 0; while i < n; c.add(1); i += 1; end },
    "floor" => ->(n) { c = floor_c; i = 0; while i < n; c.add(1); i += 1; end },
    "fiddle" => ->(n) { f = ViaFiddle::ADD; c = fid_c; i = 0; while i < n; f.call(c, 1); i += 1; end },
    "ffi" => ffi_c && ->(n) { c = ffi_c; i = 0; while i < n; ViaFFI.counter_add(c, 1); i += 1; end },
    "swig" => swig_c && ->(n) { c = swig_c; i = 0; while i < n; Swig_benchlib.bench_counter_add(c, 1); i += 1; end }
  },
  "strlen(16-char String)" => {
    "generated" => ->(n) { s = S16; i = 0; while i < n; Benchlib.strlen(s); i += 1; end },
    "floor" => ->(n) { s = S16; i = 0; while i < n; Floor.strlen(s); i += 1; end },
    "fiddle" => ->(n) { f = ViaFiddle::STRLEN; s = S16; i = 0; while i < n; f.call(s); i += 1; end },
    "ffi" => ffi_c && ->(n) { s = S16; i = 0; while i < n; ViaFFI.strlen(s); i += 1; end },
    "swig" => swig_c && ->(n) { s = S16; i = 0; while i < n; Swig_benchlib.bench_strlen(s); i += 1; end }
  },
  "borrowed 1 KiB (copy)" => {
    "generated" => ->(n) { c = gen_c; i = 0; while i < n; c.kib; i += 1; end },
    "floor" => ->(n) { c = floor_c; i = 0; while i < n; c.kib; i += 1; end },
    "fiddle" => lambda { |n|
      f = ViaFiddle::KIB; c = fid_c; l = fid_len; i = 0
      while i < n; p = f.call(c, l); p.to_s(l[0, Fiddle::SIZEOF_SIZE_T].unpack1("J")).freeze; i += 1; end
    },
    "ffi" => ffi_c && lambda { |n|
      c = ffi_c; l = ffi_len; i = 0
      while i < n; ViaFFI.counter_kib(c, l).read_bytes(l.read(:size_t)).freeze; i += 1; end
    }
  },
  # A view where the binding offers one. generated: a read-only Benchlib::View detached at close
  # (the same memory again returns the view the counter made last); floor: the hand-written safe
  # view of session 4 (a locked IO::Buffer in a WeakMap); ruby-ffi and Fiddle: a raw pointer (no
  # length, no lifetime: not safe, and nothing read yet).
  "borrowed 1 KiB (view)" => {
    "generated" => ->(n) { c = gen_c; i = 0; while i < n; c.kib_view; i += 1; end },
    "floor" => ->(n) { c = floor_c; i = 0; while i < n; c.kib_view; i += 1; end },
    "fiddle" => ->(n) { f = ViaFiddle::KIB; c = fid_c; l = fid_len; i = 0; while i < n; f.call(c, l); i += 1; end },
    "ffi" => ffi_c && ->(n) { c = ffi_c; l = ffi_len; i = 0; while i < n; ViaFFI.counter_kib(c, l); i += 1; end }
  },
  # The view used: 8 bytes read at offset 512 (what a raw pointer is for).
  "view + read 8 bytes" => {
    "generated" => ->(n) { c = gen_c; i = 0; while i < n; c.kib_view.get_string(512, 8); i += 1; end },
    "floor" => ->(n) { c = floor_c; i = 0; while i < n; c.kib_view.get_string(512, 8); i += 1; end },
    "fiddle" => ->(n) { f = ViaFiddle::KIB; c = fid_c; l = fid_len; i = 0; while i < n; f.call(c, l)[512, 8]; i += 1; end },
    "ffi" => ffi_c && lambda { |n|
      c = ffi_c; l = ffi_len; i = 0
      while i < n; ViaFFI.counter_kib(c, l).get_bytes(512, 8); i += 1; end
    }
  },
  # A first view: a fresh counter, its view, close (the view cannot be the one made last).
  "new + view + close" => {
    "generated" => ->(n) { k = Benchlib::Counter; i = 0; while i < n; c = k.new; c.kib_view; c.close; i += 1; end },
    "floor" => ->(n) { k = Floor::Counter; i = 0; while i < n; c = k.new; c.kib_view; c.close; i += 1; end },
    "fiddle" => lambda { |n|
      nw = ViaFiddle::NEW; fr = ViaFiddle::FREE; f = ViaFiddle::KIB; l = fid_len; i = 0
      while i < n; c = nw.call; f.call(c, l); fr.call(c); i += 1; end
    },
    "ffi" => ffi_c && lambda { |n|
      l = ffi_len; i = 0
      while i < n; c = ViaFFI.counter_new; ViaFFI.counter_kib(c, l); ViaFFI.counter_free(c); i += 1; end
    }
  },
  "create+destroy" => {
    "generated" => ->(n) { k = Benchlib::Counter; i = 0; while i < n; k.new.close; i += 1; end },
    "floor" => ->(n) { k = Floor::Counter; i = 0; while i < n; k.new.close; i += 1; end },
    "fiddle" => ->(n) { nw = ViaFiddle::NEW; fr = ViaFiddle::FREE; i = 0; while i < n; fr.call(nw.call); i += 1; end },
    "ffi" => ffi_c && ->(n) { i = 0; while i < n; ViaFFI.counter_free(ViaFFI.counter_new); i += 1; end },
    "swig" => swig_c && lambda { |n|
      i = 0
      while i < n; Swig_benchlib.bench_counter_free(Swig_benchlib.bench_counter_new); i += 1; end
    }
  }
}.freeze

names = %w[generated floor fiddle ffi swig]
puts
puts format("ruby %s, %d calls x %d repeats, median ns/call (ratio to the fastest)", RUBY_VERSION, CALLS, REPEATS)
puts format("%-24s", "case") + names.map { |n| format("%18s", n) }.join
CASES.each do |name, bindings|
  results = measure_all(bindings.compact)
  best = results.values.min
  cells = names.map do |n|
    t = results[n]
    t ? format("%18s", format("%.1f (%.2fx)", t, t / best)) : format("%18s", "n/a")
  end
  puts format("%-24s", name) + cells.join
end
