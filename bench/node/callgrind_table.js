// Reads the dumps written by callgrind.sh — for the n-th line of order.txt (case, binding), the
// process cg.<n>.out whose dump 1 is the empty loop and dump 2 the case — and prints instructions per
// call, minus that process's empty loop, with the ratio to the fewest per case.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [dir, callsArg] = process.argv.slice(2);
const calls = Number(callsArg);
const order = fs.readFileSync(path.join(dir, 'order.txt'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
const total = (file) => {
  const m = fs.readFileSync(path.join(dir, file), 'utf8').match(/^(?:totals|summary): (\d+)/m);
  if (!m) throw new Error(`no total in ${file}`);
  return Number(m[1]);
};

const table = {};
const bindings = [];
let emptyMax = 0;
order.forEach(([name, binding], i) => {
  const empty = total(`cg.${i + 1}.out.1`) / calls;
  emptyMax = Math.max(emptyMax, empty);
  (table[name] ??= {})[binding] = total(`cg.${i + 1}.out.2`) / calls - empty;
  if (!bindings.includes(binding)) bindings.push(binding);
});
console.log(`instructions per call (callgrind, a fresh process per case and binding, ${calls} calls per loop ` +
            `after warm-up, the empty loop (at most ${emptyMax.toFixed(0)}) subtracted; ratio to the fewest)\n`);
console.log(`| case | ${bindings.join(' | ')} |`);
console.log(`|---|${bindings.map(() => '---:').join('|')}|`);
for (const [name, row] of Object.entries(table)) {
  const best = Math.min(...bindings.map((b) => row[b]));
  console.log(`| ${name} | ${bindings.map((b) => `${row[b].toFixed(0)} (${(row[b] / best).toFixed(2)}x)`).join(' | ')} |`);
}
