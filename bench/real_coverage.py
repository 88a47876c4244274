#!/usr/bin/env python3
"""Coverage of the real-library sidecars (tests/fixtures/{sqlite3,zlib}/bindery.yaml).

Counts from `bindery ir` the way issue 2 defines the target: bound functions over the library's
non-variadic, non-deprecated functions (deprecated = marked `deprecated:`, bound or skipped).
Prints one line per library, then every skip reason with its count.

Usage: bench/real_coverage.py [path/to/bindery] (default: build-real-release/src/bindery, else
build-real/src/bindery).
"""
import collections
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def bindery_binary() -> str:
    if len(sys.argv) > 1:
        return sys.argv[1]
    for build in ("build-real-release", "build-real"):
        candidate = ROOT / build / "src" / "bindery"
        if candidate.exists():
            return str(candidate)
    sys.exit("no bindery binary: build one (see docs/real-libraries.md) or pass its path")


def is_deprecated_skip(reason: str) -> bool:
    return "deprecated" in reason


def main() -> None:
    binary = bindery_binary()
    for library in ("sqlite3", "zlib"):
        yaml = ROOT / "tests" / "fixtures" / library / "bindery.yaml"
        module = json.loads(subprocess.run([binary, "ir", "-c", str(yaml)], check=True,
                                           capture_output=True, text=True).stdout)
        functions, unbound = module["functions"], module["unbound"]
        total = len(functions) + len(unbound)
        variadic = [u for u in unbound if u["reason"].startswith("variadic")]
        deprecated_bound = [f for f in functions if f.get("deprecated")]
        deprecated_skipped = [u for u in unbound if is_deprecated_skip(u["reason"])]
        needs = [u for u in unbound if u.get("kind") == "needs_annotation"]
        eligible = total - len(variadic) - len(deprecated_bound) - len(deprecated_skipped)
        bound = len(functions) - len(deprecated_bound)
        print(f"{library}: {total} functions, {len(functions)} bound, {len(unbound)} skipped "
              f"({len(variadic)} variadic, {len(deprecated_bound) + len(deprecated_skipped)} deprecated), "
              f"{len(needs)} need annotation; target measure: {bound}/{eligible} = {100.0 * bound / eligible:.1f} %")
        reasons = collections.Counter(u["reason"] for u in unbound)
        for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
            names = sorted(u["c_name"] for u in unbound if u["reason"] == reason)
            print(f"  {count:3}  {reason}\n       {', '.join(names)}")


if __name__ == "__main__":
    main()
