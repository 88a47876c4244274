#!/bin/bash
# Instructions per call for every case and binding, counted by callgrind in one node process
# (count.js): bench/node/callgrind.sh <work dir built by run.sh>. Deterministic where times are
# not, so it settles what a noisy machine cannot. Prints the table in Markdown.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "$1" && pwd)
calls=${BENCH_CALLS:-20000}
out="$work/callgrind"
rm -rf "$out" && mkdir -p "$out"
# V8 writes and rewrites machine code: --smc-check=all makes valgrind notice it. --single-threaded
# keeps V8 from compiling and collecting on helper threads, whose work would land in a random loop.
BENCH_WORK="$work" BENCH_CALLS="$calls" \
  valgrind --tool=callgrind --smc-check=all --collect-atstart=yes \
  --zero-before=bench_mark_start --dump-before=bench_mark_stop \
  --callgrind-out-file="$out/cg.out" node --expose-gc --single-threaded "$here/count.js" >"$out/order.txt" 2>"$out/valgrind.log"
node "$here/callgrind_table.js" "$out" "$calls"
