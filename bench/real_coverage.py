#!/usr/bin/env python3
"""Coverage of the real-library sidecars (tests/fixtures/{sqlite3,zlib}/bindery.yaml).

Counts from `bindery ir` the way issue 2 defines the target, and as `bindery check` does: bound
functions over the library's non-variadic, non-deprecated functions (the IR's `variadic` and
`deprecated` flags); a function bound through `variants:` counts once. A second figure leaves out
the functions the installed shared library does not export (they cannot be called).
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


def exported_symbols(link: list) -> set:
    """Functions the installed shared libraries define (`nm -D`): a function the header declares
    but the platform's library does not export cannot be called, so the second measure leaves it
    out."""
    symbols = set()
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for name in link:
        for line in cache.splitlines():
            if line.strip().startswith(f"lib{name}.so") and "=>" in line:
                path = line.split("=>")[1].strip()
                nm = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True).stdout
                symbols |= {parts[2].split("@")[0] for parts in (l.split() for l in nm.splitlines()) if len(parts) == 3}
                break
    return symbols


def main() -> None:
    binary = bindery_binary()
    for library in ("sqlite3", "zlib"):
        yaml = ROOT / "tests" / "fixtures" / library / "bindery.yaml"
        module = json.loads(subprocess.run([binary, "ir", "-c", str(yaml)], check=True,
                                           capture_output=True, text=True).stdout)
        # As `bindery check` counts (cli/coverage_report.cpp): a variant is not a function of the
        # library; the C function it calls counts once, as bound.
        functions = [f for f in module["functions"] if not f.get("variant_of") and not f.get("helper")]
        through_variants = {f["variant_of"] for f in module["functions"] if f.get("variant_of")}
        unbound = [u for u in module["unbound"] if u["c_name"] not in through_variants]
        exported = exported_symbols(module.get("link", []))
        rows = [(f["c_name"], True, not f.get("deprecated")) for f in functions]
        rows += [(u["c_name"], u["c_name"] in through_variants, not u.get("variadic") and not u.get("deprecated"))
                 for u in module["unbound"]]
        eligible = [(name, bound) for name, bound, ok in rows if ok]
        bound = sum(1 for _, b in eligible if b)
        eligible_exported = [(name, b) for name, b in eligible if not exported or name in exported]
        bound_exported = sum(1 for _, b in eligible_exported if b)
        needs = [u for u in unbound if u.get("kind") == "needs_annotation"]
        print(f"{library}: {len(rows)} functions, {sum(1 for _, b, _ in rows if b)} bound "
              f"({len(through_variants)} through variants), {len(unbound)} skipped, {len(needs)} need annotation; "
              f"target measure: {bound}/{len(eligible)} = {100.0 * bound / len(eligible):.1f} %; "
              f"over the exported ones: {bound_exported}/{len(eligible_exported)} = "
              f"{100.0 * bound_exported / len(eligible_exported):.1f} %")
        reasons = collections.Counter(u["reason"] for u in unbound)
        for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
            names = sorted(u["c_name"] for u in unbound if u["reason"] == reason)
            print(f"  {count:3}  {reason}\n       {', '.join(names)}")


if __name__ == "__main__":
    main()
