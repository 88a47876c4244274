// tests/fixtures/aggregates/SPEC.md, from JavaScript (run with --expose-gc): an interface made of a
// function's parameters (step, final), with one JS object per group made by the registered factory
// (a function called with no arguments: `() => new Sum()`) and released after the group's final.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const m = require(process.env.BINDERY_NODE_PKG);

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

// Sum objects alive (made and not yet collected), and how many were made.
let alive = 0;
let made = 0;
const gone = new FinalizationRegistry(() => { alive--; });

class Sum {
  constructor() {
    this.total = 0n;
    this.keys = [];
    made++;
    alive++;
    gone.register(this, null);
  }
  step(ctx, value) {
    assert.ok(ctx instanceof m.Context, 'the Context is lent to step');
    this.keys.push(ctx.key());
    this.total += value;
  }
  final(ctx) {
    ctx.resultInt(this.total);
  }
}

test('A1-A3 one object per group, made by the factory; ctx.key() is the group; all released after final', async () => {
  await collect();
  const base = alive;
  const objects = [];
  const e = new m.Engine();
  made = 0;
  e.register('sum', () => {
    const s = new Sum();
    objects.push(new WeakRef(s));
    return s;
  });
  assert.equal(e.run('sum', 'a:1,b:5,a:2'), 'a=3,b=5', 'A1');
  assert.equal(made, 2, 'A1: one object per group');
  assert.deepEqual(objects.map((w) => w.deref().keys), [['a', 'a'], ['b']], 'A2: the group\'s key, the same object');
  assert.equal(m.liveStates(), 0, 'A3');
  await collect();
  assert.equal(alive, base, 'A3: no Sum instance is alive');
  e.close();
});

test('A4 no rows: nothing made', () => {
  const e = new m.Engine();
  let calls = 0;
  e.register('sum', () => { calls++; return new Sum(); });
  assert.equal(e.run('sum', ''), '');
  assert.equal(calls, 0);
  e.close();
});

test('A5 step throws: the very exception out of run, its message reached the engine, final still ran', async () => {
  await collect();
  const base = alive;
  const e = new m.Engine();
  const negative = new RangeError('negative value');
  const finals = [];
  class Checked extends Sum {
    step(ctx, value) {
      if (value < 0n) throw negative;
      super.step(ctx, value);
    }
    final(ctx) {
      finals.push(this.keys[0] ?? 'none');
      super.final(ctx);
    }
  }
  e.register('sum', () => new Checked());
  assert.throws(() => e.run('sum', 'a:1,b:-5,a:2'), (x) => x === negative);
  assert.equal(e.errmsg(), 'negative value', 'through error_call');
  assert.equal(finals.length, 2, 'final ran for both groups');
  assert.equal(m.liveStates(), 0);
  await collect();
  assert.equal(alive, base);
  e.close();
});

test('A6 final throws: run throws it; the objects are released', async () => {
  await collect();
  const base = alive;
  const e = new m.Engine();
  const boom = new Error('final failed');
  e.register('sum', () => Object.assign(new Sum(), { final() { throw boom; } }));
  assert.throws(() => e.run('sum', 'a:1,b:2'), (x) => x === boom);
  assert.equal(m.liveStates(), 0);
  await collect();
  assert.equal(alive, base);
  e.close();
});

test('A7-A8 the factory throws, or makes no object: run throws (a TypeError for null); nothing kept', () => {
  const e = new m.Engine();
  const boom = new Error('no factory today');
  e.register('sum', () => { throw boom; });
  assert.throws(() => e.run('sum', 'a:1,b:2'), (x) => x === boom, 'A7');
  assert.equal(m.liveStates(), 0);
  for (const nothing of [null, undefined, 3]) {
    e.register('sum', () => nothing);
    assert.throws(() => e.run('sum', 'a:1'), (x) => x instanceof TypeError && x.code === 'ERR_INVALID_RETURN_VALUE', 'A8');
    assert.equal(m.liveStates(), 0);
  }
  // A registered value that is not a function: a TypeError from run.
  e.register('sum', new Sum());
  assert.throws(() => e.run('sum', 'a:1'), (x) => x instanceof TypeError && /factory/.test(x.message));
  e.close();
});

test('A9 a Context kept from inside step is closed after run returned', () => {
  const e = new m.Engine();
  let kept;
  e.register('sum', () => Object.assign(new Sum(), { step(ctx, v) { kept = ctx; this.total += v; } }));
  assert.equal(e.run('sum', 'a:4'), 'a=4');
  assert.equal(kept.closed, true);
  assert.throws(() => kept.key(), (x) => x.code === 'ERR_USE_AFTER_CLOSE');
  e.close();
});

test('A10 registering again releases the first factory; closing the engine the second', async () => {
  const e = new m.Engine();
  let first = () => new Sum();
  let other = () => new Sum();
  const weakFirst = new WeakRef(first);
  const weakOther = new WeakRef(other);
  e.register('sum', first);
  e.register('sum', other);
  first = other = null;
  await collect();
  assert.equal(weakFirst.deref(), undefined);
  assert.notEqual(weakOther.deref(), undefined);
  assert.equal(e.run('sum', 'a:1'), 'a=1');
  e.close();
  await collect();
  assert.equal(weakOther.deref(), undefined);
});

test('A11 2000 runs: no growth of JS objects; liveStates 0', async () => {
  await collect();
  const base = alive;
  const e = new m.Engine();
  e.register('sum', () => new Sum());
  for (let i = 0; i < 2000; i++) assert.equal(e.run('sum', 'a:1,b:2,c:3'), 'a=1,b=2,c=3');
  assert.equal(m.liveStates(), 0);
  e.close();
  await collect();
  assert.equal(alive, base);
});

test('E1 registering null or undefined is a TypeError before C is called', () => {
  const e = new m.Engine();
  assert.throws(() => e.register('x', null), TypeError);
  assert.throws(() => e.register('x', undefined), TypeError);
  e.close();
});

test('E2-E3 the library\'s errors: no such aggregate, malformed rows (after final of group a)', () => {
  const e = new m.Engine();
  assert.throws(() => e.run('nothing', 'a:1'), (x) => x instanceof m.AggregatesError && x.message === 'no such aggregate');
  const finals = [];
  e.register('sum', () => Object.assign(new Sum(), { final(ctx) { finals.push(this.keys); ctx.resultInt(this.total); } }));
  assert.throws(() => e.run('sum', 'a:1,B:2'), (x) => x instanceof m.AggregatesError && x.message === 'malformed rows');
  assert.deepEqual(finals, [['a']]);
  assert.equal(m.liveStates(), 0);
  e.close();
});
