// tests/fixtures/records/SPEC.md, from JavaScript: records are plain objects (every field required).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const r = require(process.env.BINDERY_NODE_PKG);

const P = (x, y) => ({ x, y });

test('C1-C3 records in and out', () => {
  assert.deepEqual(r.pointMake(3, 4), P(3, 4));
  assert.deepEqual(r.pointAdd(P(3, 4), P(-2, -6)), P(1, -2));
  assert.equal(r.pointIn(P(1, -2)), true);
  assert.equal(r.pointIn(P(-2, 1)), false);
});

test('C4-C8 nested records, out and const-pointer records', () => {
  const rect = r.rectMake(10, 20, 4, 6);
  assert.deepEqual(rect, { origin: P(10, 20), size: P(4, 6) });
  assert.equal(r.rectArea(rect), 24n);
  assert.equal(r.rectArea(r.rectMake(0, 0, 100000, 100000)), 10000000000n);
  assert.equal(r.rectContains(rect, P(10, 20)), true);
  assert.equal(r.rectContains(rect, P(14, 20)), false);
  assert.equal(r.rectContains(rect, P(13, 25)), true);
  assert.deepEqual(r.rectCenter(rect), P(12, 23));
  assert.equal(r.rectPerimeter(rect), 20n);
});

test('C9 in/out record: the argument is not mutated, the new value is returned', () => {
  const p = P(3, 4);
  assert.deepEqual(r.pointScale(p, -2), P(-6, -8));
  assert.deepEqual(p, P(3, 4));
});

test('C10/C11 every field kind exact', () => {
  const m = r.mixedMake();
  assert.deepEqual(m, { flag: true, small: 200, ratio: 0.25, big: -9223372036854775808n, letter: 'q', weight: 1.5 });
  assert.equal(r.mixedIn(m), true);
  assert.equal(r.mixedIn({ ...m, small: 201 }), false);
});

test('E1-E4 invalid records', () => {
  assert.throws(() => r.pointIn(P(2 ** 31, 0)), RangeError);
  assert.throws(() => r.mixedIn({ ...r.mixedMake(), small: 256 }), RangeError);
  assert.throws(() => r.pointIn(null), TypeError);
  assert.throws(() => r.pointIn({ x: 1 }), TypeError);
  assert.throws(() => r.pointIn(5), TypeError);
});
