// tests/fixtures/variants/SPEC.md, from JavaScript: one C function bound as several typed
// functions through the lowering's static inline shims (a void * made concrete, variadic calls).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const v = require(process.env.BINDERY_NODE_PKG);

test('V1-V4 typed uses of dial_control and dial_config', () => {
  const d = v.Dial.new();
  assert.equal(d.swapScale(5), 1, 'V1: the old scale back through the in/out int *');
  assert.equal(d.scale(), 5);
  d.rename('knob');
  assert.equal(d.name(), 'knob', 'V2: the void * was the text');
  assert.equal(d.setLimit(10), 0, 'V3: the previous limit, an out-parameter after a variadic int');
  assert.equal(d.limit(), 10);
  assert.equal(d.setLimit(3), 10);
  d.reset();
  assert.equal(d.scale(), 1, 'V4');
  assert.equal(d.name(), '');
  assert.equal(d.limit(), 0);
  d.close();
});

test('V5/V6 a variadic function with a fixed count; no binding named after the shimmed C functions', () => {
  assert.equal(v.sum3(1, 2, 3), 6);
  assert.equal(v.sum3(-1, 0, 2147483647), 2147483646);
  for (const name of ['control', 'config', 'sum', 'dialControl', 'dialConfig']) {
    assert.equal(v[name], undefined, name);
    assert.equal(v.Dial.prototype[name], undefined, name);
  }
});

test('E1-E3 invalid argument, wrong types and arity, out of range', () => {
  const d = v.Dial.new();
  d.setLimit(4);
  assert.throws(() => d.setLimit(-1), (e) => e instanceof RangeError && e.kind === 'invalid_argument' && e instanceof v.VariantsError);
  assert.equal(d.limit(), 4, 'E1: unchanged');
  assert.throws(() => d.rename(null), TypeError);
  assert.throws(() => d.swapScale('x'), TypeError);
  assert.throws(() => v.sum3(1, 2), { code: 'ERR_INVALID_ARG_COUNT' });
  assert.throws(() => d.swapScale(2 ** 31), RangeError);
  assert.equal(d.scale(), 1);
  d.close();
});
