// The six cases of issue 6, for each binding, in one process: median ns per call over repeats.
'use strict';
const path = require('node:path');
const work = process.env.BENCH_WORK;
const generated = require(path.join(work, 'generated'));
const floor = require(path.join(work, 'floor.node'));
let koffi = null;
try {
  koffi = require(path.join(work, 'node_modules', 'koffi'));
} catch {
  console.error('koffi not installed: its column is skipped');
}

function bindKoffi() {
  const lib = koffi.load(path.join(work, 'libbenchlib.so'));
  const Counter = koffi.opaque('bench_counter');
  const noop = lib.func('void bench_noop(void)');
  const doubleInput = lib.func('int bench_double_input(int)');
  const strlen = lib.func('size_t bench_strlen(const char *)');
  const counterNew = lib.func('bench_counter *bench_counter_new(void)');
  const counterFree = lib.func('void bench_counter_free(bench_counter *)');
  const counterAdd = lib.func('int bench_counter_add(bench_counter *, int)');
  const counterBytes = lib.func('const uint8_t *bench_counter_bytes(const bench_counter *, _Out_ size_t *)');
  void Counter;
  const len = [0];
  return {
    noop, doubleInput, strlen,
    create: () => counterNew(),
    destroy: (c) => counterFree(c),
    add: (c, x) => counterAdd(c, x),
    // koffi.view gives zero-copy memory where available; decode copies otherwise.
    bytes: (c) => {
      const p = counterBytes(c, len);
      return koffi.view ? koffi.view(p, len[0]) : koffi.decode(p, 'uint8_t', len[0]);
    },
  };
}

const str16 = 'abcdefghijklmnop';
const cases = {
  generated: (() => {
    const c = new generated.Counter();
    return {
      noop: () => generated.noop(),
      doubleInput: (i) => generated.doubleInput(i & 1023),
      'counter.add': () => c.add(1),
      'string(16)': () => generated.strlen(str16),
      'bytes 1KiB (view)': () => c.bytes(),
      'create+close': () => new generated.Counter().close(),
    };
  })(),
  'hand-written': (() => {
    const c = new floor.Counter();
    return {
      noop: () => floor.noop(),
      doubleInput: (i) => floor.doubleInput(i & 1023),
      'counter.add': () => c.add(1),
      'string(16)': () => floor.strlen(str16),
      'bytes 1KiB (view)': () => c.bytes(),
      'create+close': () => new floor.Counter().close(),
    };
  })(),
};
if (koffi) {
  const k = bindKoffi();
  const c = k.create();
  cases.koffi = {
    noop: () => k.noop(),
    doubleInput: (i) => k.doubleInput(i & 1023),
    'counter.add': () => k.add(c, 1),
    'string(16)': () => k.strlen(str16),
    'bytes 1KiB (view)': () => k.bytes(c),
    'create+close': () => k.destroy(k.create()),
  };
}

function measure(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
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
console.log(pad('case', 20) + bindings.map((b) => pad(b, 22)).join(''));
for (const name of names) {
  const best = Math.min(...bindings.map((b) => results[name][b]));
  console.log(pad(name, 20) + bindings.map((b) => {
    const v = results[name][b];
    return pad(`${v.toFixed(1)} (${(v / best).toFixed(2)}x)`, 22);
  }).join(''));
}
