#!/usr/bin/env python3
"""Coverage of the real-library sidecars (tests/fixtures/{sqlite3,zlib}/bindery.yaml).

The figures are `bindery check`'s own (cli/coverage_report.cpp counts them: bound functions over the
library's non-variadic, non-deprecated functions, then over the ones the installed library exports);
this script prints them for both libraries and groups the skipped functions by reason.

Usage: bench/real_coverage.py [path/to/bindery] (default: build-real-release/src/bindery, else
build-real/src/bindery).
"""
import collections
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIPPED = re.compile(r"^skipped\s+(\S+)\s+\((.*)\)$")


def bindery_binary() -> str:
    if len(sys.argv) > 1:
        return sys.argv[1]
    for build in ("build-real-release", "build-real"):
        candidate = ROOT / build / "src" / "bindery"
        if candidate.exists():
            return str(candidate)
    sys.exit("no bindery binary: build one (see docs/real-libraries.md) or pass its path")


def main() -> None:
    binary = bindery_binary()
    for library in ("sqlite3", "zlib"):
        yaml = ROOT / "tests" / "fixtures" / library / "bindery.yaml"
        report = subprocess.run([binary, "check", "-c", str(yaml)], check=True, capture_output=True, text=True)
        lines = (report.stdout + report.stderr).splitlines()
        for line in lines:
            if line.startswith(f"{library}:"):
                print(line)
        reasons = collections.defaultdict(list)
        for line in lines:
            match = SKIPPED.match(line)
            if match:
                reasons[match.group(2)].append(match.group(1))
        for reason, names in sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0])):
            print(f"  {len(names):3}  {reason}\n       {', '.join(sorted(names))}")


if __name__ == "__main__":
    main()
