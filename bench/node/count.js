// Instructions per call under callgrind (run by callgrind.sh, one process per case and binding):
// `count.js <case> <binding>` runs an empty loop, then the case, each after a warm-up, each
// between marks.start() and marks.stop(), which callgrind dumps as one profile (--zero-before /
// --dump-before on the markers). The empty loop's cost is subtracted by callgrind_table.js. A fresh
// process per case and binding: no other case's garbage or malloc state is billed to this one.
'use strict';
const path = require('node:path');
const { load, loopFor } = require('./bindings.js');

const marks = require(path.join(process.env.BENCH_WORK, 'marks.node'));
const N = Number(process.env.BENCH_CALLS || 20000);
const [name, binding] = process.argv.slice(2);
const fn = load(binding)[binding][name];

function run(f) {
  const loop = loopFor();
  for (let w = 0; w < 5; w++) loop(f, N);  // warm up: the JIT compiles the loop and the call
  marks.start();
  loop(f, N);
  marks.stop();
}

run(() => {});
run(fn);
