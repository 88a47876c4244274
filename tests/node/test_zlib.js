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
