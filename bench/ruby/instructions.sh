#!/bin/sh
# Instructions per call of the generated extension and the hand-written floor, counted by
# callgrind (deterministic, unlike wall time on a shared machine). Run after run.sh (same BENCH_OUT).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_OUT:-${TMPDIR:-/tmp}/bindery-bench-ruby}
n=${BENCH_IR_CALLS:-10000}
cases="noop:bindery_fn_bench_noop:f_noop double_input:bindery_fn_bench_double_input:f_double_input
Counter#add:bindery_fn_bench_counter_add:counter_add strlen:bindery_fn_bench_strlen:f_strlen
kib:bindery_fn_bench_counter_kib:counter_kib kib_view:bindery_fn_bench_counter_kib_view:counter_kib_view new:bindery_fn_bench_counter_new:counter_new
close:bindery_close_Counter:counter_close"
toggles=""
for c in $cases; do
  g=$(echo "$c" | cut -d: -f2); f=$(echo "$c" | cut -d: -f3)
  toggles="$toggles --toggle-collect=$g --toggle-collect=$f"
done
valgrind --tool=callgrind --collect-atstart=no $toggles --callgrind-out-file="$out/callgrind.out" \
  ruby -I"$out/lib" "$here/instructions.rb" "$n" >/dev/null 2>&1
callgrind_annotate --inclusive=yes --threshold=100 "$out/callgrind.out" > "$out/callgrind.txt"
printf "%-14s %12s %12s %8s\n" case generated floor ratio
for c in $cases; do
  name=$(echo "$c" | cut -d: -f1); g=$(echo "$c" | cut -d: -f2); f=$(echo "$c" | cut -d: -f3)
  gi=$(grep -E " [^ ]*:$g( |$)" "$out/callgrind.txt" | head -1 | awk '{gsub(",","",$1); print $1}')
  fi=$(grep -E " [^ ]*:$f( |$)" "$out/callgrind.txt" | head -1 | awk '{gsub(",","",$1); print $1}')
  echo "$name $gi $fi $n" | awk '{printf "%-14s %12.1f %12.1f %7.2fx\n", $1, $2/$4, $3/$4, ($3 > 0 ? $2/$3 : 0)}'
done
