// Reads the dumps written by callgrind.sh (one per measured loop, in the order count.js printed)
// and prints instructions per call, minus the empty loop, with the ratio to the fewest per case.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [dir, callsArg] = process.argv.slice(2);
const calls = Number(callsArg);
const order = fs.readFileSync(path.join(dir, 'order.txt'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
const dumps = fs.readdirSync(dir).filter((f) => /^cg\.out\.\d+$/.test(f))
  .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
if (dumps.length < order.length) throw new Error(`expected ${order.length} dumps, found ${dumps.length}`);
const totals = dumps.slice(0, order.length).map((f) => {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  const m = text.match(/^(?:totals|summary): (\d+)/m);
  return Number(m[1]);
});

const empty = totals[0] / calls;
const table = {};
const bindings = [];
order.forEach(([name, binding], i) => {
  if (i === 0) return;
  (table[name] ??= {})[binding] = totals[i] / calls - empty;
  if (!bindings.includes(binding)) bindings.push(binding);
});
console.log(`instructions per call (callgrind, ${calls} calls per loop after warm-up, empty loop ` +
            `${empty.toFixed(0)} subtracted; ratio to the fewest)\n`);
console.log(`| case | ${bindings.join(' | ')} |`);
console.log(`|---|${bindings.map(() => '---:').join('|')}|`);
for (const [name, row] of Object.entries(table)) {
  const best = Math.min(...bindings.map((b) => row[b]));
  console.log(`| ${name} | ${bindings.map((b) => `${row[b].toFixed(0)} (${(row[b] / best).toFixed(2)}x)`).join(' | ')} |`);
}
