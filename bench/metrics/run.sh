#!/bin/sh
# The metrics benchmark: builds the wheel, the gem and the npm package from the C++ headers with
# bindery and each ecosystem's own tool (as a user installs them), then runs bench.{py,rb,js} for
# native and pure, one call per value and in batches, one process per case, and prints the table.
#   bench/metrics/run.sh path/to/bindery [N]        (N values per run, default 10 million)
# BENCH_WORK=dir keeps the build; BENCH_LANGS="python ruby node" picks languages.
set -eu
bindery=$(realpath "$1")
n=${2:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
example=$(cd "$here/../../examples/metrics" && pwd)
work=${BENCH_WORK:-$(mktemp -d)}
langs=${BENCH_LANGS:-python ruby node}
mkdir -p "$work"
results=$work/results.jsonl
: >"$results"

run_cases() {  # run_cases COMMAND...: each impl and mode in its own process
  for impl in pure native; do
    for mode in one batch; do
      "$@" "$impl" "$mode" "$n" | tee -a "$results"
    done
  done
}

for lang in $langs; do
  case $lang in
    python)
      rm -rf "$work/py" "$work/dist" "$work/venv"
      "$bindery" generate --target python --out "$work/py" -c "$example/bindery.yaml"
      python3 -m pip wheel -q --no-build-isolation --no-deps -w "$work/dist" "$work/py"
      python3 -m venv "$work/venv"
      "$work/venv/bin/python" -m pip install -q --no-index --no-deps "$work"/dist/metrics-*.whl
      PYTHONPATH=$example/python run_cases "$work/venv/bin/python" "$here/bench.py"
      ;;
    ruby)
      rm -rf "$work/rb" "$work/gems"
      "$bindery" generate --target ruby --out "$work/rb" -c "$example/bindery.yaml"
      (cd "$work/rb" && gem build metrics.gemspec >/dev/null &&
        gem install --local --no-document --install-dir "$work/gems" metrics-*.gem >/dev/null)
      GEM_HOME=$work/gems GEM_PATH=$work/gems RUBYLIB=$example/ruby run_cases ruby "$here/bench.rb"
      ;;
    node)
      rm -rf "$work/nd" "$work/app" && mkdir -p "$work/app"
      "$bindery" generate --target node --out "$work/nd" -c "$example/bindery.yaml"
      rm -rf "$work/nd/build"
      tarball=$(cd "$work/nd" && npm pack --silent --pack-destination "$work")
      (cd "$work/app" && echo '{"name": "bench", "version": "1.0.0", "private": true}' >package.json &&
        npm install --offline --no-audit --no-fund --loglevel=error "$work/$tarball")
      NODE_PATH=$work/app/node_modules run_cases node "$here/bench.js"
      ;;
  esac
done
echo
python3 "$here/table.py" "$results"
