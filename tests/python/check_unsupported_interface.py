"""An interface Python cannot implement (tests/python/unsupported_interface/: a method receiving an
array of integers) leaves the function that registers it unbound, says why, and the module still
compiles warning-free without its table.

    python3 check_unsupported_interface.py BINDERY_EXE
"""
import pathlib
import subprocess
import sys
import sysconfig
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
INPUT = HERE / "unsupported_interface"


def main() -> int:
    bindery = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp)
        run = subprocess.run([bindery, "generate", "--target", "python", "--out", str(out), "-c",
                              str(INPUT / "bindery.yaml")], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        reason = ("python: numbers_hub_register is not bound: sink: struct numbers_sink.take: argument "
                  "'values': arrays of numbers are passed to python callbacks, not yet to interface "
                  "methods")
        assert reason in run.stderr, run.stderr
        source = (out / "src" / "_numbers.c").read_text()
        stub = (out / "numbers" / "__init__.pyi").read_text()
        assert "numbers_hub_register(" not in source.split("/* Not bound by the python backend:")[0]
        assert "bindery_interface_numbers_sink" not in source  # no table nobody passes
        assert "def register" not in stub and "class Sink" not in stub
        assert "def count" in stub  # the rest of the class is bound
        subprocess.run(["cc", "-c", "-Wall", "-Wextra", "-Werror", f"-I{sysconfig.get_paths()['include']}",
                        f"-I{out / 'src'}", f"-I{INPUT}", str(out / "src" / "_numbers.c"), "-o",
                        str(out / "numbers.o")], check=True)
    print("unsupported interface: function unbound with its reason, module compiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
