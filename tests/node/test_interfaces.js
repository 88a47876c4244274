// tests/fixtures/interfaces/SPEC.md, from JavaScript (run with --expose-gc): a struct of function
// pointers implemented by plain JS objects. The engine calls `open` on the registered object, and
// the methods of the objects that `open`/`openCursor` return (optional ones may be missing); what a
// method throws comes out of the outer call (`e.sum`) as the very same exception.
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

const INT64_MIN = -(2n ** 63n);

// Every table and cursor the tests make is counted while reachable from JavaScript or the binding.
let made = 0;
const collected = new FinalizationRegistry(() => { made--; });
function track(o) {
  made++;
  collected.register(o, null);
  return o;
}

// `Range`: open([lo, hi]) makes a table over the rows lo … hi-1 (key = row, value in column c =
// row × (c + 1)); its plan applies the minimum key at cost 2.5; its cursor records its filter's key.
class Range {
  constructor(log = []) {
    this.log = log;
    this.opened = [];
  }
  open(args) {
    this.opened.push(args);
    const [lo, hi] = args.map(Number);
    return track(new RangeTable(lo, hi, this.log));
  }
}

class RangeTable {
  constructor(lo, hi, log) {
    Object.assign(this, { lo, hi, log, cursors: [] });
  }
  plan(plan) {
    plan.useMinKey(1);
    plan.setCost(2.5);
  }
  openCursor() {
    const c = track(new RangeCursor(this));
    this.cursors.push(c);
    return c;
  }
  close() {
    this.log.push('table.close');
  }
}

class RangeCursor {
  constructor(table) {
    this.table = table;
  }
  filter(minKey) {
    this.minKey = minKey;
    this.row = Math.max(this.table.lo, Number(minKey));
  }
  next() {
    this.row++;
  }
  eof() {
    return this.row >= this.table.hi;
  }
  value(result, column) {
    result.setInt(this.row * (column + 1));
  }
  key() {
    return this.row;
  }
  close() {
    this.table.log.push('cursor.close');
  }
}

test('I1-I2 a JS source: open gets strings, plan and filter take part, results come back', () => {
  const e = new m.Engine();
  const src = new Range();
  e.register('range', src);
  assert.equal(e.sum('range', '1,5', 0, 0), 10n, 'I1');
  assert.equal(e.lastCost(), 2.5, 'I1: the plan set the cost through the lent Plan');
  assert.deepEqual(src.opened, [['1', '5']], 'I1: open received the arguments as strings');
  assert.equal(e.sum('range', '1,5', 1, 3), 14n, 'I2: 2 × (3 + 4)');
  assert.equal(e.sum('range', '1,5', 1, 3n), 14n, 'I2: a BigInt minimum as well');
  e.close();
});

test('I2 the cursor\'s filter received the plan\'s minimum (a BigInt: 64-bit keys are exact)', () => {
  const e = new m.Engine();
  let table;
  e.register('range', { open: (args) => (table = new Range().open(args)) });
  e.sum('range', '1,5', 1, 3);
  assert.equal(table.cursors[0].minKey, 3n);
  e.close();
});

test('I3 optional methods may be missing: no plan, no close on tables or cursors', () => {
  const e = new m.Engine();
  let cursor;
  const source = {
    open([lo, hi]) {
      return {
        openCursor() {
          cursor = new RangeCursor({ lo: Number(lo), hi: Number(hi) });
          cursor.close = undefined;  // not a function: the same as missing
          return cursor;
        },
      };
    },
  };
  e.register('bare', source);
  assert.equal(e.sum('bare', '1,5', 0, 3), 7n);
  assert.equal(e.lastCost(), -1, 'no plan: the engine filters itself');
  assert.equal(cursor.minKey, INT64_MIN, 'filter received the smallest 64-bit integer');
  assert.equal(m.openObjects(), 0);
  e.close();
});

test('I4 close runs once on the cursor, then the table; the binding keeps neither afterwards', async () => {
  await collect();
  const base = made;
  const e = new m.Engine();
  const log = [];
  let weakTable, weakCursor;
  e.register('range', {
    open(args) {
      const t = new Range(log).open(args);
      weakTable = new WeakRef(t);
      const open = t.openCursor.bind(t);
      t.openCursor = () => {
        const c = open();
        weakCursor = new WeakRef(c);
        return c;
      };
      return t;
    },
  });
  assert.equal(e.sum('range', '1,5', 0, 0), 10n);
  assert.deepEqual(log, ['cursor.close', 'table.close']);
  assert.equal(m.openObjects(), 0);
  await collect();
  assert.equal(weakTable.deref(), undefined, 'the table was released');
  assert.equal(weakCursor.deref(), undefined, 'the cursor was released');
  assert.equal(made, base);
  e.close();
});

test('I5 open throws: the very exception comes out of sum, its message reached the engine', () => {
  const e = new m.Engine();
  const bad = new RangeError('bad args');
  e.register('range', { open() { throw bad; } });
  assert.throws(() => e.sum('range', '1', 0, 0), (x) => x === bad);
  assert.equal(e.errmsg(), 'bad args', 'the message went to the engine through *error');
  // A thrown non-Error: its String() is the message.
  e.register('range', { open() { throw 'plain text'; } });  // eslint-disable-line no-throw-literal
  assert.throws(() => e.sum('range', '1', 0, 0), (x) => x === 'plain text');
  assert.equal(e.errmsg(), 'plain text');
  e.close();
});

// A Range whose cursors misbehave in `method`; the log says which closes ran.
function failing(method, impl) {
  const log = [];
  const src = new Range(log);
  const open = src.open.bind(src);
  src.open = (args) => {
    const t = open(args);
    const openCursor = t.openCursor.bind(t);
    t.openCursor = () => {
      const c = openCursor();
      c[method] = impl;
      return c;
    };
    return t;
  };
  return { src, log };
}

test('I6 a cursor\'s value throws: sum throws it, the message went through the table\'s error field', () => {
  const e = new m.Engine();
  const boom = new Error('no such column');
  const { src, log } = failing('value', () => { throw boom; });
  e.register('range', src);
  assert.throws(() => e.sum('range', '1,5', 0, 0), (x) => x === boom);
  assert.equal(e.errmsg(), 'no such column');
  assert.deepEqual(log, ['cursor.close', 'table.close'], 'both closes ran after the exception');
  assert.equal(m.openObjects(), 0);
  e.close();
});

test('I7 a cursor\'s eof throws: the engine saw end-of-scan and stopped; sum throws it', () => {
  const e = new m.Engine();
  const boom = new SyntaxError('eof failed');
  const { src, log } = failing('eof', () => { throw boom; });
  e.register('range', src);
  assert.throws(() => e.sum('range', '1,5', 0, 0), (x) => x === boom);
  assert.deepEqual(log, ['cursor.close', 'table.close']);
  assert.equal(m.openObjects(), 0);
  e.close();
});

test('I8 a cursor\'s key returns a string: a TypeError from sum; the objects were closed', () => {
  const e = new m.Engine();
  const { src, log } = failing('key', () => 'seven');
  e.register('range', src);
  assert.throws(() => e.sum('range', '1,5', 0, 0), (x) => x instanceof TypeError && /Cursor\.key/.test(x.message));
  assert.deepEqual(log, ['cursor.close', 'table.close']);
  assert.equal(m.openObjects(), 0);
  // A key beyond 64 bits is a RangeError, not a truncation.
  const wide = failing('key', () => 2n ** 64n);
  e.register('wide', wide.src);
  assert.throws(() => e.sum('wide', '1,5', 0, 0), RangeError);
  e.close();
});

test('I9 open returns null or undefined: a TypeError (a method that makes an object must return one)', () => {
  const e = new m.Engine();
  for (const nothing of [null, undefined, 42]) {
    e.register('range', { open: () => nothing });
    assert.throws(() => e.sum('range', '1,5', 0, 0),
                  (x) => x instanceof TypeError && x.code === 'ERR_INVALID_RETURN_VALUE' && /Table/.test(x.message));
    assert.equal(m.openObjects(), 0);
  }
  e.close();
});

test('a required method missing: a TypeError naming it; an exception in close after another keeps the first', () => {
  const e = new m.Engine();
  e.register('range', { open: () => ({}) });  // a table without openCursor
  assert.throws(() => e.sum('range', '1,5', 0, 0),
                (x) => x instanceof TypeError && x.code === 'ERR_METHOD_MISSING' && /openCursor/.test(x.message));
  assert.equal(m.openObjects(), 0);
  const first = new Error('first');
  const { src, log } = failing('value', () => { throw first; });
  const open = src.open;
  src.open = (args) => {
    const t = open(args);
    t.close = () => { log.push('table.close'); throw new Error('second'); };
    return t;
  };
  e.register('range', src);
  assert.throws(() => e.sum('range', '1,5', 0, 0), (x) => x === first);
  assert.deepEqual(log, ['cursor.close', 'table.close'], 'close still ran (it releases), its own exception dropped');
  assert.equal(m.openObjects(), 0);
  e.close();
});

test('I10 the engine keeps the registered object; replacing and closing release it', async () => {
  const e = new m.Engine();
  let src = new Range();
  const weakSrc = new WeakRef(src);
  e.register('range', src);
  src = null;
  await collect();
  assert.equal(e.sum('range', '1,5', 0, 0), 10n, 'works after the test dropped its reference');
  assert.notEqual(weakSrc.deref(), undefined);
  let other = new Range();
  const weakOther = new WeakRef(other);
  e.register('range', other);
  other = null;
  await collect();
  assert.equal(weakSrc.deref(), undefined, 'replacing released the first source');
  assert.notEqual(weakOther.deref(), undefined);
  e.close();
  await collect();
  assert.equal(weakOther.deref(), undefined, 'closing the engine released the second');
});

test('I11 a Plan kept from inside plan is closed once the method returns', () => {
  const e = new m.Engine();
  let kept;
  const src = new Range();
  const open = src.open.bind(src);
  src.open = (args) => {
    const t = open(args);
    t.plan = (p) => {
      kept = p;
      assert.equal(p.minKey(), 0n, 'usable during the call');
      p.useMinKey(1);
    };
    return t;
  };
  e.register('range', src);
  assert.equal(e.sum('range', '1,5', 0, 0), 10n);
  assert.ok(kept instanceof m.Plan);
  assert.equal(kept.closed, true);
  assert.throws(() => kept.minKey(), (x) => x.code === 'ERR_USE_AFTER_CLOSE');
  assert.throws(() => kept.setCost(1), (x) => x.code === 'ERR_USE_AFTER_CLOSE');
  e.close();
});

test('I12 2000 sums with fresh tables and cursors: every one released', async () => {
  await collect();
  const base = made;
  const e = new m.Engine();
  e.register('range', new Range());
  for (let i = 0; i < 2000; i++) assert.equal(e.sum('range', '1,5', 0, 0), 10n);
  assert.equal(m.openObjects(), 0);
  e.close();
  await collect();
  assert.equal(made, base, 'no table or cursor is still reachable');
});

test('I13 a helper written in bindery.yaml is an Engine method like the library\'s own', () => {
  const e = new m.Engine();
  let table;
  e.register('range', { open: (args) => (table = new Range().open(args)) });
  assert.equal(e.sumAll('range', '1,5'), 10n);
  assert.equal(table.cursors[0].minKey, INT64_MIN);
  e.close();
});

test('E1 registering null or undefined is a TypeError before C is called', () => {
  const e = new m.Engine();
  assert.throws(() => e.register('x', null), TypeError);
  assert.throws(() => e.register('x', undefined), TypeError);
  assert.throws(() => e.sum('x', '', 0, 0), (x) => x instanceof m.InterfacesError && x.code === 2);
  e.close();
});

test('E2 an unknown source is the library\'s error', () => {
  const e = new m.Engine();
  assert.throws(() => e.sum('nothing', '', 0, 0),
                (x) => x instanceof m.InterfacesError && x.code === m.INTERFACES_NOT_FOUND && x.message === 'no such source');
  e.close();
});

test('E3 register and sum after close: the closed-object error', () => {
  const e = new m.Engine();
  e.close();
  assert.throws(() => e.register('range', new Range()), (x) => x.code === 'ERR_USE_AFTER_CLOSE');
  assert.throws(() => e.sum('range', '1,5', 0, 0), (x) => x.code === 'ERR_USE_AFTER_CLOSE');
});

test('a method cannot close the engine that is calling it (ERR_BUSY comes out of sum)', () => {
  const e = new m.Engine();
  const { src } = failing('next', () => e.close());
  e.register('range', src);
  assert.throws(() => e.sum('range', '1,5', 0, 0), (x) => x.code === 'ERR_BUSY');
  assert.equal(e.closed, false);
  assert.equal(m.openObjects(), 0);
  e.close();
});

test('methods are called on their object (this), whatever kind of object it is', () => {
  const e = new m.Engine();
  function Source() {}
  Source.prototype.open = function (args) {
    assert.ok(this instanceof Source);
    return new Range().open(args);
  };
  e.register('proto', new Source());
  assert.equal(e.sum('proto', '2,4', 0, 0), 5n);
  // A function object with an `open` property is an object too.
  const fn = Object.assign(() => 0, { open: (args) => new Range().open(args) });
  e.register('fn', fn);
  assert.equal(e.sum('fn', '2,4', 0, 0), 5n);
  // A primitive has no methods: a TypeError from sum.
  e.register('num', 42);
  assert.throws(() => e.sum('num', '2,4', 0, 0), (x) => x.code === 'ERR_METHOD_MISSING');
  e.close();
});

test('each method is read once per object, on its first call (replacing it later is not seen)', () => {
  const e = new m.Engine();
  const src = new Range();
  let calls = 0;
  src.open = function (args) { calls++; return Range.prototype.open.call(this, args); };
  e.register('range', src);
  assert.equal(e.sum('range', '1,5', 0, 0), 10n);
  src.open = () => { throw new Error('not read'); };
  assert.equal(e.sum('range', '1,5', 0, 0), 10n);
  assert.equal(calls, 2, 'the method read on the first call');
  e.register('range', src);  // a new registration reads the object afresh
  assert.throws(() => e.sum('range', '1,5', 0, 0), /not read/);
  e.close();
});
