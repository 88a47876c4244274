#!/bin/sh
# Packaging test: the generated gem directory builds with `gem build`, installs offline with
# `gem install --local` (mkmf compiles the extension and the library's sources), and loads.
#   gem_install.sh GEM_DIR LIBRARY RUBY_EXPRESSION WORK_DIR
set -eu
gem_dir=$1 library=$2 check=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
cp -r "$gem_dir" "$work/src"
rm -f "$work/src/lib/"*.so  # the CMake-built extension must not stand in for the gem's own build
cd "$work/src"
gem build "$library.gemspec" >/dev/null
gem install --local --no-document --install-dir "$work/home" "$library-0.1.0.gem" >/dev/null
GEM_HOME="$work/home" GEM_PATH="$work/home" ruby -e "require '$library'; $check or abort('check failed')"
echo "gem $library: built, installed offline, loaded"
