// tests/fixtures/enums/SPEC.md, from JavaScript: enums are frozen objects of numbers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const e = require(process.env.BINDERY_NODE_PKG);

test('N1 C values, frozen', () => {
  assert.equal(e.Color.RED, 0);
  assert.equal(e.Color.GREEN, 5);
  assert.equal(e.Color.BLUE, 6);
  assert.ok(Object.isFrozen(e.Color));
});

test('N2-N4 enums in and out', () => {
  assert.equal(e.colorNext(e.Color.RED), e.Color.GREEN);
  assert.equal(e.colorNext(e.Color.GREEN), e.Color.BLUE);
  assert.equal(e.colorNext(e.Color.BLUE), e.Color.RED);
  assert.equal(e.colorInBlue(e.Color.BLUE), true);
  assert.equal(e.colorInBlue(e.Color.GREEN), false);
  assert.equal(e.colorName(e.Color.GREEN), 'green');
});

test('N5 negative enum values', () => {
  assert.equal(e.signOf(-9), e.Sign.NEGATIVE);
  assert.equal(e.Sign.NEGATIVE, -1);
  assert.equal(e.signOf(0), e.Sign.ZERO);
  assert.equal(e.signOf(2n ** 63n - 1n), e.Sign.POSITIVE);
});

test('N6/N7 enums from macros', () => {
  assert.deepEqual([e.Mode.READ, e.Mode.WRITE, e.Mode.APPEND], [1, 2, 3]);
  assert.equal(e.modeInAppend(e.Mode.APPEND), true);
  assert.equal(e.modeWrites(e.Mode.WRITE), true);
  assert.equal(e.modeWrites(e.Mode.READ), false);
});

test('N8-N10 flags', () => {
  assert.equal(e.permsInReadExec(e.Perms.READ | e.Perms.EXEC), true);
  assert.equal(e.permsInReadExec(e.Perms.READ | e.Perms.WRITE | e.Perms.EXEC), false);
  assert.equal(e.permsDefault(), 3);
  assert.equal(e.permsWithoutWrite(e.Perms.READ | e.Perms.WRITE | e.Perms.EXEC), 5);
  assert.equal(e.permsWithoutWrite(0), 0);
});

test('N11 all values, in C value order', () => {
  assert.deepEqual(Object.keys(e.Color), ['RED', 'GREEN', 'BLUE']);
  assert.deepEqual(Object.keys(e.Perms), ['READ', 'WRITE', 'EXEC']);
});

test('E1-E4 invalid values never reach C', () => {
  assert.throws(() => e.colorNext(7), RangeError);
  assert.throws(() => e.colorNext(1), RangeError);
  assert.throws(() => e.modeInAppend(e.Color.BLUE), RangeError);
  assert.throws(() => e.permsInReadExec(8), RangeError);
  assert.throws(() => e.colorNext('red'), TypeError);
});
