#!/bin/sh
# The shapes gem end to end: bindery writes the C layer and the gem from the C++ headers, `gem
# build` packs both, `gem install --local` builds them offline (mkmf: the C++ units with -std=c++20,
# linked with the C++ driver), `rbs validate` checks the signatures, minitest runs test_shapes.rb.
#   run_tests.sh BINDERY_EXE WORK_DIR
set -eu
bindery=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
"$bindery" generate --target ruby --out "$work/shapes-ruby" -c "$here/../bindery.yaml" 2>/dev/null
cd "$work/shapes-ruby"
gem build shapes.gemspec >/dev/null 2>&1
gem install --local --no-document --install-dir "$work/home" shapes-*.gem >/dev/null
cd "$work"
if ruby -e "require 'rbs'" 2>/dev/null; then
  ruby "$here/../../../tests/ruby/rbs_validate.rb" "$work/home/gems/$(ls "$work/home/gems" | grep '^shapes-')/sig"
fi
# The private GEM_HOME first; the system's gems (Debian's minitest) stay on the path after it.
GEM_HOME="$work/home" GEM_PATH="$work/home:$(ruby -e 'print Gem.path.join(":")')" ruby "$here/test_shapes.rb"
