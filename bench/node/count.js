// Instructions per call under callgrind (run by callgrind.sh): for every case and binding, after a
// warm-up, one measured loop between marks.start() and marks.stop(), which callgrind dumps as one
// profile (--zero-before/--dump-before on the markers). The order of the dumps is printed to stdout
// so callgrind.sh can name them. An empty loop is measured first: its cost is subtracted.
'use strict';
const path = require('node:path');
const { load, loopFor } = require('./bindings.js');

const marks = require(path.join(process.env.BENCH_WORK, 'marks.node'));
const N = Number(process.env.BENCH_CALLS || 20000);
const cases = load();
// BENCH_ONLY=regex: only the cases whose name matches (a quicker look at one case).
const only = new RegExp(process.env.BENCH_ONLY || '.');
const names = Object.keys(cases.generated).filter((n) => only.test(n));

function run(fn) {
  const loop = loopFor();
  for (let w = 0; w < 5; w++) loop(fn, N);  // warm up: the JIT compiles the loop and the call
  marks.start();
  loop(fn, N);
  marks.stop();
}

const order = [];
run(() => {});
order.push('empty loop\t-');
for (const name of names) {
  for (const b of Object.keys(cases)) {
    run(cases[b][name]);
    order.push(`${name}\t${b}`);
  }
}
console.log(order.join('\n'));
