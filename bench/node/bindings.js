// The six cases of issue 6 for every binding of benchlib, shared by bench.js (time) and count.js
// (callgrind instructions). Each case is a function of the iteration number.
'use strict';
const path = require('node:path');

const work = process.env.BENCH_WORK;
const modules = process.env.BENCH_NODE_MODULES || path.join(__dirname, '..', '..', 'tools', 'node', 'node_modules');
const str16 = 'abcdefghijklmnop';

// An addon with a Counter class (generated, hand-written C, node-addon-api): the same six calls.
function classCases(m) {
  const c = new m.Counter();
  return {
    noop: () => m.noop(),
    doubleInput: (i) => m.doubleInput(i & 1023),
    'counter.add': () => c.add(1),
    'string(16)': () => m.strlen(str16),
    'bytes 1KiB (view)': () => c.bytes(),
    'create+close': () => new m.Counter().close(),
  };
}

function koffiCases(koffi) {
  const lib = koffi.load(path.join(work, 'libbenchlib.so'));
  koffi.opaque('bench_counter');
  const noop = lib.func('void bench_noop(void)');
  const doubleInput = lib.func('int bench_double_input(int)');
  const strlen = lib.func('size_t bench_strlen(const char *)');
  const counterNew = lib.func('bench_counter *bench_counter_new(void)');
  const counterFree = lib.func('void bench_counter_free(bench_counter *)');
  const counterAdd = lib.func('int bench_counter_add(bench_counter *, int)');
  const counterBytes = lib.func('const uint8_t *bench_counter_bytes(const bench_counter *, _Out_ size_t *)');
  const c = counterNew();
  const len = [0];
  return {
    noop: () => noop(),
    doubleInput: (i) => doubleInput(i & 1023),
    'counter.add': () => counterAdd(c, 1),
    'string(16)': () => strlen(str16),
    // koffi.view: zero-copy memory (an external ArrayBuffer), nothing keeps the counter alive.
    'bytes 1KiB (view)': () => koffi.view(counterBytes(c, len), len[0]),
    'create+close': () => counterFree(counterNew()),
  };
}

// The bindings by name; `only` loads just that one (a process per measurement loads nothing else).
const loaders = {
  generated: () => classCases(require(path.join(work, 'generated'))),
  'hand-written C': () => classCases(require(path.join(work, 'floor.node'))),
  'node-addon-api': () => classCases(require(path.join(work, 'addon_api.node'))),
  koffi: () => koffiCases(require(path.join(modules, 'koffi'))),
};
const caseNames = ['noop', 'doubleInput', 'counter.add', 'string(16)', 'bytes 1KiB (view)', 'create+close'];

// The names of the bindings that load here (a missing peer is reported and skipped).
function available() {
  return Object.keys(loaders).filter((b) => {
    try {
      loaders[b]();
      return true;
    } catch (e) {
      console.error(`${b} not available (${e.message}): its column is skipped`);
      return false;
    }
  });
}

function load(only) {
  if (only) return { [only]: loaders[only]() };
  const cases = {};
  for (const b of Object.keys(loaders)) {
    try {
      cases[b] = loaders[b]();
    } catch (e) {
      console.error(`${b} not available (${e.message}): its column is skipped`);
    }
  }
  return cases;
}

// A loop of its own per case (a fresh function has fresh type feedback), so that one case's call
// site never sees another's function: each measured call stays monomorphic, as in real code.
function loopFor() {
  return new Function('fn', 'n', 'for (let i = 0; i < n; i++) fn(i);');
}

module.exports = { load, loopFor, available, caseNames };
