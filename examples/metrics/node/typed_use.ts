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
    // Only std::optional results may be null: a factory returns a Histogram, serialize bytes.
    const data: Uint8Array = h.serialize();
    const copy: Histogram = Histogram.deserialize(data);
    copy.merge(h);
    return copy.percentile(99);
  } catch (e) {
    if (e instanceof MetricsError) console.error(e.code);
    throw e;
  } finally {
    h.close();
  }
}
