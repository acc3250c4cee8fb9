"""Policy diagrams from plain data: 비전체계도, 추진체계도 and 연혁, as PNG bytes.

Each diagram is first computed as a ``Layout`` — boxes, lines, marks and texts placed in
inches on a canvas one text width wide (y grows downwards) — by ``vision_layout``,
``governance_layout`` or ``timeline_layout``; one drawing function then paints any layout
with matplotlib.  Tests check the layout, not pixels, and the drawing takes no decisions.

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
  grey) written by Pillow with no metadata but its resolution.

Example::

    png = vision_tree({"case": "울산광역시", "vision": "시민과 함께하는 협력적 공동체 실현",
                       "goals": ["시민 주도의 사회 혁신"], "strategies": [], "counts": []},
                      dpi=150)
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from analysis.errors import PolicyReportError, Problem
from analysis.report.charts import MAX_HEIGHT_IN, TEXT_WIDTH_IN, _setup, hangul_font
from analysis.report.wording import josa

__all__ = ["LABELS", "Box", "Edge", "Layout", "Mark", "Text", "alt_text", "governance_layout",
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


@cache
def _face(path: str) -> Any:
    from matplotlib.ft2font import FT2Font

    face = FT2Font(path)
    face.set_size(100, 72)  # 100 px per em: advances come back in hundredths of an em
    return face


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
    return float(face.load_char(ord(char)).linearHoriAdvance) / 65536 / 100


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

@cache
def _ready() -> dict[str, Any]:
    """Return the matplotlib classes the drawing uses, set up once per process."""
    _setup(hangul_font())  # Agg backend, the Hangul font registered, rcParams
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Circle, FancyBboxPatch, Polygon, Rectangle
    from matplotlib.text import Text as TextArtist
    from matplotlib.transforms import Affine2D
    from PIL import Image

    return {"Figure": Figure, "Canvas": FigureCanvasAgg, "Font": FontProperties,
            "Lines": LineCollection, "Patches": PatchCollection, "Circle": Circle,
            "Round": FancyBboxPatch, "Polygon": Polygon, "Rectangle": Rectangle,
            "Text": TextArtist, "Affine": Affine2D, "Image": Image}


@cache
def _font(bold: bool, size: float) -> Any:
    return _ready()["Font"](fname=_font_paths()[bold], size=size)


LINE_W = {"line": 0.8, "grid": 0.5, "leader": 0.5, "axis": 0.7, "rule": 0.5}
LINE_C = {"line": "#333333", "grid": "#dcdcdc", "leader": "#7a7a7a", "axis": "#333333",
          "rule": "#cfcfcf"}
ARROW = 0.075  # arrowhead length, inches
DASH = (0, (3, 2))


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


def _draw(layout: Layout, dpi: int) -> bytes:
    """Return ``layout`` painted as PNG bytes at ``dpi``.

    Artists go straight onto the figure in inches (no axes: they cost more than the
    diagram), shapes in a few collections, one text artist per line.
    """
    mpl = _ready()
    fig = mpl["Figure"](figsize=(layout.width, layout.height), dpi=dpi, facecolor="white")
    mpl["Canvas"](fig)
    inches = mpl["Affine"]().scale(1, -1).translate(0, layout.height) + fig.dpi_scale_trans

    def add(artist: Any, z: float) -> None:
        artist.set_transform(inches)
        artist.set_zorder(z)
        fig.add_artist(artist)

    # lines, by kind of stroke; grid lines first, under everything
    segments: list[tuple[float, list[Point], str, float, Any]] = []
    heads: list[list[Point]] = []
    for edge in layout.edges:
        points, arrowheads = _arrowheads(edge)
        heads += arrowheads
        segments.append((1 if edge.kind == "grid" else 2, points, LINE_C[edge.kind],
                         LINE_W[edge.kind], DASH if edge.dashed else "solid"))
    for z in (1, 2):
        chosen = [s for s in segments if s[0] == z]
        if chosen:
            add(mpl["Lines"]([s[1] for s in chosen], colors=[s[2] for s in chosen],
                             linewidths=[s[3] for s in chosen],
                             linestyles=[s[4] for s in chosen], capstyle="butt"), z)
    shapes: dict[str, list[tuple[Any, Style]]] = {}
    for box in layout.boxes:
        style = STYLES[box.style]
        shape = (mpl["Round"]((box.x, box.y), box.w, box.h,
                              boxstyle="round,pad=0,rounding_size=0.06")
                 if style.rounded else mpl["Rectangle"]((box.x, box.y), box.w, box.h))
        shapes.setdefault(style.hatch, []).append((shape, style))
    for mark in layout.marks:
        r = mark.d / 2
        style = Style(mark.face, "#1a1a1a", "")
        if mark.shape == "circle":
            shape = mpl["Circle"]((mark.x, mark.y), r)
        elif mark.shape == "diamond":
            r *= 1.2
            shape = mpl["Polygon"]([(mark.x, mark.y - r), (mark.x + r, mark.y),
                                    (mark.x, mark.y + r), (mark.x - r, mark.y)])
        else:
            shape = mpl["Rectangle"]((mark.x - r, mark.y - r), 2 * r, 2 * r)
        shapes.setdefault("marks", []).append((shape, style))
    for hatch, chosen_shapes in shapes.items():
        styles = [s for _, s in chosen_shapes]
        collection = mpl["Patches"](
            [p for p, _ in chosen_shapes], facecolors=[s.face for s in styles],
            edgecolors=[s.edge if s.edge != "none" else s.face for s in styles],
            linewidths=[0.8 if hatch == "marks" else 0.0 if s.edge == "none" else 0.7
                        for s in styles],
            linestyles=[DASH if s.dashed else "solid" for s in styles],
            hatch=hatch if hatch not in ("", "marks") else None)
        add(collection, 5 if hatch == "marks" else 3)
    if heads:
        add(mpl["Patches"]([mpl["Polygon"](h) for h in heads], facecolors="#333333",
                           edgecolors="none"), 4)

    # texts: every line of every box, then the free texts
    for box in layout.boxes:
        style = STYLES[box.style]
        font = _font(style.bold, box.size)
        step = _line_h(box.size)
        for n, line in enumerate(box.lines):
            y = box.cy + (n - (len(box.lines) - 1) / 2) * step
            if box.align == "left":
                x = box.x + PAD_X + (box.indents[n] if n < len(box.indents) else 0.0)
            else:
                x = box.cx
            add(mpl["Text"](x, y, line, color=style.text, fontproperties=font,
                            ha=box.align, va="center_baseline"), 6)
    for text in layout.texts:
        artist = mpl["Text"](text.x, text.y, text.text, color=text.color,
                             fontproperties=_font(text.bold, text.size), ha=text.ha,
                             va="center_baseline" if text.va == "center" else text.va)
        if text.knockout:
            artist.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.6})
        add(artist, 6)
    # every colour is a grey: an 8-bit greyscale PNG holds the image exactly, in half the
    # bytes and time of RGBA; written by Pillow with no metadata but the resolution
    canvas = fig.canvas
    with warnings.catch_warnings():  # a glyph the font lacks would be drawn as a box
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        warnings.filterwarnings("error", message=".*missing from font.*")
        try:
            canvas.draw()
        except UserWarning as exc:
            raise PolicyReportError(Problem(
                "diagram", None, None, f"the diagram font cannot draw a character: {exc}",
                "remove the character from the label or value")) from None
    image = mpl["Image"].frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                                    "raw", "RGBA", 0, 1).convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue()
