// tests/fixtures/functions/SPEC.md, from JavaScript (run with --expose-gc): functions registered by
// name (SQLite's create_function_v2 shape). The callback finds its user data through the call
// (user_data_from) and gets its arguments as a plain array of objects lent for the call only.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fx = require(process.env.BINDERY_NODE_PKG);

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
}

const sum = (call, args) => call.setResult(args.reduce((s, a) => s + a.value(), 0n));

test('F1 a registered function gets one Call and an array of Args, and sets the result', () => {
  const r = fx.Registry.new();
  const seen = [];
  assert.equal(r.define('sum', (call, args) => {
    seen.push([call, args]);
    sum(call, args);
  }), 0);
  assert.equal(r.call('sum', [1, 2, 39]), 42n);
  assert.equal(seen.length, 1);
  const [call, args] = seen[0];
  assert.ok(call instanceof fx.Call);
  assert.ok(Array.isArray(args));
  assert.equal(args.length, 3);
  for (const a of args) assert.ok(a instanceof fx.Arg);
  r.close();
});

test('F2 no arguments is an empty array; an unknown name is -1', () => {
  const r = fx.Registry.new();
  let got;
  r.define('sum', (call, args) => { got = args; sum(call, args); });
  assert.equal(r.call('sum', []), 0n);
  assert.deepEqual(got, []);
  assert.equal(r.call('nope', [1]), -1n);
  r.close();
});

test('F3 the closure state reaches the callback through the user data found with user_data_from', () => {
  const r = fx.Registry.new();
  const offset = 100n;
  r.define('sum', (call, args) => call.setResult(args.reduce((s, a) => s + a.value(), offset)));
  assert.equal(r.call('sum', [1]), 101n);
  r.close();
});

test('F4-F6 kept while registered, released when replaced or removed', async () => {
  const r = fx.Registry.new();
  const base = fx.liveRegistrations();
  let fRef, gRef;
  const reached = [];
  (() => {
    const f = (call, args) => { reached.push('f'); sum(call, args); };
    fRef = new WeakRef(f);
    r.define('sum', f);
  })();
  assert.equal(fx.liveRegistrations(), base + 1);
  await collect();
  assert.equal(r.call('sum', [1, 2, 39]), 42n, 'F4: f is kept alive by the registration');
  assert.deepEqual(reached, ['f']);
  (() => {
    const g = (call, args) => { reached.push('g'); sum(call, args); };
    gRef = new WeakRef(g);
    r.define('sum', g);
  })();
  await collect();
  assert.equal(fRef.deref(), undefined, 'F5: f released when replaced');
  assert.equal(r.call('sum', [2]), 2n);
  assert.deepEqual(reached, ['f', 'g']);
  assert.equal(fx.liveRegistrations(), base + 1);
  assert.equal(r.define('sum', null), 0);
  await collect();
  assert.equal(gRef.deref(), undefined, 'F6: g released when removed');
  assert.equal(r.call('sum', [1]), -1n);
  assert.equal(fx.liveRegistrations(), base);
  r.close();
});

test('F7 closing (or collecting) the registry releases its functions', async () => {
  const base = fx.liveRegistrations();
  let hRef, kRef;
  const r = fx.Registry.new();
  (() => {
    const h = () => {};
    hRef = new WeakRef(h);
    r.define('x', h);
  })();
  assert.equal(fx.liveRegistrations(), base + 1);
  r.close();
  assert.equal(fx.liveRegistrations(), base);
  await collect();
  assert.equal(hRef.deref(), undefined, 'h released by close()');
  (() => {
    const k = () => {};
    kRef = new WeakRef(k);
    fx.Registry.new().define('x', k);
  })();
  await collect();
  assert.equal(kRef.deref(), undefined, 'k released when its registry was collected');
  assert.equal(fx.liveRegistrations(), base);
});

test('F8 a Call or Arg kept after its call is closed: it throws, never reads freed memory', () => {
  const r = fx.Registry.new();
  let keptCall, keptArgs, inside;
  r.define('sum', (call, args) => {
    keptCall = call;
    keptArgs = args;
    inside = [call.closed, args.map((a) => a.closed)];
    sum(call, args);
  });
  assert.equal(r.call('sum', [5, 6]), 11n);
  assert.deepEqual(inside, [false, [false, false]]);
  assert.equal(keptCall.closed, true);
  assert.ok(Array.isArray(keptArgs) && keptArgs.length === 2, 'the array itself is the function\'s to keep');
  for (const a of keptArgs) assert.equal(a.closed, true);
  assert.throws(() => keptCall.setResult(1), { code: 'ERR_USE_AFTER_CLOSE' });
  assert.throws(() => keptArgs[0].value(), { code: 'ERR_USE_AFTER_CLOSE' });
  keptCall.close();  // closing an ended loan does nothing
  const first = keptArgs;
  assert.equal(r.call('sum', [1]), 1n, 'the next call lends fresh objects');
  assert.notEqual(keptArgs, first);
  assert.throws(() => first[1].value(), { code: 'ERR_USE_AFTER_CLOSE' }, 'an ended loan stays ended when its slot is reused');
  r.close();
});

test('a function cannot close the registry running it (ERR_BUSY); it may remove itself', () => {
  const r = fx.Registry.new();
  const errors = [];
  r.define('f', (call) => {
    try {
      r.close();
    } catch (e) {
      errors.push(e.code);
    }
    assert.equal(r.define('f', null), 0);  // its registration ends; this call still completes
    call.setResult(7);
  });
  assert.equal(r.call('f', []), 7n);
  assert.deepEqual(errors, ['ERR_BUSY']);
  assert.equal(r.closed, false);
  assert.equal(r.call('f', []), -1n);
  r.close();
  assert.equal(r.closed, true);
});

test('E1 an exception thrown by the function reaches the caller of call()', () => {
  const r = fx.Registry.new();
  class Boom extends Error {}
  r.define('sum', () => { throw new Boom('boom'); });
  assert.throws(() => r.call('sum', [1]), Boom);
  r.define('sum', sum);
  assert.equal(r.call('sum', [4]), 4n, 'the registry still works afterwards');
  r.close();
});

test('E2 a refused registration releases the function at once', async () => {
  const r = fx.Registry.new();
  const base = fx.liveRegistrations();
  let fRef;
  (() => {
    const f = () => {};
    fRef = new WeakRef(f);
    assert.equal(r.define('', f), -1);
  })();
  assert.equal(fx.liveRegistrations(), base);
  await collect();
  assert.equal(fRef.deref(), undefined);
  r.close();
});

test('E3 type errors before C is called', () => {
  const r = fx.Registry.new();
  const base = fx.liveRegistrations();
  assert.throws(() => r.define('sum', 42), TypeError);
  assert.throws(() => r.call('sum', null), TypeError);
  assert.equal(fx.liveRegistrations(), base);
  r.close();
});

test('no leak over many calls: lent objects and their slots are released after each call', async () => {
  const r = fx.Registry.new();
  let kept = null;
  r.define('sum', (call, args) => { kept = args; sum(call, args); });
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 100000; i++) assert.equal(r.call('sum', [i, 1, 2]), BigInt(i + 3));
  await collect();
  const grown = process.memoryUsage().rss - rss0;
  // ASan's quarantine keeps freed memory: RSS is not measured there (as in test_hostile.js).
  if (!process.env.BINDERY_SANITIZED)
    assert.ok(grown < 16 * 1024 * 1024, `rss grew by ${grown} bytes over 100 000 calls (a slot kept per lent object would be ~38 MB)`);
  assert.equal(kept[0].closed, true);
  r.close();
  assert.equal(fx.liveRegistrations(), 0);
});
