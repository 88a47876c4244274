// tests/fixtures/optional/SPEC.md, from JavaScript. Absent is null (undefined accepted on input).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const o = require(process.env.BINDERY_NODE_PKG);

test('O1/O2 optional text result', () => {
  assert.equal(o.numberName(1), 'one');
  assert.equal(o.numberName(3), 'three');
  assert.equal(o.numberName(0), null);
  assert.equal(o.numberName(4), null);
});

test('O3/O4 optional handle result', () => {
  const base = o.liveItems();
  const i = o.Item.newIfPositive(7);
  assert.ok(i instanceof o.Item);
  assert.equal(i.value(), 7n);
  assert.equal(o.liveItems(), base + 1);
  i.close();
  assert.equal(o.Item.newIfPositive(0), null);
  assert.equal(o.Item.newIfPositive(-5), null);
  assert.equal(o.liveItems(), base);
});

test('O5-O7 optional text in and out', () => {
  const i = o.Item.new(7);
  assert.equal(i.label(), null);
  i.setLabel('seven');
  const l = i.label();
  assert.equal(l, 'seven');
  i.setLabel(null);
  assert.equal(i.label(), null);
  i.setLabel(undefined);
  assert.equal(i.label(), null);
  i.close();
  assert.equal(l, 'seven');
});

test('O8/O9 absent vs empty; nullable handle', () => {
  assert.equal(o.lengthOrMinusOne(null), -1);
  assert.equal(o.lengthOrMinusOne(''), 0);
  assert.equal(o.lengthOrMinusOne('abc'), 3);
  const i = o.Item.new(7);
  assert.equal(o.valueOr(i, -1), 7n);
  assert.equal(o.valueOr(null, -1), -1n);
  i.close();
});

test('O10 default argument', () => {
  assert.equal(o.scale(21), 42);
  assert.equal(o.scale(21, 3), 63);
  assert.equal(o.scale(21, undefined), 42);
});

test('O11-O13 several results come back as an object; outs are zero-initialised', () => {
  assert.deepEqual(o.divide(17, 5), { result: true, quotient: 3, remainder: 2 });
  assert.equal(o.lastOutsRequested(), 3);
  assert.deepEqual(o.divide(-17, 5), { result: true, quotient: -3, remainder: -2 });
  assert.deepEqual(o.divide(1, 0), { result: false, quotient: 0, remainder: 0 });
  assert.deepEqual(o.divide(-2147483648, -1), { result: false, quotient: 0, remainder: 0 });
});

test('E1-E3 only nullable parameters accept absent', () => {
  assert.throws(() => o.Item.new(null), TypeError);
  assert.throws(() => o.scale(null), TypeError);
  const i = o.Item.new(1);
  i.close();
  assert.throws(() => i.value(), /closed/);
  assert.throws(() => o.valueOr('x', 1), TypeError);
});
