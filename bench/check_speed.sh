#!/usr/bin/env bash
# Times `bindery check` on SQLite's and zlib's headers with their sidecars (tests/fixtures/*/),
# using a Release build in build-real-release/ (configured and built here if needed, backends off).
# Uses hyperfine when installed (apt-get install hyperfine), else a loop of /usr/bin/time.
#
#   bench/check_speed.sh [RUNS]        # default 20 runs per library
#   NO_HYPERFINE=1 bench/check_speed.sh  # force the /usr/bin/time loop
#   BINDERY_RELEASE_BUILD=DIR          # use another Release build directory
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BINDERY_RELEASE_BUILD:-$root/build-real-release}
runs=${1:-20}

if [[ ! -x $build/src/bindery ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DBINDERY_BACKENDS="" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" -j2 bindery >/dev/null
bindery=$build/src/bindery

for library in sqlite3 zlib; do
  yaml=$root/tests/fixtures/$library/bindery.yaml
  "$bindery" check -q -c "$yaml" | grep "^$library:"
  if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
    hyperfine --warmup 3 --runs "$runs" --style basic -N "$bindery check -q -c $yaml" 2>&1 | grep -E "Time|Range"
  else
    # Mean wall time over the runs, from /usr/bin/time's elapsed seconds.
    for _ in $(seq "$runs"); do
      { /usr/bin/time -f %e "$bindery" check -q -c "$yaml" >/dev/null; } 2>&1
    done | awk -v n="$runs" '{ total += $1 } END { printf "  mean %.3f s over %d runs\n", total / n, n }'
  fi
done
