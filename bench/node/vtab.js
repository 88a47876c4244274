// Virtual-table benchmark: SQLite reading a table implemented in JavaScript (the sqlite3 fixture's
// generated package: `series(1, N)`, `select sum(value)`), per row, against
//   - js loop: the same JS cursor methods called from a JavaScript loop (what the rows cost in JS
//     alone: the floor for any binding),
//   - real table: SQLite summing an ordinary table of the same N integers (no JavaScript).
// Usage: node --expose-gc bench/node/vtab.js <sqlite3 package dir> [rows] [repeats]
'use strict';
const s = require(require('node:path').resolve(process.argv[2]));
const N = Number(process.argv[3] || 100000);
const REPEATS = Number(process.argv[4] || 7);
const ROW = 100;

class Cursor {
  constructor(table) { this.table = table; }
  filter() { this.value = this.table.start; }
  next() { this.value++; }
  eof() { return this.value > this.table.stop; }
  column(ctx) { ctx.resultInt64(this.value); }
  rowid() { return this.value; }
}
const series = {
  create(db, args) { return this.connect(db, args); },
  connect(db, args) {
    db.declareVtab('create table x(value integer)');
    const [start, stop] = args.slice(3).map(Number);
    return { start, stop, open() { return new Cursor(this); } };
  },
};

const db = s.Database.open(':memory:');
db.createModule('series', series);
db.exec(`create virtual table v using series(1, ${N})`);
db.exec('create table t(x integer)');
db.exec(`with recursive c(i) as (select 1 union all select i + 1 from c where i < ${N}) insert into t select i from c`);

function sum(sql) {
  const q = db.prepareV2(sql);
  if (q.step() !== ROW) throw new Error('no row');
  const total = q.columnInt64(0);
  q.close();
  return total;
}

// The same methods from JavaScript, with a context that keeps the value like resultInt64 does.
function jsLoop() {
  const ctx = { v: 0n, resultInt64(x) { this.v = BigInt(x); } };
  const c = series.connect({ declareVtab() {} }, ['series', 'main', 'v', '1', String(N)]).open();
  let total = 0n;
  for (c.filter(); !c.eof(); c.next()) {
    c.column(ctx, 0);
    total += ctx.v;
  }
  return total;
}

const cases = {
  'virtual table (generated)': () => sum('select sum(value) from v'),
  'js loop (same methods)': jsLoop,
  'real table (no JS)': () => sum('select sum(x) from t'),
};
const expected = BigInt(N) * BigInt(N + 1) / 2n;
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < REPEATS; r++) {
  for (const [name, fn] of Object.entries(cases)) {
    global.gc();
    const t0 = process.hrtime.bigint();
    const total = fn();
    const ns = Number(process.hrtime.bigint() - t0);
    if (BigInt(total) !== expected) throw new Error(`${name}: ${total} != ${expected}`);
    times[name].push(ns / N);
  }
}
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const best = Math.min(...Object.values(times).map(median));
console.log(`| case (${N} rows, median of ${REPEATS}) | ns per row | ratio |`);
console.log('|---|---:|---:|');
for (const [name, t] of Object.entries(times))
  console.log(`| ${name} | ${median(t).toFixed(1)} | ${(median(t) / best).toFixed(2)}x |`);
db.close();
