#!/bin/bash
# Instructions per call for every case and binding, counted by callgrind: bench/node/callgrind.sh
# <work dir built by run.sh>. One node process per case and binding (count.js), so no case is billed
# for another's garbage, heap growth or malloc state. Deterministic where times are not, so it settles
# what a noisy machine cannot. BENCH_ONLY=regex limits the cases. Prints the table in Markdown.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "$1" && pwd)
calls=${BENCH_CALLS:-20000}
out="$work/callgrind"
rm -rf "$out" && mkdir -p "$out"
export BENCH_WORK="$work" BENCH_CALLS="$calls"
BENCH_NODE_MODULES=${BENCH_NODE_MODULES:-$here/../../tools/node/node_modules} node "$here/list.js" >"$out/order.txt"
n=0
while IFS=$'\t' read -r name binding; do
  n=$((n + 1))
  # V8 writes and rewrites machine code: --smc-check=all makes valgrind notice it. --single-threaded
  # keeps V8 from compiling and collecting on helper threads, whose work would land in a random loop.
  valgrind --tool=callgrind --smc-check=all --collect-atstart=yes \
    --zero-before=bench_mark_start --dump-before=bench_mark_stop \
    --callgrind-out-file="$out/cg.$n.out" node --expose-gc --single-threaded "$here/count.js" "$name" "$binding" \
    >/dev/null 2>"$out/valgrind.$n.log"
done <"$out/order.txt"
node "$here/callgrind_table.js" "$out" "$calls"
