"""Python: the native `metrics` wheel against the pure-Python histogram it replaces.

    python3 bench.py native|pure one|batch [N]

Records N values (default 10 million) one call at a time (`one`) or in batches of 10,000
(`batch`, record_many), then asks for p50, p99 and p99.9. The values cycle through a fixed pool of
100,000 latencies (log-normal around 20 ms, the same pool in every language), so the data costs the
same small memory in both runs. Prints one JSON line: seconds recording, seconds for the
percentiles, peak RSS (ru_maxrss) before recording and at the end. One process per case, so each
peak is its own. A benchmark, run by run.sh: never a test.
"""
import json
import math
import resource
import sys
import time

POOL = 100_000
BATCH = 10_000


def pool() -> list[float]:
    """The same pseudo-random latencies as bench.rb and bench.js: a 64-bit LCG, Box-Muller."""
    state = 42
    out = []
    mask = (1 << 64) - 1
    while len(out) < POOL:
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        u1 = ((state >> 11) + 1) / 2**53
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        u2 = (state >> 11) / 2**53
        z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
        out.append(math.exp(math.log(0.020) + 0.8 * z))
    return out


def maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    impl, mode = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000_000
    if impl == "native":
        from metrics import Histogram
    else:
        from pure_metrics import Histogram
    values = pool()
    batches = [values[i:i + BATCH] for i in range(0, POOL, BATCH)]
    h = Histogram(0.01)
    rss_before = maxrss_kb()
    start = time.perf_counter()
    if mode == "one":
        record = h.record
        for _ in range(n // POOL):
            for v in values:
                record(v)
    else:
        record_many = h.record_many
        for _ in range(n // POOL):
            for b in batches:
                record_many(b)
    recorded = time.perf_counter()
    ps = [h.percentile(q) for q in (50, 99, 99.9)]
    done = time.perf_counter()
    assert h.count() == n // POOL * POOL
    print(json.dumps({"lang": "python", "impl": impl, "mode": mode, "n": h.count(),
                      "record_s": recorded - start, "percentiles_s": done - recorded,
                      "rss_before_kb": rss_before, "rss_peak_kb": maxrss_kb(),
                      "p50": ps[0], "p99": ps[1], "p999": ps[2]}))


if __name__ == "__main__":
    main()
