// tests/fixtures/transfers/SPEC.md, from JavaScript (run with --expose-gc): a lent handle result
// copied at once (returns.copy), a receiver consumed only when the call succeeds (own: full, when:
// ok), bytes copied into the library's allocator (own: full, alloc:).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const t = require(process.env.BINDERY_NODE_PKG);

// FinalizationRegistry callbacks run in a later task: collect, then yield, a few times.
async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

test('T1/T2 each peek is an owned copy; closing or dropping copies never frees the lent item', async () => {
  await collect();
  const base = t.liveObjects();
  const b = t.Box.new();
  const a = b.peek(7);
  const c = b.peek(8);
  assert.ok(a instanceof t.Item && c instanceof t.Item);
  assert.equal(a.value(), 7n);
  assert.equal(c.value(), 8n, 'the second peek did not change the first copy');
  assert.equal(t.liveObjects(), base + 3);
  a.close();
  assert.equal(t.liveObjects(), base + 2);
  (() => { b.peek(9); })();  // dropped: the finalizer frees the copy, never the box's scratch item
  await collect();
  assert.equal(t.liveObjects(), base + 2);
  c.close();
  assert.equal(t.liveObjects(), base + 1);
  assert.equal(t.violations(), 0);
  b.close();
  assert.equal(t.liveObjects(), base);
});

test('C1 a refused closeStrict throws the library error and leaves the box open and usable', () => {
  const b = t.Box.new();
  b.pin(1);
  assert.throws(() => b.closeStrict(), (e) => e instanceof t.TransfersError && e.code === 5 && e.message === 'box is pinned');
  assert.equal(b.closed, false);
  const v = b.peek(3);
  assert.equal(v.value(), 3n);
  v.close();
  b.pin(0);
  b.close();
});

test('C2 a successful closeStrict empties the object; close() and collection free nothing twice', async () => {
  await collect();
  const base = t.liveObjects();
  const b = t.Box.new();
  b.pin(0);
  assert.equal(b.closeStrict(), undefined);
  assert.equal(b.closed, true);
  assert.equal(t.liveObjects(), base);
  assert.throws(() => b.peek(1), { code: 'ERR_USE_AFTER_CLOSE' });
  b.close();
  (() => { t.Box.new().closeStrict(); })();  // closed, then dropped: the finalizer frees nothing
  await collect();
  assert.equal(t.liveObjects(), base);
  assert.equal(t.violations(), 0);
});

test('A1-A5 adopt copies the bytes into the library allocator; the library frees them, even on failure', async () => {
  await collect();
  const objects = t.liveObjects();
  const blocks = t.liveBlocks();
  const b = t.Box.new();
  const data = Buffer.from([1, 2, 3]);
  b.adopt(data);
  data[0] = 100;  // the box holds a copy
  assert.equal(b.size(), 3);
  assert.equal(b.checksum(), 6n);
  assert.equal(t.liveBlocks(), blocks + 1);
  b.adopt(new Uint8Array([0xff]));  // A2: the old block is released by the library
  assert.equal(b.checksum(), 255n);
  assert.equal(t.liveBlocks(), blocks + 1);
  b.pin(1);  // A3: refused, and the library released the copy (the binding does not free it again)
  assert.throws(() => b.adopt(Buffer.from('xy')), (e) => e instanceof t.TransfersError && e.message === 'box is pinned');
  b.pin(0);
  assert.equal(t.liveBlocks(), blocks + 1);
  assert.equal(b.checksum(), 255n);
  b.adopt(Buffer.alloc(0));  // A4: empty data is still a block (alloc(1))
  assert.equal(b.size(), 0);
  assert.equal(b.checksum(), 0n);
  b.adopt(new DataView(new Uint8Array([4, 5]).buffer));  // any ArrayBufferView
  assert.equal(b.checksum(), 9n);
  b.close();  // A5
  assert.equal(t.liveBlocks(), blocks);
  assert.equal(t.liveObjects(), objects);
  assert.equal(t.violations(), 0);
});

test('E1/E2 wrong types are refused before C is called; closeStrict on a closed box', () => {
  const blocks = t.liveBlocks();
  const b = t.Box.new();
  assert.throws(() => b.adopt(42), TypeError);
  assert.throws(() => b.adopt(null), TypeError);
  assert.throws(() => b.adopt('xy'), TypeError);
  assert.throws(() => b.adopt(), { code: 'ERR_INVALID_ARG_COUNT' });
  assert.equal(t.liveBlocks(), blocks);
  b.close();
  assert.throws(() => b.closeStrict(), { code: 'ERR_USE_AFTER_CLOSE' });
  assert.throws(() => b.adopt(Buffer.from([1])), { code: 'ERR_USE_AFTER_CLOSE' });
  assert.equal(t.liveBlocks(), blocks);
  assert.equal(t.violations(), 0);
});
