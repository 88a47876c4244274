// tests/fixtures/host_values/SPEC.md, from JavaScript (run with --expose-gc): JS values carried
// through the library as `void *` boxes, released through the binding's release function, tagged
// with "bindery:node:host_values" so a pointer stored under another tag is never unboxed.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const hv = require(process.env.BINDERY_NODE_PKG);

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

test('H1-H8 put/get, set/lookup keep the very values; replacing, removing, closing release them', async () => {
  await collect();
  const live = hv.live();
  const released = hv.releases();
  const s = hv.Store.new();
  let o = { name: 'o' };
  s.put(0, o);
  assert.equal(s.get(0), o, 'H1: the very same object');
  assert.equal(hv.live(), live + 1);
  const weakO = new WeakRef(o);
  o = null;
  await collect();
  assert.notEqual(weakO.deref(), undefined, 'H2: the store keeps its value alive');
  assert.equal(s.get(0), weakO.deref());

  const p = () => 'p';  // a closure
  s.put(0, p);
  assert.equal(hv.releases(), released + 1, 'H3: the replaced value was released');
  assert.equal(s.get(0), p);
  await collect();
  assert.equal(weakO.deref(), undefined, 'H3: ... and can be collected');

  let q = [1, 2];
  const weakQ = new WeakRef(q);
  assert.throws(() => s.put(9, q), (e) => e instanceof RangeError && e.code === -1, 'H4: out of range');
  q = null;
  assert.equal(hv.releases(), released + 2, 'H4: released at once by the failing call');
  assert.equal(hv.live(), live + 1);
  await collect();
  assert.equal(weakQ.deref(), undefined);

  assert.equal(s.get(5), null, 'H5: empty slot');
  s.putForeign(1, 'foreign');
  assert.equal(s.get(1), null, 'H5: stored under another tag: never unboxed');

  const r = { name: 'r' };
  s.set(2, r);
  assert.equal(s.lookup(2), r, 'H6');
  assert.equal(s.lookup(3), null);
  assert.equal(s.remove(2), true, 'H7');
  assert.equal(hv.releases(), released + 3);

  let r2 = { name: 'r2' };
  const weakR2 = new WeakRef(r2);
  s.set(2, r2);
  r2 = null;
  s.close();  // H8
  assert.equal(hv.live(), live);
  await collect();
  assert.equal(weakR2.deref(), undefined, 'H8: released with the store');
});

test('primitives are values too: numbers, strings, BigInt, booleans, symbols come back as they went in', () => {
  const s = hv.Store.new();
  const sym = Symbol('k');
  for (const v of [0, 42.5, 'text', 2n ** 70n, false, true, sym, NaN]) {
    s.put(3, v);
    assert.ok(Object.is(s.get(3), v), String(v));
    s.set(4, v);
    assert.ok(Object.is(s.lookup(4), v), String(v));
  }
  s.close();
});

test('a dropped store releases its values when collected', async () => {
  await collect();
  const live = hv.live();
  let held = { name: 'held' };
  const weak = new WeakRef(held);
  (() => { const s = hv.Store.new(); s.put(0, held); s.set(1, 'x'); })();
  held = null;
  await collect();
  assert.equal(hv.live(), live);
  assert.equal(weak.deref(), undefined);
});

test('H9 10 000 replaced values are all released', async () => {
  await collect();
  const live = hv.live();
  const released = hv.releases();
  const s = hv.Store.new();
  for (let i = 0; i < 10000; i++) s.put(0, [i]);
  assert.deepEqual(s.get(0), [9999]);
  assert.equal(hv.releases(), released + 9999);
  s.close();
  assert.equal(hv.live(), live);
  assert.equal(hv.releases(), released + 10000);
});

test('E1-E3 null/undefined are never values; bad arguments box nothing; closed store', () => {
  const live = hv.live();
  const released = hv.releases();
  const s = hv.Store.new();
  assert.throws(() => s.put(0, null), TypeError);
  assert.throws(() => s.put(0, undefined), TypeError);
  assert.throws(() => s.set(0, null), TypeError);
  assert.throws(() => s.put(0), { code: 'ERR_INVALID_ARG_COUNT' });
  assert.throws(() => s.put('x', {}), TypeError);
  assert.equal(hv.live(), live);
  assert.equal(hv.releases(), released, 'nothing was boxed, so nothing to release');
  s.close();
  assert.throws(() => s.get(0), { code: 'ERR_USE_AFTER_CLOSE' });
  assert.throws(() => s.put(0, {}), { code: 'ERR_USE_AFTER_CLOSE' });
  assert.equal(hv.live(), live);
});
