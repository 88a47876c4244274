"""Exit 0 when every `name==version` pin in a requirements file is installed at that version.

scripts/setup runs this first so that an up-to-date machine skips pip entirely (pip itself takes
seconds even when nothing changes, and prints warnings as root).
"""
import re
import sys
from importlib import metadata


def pins(path):
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            yield name.strip(), version.strip()


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def main(path):
    for name, version in pins(path):
        try:
            installed = metadata.version(normalized(name))
        except metadata.PackageNotFoundError:
            return 1
        if not version or installed != version:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
