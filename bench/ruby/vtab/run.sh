#!/bin/sh
# A virtual table implemented in Ruby (SQLite's sqlite3_module through bindery's interfaces): builds
# the SQLite fixture's extension with -O2 and runs vtab.rb (a benchmark, not a test).
#   bench/ruby/vtab/run.sh [path/to/bindery]     (default: build/src/bindery)
# BENCH_OUT sets the work directory; BENCH_ROWS / BENCH_REPEATS the sampling.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../../..
bindery=${1:-$root/build/src/bindery}
out=${BENCH_OUT:-${TMPDIR:-/tmp}/bindery-bench-ruby-vtab}
ruby_hdr=$(ruby -e 'print RbConfig::CONFIG["rubyhdrdir"]')
ruby_arch=$(ruby -e 'print RbConfig::CONFIG["rubyarchhdrdir"]')
rm -rf "$out" && mkdir -p "$out/lib"
"$bindery" generate --target ruby --out "$out/gen" -c "$root/tests/fixtures/sqlite3/bindery.yaml"
cc -O2 -fPIC -shared -isystem "$ruby_hdr" -isystem "$ruby_arch" -I"$out/gen/ext/sqlite3" \
  "$out/gen/ext/sqlite3/sqlite3_ext.c" -lsqlite3 -o "$out/lib/sqlite3_ext.so"
cp "$out/gen/lib/sqlite3.rb" "$out/lib/"
ruby -I"$out/lib" "$here/vtab.rb"
