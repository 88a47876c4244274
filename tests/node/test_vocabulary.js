// tests/fixtures/vocabulary/SPEC.md, from JavaScript: opaque_borrowed, names, fixed, deprecated,
// blocking, a written expression on a text buffer, also_ok, code, constants.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const v = require(process.env.BINDERY_NODE_PKG);

async function collect() {
  for (let i = 0; i < 4; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

test('V1-V3 a library-owned Settings: two objects over one C object; closing or collecting destroys nothing', async () => {
  const s = v.Settings.get();
  assert.equal(s.level(), 1);
  s.setLevel(3);
  assert.equal(v.Settings.get().level(), 3);
  s.setLevel(1);
  s.close();
  (() => { v.Settings.get(); })();
  await collect();
  assert.equal(v.Settings.get().level(), 1, 'V3: still there');
});

test('V4-V6 names, hidden fixed parameters, a deprecated function', () => {
  assert.equal(v.mul(6, 7), 42);
  assert.equal(v.mul(-3, 5), -15);
  assert.equal(v.checked(5), 5);
  assert.throws(() => v.checked(5, null, 2), { code: 'ERR_INVALID_ARG_COUNT' }, 'E3');
  assert.equal(v.oldAdd(2, 3), 5);
  const dts = fs.readFileSync(path.join(process.env.BINDERY_NODE_PKG, 'index.d.ts'), 'utf8');
  assert.match(dts, /@deprecated use mul or plain addition[^]*?oldAdd\(a: number, b: number\)/);
  assert.match(dts, /mul\(a: number, b: number\)/);
});

test('V7 a blocking function, and its Async on the pool while a timer runs', async () => {
  assert.equal(v.sleepMs(50), 50);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  assert.equal(await v.sleepMsAsync(200), 200);
  clearInterval(timer);
  assert.ok(ticks >= 3, `the JS thread kept running (${ticks} ticks)`);
});

test('V8 a text output buffer: its length is strlen(out) after the call', () => {
  assert.equal(v.format(-1234, 8), '-1234');
  assert.equal(v.format(123456789, 4), '123', 'truncated by C');
  assert.equal(v.format(7, 0), '', 'capacity 0: C writes nothing');
  assert.throws(() => v.format(7, -1), RangeError);
});

test('V9-V11, E1/E2 also_ok status, the code expression, constants', () => {
  assert.equal(v.transfer(0), undefined);
  assert.equal(v.transfer(100), undefined);
  assert.equal(v.transfer(101), v.VOCAB_PARTIAL);
  assert.equal(v.transfer(1000), 3);
  assert.equal(v.VOCAB_LIMIT, 1000);
  assert.equal(v.VOCAB_VERSION_MAJOR, 2);
  assert.equal(v.VOCAB_PARTIAL, 3);
  assert.throws(() => v.transfer(1001), (e) => e instanceof v.VocabularyError && e.code === 1001 && e.message === 'transfer refused');
  assert.throws(() => v.transfer(-5), (e) => e instanceof v.VocabularyError && e.code === -5);
});

test('E4 Settings cannot be constructed', () => {
  assert.throws(() => new v.Settings(), TypeError);
});
