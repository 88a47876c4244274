// tests/fixtures/lifetimes/SPEC.md, from JavaScript (run with --expose-gc): borrows that end at
// named calls (copied at once), a length from a sibling call, captured text kept by the receiver, a
// valid_on_error out handle, an owner-scope callback.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const l = require(process.env.BINDERY_NODE_PKG);

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

test('L1-L15 a document: lines, bytes, copies before append, a captured title, a kept filter', async () => {
  await collect();
  const base = l.liveDocs();
  const d = l.Doc.open('alpha\nbeta\n\ngamma');
  assert.equal(d.count(), 4);
  assert.equal(d.error(), '');
  assert.equal(l.liveDocs(), base + 1);
  assert.deepEqual([d.line(0), d.line(2), d.line(3)], ['alpha', '', 'gamma']);
  assert.equal(d.line(4), null, 'L3');
  assert.equal(d.line(-1), null);
  assert.deepEqual(d.bytes(), Buffer.from('alpha\nbeta\n\ngamma'), 'L4: length from size()');
  assert.equal(d.size(), 17);
  const line = d.line(0);
  const bytes = d.bytes();
  d.append('delta');
  assert.equal(line, 'alpha', 'L5: copied at once');
  assert.deepEqual(bytes, Buffer.from('alpha\nbeta\n\ngamma'));
  assert.deepEqual([d.count(), d.line(4), d.size()], [5, 'delta', 23], 'L6');
  const empty = l.Doc.open('');
  assert.equal(empty.count(), 1, 'L7');
  assert.equal(empty.bytes().length, 0);
  empty.close();

  assert.equal(d.title(), '', 'L9');
  d.setTitle(['No', 'tes'].join(''));  // L10: a fresh string, dropped at once
  await collect();
  const garbage = [];
  for (let i = 0; i < 10000; i++) garbage.push('x' + i);
  assert.equal(d.title(), 'Notes', 'L10: the binding kept the captured text alive');
  d.setTitle('A');
  d.setTitle('B');
  assert.equal(d.title(), 'B', 'L11');

  assert.equal(d.countMatching(), 5, 'L12: no filter');
  let weak;
  (() => {
    const f = (s) => s.startsWith('g');
    weak = new WeakRef(f);
    d.setFilter(f);
  })();
  await collect();
  assert.equal(d.countMatching(), 1, 'L13: kept alive by d');
  assert.notEqual(weak.deref(), undefined);
  d.setFilter((s) => s.length > 4);
  await collect();
  assert.equal(weak.deref(), undefined, 'L14: released when replaced');
  d.setFilter(null);
  assert.equal(d.countMatching(), 5);
  d.close();
  assert.equal(l.liveDocs(), base, 'L15');
});

test('E1-E4 a half-open document destroyed after the error; range, type, a throwing filter', async () => {
  await collect();
  const base = l.liveDocs();
  assert.throws(() => l.Doc.open('one\ntwo\r\nthree'),
                (e) => e instanceof l.LifetimesError && e.code === -1 && e.message === 'carriage return at byte 7');
  await collect();
  assert.equal(l.liveDocs(), base, 'E1: valid_on_error: the binding destroyed it');
  const d = l.Doc.open('a\ngb');
  assert.throws(() => d.line(2 ** 31), RangeError);
  assert.throws(() => d.setFilter(42), TypeError);
  assert.throws(() => d.setTitle(null), TypeError);
  class Inside extends Error {}
  d.setFilter(() => { throw new Inside('no'); });
  assert.throws(() => d.countMatching(), Inside);
  d.close();
  assert.equal(l.liveDocs(), base);
});
