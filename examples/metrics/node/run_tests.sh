#!/bin/sh
# The metrics npm package end to end, as a user gets it: bindery writes the package from the C++
# headers, `npm pack` makes the tarball, `npm install ./metrics-0.1.0.tgz` (offline) builds the
# addon with the package's install script, `tsc --strict` checks a typed use against its .d.ts,
# then `node --test` runs test_metrics.js against the installed package.
#   run_tests.sh BINDERY_EXE WORK_DIR [relocatable]
# With `relocatable`, the example copy and the generated tree are deleted before installing: the
# package must then carry everything it builds from, as on a user's machine.
set -eu
bindery=$1 work=$2 relocatable=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/../../../tools/node/node_modules
rm -rf "$work" && mkdir -p "$work/app" "$work/example"
cp -r "$here/../bindery.yaml" "$here/../include" "$here/../src" "$work/example/"
"$bindery" generate --target node --out "$work/metrics-node" -c "$work/example/bindery.yaml"
rm -rf "$work/metrics-node/build"  # the package's own install script must build the addon
cd "$work/metrics-node"
tarball=$(npm pack --silent --pack-destination "$work")
cd "$work/app"
if [ -n "$relocatable" ]; then rm -rf "$work/example" "$work/metrics-node"; fi
echo '{"name": "metrics-app", "version": "1.0.0", "private": true}' >package.json
npm install --offline --no-audit --no-fund --loglevel=error "$work/$tarball"
if [ -x "$tools/.bin/tsc" ] && [ -d "$tools/@types/node" ]; then
  cp "$here/typed_use.ts" "$work/app/typed_use.ts"
  "$tools/.bin/tsc" --noEmit --strict --target es2022 --module commonjs \
    --typeRoots "$tools/@types" --types node "$work/app/typed_use.ts"
  echo "tsc --strict: typed_use.ts checks against the installed metrics/index.d.ts"
fi
NODE_PATH="$work/app/node_modules" node --test "$here/test_metrics.js"
