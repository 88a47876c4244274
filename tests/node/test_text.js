// tests/fixtures/text/SPEC.md, from JavaScript.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const t = require(process.env.BINDERY_NODE_PKG);

const SAMPLE = 'Grüße, 世界 ✓';

test('T1 lengths are UTF-8 bytes', () => {
  assert.equal(t.length(''), 0);
  assert.equal(t.length('héllo'), 6);
  assert.equal(t.length(SAMPLE), 19);
  assert.equal(t.length('x'.repeat(100000)), 100000, 'long strings take the heap path');
});

test('T2/T3 exact bytes reach C', () => {
  assert.equal(t.inUtf8(SAMPLE), true);
  assert.equal(t.inUtf8('Grusse'), false);
  assert.equal(t.inEmpty(''), true);
  assert.equal(t.inEmpty(' '), false);
});

test('T4/T5 static strings', () => {
  assert.equal(t.staticGreeting(), 'hello, world');
  assert.equal(t.staticUtf8(), SAMPLE);
  assert.equal([...t.staticUtf8()].length, 11);
});

test('T6-T8 owned strings are copied then freed', () => {
  assert.equal(t.concat('foo', 'bar'), 'foobar');
  assert.equal(t.concat('', ''), '');
  assert.equal(t.concat(SAMPLE, '!'), SAMPLE + '!');
  assert.equal(t.repeat('ab', 3), 'ababab');
  assert.equal(t.repeat('x', 0), '');
  for (let i = 0; i < 1000; i++) t.concat('a', 'b');
  assert.equal(t.liveStrings(), 0);
});

test('T9-T11 (pointer, length) text carries NUL bytes', () => {
  assert.equal(t.countChar('a\0a\0a', 'a'), 3);
  assert.equal(t.countChar('a\0a\0a', '\0'), 2);
  assert.equal(t.countChar('', 'a'), 0);
  assert.equal(t.spanInUtf8(SAMPLE), true);
  assert.equal(t.spanInUtf8('Grüße'), false);
});

test('T12/T13 a buffer; borrowed text is copied at once', () => {
  const b = t.TextBuffer.new('ab');
  b.append('cé');
  assert.equal(b.get(), 'abcé');
  assert.equal(b.length(), 5);
  const s = b.get();
  b.append('x');
  assert.equal(s, 'abcé');
  assert.equal(b.get(), 'abcéx');
  b.close();
});

test('T14 close twice is a no-op; use after close throws', () => {
  const b = new t.TextBuffer('z');
  assert.equal(b.closed, false);
  b.close();
  b.close();
  assert.equal(b.closed, true);
  assert.throws(() => b.get(), { name: 'Error', code: 'ERR_USE_AFTER_CLOSE' });
  assert.throws(() => b.append('x'), /closed/);
});

test('T14 Symbol.dispose closes', () => {
  const b = new t.TextBuffer('z');
  b[Symbol.dispose]();
  assert.equal(b.closed, true);
});

test('T15 text_free is not exposed', () => {
  assert.equal(t.free, undefined);
  assert.equal(t.textFree, undefined);
});

test('E1-E3 wrong text arguments', () => {
  assert.throws(() => t.length(null), TypeError);
  assert.throws(() => t.length(undefined), TypeError);
  assert.throws(() => t.length('a\0b'), TypeError);
  assert.throws(() => t.length(42), TypeError);
  assert.throws(() => t.length(Buffer.from('abc')), TypeError);
  assert.throws(() => t.length(), TypeError);
});

// ---- UTF-16 text (string: utf16): JS strings in and out, every length in bytes ----------------

test('T17 UTF-16 in, NUL-terminated with two zero bytes', () => {
  assert.equal(t.utf16Units('héllo😀'), 7);
  assert.equal(t.utf16Units(''), 0);
  assert.equal(t.utf16Units('x'.repeat(1000)), 1000);  // beyond the stack buffer
  assert.throws(() => t.utf16Units('a\0b'), TypeError);
  assert.throws(() => t.utf16Units(42), TypeError);
});

test('T18 UTF-16 in with a hidden length in bytes', () => {
  assert.equal(t.utf16InSample('grüß 😀'), true);
  assert.equal(t.utf16InSample('gruss'), false);
});

test('T19 UTF-16 out: NUL-terminated, and sized by an out-parameter in bytes', () => {
  assert.equal(t.utf16Sample(), 'grüß 😀');
  assert.equal(t.utf16Sized(), '日本');
});

test('T20 a lone surrogate goes through as the UTF-16 unit it is', () => {
  assert.equal(t.utf16Units('\ud800'), 1);
});
