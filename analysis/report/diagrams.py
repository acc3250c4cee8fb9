"""Policy diagrams from plain data: 비전체계도, 추진체계도 and 연혁, as PNG bytes.

Each diagram is first computed as a ``Layout`` — boxes, lines, marks and texts placed in
inches on a canvas one text width wide (y grows downwards) — by ``vision_layout``,
``governance_layout`` or ``timeline_layout``; one drawing function then paints any layout
with Pillow (as matplotlib's Agg renderer painted it, in a tenth of the time; matplotlib is
never imported).  Tests check the layout, not pixels, and the drawing takes no decisions.

* Text is measured with the packaged Hangul font's own advance widths and wrapped inside its
  box: at spaces where possible, else between syllables, never leaving an opening bracket at
  a line end or a closing one at a line start; lines of a wrapped box are balanced.
* What the data does not state is drawn as a dashed box holding the study's missing wording
  (``data["missing"]``, default "자료 미확인"); nothing is filled in.  The data can only say
  "unknown" (an empty list or value): a source saying there is *none* cannot be expressed,
  so no diagram ever draws "none".
* Shapes and fills, not colours, tell kinds apart: the figures are printed in grayscale.
* The words drawn (level tags, relation labels, legend) default to ``LABELS`` and can be
  overridden per call with ``data["labels"]``.
* Same data, same dpi → the same PNG bytes: an 8-bit greyscale PNG (every colour used is a
  grey) with no metadata but its resolution.

Example::

    png = vision_tree({"case": "울산광역시", "vision": "시민과 함께하는 협력적 공동체 실현",
                       "goals": ["시민 주도의 사회 혁신"], "strategies": [], "counts": []},
                      dpi=150)
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFont

from analysis.errors import PolicyReportError, Problem
from analysis.report.charts import MAX_HEIGHT_IN, TEXT_WIDTH_IN, hangul_font
from analysis.report.wording import josa

__all__ = ["LABELS", "Box", "Edge", "Layout", "Mark", "Text", "alt_text", "coverage_grid",
           "coverage_layout", "governance_layout",
           "governance_map", "text_width", "timeline", "timeline_layout", "vision_layout",
           "vision_tree", "wrap", "wrap_joined"]

LABELS: dict[str, str] = {
    "missing": "자료 미확인",
    # the diagrams' names, in alt texts
    "vision_tree": "비전체계도", "governance_map": "추진체계도", "timeline": "연혁",
    # 비전체계도
    "vision": "비전", "goal": "목표", "strategy": "추진전략", "strategy_number": "전략 {n}",
    "counts": "전략·사업 수",
    # 추진체계도
    "head": "단체장", "committee": "위원회·협의체", "department": "전담부서",
    "taskforce": "추진단·TF", "intermediary": "중간지원조직",
    "center": "지원센터", "private_partner": "민간 협력기관",  # kinds of intermediary
    "partner": "협력 주체", "advise": "심의·자문", "support": "위탁·지원",
    "cooperate": "협력", "collaborate": "협업",
    # 연혁 (keys as in labels.toml [charts])
    "plan": "계획 기간", "ordinance": "조례", "organisation": "조직 신설",
    "year": "{year}년", "years": "{start}~{end}년",
}
KINDS = ("plan", "ordinance", "organisation")
# a strategy that carries its own number: "1. …", "(2) …", "③ …", "전략3 …"
OWN_NUMBER = re.compile(r"\s*(\(?\d{1,2}[.)]\s|[\u2460-\u2473\u2776-\u277f]|전략\s*\d)")

WIDTH = TEXT_WIDTH_IN  # the diagrams are as wide as the text (A4, 25 mm margins)
MARGIN = 0.04  # inches kept free on every side: no stroke is clipped
LEADING = 1.32  # line height as a multiple of the font size
PAD_X, PAD_Y = 0.09, 0.065  # text padding inside a box, inches
FIT = 0.97  # measured widths are trusted to within 3 %: keep that much slack


@dataclass(frozen=True)
class Style:
    """How a box is painted."""

    face: str
    edge: str
    text: str
    bold: bool = False
    dashed: bool = False
    rounded: bool = False
    hatch: str = ""


STYLES: dict[str, Style] = {
    "dark": Style("#2b2b2b", "#2b2b2b", "white", bold=True),
    "tag": Style("#5c5c5c", "#5c5c5c", "white", bold=True, rounded=True),
    "header": Style("#5c5c5c", "#333333", "white", bold=True),
    "light": Style("#e3e3e3", "#333333", "#1a1a1a"),
    "plain": Style("white", "#333333", "#1a1a1a"),
    "shaded": Style("#ececec", "#333333", "#1a1a1a"),
    "note": Style("#f2f2f2", "none", "#1a1a1a", bold=True),
    "panel": Style("#f4f4f4", "#bdbdbd", "#1a1a1a"),
    "missing": Style("white", "#6e6e6e", "#5c5c5c", dashed=True),
    "missing_header": Style("white", "#6e6e6e", "#5c5c5c", bold=True, dashed=True),
    # timeline bars, one per kind: fill and hatch tell them apart in grayscale
    "plan": Style("#c4c4c4", "#333333", "#1a1a1a"),
    "ordinance": Style("#1a1a1a", "#1a1a1a", "white"),
    "organisation": Style("white", "#333333", "#1a1a1a", hatch="////"),
}
# the coverage grid (부록의 분석틀 요소 확인 현황): the number of coded items per cell, in the
# greys matplotlib's "Greys" map gave the same counts (0 … 4 or more)
for _n, (_face_c, _text_c) in enumerate((("#f2f2f2", "#1a1a1a"), ("#d1d1d1", "#1a1a1a"),
                                         ("#a2a2a2", "#1a1a1a"), ("#6e6e6e", "white"),
                                         ("#383838", "white"))):
    STYLES[f"heat{_n}"] = Style(_face_c, "white", _text_c)
# timeline marks: shape and fill per kind
MARKS: dict[str, tuple[str, str]] = {
    "plan": ("square", "#c4c4c4"), "ordinance": ("diamond", "#1a1a1a"),
    "organisation": ("circle", "white")}


# --- layout records ---------------------------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """A box with wrapped text lines, in inches from the top left corner."""

    role: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...] = ()
    style: str = "plain"
    size: float = 9.0
    align: str = "center"  # "center", or "left" with per-line ``indents`` (hanging bullets)
    indents: tuple[float, ...] = ()

    @property
    def dashed(self) -> bool:
        return STYLES[self.style].dashed

    @property
    def bold(self) -> bool:
        return STYLES[self.style].bold

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def text_room(self) -> float:
        """Return the width in inches the text may use."""
        return self.w - 2 * PAD_X


@dataclass(frozen=True)
class Edge:
    """A polyline; ``head`` puts arrowheads at its "end", at "both" ends, or nowhere ("")."""

    points: tuple[Point, ...]
    head: str = ""
    dashed: bool = False
    kind: str = "line"  # "line" (connector), "grid", "leader", "axis", "rule"


@dataclass(frozen=True)
class Text:
    """A free text (a relation label, a year, a note)."""

    x: float
    y: float
    text: str
    size: float = 8.0
    ha: str = "center"
    va: str = "center"
    bold: bool = False
    color: str = "#1a1a1a"
    knockout: bool = False  # on a white ground that hides the grid lines behind it


@dataclass(frozen=True)
class Mark:
    """A timeline mark: ``shape`` is "square", "diamond" or "circle"; ``d`` its size."""

    x: float
    y: float
    shape: str
    face: str
    d: float = 0.12


@dataclass(frozen=True)
class Layout:
    """Everything a diagram draws, in inches; ``notes`` says what was cut to fit a page."""

    width: float
    height: float
    boxes: tuple[Box, ...] = ()
    edges: tuple[Edge, ...] = ()
    texts: tuple[Text, ...] = ()
    marks: tuple[Mark, ...] = ()
    notes: tuple[str, ...] = ()

    def by_role(self, role: str) -> list[Box]:
        """Return the boxes whose role is ``role``."""
        return [b for b in self.boxes if b.role == role]


# --- text measuring and wrapping --------------------------------------------------------

OPENERS = "([{<‘“「『《〈【〔"
CLOSERS = ")]}>’”」』》〉】〕,.:;!?·%…"


@cache
def _font_paths() -> tuple[str, str]:
    """Return the regular and bold Hangul font files (bold falls back to regular)."""
    regular = hangul_font()
    bold = regular.with_name(f"{regular.stem}Bold{regular.suffix}")
    return str(regular), str(bold if bold.is_file() else regular)


class _FontFile:
    """A TrueType font's character map and advance widths, read straight from the file.

    Gives the same advances FreeType does (``linearHoriAdvance`` at 100 px per em, in
    16.16 fixed point, rounded as FreeType rounds) without a rendering library; reading
    the tables takes a millisecond, where importing matplotlib for its FreeType took most
    of a second in every drawing process.
    """

    def __init__(self, path: str) -> None:
        data = Path(path).read_bytes()
        tables = {}
        for n in range(struct.unpack_from(">H", data, 4)[0]):
            tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * n)
            tables[tag.decode("latin-1")] = offset
        units: int = struct.unpack_from(">H", data, tables["head"] + 18)[0]
        metrics = struct.unpack_from(">H", data, tables["hhea"] + 34)[0]
        self._advances: tuple[int, ...] = struct.unpack_from(
            f">{2 * metrics}H", data, tables["hmtx"])[0::2]
        # FreeType's x_scale at 100 px per em: FT_DivFix(100 * 64, units per em)
        self._scale = (6400 * 65536 + units // 2) // units
        self._data = data
        self._format = 0  # of the Unicode map: 12 (all planes), 4 (the BMP) or none
        self._ends: Sequence[int] = ()  # the last code point of each segment or group
        self._starts: Sequence[int] = ()
        self._glyphs: Sequence[int] = ()  # format 12: the first glyph of each group
        self._deltas: Sequence[int] = ()  # format 4
        self._ranges: Sequence[int] = ()
        self._ranges_at = 0
        self._read_cmap(tables["cmap"])

    def _read_cmap(self, at: int) -> None:
        """Read the Unicode map FreeType picks: a full-repertoire (format 12) one before a
        BMP (format 4) one."""
        data = self._data
        found: dict[tuple[int, int], int] = {}
        for n in range(struct.unpack_from(">H", data, at + 2)[0]):
            platform, encoding, offset = struct.unpack_from(">HHI", data, at + 4 + 8 * n)
            found[(platform, encoding)] = at + offset
        for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
            table = found.get(key)
            if table is None:
                continue
            fmt = struct.unpack_from(">H", data, table)[0]
            if fmt == 12:
                count = struct.unpack_from(">I", data, table + 12)[0]
                groups = struct.unpack_from(f">{3 * count}I", data, table + 16)
                self._starts, self._ends, self._glyphs = groups[0::3], groups[1::3], groups[2::3]
                self._format = 12
                return
            if fmt == 4:
                count = struct.unpack_from(">H", data, table + 6)[0] // 2
                self._ends = struct.unpack_from(f">{count}H", data, table + 14)
                self._starts = struct.unpack_from(f">{count}H", data, table + 16 + 2 * count)
                self._deltas = struct.unpack_from(f">{count}H", data, table + 16 + 4 * count)
                self._ranges_at = table + 16 + 6 * count
                self._ranges = struct.unpack_from(f">{count}H", data, self._ranges_at)
                self._format = 4
                return

    def get_char_index(self, code: int) -> int:
        """Return the glyph index of code point ``code``, 0 when the font lacks it."""
        n = bisect.bisect_left(self._ends, code)
        if n >= len(self._ends) or code < self._starts[n]:
            return 0
        if self._format == 12:
            return self._glyphs[n] + code - self._starts[n]
        if not self._ranges[n]:
            return (code + self._deltas[n]) & 0xFFFF
        at = self._ranges_at + 2 * n + self._ranges[n] + 2 * (code - self._starts[n])
        glyph: int = struct.unpack_from(">H", self._data, at)[0]
        return (glyph + self._deltas[n]) & 0xFFFF if glyph else 0

    def advance(self, code: int) -> int:
        """Return the advance of ``code`` at 100 px per em, 16.16 fixed point (FreeType's
        ``linearHoriAdvance``: FT_MulDiv(advance, x_scale, 64))."""
        glyph = self.get_char_index(code)
        units = int(self._advances[min(glyph, len(self._advances) - 1)])
        return (units * self._scale + 32) // 64


@cache
def _face(path: str) -> _FontFile:
    return _FontFile(path)


@cache
def _em(char: str, bold: bool) -> float:
    """Return the advance of ``char`` in em; a character the font lacks is an error."""
    path = _font_paths()[bold]
    face = _face(path)
    if not char.isspace() and face.get_char_index(ord(char)) == 0:
        raise PolicyReportError(Problem(
            "diagram", None, None,
            f"the diagram font ({Path(path).name}) cannot draw {char!r} (U+{ord(char):04X})",
            "remove the character from the coded value, or replace it with one the font has"))
    return float(face.advance(ord(char))) / 65536 / 100


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Return the width in inches of ``text`` set in the diagram font at ``size`` points."""
    return sum(_em(c, bold) for c in text) * size / 72


def _line_h(size: float) -> float:
    return size * LEADING / 72


def _cut(word: str, width: float, size: float, bold: bool) -> int:
    """Return how many characters of ``word`` to put on a line ``width`` wide (at least 1).

    A word longer than a line breaks before an opening bracket or after "·" when one is
    near the end of the line, else between syllables (keeping Latin words and numbers
    whole when it can).
    """
    n, used = 0, 0.0
    for char in word:
        used += _em(char, bold) * size / 72
        if used > width:
            break
        n += 1
    n = max(n, 1)
    if n >= len(word):
        return n
    for m in range(n, max(n // 3, 1) - 1, -1):  # best: before a bracket, after a "·"
        if word[m] in OPENERS or (word[m - 1] in "·,/" and word[m] not in CLOSERS):
            return m
    for m in range(n, max(n // 2, 1) - 1, -1):  # else a legal break, not too far back
        left, right = word[m - 1], word[m]
        if left in OPENERS or right in CLOSERS:
            continue
        if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
            continue  # keep numbers and Latin words whole
        return m
    return n


def _greedy(words: Sequence[str], width: float, size: float, bold: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, bold) > width:
            cut = _cut(word, width, size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def wrap(text: str, width: float, size: float, bold: bool = False,
         max_lines: int = 0) -> list[str]:
    """Return ``text`` broken into balanced lines no wider than ``width`` inches.

    Breaks at spaces where it can and between syllables where it must; an opening bracket
    never ends a line and a closing one (or ·, %) never starts one.  With ``max_lines``
    the last kept line ends in "…".

    >>> wrap("광주광역시 사회적경제 활성화 위원회", 1.4, 9)
    ['광주광역시 사회적경제', '활성화 위원회']
    """
    return _wrap(text.split(), width, size, bold, max_lines)


def wrap_joined(items: Sequence[str], width: float, size: float, bold: bool = False,
                max_lines: int = 0) -> list[str]:
    """Return ``items`` joined with " · " and wrapped; a "·" never starts a line."""
    words: list[str] = []
    for n, item in enumerate(items):
        parts = item.split()
        if parts and n < len(items) - 1:
            parts[-1] += " ·"  # one token: the separator stays with the item before it
        words += parts
    return _wrap(words, width, size, bold, max_lines)


def _wrap(words: Sequence[str], width: float, size: float, bold: bool,
          max_lines: int) -> list[str]:
    width *= FIT
    lines = _greedy(words, width, size, bold)
    even = _even(words, len(lines), width, size, bold) if len(lines) > 1 else None
    if even:
        lines = even
    elif len(lines) > 1:  # a word broke: the narrowest width that needs no more lines
        low = text_width(" ".join(words), size, bold) / len(lines) * 0.9
        high = width
        for _ in range(9):
            middle = (low + high) / 2
            if len(_greedy(words, middle, size, bold)) <= len(lines):
                high = middle
            else:
                low = middle
        lines = _greedy(words, high, size, bold)
    if max_lines and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size, bold) > width:
            last = last[:-1]
        lines = [*lines[:max_lines - 1], last.rstrip() + "…"]
    return lines


PHRASE_ENDS = ",:;·)」』’”"
CLINGING = frozenset({"및", "등", "또는", "내", "중"})  # words that stay with the word before
_BREAK_COST = 0.1  # a break inside a phrase costs as much as a line 30 % short


def _even(words: Sequence[str], count: int, width: float, size: float,
          bold: bool) -> list[str] | None:
    """Return ``words`` set in ``count`` lines as even as possible, or None if a word is
    wider than a line.

    Minimises the sum of each line's squared shortfall (as a share of ``width``) plus a
    cost for every break that does not follow a phrase end (",", ":", "·", ")") or that
    would start a line with "및" or "등", so
    "사회적경제 분야: / 사회적 가치를 …" wins over "사회적경제 / 분야: 사회적 …".
    """
    space = text_width(" ", size, bold)
    widths = [text_width(w, size, bold) for w in words]
    if max(widths) > width:
        return None
    starts = [0.0]
    for w in widths:
        starts.append(starts[-1] + w)
    n = len(words)
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
    for line in range(1, count + 1):
        for end in range(1, n + 1):
            for start in range(end):
                before = best.get((start, line - 1))
                used = starts[end] - starts[start] + space * (end - start - 1)
                if before is None or used > width:
                    continue
                cost = before[0] + ((width - used) / width) ** 2
                if end < n and words[end - 1][-1] not in PHRASE_ENDS:
                    cost += _BREAK_COST
                if end < n and words[end] in CLINGING:
                    cost += _BREAK_COST
                if (end, line) not in best or cost < best[(end, line)][0]:
                    best[(end, line)] = (cost, start)
    if (n, count) not in best:
        return None
    lines, end = [], n
    for line in range(count, 0, -1):
        start = best[(end, line)][1]
        lines.append(" ".join(words[start:end]))
        end = start
    return lines[::-1]


def _bullets(items: Sequence[str], width: float, size: float,
             max_lines: int = 0) -> tuple[list[str], list[float]]:
    """Return lines and their indents for a bulleted list with hanging indents."""
    mark = "· "
    hang = text_width(mark, size)
    lines: list[str] = []
    indents: list[float] = []
    for item in items:
        wrapped = wrap(item, width - hang, size, max_lines=max_lines)
        lines += [mark + wrapped[0], *wrapped[1:]]
        indents += [0.0] + [hang] * (len(wrapped) - 1)
    return lines, indents


def _box_h(lines: int, size: float) -> float:
    return 2 * PAD_Y + lines * _line_h(size)


def _labels(data: dict[str, Any]) -> dict[str, str]:
    words = {**LABELS, **{k: str(v) for k, v in (data.get("labels") or {}).items()}}
    if data.get("missing"):
        words["missing"] = str(data["missing"])
    return words


def _items(values: Iterable[Any] | None) -> list[str]:
    """Return the non-empty values as stripped strings."""
    return [str(v).strip() for v in values or () if str(v).strip()]


# --- shared layout helpers --------------------------------------------------------------

def _row_cols(n: int, most: int) -> int:
    """Return how many boxes go in one row: all of them, or balanced rows of at most ``most``."""
    if n <= most:
        return max(n, 1)
    rows = math.ceil(n / most)
    return math.ceil(n / rows)


@dataclass(frozen=True)
class _Grid:
    """Boxes set in rows inside an area; the points where connectors attach."""

    boxes: tuple[Box, ...]
    top: float
    bottom: float
    tops: tuple[Point, ...]
    bottoms: tuple[Point, ...]
    dashed: bool


def _grid(role: str, texts: Sequence[str], x: float, y: float, width: float, most: int,
          gap: float, size: float, style: str, max_lines: int, header: str = "",
          header_size: float = 8.5) -> _Grid:
    """Return ``texts`` as boxes in balanced rows of at most ``most`` across ``width``.

    With ``header`` (a format with ``{n}``) each box gets a dark title band.  Boxes in a row
    share one height.  A level of several rows sits on a light panel, and connectors attach
    to the panel, not to single boxes (which box of a lower row a line would reach is not
    known).
    """
    cols = _row_cols(len(texts), most)
    rows = [list(range(i, min(i + cols, len(texts)))) for i in range(0, len(texts), cols)]
    panel = len(rows) > 1
    inset = 0.09 if panel else 0.0
    box_w = (width - 2 * inset - (cols - 1) * gap) / cols
    boxes: list[Box] = []
    cursor = y + inset
    row_gap = 0.12
    for row in rows:
        offset = x + inset + (cols - len(row)) * (box_w + gap) / 2  # short last row: centred
        wrapped = [wrap(texts[i], box_w - 2 * PAD_X, size, max_lines=max_lines) for i in row]
        heads = [wrap(header.format(n=i + 1), box_w - 2 * PAD_X, header_size) if header
                 else [] for i in row]
        head_h = max(_box_h(len(h), header_size) for h in heads) if header else 0.0
        body_h = max(_box_h(len(w), size) for w in wrapped)
        for k in range(len(row)):
            bx = offset + k * (box_w + gap)
            if header:
                boxes.append(Box(f"{role}_header", bx, cursor, box_w, head_h, tuple(heads[k]),
                                 "header", header_size))
            boxes.append(Box(role, bx, cursor + head_h, box_w, body_h, tuple(wrapped[k]),
                             style, size))
        cursor += head_h + body_h + row_gap
    bottom = cursor - row_gap + inset
    if panel:
        boxes.insert(0, Box(f"{role}_panel", x, y, width, bottom - y, (), "panel"))
        ends: tuple[tuple[Point, ...], tuple[Point, ...]] = (
            ((x + width / 2, y),), ((x + width / 2, bottom),))
    else:
        first = [b for b in boxes if b.y == y]  # header band (or body) of each box
        ends = (tuple((b.cx, y) for b in first), tuple((b.cx, bottom) for b in first))
    return _Grid(tuple(boxes), y, bottom, ends[0], ends[1], False)


def _missing_grid(role: str, text: str, x: float, y: float, width: float,
                  size: float) -> _Grid:
    """Return one dashed box holding the missing wording, as wide as the level."""
    box = Box(role, x, y, width, _box_h(1, size), (text,), "missing", size)
    return _Grid((box,), y, box.bottom, ((box.cx, y),), ((box.cx, box.bottom),), True)


def _bus(uppers: Sequence[Point], lowers: Sequence[Point], dashed: bool) -> list[Edge]:
    """Return the connector joining ``uppers`` (bottom points) to ``lowers`` (top points).

    One line when both are single and aligned; otherwise drops to a horizontal bus halfway.
    """
    if len(uppers) == 1 and len(lowers) == 1 and abs(uppers[0][0] - lowers[0][0]) < 1e-6:
        return [Edge((uppers[0], lowers[0]), dashed=dashed)]
    mid = (max(p[1] for p in uppers) + min(p[1] for p in lowers)) / 2
    xs = [p[0] for p in (*uppers, *lowers)]
    edges = [Edge(((min(xs), mid), (max(xs), mid)), dashed=dashed)]
    edges += [Edge((p, (p[0], mid)), dashed=dashed) for p in uppers]
    edges += [Edge(((p[0], mid), p), dashed=dashed) for p in lowers]
    return edges


# --- 비전체계도 ----------------------------------------------------------------------------

# (font scale, most lines per box) tried in turn until the tree fits a page
_FITS = ((1.0, 0), (0.92, 0), (0.92, 5), (0.85, 4), (0.8, 3), (0.8, 2))


def vision_layout(data: dict[str, Any]) -> Layout:
    """Return the 비전체계도 layout: vision box, goal row(s), strategy row(s), counts line.

    ``data``: ``{"case", "vision" (str or None), "goals": [...], "strategies": [...],
    "counts": [...], "missing": "자료 미확인", "labels": {...}}``.  A level without a value
    is one dashed box with the missing wording.  Up to 4 goals or strategies stand in one
    row; more go into balanced rows (6 → 3 + 3) on a light panel.  When the tree is taller
    than a page the font shrinks, then the lines per box are capped (the cut ends in "…"
    and is listed in ``notes``).
    """
    layout = _vision(data, *_FITS[0])
    for scale, max_lines in _FITS[1:]:
        if layout.height <= MAX_HEIGHT_IN:
            break
        layout = _vision(data, scale, max_lines)
    return layout


def _vision(data: dict[str, Any], scale: float, max_lines: int) -> Layout:
    words = _labels(data)
    tag_w, tag_gap, level_gap = 0.74, 0.14, 0.34
    x0 = MARGIN + tag_w + tag_gap
    width = WIDTH - MARGIN - x0
    boxes: list[Box] = []
    edges: list[Edge] = []
    y = MARGIN

    def tag(label: str, top: float, bottom: float) -> None:
        size = 9 * scale
        lines = wrap(label, tag_w - 2 * 0.05, size, bold=True)
        boxes.append(Box("tag", MARGIN, top, tag_w, bottom - top, tuple(lines), "tag", size))

    # vision: one wide dark box
    vision = str(data.get("vision") or "").strip()
    size = 11.5 * scale
    if vision:
        lines = wrap(vision, width - 2 * 0.3, size, bold=True, max_lines=max_lines)
        top = Box("vision", x0, y, width, _box_h(len(lines), size) + 0.08, tuple(lines),
                  "dark", size)
    else:
        top = Box("vision", x0, y, width, _box_h(1, size) + 0.08, (words["missing"],),
                  "missing", size)
    boxes.append(top)
    tag(words["vision"], top.y, top.bottom)
    y = top.bottom + level_gap

    # goals, then strategies: rows of boxes (or one dashed box)
    goals = _items(data.get("goals"))
    size = 9.5 * scale
    goal = (_grid("goal", goals, x0, y, width, 4, 0.12, size, "light", max_lines) if goals
            else _missing_grid("goal", words["missing"], x0, y, width, size))
    boxes += goal.boxes
    tag(words["goal"], goal.top, goal.bottom)
    edges += _bus(((top.cx, top.bottom),), goal.tops, top.dashed or goal.dashed)
    y = goal.bottom + level_gap

    strategies = _items(data.get("strategies"))
    size = 9 * scale
    numbered = not any(OWN_NUMBER.match(s) for s in strategies)  # no "전략 1" over "1. …"
    strategy = (_grid("strategy", strategies, x0, y, width, 4, 0.12, size, "plain", max_lines,
                      header=words["strategy_number"] if numbered else "",
                      header_size=8.5 * scale) if strategies
                else _missing_grid("strategy", words["missing"], x0, y, width, size))
    boxes += strategy.boxes
    tag(words["strategy"], strategy.top, strategy.bottom)
    edges += _bus(goal.bottoms, strategy.tops, goal.dashed or strategy.dashed)
    y = strategy.bottom

    counts = _items(data.get("counts"))
    if counts:
        size = 9 * scale
        lines = wrap_joined(counts, width - 2 * PAD_X, size, bold=True)
        y += 0.1
        boxes.append(Box("counts", x0, y, width, _box_h(len(lines), size), tuple(lines),
                         "note", size))
        y = boxes[-1].bottom

    notes = () if not max_lines else (
        f"text cut to {max_lines} lines per box and the font scaled to {scale:.0%} "
        "to fit a page",)
    return Layout(WIDTH, y + MARGIN, tuple(boxes), tuple(edges), notes=notes)


def vision_tree(data: dict[str, Any], dpi: int = 150) -> bytes:
    """Return the 비전체계도 of ``data`` (see ``vision_layout``) as PNG bytes."""
    return _draw(vision_layout(data), dpi)


# --- 추진체계도 ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Card:
    """A tier's box: a title band and a body, sized before it is placed."""

    role: str
    w: float
    title: tuple[str, ...]
    body: tuple[str, ...]
    indents: tuple[float, ...]
    missing: bool
    body_style: str = "plain"
    align: str = "center"

    size: float = 9.0
    title_size: float = 8.5

    @property
    def title_h(self) -> float:
        return _box_h(len(self.title), self.title_size) if self.title else 0.0

    @property
    def h(self) -> float:
        return self.title_h + _box_h(len(self.body), self.size)

    def at(self, x: float, y: float) -> tuple[Box, ...]:
        """Return the card's boxes with its top left corner at (x, y)."""
        boxes = []
        if self.title:
            boxes.append(Box(f"{self.role}_header", x, y, self.w, self.title_h, self.title,
                             "missing_header" if self.missing else "header", self.title_size))
        boxes.append(Box(self.role, x, y + self.title_h, self.w, self.h - self.title_h,
                         self.body, "missing" if self.missing else self.body_style, self.size,
                         self.align, self.indents))
        return tuple(boxes)


def _card(role: str, title: str, items: Sequence[str], w: float, missing: str,
          style: str = "plain", joined: bool = False, max_lines: int = 0) -> _Card:
    """Return a card: one item centred, several as bullets (or ``joined`` with "·"); with
    ``max_lines``, each item (or the joined line) keeps at most that many lines."""
    room = w - 2 * PAD_X
    heading = tuple(wrap(title, room, 8.5, bold=True)) if title else ()
    if not items:
        return _Card(role, w, heading, (missing,), (), True)
    if len(items) == 1 or joined:
        lines = wrap_joined(items, room, 9, max_lines=max_lines)
        return _Card(role, w, heading, tuple(lines), (), False, style)
    lines, indents = _bullets(items, room, 9, max_lines)
    return _Card(role, w, heading, tuple(lines), tuple(indents), False, style, "left")


def governance_layout(data: dict[str, Any]) -> Layout:
    """Return the 추진체계도 layout: who deliberates, who runs, who delivers, with whom.

    ``data``: ``{"case", "head": "광주광역시장" or "", "committees": [...],
    "departments": [...], "taskforces": [...], "intermediaries": [{"name", "kind":
    "center" | "private_partner"}], "partners": [...], "missing", "labels"}``.

    The spine runs head (dark box) → 전담부서 → 중간지원조직 → 협력 주체.  Committees stand
    left of the head–department link with an arrow "심의·자문" onto it (onto the department
    when there is no head), task forces right of the department ("협업"); the department
    reaches the intermediaries by "위탁·지원", and they the partners by "협력".

    What is drawn when a tier is empty — the data can only say "unknown", never "none":

    * committees, departments, intermediaries make the chain, so they are always drawn:
      empty, as a dashed box with the missing wording, and every link touching it dashed;
      the chain reads even where a link is unknown.
    * task forces and partners hang off the chain: empty, their boxes are left out (a
      dashed box per case for what most plans lack would crowd the figure), and a line
      "※ 자료 미확인: 추진단·TF" under the diagram names them, so nothing unknown vanishes.
    * an empty ``head`` is not a coded tier: it is left out without a note.

    Several items of one tier share its box as a bulleted list (partners: one line joined
    with "·").  Each intermediary has its own box, its kind told by the title and by the
    body's fill (a centre white, a private partner shaded); more than three go into rows
    on a light panel.  Taller than a page, the bulleted tiers' items are cut to two lines,
    then one (ending in "…", said in ``notes``); names of intermediaries and partners never.
    """
    layout = _governance(data, 0)
    for max_lines in (2, 1):
        if layout.height <= MAX_HEIGHT_IN:
            break
        layout = _governance(data, max_lines)
    return layout


def _governance(data: dict[str, Any], max_lines: int) -> Layout:
    words = _labels(data)
    head = str(data.get("head") or "").strip()
    tiers = {key: _items(data.get(key))
             for key in ("committees", "departments", "taskforces", "partners")}
    mediators = _mediators(data)
    parts = _GovParts(max_lines)
    dept, above = _upper_block(parts, words, head, tiers)
    y, bottoms, dashed = _intermediary_block(parts, words, mediators, dept, above)
    if tiers["partners"]:
        y = _partner_block(parts, words, tiers["partners"], y, bottoms, dashed)
    unknown = [words[k] for k in ("taskforce", "partner") if not tiers[f"{k}s"]]
    if unknown:
        y += 0.12
        parts.texts.append(Text(MARGIN, y, f"※ {words['missing']}: {', '.join(unknown)}",
                                8.0, "left", "top", color="#5c5c5c"))
        y += _line_h(8.0)
    notes = (f"committees, departments and task forces cut to {max_lines} lines an item "
             "to fit a page",) if max_lines else ()
    return Layout(WIDTH, y + MARGIN, tuple(parts.boxes), tuple(parts.edges),
                  tuple(parts.texts), notes=notes)


# the 추진체계도's columns: committees | head, department, intermediaries | task forces
_SIDE_W, _GAP, _GAP_V = 1.58, 0.68, 0.5
_USABLE = WIDTH - 2 * MARGIN
_CENTRE_W = _USABLE - 2 * _SIDE_W - 2 * _GAP
_CENTRE_X = MARGIN + _SIDE_W + _GAP
_SPINE = _CENTRE_X + _CENTRE_W / 2


@dataclass
class _GovParts:
    """What the 추진체계도 has placed so far, and how many lines an item of a bulleted tier
    (committees, departments, task forces) may take; names of intermediaries and partners
    are never cut, as they tell the boxes apart."""

    max_lines: int = 0
    boxes: list[Box] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


def _relation(text: str, x: float, y: float, ha: str = "center", va: str = "bottom") -> Text:
    return Text(x, y, text, 8.0, ha, va, color="#333333")


def _upper_block(parts: _GovParts, words: dict[str, str], head_name: str,
                 tiers: dict[str, list[str]]) -> tuple[Box, float]:
    """Place head, department, committees and task forces; return the department's body
    and the bottom of the block."""
    missing = words["missing"]
    committee = _card("committee", words["committee"], tiers["committees"], _SIDE_W, missing,
                      max_lines=parts.max_lines)
    department = _card("department", words["department"], tiers["departments"], _CENTRE_W,
                       missing, max_lines=parts.max_lines)
    if head_name:
        lines = tuple(wrap(head_name, _CENTRE_W - 2 * PAD_X, 10, bold=True))
        head = _Card("head", _CENTRE_W, (), lines, (), False, "dark", size=10)
        parts.boxes += head.at(_CENTRE_X, MARGIN)
        dept_y = MARGIN + head.h + _GAP_V
        arrow = MARGIN + head.h + _GAP_V / 2  # onto the head–department link
        parts.edges.append(Edge(((_SPINE, MARGIN + head.h), (_SPINE, dept_y)),
                                dashed=department.missing))
        target = _SPINE
    else:  # onto the department, below the committees' title band
        arrow = max(MARGIN + department.h / 2, MARGIN + committee.title_h + 0.2)
        dept_y = arrow - department.h / 2
        target = _CENTRE_X
    committee_y = max(MARGIN, arrow - committee.h / 2)
    dept = department.at(_CENTRE_X, dept_y)
    parts.boxes += dept + committee.at(MARGIN, committee_y)
    parts.edges.append(Edge(((MARGIN + _SIDE_W, arrow), (target, arrow)), head="end",
                            dashed=committee.missing or department.missing))
    parts.texts.append(_relation(words["advise"], (MARGIN + _SIDE_W + target) / 2, arrow - 0.04))
    bottom = max(dept[-1].bottom, committee_y + committee.h)
    if tiers["taskforces"]:
        taskforce = _card("taskforce", words["taskforce"], tiers["taskforces"], _SIDE_W,
                          missing, max_lines=parts.max_lines)
        middle = dept_y + department.h / 2
        right_x = _CENTRE_X + _CENTRE_W + _GAP
        top = max(MARGIN, middle - taskforce.h / 2)
        parts.boxes += taskforce.at(right_x, top)
        parts.edges.append(Edge(((_CENTRE_X + _CENTRE_W, middle), (right_x, middle)),
                                head="both", dashed=department.missing))
        parts.texts.append(_relation(words["collaborate"], right_x - _GAP / 2, middle - 0.04))
        bottom = max(bottom, top + taskforce.h)
    return dept[-1], bottom


INTERMEDIARY_KINDS = ("center", "private_partner")


def _mediators(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the named intermediaries as (name, kind); kind "" when it is not coded."""
    found = []
    for item in data.get("intermediaries") or ():
        name, kind = str(item.get("name") or "").strip(), str(item.get("kind") or "")
        if kind and kind not in INTERMEDIARY_KINDS:
            raise ValueError(f"intermediary {name!r}: kind {kind!r} is not one of "
                             f"{INTERMEDIARY_KINDS} (or empty)")
        if name:
            found.append((name, kind))
    return found


def _kind_title(words: dict[str, str], kind: str) -> str:
    """Return an intermediary box's title: "중간지원조직(지원센터)", or without a kind
    "중간지원조직"."""
    return f"{words['intermediary']}({words[kind]})" if kind else words["intermediary"]


def _intermediary_block(parts: _GovParts, words: dict[str, str],
                        mediators: Sequence[tuple[str, str]],
                        dept: Box, above: float) -> tuple[float, list[Point], bool]:
    """Place the intermediaries below ``above``, linked to the department; return their
    bottom, the points a link to the partners leaves from, and whether the tier is unknown."""
    top = above + _GAP_V + 0.08
    if not mediators:
        card = _card("intermediary", words["intermediary"], [], _CENTRE_W, words["missing"])
        placed = card.at(_CENTRE_X, top)
        parts.boxes += placed
        tops, bottoms = [(_SPINE, top)], [(_SPINE, placed[-1].bottom)]
        end = placed[-1].bottom
    else:
        cols = _row_cols(len(mediators), 3)
        panel = len(mediators) > cols
        inset = 0.1 if panel else 0.0
        gap = 0.3
        card_w = min(2.3, (_USABLE - 2 * inset - (cols - 1) * gap) / cols)
        cards = [_card("intermediary", _kind_title(words, kind), [name], card_w,
                       words["missing"], "shaded" if kind == "private_partner" else "plain")
                 for name, kind in mediators]
        y = top + inset
        rows: list[list[Box]] = []
        for start in range(0, len(cards), cols):
            row = cards[start:start + cols]
            height = max(c.h for c in row)
            x = _SPINE - (len(row) * card_w + (len(row) - 1) * gap) / 2
            for k, card in enumerate(row):
                placed = card.at(x + k * (card_w + gap), y)
                # a card shorter than its neighbours is stretched to the row's height
                parts.boxes += [*placed[:-1], replace(placed[-1], h=placed[-1].h + height
                                                      - card.h)]
            rows.append(parts.boxes[-2 * len(row)::2])  # the title bands of this row
            y += height + 0.15
        end = y - 0.15 + inset
        if panel:
            parts.boxes.insert(len(parts.boxes) - 2 * len(cards), Box(
                "intermediary_panel", MARGIN, top, _USABLE, end - top, (), "panel"))
            tops, bottoms = [(_SPINE, top)], [(_SPINE, end)]
        else:
            tops = [(b.cx, top) for b in rows[0]]
            bottoms = [(b.cx, end) for b in rows[0]]
    link = _bus([(_SPINE, dept.bottom)], tops, dept.dashed or not mediators)
    parts.edges += [replace(e, head="end") if e.points[-1] in tops else e for e in link]
    trunk_end = top if len(link) == 1 else (dept.bottom + top) / 2
    parts.texts.append(_relation(words["support"], _SPINE + 0.07,
                                 (dept.bottom + trunk_end) / 2, "left", "center"))
    return end, bottoms, not mediators


def _partner_block(parts: _GovParts, words: dict[str, str], partners: Sequence[str], y: float,
                   bottoms: Sequence[Point], dashed: bool) -> float:
    """Place the partners under the intermediaries; return the bottom."""
    top = y + _GAP_V + 0.08
    card = _card("partner", words["partner"], partners, min(_USABLE, 4.6), words["missing"],
                 joined=True)
    placed = card.at(_SPINE - card.w / 2, top)
    parts.boxes += placed
    link = _bus(bottoms, [(_SPINE, top)], dashed)
    if len(link) == 1:
        link = [replace(link[0], head="both")]
    else:
        link = [replace(e, head="end") if e.points[-1] == (_SPINE, top) else e for e in link]
    parts.edges += link
    lowest = max(p[1] for p in bottoms)
    trunk_start = lowest if len(link) == 1 else (lowest + top) / 2
    parts.texts.append(_relation(words["cooperate"], _SPINE + 0.07, (trunk_start + top) / 2,
                                 "left", "center"))
    return placed[-1].bottom


def governance_map(data: dict[str, Any], dpi: int = 150) -> bytes:
    """Return the 추진체계도 of ``data`` (see ``governance_layout``) as PNG bytes."""
    return _draw(governance_layout(data), dpi)


# --- 연혁 ---------------------------------------------------------------------------------

def _years(event: dict[str, Any]) -> tuple[int, int]:
    start = int(event["start"])
    end = int(event.get("end") or start)
    return start, max(start, end)


def timeline_layout(data: dict[str, Any]) -> Layout:
    """Return the 연혁 layout: one row per case, years across, labels kept apart.

    ``data``: ``{"cases": [...], "events": [{"row", "start", "end", "label", "kind":
    "plan" | "ordinance" | "organisation"}], "labels": {...}, "missing"}``.  A period
    (end > start) is a bar, a single year a mark; kinds differ by shape and fill (plan: grey
    square / grey bar; ordinance: black diamond / black bar; organisation: white circle /
    hatched bar).  Marks of one year stand side by side; overlapping periods take separate
    tracks.  Each label goes to the nearest free lane, above the row's marks, then below,
    then further out hanging from a thin leader line; a label never touches another.  A case
    without events shows the missing wording in its row; with no event at all there is no
    year axis.  The caller splits long case lists
    (see ``charts.rows_per_chart``): this layout grows with its rows and is not capped.
    """
    words = _labels(data)
    cases = [str(c) for c in data.get("cases") or ()]
    events = list(data.get("events") or ())
    for event in events:
        if event.get("kind") not in KINDS:
            raise ValueError(f"timeline event kind {event.get('kind')!r}: not one of {KINDS}")
        if not 0 <= int(event["row"]) < len(cases):
            raise ValueError(f"timeline event row {event['row']}: no such case")
    name_size, label_size = 9.0, 8.0
    name_w = min(1.45, max((text_width(c, name_size) for c in cases), default=0.5) + 0.08)
    x0, x1 = MARGIN + name_w + 0.2, WIDTH - MARGIN - 0.15
    spans = [_years(e) for e in events] or [(2020, 2020)]
    low, high = min(s for s, _ in spans), max(e for _, e in spans)
    if high - low < 4:  # a short history still gets a readable axis
        low -= (4 - high + low) // 2
        high = low + 4
    first, last = low - 0.6, high + 0.6

    def at(year: float) -> float:
        return x0 + (year - first) / (last - first) * (x1 - x0)

    boxes: list[Box] = []
    edges: list[Edge] = []
    texts: list[Text] = []
    marks: list[Mark] = []
    y = MARGIN + 0.04
    for row, case in enumerate(cases):
        mine = sorted((e for e in events if int(e["row"]) == row),
                      key=lambda e: (_years(e), KINDS.index(e["kind"]), str(e.get("label", ""))))
        placed = _place_events(mine, at)
        tracks = max((p.track + 1 for p in placed), default=1)
        lanes = _place_labels(placed, x0, x1, label_size)
        above = [h for k, h in sorted(lanes.heights.items()) if k % 2 == 0]
        below = [h for k, h in sorted(lanes.heights.items()) if k % 2 == 1]
        band_top = y + 0.05 + sum(above)
        band_bottom = band_top + tracks * _TRACK
        for p in placed:
            cy = band_top + _TRACK * (p.track + 0.5)
            if p.span:
                boxes.append(Box(f"span_{p.kind}", p.left, cy - _BAR / 2, p.right - p.left,
                                 _BAR, (), p.kind))
            else:
                marks.append(Mark(p.x, cy, *MARKS[p.kind], _MARK))
        for (lane, a, lines, lx), p in zip(lanes.chosen, placed, strict=True):
            level, up = lane // 2, lane % 2 == 0
            heights = above if up else below
            offset = 0.02 + sum(heights[:level])
            cy = band_top + _TRACK * (p.track + 0.5)
            reach = (_BAR if p.span else _MARK) / 2
            lane_h = _line_h(label_size)
            if up:
                bottom = band_top - offset
                for n, line in enumerate(reversed(lines)):
                    texts.append(Text(a, bottom - n * lane_h, line, label_size, "left", "bottom",
                                      knockout=True))
                if level or p.track:
                    edges.append(Edge(((lx, cy - reach), (lx, bottom)), kind="leader"))
            else:
                top = band_bottom + offset
                for n, line in enumerate(lines):
                    texts.append(Text(a, top + n * lane_h, line, label_size, "left", "top",
                                      knockout=True))
                if level or p.track < tracks - 1:
                    edges.append(Edge(((lx, cy + reach), (lx, top)), kind="leader"))
        middle = (band_top + band_bottom) / 2
        if not mine:
            texts.append(Text(x0 + 0.05, middle, words["missing"], label_size, "left",
                              "center", color="#5c5c5c"))
        name_lines = wrap(case, name_w, name_size)
        for n, line in enumerate(name_lines):
            texts.append(Text(MARGIN, middle + (n - (len(name_lines) - 1) / 2)
                              * _line_h(name_size), line, name_size, "left", "center"))
        y = band_bottom + sum(below) + 0.07
        if row < len(cases) - 1:
            edges.append(Edge(((MARGIN, y), (x1, y)), kind="rule"))
        y += 0.03

    if not events:  # no year is known: no axis with made-up years
        return Layout(WIDTH, y + MARGIN, tuple(boxes), tuple(edges), tuple(texts))
    axis_y = y
    step = 1 if high - low <= 12 else 2 if high - low <= 24 else 5
    for year in range(low, high + 1, step):
        edges.append(Edge(((at(year), MARGIN), (at(year), axis_y)), kind="grid"))
        edges.append(Edge(((at(year), axis_y), (at(year), axis_y + 0.05)), kind="axis"))
        texts.append(Text(at(year), axis_y + 0.08, str(year), 8.0, "center", "top"))
    edges.append(Edge(((x0 - 0.1, axis_y), (x1, axis_y)), kind="axis"))
    y = axis_y + 0.08 + _line_h(8.0) + 0.14

    # legend: every kind present, with its bar and/or its mark
    x = x0
    for kind in KINDS:
        forms = {_years(e)[1] > _years(e)[0] for e in events if e["kind"] == kind}
        if True in forms:
            boxes.append(Box(f"legend_{kind}", x, y + 0.06 - _BAR / 2, 0.3, _BAR, (), kind))
            x += 0.36
        if False in forms:
            marks.append(Mark(x + _MARK / 2, y + 0.06, *MARKS[kind], _MARK))
            x += _MARK + 0.06
        if forms:
            texts.append(Text(x, y + 0.06, words[kind], 8.0, "left", "center"))
            x += text_width(words[kind], 8.0) + 0.3
    return Layout(WIDTH, y + 0.12 + 0.04 + MARGIN, tuple(boxes), tuple(edges), tuple(texts),
                  tuple(marks))


_TRACK, _BAR, _MARK = 0.2, 0.1, 0.12  # timeline: track height, bar height, mark size


@dataclass(frozen=True)
class _Placed:
    """A timeline event placed on its row: its track, extent and the x its label points at."""

    kind: str
    label: str
    span: bool
    track: int
    left: float
    right: float
    x: float


def _place_events(events: Sequence[dict[str, Any]], at: Any) -> list[_Placed]:
    """Return the events of one row with periods on tracks and same-year marks side by side."""
    placed: list[_Placed] = []
    ends: list[float] = []  # right end of the last bar on each track
    same_year: dict[int, int] = {}
    for event in events:
        start, end = _years(event)
        if end > start:
            left, right = at(start - 0.42), at(end + 0.42)
            track = next((t for t, e in enumerate(ends) if e < left - 0.02), len(ends))
            ends[track:track + 1] = [right]
            placed.append(_Placed(event["kind"], str(event.get("label", "")), True, track,
                                  left, right, (left + right) / 2))
        else:
            same_year[start] = same_year.get(start, 0) + 1
    seen: dict[int, int] = {}
    for event in events:
        start, end = _years(event)
        if end > start:
            continue
        n, k = same_year[start], seen.get(start, 0)
        seen[start] = k + 1
        x = at(start) + (k - (n - 1) / 2) * (_MARK + 0.04)
        placed.append(_Placed(event["kind"], str(event.get("label", "")), False, 0,
                              x - _MARK / 2, x + _MARK / 2, x))
    return sorted(placed, key=lambda p: (p.x, p.track))


@dataclass(frozen=True)
class _Lanes:
    """Where each label of a row went: (lane, left x, lines, leader x) per event, and the
    height of each lane.

    Lane 0 is just above the marks, 1 just below, 2 above lane 0, 3 below lane 1, ...
    """

    chosen: tuple[tuple[int, float, tuple[str, ...], float], ...]
    heights: dict[int, float]


def _place_labels(placed: Sequence[_Placed], x0: float, x1: float, size: float) -> _Lanes:
    """Return each event's label lane and position.

    Marks are served before bars (a bar's label can slide along it).  For each label the
    lanes are tried from the nearest out and, in each lane, three positions: centred on
    the event, ending at it, starting at it — those that would cover the next event's spot
    last.  The first position where the label touches no other label and its leader line
    crosses none is taken; failing that, the nearest position with room, whatever its
    leader crosses.
    """
    taken: dict[int, list[tuple[float, float]]] = {}
    lines_in: dict[int, int] = {}
    chosen: dict[int, tuple[int, float, tuple[str, ...], float]] = {}
    order = sorted(range(len(placed)), key=lambda i: (placed[i].span, placed[i].x))

    def free(lane: int, left: float, right: float, gap: float) -> bool:
        return all(b + gap < left or right + gap < c for c, b in taken.get(lane, []))

    def fits(lane: int, a: float, w: float, lx: float, leader: bool) -> bool:
        inner = range(lane % 2, lane, 2)  # the lanes a leader line passes on its side
        return free(lane, a, a + w, 0.08) and (
            not leader or all(free(k, lx, lx, 0.05) for k in inner))

    for i in order:
        p = placed[i]
        lines = tuple(wrap(p.label, min(1.9, x1 - x0), size))
        w = max(text_width(line, size) for line in lines)
        inset = min(0.12, (p.right - p.left) / 2)
        options = [(p.x - w / 2, p.x), (p.right + 0.04 - w, p.right - inset),
                   (p.left - 0.04, p.left + inset)]
        options = [(min(max(a, x0 - 0.1), x1 + 0.1 - w), lx) for a, lx in options]

        # in a lane, a position that leaves the next event's spot free comes first
        later = [q.x for q in placed if q.x > p.x + 1e-6]
        ahead = min(later, default=x1 + 1.0) - 0.1
        options.sort(key=lambda o: o[0] + w > ahead)
        spot = next(((k, a, lx) for k in range(8) for a, lx in options if fits(k, a, w, lx, True)),
                    None)
        if spot is None:
            spot = next((k, a, lx) for k in range(len(taken) + 2) for a, lx in options
                        if fits(k, a, w, lx, False))
        lane, a, lx = spot
        taken.setdefault(lane, []).append((a, a + w))
        for k in range(lane % 2, lane, 2):  # the leader occupies the lanes it crosses
            taken.setdefault(k, []).append((lx - 0.005, lx + 0.005))
        lines_in[lane] = max(lines_in.get(lane, 0), len(lines))
        chosen[i] = (lane, a, lines, lx)
    for k in range(max(lines_in, default=-1) + 1):  # a lane between used ones keeps its place
        lines_in.setdefault(k, 0)
    heights = {k: n * _line_h(size) + 0.04 if n else 0.0 for k, n in lines_in.items()}
    return _Lanes(tuple(chosen[i] for i in range(len(placed))), heights)


def coverage_layout(data: dict[str, Any]) -> Layout:
    """Return the coverage grid of ``data``: ``cases`` (rows), ``elements`` (columns) and
    ``counts`` (the number of items per case and element).  A cell shows its count on a
    grey as dark as the count (four or more the darkest); an empty cell is the lightest grey
    and shows no number."""
    cases, elements, counts = data["cases"], data["elements"], data["counts"]
    size, head_size = 9.0, 8.5
    label_w = min(max((text_width(c, size) for c in cases), default=0.5) + 0.12, 2.2)
    x0 = MARGIN + label_w
    cell_w = (WIDTH - MARGIN - x0) / max(len(elements), 1)
    heads = [wrap(e, cell_w - 0.06, head_size, True, max_lines=3) for e in elements]
    head_h = max((len(h) for h in heads), default=1) * _line_h(head_size) + 2 * PAD_Y
    boxes = [Box("head", x0 + n * cell_w, MARGIN, cell_w, head_h, tuple(lines), "header",
                 head_size) for n, lines in enumerate(heads)]
    row_h = 0.28
    texts = []
    y = MARGIN + head_h
    for case, row in zip(cases, counts, strict=True):
        label = case if text_width(case, size) <= label_w - 0.06 else wrap(
            case, label_w - 0.06, size, max_lines=1)[0]
        texts.append(Text(x0 - 0.06, y + row_h / 2, label, size, ha="right"))
        for n, value in enumerate(row):
            boxes.append(Box("cell", x0 + n * cell_w, y, cell_w, row_h,
                             (str(value),) if value else (), f"heat{min(int(value), 4)}", 8.0))
        y += row_h
    return Layout(WIDTH, y + MARGIN, tuple(boxes), texts=tuple(texts))


def coverage_grid(data: dict[str, Any], dpi: int = 150) -> bytes:
    """Return the coverage grid of ``data`` (see ``coverage_layout``) as PNG bytes."""
    return _draw(coverage_layout(data), dpi)


def timeline(data: dict[str, Any], dpi: int = 150) -> bytes:
    """Return the 연혁 of ``data`` (see ``timeline_layout``) as PNG bytes."""
    return _draw(timeline_layout(data), dpi)


# --- alt text -----------------------------------------------------------------------------

def _quoted(values: Sequence[str], missing: str) -> str:
    return ", ".join(f"‘{v}’" for v in values) if values else missing


def alt_text(kind: str, data: dict[str, Any]) -> str:
    """Return a one-paragraph Korean description of a diagram for the DOCX alt text.

    ``kind`` is "vision_tree", "governance_map" or "timeline"; every value in ``data`` is
    named, and every unknown level says the missing wording.  The sentences use labels and
    colons, never a particle after a value, so no 조사 can mismatch.
    """
    words = _labels(data)
    missing = words["missing"]
    case = str(data.get("case") or "").strip()
    if kind == "vision_tree":
        goals = _items(data.get("goals"))
        strategies = _items(data.get("strategies"))
        vision = str(data.get("vision") or "").strip()
        parts = [f"{case} {words['vision_tree']}.",
                 f"{words['vision']}: {_quoted([vision] if vision else [], missing)}.",
                 f"{words['goal']}({len(goals)}개): {_quoted(goals, missing)}."
                 if goals else f"{words['goal']}: {missing}.",
                 f"{words['strategy']}({len(strategies)}개): {_quoted(strategies, missing)}."
                 if strategies else f"{words['strategy']}: {missing}."]
        counts = _items(data.get("counts"))
        if counts:
            parts.append(f"{words['counts']}: {', '.join(counts)}.")
        return " ".join(parts)
    if kind == "governance_map":
        head = str(data.get("head") or "").strip()
        mediators = [f"‘{name}’({words[sort]})" if sort else f"‘{name}’"
                     for name, sort in _mediators(data)]
        parts = [f"{case} {words['governance_map']}."]
        if head:
            parts.append(f"{words['head']}: ‘{head}’.")
        parts += [
            f"{words['committee']}({words['advise']}): "
            f"{_quoted(_items(data.get('committees')), missing)}.",
            f"{words['department']}: {_quoted(_items(data.get('departments')), missing)}.",
            f"{words['taskforce']}({words['collaborate']}): "
            f"{_quoted(_items(data.get('taskforces')), missing)}.",
            f"{words['intermediary']}({words['department']}에서 {words['support']}): "
            f"{', '.join(mediators) if mediators else missing}.",
            f"{words['partner']}({josa(words['intermediary'], '과와')} {words['cooperate']}): "
            f"{_quoted(_items(data.get('partners')), missing)}."]
        return " ".join(parts)
    if kind == "timeline":
        cases = [str(c) for c in data.get("cases") or ()]
        rows = []
        for row, name in enumerate(cases):
            mine = sorted((e for e in data.get("events") or () if int(e["row"]) == row),
                          key=lambda e: (_years(e), str(e.get("label", ""))))
            said = []
            for event in mine:
                start, end = _years(event)
                when = (words["years"].format(start=start, end=end) if end > start
                        else words["year"].format(year=start))
                said.append(f"{when} ‘{event.get('label', '')}’"
                            f"({words.get(str(event['kind']), str(event['kind']))})")
            rows.append(f"{name}: {', '.join(said) if said else missing}")
        return f"{words['timeline']}. " + "; ".join(rows) + "."
    raise ValueError(f"unknown diagram kind {kind!r}: vision_tree, governance_map, timeline")


# --- drawing ------------------------------------------------------------------------------
#
# The painter blends coverage masks into one 8-bit grey image at the final resolution, as
# matplotlib's Agg renderer did before it (and in its order: grid lines, other lines, boxes,
# arrowheads, marks, texts), in a few milliseconds instead of tens:
#
# * horizontal and vertical strokes and rectangles are snapped as Agg snaps them (a stroke
#   whose width rounds to an odd number of pixels is centred on a pixel centre, an even one
#   on a pixel edge) and their coverage is exact: at most nine runs of partial pixels; the
#   dashes along such a stroke are laid out as one row of bytes in 1/8 px;
# * everything else — rounded corners, circles, diamonds, arrowheads, hatching — is drawn
#   8× larger on a tile just covering it, and the reduced tile is its coverage;
# * text is set glyph by glyph, each glyph rendered once per size at four sub-pixel offsets
#   and advanced by the widths the layout measured, so a line is exactly as wide as the
#   wrapping assumed; lines are placed vertically as matplotlib's "center_baseline",
#   "top" and "bottom" alignments placed them.

LINE_W = {"line": 0.8, "grid": 0.5, "leader": 0.5, "axis": 0.7, "rule": 0.5}
LINE_C = {"line": "#333333", "grid": "#dcdcdc", "leader": "#7a7a7a", "axis": "#333333",
          "rule": "#cfcfcf"}
ARROW = 0.075  # arrowhead length, inches
DASH = (3.0, 2.0)  # a dash and the gap after it, in line widths
EDGE_W = 0.7  # box edges, points
MARK_EDGE = (0.8, "#1a1a1a")  # timeline marks: edge width (points) and grey
HATCH = (0.6, "#333333", 12)  # "////": line width (points), grey, lines per inch across
ROUNDING = 0.06  # corner radius of a rounded box, inches
KNOCKOUT = 0.6  # points of white ground around a knocked-out text
_SUPER = 8  # tiles of shapes other than upright rectangles are drawn this much larger
_PHASES = 4  # glyphs are rendered at this many sub-pixel offsets


def _arrowheads(edge: Edge) -> tuple[list[Point], list[list[Point]]]:
    """Return the edge's points, shortened where an arrowhead sits, and the arrowheads."""
    points = list(edge.points)
    heads = []
    for n in {"end": [-1], "both": [0, -1]}.get(edge.head, []):
        (xa, ya), (xb, yb) = points[n], points[n - 1 if n else 1]
        length = math.hypot(xa - xb, ya - yb) or 1.0
        ux, uy = (xa - xb) / length, (ya - yb) / length
        bx, by = xa - ux * ARROW, ya - uy * ARROW
        half = ARROW * 0.45
        heads.append([(xa, ya), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)])
        points[n] = (xa - ux * ARROW * 0.8, ya - uy * ARROW * 0.8)  # the tip stays sharp
    return points, heads


@cache
def _grey(colour: str) -> int:
    """Return the 8-bit grey of "#rrggbb", "white" or "black" (Pillow's RGB → L weights)."""
    named = {"white": "#ffffff", "black": "#000000"}
    value = named.get(colour, colour)
    red, green, blue = (int(value[i:i + 2], 16) for i in (1, 3, 5))
    return (red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16


def _snap(value: float, width: float) -> float:
    """Return a pixel coordinate snapped as Agg snaps a straight stroke ``width`` px wide."""
    return math.floor(value + 0.5) + (0.5 if math.floor(width + 0.5) % 2 else 0.0)


def _runs(low: float, high: float, limit: int) -> list[tuple[int, int, float]]:
    """Return the runs of pixels [start, end) that the span [low, high) covers, each with
    the share of a pixel it covers; clipped to [0, limit)."""
    low, high = max(low, 0.0), min(high, float(limit))
    if high - low < 1e-9:
        return []
    first, last = math.floor(low), math.floor(high)
    if first == last:
        return [(first, first + 1, high - low)]
    runs = []
    if low > first:
        runs.append((first, first + 1, first + 1 - low))
        first += 1
    if last > first:
        runs.append((first, last, 1.0))
    if high > last:
        runs.append((last, last + 1, high - last))
    return runs


def _dash_pieces(lengths: Sequence[float], on: float, off: float) -> list[list[tuple[float,
                                                                                     float]]]:
    """Return, for each segment of a polyline with these lengths, the stretches [a, b)
    (from the segment's start) that a dash pattern starting at the polyline's start covers."""
    period = on + off
    pieces: list[list[tuple[float, float]]] = []
    start = 0.0
    for length in lengths:
        mine = []
        for k in range(math.floor(start / period), math.floor((start + length) / period) + 1):
            a, b = max(start, k * period), min(start + length, k * period + on)
            if b - a > 1e-9:
                mine.append((a - start, b - start))
        pieces.append(mine)
        start += length
    return pieces


class _Canvas:
    """The image being painted and the inches → pixels mapping of matplotlib's Agg."""

    def __init__(self, layout: Layout, dpi: int) -> None:
        self.dpi = dpi
        # whole pixels, as matplotlib cut them (a size within 1e-8 px of a whole one is it)
        self.width = int(layout.width * dpi + 1e-8)
        self.height = int(layout.height * dpi + 1e-8)
        # Agg's rows are y * dpi less the part of a pixel the figure height was cut by
        self.shift = layout.height * dpi - self.height
        self.image = Image.new("L", (self.width, self.height), 255)
        self.draw = ImageDraw.Draw(self.image)

    def at(self, point: Point) -> Point:
        return point[0] * self.dpi, point[1] * self.dpi - self.shift

    def px(self, points: float) -> float:
        return points * self.dpi / 72

    # -- coverage primitives --

    def fill(self, x0: float, y0: float, x1: float, y1: float, grey: int,
             under: int | None = None) -> None:
        """Blend the rectangle [x0, x1) × [y0, y1) (pixels, fractional) in ``grey``; with
        ``under``, the grey known to lie under all of it, partial pixels are set blended."""
        rows = _runs(y0, y1, self.height)
        for left, right, across in _runs(x0, x1, self.width):
            for top, bottom, down in rows:
                alpha = round(across * down * 255)
                if alpha >= 255:
                    self.draw.rectangle((left, top, right - 1, bottom - 1), fill=grey)
                elif alpha <= 0:
                    continue
                elif under is not None:
                    self.draw.rectangle((left, top, right - 1, bottom - 1),
                                        fill=(under * (255 - alpha) + grey * alpha + 127) // 255)
                else:
                    self.image.paste(grey, (left, top, right, bottom),
                                     _flat(right - left, bottom - top, alpha))

    def tile(self, box: tuple[float, float, float, float]) -> _Tile | None:
        """Return an 8× tile covering ``box`` (pixels), or None when it is off the canvas."""
        left, top = max(math.floor(box[0]) - 1, 0), max(math.floor(box[1]) - 1, 0)
        right = min(math.ceil(box[2]) + 1, self.width)
        bottom = min(math.ceil(box[3]) + 1, self.height)
        if right <= left or bottom <= top:
            return None
        return _Tile(left, top, right, bottom)

    def blend(self, tile: _Tile | None, grey: int) -> None:
        """Blend in ``grey`` what was drawn on ``tile``."""
        if tile is not None:
            self.image.paste(grey, (tile.left, tile.top), tile.image.reduce(_SUPER))

    # -- strokes --

    def stroke(self, points: Sequence[Point], width: float, grey: int,
               dashed: bool = False) -> None:
        """Stroke a polyline (pixels) ``width`` px wide with butt ends, solid or dashed
        (``DASH``, continued through the corners)."""
        upright = all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(points))
        if upright:  # snapped, as Agg snaps a path of horizontal and vertical segments
            points = [(_snap(x, width), _snap(y, width)) for x, y in points]
        segments = [(a, b) for a, b in itertools.pairwise(points) if a != b]
        half = width / 2
        if upright and dashed:
            on = round(DASH[0] * width * _SUPER)  # in 1/8 px: a dash is within 1/16 px
            pattern = b"\xff" * on + b"\x00" * round(DASH[1] * width * _SUPER)
            travelled = 0.0
            for n, (a, b) in enumerate(segments):
                phase = round(travelled * _SUPER) % len(pattern)
                # a dash running on through a corner covers the corner's square
                lead = round(half * _SUPER) if n and phase < on else 0
                self._dashes(a, b, pattern, phase, lead, half, grey)
                travelled += abs(b[0] - a[0]) + abs(b[1] - a[1])
            return
        if upright:
            for n, ((xa, ya), (xb, yb)) in enumerate(segments):
                if n:  # the corner's square, covered once
                    self.fill(xa - half, ya - half, xa + half, ya + half, grey)
                    if ya == yb:
                        xa += half if xb > xa else -half
                    else:
                        ya += half if yb > ya else -half
                self._band(xa, ya, xb, yb, half, grey)
            return
        lengths = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in segments]
        pieces = (_dash_pieces(lengths, DASH[0] * width, DASH[1] * width) if dashed
                  else [[(0.0, length)] for length in lengths])
        for (a, b), length, mine in zip(segments, lengths, pieces, strict=True):
            ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
            nx, ny = -uy * half, ux * half
            tile = self.tile((min(a[0], b[0]) - width, min(a[1], b[1]) - width,
                              max(a[0], b[0]) + width, max(a[1], b[1]) + width))
            if tile is not None:
                for s, e in mine:
                    xa, ya, xb, yb = a[0] + ux * s, a[1] + uy * s, a[0] + ux * e, a[1] + uy * e
                    tile.polygon([(xa + nx, ya + ny), (xb + nx, yb + ny),
                                  (xb - nx, yb - ny), (xa - nx, ya - ny)])
            self.blend(tile, grey)

    def _dashes(self, a: Point, b: Point, pattern: bytes, phase: int, lead: int, half: float,
                grey: int) -> None:
        """Blend the upright segment a → b dashed by ``pattern`` (one period in 1/8 px, from
        ``phase``; ``lead`` 1/8 px of dash before ``a``), ``half`` px to either side: the
        coverage along it is set as a row of bytes, across it is exact."""
        horizontal = a[1] == b[1]
        axis = 0 if horizontal else 1
        count = round(abs(b[axis] - a[axis]) * _SUPER)
        row = b"\xff" * lead + (pattern * (count // len(pattern) + 2))[phase:phase + count]
        if b[axis] >= a[axis]:
            low = a[axis] - lead / _SUPER
        else:
            low, row = b[axis], row[::-1]
        runs = _runs(a[1 - axis] - half, a[1 - axis] + half,
                     self.height if horizontal else self.width)
        first = math.floor(low)
        row = bytes(round((low - first) * _SUPER)) + row
        size = math.ceil(len(row) / _SUPER)
        row += bytes(size * _SUPER - len(row))
        if first < 0:  # off the canvas
            row, size, first = row[-first * _SUPER:], size + first, 0
        size = min(size, (self.width if horizontal else self.height) - first)
        if size <= 0 or not runs:
            return
        along = Image.frombytes("L", (size * _SUPER, 1), row[:size * _SUPER]).reduce((_SUPER, 1))
        mask = Image.new("L", (size, runs[-1][1] - runs[0][0]), 0)
        for start, end, cover in runs:
            band = along if cover == 1.0 else ImageChops.multiply(
                along, Image.new("L", along.size, round(cover * 255)))
            if end - start > 1:
                band = band.resize((size, end - start), Image.Resampling.NEAREST)
            mask.paste(band, (0, start - runs[0][0]))
        if horizontal:
            self.image.paste(grey, (first, runs[0][0]), mask)
        else:
            self.image.paste(grey, (runs[0][0], first), mask.transpose(Image.Transpose.TRANSPOSE))

    def _band(self, xa: float, ya: float, xb: float, yb: float, half: float,
              grey: int) -> None:
        """Fill an upright stroke from (xa, ya) to (xb, yb), ``half`` px either side."""
        if ya == yb:
            self.fill(min(xa, xb), ya - half, max(xa, xb), ya + half, grey)
        else:
            self.fill(xa - half, min(ya, yb), xa + half, max(ya, yb), grey)

    # -- shapes --

    def box(self, x0: float, y0: float, x1: float, y1: float, style: Style,
            width: float) -> None:
        """Paint a box (pixels) in ``style`` with edges ``width`` px wide."""
        face = _grey(style.face)
        edge = None if style.edge == "none" else _grey(style.edge)
        if edge is None:
            width = 0.0
        half = width / 2
        if style.rounded:
            self._rounded(x0, y0, x1, y1, face, edge, width, style.dashed)
            return
        left, top, right, bottom = (_snap(v, width) for v in (x0, y0, x1, y1))
        if edge is None or style.dashed:
            inner = (left, top, right, bottom)
            self.fill(*inner, face)
        else:  # the edge's grey, then the face on it
            self.fill(left - half, top - half, right + half, bottom + half, edge)
            inner = (left + half, top + half, right - half, bottom - half)
            self.fill(*inner, face, under=edge)
        if style.hatch:
            self._hatch(*inner, style.hatch)
        if edge is not None and style.dashed:  # the stroke snaps the corners alike
            self.stroke([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], width, edge,
                        dashed=True)

    def _rounded(self, x0: float, y0: float, x1: float, y1: float, face: int,
                 edge: int | None, width: float, dashed: bool) -> None:
        half = width / 2
        radius = ROUNDING * self.dpi
        if edge is None or dashed or edge == face:
            grow = half if edge is not None and not dashed else 0.0
            self._round_rect(x0 - grow, y0 - grow, x1 + grow, y1 + grow, radius + grow, face)
        else:
            self._round_rect(x0 - half, y0 - half, x1 + half, y1 + half, radius + half, edge)
            self._round_rect(x0 + half, y0 + half, x1 - half, y1 - half,
                             max(radius - half, 0.0), face)
        if edge is not None and dashed:  # the straight stretches of the edge
            r = min(radius, (x1 - x0) / 2, (y1 - y0) / 2)
            for side in (((x0 + r, y0), (x1 - r, y0)), ((x1, y0 + r), (x1, y1 - r)),
                         ((x1 - r, y1), (x0 + r, y1)), ((x0, y1 - r), (x0, y0 + r))):
                self.stroke(side, width, edge, dashed=True)

    def _round_rect(self, x0: float, y0: float, x1: float, y1: float, radius: float,
                    grey: int) -> None:
        """Blend a rectangle with rounded corners: the corners drawn on tiles, the rest
        exact; every piece ends on a pixel edge, so none leaves a seam."""
        radius = min(radius, (x1 - x0) / 2, (y1 - y0) / 2)
        if radius <= 0:
            self.fill(x0, y0, x1, y1, grey)
            return
        inner = (math.ceil(x0 + radius), math.ceil(y0 + radius),
                 math.floor(x1 - radius), math.floor(y1 - radius))
        if inner[0] >= inner[2] or inner[1] >= inner[3]:  # too small to split
            tile = self.tile((x0, y0, x1, y1))
            if tile is not None:
                tile.rounded(x0, y0, x1, y1, radius)
            self.blend(tile, grey)
            return
        left, top, right, bottom = inner
        self.fill(left, y0, right, y1, grey)
        self.fill(x0, top, left, bottom, grey)
        self.fill(right, top, x1, bottom, grey)
        for box in ((math.floor(x0), math.floor(y0), left, top),
                    (right, math.floor(y0), math.ceil(x1), top),
                    (math.floor(x0), bottom, left, math.ceil(y1)),
                    (right, bottom, math.ceil(x1), math.ceil(y1))):
            tile = _Tile(max(box[0], 0), max(box[1], 0), min(box[2], self.width),
                         min(box[3], self.height))
            if tile.right > tile.left and tile.bottom > tile.top:
                # the corner's quarter disc and the two bands between the discs
                cx = x0 + radius if box[0] < left else x1 - radius
                cy = y0 + radius if box[1] < top else y1 - radius
                tile.ellipse(cx - radius, cy - radius, cx + radius, cy + radius)
                tile.rect(x0 + radius, y0, x1 - radius, y1)
                tile.rect(x0, y0 + radius, x1, y1 - radius)
                self.blend(tile, grey)

    def _hatch(self, x0: float, y0: float, x1: float, y1: float, pattern: str) -> None:
        """Hatch the rectangle with lines rising to the right ("/" only), clipped to it."""
        width, colour, per_inch = HATCH
        tile = self.tile((x0, y0, x1, y1))
        if tile is None or x1 <= x0 or y1 <= y0:
            return
        step = self.dpi / (per_inch * pattern.count("/") / 4)
        across = self.px(width) / 2 * math.sqrt(2)  # half the line, measured across a row
        top, bottom = tile.top - 1, tile.bottom + 1
        # the lines x + row = k * step: anchored, like Agg's, to the canvas's corner
        first = math.floor((tile.left + top) / step) - 1
        last = math.ceil((tile.right + bottom) / step) + 1
        for k in range(first, last + 1):
            c = k * step
            tile.polygon([(c - top - across, top), (c - top + across, top),
                          (c - bottom + across, bottom), (c - bottom - across, bottom)])
        tile.clip(x0, y0, x1, y1)
        self.blend(tile, _grey(colour))

    def mark(self, mark: Mark) -> None:
        width, colour = MARK_EDGE
        x, y = self.at((mark.x, mark.y))
        r = mark.d / 2 * self.dpi
        w = self.px(width)
        if mark.shape == "square":
            self.box(x - r, y - r, x + r, y + r, Style(mark.face, colour, ""), w)
            return
        for grey, grow in ((_grey(colour), w / 2), (_grey(mark.face), -w / 2)):
            if mark.shape == "diamond":
                reach = r * 1.2 + grow * math.sqrt(2)  # mitred corners
                tile = self.tile((x - reach, y - reach, x + reach, y + reach))
                if tile is not None:
                    tile.polygon([(x, y - reach), (x + reach, y), (x, y + reach),
                                  (x - reach, y)])
            else:
                reach = r + grow
                tile = self.tile((x - reach, y - reach, x + reach, y + reach))
                if tile is not None:
                    tile.ellipse(x - reach, y - reach, x + reach, y + reach)
            self.blend(tile, grey)

    # -- text --

    def text(self, x: float, y: float, line: str, bold: bool, size: float, ha: str,
             va: str, grey: int, knockout: bool = False) -> None:
        """Set ``line`` anchored at pixel (x, y) as matplotlib aligned a text there: its
        ink box's left, centre or right at x; its baseline per ``va`` ("center_baseline",
        "center", "top", "bottom", "baseline") from its ink height and that of "lp"."""
        em = size * self.dpi / 72
        placed: list[tuple[float, str]] = []
        pen = 0.0
        for char in line:
            advance = _em(char, bold) * em  # a character the font lacks raises here
            if not char.isspace():
                placed.append((pen, char))
            pen += advance
        ink_left, ink_right, ascent, descent = math.inf, -math.inf, 0, 0
        for pen, char in placed:
            mask, left, top = _glyph(char, bold, em, 0)
            if mask is not None:
                ink_left = min(ink_left, pen + left)
                ink_right = max(ink_right, pen + left + mask.width)
                ascent, descent = max(ascent, -top), max(descent, top + mask.height)
        lp_ascent, lp_descent = _lp(bold, em)
        height = max(ascent + descent, lp_ascent + lp_descent)
        descent = max(descent, lp_descent)
        baseline = y + {"center_baseline": (height - descent) / 2, "top": height - descent,
                        "center": height / 2 - descent, "bottom": -descent}.get(va, 0.0)
        baseline = math.floor(baseline + 0.5)
        if ink_left > ink_right:  # nothing to see
            return
        start = x - {"left": ink_left, "right": ink_right}.get(ha, (ink_left + ink_right) / 2)
        if knockout:
            pad = self.px(KNOCKOUT)
            self.fill(math.floor(start + ink_left - pad + 0.5),
                      math.floor(baseline - (height - descent) - pad + 0.5),
                      math.floor(start + ink_right + pad + 0.5),
                      math.floor(baseline + descent + pad + 0.5), 255)
        for pen, char in placed:
            at = start + pen
            whole = math.floor(at)
            phase = round((at - whole) * _PHASES)
            whole, phase = (whole + 1, 0) if phase == _PHASES else (whole, phase)
            mask, left, top = _glyph(char, bold, em, phase)
            if mask is not None:
                self.draw.bitmap((whole + left, baseline + top), mask, fill=grey)

    def png(self) -> bytes:
        """Return the image as an 8-bit greyscale PNG with its resolution and nothing else.

        Written here rather than by Pillow, whose encoder tries five filters on every row:
        twice the time of the whole drawing, for files no smaller on flat diagrams than
        unfiltered rows compressed at level 3.
        """
        rows = Image.new("L", (self.width + 1, self.height), 0)  # filter type 0 per row
        rows.paste(self.image, (1, 0))
        per_metre = int(self.dpi / 0.0254 + 0.5)

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data)))

        return b"".join((
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 0, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", zlib.compress(rows.tobytes(), 3)),
            chunk(b"IEND", b"")))


class _Tile:
    """An 8× tile of the canvas's pixels [left, right) × [top, bottom); shapes are drawn on
    it in canvas pixels and it holds their coverage."""

    def __init__(self, left: int, top: int, right: int, bottom: int) -> None:
        self.left, self.top, self.right, self.bottom = left, top, right, bottom
        self.image = Image.new("L", ((right - left) * _SUPER, (bottom - top) * _SUPER), 0)
        self.draw = ImageDraw.Draw(self.image)

    def _x(self, x: float) -> float:
        return (x - self.left) * _SUPER

    def _y(self, y: float) -> float:
        return (y - self.top) * _SUPER

    def _span(self, low: float, high: float) -> tuple[int, int]:
        """Return the tile pixels (inclusive) that cover [low, high) in tile coordinates."""
        return math.floor(low + 0.5), math.floor(high + 0.5) - 1

    def rect(self, x0: float, y0: float, x1: float, y1: float) -> None:
        left, right = self._span(self._x(x0), self._x(x1))
        top, bottom = self._span(self._y(y0), self._y(y1))
        if right >= left and bottom >= top:
            self.draw.rectangle((left, top, right, bottom), fill=255)

    def polygon(self, points: Sequence[Point]) -> None:
        # Pillow fills the pixels whose centres a polygon covers, counting pixel i's centre
        # as i: a corner at tile coordinate c is drawn at c - 0.5
        self.draw.polygon([(self._x(x) - 0.5, self._y(y) - 0.5) for x, y in points], fill=255)

    def ellipse(self, x0: float, y0: float, x1: float, y1: float) -> None:
        left, right = self._span(self._x(x0), self._x(x1))
        top, bottom = self._span(self._y(y0), self._y(y1))
        if right >= left and bottom >= top:
            self.draw.ellipse((left, top, right, bottom), fill=255)

    def rounded(self, x0: float, y0: float, x1: float, y1: float, radius: float) -> None:
        left, right = self._span(self._x(x0), self._x(x1))
        top, bottom = self._span(self._y(y0), self._y(y1))
        if right >= left and bottom >= top:
            self.draw.rounded_rectangle((left, top, right, bottom),
                                        radius=round(radius * _SUPER), fill=255)

    def clip(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Clear everything outside [x0, x1) × [y0, y1) (canvas pixels)."""
        left, right = self._span(self._x(x0), self._x(x1))
        top, bottom = self._span(self._y(y0), self._y(y1))
        width, height = self.image.size
        for box in ((0, 0, width, top - 1), (0, bottom + 1, width, height),
                    (0, 0, left - 1, height), (right + 1, 0, width, height)):
            if box[2] >= box[0] and box[3] >= box[1]:
                self.draw.rectangle(box, fill=0)


@lru_cache(maxsize=4096)
def _flat(width: int, height: int, alpha: int) -> Image.Image:
    """Return a mask of one coverage (the sides of a rectangle are runs of equal ones)."""
    return Image.new("L", (width, height), alpha)


@cache
def _typeface(bold: bool, em: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_paths()[bold], em, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=32768)  # a report's syllables at its sizes, without growing for ever
def _glyph(char: str, bold: bool, em: float, phase: int) -> tuple[Image.Image | None, int,
                                                                   int]:
    """Return the coverage of ``char`` drawn with its pen ``phase`` / 4 px right of a pixel
    edge, and where its top left pixel is from that pixel edge on the baseline."""
    font = _typeface(bold, em)
    x0, y0, x1, y1 = (math.floor(v) for v in font.getbbox(char, anchor="ls"))
    image = Image.new("L", (x1 - x0 + 4, y1 - y0 + 4), 0)
    ImageDraw.Draw(image).text((2 - x0 + phase / _PHASES, 2 - y0), char, fill=255, font=font,
                               anchor="ls")
    box = image.getbbox()
    if box is None:
        return None, 0, 0
    return image.crop(box), box[0] - 2 + x0, box[1] - 2 + y0


@cache
def _lp(bold: bool, em: float) -> tuple[int, int]:
    """Return the ink ascent and descent of "lp", matplotlib's least line height."""
    ascent = descent = 0
    for char in "lp":
        mask, _, top = _glyph(char, bold, em, 0)
        if mask is not None:
            ascent, descent = max(ascent, -top), max(descent, top + mask.height)
    return ascent, descent


def warm() -> None:
    """Read the diagram fonts now (a drawing worker does it before its first diagram)."""
    for bold in (False, True):
        _face(_font_paths()[bold])


def _draw(layout: Layout, dpi: int) -> bytes:
    """Return ``layout`` painted as PNG bytes at ``dpi``: 8-bit grey (every colour used is
    a grey), no metadata but the resolution, the same bytes for the same layout."""
    canvas = _Canvas(layout, dpi)
    heads: list[list[Point]] = []
    strokes: list[tuple[int, Edge, list[Point]]] = []
    for edge in layout.edges:
        points, arrowheads = _arrowheads(edge)
        heads += arrowheads
        strokes.append((0 if edge.kind == "grid" else 1, edge, points))
    for _, edge, points in sorted(strokes, key=lambda s: s[0]):  # grid lines first
        canvas.stroke([canvas.at(p) for p in points], canvas.px(LINE_W[edge.kind]),
                      _grey(LINE_C[edge.kind]), edge.dashed)
    edge_w = canvas.px(EDGE_W)
    for box in layout.boxes:
        (x0, y0), (x1, y1) = canvas.at((box.x, box.y)), canvas.at((box.right, box.bottom))
        canvas.box(x0, y0, x1, y1, STYLES[box.style], edge_w)
    for head in heads:
        points = [canvas.at(p) for p in head]
        tile = canvas.tile((min(p[0] for p in points), min(p[1] for p in points),
                            max(p[0] for p in points), max(p[1] for p in points)))
        if tile is not None:
            tile.polygon(points)
        canvas.blend(tile, _grey(LINE_C["line"]))
    for mark in layout.marks:
        canvas.mark(mark)
    for box in layout.boxes:
        style = STYLES[box.style]
        step = _line_h(box.size)
        for n, line in enumerate(box.lines):
            y = box.cy + (n - (len(box.lines) - 1) / 2) * step
            if box.align == "left":
                x = box.x + PAD_X + (box.indents[n] if n < len(box.indents) else 0.0)
            else:
                x = box.cx
            canvas.text(*canvas.at((x, y)), line, style.bold, box.size, box.align,
                        "center_baseline", _grey(style.text))
    for text in layout.texts:
        canvas.text(*canvas.at((text.x, text.y)), text.text, text.bold, text.size, text.ha,
                    "center_baseline" if text.va == "center" else text.va, _grey(text.color),
                    text.knockout)
    return canvas.png()
