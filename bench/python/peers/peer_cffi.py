"""The six benchmark cases through cffi in API mode: module functions are the compiled lib's own;
the class is Python around them (cffi has no classes)."""
from _peer_cffi import ffi, lib

noop = lib.benchlib_noop
double_input = lib.benchlib_double_input


def text_length(s: str) -> int:
    return int(lib.benchlib_text_length(s.encode()))


class Counter:
    __slots__ = ("p",)

    def __init__(self) -> None:
        self.p = ffi.gc(lib.benchlib_counter_new(), lib.benchlib_counter_free)

    def add(self, delta: int) -> None:
        lib.benchlib_counter_add(self.p, delta)

    def data(self) -> memoryview:
        n = ffi.new("size_t *")
        d = lib.benchlib_counter_data(self.p, n)
        return memoryview(ffi.buffer(d, n[0]))
