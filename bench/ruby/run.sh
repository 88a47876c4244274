#!/bin/sh
# Builds every Ruby binding of benchlib and runs bench.rb (a benchmark, not a test).
#   bench/ruby/run.sh [path/to/bindery]     (default: build/src/bindery)
# Bindings: the generated extension, the hand-written floor (floor/floor.c), Fiddle, ruby-ffi
# (Debian: ruby-ffi) and SWIG (Debian: swig) when installed. Prints build times and sizes, then the
# table of bench.rb. BENCH_OUT sets the work directory; BENCH_REPEATS/BENCH_CALLS the sampling.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bindery=${1:-$here/../../build/src/bindery}
out=${BENCH_OUT:-${TMPDIR:-/tmp}/bindery-bench-ruby}
ruby_hdr=$(ruby -e 'print RbConfig::CONFIG["rubyhdrdir"]')
ruby_arch=$(ruby -e 'print RbConfig::CONFIG["rubyarchhdrdir"]')
cflags="-O2 -fPIC -shared -isystem $ruby_hdr -isystem $ruby_arch -I$here/benchlib"
lib="$here/benchlib/benchlib.c"
rm -rf "$out" && mkdir -p "$out/lib"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

cc -O2 -fPIC -shared "$lib" -o "$out/lib/libbenchlib.so"   # for Fiddle and ruby-ffi

t=$(date +%s%N)
"$bindery" generate --target ruby --out "$out/gen" -c "$here/benchlib/bindery.yaml"
gen_ms=$(ms "$t")
t=$(date +%s%N)
cc $cflags -I"$out/gen/ext/benchlib" "$out/gen/ext/benchlib/benchlib_ext.c" "$lib" -o "$out/lib/benchlib_ext.so"
echo "build generated: bindery ${gen_ms} ms, cc $(ms "$t") ms, $(stat -c %s "$out/lib/benchlib_ext.so") bytes"
cp "$out/gen/lib/benchlib.rb" "$out/lib/"

t=$(date +%s%N)
cc $cflags "$here/floor/floor.c" "$lib" -o "$out/lib/floor_ext.so"
echo "build floor:     cc $(ms "$t") ms, $(stat -c %s "$out/lib/floor_ext.so") bytes"

if command -v swig >/dev/null 2>&1; then
  t=$(date +%s%N)
  swig -ruby -I"$here/benchlib" -o "$out/swig_wrap.c" "$here/benchlib.i"
  cc $cflags -Wno-unused-parameter "$out/swig_wrap.c" "$lib" -o "$out/lib/swig_benchlib.so"
  echo "build swig:      swig+cc $(ms "$t") ms, $(stat -c %s "$out/lib/swig_benchlib.so") bytes"
fi

ruby -I"$out/lib" "$here/bench.rb" "$out/lib/libbenchlib.so"
