"""The metrics wheel end to end, as a user gets it: bindery writes the Python package from the C++
headers, `pip wheel` builds it offline, `pip install --no-index` installs it into a fresh venv,
mypy --strict checks a typed use against its stubs, then pytest runs test_metrics.py there.

    python3 run_tests.py BINDERY_EXE WORK_DIR
"""
import os
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
CONFIG = HERE.parent / "bindery.yaml"


def run(*cmd: str, **kw: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def main() -> int:
    bindery, work = sys.argv[1], pathlib.Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    pkg, dist, venv = work / "metrics-python", work / "dist", work / "venv"
    # Generate from a copy of the example, deleted (with the generated tree) once the wheel is
    # built: what is installed is only the wheel, as on a user's machine.
    example = work / "example"
    example.mkdir()
    shutil.copy(CONFIG, example)
    for d in ("include", "src"):
        shutil.copytree(CONFIG.parent / d, example / d)
    run(bindery, "generate", "--target", "python", "--out", str(pkg), "-c", str(example / "bindery.yaml"))
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps", "-w", str(dist), str(pkg))
    wheels = list(dist.glob("metrics-*.whl"))
    assert len(wheels) == 1, wheels
    shutil.rmtree(example)
    shutil.rmtree(pkg)
    # --system-site-packages: pytest and mypy come from the host Python; metrics only from the wheel.
    run(sys.executable, "-m", "venv", "--system-site-packages", str(venv))
    py = str(venv / "bin" / "python")
    run(py, "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheels[0]))
    env = {**os.environ, "PYTHONPATH": str(HERE), "PYTHONDONTWRITEBYTECODE": "1",
           "MYPY_CACHE_DIR": str(work / "mypy-cache")}
    run(py, "-m", "mypy", "--strict", "--no-incremental", str(HERE / "typed_use.py"), cwd=str(work), env=env)
    run(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(HERE / "test_metrics.py"), cwd=str(work), env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
