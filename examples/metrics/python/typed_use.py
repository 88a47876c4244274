"""A typed use of the metrics wheel, checked by `mypy --strict` against the installed stubs
(run_tests.py): the signatures a user's editor and type checker see."""
from array import array

import metrics


def p99_of(latencies: array[float]) -> float | None:
    with metrics.Histogram(0.01) as h:
        h.record(0.020)
        h.record_many(memoryview(latencies))
        total: int = h.count()
        assert total > 0
        mean: float | None = h.mean()
        low: float | None = h.min()
        assert mean is None or low is not None
        data: bytes = h.serialize()
        copy: metrics.Histogram = metrics.Histogram.deserialize(data)
        copy.merge(h)
        return copy.percentile(99)


try:
    print(p99_of(array("d", [0.010, 0.030])))
except metrics.MetricsError as e:
    code: int = e.code
    print(code)
