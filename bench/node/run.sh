#!/bin/bash
# Node binding benchmark (not a test): bench/node/run.sh [path/to/bindery] [work dir] [--callgrind]
# Builds benchlib four ways — the generated addon, a hand-written C Node-API addon (floor.c), a
# node-addon-api addon (addon_api.cpp) and koffi over libbenchlib.so — and prints a table of median
# ns per call; with --callgrind, also instructions per call counted by callgrind (callgrind.sh).
# koffi and node-addon-api come from tools/node (pinned in its package-lock, installed by
# scripts/setup with npm ci): nothing is downloaded here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bindery=${1:-$here/../../build/src/bindery}
work=${2:-$here/../../build/bench-node}
modules=${BENCH_NODE_MODULES:-$here/../../tools/node/node_modules}
mkdir -p "$work"
work=$(cd "$work" && pwd)
inc=$(dirname "$(command -v node)")/../include/node
cc -O2 -fPIC -shared -o "$work/libbenchlib.so" "$here/benchlib.c"
cc -O2 -fPIC -shared -I"$inc" -I"$here" -o "$work/floor.node" "$here/floor.c" "$here/benchlib.c"
cc -O2 -fPIC -shared -I"$inc" -o "$work/marks.node" "$here/marks.c"
if [[ -f "$modules/node-addon-api/napi.h" ]]; then
  cc -O2 -fPIC -c -o "$work/benchlib.o" "$here/benchlib.c"
  c++ -std=c++17 -O2 -fPIC -shared -DNAPI_DISABLE_CPP_EXCEPTIONS -DNAPI_VERSION=8 -I"$inc" \
    -I"$modules/node-addon-api" -I"$here" -o "$work/addon_api.node" "$here/addon_api.cpp" "$work/benchlib.o"
fi
"$bindery" generate --target node --out "$work/generated" -c "$here/bindery.yaml"
node "$work/generated/build.js"
export BENCH_WORK="$work" BENCH_NODE_MODULES="$modules"
node --expose-gc "$here/bench.js"
if [[ "${3:-}" == "--callgrind" ]]; then
  "$here/callgrind.sh" "$work"
fi
