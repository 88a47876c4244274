"""Builds the cffi API-mode peer (peer_cffi) into the directory given as argv[1]."""
import pathlib
import sys

from cffi import FFI

HERE = pathlib.Path(__file__).resolve().parent
LIB = HERE.parent / "benchlib"

ffi = FFI()
ffi.cdef("""
    typedef struct benchlib_counter benchlib_counter;
    void benchlib_noop(void);
    int benchlib_double_input(int input);
    size_t benchlib_text_length(const char *s);
    benchlib_counter *benchlib_counter_new(void);
    void benchlib_counter_free(benchlib_counter *counter);
    void benchlib_counter_add(benchlib_counter *counter, int64_t delta);
    const uint8_t *benchlib_counter_data(const benchlib_counter *counter, size_t *len);
""")
ffi.set_source("_peer_cffi", '#include "benchlib.h"', sources=[str(LIB / "benchlib.c")],
               include_dirs=[str(LIB)], extra_compile_args=["-O2"])

if __name__ == "__main__":
    ffi.compile(tmpdir=sys.argv[1])
