// tests/fixtures/callbacks/SPEC.md, from JavaScript (run with --expose-gc).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const k = require(process.env.BINDERY_NODE_PKG);

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

test('K1-K3 call scope: a visitor that can stop early', () => {
  let seen = [];
  assert.equal(k.visitRange(3, 7, (v) => { seen.push(v); return 0; }), 4);
  assert.deepEqual(seen, [3, 4, 5, 6]);
  seen = [];
  assert.equal(k.visitRange(3, 100, (v) => { seen.push(v); return v === 5; }), 3);
  assert.deepEqual(seen, [3, 4, 5]);
  assert.equal(k.visitRange(5, 5, () => assert.fail('never called')), 0);
});

test('K4/K5 results reach C; closures carry state', () => {
  assert.equal(k.sumMapped(4, (v) => v * v), 14n);
  const offset = 10;
  assert.equal(k.sumMapped(3, (v) => v + offset), 33n);
});

test('K6 call-scope callables are not kept', async () => {
  let ref;
  (() => {
    const f = () => 0;
    ref = new WeakRef(f);
    k.visitRange(0, 3, f);
  })();
  await collect();
  assert.equal(ref.deref(), undefined);
});

test('K7-K11 notified scope: kept while subscribed, released by the destroy-notify', async () => {
  const e = k.Emitter.new();
  assert.equal(e.emit(1), 0);
  const got = [];
  let gRef;
  (() => {
    const g = (v) => got.push(['g', v]);
    gRef = new WeakRef(g);
    e.subscribe(g);
  })();
  assert.equal(e.emit(7), 1);
  assert.equal(k.liveSubscriptions(), 1);
  await collect();
  assert.equal(e.emit(8), 1, 'g is kept alive by the subscription');
  assert.deepEqual(got, [['g', 7], ['g', 8]]);
  e.subscribe((v) => got.push(['h', v]));
  await collect();
  assert.equal(gRef.deref(), undefined, 'g released when replaced');
  assert.equal(e.emit(9), 1);
  assert.deepEqual(got.at(-1), ['h', 9]);
  e.unsubscribe();
  assert.equal(e.emit(10), 0);
  assert.equal(k.liveSubscriptions(), 0);
  e.subscribe(() => 0);
  e.close();
  assert.equal(k.liveSubscriptions(), 0);
});

test('K12-K14 forever scope: a process-wide logger', () => {
  assert.equal(k.log('x'), 0);
  const got = [];
  k.setLogger((m) => got.push(m));
  assert.equal(k.log('hello'), 1);
  assert.equal(k.log('Grüße, 世界 ✓'), 1);
  assert.deepEqual(got, ['hello', 'Grüße, 世界 ✓']);
  k.setLogger(null);
  assert.equal(k.log('gone'), 0);
  assert.equal(got.length, 2);
});

test('E1 an exception in a callback reaches the caller; no further calls', () => {
  const boom = new Error('boom');
  let calls = 0;
  assert.throws(() => k.visitRange(0, 10, () => { if (++calls === 3) throw boom; return 0; }), (e) => e === boom);
  assert.equal(calls, 3);
  assert.throws(() => k.sumMapped(3, () => 'x'), TypeError);
});

test('E2 an exception in a notified callback propagates from emit', () => {
  const e = k.Emitter.new();
  e.subscribe(() => { throw new RangeError('bad event'); });
  assert.throws(() => e.emit(1), RangeError);
  e.close();
  assert.throws(() => k.visitRange(0, 1, 42), TypeError);
});

test('K15 a nullable callback argument arrives as null', () => {
  const seen = [];
  assert.equal(k.eachName((name, position) => { seen.push([name, position]); }), 3);
  assert.deepEqual(seen, [['first', 0], [null, 1], ['third', 2]]);
});

test('a callback cannot close the object whose call is running it (ERR_BUSY); afterwards it can', () => {
  const e = k.Emitter.new();
  const errors = [];
  e.subscribe(() => {
    try {
      e.close();
    } catch (x) {
      errors.push(x.code);
    }
  });
  e.emit(1);
  assert.deepEqual(errors, ['ERR_BUSY']);
  assert.equal(e.closed, false);
  e.emit(2);                                  // still alive and subscribed
  assert.equal(errors.length, 2);
  e.close();
  assert.equal(e.closed, true);
});

test('K16 split: text and bytes arguments exactly as long as their hidden lengths, copied', () => {
  const seen = [];
  assert.equal(k.split('ab,,cde', (piece, raw) => { seen.push([piece, raw]); }), 3);
  assert.deepEqual(seen.map(([p]) => p), ['ab', '', 'cde']);
  for (const [piece, raw] of seen) {
    assert.ok(Buffer.isBuffer(raw));
    assert.equal(raw.toString('utf8'), piece);  // still intact after split returned: a copy
  }
});

test('K17 split: non-ASCII pieces arrive as JS strings, their UTF-8 bytes as raw data', () => {
  const seen = [];
  assert.equal(k.split('Grüße,世界', (piece, raw) => { seen.push([piece, [...raw]]); }), 2);
  assert.deepEqual(seen, [['Grüße', [...Buffer.from('Grüße')]], ['世界', [...Buffer.from('世界')]]]);
});

test('K18 split16: UTF-16 pieces with a byte length and the NUL-terminated whole', () => {
  const seen = [];
  assert.equal(k.split16('a,β,😀', (piece, whole) => { seen.push([piece, whole]); }), 3);
  assert.deepEqual(seen, [['a', 'a,β,😀'], ['β', 'a,β,😀'], ['😀', 'a,β,😀']]);
});

test('K19 windows: a slice of scalars arrives as an Int32Array copy, its length hidden', () => {
  const seen = [];
  assert.equal(k.windows([1, 2, 3, 4], 3, (w) => { seen.push(w); }), 2);
  assert.equal(seen.length, 2);
  for (const w of seen) assert.ok(w instanceof Int32Array, 'a typed array of the element type');
  // Copies: each window has memory of its own, intact after windows() returned (C's window is
  // a pointer into its input, valid during the callback only).
  assert.deepEqual(Array.from(seen[0]), [1, 2, 3]);
  assert.deepEqual(Array.from(seen[1]), [2, 3, 4]);
  assert.notEqual(seen[0].buffer, seen[1].buffer);
  // Writing into a window changes the copy only, never what C reads next.
  const again = [];
  assert.equal(k.windows(new Int32Array([7, 8, 9]), 2, (w) => { again.push(Array.from(w)); w[1] = -1; }), 2);
  assert.deepEqual(again, [[7, 8], [8, 9]]);
  // Width 0: one call with (NULL, 0): an empty array.
  const empty = [];
  assert.equal(k.windows([5], 0, (w) => { empty.push(w); }), 1);
  assert.equal(empty.length, 1);
  assert.ok(empty[0] instanceof Int32Array);
  assert.equal(empty[0].length, 0);
  // Wider than the input: no window, the function is not called.
  assert.equal(k.windows([5], 2, () => assert.fail('never called')), 0);
  // The callback gets the window only (the width argument is hidden).
  k.windows([1, 2], 1, (...args) => assert.equal(args.length, 1));
});

test('K16 an exception in a buffer callback stops the split and reaches the caller', () => {
  let calls = 0;
  assert.throws(() => k.split('a,b,c', () => { if (++calls === 2) throw new SyntaxError('stop'); }), SyntaxError);
  assert.equal(calls, 2);
});
