// Times the six cases of issue 6 for every binding in one process, interleaved: median ns per call
// over repeats (BENCH_REPEATS, default 7). Run by run.sh.
'use strict';
const { load, loopFor } = require('./bindings.js');

const cases = load();
const loops = new Map();
function measure(fn, n) {
  if (!loops.has(fn)) loops.set(fn, loopFor());
  const loop = loops.get(fn);
  const t0 = process.hrtime.bigint();
  loop(fn, n);
  return Number(process.hrtime.bigint() - t0) / n;
}

const names = Object.keys(cases.generated);
const bindings = Object.keys(cases);
const REPEATS = Number(process.env.BENCH_REPEATS || 7);
const results = {};
for (const name of names) {
  results[name] = {};
  const n = name.startsWith('create') || name.startsWith('bytes') ? 200000 : 2000000;
  for (const b of bindings) measure(cases[b][name], n / 10);  // warm up (JIT)
  const samples = Object.fromEntries(bindings.map((b) => [b, []]));
  for (let r = 0; r < REPEATS; r++) {
    for (const b of bindings) samples[b].push(measure(cases[b][name], n));  // interleaved
    global.gc?.();
  }
  for (const b of bindings) {
    const s = samples[b].sort((x, y) => x - y);
    results[name][b] = s[Math.floor(s.length / 2)];
  }
}

const pad = (s, w) => String(s).padEnd(w);
console.log(`node ${process.version}; median of ${REPEATS} repeats, ns per call (ratio to the fastest)`);
console.log(pad('case', 20) + bindings.map((b) => pad(b, 20)).join(''));
for (const name of names) {
  const best = Math.min(...bindings.map((b) => results[name][b]));
  console.log(pad(name, 20) + bindings.map((b) => {
    const v = results[name][b];
    return pad(`${v.toFixed(1)} (${(v / best).toFixed(2)}x)`, 20);
  }).join(''));
}
