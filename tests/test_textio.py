"""Decoding text as Korean offices save it."""

from __future__ import annotations

import pytest

from analysis.textio import NotText, decode, forbidden_chars, normalise_space


def test_utf8_with_and_without_bom() -> None:
    assert decode("비전".encode()).text == "비전"
    with_bom = decode(b"\xef\xbb\xbf" + "비전".encode())
    assert (with_bom.text, with_bom.encoding, with_bom.bom) == ("비전", "utf-8", True)


def test_cp949_is_recognised() -> None:
    decoded = decode("추진전략".encode("cp949"))
    assert (decoded.text, decoded.encoding) == ("추진전략", "cp949")


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02abc", b"\x89PNG\r\n\x1a\n\x00", bytes([0xFF, 0xFE, 0xFD] * 10)])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(NotText):
        decode(data)


def test_forbidden_chars_and_space() -> None:
    assert forbidden_chars("가\x07나\t다\n") == ["U+0007"]
    assert forbidden_chars("정상") == []
    assert normalise_space("  a \n\t b ") == "a b"
