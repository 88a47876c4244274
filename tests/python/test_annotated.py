"""tests/fixtures/annotated/SPEC.md, driven from Python: the protocol comes from BINDERY(...)
macros in the header, and the binding is the same as if the keys were in bindery.yaml."""
import gc

import pytest

import annotated as an


def test_a1_to_a9() -> None:
    gc.collect()
    base = an.live_stores()
    s = an.Store.new()
    assert s.count() == 0
    assert an.live_stores() == base + 1
    assert s.get("a") is None  # A2
    s.set("a", "alpha")
    s.set("b", "beta")
    assert s.get("a") == "alpha"
    assert s.count() == 2  # A3
    v = s.get("a")
    s.set("a", "ä")
    assert v == "alpha" and s.get("a") == "ä"  # A4: copied at once (until: mutation)
    assert s.value_length("a") == (True, 2)  # A5: bytes
    assert s.value_length("zzz") == (False, 0)  # A6
    s.set("a", None)  # A7
    assert s.get("a") is None
    assert s.count() == 1
    s.set("missing")  # A8: the value defaults to absent
    assert s.count() == 1
    s.close()
    assert an.live_stores() == base  # A9


def test_a9_dropping_releases() -> None:
    gc.collect()
    base = an.live_stores()
    s = an.Store()
    s.set("k", "v")
    del s
    gc.collect()
    assert an.live_stores() == base


def test_e1_e2() -> None:
    with an.Store.new() as s:
        with pytest.raises(TypeError):
            s.set(None, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="closed"):
        s.get("a")
