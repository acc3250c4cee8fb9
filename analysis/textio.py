"""Reading text the way Korean offices save it: UTF-8 with or without BOM, or CP949 (EUC-KR).

``decode`` never guesses silently: it says which encoding it used, so callers can warn when a
sheet came back from Korean Excel as CP949, and it refuses binary files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import Problem

UTF8_BOM = b"\xef\xbb\xbf"

# Characters that XML 1.0 (and so a .docx) cannot hold; tab, LF and CR are allowed.
_XML_FORBIDDEN = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0xFFFE, 0xFFFF}
_FORBIDDEN_RE = re.compile("[" + "".join(f"\\x{c:02x}" for c in range(0x20) if c not in (9, 10, 13))
                           + "\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding that worked and whether a BOM was present."""

    text: str
    encoding: str  # "utf-8" or "cp949"
    bom: bool


class NotText(ValueError):
    """The bytes are not text in any encoding the tool accepts."""


def looks_utf16(data: bytes) -> bool:
    """Return True for UTF-16 text (Windows Notepad's "Unicode"): a UTF-16 byte order mark,
    or NUL bytes in every other position."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:4096]
    if len(sample) < 16:
        return False
    shares = sorted((sample[1::2].count(0) / len(sample[1::2]),
                     sample[0::2].count(0) / len(sample[0::2])))
    return shares[1] > 0.4 and shares[0] < 0.05  # ASCII-rich UTF-16 without a BOM


def looks_binary(data: bytes) -> bool:
    """Return True when the bytes are mostly NUL or non-printing (an image, a zip …).

    A stray NUL or control character in otherwise readable text is not binary: the checks
    of each file name the row and column that holds it.
    """
    sample = data[:4096]
    if not sample:
        return False
    control = sum(1 for b in sample if b < 0x09 or 0x0E <= b < 0x20 or b == 0x7F)
    return control / len(sample) > 0.05


def decode(data: bytes) -> Decoded:
    """Return the text of ``data``: UTF-8 (BOM or not) first, then CP949; raise ``NotText``."""
    if looks_utf16(data):
        raise NotText("saved as UTF-16 (Windows 'Unicode'), not UTF-8: save it again as "
                      "UTF-8")
    if looks_binary(data):
        raise NotText("binary data (NUL or control bytes), not text")
    if data.startswith(UTF8_BOM):
        try:
            return Decoded(data[len(UTF8_BOM):].decode("utf-8"), "utf-8", True)
        except UnicodeDecodeError as exc:
            raise NotText(f"starts with a UTF-8 BOM but byte {exc.start + 3} is not UTF-8") from exc
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError as utf8_error:
        try:
            return Decoded(data.decode("cp949"), "cp949", False)
        except UnicodeDecodeError:
            raise NotText(
                f"byte {utf8_error.start} is neither UTF-8 nor CP949 (EUC-KR)"
            ) from utf8_error


def forbidden_chars(text: str) -> list[str]:
    """Return the characters in ``text`` that Word cannot store, as ``U+0007`` labels."""
    if not _FORBIDDEN_RE.search(text):
        return []
    found = sorted({ord(ch) for ch in text
                    if ord(ch) in _XML_FORBIDDEN or 0xD800 <= ord(ch) <= 0xDFFF})
    return [f"U+{code:04X}" for code in found]


def normalise_space(text: str) -> str:
    """Return ``text`` with every run of white space folded to one space, ends stripped."""
    return " ".join(text.split())


def read_utf8(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """Return the text of the UTF-8 file at ``path`` (a BOM is dropped), or None after
    noting why it cannot be read (``rel`` names it in the message)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, None, None, f"not UTF-8 text (byte {exc.start})",
                                "save it as UTF-8"))
    except OSError as exc:
        problems.append(Problem(rel, None, None, f"cannot be read: {exc.strerror or exc}",
                                "check the file's permissions"))
    return None
