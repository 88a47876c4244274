#!/bin/sh
# Builds the peers of the Python benchmark into DIR (each with -O2), printing build time and
# stripped size: pybind11, nanobind, Cython, cffi (API mode), SWIG (-builtin).
#   bench/python/peers/build.sh DIR
set -eu
out=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
lib=$here/../benchlib
ext=$(python3-config --extension-suffix)
py_inc=$(python3-config --includes)
mkdir -p "$out"
report() {  # NAME FILE SECONDS
  strip -o "$out/.stripped" "$2"
  echo "built $1 in $3 s, stripped $(stat -c %s "$out/.stripped") B"
}
timed() { start=$(date +%s.%N); "$@"; end=$(date +%s.%N); secs=$(echo "$end - $start" | bc); }
cc -c -O2 -fPIC "$lib/benchlib.c" -o "$out/benchlib.o"

timed c++ -O2 -shared -fPIC -std=c++17 -fvisibility=hidden $py_inc \
  -I"$(python3 -c 'import pybind11; print(pybind11.get_include())')" -I"$lib" \
  "$here/peer_pybind11.cpp" "$out/benchlib.o" -o "$out/peer_pybind11$ext"
report pybind11 "$out/peer_pybind11$ext" "$secs"

nb=$(python3 -c 'import nanobind, os; print(os.path.dirname(nanobind.__file__))')
timed c++ -O2 -shared -fPIC -std=c++17 -fvisibility=hidden -fno-strict-aliasing $py_inc \
  -I"$nb/include" -I"$nb/ext/robin_map/include" -I"$lib" \
  "$here/peer_nanobind.cpp" "$nb/src/nb_combined.cpp" "$out/benchlib.o" \
  -o "$out/peer_nanobind$ext"
report nanobind "$out/peer_nanobind$ext" "$secs"

timed sh -c "cython -3 -o '$out/peer_cython.c' '$here/peer_cython.pyx' &&
  cc -O2 -shared -fPIC $py_inc -I'$lib' '$out/peer_cython.c' '$out/benchlib.o' -o '$out/peer_cython$ext'"
report Cython "$out/peer_cython$ext" "$secs"

timed python3 "$here/peer_cffi_build.py" "$out/cffi-build"
cp "$out"/cffi-build/_peer_cffi*.so "$out/"
cp "$here/peer_cffi.py" "$out/"
report "cffi (API mode)" "$(ls "$out"/_peer_cffi*.so)" "$secs"

timed sh -c "swig -python -builtin -o '$out/peer_swig_wrap.c' -outdir '$out' '$here/peer_swig.i' &&
  cc -O2 -shared -fPIC $py_inc -I'$lib' '$out/peer_swig_wrap.c' '$out/benchlib.o' -o '$out/_peer_swig$ext'"
report "SWIG $(swig -version | sed -n 's/^SWIG Version //p') (-builtin)" "$out/_peer_swig$ext" "$secs"
