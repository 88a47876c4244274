"""Packaging: `bindery generate --target python` output is a PEP 517 project that `pip wheel`
builds offline, that installs into a fresh virtual environment, and that imports there.

    python3 check_packaging.py BINDERY_EXE
"""
import pathlib
import subprocess
import sys
import tempfile

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "text" / "bindery.yaml"


def run(*cmd: str, cwd: str | None = None) -> None:
    subprocess.run(cmd, check=True, cwd=cwd)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "text"
        run(sys.argv[1], "generate", "--target", "python", "--out", str(out), "-c", str(FIXTURE))
        dist = pathlib.Path(tmp) / "dist"
        run(sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps",
            "-w", str(dist), str(out))
        wheels = list(dist.glob("text-*.whl"))
        assert len(wheels) == 1, wheels
        venv = pathlib.Path(tmp) / "venv"
        run(sys.executable, "-m", "venv", str(venv))
        py = str(venv / "bin" / "python")
        run(py, "-m", "pip", "install", "-q", "--no-index", str(wheels[0]))
        run(py, "-c", "import text, pathlib; assert text.concat('a', 'b') == 'ab'; "
                      "d = pathlib.Path(text.__file__).parent; "
                      "assert (d / 'py.typed').exists() and (d / '__init__.pyi').exists()",
            cwd=tmp)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
