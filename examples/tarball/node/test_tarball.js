// tarball from JavaScript: archives written by the system's tar, read through the binding.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const tb = require(process.env.BINDERY_NODE_PKG);

const work = fs.mkdtempSync(path.join(process.env.BINDERY_WORK ? (fs.mkdirSync(process.env.BINDERY_WORK, { recursive: true }), process.env.BINDERY_WORK) : os.tmpdir(), 'tar-'));
const files = { 'hello.txt': 'hello, world\n', 'bin.dat': Buffer.from([0, 1, 2, 0, 255]), 'empty': '' };
for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(work, name), data);
const archive = path.join(work, 'x.tar');
execFileSync('tar', ['--format=ustar', '-cf', archive, '-C', work, ...Object.keys(files)]);

test('reads names and bytes written by tar', () => {
  const t = tb.Tarball.open(archive);
  assert.equal(t.count(), 3);
  const names = [...Array(t.count()).keys()].map((i) => t.fileName(i));
  assert.deepEqual(names.sort(), Object.keys(files).sort());
  for (let i = 0; i < t.count(); i++) {
    const data = t.fileData(i);
    assert.ok(data instanceof Uint8Array);
    assert.deepEqual(Buffer.from(data), Buffer.from(files[t.fileName(i)]));
  }
  t.close();
});

test('absent results are null; find returns an index or null', () => {
  const t = tb.Tarball.open(archive);
  assert.equal(t.fileName(99), null);
  assert.equal(t.fileData(99), null);
  assert.equal(t.fileName(t.find('bin.dat')), 'bin.dat');
  assert.equal(t.find('missing'), null);
  t.close();
});

test('a view kept across close() is detached; use after close throws', () => {
  const t = tb.Tarball.open(archive);
  const v = t.fileData(t.find('hello.txt'));
  assert.equal(Buffer.from(v).toString(), 'hello, world\n');
  t.close();
  assert.equal(v.length, 0);
  assert.throws(() => t.count(), /closed/);
  t.close();
});

test('errors carry errno', () => {
  assert.throws(() => tb.Tarball.open(path.join(work, 'nope.tar')), (e) => e instanceof tb.TarballError && e.errno === 2);
  const bad = path.join(work, 'bad.tar');
  fs.writeFileSync(bad, Buffer.alloc(700, 7));
  assert.throws(() => tb.Tarball.open(bad), tb.TarballError);
});

test('using disposes', () => {
  const t = new tb.Tarball(archive);
  t[Symbol.dispose]();
  assert.equal(t.closed, true);
});
