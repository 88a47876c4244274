// tests/fixtures/errors/SPEC.md, from JavaScript.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const e = require(process.env.BINDERY_NODE_PKG);

test('R1/R2 out-param result; EOF is null', () => {
  const r = e.Reader.new(3);
  assert.equal(r.next(), 1);
  assert.equal(r.next(), 2);
  assert.equal(r.next(), 3);
  assert.equal(r.next(), null);
  r.close();
});

test('R3 soft codes are returned, OK returns undefined', () => {
  const r = e.Reader.new(3);
  assert.equal(r.poll(), 2);
  assert.equal(r.poll(), undefined);
  assert.equal(r.poll(), 2);
  r.close();
});

test('R4-R6 status errors carry code and message', () => {
  const r = e.Reader.new(3);
  assert.equal(r.check(0), undefined);
  assert.equal(r.check(1000), undefined);
  assert.throws(() => r.check(-5), (err) => {
    assert.ok(err instanceof e.ErrorsError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'ErrorsError');
    assert.equal(err.code, -1);
    assert.equal(err.message, 'negative value: -5');
    return true;
  });
  assert.throws(() => r.check(1001), { code: -2, message: 'value out of range: 1001' });
  r.close();
});

test('R7-R9 counts, negative errors, message getter', () => {
  const r = e.Reader.new(5);
  assert.equal(r.message(), '');
  assert.equal(r.skip(2), 2);
  assert.equal(r.next(), 3);
  assert.equal(r.skip(10), 2);
  assert.equal(r.skip(1), 0);
  assert.throws(() => r.skip(-1), { name: 'ErrorsError', code: -1, message: 'cannot skip a negative count' });
  assert.equal(r.message(), 'cannot skip a negative count');
  r.close();
});

test('R10 a verdict is a boolean', () => {
  assert.equal(e.verify('open sesame'), true);
  assert.equal(e.verify('open'), false);
});

test('R11-R13 global status with a process-wide message', () => {
  assert.equal(e.parseInt('-42'), -42);
  assert.equal(e.parseInt('2147483647'), 2147483647);
  assert.throws(() => e.parseInt('12x'), { name: 'ErrorsError', code: -1, message: "not a number: '12x'" });
  assert.throws(() => e.parseInt('2147483648'), { code: -2, message: "out of range: '2147483648'" });
  assert.throws(() => e.parseInt(''), { code: -1, message: "not a number: ''" });
});

test('R14-R16 NULL with errno; nothing leaks', () => {
  const base = e.liveReaders();
  assert.throws(() => e.Reader.new(-1), (err) => err instanceof e.ErrorsError && err.errno === 22);
  assert.throws(() => e.Reader.new(1001), (err) => err instanceof e.ErrorsError && err.errno === 34);
  assert.equal(e.liveReaders(), base);
});

test('E1/E2 host range error before C; closed reader', () => {
  const r = e.Reader.new(1);
  assert.throws(() => r.check(2 ** 31), RangeError);
  r.close();
  assert.throws(() => r.next(), { code: 'ERR_USE_AFTER_CLOSE' });
  assert.equal(e.liveReaders(), 0);
});
