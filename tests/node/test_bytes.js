// tests/fixtures/bytes/SPEC.md, from JavaScript (run with --expose-gc).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const b = require(process.env.BINDERY_NODE_PKG);

const bytes = (...v) => Buffer.from(v);

test('B1-B4 borrowed input bytes; absent is (NULL, 0)', () => {
  assert.equal(b.checksum(Buffer.alloc(0)), 2166136261);
  assert.equal(b.checksum(Buffer.from('abc')), 440920331);
  assert.equal(b.checksum(bytes(0, 0xff, 0)), 0xf28f40e0);
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  assert.equal(b.checksum(all), 0x90a458c5);
  assert.equal(b.checksum(new Uint8Array(all).buffer), 0x90a458c5, 'an ArrayBuffer');
  assert.equal(b.checksum(all.subarray(1, 4)), b.checksum(bytes(1, 2, 3)), 'a view with an offset');
  assert.equal(b.checksum(null), 0x811c9dc5);
  assert.equal(b.count(null), 0);
  assert.equal(b.count(Buffer.from('abc')), 3);
});

test('B5 a blob and its borrowed data', () => {
  const blob = b.Blob.new(bytes(1, 0, 2));
  assert.equal(blob.size(), 3);
  assert.deepEqual([...blob.data()], [1, 0, 2]);
  blob.close();
});

test('B6 a view kept across close() is detached, never freed memory', () => {
  const blob = b.Blob.new(bytes(1, 0, 2));
  const v = blob.data();
  assert.equal(v.length, 3);
  blob.close();
  assert.equal(v.length, 0, 'detached: reads as empty');
  assert.equal(v.buffer.byteLength, 0);
  assert.equal(v[0], undefined);
});

test('B6 the same borrowed bytes twice: two views over one ArrayBuffer, both detached on close()', () => {
  const blob = b.Blob.new(bytes(4, 5));
  const v1 = blob.data();
  const v2 = blob.data();
  assert.notEqual(v1, v2, 'a new Uint8Array per call');
  assert.equal(v1.buffer, v2.buffer, 'over the one ArrayBuffer of that memory');
  blob.close();
  assert.equal(v1.length, 0);
  assert.equal(v2.length, 0);
});

test('B6 a view whose ArrayBuffer was collected is made again', async () => {
  const blob = b.Blob.new(bytes(6));
  (() => blob.data())();
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual([...blob.data()], [6]);
  blob.close();
});

test('B6 a view keeps its blob alive', async () => {
  let v = (() => b.Blob.new(bytes(7, 8, 9)).data())();
  for (let i = 0; i < 4; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual([...v], [7, 8, 9]);
  v = null;
});

test('B7 NULL means empty here', () => {
  assert.equal(b.Blob.new(Buffer.alloc(0)).data().length, 0);
  assert.equal(b.Blob.new(null).data().length, 0);
});

test('B8-B12 caller-allocated buffers: the host passes the capacity', () => {
  const blob = b.Blob.new(bytes(1, 0, 2));
  assert.deepEqual([...blob.copy(2)], [1, 0]);
  assert.deepEqual([...blob.copy(8)], [1, 0, 2]);
  assert.equal(b.Blob.new(Buffer.alloc(0)).copy(8).length, 0);
  assert.deepEqual([...b.repeat(7, 3, 8)], [7, 7, 7]);
  assert.deepEqual([...b.repeat(9, 100, 4)], [9, 9, 9, 9]);
  assert.deepEqual([...b.iota(32)], [...Array(16).keys()]);
  assert.deepEqual([...b.iota(3)], [0, 1, 2]);
  assert.equal(b.iota(0).length, 0);
  assert.deepEqual([...b.fill(4, 0xab)], [0xab, 0xab, 0xab, 0xab]);
  assert.ok(Buffer.isBuffer(b.fill(1, 0)));
  blob.close();
});

test('B13-B15 slices: typed arrays or plain arrays', () => {
  assert.equal(b.sumI32([1, 2, 3, -10]), -4n);
  assert.equal(b.sumI32(Int32Array.of(1, 2, 3, -10)), -4n);
  assert.equal(b.sumI32([]), 0n);
  assert.equal(b.sumI32(null), 0n);
  assert.equal(b.i32InExtremes([-2147483648, -1, 0, 1, 2147483647]), true);
  assert.equal(b.i32InExtremes([0]), false);
  assert.equal(b.meanF64([1.0, 2.0, 4.5]), 2.5);
  assert.equal(b.meanF64(Float64Array.of(1.0, 2.0, 4.5)), 2.5);
  assert.equal(b.meanF64([]), 0.0);
});

test('B16 10,000 blobs and views are all released', async () => {
  // Every 100th blob and view is watched: once collected, its finalizer destroys the C object
  // (ASan/LSan check that part); here, none of them may still be reachable.
  const watched = [];
  for (let i = 0; i < 10000; i++) {
    const blob = b.Blob.new(Buffer.alloc(100, 120));
    const view = blob.data();
    if (i % 100 === 0) watched.push(new WeakRef(blob), new WeakRef(view));
  }
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(watched.length, 200);
  assert.equal(watched.filter((ref) => ref.deref() !== undefined).length, 0);
});

test('E1-E5 wrong byte arguments', () => {
  assert.throws(() => b.checksum('text'), TypeError);
  assert.throws(() => b.checksum(42), TypeError);
  assert.throws(() => b.i32InExtremes([2147483648]), RangeError);
  assert.throws(() => b.sumI32([1.5]), TypeError);
  assert.throws(() => b.sumI32(Buffer.from('abc')), TypeError);
  assert.throws(() => b.sumI32(Float64Array.of(1)), TypeError);
  const blob = b.Blob.new(bytes(1));
  blob.close();
  assert.throws(() => blob.data(), /closed/);
  assert.throws(() => b.iota(-1), RangeError);
  assert.throws(() => b.iota(1.5), TypeError);
});
