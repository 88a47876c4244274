#!/bin/sh
# Packaging test: the generated gem directory builds with `gem build`, installs offline with
# `gem install --local` (mkmf compiles the extension and the library's sources), and loads.
# The gem must be relocatable: with SOURCE_DIR given, no file of the packed gem may name it (the
# library's sources and headers are copied in, under ext/<library>/vendor/).
#   gem_install.sh GEM_DIR LIBRARY RUBY_EXPRESSION WORK_DIR [SOURCE_DIR]
set -eu
gem_dir=$1 library=$2 check=$3 work=$4 source_dir=${5:-}
rm -rf "$work" && mkdir -p "$work"
cp -r "$gem_dir" "$work/src"
rm -f "$work/src/lib/"*.so  # the CMake-built extension must not stand in for the gem's own build
cd "$work/src"
gem build "$library.gemspec" >/dev/null
if [ -n "$source_dir" ]; then
  mkdir "$work/unpacked" && tar -xOf "$library-0.1.0.gem" data.tar.gz | tar -xzf - -C "$work/unpacked"
  if grep -rl "$source_dir" "$work/unpacked"; then
    echo "gem $library: the files above name $source_dir: not relocatable" >&2
    exit 1
  fi
fi
gem install --local --no-document --install-dir "$work/home" "$library-0.1.0.gem" >/dev/null
GEM_HOME="$work/home" GEM_PATH="$work/home" ruby -e "require '$library'; $check or abort('check failed')"
echo "gem $library: built, installed offline, loaded"
