#!/bin/sh
# The generated package as a user gets it: `npm pack`, then `npm install ./<tgz>` offline into a
# fresh app (its install script builds the addon from what the tarball carries), then it loads and
# works. The tarball must not name the source tree: no absolute path into it may reach build.js.
#   test_package.sh BINDERY_EXE CONFIG SOURCE_TREE WORK_DIR SCRIPT
set -eu
bindery=$1 config=$2 tree=$3 work=$4 script=$5
rm -rf "$work" && mkdir -p "$work/app" "$work/unpacked"
"$bindery" generate --target node --out "$work/pkg" -c "$config"
rm -rf "$work/pkg/build"
tarball=$(cd "$work/pkg" && npm pack --silent --pack-destination "$work")
tar -xzf "$work/$tarball" -C "$work/unpacked"
if grep -rl "$tree" "$work/unpacked"; then
  echo "FAIL: the files above name the source tree $tree" >&2
  exit 1
fi
cd "$work/app"
echo '{"name": "app", "version": "1.0.0", "private": true}' >package.json
npm install --offline --no-audit --no-fund --silent "$work/$tarball"
node -e "$script"
echo "packed, installed offline and loaded: $tarball"
