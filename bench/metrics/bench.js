'use strict';
// Node: the native `metrics` package against the plain-JavaScript histogram it replaces.
//
//   node bench.js native|pure one|batch [N]
//
// Records N values (default 10 million) one call at a time (`one`) or in batches of 10,000
// (`batch`, recordMany with a Float64Array), then asks for p50, p99 and p99.9. The values cycle
// through a fixed pool of 100,000 latencies (the same pool as bench.py and bench.rb). Prints one
// JSON line: seconds recording, seconds for the percentiles, peak RSS before recording and at the
// end (process.resourceUsage().maxRSS, i.e. ru_maxrss). One process per case, so each peak is its
// own. A benchmark, run by run.sh: never a test.

const POOL = 100000;
const BATCH = 10000;
const MASK = (1n << 64n) - 1n;

function pool() {
  let state = 42n;
  const out = new Float64Array(POOL);
  const next = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & MASK;
    return Number(state >> 11n);
  };
  for (let i = 0; i < POOL; i++) {
    const u1 = (next() + 1) / 2 ** 53;
    const u2 = next() / 2 ** 53;
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    out[i] = Math.exp(Math.log(0.020) + 0.8 * z);
  }
  return out;
}

const [impl, mode, nArg] = process.argv.slice(2);
const n = Number(nArg ?? 10000000);
// The native package from NODE_PATH (run.sh installs it there); the pure one from the example.
const { Histogram } = impl === 'native'
  ? require('metrics')
  : require(require('path').join(__dirname, '../../examples/metrics/node/pure_metrics.js'));
const values = pool();
const batches = [];
for (let i = 0; i < POOL; i += BATCH) batches.push(values.subarray(i, i + BATCH));
const h = new Histogram(0.01);
const rssBefore = process.resourceUsage().maxRSS;
const start = process.hrtime.bigint();
if (mode === 'one') {
  for (let r = 0; r < n / POOL; r++) for (let i = 0; i < POOL; i++) h.record(values[i]);
} else {
  for (let r = 0; r < n / POOL; r++) for (const b of batches) h.recordMany(b);
}
const recorded = process.hrtime.bigint();
const ps = [50, 99, 99.9].map((q) => h.percentile(q));
const done = process.hrtime.bigint();
if (Number(h.count()) !== Math.floor(n / POOL) * POOL) throw new Error('count');
console.log(JSON.stringify({
  lang: 'node', impl, mode, n: Number(h.count()),
  record_s: Number(recorded - start) / 1e9, percentiles_s: Number(done - recorded) / 1e9,
  rss_before_kb: rssBefore, rss_peak_kb: process.resourceUsage().maxRSS,
  p50: ps[0], p99: ps[1], p999: ps[2],
}));
