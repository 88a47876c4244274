// Times the six cases of issue 6 for every binding: median ns per call over repeats
// (BENCH_REPEATS, default 7). Run by run.sh.
//
// Every sample is taken in a fresh node process that loads one binding and runs one case (warm-up,
// then the measured loop): one case's garbage, heap growth or malloc state never bills another case
// or another binding (in one shared process create+close once cost 2.33x what it cost alone).
// Processes are interleaved (repeat by repeat, binding by binding) so the machine's noise spreads
// evenly over the bindings.
'use strict';
const { execFileSync } = require('node:child_process');
const { load, loopFor, available, caseNames } = require('./bindings.js');

const callsFor = (name) => (name.startsWith('create') || name.startsWith('bytes') ? 200000 : 2000000);

// Child: `bench.js <case> <binding>` prints one sample, ns per call.
if (process.argv.length === 4) {
  const [name, binding] = process.argv.slice(2);
  const fn = load(binding)[binding][name];
  const n = callsFor(name);
  const loop = loopFor();
  loop(fn, n / 10);  // warm up (JIT)
  const t0 = process.hrtime.bigint();
  loop(fn, n);
  console.log(Number(process.hrtime.bigint() - t0) / n);
  process.exit(0);
}

const REPEATS = Number(process.env.BENCH_REPEATS || 7);
const only = new RegExp(process.env.BENCH_ONLY || '.');
const names = caseNames.filter((n) => only.test(n));
const bindings = available();
const sample = (name, b) =>
  Number(execFileSync(process.execPath, ['--expose-gc', __filename, name, b], { encoding: 'utf8' }).trim());

const results = {};
for (const name of names) {
  const samples = Object.fromEntries(bindings.map((b) => [b, []]));
  for (let r = 0; r < REPEATS; r++)
    for (const b of bindings) samples[b].push(sample(name, b));  // interleaved
  results[name] = {};
  for (const b of bindings) {
    const s = samples[b].sort((x, y) => x - y);
    results[name][b] = s[Math.floor(s.length / 2)];
  }
}

const pad = (s, w) => String(s).padEnd(w);
console.log(`node ${process.version}; median of ${REPEATS} repeats (a fresh process each), ns per call (ratio to the fastest)`);
console.log(pad('case', 20) + bindings.map((b) => pad(b, 20)).join(''));
for (const name of names) {
  const best = Math.min(...bindings.map((b) => results[name][b]));
  console.log(pad(name, 20) + bindings.map((b) => {
    const v = results[name][b];
    return pad(`${v.toFixed(1)} (${(v / best).toFixed(2)}x)`, 20);
  }).join(''));
}
