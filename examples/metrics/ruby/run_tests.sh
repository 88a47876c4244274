#!/bin/sh
# The metrics gem end to end, as a user gets it: bindery writes the gem from the C++ headers,
# `gem build` packs it, `gem install --local` builds the extension (mkmf) offline into a private
# GEM_HOME, `rbs validate` checks its signatures, then minitest runs test_metrics.rb against it.
#   run_tests.sh BINDERY_EXE WORK_DIR
set -eu
bindery=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
"$bindery" generate --target ruby --out "$work/metrics-ruby" -c "$here/../bindery.yaml"
cd "$work/metrics-ruby"
rm -f lib/*.so lib/*/*.so
gem build metrics.gemspec >/dev/null
gem install --local --no-document --install-dir "$work/home" metrics-*.gem
cd "$work"
if ruby -e "require 'rbs'" 2>/dev/null; then
  ruby "$here/../../../tests/ruby/rbs_validate.rb" "$work/home/gems/$(ls "$work/home/gems" | grep '^metrics-')/sig"
fi
# The private GEM_HOME first; the system's gems (Debian's minitest) stay on the path after it.
GEM_HOME="$work/home" GEM_PATH="$work/home:$(ruby -e 'print Gem.path.join(":")')" ruby -I"$here" "$here/test_metrics.rb"
