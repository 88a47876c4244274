"""The latency histogram in pure Python: what the agent had before the native `metrics` wheel.

The same bucketing as the C++ library (include/metrics/histogram.hpp), so both report the same
percentiles: with relative accuracy ``a``, a value ``x`` counts in bucket
``ceil(log(x) / log(g))`` where ``g = (1 + a) / (1 - a)``, and bucket ``i`` reports
``2 * g**i / (g + 1)``, within ``a`` of every value in it. Values below 1e-9 count as 0. The byte
format of :meth:`Histogram.serialize` is the library's too, so either side reads the other's.
Errors are the builtins the native binding raises: ValueError for a bad argument, IndexError for
a percentile outside [0, 100].
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable

MIN_INDEXABLE = 1e-9
_HEADER = struct.Struct("<4sBdQQdddiI")  # magic, version, accuracy, count, zeros, sum, min, max, offset, buckets
_MAGIC = b"MHST"
_VERSION = 1


def _check_value(value: float) -> None:
    if not value >= 0 or math.isinf(value):
        raise ValueError(f"histogram values must be finite and non-negative, got {value}")


class Histogram:
    """A log-bucketed histogram of non-negative values with bounded relative error."""

    __slots__ = ("_accuracy", "_gamma", "_log_gamma", "_buckets", "_zeros", "_count", "_sum", "_min", "_max")

    def __init__(self, relative_accuracy: float = 0.01) -> None:
        if not 0 < relative_accuracy < 1:
            raise ValueError(f"relative accuracy must be in (0, 1), got {relative_accuracy}")
        self._accuracy = relative_accuracy
        self._gamma = (1 + relative_accuracy) / (1 - relative_accuracy)
        self._log_gamma = math.log(self._gamma)
        self.reset()

    def reset(self) -> None:
        """Forgets every recorded value (keeps the accuracy)."""
        self._buckets: dict[int, int] = {}  # bucket index -> count
        self._zeros = 0
        self._count = 0
        self._sum = 0.0
        self._min = 0.0
        self._max = 0.0

    def record(self, value: float) -> None:
        """Records one value; ValueError for a negative, NaN or infinite one."""
        _check_value(value)
        if value < MIN_INDEXABLE:
            self._zeros += 1
        else:
            index = math.ceil(math.log(value) / self._log_gamma)
            self._buckets[index] = self._buckets.get(index, 0) + 1
        if self._count == 0 or value < self._min:
            self._min = value
        if self._count == 0 or value > self._max:
            self._max = value
        self._count += 1
        self._sum += value

    def record_many(self, values: Iterable[float]) -> None:
        """Records every value, or none when one of them is invalid."""
        values = list(values)
        for value in values:
            _check_value(value)
        for value in values:
            self.record(value)

    def merge(self, other: Histogram) -> None:
        """Adds the values recorded in ``other``; ValueError when the accuracies differ."""
        if other._accuracy != self._accuracy:
            raise ValueError(f"cannot merge histograms of different accuracies ({self._accuracy} and {other._accuracy})")
        if other._count == 0:
            return
        for index, n in list(other._buckets.items()):
            self._buckets[index] = self._buckets.get(index, 0) + n
        self._zeros += other._zeros
        self._min = other._min if self._count == 0 else min(self._min, other._min)
        self._max = other._max if self._count == 0 else max(self._max, other._max)
        self._count += other._count
        self._sum += other._sum

    def percentile(self, q: float) -> float | None:
        """The ``q``-th percentile (0 = min, 100 = max), None when empty; IndexError unless 0 <= q <= 100."""
        if not 0 <= q <= 100:
            raise IndexError(f"percentile must be in [0, 100], got {q}")
        if self._count == 0:
            return None
        if q == 0:
            return self._min
        if q == 100:
            return self._max
        rank = q / 100 * (self._count - 1)
        cumulative = float(self._zeros)
        if cumulative > rank:
            return min(max(0.0, self._min), self._max)
        for index in sorted(self._buckets):
            cumulative += self._buckets[index]
            if cumulative > rank:
                estimate = 2 * self._gamma**index / (self._gamma + 1)
                return min(max(estimate, self._min), self._max)
        return self._max  # not reached: the buckets add up to the count

    def mean(self) -> float | None:
        """The mean of the recorded values, None when empty."""
        return self._sum / self._count if self._count else None

    def min(self) -> float | None:
        """The smallest recorded value, None when empty."""
        return self._min if self._count else None

    def max(self) -> float | None:
        """The largest recorded value, None when empty."""
        return self._max if self._count else None

    def count(self) -> int:
        """The number of recorded values."""
        return self._count

    def relative_accuracy(self) -> float:
        """The relative accuracy the histogram was created with."""
        return self._accuracy

    def serialize(self) -> bytes:
        """The histogram in the library's byte format."""
        if self._buckets:
            low, high = min(self._buckets), max(self._buckets)
            counts = [self._buckets.get(i, 0) for i in range(low, high + 1)]
        else:
            low, counts = 0, []
        header = _HEADER.pack(_MAGIC, _VERSION, self._accuracy, self._count, self._zeros, self._sum,
                              self._min, self._max, low, len(counts))
        return header + struct.pack(f"<{len(counts)}Q", *counts)

    @staticmethod
    def deserialize(data: bytes) -> Histogram:
        """The histogram ``serialize()`` (native or pure) wrote; ValueError for malformed bytes."""
        if len(data) < _HEADER.size:
            raise ValueError("malformed histogram bytes: shorter than the header")
        magic, version, accuracy, count, zeros, total, low, high, offset, n = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != _VERSION:
            raise ValueError("malformed histogram bytes: not a histogram of a known version")
        if len(data) != _HEADER.size + 8 * n:
            raise ValueError("malformed histogram bytes: the bucket count does not match the length")
        if not 0 < accuracy < 1:
            raise ValueError("malformed histogram bytes: relative accuracy out of (0, 1)")
        counts = struct.unpack_from(f"<{n}Q", data, _HEADER.size)
        if zeros + sum(counts) != count:
            raise ValueError("malformed histogram bytes: the bucket counts do not add up to the count")
        h = Histogram(accuracy)
        h._buckets = {offset + i: c for i, c in enumerate(counts) if c}
        h._zeros, h._count, h._sum, h._min, h._max = zeros, count, total, low, high
        return h
