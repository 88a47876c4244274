#!/bin/sh
# Python benchmark: builds bindery's module of benchlib and the hand-written floor with -O2, then
# runs the wall-clock table (bench.py, with the peers of peers/build.sh) and the instruction
# counts (callgrind.py).
#   bench/python/run.sh path/to/bindery [bench.py options]
set -eu
bindery=$(realpath "$1"); shift
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_WORK:-$(mktemp -d)}
"$bindery" generate --target python --out "$work/gen" -c "$here/benchlib/bindery.yaml"
ext=$(python3-config --extension-suffix)
flags="-shared -fPIC -O2 -Wall -Wextra $(python3-config --includes) -I$here/benchlib"
start=$(date +%s.%N)
cc $flags -I"$work/gen/src" "$work/gen/src/_benchlib.c" "$here/benchlib/benchlib.c" \
  -o "$work/gen/benchlib/_benchlib$ext"
echo "built bindery's module in $(echo "$(date +%s.%N) - $start" | bc) s"
cc $flags "$here/floor.c" "$here/benchlib/benchlib.c" -o "$work/gen/benchfloor$ext"
cc -shared -fPIC -O2 "$here/benchlib/benchlib.c" -o "$work/libbenchlib.so"
strip -o "$work/stripped_bindery.so" "$work/gen/benchlib/_benchlib$ext"
strip -o "$work/stripped_floor.so" "$work/gen/benchfloor$ext"
echo "stripped size: bindery $(stat -c %s "$work/stripped_bindery.so") B," \
     "hand-written $(stat -c %s "$work/stripped_floor.so") B"
"$here/peers/build.sh" "$work/peers"
PYTHONPATH="$work/gen:$work/peers" python3 "$here/bench.py" --ctypes-lib "$work/libbenchlib.so" \
  --peer nanobind=peer_nanobind --peer pybind11=peer_pybind11 --peer Cython=peer_cython \
  --peer cffi=peer_cffi --peer SWIG=peer_swig "$@"
if command -v valgrind >/dev/null; then
  PYTHONPATH="$work/gen:$work/peers" python3 "$here/callgrind.py" --peer nanobind=peer_nanobind \
    --peer pybind11=peer_pybind11 --peer Cython=peer_cython --peer cffi=peer_cffi \
    --peer SWIG=peer_swig
fi
