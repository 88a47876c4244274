"""A typed use of the metrics wheel, checked by `mypy --strict` against the installed stubs
(run_tests.py): the signatures a user's editor and type checker see."""
from array import array
from typing import assert_type

import metrics


def p99_of(latencies: array[float]) -> float | None:
    with metrics.Histogram(0.01) as h:
        h.record(0.020)
        h.record_many(memoryview(latencies))
        total: int = h.count()
        assert total > 0
        # std::optional results: the stubs must say they may be None.
        assert_type(h.mean(), float | None)
        assert_type(h.min(), float | None)
        assert_type(h.percentile(50), float | None)
        # Only std::optional results may be None: a factory returns a Histogram, serialize() bytes.
        data = h.serialize()
        assert_type(data, bytes)
        copy = metrics.Histogram.deserialize(data)
        assert_type(copy, metrics.Histogram)
        copy.merge(h)
        return copy.percentile(99)


try:
    print(p99_of(array("d", [0.010, 0.030])))
except metrics.MetricsError as e:
    code: int = e.code
    print(code)
