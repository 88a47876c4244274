'use strict';
// SQLite bound from the system's sqlite3.h (tests/fixtures/sqlite3), driven from JavaScript:
// a database, prepared statements with bindings and columns, errors with the library's message.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const s = require(process.env.BINDERY_NODE_PKG);
const ROW = 100;
const DONE = 101;

test('open, create, insert with bindings, select the rows back', () => {
  const db = s.Database.open(':memory:');
  db.exec('create table t(a integer, b text, c real, d blob)');
  const ins = db.prepareV2('insert into t values(?, ?, ?, ?)');
  for (const [a, b] of [[1, 'one'], [2, 'two, ünïcode']]) {
    ins.bindInt(1, a);
    ins.bindText(2, b);
    ins.bindDouble(3, a / 4);
    ins.bindBlob(4, Buffer.from([a, 0, 255]));
    assert.equal(ins.step(), DONE);
    ins.reset();
  }
  assert.equal(db.changes(), 1);
  assert.equal(db.totalChanges(), 2);
  const q = db.prepareV2('select a, b, c, d from t order by a');
  assert.equal(q.columnCount(), 4);
  assert.equal(q.columnName(1), 'b');
  const rows = [];
  while (q.step() === ROW)
    rows.push([q.columnInt(0), q.columnText(1), q.columnDouble(2), [...q.columnBlob(3)]]);
  assert.deepEqual(rows, [[1, 'one', 0.25, [1, 0, 255]], [2, 'two, ünïcode', 0.5, [2, 0, 255]]]);
  q.close();
  ins.close();
  db.close();
  assert.equal(db.closed, true);
});

test('errors carry the code and sqlite3_errmsg', () => {
  const db = s.Database.open(':memory:');
  assert.throws(() => db.exec('nonsense'), (e) => e instanceof s.Sqlite3Error && e.code === 1 &&
    /syntax error/.test(e.message));
  assert.throws(() => db.prepareV2('select * from missing'), /no such table/);
  db.close();
});

test('a bind index out of range is a RangeError that is also the library error', () => {
  // stmt_rc's kinds: SQLITE_RANGE (25) is an out_of_range error.
  const db = s.Database.open(':memory:');
  const st = db.prepareV2('select ?1');
  assert.throws(() => st.bindInt(5, 1), (e) => e instanceof RangeError && e instanceof s.Sqlite3Error &&
    e.code === 25 && /out of range/.test(e.message));
  st.bindInt(1, 1);
  st.close();
  db.close();
});

test('a statement keeps its database: closing the database first is deferred', () => {
  const db = s.Database.open(':memory:');
  const q = db.prepareV2('select 42');
  db.close();
  assert.equal(q.step(), ROW);
  assert.equal(q.columnInt(0), 42);
  q.close();
});

// ---- …Async variants (blocking: true): the libuv pool, a Promise, handles busy meanwhile -------

// A recursive CTE slow enough (tens of milliseconds or more) for the JS thread to run timers.
const SLOW = 'with recursive c(x) as (select 1 union all select x + 1 from c where x < 1500000) select count(*) from c';

test('stepAsync resolves on the pool while a JS timer keeps running', async () => {
  const db = s.Database.open(':memory:');
  const q = db.prepareV2(SLOW);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const pending = q.stepAsync();
  assert.ok(pending instanceof Promise);
  assert.equal(await pending, ROW);
  clearInterval(timer);
  assert.ok(ticks > 0, 'the JS thread ran timers while the statement stepped');
  assert.equal(q.columnInt(0), 1500000);
  assert.equal(await q.stepAsync(), DONE);
  q.close();
  db.close();
});

test('a busy statement refuses close() and synchronous calls; its serialized database does not', async () => {
  const db = s.Database.open(':memory:');
  const q = db.prepareV2(SLOW);
  const pending = q.stepAsync();
  assert.throws(() => q.close(), (e) => e.code === 'ERR_BUSY' && /Statement\.close: .*pending/.test(e.message));
  assert.equal(q.closed, false);
  assert.throws(() => q.columnInt(0), (e) => e.code === 'ERR_BUSY' && /Statement\.columnInt: .*busy/.test(e.message));
  await assert.rejects(q.stepAsync(), (e) => e.code === 'ERR_BUSY');  // affine: one call at a time
  assert.equal(db.totalChanges(), 0);   // thread: serialized — SQLite's own mutex makes this safe
  db.close();                            // deferred: the statement still holds it
  assert.equal(await pending, ROW);
  assert.equal(q.columnInt(0), 1500000);
  q.close();                             // now the database goes too
  assert.equal(q.closed, true);
});

test('failures reject with the library error; argument errors reject too', async () => {
  const db = s.Database.open(':memory:');
  await assert.rejects(db.execAsync('nonsense'),
    (e) => e instanceof s.Sqlite3Error && e.code === 1 && /syntax error/.test(e.message));
  await db.execAsync('create table t(a unique)');
  await db.execAsync('insert into t values (1)');
  const ins = db.prepareV2('insert into t values (1)');
  await assert.rejects(ins.stepAsync(),
    (e) => e instanceof s.Sqlite3Error && (e.code & 0xff) === 19 && /UNIQUE constraint failed/.test(e.message));
  ins.close();
  await assert.rejects(db.execAsync(42), (e) => e instanceof TypeError && /execAsync/.test(e.message));
  await assert.rejects(db.execAsync(), (e) => e.code === 'ERR_INVALID_ARG_COUNT');
  db.close();
  await assert.rejects(db.execAsync('select 1'), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
});

test('text arguments are copied: the SQL outlives the call that passed it', async () => {
  const db = s.Database.open(':memory:');
  const jobs = [];
  const columns = Array.from({ length: 100 }, (_, j) => `c${j} int`).join(', ');  // longer than the stack buffer
  for (let i = 0; i < 8; i++) jobs.push(db.execAsync(`create table t${i}(${columns})`));
  await Promise.all(jobs);
  const q = db.prepareV2("select count(*) from sqlite_master where type = 'table'");
  q.step();
  assert.equal(q.columnInt(0), 8);
  q.close();
  db.close();
});

test('a module-level blocking function has its …Async too', async () => {
  const t0 = Date.now();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  assert.equal(typeof (await s.sleepAsync(30)), 'number');
  clearInterval(timer);
  assert.ok(Date.now() - t0 >= 25);
  assert.ok(ticks > 0);
});

// ---- UTF-16 text (SQLite's *16 functions) and a nullable callback argument ------------------------

test('the *16 functions take and give JS strings as UTF-16', () => {
  const db = s.Database.open16(':memory:');
  db.exec('create table t(a text)');
  const ins = db.prepare16V2('insert into t values (?1)');
  ins.bindText16(1, 'grüß 😀 日本');
  assert.equal(ins.step(), DONE);
  ins.close();
  const q = db.prepare16V2('select a as "näme" from t');
  assert.equal(q.step(), ROW);
  assert.equal(q.columnText16(0), 'grüß 😀 日本');
  assert.equal(q.columnName16(0), 'näme');
  q.close();
  assert.throws(() => db.prepare16V2('selekt'), /syntax error/);
  assert.match(db.errmsg16(), /syntax error/);
  assert.equal(s.complete16('select 1;'), 1);
  assert.equal(s.complete16('select'), 0);
  db.close();
});

test('set_authorizer: names the library passes as NULL arrive as null; SQLITE_DENY refuses', () => {
  const db = s.Database.open(':memory:');
  db.exec('create table t(a)');
  const calls = [];
  db.setAuthorizer((action, a, b, c, d) => {
    calls.push([action, a, b, c, d]);
    return action === 18 /* SQLITE_INSERT */ ? 1 /* SQLITE_DENY */ : 0;
  });
  db.exec('select a from t');
  assert.ok(calls.some(([action, a, b, c, d]) => action === 20 /* SQLITE_READ */ && a === 't' && b === 'a' &&
    c === 'main' && d === null));
  assert.ok(calls.some(([action, a, b]) => action === 21 /* SQLITE_SELECT */ && a === null && b === null));
  assert.throws(() => db.exec('insert into t values (1)'), (e) => e instanceof s.Sqlite3Error && /not authorized/.test(e.message));
  db.setAuthorizer(null);
  db.exec('insert into t values (1)');
  db.close();
});

// ---- callbacks kept by the connection (scope owner) -------------------------------------------

test('H1 a commit hook runs on each commit; non-zero turns the commit into a rollback', () => {
  const db = s.Database.open(':memory:');
  db.exec('create table t(a)');
  let commits = 0;
  db.commitHook(() => (++commits === 2 ? 1 : 0));
  db.exec('insert into t values (1)');
  assert.throws(() => db.exec('insert into t values (2)'), (e) => e instanceof s.Sqlite3Error && (e.code & 0xff) === 19);
  assert.equal(commits, 2);
  db.commitHook(null);
  const q = db.prepareV2('select count(*) from t');
  q.step();
  assert.equal(q.columnInt(0), 1);
  q.close();
  db.close();
});

test('H4 hooks replaced, cleared or left on a closed connection are released (collectable)', async () => {
  const db = s.Database.open(':memory:');
  const refs = [];
  const track = (fn) => { refs.push(new WeakRef(fn)); return fn; };
  (() => db.commitHook(track(() => 0)))();
  (() => db.commitHook(track(() => 0)))();     // replaces (releases) the first
  (() => db.updateHook(track(() => {})))();
  db.updateHook(null);                          // clears (releases) it
  (() => db.busyHandler(track(() => 0)))();    // released by close()
  db.close();
  for (let i = 0; i < 10 && refs.some((r) => r.deref() !== undefined); i++) {
    await new Promise(setImmediate);
    global.gc();
  }
  assert.deepEqual(refs.map((r) => r.deref() === undefined), [true, true, true, true]);
});

test('collation_needed: the callback gets the connection, lent for the callback only', () => {
  const db = s.Database.open(':memory:');
  db.exec("create table t(x text); insert into t values ('b'), ('A')");
  const seen = [];
  let kept = null;
  db.collationNeeded((conn, rep, name) => {
    assert.ok(conn instanceof s.Database);
    assert.notEqual(conn, db);                 // a borrowed object over the same connection
    assert.equal(conn.totalChanges(), 2);      // usable during the callback
    assert.equal(conn.closed, false);
    seen.push([name, rep]);
    kept = conn;
  });
  assert.throws(() => db.exec('select x from t order by x collate backwards'),
    (e) => e instanceof s.Sqlite3Error && /no such collation sequence: backwards/.test(e.message));
  assert.deepEqual(seen, [['backwards', 1]]); // SQLITE_UTF8
  // After the callback returned, the lent object reads as closed and is refused: it never reaches
  // the connection.
  assert.equal(kept.closed, true);
  assert.throws(() => kept.totalChanges(), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
  kept.close();                                // a no-op: the lent object owned nothing
  assert.equal(db.totalChanges(), 2);          // the real connection is untouched
  db.collationNeeded(null);
  assert.throws(() => db.exec('select x from t order by x collate backwards'), s.Sqlite3Error);
  assert.equal(seen.length, 1);
  db.close();
});

test('collation_needed: closing the lent connection inside the callback destroys nothing', () => {
  const db = s.Database.open(':memory:');
  db.exec("create table t(x text); insert into t values ('a')");
  db.collationNeeded((conn) => {
    conn.close();
    assert.equal(conn.closed, true);
    assert.throws(() => conn.totalChanges(), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
  });
  assert.throws(() => db.exec('select x from t order by x collate other'), s.Sqlite3Error);
  assert.equal(db.totalChanges(), 1);
  db.close();
});

test('wal_hook: the lent connection, the schema name and the page count; …Async on it is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-wal-'));
  const db = s.Database.open(path.join(dir, 'w.db'));
  try {
    db.exec('pragma journal_mode=wal');
    const calls = [];
    const promises = [];
    db.walHook((conn, schema, pages) => {
      calls.push([schema, pages > 0, conn.totalChanges()]);
      promises.push(conn.execAsync('select 1'));  // the pool thread would outlive the loan
      return 0;
    });
    db.exec('create table t(a)');
    db.exec('insert into t values (1)');
    assert.deepEqual(calls, [['main', true, 0], ['main', true, 1]]);
    assert.equal(promises.length, 2);
    for (const p of promises) await assert.rejects(p, (e) => e.code === 'ERR_LENT');
    // A throwing hook: the exception surfaces from the call that committed, the loan still ends.
    let lent = null;
    db.walHook((conn) => {
      lent = conn;
      throw new Error('from the hook');
    });
    assert.throws(() => db.exec('insert into t values (2)'), /from the hook/);
    assert.throws(() => lent.totalChanges(), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
    db.walHook(null);
    db.exec('insert into t values (3)');
    assert.equal(calls.length, 2);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a hook cannot close the statement whose step runs it; closing the connection is deferred', () => {
  const db = s.Database.open(':memory:');
  db.exec('create table t(a)');
  const ins = db.prepareV2('insert into t values (1)');
  const errors = [];
  db.commitHook(() => {
    for (const o of [ins, db]) {
      try {
        o.close();
      } catch (e) {
        errors.push(e.code);
      }
    }
    return 0;
  });
  assert.equal(ins.step(), DONE);
  assert.deepEqual(errors, ['ERR_BUSY']);     // the statement is in use; the connection waits for it
  assert.equal(db.closed, true);
  assert.equal(ins.closed, false);
  ins.reset();                                // the C connection lives until its last statement goes
  ins.close();
});

// The collation's arguments are the library's memory for the call only: text or bytes, they arrive
// as copies (a string, or a Buffer of the UTF-8 bytes where the sidecar says bytes).
const reversed = (x) => [...x].reverse().join('');
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function sorted(db, sql) {
  const q = db.prepareV2(sql);
  const rows = [];
  while (q.step() === ROW) rows.push(q.columnText(0));
  q.close();
  return rows;
}

test('create_collation: a JS comparison (reversed strings) orders a query; arguments are strings', () => {
  const db = s.Database.open(':memory:');
  db.exec("create table t(x text); insert into t values ('ab'), ('ba'), ('ca'), ('zzb'), ('é')");
  const kept = [];
  db.createCollation('rev', (a, b) => {
    kept.push(a, b);
    return cmp(reversed(a), reversed(b));
  });
  assert.deepEqual(sorted(db, 'select x from t order by x collate rev'), ['ba', 'ca', 'ab', 'zzb', 'é']);
  // UTF-8 text exactly as long as SQLite's byte lengths (not NUL-terminated), decoded to strings.
  assert.ok(kept.length > 0);
  for (const k of kept) {
    assert.equal(typeof k, 'string');
    assert.ok(['ab', 'ba', 'ca', 'zzb', 'é'].includes(k), `kept ${k}`);
  }
  db.close();
});

test('create_collation_v2: case-folded; an exception in the comparison surfaces from the query', () => {
  const db = s.Database.open(':memory:');
  db.exec("create table t(x text); insert into t values ('b'), ('A'), ('c'), ('B')");
  db.createCollationV2('fold', (a, b) => cmp(a.toLowerCase(), b.toLowerCase()) || cmp(a, b));
  assert.deepEqual(sorted(db, 'select x from t order by x collate fold'), ['A', 'B', 'b', 'c']);
  db.createCollationV2('fold', () => { throw new TypeError('no comparing'); });  // replaces (releases) the first
  assert.throws(() => sorted(db, 'select x from t order by x collate fold'), TypeError);
  db.close();
});

test('create_collation16: UTF-16 arguments as JS strings', () => {
  const db = s.Database.open(':memory:');
  db.exec("create table t(x text); insert into t values ('grüß'), ('😀a'), ('b')");
  const seen = new Set();
  db.createCollation16('rev16', (a, b) => {
    seen.add(a);
    seen.add(b);
    return cmp(reversed(a), reversed(b));
  });
  assert.deepEqual(sorted(db, 'select x from t order by x collate rev16'), ['😀a', 'b', 'grüß']);
  for (const v of seen) assert.equal(typeof v, 'string');
  assert.ok(seen.has('😀a') && seen.has('grüß'));
  db.close();
});

test('collation_needed16: the name as UTF-16; the lent connection registers the collation', () => {
  const db = s.Database.open(':memory:');
  db.exec("create table t(x text); insert into t values ('b'), ('a'), ('c')");
  const names = [];
  db.collationNeeded16((conn, rep, name) => {
    names.push(name);
    conn.createCollation(name, (a, b) => cmp(b, a));  // descending
  });
  assert.deepEqual(sorted(db, 'select x from t order by x collate desc_ü'), ['c', 'b', 'a']);
  assert.deepEqual(names, ['desc_ü']);
  assert.deepEqual(sorted(db, 'select x from t order by x collate desc_ü'), ['c', 'b', 'a']);
  assert.equal(names.length, 1);  // registered now: not needed again
  db.close();
});

test('Filename: db_filename of a URI connection, its URI parameters read from the very pointer', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-uri-'));
  const file = path.join(dir, 'u.db');
  try {
    const setup = s.Database.open(file);
    setup.exec('create table t(a)');
    setup.close();
    const db = s.Database.openV2(`file:${file}?mode=ro&x=1`, s.OpenFlags.READONLY | s.OpenFlags.URI);
    const f = db.dbFilename();
    assert.ok(f instanceof s.Filename);
    assert.equal(f.database(), file);
    assert.equal(f.journal(), `${file}-journal`);
    assert.equal(f.wal(), `${file}-wal`);
    assert.equal(f.uriParameter('mode'), 'ro');
    assert.equal(f.uriParameter('x'), '1');
    assert.equal(f.uriParameter('missing'), null);
    assert.equal(f.uriBoolean('x', 0), true);
    assert.equal(f.uriBoolean('missing', 1), true);
    assert.equal(Number(f.uriInt64('x', 7)), 1);
    assert.equal(Number(f.uriInt64('missing', 7)), 7);
    assert.deepEqual([f.uriKey(0), f.uriKey(1), f.uriKey(2)], ['mode', 'x', null]);
    f.close();                                 // borrowed: destroys nothing
    assert.equal(db.dbFilename().uriParameter('x'), '1');
    const g = db.dbFilename();
    db.close();                                // the Filename dies with its connection
    assert.throws(() => g.uriParameter('x'), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
    assert.equal(s.Database.open(':memory:').dbFilename()?.database() ?? '', '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('S3 SQL NULL: column text is null, a blob is empty; S6 a keyword of exactly its length', () => {
  const db = s.Database.open(':memory:');
  const q = db.prepareV2('select null, null');
  assert.equal(q.step(), ROW);
  assert.equal(q.columnText(0), null);
  assert.equal(q.columnBlob(1).length, 0);
  q.close();
  db.close();
  assert.ok(s.keywordCount() > 100);
  const kw = s.keywordName(0);
  assert.equal(typeof kw, 'string');
  assert.match(kw, /^[A-Z]+$/);
});

test('a same_thread blocking function has no …Async: a mutex is left by the thread that entered it', () => {
  assert.equal(typeof s.Statement.prototype.stepAsync, 'function');
  assert.equal(typeof s.Mutex.prototype.enter, 'function');
  assert.equal(s.Mutex.prototype.enterAsync, undefined);
});

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise(setImmediate);
  }
}

test('create_function_v2: a scalar SQL function in JS; its Context and Values are lent for the call', () => {
  const db = s.Database.open(':memory:');
  let kept;
  db.createFunctionV2('twice', 1, (ctx, args) => {
    assert.ok(ctx instanceof s.Context);
    assert.ok(Array.isArray(args) && args.length === 1 && args[0] instanceof s.Value);
    kept = [ctx, args];
    ctx.resultInt64(args[0].int64() * 2n);
  });
  const q = db.prepareV2('select twice(21), twice(x) from (select 5 as x union all select 7)');
  const rows = [];
  while (q.step() === ROW) rows.push([q.columnInt64(0), q.columnInt64(1)]);
  q.close();
  assert.deepEqual(rows, [[42n, 10n], [42n, 14n]]);
  // Kept after its call: closed, refused, never a read of SQLite's freed values.
  assert.equal(kept[0].closed, true);
  assert.equal(kept[1][0].closed, true);
  assert.throws(() => kept[0].resultInt64(1), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
  assert.throws(() => kept[1][0].int64(), (e) => e.code === 'ERR_USE_AFTER_CLOSE');
  db.close();
});

test('create_function_v2: an exception thrown inside reaches the caller of step / exec', () => {
  const db = s.Database.open(':memory:');
  class Inside extends Error {}
  db.createFunctionV2('boom', 0, () => { throw new Inside('boom'); });
  assert.throws(() => db.exec('select boom()'), Inside);
  const q = db.prepareV2('select boom()');
  assert.throws(() => q.step(), Inside);
  q.close();
  db.close();
});

test('create_function_v2: the function is released when replaced, removed, and when the connection closes', async () => {
  const db = s.Database.open(':memory:');
  const refs = {};
  const define = (name, label) => {
    const f = (ctx) => ctx.resultInt64(label.length);
    refs[label] = new WeakRef(f);
    db.createFunctionV2(name, 0, f);
  };
  define('f', 'first');
  define('f', 'second');     // replaces first
  define('g', 'third');
  await collect();
  assert.equal(refs.first.deref(), undefined, 'replaced');
  assert.notEqual(refs.second.deref(), undefined, 'kept while registered');
  db.createFunctionV2('f', 0, null);  // removes second
  await collect();
  assert.equal(refs.second.deref(), undefined, 'removed');
  assert.notEqual(refs.third.deref(), undefined);
  const q = db.prepareV2('select g()');
  assert.equal(q.step(), ROW);
  assert.equal(q.columnInt64(0), 5n);
  q.close();
  db.close();
  await collect();
  assert.equal(refs.third.deref(), undefined, 'released with the connection');
});

test('create_function / create_function16: any arity (-1), a UTF-16 name; a refused registration throws', () => {
  const db = s.Database.open(':memory:');
  db.createFunction('total', -1, (ctx, args) => ctx.resultInt64(args.reduce((t, v) => t + v.int64(), 0n)));
  db.createFunction16('dóble', 1, (ctx, args) => ctx.resultInt64(args[0].int64() * 2n));
  const q = db.prepareV2('select total(), total(1, 2, 3), dóble(21)');
  assert.equal(q.step(), ROW);
  assert.deepEqual([q.columnInt64(0), q.columnInt64(1), q.columnInt64(2)], [0n, 6n, 42n]);
  q.close();
  // nArg out of range: SQLite refuses (SQLITE_MISUSE) and the binding reports it.
  assert.throws(() => db.createFunctionV2('bad', 1000, () => {}), s.Sqlite3Error);
  db.close();
});

test('no leak over many SQL function calls: lent Contexts and Values are released after each', () => {
  const db = s.Database.open(':memory:');
  db.createFunctionV2('inc', 1, (ctx, args) => ctx.resultInt64(args[0].int64() + 1n));
  const q = db.prepareV2('select inc(?1)');
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 150000; i++) {
    q.bindInt64(1, i);
    assert.equal(q.step(), ROW);
    assert.equal(q.columnInt64(0), BigInt(i + 1));
    q.reset();
  }
  global.gc();
  const grown = process.memoryUsage().rss - rss0;
  // ASan's quarantine keeps freed memory: RSS is not measured there (as in test_hostile.js).
  if (!process.env.BINDERY_SANITIZED)
    assert.ok(grown < 16 * 1024 * 1024, `rss grew by ${grown} bytes over 150 000 calls (a slot kept per lent object: ~40 MB)`);
  q.close();
  db.close();
});

test('callback arguments spelled sqlite3_int64 are BigInt, small values too (the update hook rowid)', () => {
  // The frontend keeps a function-pointer argument's typedef spelling (sqlite3_int64), which is what
  // the BigInt rule reads (ADR node-64-bit-integers): a rowid of 7 arrives as 7n, not 7.
  const db = s.Database.open(':memory:');
  db.exec('create table t(id integer primary key)');
  const seen = [];
  db.updateHook((op, dbName, table, rowid) => { seen.push(rowid); });
  db.exec('insert into t(id) values (7); delete from t where id = 7');
  assert.deepEqual(seen, [7n, 7n]);
  assert.equal(typeof seen[0], 'bigint');
  db.updateHook(null);
  db.close();
});

test('64-bit integers are BigInt both ways, exact beyond 2^53 (ADR node-64-bit-integers)', () => {
  const db = s.Database.open(':memory:');
  db.exec('create table t(id integer primary key, v integer)');
  let seen;
  db.updateHook((op, dbName, table, rowid) => { seen = rowid; });
  const ins = db.prepareV2('insert into t(id, v) values (?1, ?2)');
  const big = 2n ** 53n + 1n;  // 9007199254740993: a Number would read 9007199254740992
  ins.bindInt64(1, big);
  ins.bindInt64(2, -(2n ** 63n));
  assert.equal(ins.step(), DONE);
  ins.close();
  assert.equal(db.lastInsertRowid(), big);
  assert.equal(seen, big, 'the update hook gets the rowid as a BigInt');
  assert.equal(db.changes64(), 1n);
  const q = db.prepareV2('select id, v, 7 from t');
  assert.equal(q.step(), ROW);
  assert.equal(q.columnInt64(0), big);
  assert.equal(q.columnInt64(1), -(2n ** 63n));
  assert.equal(typeof q.columnInt64(2), 'bigint', 'small values too: the type never changes at 2^53');
  const v = q.columnValue(0);
  assert.equal(v.int64(), big);
  v.close();
  q.close();
  // Inputs take a safe Number or a BigInt; an inexact Number is refused, not rounded.
  const r = db.prepareV2('select ?1');
  r.bindInt64(1, 42);
  assert.equal(r.step(), ROW);
  assert.equal(r.columnInt64(0), 42n);
  assert.throws(() => r.bindInt64(1, 2 ** 60), RangeError);
  assert.throws(() => r.bindInt64(1, 2n ** 63n), RangeError);
  r.close();
  db.close();
});

test('column_value is an owned copy (sqlite3_value_dup): it outlives step, reset and finalize', () => {
  const db = s.Database.open(':memory:');
  const q = db.prepareV2("select 'kept', 12");
  assert.equal(q.step(), ROW);
  const text = q.columnValue(0);
  const num = q.columnValue(1);
  q.close();  // the statement's own values are gone; the copies are not
  assert.ok(text instanceof s.Value);
  assert.equal(text.text(), 'kept');
  assert.equal(num.int64(), 12n);
  text.close();
  num.close();
  assert.throws(() => num.int64(), { code: 'ERR_USE_AFTER_CLOSE' });
  db.close();
});

test('close_strict: SQLITE_BUSY while a statement is open leaves the connection usable; then it closes', () => {
  const db = s.Database.open(':memory:');
  const q = db.prepareV2('select 1');
  assert.throws(() => db.closeStrict(), (e) => e instanceof s.Sqlite3Error && e.code === 5);  // SQLITE_BUSY
  assert.equal(db.closed, false);
  assert.equal(q.step(), ROW, 'the connection and its statement still work');
  q.close();
  db.exec('create table t(x)');
  assert.equal(db.closeStrict(), undefined);
  assert.equal(db.closed, true);
  assert.throws(() => db.exec('select 1'), { code: 'ERR_USE_AFTER_CLOSE' });
  db.close();  // nothing freed twice
});

test('deserialize: bytes copied into sqlite3_malloc64 memory the connection owns', () => {
  const src = s.Database.open(':memory:');
  src.exec("create table t(x); insert into t values ('one'), ('two')");
  const image = src.serialize('main');
  src.close();
  assert.ok(Buffer.isBuffer(image) && image.length > 0);
  const db = s.Database.open(':memory:');
  db.deserialize('main', image);
  image.fill(0);  // the connection has its own copy
  const q = db.prepareV2('select group_concat(x) from t');
  assert.equal(q.step(), ROW);
  assert.equal(q.columnText(0), 'one,two');
  q.close();
  db.exec("insert into t values ('three')");  // RESIZEABLE: the image may grow
  assert.throws(() => db.deserialize('nosuchschema', Buffer.from('x')), s.Sqlite3Error);  // freed by SQLite
  assert.throws(() => db.deserialize('main', 'not bytes'), TypeError);
  db.close();
});

test('host values: bind_pointer/result_pointer carry JS values to value_pointer; auxdata caches per statement', async () => {
  const db = s.Database.open(':memory:');
  const seen = [];
  db.createFunctionV2('peek', 1, (ctx, args) => { seen.push(args[0].pointer()); ctx.resultInt64(1n); });
  let obj = { name: 'carried' };
  const weak = new WeakRef(obj);
  const q = db.prepareV2('select peek(?1), peek(42)');
  q.bindPointer(1, obj);
  assert.equal(q.step(), ROW);
  assert.equal(seen[0], obj, 'the very object bound');
  assert.equal(seen[1], null, 'an integer is no pointer');
  obj = null;
  seen.length = 0;
  await collect();
  assert.notEqual(weak.deref(), undefined, 'kept while bound');
  q.close();  // finalize: SQLite releases the bound pointer
  await collect();
  assert.equal(weak.deref(), undefined, 'released when the statement is finalized');

  const made = ['made'];
  db.createFunctionV2('make', 0, (ctx) => ctx.resultPointer(made));
  seen.length = 0;
  const r = db.prepareV2('select peek(make())');
  assert.equal(r.step(), ROW);
  r.close();
  assert.equal(seen[0], made, 'a result_pointer value reaches value_pointer in another function');

  let compiled = 0;
  db.createFunctionV2('matches', 2, (ctx, args) => {
    let re = ctx.getAuxdata(0);
    if (re === null) {
      re = new RegExp(args[0].text());
      compiled++;
      ctx.setAuxdata(0, re);
    }
    ctx.resultInt64(re.test(args[1].text()) ? 1n : 0n);
  });
  const m = db.prepareV2("select matches('^a', x) from (select 'ab' as x union all select 'ba' union all select 'ac')");
  const rows = [];
  while (m.step() === ROW) rows.push(m.columnInt64(0));
  m.close();
  assert.deepEqual(rows, [1n, 0n, 1n]);
  assert.equal(compiled, 1, 'the RegExp was compiled once and found again through get_auxdata');
  assert.throws(() => db.prepareV2('select 1').bindPointer(1, null), TypeError);
  db.close();
});

test('variants: db_config options and file_control ops as typed methods', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-node-variants-'));
  const db = s.Database.open(path.join(dir, 'v.db'));
  assert.equal(db.configEnableFkey(-1), 0, 'query: foreign keys off by default');
  assert.equal(db.configEnableFkey(1), 1);
  db.exec('create table p(id integer primary key); create table c(p integer references p(id))');
  assert.throws(() => db.exec('insert into c values (7)'), (e) => e instanceof s.Sqlite3Error && /FOREIGN KEY/.test(e.message));
  assert.equal(db.configEnableFkey(0), 0);
  db.exec('insert into c values (7)');  // no longer enforced
  assert.equal(db.configDefensive(-1), 0);
  assert.equal(db.configTrustedSchema(-1), 1);
  assert.throws(() => db.configEnableFkey('on'), TypeError);

  assert.equal(db.fileControlPersistWal('main', 1), 1, 'SQLITE_FCNTL_PERSIST_WAL set, then read back');
  assert.equal(db.fileControlPersistWal('main', -1), 1);
  assert.equal(db.fileControlHasMoved(), 0);
  const before = db.fileControlDataVersion('main');
  assert.equal(typeof before, 'number');
  assert.throws(() => db.fileControlHasMoved('nosuchschema'), s.Sqlite3Error);
  for (const name of ['dbConfig', 'fileControl'])
    assert.equal(s.Database.prototype[name], undefined, `only the variants of sqlite3_${name} are bound`);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a JS SQL function reached by stepAsync on the pool is not called there: the promise rejects', async () => {
  const db = s.Database.open(':memory:');
  let calls = 0;
  db.createFunctionV2('twice', 1, (ctx, args) => { calls++; ctx.resultInt64(args[0].int64() * 2n); });
  const q = db.prepareV2('select twice(21)');
  await assert.rejects(q.stepAsync(), (e) => e.code === 'ERR_CALLBACK_ON_POOL');
  assert.equal(calls, 0, 'JavaScript never ran on the pool thread');
  q.reset();
  assert.equal(q.step(), ROW, 'the synchronous step calls it');
  assert.equal(q.columnInt64(0), 42n);
  assert.equal(calls, 1);
  q.close();
  db.close();
});

test('a failed open destroys the half-open connection (valid_on_error): memory stays flat', () => {
  const before = s.memoryUsed();
  for (let i = 0; i < 200; i++) {
    assert.throws(() => s.Database.openV2('/nonexistent-dir/x.db', s.OpenFlags.READONLY),
                  (e) => e instanceof s.Sqlite3Error && e.code === 14);  // SQLITE_CANTOPEN, message read first
  }
  assert.ok(s.memoryUsed() - before < 10000n, `sqlite3_memory_used grew by ${s.memoryUsed() - before}`);
});

// ---- virtual tables: a module implemented in JavaScript (interfaces: sqlite3_module) -------------

// `series(start, stop)`: the integers start..stop in column `value`. Its tables and cursors are
// counted while open (connect/open … disconnect/close) and while reachable (FinalizationRegistry).
const vtabLive = { tables: 0, cursors: 0, reachable: 0 };
const vtabGone = new FinalizationRegistry(() => { vtabLive.reachable--; });
function vtabTrack(o) {
  vtabLive.reachable++;
  vtabGone.register(o, null);
  return o;
}

class Series {
  constructor(Cursor = SeriesCursor) {
    this.calls = [];
    this.Cursor = Cursor;
  }
  create(db, args) {
    return this.connect(db, args);
  }
  connect(db, args) {
    // args: the module's name, the database's, the table's, then those written after USING series(…)
    this.calls.push(args);
    assert.ok(db instanceof s.Database, 'the connection is lent to connect');
    db.declareVtab('create table x(value integer)');
    const [start, stop] = args.slice(3).map(Number);
    vtabLive.tables++;
    return vtabTrack(new SeriesTable(start, stop, this.Cursor));
  }
}

class SeriesTable {
  constructor(start, stop, Cursor) {
    Object.assign(this, { start, stop, Cursor });
  }
  bestIndex(info) {
    info.setEstimatedCost(this.stop - this.start + 1);
  }
  open() {
    vtabLive.cursors++;
    return vtabTrack(new this.Cursor(this));
  }
  disconnect() {
    vtabLive.tables--;
  }
  destroy() {
    vtabLive.tables--;
  }
}

class SeriesCursor {
  constructor(table) {
    this.table = table;
  }
  filter(idxNum, idxStr, args) {
    this.value = this.table.start;
  }
  next() {
    this.value++;
  }
  eof() {
    return this.value > this.table.stop;
  }
  column(ctx, i) {
    ctx.resultInt64(this.value);
  }
  rowid() {
    return this.value;
  }
  close() {
    vtabLive.cursors--;
  }
}

function scalar(db, sql) {
  const q = db.prepareV2(sql);
  try {
    assert.equal(q.step(), ROW);
    return q.columnInt64(0);
  } finally {
    q.close();
  }
}

test('virtual table: series(1, 10) implemented in JS; sum(value) through filter/next/eof/column', () => {
  const db = s.Database.open(':memory:');
  const series = new Series();
  db.createModule('series', series);
  db.exec('create virtual table s using series(1, 10)');
  assert.deepEqual(series.calls, [['series', 'main', 's', '1', '10']], 'create got the arguments as strings');
  assert.equal(scalar(db, 'select sum(value) from s'), 55n);
  assert.equal(scalar(db, 'select count(*) from s where value > 7'), 3n);
  assert.equal(scalar(db, 'select max(rowid) from s'), 10n);
  assert.equal(vtabLive.cursors, 0, 'every cursor closed');
  db.close();
  assert.equal(vtabLive.tables, 0, 'closing the database disconnected the table');
});

test('virtual table: a method that throws — the very exception comes out of step; SQLite saw the message', () => {
  const db = s.Database.open(':memory:');
  const boom = new RangeError('column exploded');
  db.createModule('series', new Series(class extends SeriesCursor {
    column() { throw boom; }
  }));
  db.exec('create virtual table s using series(1, 3)');
  const q = db.prepareV2('select value from s');
  assert.throws(() => q.step(), (e) => e === boom);
  assert.match(db.errmsg(), /column exploded/, 'the message went to SQLite through zErrMsg');
  q.close();
  assert.equal(vtabLive.cursors, 0, 'the cursor was closed after the exception');
  // create failing: its message through *pzErr, the exception out of exec
  const bad = new TypeError('bad arguments');
  db.createModule('broken', { create() { throw bad; }, connect() { throw bad; } });
  assert.throws(() => db.exec('create virtual table b using broken(x)'), (e) => e === bad);
  assert.match(db.errmsg(), /bad arguments/);
  db.close();
  assert.equal(vtabLive.tables, 0);
});

test('virtual table: closing the database releases the module, its tables and cursors', async () => {
  await collect();
  const base = vtabLive.reachable;
  let db = s.Database.open(':memory:');
  let series = new Series();
  const weakModule = new WeakRef(series);
  db.createModule('series', series);
  series = null;
  db.exec('create virtual table s using series(1, 100)');
  for (let i = 0; i < 50; i++) assert.equal(scalar(db, 'select sum(value) from s'), 5050n);
  await collect();
  assert.notEqual(weakModule.deref(), undefined, 'the database keeps its module');
  db.close();
  db = null;
  await collect();
  assert.equal(weakModule.deref(), undefined, 'released with the database');
  assert.equal(vtabLive.reachable, base, 'no table or cursor is still reachable');
  assert.equal(vtabLive.tables, 0);
});

test('virtual table: stepAsync cannot run JavaScript methods on the pool (rejected, not a crash)', async () => {
  const db = s.Database.open(':memory:');
  db.createModule('series', new Series());
  db.exec('create virtual table s using series(1, 3)');
  const q = db.prepareV2('select sum(value) from s');
  await assert.rejects(q.stepAsync(), (e) => /libuv pool/.test(e.message));
  q.close();
  assert.equal(scalar(db, 'select sum(value) from s'), 6n, 'the synchronous step works');
  db.close();
  assert.equal(vtabLive.tables, 0);
});

test('virtual table: registering a module again, and drop_modules, release the modules they replace', async () => {
  const db = s.Database.open(':memory:');
  let first = new Series();
  let second = new Series();
  const weakFirst = new WeakRef(first);
  const weakSecond = new WeakRef(second);
  db.createModule('series', first);
  db.createModule('series', second);
  first = second = null;
  await collect();
  assert.equal(weakFirst.deref(), undefined, 'replaced: released');
  assert.notEqual(weakSecond.deref(), undefined);
  db.dropModules();
  await collect();
  assert.equal(weakSecond.deref(), undefined, 'dropped: released');
  assert.throws(() => db.exec('create virtual table s using series(1, 2)'), /no such module/);
  assert.throws(() => db.createModule('series', null), TypeError);
  db.close();
});

// ---- aggregate and window functions in JavaScript (interfaces: window) ----------------------------

// `mysum(x)`: one object per group, made by the factory; value/inverse make it a window function.
let windowAlive = 0;
const windowGone = new FinalizationRegistry(() => { windowAlive--; });
class MySum {
  constructor() {
    this.total = 0n;
    windowAlive++;
    windowGone.register(this, null);
  }
  step(ctx, values) {
    assert.ok(ctx instanceof s.Context && values[0] instanceof s.Value, 'the Context and the Values are lent');
    this.total += values[0].int64();
  }
  inverse(ctx, values) {
    this.total -= values[0].int64();
  }
  value(ctx) {
    ctx.resultInt64(this.total);
  }
  final(ctx) {
    ctx.resultInt64(this.total);
  }
}

function column(db, sql) {
  const q = db.prepareV2(sql);
  const out = [];
  try {
    while (q.step() === ROW) out.push(q.columnInt64(0));
  } finally {
    q.close();
  }
  return out;
}

test('window function: an aggregate per group and a sliding window, one JS object per group, all released', async () => {
  await collect();
  const base = windowAlive;
  const db = s.Database.open(':memory:');
  db.exec("create table t(g text, x integer); insert into t values ('a', 1), ('b', 5), ('a', 2), ('b', 7), ('c', 4)");
  let made = 0;
  db.createWindowFunction('mysum', 1, () => { made++; return new MySum(); });
  assert.deepEqual(column(db, 'select mysum(x) from t group by g order by g'), [3n, 12n, 4n]);
  assert.equal(made, 3, 'one object per group');
  assert.deepEqual(column(db, 'select mysum(x) over (order by x rows between 1 preceding and current row) from t'),
                   [1n, 3n, 6n, 9n, 12n], 'value and inverse over a sliding window');
  assert.deepEqual(column(db, 'select mysum(x) from t where 0'), [0n], 'no rows: final on a fresh object');
  await collect();
  assert.equal(windowAlive, base, 'every group\'s object released after its final');
  db.close();
});

test('window function: step throws — the very exception out of step, the message in SQLite; objects released', async () => {
  await collect();
  const base = windowAlive;
  const db = s.Database.open(':memory:');
  db.exec('create table t(x integer); insert into t values (1), (-2), (3)');
  const negative = new RangeError('negative');
  db.createWindowFunction('checked', 1, () => Object.assign(new MySum(), {
    step(ctx, values) {
      if (values[0].int64() < 0n) throw negative;
      this.total += values[0].int64();
    },
  }));
  const q = db.prepareV2('select checked(x) from t');
  assert.throws(() => q.step(), (e) => e === negative);
  assert.match(db.errmsg(), /negative/);
  q.close();
  // the factory throwing, or making nothing
  const broken = new Error('no object');
  db.createWindowFunction('broken', 1, () => { throw broken; });
  assert.throws(() => column(db, 'select broken(x) from t'), (e) => e === broken);
  db.createWindowFunction('empty', 1, () => null);
  assert.throws(() => column(db, 'select empty(x) from t'), (e) => e.code === 'ERR_INVALID_RETURN_VALUE');
  await collect();
  assert.equal(windowAlive, base);
  db.close();
});

test('window function: the factory is kept by the connection and released when it closes', async () => {
  let db = s.Database.open(':memory:');
  let factory = () => new MySum();
  const weak = new WeakRef(factory);
  db.createWindowFunction('mysum', 1, factory);
  factory = null;
  await collect();
  assert.deepEqual(column(db, 'select mysum(7)'), [7n]);
  db.close();
  db = null;
  await collect();
  assert.equal(weak.deref(), undefined);
});

test('virtual table: a connection never closed at exit — teardown frees its tables without running JavaScript', () => {
  const { spawnSync } = require('node:child_process');
  const script = `
    const s = require(${JSON.stringify(process.env.BINDERY_NODE_PKG)});
    const db = s.Database.open(':memory:');
    const table = { open() { return {}; }, disconnect() { process.stdout.write('disconnect ran at teardown'); } };
    db.createModule('m', { create(d) { d.declareVtab('create table x(v)'); return table; }, connect() { return table; } });
    db.exec('create virtual table t using m');
    globalThis.keep = db;`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '', 'no JavaScript ran while the environment was torn down');
});
