// Hostile input: every misuse is a JS exception, never a crash or a leak. Runs against the
// handles, scalars, bytes and callbacks packages (BINDERY_NODE_PKGS/<fixture>), with --expose-gc.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const pkg = (f) => path.join(process.env.BINDERY_NODE_PKGS, f);
const h = require(pkg('handles'));
const s = require(pkg('scalars'));
const b = require(pkg('bytes'));
const k = require(pkg('callbacks'));

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

const junk = [undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 64, 1n, 'x', Symbol('s'), {}, [], () => 0,
  new Proxy({}, {}), Object.create(null)];

test('wrong types and values for every scalar kind throw TypeError/RangeError', () => {
  const fns = [s.int8InMax, s.uint8InMax, s.int16InMax, s.int32InMax, s.uint32InMax, s.int64InMax, s.uint64InMax,
    s.floatInMax, s.doubleInMax, s.boolInTrue, s.charIn];
  for (const fn of fns) {
    for (const v of junk) {
      try {
        fn(v);
      } catch (e) {
        assert.ok(e instanceof TypeError || e instanceof RangeError, `${fn.name}(${String(v?.toString?.())}): ${e}`);
      }
    }
  }
});

test('wrong arity throws TypeError', () => {
  assert.throws(() => s.add(), TypeError);
  assert.throws(() => s.noop(1), TypeError);
  const c = h.Counter.new(0);
  assert.throws(() => c.add(), TypeError);
  assert.throws(() => c.add(1, 2), TypeError);
  assert.throws(() => c.get(1), TypeError);
  assert.throws(() => h.Counter.new(), TypeError);
  c.close();
});

test('null and undefined where a value is required', () => {
  const c = h.Counter.new(0);
  for (const v of [null, undefined]) {
    assert.throws(() => c.add(v), TypeError);
    assert.throws(() => c.sum(v), TypeError);
    assert.throws(() => h.Parent.new(v), TypeError);
    assert.throws(() => h.consume(v), TypeError);
  }
  c.close();
});

test('handles of the wrong class, fakes and prototypes are refused', () => {
  const c = h.Counter.new(0);
  const p = h.Parent.new('p');
  for (const v of [p, {}, Object.create(h.Counter.prototype), h.Counter.prototype, 1, 'c']) {
    assert.throws(() => c.sum(v), TypeError);
    assert.throws(() => h.consume(v), TypeError);
  }
  for (const self of [p, {}, null, undefined, Object.create(h.Counter.prototype)])
    assert.throws(() => h.Counter.prototype.get.call(self), TypeError);
  c.close();
  p.close();
  assert.equal(h.violations(), 0);
});

test('forged ids sent straight to the native addon never reach C', () => {
  const native = require(pkg('handles/build/handles.node'));
  const live = h.Counter.new(5);
  const ids = [0, 1, 2, 3, 1 << 24, (1 << 24) | 1, 2 ** 31 - 1, 2 ** 32 - 1, -1, 0.5, 1e300];
  for (const id of ids) {
    try {
      native.handles_counter_get(id);
    } catch (e) {
      assert.ok(e instanceof Error);
    }
    try {
      native.handles_parent_name(id);
    } catch (e) {
      assert.ok(e instanceof Error);
    }
  }
  for (const id of ['1', null, {}, 1n]) assert.throws(() => native.handles_counter_get(id), TypeError);
  assert.equal(live.get(), 5n);
  live.close();
  assert.equal(h.violations(), 0);
});

test('use after close, consume twice, close after consume', () => {
  const c = h.Counter.new(1);
  c.close();
  for (const f of [() => c.get(), () => c.add(1), () => c.clone(), () => h.consume(c), () => h.Counter.new(1).sum(c)])
    assert.throws(f, /closed/);
  const d = h.Counter.new(2);
  h.consume(d);
  assert.throws(() => h.consume(d), /closed/);
  d.close();
  d.close();
  assert.equal(h.violations(), 0);
});

test('a view kept across close() reads as empty', () => {
  const blob = b.Blob.new(Buffer.from('secret'));
  const v = blob.data();
  const copy = Buffer.from(v);
  blob.close();
  assert.equal(v.length, 0);
  assert.equal(v.byteLength, 0);
  assert.throws(() => Buffer.from(v.buffer), TypeError);  // V8 refuses detached buffers
  assert.equal(copy.toString(), 'secret');
});

test('100,000 create/destroy cycles keep memory flat', async () => {
  await collect();
  const base = h.liveObjects();
  const cycle = (n) => {
    for (let i = 0; i < n; i++) {
      const c = h.Counter.new(i);
      if (i % 2) c.close();
    }
  };
  cycle(20000);
  await collect();
  const before = process.memoryUsage().rss;
  cycle(100000);
  await collect();
  const grown = process.memoryUsage().rss - before;
  assert.equal(h.liveObjects(), base);
  // ASan's quarantine keeps freed memory resident: RSS is measured in the uninstrumented pass.
  if (!process.env.BINDERY_SANITIZED) assert.ok(grown < 32 * 1024 * 1024, `RSS grew by ${grown} bytes`);
  assert.equal(h.violations(), 0);
});

test('exceptions inside callbacks: any thrown value reaches the caller as is, C is never unwound', () => {
  for (const thrown of [new Error('e'), 42, 'text', null, undefined, Symbol.for('s'), { odd: true }]) {
    let calls = 0;
    try {
      k.visitRange(0, 100, () => {
        calls++;
        throw thrown;
      });
      assert.fail('no exception');
    } catch (e) {
      assert.equal(e, thrown);
    }
    assert.equal(calls, 1);
  }
  // Results of the wrong type or range are the callback's error, raised after C returns.
  for (const bad of ['x', {}, 2n ** 70n, 2 ** 70, NaN, null, undefined, Symbol('r')])
    assert.throws(() => k.sumMapped(3, () => bad), (e) => e instanceof TypeError || e instanceof RangeError, String(bad?.toString?.()));
  // A callback that calls back into the library (re-entrantly) and one that throws on its 2nd piece.
  assert.equal(k.visitRange(0, 3, (v) => k.sumMapped(2, (w) => w + v) > 100n), 3);
  assert.throws(() => k.split('a,b,c', (piece) => { if (piece === 'b') throw new Error('stop'); }), /stop/);
  // Everything still works afterwards.
  assert.equal(k.sumMapped(4, (v) => v), 6n);
});

test('callback arguments of the wrong kind are refused before C runs', () => {
  for (const v of junk.filter((x) => typeof x !== 'function')) {
    assert.throws(() => k.visitRange(0, 1, v), TypeError);
    assert.throws(() => k.split('a,b', v), TypeError);
  }
  const e = k.Emitter.new();
  e.close();
  assert.throws(() => e.subscribe(() => {}), { code: 'ERR_USE_AFTER_CLOSE' });
});
