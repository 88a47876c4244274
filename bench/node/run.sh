#!/bin/bash
# Node binding benchmark (not a test): bench/node/run.sh [path/to/bindery] [work dir]
# Builds benchlib as a shared library (for koffi), the generated addon, the hand-written floor
# addon, installs koffi (pinned in package.json) and prints a table of medians in ns per call.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bindery=${1:-$here/../../build/src/bindery}
work=${2:-$here/../../build/bench-node}
mkdir -p "$work"
inc=$(dirname "$(command -v node)")/../include/node
cc -O2 -fPIC -shared -o "$work/libbenchlib.so" "$here/benchlib.c"
cc -O2 -fPIC -shared -I"$inc" -I"$here" -o "$work/floor.node" "$here/floor.c" "$here/benchlib.c"
"$bindery" generate --target node --out "$work/generated" -c "$here/bindery.yaml"
node "$work/generated/build.js"
cp "$here/package.json" "$work/package.json"
(cd "$work" && npm install --no-audit --no-fund --silent >/dev/null)
BENCH_WORK="$work" node --expose-gc "$here/bench.js"
