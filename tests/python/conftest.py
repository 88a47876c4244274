"""Fixtures shared by the python target's tests."""
import sys
from collections.abc import Iterator

import pytest


@pytest.fixture
def gil_kept_until_blocking() -> Iterator[None]:
    """Raises the switch interval so the thread holding the GIL keeps it until it blocks: a worker
    inside a GIL-free call can finish its C work but cannot return, so "busy" stays observable."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        yield
    finally:
        sys.setswitchinterval(old)
