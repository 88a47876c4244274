#!/bin/bash
# C→C++ call cost: instructions per call through the generated shim vs a direct C++ call and vs the
# same C program over hand-written wrappers (handwritten.cpp: the floor for a wrapper that must turn
# an exception into a status), counted by callgrind (exact, not timed: the machine is shared). Each
# variant runs with N and 2N calls; the difference divided by N is the per-call cost, free of
# start-up noise.
#
#   bench/c/run.sh [BUILD_DIR]   (BUILD_DIR: a build of bindery with tests, default build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bindery="$build/src/bindery"
[ -x "$bindery" ] || { echo "build bindery first (ninja -C $build bindery)"; exit 1; }
"$bindery" generate --target c --out "$work/di" -c "$root/examples/double_input/cpp_library/bindery.yaml"
"$bindery" generate --target c --out "$work/sh" -c "$root/examples/shapes/bindery.yaml" 2>/dev/null

di_src="$root/examples/double_input/cpp_library"
sh_src="$root/examples/shapes"
build_variant() {  # name, extra flags (C_FLAGS: extra flags for the C program only)
  local name=$1; shift
  local flags="-O2 $*"
  g++ -std=c++20 $flags -c "$di_src/double_input.cpp" -I"$di_src" -o "$work/di_lib_$name.o"
  g++ -std=c++20 $flags -c "$sh_src/src/shapes.cpp" -I"$sh_src/include" -o "$work/sh_lib_$name.o"
  g++ -std=c++20 $flags -c "$work/di/src/double_input_c.cpp" -I"$work/di/include" -I"$di_src" -o "$work/di_shim_$name.o"
  g++ -std=c++20 $flags -c "$work/sh/src/shapes_c.cpp" -I"$work/sh/include" -I"$sh_src/include" -o "$work/sh_shim_$name.o"
  gcc -std=c99 $flags ${C_FLAGS:-} -c "$here/through_shim.c" -I"$work/di/include" -I"$work/sh/include" -o "$work/c_$name.o"
  g++ $flags "$work/c_$name.o" "$work/di_shim_$name.o" "$work/sh_shim_$name.o" "$work/di_lib_$name.o" "$work/sh_lib_$name.o" -o "$work/shim_$name"
  # The same C program over hand-written wrappers (handwritten.cpp): the floor the shims are held to.
  g++ -std=c++20 $flags -c "$here/handwritten.cpp" -I"$work/di/include" -I"$work/sh/include" -I"$di_src" -I"$sh_src/include" -o "$work/hand_$name.o"
  g++ $flags "$work/c_$name.o" "$work/hand_$name.o" "$work/di_lib_$name.o" "$work/sh_lib_$name.o" -o "$work/hand_$name"
  g++ -std=c++20 $flags "$here/direct.cpp" -I"$di_src" -I"$sh_src/include" "$work/di_lib_$name.o" "$work/sh_lib_$name.o" -o "$work/direct_$name"
}
instructions() {  # program, n, loop → total instructions
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$1" "$2" "$3" >/dev/null 2>&1
  # awk reads to the end: an early exit would SIGPIPE callgrind_annotate and, under pipefail, stop the run.
  callgrind_annotate "$work/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done {gsub(",", "", $1); print $1; done = 1}'
}
n=1000000
printf "%-8s %-14s %-8s %12s\n" build call path "instr/call"
# LTO-exc: the C program compiled with -fexceptions, so that LTO may inline the shims that catch
# (GCC does not inline a function with exception regions into one compiled without them).
for variant in O2 LTO LTO-exc; do
  case $variant in
    O2) build_variant O2 ;;
    LTO) build_variant LTO -flto ;;
    LTO-exc) C_FLAGS=-fexceptions build_variant LTO-exc -flto ;;
  esac
  for loop in double_input area vertex find name; do
    for path in direct hand shim; do
      a=$(instructions "$work/${path}_$variant" $n $loop)
      b=$(instructions "$work/${path}_$variant" $((2 * n)) $loop)
      printf "%-8s %-14s %-8s %12s\n" "$variant" "$loop" "$path" "$(awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / n }')"
    done
  done
done
