"""PDF characters as PDFium gives them (advance boxes, font sizes, page rotation undone),
grouped into fragments (runs on one line) and lines.  Coordinates are points from the
top-left corner of the page as displayed."""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass
from statistics import median
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

Char = tuple[str, float, float, float, float, float]  # text, x0, x1, top, bottom, size

@dataclass(slots=True)
class Fragment:
    """Characters that stand together on one line (a word run), with their box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class Line:
    """A line of running text, with the left and right edges of the column it stands in."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    left: float = 0.0
    right: float = 0.0
    column: int = 0  # 0 full width; 1, 2 the columns of a two-column part


def chars_of(textpage: Any, width: float, height: float, rotation: int) -> list[Char]:
    """Return the page's characters with their advance boxes and font sizes.

    PDFium's own guessed spaces (generated, without width) are dropped: it puts one wherever
    a font changes ("3 년" for "3년"); spaces are decided by the gaps between characters.
    """
    handle = textpage.raw
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: read one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, k) or 0xFFFD)
                       for k in range(count))
    box = pdfium_c.FS_RECTF()
    ref = ctypes.byref(box)
    loose, font_size = (unchecked(name) for name in (
        "FPDFText_GetLooseCharBox", "FPDFText_GetFontSize"))
    out: list[Char] = []
    append = out.append
    last_height, size = -1.0, 0.0
    for k, ch in enumerate(text):
        if ch in "\r\n\x00\ufffe" or not loose(handle, k, ref):
            continue
        left, right, top, bottom = box.left, box.right, box.top, box.bottom
        if ch == " " and right - left < 0.01:  # a space PDFium made up: it has no width
            continue
        if top - bottom != last_height:  # the loose box's height changes with font and size
            last_height, size = top - bottom, font_size(handle, k)
        if rotation:
            append((ch, *display(left, right, top, bottom, width, height, rotation), size))
        else:
            append((ch, left, right, height - top, height - bottom, size))
    return out


def unchecked(name: str) -> Any:
    """Return PDFium's function ``name`` without ctypes' argument checks, which take half of
    each call's time (the text of a page costs two calls per character); the checked binding
    when pypdfium2's library handle is not where this version keeps it."""
    checked = getattr(pdfium_c, name)
    try:
        from pypdfium2_raw import bindings  # type: ignore[import-untyped]

        function = bindings._libs["pdfium"][name]
    except (ImportError, AttributeError, KeyError, TypeError):
        return checked
    function.restype = checked.restype
    return function


NOTE_MARKS = frozenset("0123456789*)†‡")


def drop_note_marks(chars: list[Char]) -> list[Char]:
    """Return ``chars`` without footnote marks: small raised digits (or ``*``, ``)``) next to
    full-size text, unless they follow a Latin letter or digit (m², x³ stay)."""
    n = len(chars)
    drop: set[int] = set()
    for i in [i for i, ch in enumerate(chars) if ch[0] in NOTE_MARKS]:
        ch = chars[i]
        prev = chars[i - 1] if i else None
        if prev is not None and prev[0].isascii() and prev[0].isalnum():
            continue
        for other in (prev, chars[i + 1] if i + 1 < n else None):
            if (other is not None and other[0] not in NOTE_MARKS and other[0].strip()
                    and ch[5] < 0.8 * other[5] and ch[4] < other[4] - 0.15 * other[5]
                    and abs(other[3] + other[4] - ch[3] - ch[4]) < 2 * other[5]):
                drop.add(i)
                break
    return [ch for i, ch in enumerate(chars) if i not in drop] if drop else chars


def display(left: float, right: float, top: float, bottom: float, width: float,
             height: float, rotation: int) -> tuple[float, float, float, float]:
    """Return a box in PDF user space as (x0, x1, top, bottom) on the page as displayed."""
    if rotation == 0:
        return left, right, height - top, height - bottom
    if rotation == 90:
        return bottom, top, left, right
    if rotation == 180:
        return width - right, width - left, bottom, top
    return height - top, height - bottom, width - right, width - left


def to_fragments(chars: list[Char]) -> list[Fragment]:
    """Group characters (in the order the page draws them) into runs on one line, split where
    the run turns back, changes line or jumps by more than two characters' width.  A space
    goes where two characters stand a space's width apart and the page drew none."""
    out: list[Fragment] = []
    if not chars:
        return out
    prev = chars[0]
    pieces = [prev[0]]
    x0, x1, top, bottom, size = prev[1], prev[2], prev[3], prev[4], prev[5]
    for ch in chars[1:]:
        c, cx0, cx1, ctop, cbottom, csize = ch
        tol = size if size > csize else csize
        if tol < 1.0:
            tol = 1.0
        gap = cx0 - prev[2]
        drift = (ctop + cbottom - prev[3] - prev[4]) * 0.5
        if drift > tol * 0.5 or drift < -tol * 0.5 or gap < -tol * 0.5 or gap > tol * 2.0:
            out.append(Fragment("".join(pieces), x0, x1, top, bottom, size))
            pieces = [c]
            x0, x1, top, bottom, size = cx0, cx1, ctop, cbottom, csize
        else:
            if (gap > tol * 0.2 and c != " " and pieces[-1] != " "
                    and gap > tol * _space_gap(pieces[-1], c)):
                pieces.append(" ")
            pieces.append(c)
            if cx1 > x1:
                x1 = cx1
            if ctop < top:
                top = ctop
            if cbottom > bottom:
                bottom = cbottom
            if csize > size and c != " ":
                size = csize
        prev = ch
    out.append(Fragment("".join(pieces), x0, x1, top, bottom, size))
    return [frag for frag in out if frag.text.strip()]


def _space_gap(a: str, b: str) -> float:
    """Return the gap (in font sizes) that reads as a space between ``a`` and ``b``: more
    between Hangul and a digit or Latin letter, which word processors set a little apart."""
    return 0.25 if _hangul(a) != _hangul(b) else 0.2


def _hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u3130" <= ch <= "\u318f"


def to_rows(fragments: list[Fragment]) -> list[list[Fragment]]:
    """Return fragments grouped into rows that share a line (vertical centres within half a
    line), each row sorted left to right, rows top to bottom."""
    rows: list[list[Fragment]] = []
    for frag in sorted(fragments, key=lambda f: ((f.top + f.bottom) / 2, f.x0)):
        mid = (frag.top + frag.bottom) / 2
        if rows:
            last = rows[-1]
            last_mid = median((f.top + f.bottom) / 2 for f in last)
            if abs(mid - last_mid) <= max(frag.size, last[0].size) * 0.4:
                last.append(frag)
                continue
        rows.append([frag])
    for row in rows:
        row.sort(key=lambda f: f.x0)
    return rows


def to_line(frags: list[Fragment], page: int, column: int) -> Line:
    text = frags[0].text
    for prev, frag in itertools.pairwise(frags):
        gap = frag.x0 - prev.x1
        tol = max(prev.size, frag.size, 1.0)
        sep = " | " if gap > tol * 3 else ("" if gap <= tol * 0.2 else " ")
        text = text.rstrip() + sep + frag.text.lstrip() if sep else text + frag.text
    return Line(page, text, frags[0].x0, max(f.x1 for f in frags), min(f.top for f in frags),
                max(f.bottom for f in frags), median(f.size for f in frags), column=column)


def wrapped(prev: Line, line: Line, right: float) -> bool:
    """True when ``prev`` ended because ``line``'s first word did not fit before ``right``
    (a wrapped line), rather than at the end of a paragraph."""
    words = line.text.split()
    if not words:
        return False
    per_char = (line.x1 - line.x0) / max(len(line.text.strip()), 1)
    return right - prev.x1 < per_char * len(words[0]) + prev.size * 0.3
