# Shared by scripts/setup, scripts/test and scripts/examples (sourced, not run).
# Expects ROOT to be the repository root.

say() { echo "bindery: $*" >&2; }
die() { say "error: $*"; exit 1; }

# quietly CMD...: runs CMD with its output kept aside, shown only when it fails.
quietly() {
  local log rc=0
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    cat "$log" >&2
    say "failed ($rc): $*"
  fi
  rm -f "$log"
  return $rc
}

# The Python every script and the build use: the project's .venv when setup made one (Debian's
# externally managed python3), else python3 from PATH (pyenv's on our machines).
bindery_python() {
  if [[ -x "$ROOT/.venv/bin/python3" ]]; then
    echo "$ROOT/.venv/bin/python3"
  else
    command -v python3 || die "python3 not found"
  fi
}

# Put the chosen Python first on PATH so CMake's FindPython and the test runners agree with it.
activate_python() {
  if [[ -x "$ROOT/.venv/bin/python3" ]]; then
    export PATH="$ROOT/.venv/bin:$PATH"
  fi
}

# configure_and_build DIR [cmake args...]: configure once with Ninja (re-running cmake on an
# existing tree only applies changed options), then build with every core.
configure_and_build() {
  local dir="$1"
  shift
  local py
  py="$(bindery_python)"
  # Both spellings: FindPython and FindPython3 each read their own variable.
  cmake -S "$ROOT" -B "$dir" -G Ninja --no-warn-unused-cli \
    -DPython_EXECUTABLE="$py" -DPython3_EXECUTABLE="$py" "$@" >/dev/null \
    || die "cmake configure failed in $dir"
  cmake --build "$dir" -j "$(nproc)" || die "build failed in $dir"
}
