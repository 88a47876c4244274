"""tests/fixtures/text/SPEC.md, driven from Python."""
import gc

import pytest

import text as t

SAMPLE = "Grüße, 世界 ✓"


def test_t1_length_in_utf8_bytes() -> None:
    assert t.length("") == 0
    assert t.length("héllo") == 6
    assert t.length(SAMPLE) == 19


def test_t2_t3_exact_bytes() -> None:
    assert t.in_utf8(SAMPLE) is True
    assert t.in_utf8("Grusse") is False
    assert t.in_empty("") is True
    assert t.in_empty(" ") is False


def test_t4_t5_static_strings() -> None:
    assert t.static_greeting() == "hello, world"
    assert t.static_utf8() == SAMPLE
    assert len(t.static_utf8()) == 11


def test_t6_t7_t8_owned_strings_are_freed() -> None:
    assert t.concat("foo", "bar") == "foobar"
    assert t.concat("", "") == ""
    assert t.concat(SAMPLE, "!") == SAMPLE + "!"
    assert t.repeat("ab", 3) == "ababab"
    assert t.repeat("x", 0) == ""
    for _ in range(1000):
        t.concat("a", "b")
    assert t.live_strings() == 0


def test_t9_t10_t11_explicit_length_carries_nul() -> None:
    assert t.count_char("a\0a\0a", "a") == 3
    assert t.count_char("a\0a\0a", "\0") == 2
    assert t.count_char("", "a") == 0
    assert t.span_in_utf8(SAMPLE) is True
    assert t.span_in_utf8("Grüße") is False


def test_t12_t13_t14_buffer() -> None:
    b = t.TextBuffer.new("ab")
    b.append("cé")
    assert b.get() == "abcé"
    assert b.length() == 5
    s = b.get()
    b.append("x")
    assert s == "abcé"
    assert b.get() == "abcéx"
    b.close()
    b.close()
    with pytest.raises(ValueError):
        b.get()


def test_t15_free_is_not_exposed() -> None:
    assert not hasattr(t, "free")


def test_e1_e2_e3_e4_refusals() -> None:
    with pytest.raises(TypeError):
        t.length(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        t.length("a\0b")
    with pytest.raises(TypeError):
        t.length(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        t.length(b"abc")  # type: ignore[arg-type]


def test_lone_surrogate_is_an_error_not_a_crash() -> None:
    with pytest.raises(UnicodeEncodeError):
        t.length("\ud800")
    gc.collect()


# ---- UTF-16 text (string: utf16): native-endian code units, lengths in bytes -----------------------

def test_t17_utf16_in_nul_terminated() -> None:
    assert t.utf16_units("héllo😀") == 7  # the emoji is a surrogate pair
    assert t.utf16_units("") == 0


def test_t18_utf16_in_with_a_byte_length() -> None:
    assert t.utf16_in_sample("grüß 😀") is True  # exactly 14 bytes reach C
    assert t.utf16_in_sample("grüß 😀 ") is False
    assert t.utf16_in_sample("grüß") is False


def test_t19_utf16_out_nul_terminated_and_sized() -> None:
    assert t.utf16_sample() == "grüß 😀"
    assert t.utf16_sized() == "日本"  # exactly *nbytes bytes: no terminator needed


def test_t20_utf16_hostile_input() -> None:
    with pytest.raises(UnicodeEncodeError):
        t.utf16_units("lone \ud800 surrogate")
    with pytest.raises(UnicodeEncodeError):
        t.utf16_in_sample("\udfff")
    with pytest.raises(ValueError, match="null"):
        t.utf16_units("cut\0here")  # NUL-terminated: an embedded NUL would cut it
    with pytest.raises(TypeError, match="expected str"):
        t.utf16_units(b"\x00a")  # type: ignore[arg-type]
