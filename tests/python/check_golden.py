"""Golden files of the python backend: the generated C and stub of a few fixtures, pinned.

    python3 check_golden.py BINDERY_EXE           # compare (a CTest test)
    BINDERY_UPDATE_GOLDEN=1 python3 check_golden.py BINDERY_EXE   # regenerate, review the diff

Every change of the generated code shows as a diff of tests/python/golden/ in review.
"""
import difflib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
GOLDEN = HERE / "golden"
CASES = ["handles", "text", "records", "callbacks", "functions", "transfers", "host_values", "variants",
         "interfaces", "aggregates"]
# Python-only test libraries (tests/python/<name>/): `locks` pins the GIL-free sections around a
# serialized object's calls and its children's destroys (docs/adr/python-gil-and-library-locks.md).
LOCAL_CASES = ["locks"]


def config(feature: str) -> pathlib.Path:
    return (HERE if feature in LOCAL_CASES else FIXTURES) / feature / "bindery.yaml"


def generated_files(out: pathlib.Path, feature: str) -> dict[str, pathlib.Path]:
    return {
        f"_{feature}.c": out / "src" / f"_{feature}.c",
        "__init__.pyi": out / feature / "__init__.pyi",
        "__init__.py": out / feature / "__init__.py",
    }


def main() -> int:
    bindery = sys.argv[1]
    update = os.environ.get("BINDERY_UPDATE_GOLDEN") == "1"
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for feature in CASES + LOCAL_CASES:
            out = pathlib.Path(tmp) / feature
            subprocess.run([bindery, "generate", "--target", "python", "--out", str(out), "-c",
                            str(config(feature))], check=True)
            for name, path in generated_files(out, feature).items():
                golden = GOLDEN / feature / name
                if update:
                    golden.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, golden)
                    continue
                want = golden.read_text() if golden.exists() else ""
                got = path.read_text()
                if want != got:
                    failures += 1
                    sys.stdout.writelines(difflib.unified_diff(
                        want.splitlines(True), got.splitlines(True), str(golden), str(path)))
    if update:
        print(f"golden files regenerated in {GOLDEN}")
        return 0
    total = len(CASES + LOCAL_CASES) * 3
    print(f"{total - failures} passed, {failures} failed")
    if failures:
        print("regenerate with BINDERY_UPDATE_GOLDEN=1 if the change is intended")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
