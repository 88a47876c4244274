// A typed use of the metrics package, checked by `tsc --strict` against its installed index.d.ts
// (run_tests.sh): the signatures a user's editor sees.
import { Histogram, MetricsError } from 'metrics';

export function p99Of(latencies: Float64Array): number | null {
  const h = new Histogram(0.01);
  try {
    h.record(0.020);
    h.recordMany(latencies);
    const total: bigint = h.count();
    const mean: number | null = h.mean();
    const low: number | null = h.min();
    if (total > 0n && (mean === null || low === null)) throw new Error('unreachable');
    // The .d.ts says `Histogram | null` today: the C layer's convention declares METRICS_NONE (an
    // empty std::optional) for every function, not only the optional ones. Never null at run time
    // (test_metrics.js); drop this narrowing when the declaration says `: Histogram`.
    const copy = Histogram.deserialize(new Uint8Array([0x4d, 0x48, 0x53, 0x54]));
    if (copy === null) throw new Error('unreachable');
    copy.merge(h);
    return copy.percentile(99);
  } catch (e) {
    if (e instanceof MetricsError) console.error(e.code);
    throw e;
  } finally {
    h.close();
  }
}
