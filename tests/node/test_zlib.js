'use strict';
// zlib bound from the system's zlib.h (tests/fixtures/zlib), driven from JavaScript: one-shot
// compress/uncompress with caller-allocated buffers, checksums, gzip files, errors.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const nodeZlib = require('node:zlib');

const z = require(process.env.BINDERY_NODE_PKG);
const text = Buffer.from('bindery '.repeat(500));

test('compress and uncompress round trip, readable by node:zlib', () => {
  const packed = z.compress2(z.compressBound(text.length), text, 9);
  assert.ok(packed.length < text.length / 10);
  assert.deepEqual(nodeZlib.inflateSync(packed), text);
  assert.deepEqual(z.uncompress(text.length, packed), text);
});

test('checksums agree with node:zlib', () => {
  assert.equal(z.crc32(0, text), nodeZlib.crc32 ? nodeZlib.crc32(text) : z.crc32(0, text));
  assert.equal(z.adler32(1, Buffer.from('Wikipedia')), 0x11e60398);
});

test('a buffer too small is a ZlibError with Z_BUF_ERROR', () => {
  assert.throws(() => z.compress(4, text), (e) => e instanceof z.ZlibError && e.code === -5);
});

test('gzip files written and read back', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-zlib-')), 'x.gz');
  const w = z.GzFile.open(file, 'wb');
  assert.equal(w.write(text), text.length);
  w.close();
  assert.deepEqual(nodeZlib.gunzipSync(fs.readFileSync(file)), text);
  const r = z.GzFile.open(file, 'rb');
  assert.deepEqual(r.read(text.length + 10), text);
  assert.equal(r.eof(), true);
  r.close();
});

test('get_crc_table: a static 256-entry table comes back as a copy in a Uint32Array', () => {
  const table = z.getCrcTable();
  assert.ok(table instanceof Uint32Array);
  assert.equal(table.length, 256);
  assert.equal(table[1], 0x77073096);  // the standard CRC-32 table
  table[1] = 0;                         // a copy: the library's table is untouched
  assert.equal(z.getCrcTable()[1], 0x77073096);
});

// ---- z_stream: a pinned type (the binding owns the struct), buffers through its fields --------

// Streams `data` through a Deflater: 4 KiB of input and 1 KiB of output space per call.
function deflateStream(data, level) {
  const d = z.Deflater.deflateInit(level);
  const out = [];
  let fed = 0;
  for (;;) {
    const input = data.subarray(fed, fed + 4096);
    const last = fed + input.length === data.length;
    const r = d.deflate(input, 1024, last ? z.Flush.FINISH : z.Flush.NO_FLUSH);
    fed += r.consumed;
    out.push(r.output);
    if (r.status === 1) break;  // Z_STREAM_END
  }
  assert.equal(fed, data.length);
  d.close();
  return Buffer.concat(out);
}

test('Deflater streams in small chunks; node:zlib inflates the result', () => {
  const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i} of the bindery stream\n`).join(''));
  const packed = deflateStream(data, 6);
  assert.ok(packed.length < data.length / 4);
  assert.deepEqual(nodeZlib.inflateSync(packed), data);
  assert.deepEqual(nodeZlib.inflateSync(deflateStream(Buffer.alloc(0), 9)), Buffer.alloc(0));
});

test('Deflater: a bad level is the library error; use after close is refused', () => {
  assert.throws(() => z.Deflater.deflateInit(42), (e) => e instanceof z.ZlibError && e.code === -2);
  const d = z.Deflater.deflateInit(1);
  assert.throws(() => d.deflate('text', 16, z.Flush.FINISH), TypeError);  // bytes, not a string
  d.close();
  assert.throws(() => d.deflate(Buffer.from('x'), 16, z.Flush.FINISH), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
  for (let i = 0; i < 200; i++) z.Deflater.deflateInit(9);  // dropped: the finalizer ends and frees them
  global.gc?.();
});

test('compress2Async: a caller-allocated buffer and an in/out length through the pool', async () => {
  const packed = await z.compress2Async(z.compressBound(text.length), text, 9);
  assert.ok(Buffer.isBuffer(packed));
  assert.deepEqual(nodeZlib.inflateSync(packed), text);
  await assert.rejects(z.compressAsync(4, text), (e) => e instanceof z.ZlibError && e.code === -5);
});

// ---- roles: the same z_stream is also an Inflater --------------------------------------------------

// Streams `packed` through an Inflater: `step` bytes of input and 512 bytes of output space per call.
function inflateStream(packed, step) {
  const inf = z.Inflater.inflateInit();
  const out = [];
  let fed = 0;
  for (;;) {
    const r = inf.inflate(packed.subarray(fed, fed + step), 512, z.Flush.NO_FLUSH);
    fed += r.consumed;
    out.push(r.output);
    if (r.status === 1) break;  // Z_STREAM_END
    assert.ok(r.consumed > 0 || r.output.length > 0, 'progress on every call');
  }
  inf.close();
  return Buffer.concat(out);
}

test('Inflater streams what node:zlib deflated; Deflater → Inflater round trip', () => {
  const data = Buffer.from(Array.from({ length: 2000 }, (_, i) => `row ${i * 7919 % 1000}\n`).join(''));
  assert.deepEqual(inflateStream(nodeZlib.deflateSync(data), 100), data);
  assert.deepEqual(inflateStream(deflateStream(data, 9), 7), data);
});

test('Inflater: corrupt input is the library error with the stream message; the classes do not mix', () => {
  const inf = z.Inflater.inflateInit();
  assert.throws(() => inf.inflate(Buffer.from('not zlib data at all'), 64, z.Flush.NO_FLUSH),
    (e) => e instanceof z.ZlibError && e.code === -3 && /incorrect header check/.test(e.message));
  inf.close();
  const d = z.Deflater.deflateInit(6);
  // A Deflater is not an Inflater even though both are a z_stream in C.
  const inflate = z.Inflater.prototype.inflate;
  assert.throws(() => inflate.call(d, Buffer.alloc(1), 8, z.Flush.NO_FLUSH), TypeError);
  d.close();
});

test('Z6 a Deflater copied mid-stream finishes with the same output as the original', () => {
  const data = Buffer.from('copy me '.repeat(4000));
  const d = z.Deflater.deflateInit(6);
  const head = d.deflate(data.subarray(0, 10000), 1 << 16, z.Flush.NO_FLUSH);
  assert.equal(head.consumed, 10000);
  const c = z.Deflater.deflateCopy(d);
  const rest = data.subarray(10000);
  const a = d.deflate(rest, 1 << 16, z.Flush.FINISH);
  const b = c.deflate(rest, 1 << 16, z.Flush.FINISH);
  assert.equal(a.status, 1);
  assert.deepEqual(b.output, a.output);
  assert.deepEqual(nodeZlib.inflateSync(Buffer.concat([head.output, b.output])), data);
  d.close();
  c.close();
});

test('Z3 getc reads one byte, then -1 at the end; Z7 dopen owns the descriptor', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-zlib-')), 'y.gz');
  fs.writeFileSync(file, nodeZlib.gzipSync(Buffer.from('ab')));
  const r = z.GzFile.open(file, 'rb');
  assert.equal(r.getc(), 0x61);
  assert.equal(r.getc(), 0x62);
  assert.equal(r.getc(), -1);
  r.close();
  const fd = fs.openSync(file, 'r');
  const g = z.GzFile.dopen(fd, 'rb');
  assert.deepEqual(g.read(16), Buffer.from('ab'));
  g.close();
  assert.throws(() => fs.fstatSync(fd), { code: 'EBADF' });  // closed with the GzFile
  g.close();                                                  // a second close does nothing
});

test('deflateAsync / inflateAsync: field buffers through the pool; the stream is busy meanwhile', async () => {
  const data = Buffer.from('async stream '.repeat(5000));
  const d = z.Deflater.deflateInit(6);
  const pending = d.deflateAsync(data, data.length + 1024, z.Flush.FINISH);
  assert.throws(() => d.close(), (e) => e.code === 'ERR_BUSY');
  const r = await pending;
  assert.equal(r.status, 1);
  assert.equal(r.consumed, data.length);
  d.close();
  const inf = z.Inflater.inflateInit();
  const back = await inf.inflateAsync(r.output, data.length + 16, z.Flush.NO_FLUSH);
  assert.equal(back.status, 1);
  assert.deepEqual(back.output, data);
  inf.close();
  const bad = z.Inflater.inflateInit();
  await assert.rejects(bad.inflateAsync(Buffer.from('junk data'), 16, z.Flush.NO_FLUSH),
    (e) => e instanceof z.ZlibError && e.code === -3 && /incorrect header check/.test(e.message));
  bad.close();
});
