// Prints the cases (BENCH_ONLY=regex filters them) and the bindings that load, tab-separated, one
// pair a line: what callgrind.sh measures.
'use strict';
const { available, caseNames } = require('./bindings.js');

const only = new RegExp(process.env.BENCH_ONLY || '.');
const bindings = available();
for (const name of caseNames.filter((n) => only.test(n))) for (const b of bindings) console.log(`${name}\t${b}`);
