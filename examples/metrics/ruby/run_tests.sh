#!/bin/sh
# The metrics gem end to end, as a user gets it: bindery writes the gem from the C++ headers,
# `gem build` packs it, `gem install --local` builds the extension (mkmf) offline into a private
# GEM_HOME, `rbs validate` checks its signatures, then minitest runs test_metrics.rb against it.
#   run_tests.sh BINDERY_EXE WORK_DIR [relocatable]
# With `relocatable`, the example copy and the generated tree are deleted before installing: the
# package must then carry everything it builds from, as on a user's machine.
set -eu
bindery=$1 work=$2 relocatable=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work/example"
cp -r "$here/../bindery.yaml" "$here/../include" "$here/../src" "$work/example/"
"$bindery" generate --target ruby --out "$work/metrics-ruby" -c "$work/example/bindery.yaml"
cd "$work/metrics-ruby"
rm -f lib/*.so lib/*/*.so
gem build metrics.gemspec >/dev/null
mv metrics-*.gem "$work/"
cd "$work"
if [ -n "$relocatable" ]; then rm -rf "$work/example" "$work/metrics-ruby"; fi
gem install --local --no-document --install-dir "$work/home" "$work"/metrics-*.gem
if ruby -e "require 'rbs'" 2>/dev/null; then
  ruby "$here/../../../tests/ruby/rbs_validate.rb" "$work/home/gems/$(ls "$work/home/gems" | grep '^metrics-')/sig"
fi
# The private GEM_HOME first; the system's gems (Debian's minitest) stay on the path after it.
GEM_HOME="$work/home" GEM_PATH="$work/home:$(ruby -e 'print Gem.path.join(":")')" ruby -I"$here" "$here/test_metrics.rb"
