// double_input from JavaScript: the same answers as the C library's own test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { doubleInput } = require(process.env.BINDERY_NODE_PKG);

test('doubles', () => {
  assert.equal(doubleInput(21), 42);
  assert.equal(doubleInput(-4), -8);
  assert.equal(doubleInput(0), 0);
});

test('wraps like the hardware outside [INT_MIN/2, INT_MAX/2]', () => {
  assert.equal(doubleInput(2147483647), -2);
  assert.equal(doubleInput(-2147483648), 0);
});

test('refuses what is not an int', () => {
  assert.throws(() => doubleInput(2147483648), RangeError);
  assert.throws(() => doubleInput(1.5), TypeError);
  assert.throws(() => doubleInput('2'), TypeError);
  assert.throws(() => doubleInput(), TypeError);
});
