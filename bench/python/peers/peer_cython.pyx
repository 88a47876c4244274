# cython: language_level=3, boundscheck=False, wraparound=False
"""The six benchmark cases bound with Cython (a peer in bench.py's table)."""
from cpython.memoryview cimport PyMemoryView_FromMemory
from cpython.buffer cimport PyBUF_READ
from cpython.unicode cimport PyUnicode_AsUTF8
from libc.stdint cimport int64_t, uint8_t


cdef extern from "benchlib.h":
    ctypedef struct benchlib_counter:
        pass
    void benchlib_noop()
    int benchlib_double_input(int input)
    size_t benchlib_text_length(const char *s)
    benchlib_counter *benchlib_counter_new()
    void benchlib_counter_free(benchlib_counter *counter)
    void benchlib_counter_add(benchlib_counter *counter, int64_t delta)
    const uint8_t *benchlib_counter_data(const benchlib_counter *counter, size_t *len)


def noop():
    benchlib_noop()


def double_input(int value):
    return benchlib_double_input(value)


def text_length(str s):
    return benchlib_text_length(PyUnicode_AsUTF8(s))


cdef class Counter:
    cdef benchlib_counter *p

    def __cinit__(self):
        self.p = benchlib_counter_new()

    def __dealloc__(self):
        benchlib_counter_free(self.p)

    def add(self, int64_t delta):
        benchlib_counter_add(self.p, delta)

    def data(self):
        cdef size_t n = 0
        cdef const uint8_t *d = benchlib_counter_data(self.p, &n)
        return PyMemoryView_FromMemory(<char *>d, n, PyBUF_READ)
