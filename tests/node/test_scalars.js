// tests/fixtures/scalars/SPEC.md, from JavaScript. Every *_in_* check happens in C.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const s = require(process.env.BINDERY_NODE_PKG);

test('S1 noop returns undefined and reaches C', () => {
  const before = s.noopCalls();
  assert.equal(s.noop(), undefined);
  assert.equal(s.noop(), undefined);
  assert.equal(s.noopCalls() - before, 2n);
});

test('S2-S4 add, wrapping, default argument', () => {
  assert.equal(s.add(2, 3), 5);
  assert.equal(s.add(-7, 7), 0);
  assert.equal(s.add(2147483647, 1), -2147483648);
  assert.equal(s.add(5), 5);
  assert.equal(s.add(5, undefined), 5);
});

const signed = { 8: [-128n, 127n], 16: [-32768n, 32767n], 32: [-2147483648n, 2147483647n],
  64: [-9223372036854775808n, 9223372036854775807n] };

test('S5/S7 boundary values reach C exactly', () => {
  for (const n of [8, 16, 32, 64]) {
    const [min, max] = signed[n];
    const num = (v) => (n === 64 ? v : Number(v));
    assert.equal(s[`int${n}InMax`](num(max)), true, `int${n} max`);
    assert.equal(s[`int${n}InMin`](num(min)), true, `int${n} min`);
    const umax = (1n << BigInt(n)) - 1n;
    assert.equal(s[`uint${n}InMax`](n === 64 ? umax : Number(umax)), true, `uint${n} max`);
    assert.equal(s[`uint${n}InMin`](0), true, `uint${n} min`);
  }
  // Numbers work for 64-bit where they are exact; BigInts work everywhere.
  assert.equal(s.int64InMin(-9223372036854775808n), true);
  assert.equal(s.uint64InMin(0n), true);
});

test('S6/S8 boundary values come back exactly (64-bit as BigInt)', () => {
  assert.equal(s.int8OutMax(), 127);
  assert.equal(s.int8OutMin(), -128);
  assert.equal(s.int16OutMax(), 32767);
  assert.equal(s.int16OutMin(), -32768);
  assert.equal(s.int32OutMax(), 2147483647);
  assert.equal(s.int32OutMin(), -2147483648);
  assert.equal(s.int64OutMax(), 9223372036854775807n);
  assert.equal(s.int64OutMin(), -9223372036854775808n);
  assert.equal(s.uint8OutMax(), 255);
  assert.equal(s.uint16OutMax(), 65535);
  assert.equal(s.uint32OutMax(), 4294967295);
  assert.equal(s.uint64OutMax(), 18446744073709551615n);
  assert.equal(s.uint8OutMin(), 0);
  assert.equal(s.uint64OutMin(), 0n);
});

test('S9 the C checks are real', () => {
  assert.equal(s.int8InMax(126), false);
  assert.equal(s.uint8InMin(1), false);
});

test('S10 64-bit round trips', () => {
  assert.equal(s.int64Identity(-1234567890123), -1234567890123n);
  assert.equal(s.int64Identity(-1234567890123n), -1234567890123n);
  assert.equal(s.uint64Identity(18446744073709551614n), 18446744073709551614n);
});

test('S11 infinities and NaN', () => {
  assert.equal(s.doubleIdentity(Infinity), Infinity);
  assert.ok(Number.isNaN(s.doubleIdentity(NaN)));
});

test('S12/S13 bool', () => {
  assert.equal(s.boolInTrue(true), true);
  assert.equal(s.boolInFalse(false), true);
  assert.equal(s.boolOutTrue(), true);
  assert.equal(s.boolOutFalse(), false);
  assert.equal(s.boolNot(true), false);
  assert.equal(s.boolNot(false), true);
});

test('S14-S18 float and double', () => {
  assert.equal(s.floatInMax(3.4028234663852886e38), true);
  assert.equal(s.floatOutMax(), 3.4028234663852886e38);
  assert.equal(s.floatInTenth(0.1), true);
  assert.equal(s.floatOutTenth(), 0.10000000149011612);
  assert.equal(s.doubleInMax(1.7976931348623157e308), true);
  assert.equal(s.doubleOutMax(), 1.7976931348623157e308);
  assert.equal(s.doubleInTenth(0.1), true);
  assert.equal(s.doubleOutTenth(), 0.1);
});

test('S19 char', () => {
  assert.equal(s.charIn('A'), true);
  assert.equal(s.charIn('a'), false);
  assert.equal(s.charOut(), 'Z');
});

test('E1-E3 out of range is a RangeError, never a truncated call', () => {
  assert.throws(() => s.int8InMax(128), RangeError);
  assert.throws(() => s.int8InMin(-129), RangeError);
  assert.throws(() => s.uint8InMin(-1), RangeError);
  assert.throws(() => s.uint32InMax(4294967296), RangeError);
  assert.throws(() => s.int64InMax(2n ** 63n), RangeError);
  assert.throws(() => s.uint64InMax(2n ** 64n), RangeError);
  assert.throws(() => s.uint64InMax(-1n), RangeError);
  assert.throws(() => s.int64InMax(2 ** 53), RangeError, 'a Number beyond 2^53 is not exact');
  assert.throws(() => s.add(Infinity, 1), RangeError);
  assert.throws(() => s.floatInMax(1e39), RangeError);
});

test('E4 a fraction is a TypeError', () => {
  assert.throws(() => s.add(1.5, 2), TypeError);
  assert.throws(() => s.add(NaN, 2), TypeError);
  assert.throws(() => s.add('1', 2), TypeError);
});

test('E5 bool requires a boolean', () => {
  assert.throws(() => s.boolInTrue(1), TypeError);
  assert.throws(() => s.boolInTrue(null), TypeError);
});

test('E6/E7 char takes exactly one ASCII character', () => {
  assert.throws(() => s.charIn('AB'), TypeError);
  assert.throws(() => s.charIn(''), TypeError);
  assert.throws(() => s.charIn('é'), TypeError);
  assert.throws(() => s.charIn(65), TypeError);
});

test('arity is checked', () => {
  assert.throws(() => s.int8InMax(), { name: 'TypeError', code: 'ERR_INVALID_ARG_COUNT' });
  assert.throws(() => s.int8InMax(1, 2), { name: 'TypeError', code: 'ERR_INVALID_ARG_COUNT' });
  assert.throws(() => s.add(1, 2, 3), TypeError);
});
