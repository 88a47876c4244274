'use strict';
// SQLite bound from the system's sqlite3.h (tests/fixtures/sqlite3), driven from JavaScript:
// a database, prepared statements with bindings and columns, errors with the library's message.
const test = require('node:test');
const assert = require('node:assert/strict');

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
