// tests/fixtures/outparams/SPEC.md, from JavaScript: one result is returned as is, several as an
// object keyed by parameter name (the C return value is `result`).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const p = require(process.env.BINDERY_NODE_PKG);

test('P1/P2 two outs', () => {
  assert.deepEqual(p.divmod(17, 5), { quotient: 3, remainder: 2 });
  assert.deepEqual(p.divmod(-17, 5), { quotient: -3, remainder: -2 });
  assert.deepEqual(p.split(3.75), { whole: 3n, fraction: 0.75 });
  assert.deepEqual(p.split(-2.5), { whole: -2n, fraction: -0.5 });
});

test('P3 every kind of out, typed as its C type', () => {
  const r = p.allKinds();
  assert.deepEqual(Object.values(r), [true, -8, 65535, 9223372036854775807n, 0.5, -2.25, 'k']);
});

test('P4/P5 return value first', () => {
  assert.deepEqual(p.sumAndProduct(6, 7), { result: 13n, product: 42n });
  assert.deepEqual(p.sumAndProduct(2147483647, 2147483647), { result: 4294967294n, product: 4611686014132420609n });
});

test('P6-P8 in/out parameters', () => {
  assert.equal(p.increment(41), 42);
  assert.equal(p.increment(2147483647), -2147483648);
  assert.deepEqual(p.swap(1, 2), { a: 2, b: 1 });
  assert.deepEqual(p.fetchAdd(10, 5), { result: 10n, value: 15n });
});

test('P9-P11 status with an out; bool with an out', () => {
  assert.equal(p.parseU16('65535'), 65535);
  assert.equal(p.parseU16('0'), 0);
  assert.deepEqual(p.tryHalf(10), { result: true, half: 5 });
  assert.deepEqual(p.tryHalf(-4), { result: true, half: -2 });
  assert.deepEqual(p.tryHalf(7), { result: false, half: 0 });
});

test('E1 preconditions fail before C', () => {
  assert.throws(() => p.divmod(1, 0), RangeError);
  assert.throws(() => p.divmod(-2147483648, -1), /precondition/);
});

test('E2 library errors', () => {
  for (const s of ['65536', '', '-1'])
    assert.throws(() => p.parseU16(s), { name: 'OutparamsError', code: 1, message: 'not a decimal number in 0..65535' });
});

test('E3/E4 in/out range and arity', () => {
  assert.throws(() => p.increment(2 ** 31), RangeError);
  assert.throws(() => p.swap(1), TypeError);
});

test('P12 text whose length comes from an out-parameter keeps its NULs', () => {
  assert.equal(p.repeat('ab', 3), 'ab\0ab\0ab\0');
  assert.equal(p.repeat('ab', 3).length, 9);
  assert.equal(p.repeat('', 2), '\0\0');
  assert.equal(p.repeat('x', 0), '');
});

test('P13 an owned array with an out count is a Float64Array (handed over, freed by its finalizer)', () => {
  const sq = p.squares(4);
  assert.ok(sq instanceof Float64Array);
  assert.deepEqual([...sq], [0, 1, 4, 9]);
  assert.equal(p.squares(0).length, 0);
  // Many owned arrays dropped: each is released by its ArrayBuffer's finalizer (ASan sees no leak).
  for (let i = 0; i < 2000; i++) p.squares(100);
  global.gc?.();
});

test('E5 a failing call with an owned array out is the library error', () => {
  assert.throws(() => p.squares(1001), { name: 'OutparamsError', code: 1 });
});
