// tests/fixtures/handles/SPEC.md, from JavaScript (run with --expose-gc).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require(process.env.BINDERY_NODE_PKG);

// FinalizationRegistry callbacks run in a later task: collect, then yield, a few times.
async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

test('H1-H3 owned handle: methods, close, use after close', () => {
  const base = h.liveObjects();
  const c = h.Counter.new(10);
  c.add(5);
  c.add(-20);
  assert.equal(c.get(), -5n);
  assert.equal(h.liveObjects(), base + 1);
  c.close();
  assert.equal(h.liveObjects(), base);
  c.close();
  assert.equal(h.violations(), 0);
  assert.throws(() => c.get(), { name: 'Error', code: 'ERR_USE_AFTER_CLOSE' });
});

test('H4 dropped handles are destroyed by the finalizer', async () => {
  const base = h.liveObjects();
  (() => { h.Counter.new(1); })();
  await collect();
  assert.equal(h.liveObjects(), base);
});

test('H5/H6 clone and sum', () => {
  const c = h.Counter.new(1);
  const d = c.clone();
  d.add(100);
  assert.equal(c.get(), 1n);
  assert.equal(d.get(), 101n);
  assert.equal(c.sum(d), 102n);
  assert.equal(c.sum(c), 2n);
  c.close();
  assert.equal(d.get(), 101n);
  d.close();
});

test('H7 consume empties the host object', () => {
  const base = h.liveObjects();
  const d = h.Counter.new(7);
  assert.equal(h.consume(d), 7n);
  assert.equal(h.liveObjects(), base);
  assert.equal(d.closed, true);
  assert.throws(() => d.get(), /closed/);
  d.close();
  assert.equal(h.violations(), 0);
});

test('H8-H10 parents, children, borrowed parent', () => {
  const base = h.liveObjects();
  const p = h.Parent.new('root');
  assert.equal(p.name(), 'root');
  assert.equal(p.childCount(), 0);
  const a = p.newChild(1);
  const b = p.newChild(2);
  assert.equal(a.id(), 1);
  assert.equal(b.id(), 2);
  assert.equal(p.childCount(), 2);
  assert.equal(h.liveObjects(), base + 3);
  const q = a.parent();
  assert.ok(q instanceof h.Parent);
  assert.equal(q.name(), 'root');
  q.close();  // borrowed: destroys nothing
  assert.equal(h.liveObjects(), base + 3);
  assert.equal(p.name(), 'root');
  a.close();
  b.close();
  p.close();
  assert.equal(h.liveObjects(), base);
  assert.equal(h.violations(), 0);
});

test('H11/H12 children keep their parent alive; children go first', async () => {
  const base = h.liveObjects();
  let a, b;
  (() => {
    const p = h.Parent.new('root');
    a = p.newChild(1);
    b = p.newChild(2);
  })();
  await collect();
  assert.equal(a.parent().name(), 'root');
  assert.equal(h.violations(), 0);
  a = b = undefined;
  await collect();
  assert.equal(h.liveObjects(), base);
  assert.equal(h.violations(), 0);
});

test('H13 closing a parent with live children is deferred until they are gone', () => {
  const base = h.liveObjects();
  const p = h.Parent.new('root');
  const a = p.newChild(1);
  p.close();
  assert.equal(p.closed, true);
  assert.throws(() => p.name(), /closed/);
  assert.equal(h.liveObjects(), base + 2, 'the C parent lives on while a child does');
  assert.equal(a.parent().name(), 'root');
  a.close();
  assert.equal(h.liveObjects(), base);
  assert.equal(h.violations(), 0);
});

test('H14 10,000 dropped clones are all destroyed', async () => {
  const base = h.liveObjects();
  for (let i = 0; i < 10000; i++) h.Counter.new(i).clone();
  await collect();
  assert.equal(h.liveObjects(), base);
});

test('E1/E2 wrong handle class or null is a TypeError', () => {
  const c = h.Counter.new(1);
  const p = h.Parent.new('x');
  assert.throws(() => c.sum(p), TypeError);
  assert.throws(() => c.sum(null), TypeError);
  assert.throws(() => c.sum({}), TypeError);
  assert.throws(() => c.sum(1), TypeError);
  assert.throws(() => h.Counter.prototype.get.call(p), TypeError);
  c.close();
  p.close();
});

test('E3 consuming a closed or consumed counter is refused before C', () => {
  const c = h.Counter.new(1);
  c.close();
  assert.throws(() => h.consume(c), /closed/);
  const d = h.Counter.new(2);
  h.consume(d);
  assert.throws(() => h.consume(d), /closed/);
  assert.equal(h.violations(), 0);
});

test('E4 new Counter(start) maps to Counter.new; nothing else makes an empty handle', () => {
  const c = new h.Counter(3);
  assert.equal(c.get(), 3n);
  c.close();
  assert.throws(() => new h.Counter(), TypeError);
});

test('H15 a handle on a pointer typedef to const char is the very pointer, not text', () => {
  const base = h.liveObjects();
  const q = h.Path.new('a.db', 'mode', 'ro');
  assert.ok(q instanceof h.Path);
  assert.equal(q.name(), 'a.db');
  assert.equal(q.param('mode'), 'ro');
  assert.equal(q.param('cache'), null);
  assert.equal(h.liveObjects(), base + 1);
  q.close();
  assert.equal(h.liveObjects(), base);
  assert.equal(h.violations(), 0);
});

test('H16 a Path borrowed from a Parent: closing it destroys nothing', () => {
  const p = h.Parent.new('root');
  const base = h.liveObjects();
  const r = p.path();
  assert.equal(r.name(), 'root');
  assert.equal(r.param('kind'), 'parent');
  r.close();
  assert.equal(h.liveObjects(), base);
  assert.equal(h.violations(), 0);
  assert.equal(p.path().name(), 'root');
  p.close();
});

test('H17 a borrowed Path keeps its Parent alive', async () => {
  let r = (() => h.Parent.new('kept').path())();
  await collect();
  assert.equal(r.name(), 'kept');
  assert.equal(r.param('kind'), 'parent');
  r = null;
  await collect();
  assert.equal(h.violations(), 0);
});

test('E5 Path misuse: after close, in place of a Counter, null name', () => {
  const q = h.Path.new('x', 'k', 'v');
  q.close();
  assert.throws(() => q.name(), { code: 'ERR_USE_AFTER_CLOSE' });
  const c = h.Counter.new(1);
  assert.throws(() => c.sum(h.Path.new('y', 'k', 'v')), TypeError);
  assert.throws(() => h.Path.new(null, 'k', 'v'), TypeError);
  c.close();
  assert.equal(h.violations(), 0);
});
