"""Ruled tables on a PDF page: the grid found from the page's drawn lines, merged cells where a
rule is missing, each cell's text read as paragraphs."""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from analysis.documents.pdf_glyphs import (
    Char,
    display,
    to_fragments,
    to_line,
    to_rows,
    unchecked,
    wrapped,
)
from analysis.documents.text import clean_block, starts_item

MAX_PATHS = 4000  # a page drawn with more paths than this is a chart or a map, not a table


@dataclass(slots=True)
class Table:
    """A ruled table: its box, its column edges and its rows of cell texts (merged cells are
    read once, in the first row and column they cover)."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    columns: tuple[float, ...]
    rows: list[list[str]] = field(default_factory=list)


Edge = tuple[float, float, float]  # position, from, to


@dataclass(slots=True)
class Edges:
    """The page's drawn horizontal (y, x0, x1) and vertical (x, top, bottom) rules."""

    horizontal: list[Edge]
    vertical: list[Edge]


def edges_of(page: Any, width: float, height: float, rotation: int) -> tuple[Edges, int]:
    """Return the thin drawn lines and rectangle sides of a page, and its image count.

    Page objects are read through PDFium's C functions directly: pypdfium2's object wrappers
    cost more than the rest of a table page's reading."""
    count, get, kind, bounds, form_count, form_get, draw_mode = (unchecked(name) for name in (
        "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType",
        "FPDFPageObj_GetBounds", "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject",
        "FPDFPath_GetDrawMode"))
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    box = [ctypes.byref(v) for v in (left, bottom, right, top)]
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    modes = ctypes.byref(fill), ctypes.byref(stroke)
    horizontal: list[Edge] = []
    vertical: list[Edge] = []
    images = paths = 0
    stack = [get(page.raw, i) for i in reversed(range(count(page.raw)))]
    depth = {id(obj): 0 for obj in stack}
    while stack:
        obj = stack.pop()
        what = kind(obj)
        if what == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif what == pdfium_c.FPDF_PAGEOBJ_FORM and depth.get(id(obj), 0) < 3:
            inner = [form_get(obj, i) for i in reversed(range(form_count(obj)))]
            depth.update((id(o), depth.get(id(obj), 0) + 1) for o in inner)
            stack.extend(inner)
        elif what == pdfium_c.FPDF_PAGEOBJ_PATH and bounds(obj, *box):
            paths += 1
            if paths > MAX_PATHS:
                return Edges([], []), images
            x0, x1, y0, y1 = display(left.value, right.value, top.value, bottom.value,
                                     width, height, rotation)
            w, h = x1 - x0, y1 - y0
            if h <= 2.5 and w >= 3:
                horizontal.append(((y0 + y1) / 2, x0, x1))
            elif w <= 2.5 and h >= 3:
                vertical.append(((x0 + x1) / 2, y0, y1))
            elif w >= 3 and h >= 3 and draw_mode(obj, *modes) and stroke.value:
                horizontal += [(y0, x0, x1), (y1, x0, x1)]
                vertical += [(x0, y0, y1), (x1, y0, y1)]
    return Edges(_join(horizontal), _join(vertical)), images


def _join(edges: list[Edge], tol: float = 1.5) -> list[Edge]:
    """Return collinear touching edges merged into one."""
    out: list[Edge] = []
    for pos, a, b in sorted(edges):
        if out and abs(out[-1][0] - pos) <= tol and a <= out[-1][2] + tol:
            p, a0, b0 = out[-1]
            out[-1] = (p, a0, max(b0, b))
        else:
            out.append((pos, a, b))
    return out


def find_tables(edges: Edges, page: int) -> list[Table]:
    """Return the tables formed by connected horizontal and vertical rules (at least two of
    each), with their row and column edges; no text yet."""
    hs, vs = edges.horizontal, edges.vertical
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = 2.0
    for i, (y, hx0, hx1) in enumerate(hs):
        for j, (x, vy0, vy1) in enumerate(vs):
            if hx0 - tol <= x <= hx1 + tol and vy0 - tol <= y <= vy1 + tol:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    tables: list[Table] = []
    for h_edges, v_edges in groups.values():
        if len(h_edges) < 2 or len(v_edges) < 2:
            continue
        x0 = min(v[0] for v in v_edges)
        x1 = max(v[0] for v in v_edges)
        top = min(h[0] for h in h_edges)
        bottom = max(h[0] for h in h_edges)
        if x1 - x0 < 20 or bottom - top < 8:
            continue
        columns = tuple(_cluster([v[0] for v in v_edges]))
        tables.append(Table(page, x0, x1, top, bottom, columns))
    tables.sort(key=lambda t: (t.top, t.x0))
    return tables


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def fill(table: Table, chars: list[Char], edges: Edges) -> None:
    """Read a table's cells: the grid from its rules, merged cells where a rule is missing,
    and each cell's text (lines joined as paragraphs, paragraphs by `` / ``)."""
    tol = 2.0
    hs = [h for h in edges.horizontal
          if table.top - tol <= h[0] <= table.bottom + tol and h[2] > table.x0 and h[1] < table.x1]
    vs = [v for v in edges.vertical
          if table.x0 - tol <= v[0] <= table.x1 + tol and v[2] > table.top and v[1] < table.bottom]
    ys = _cluster([h[0] for h in hs])
    xs = list(table.columns)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1:
        return

    def covered(rules: list[Edge], pos: float, a: float, b: float) -> bool:
        mid = (a + b) / 2
        return any(abs(p - pos) <= tol and lo - tol <= mid <= hi + tol for p, lo, hi in rules)

    owner = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while owner[i] != i:
            owner[i] = owner[owner[i]]
            i = owner[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not covered(vs, xs[c + 1], ys[r], ys[r + 1]):
                a, b = find(r * n_cols + c), find(r * n_cols + c + 1)
                owner[max(a, b)] = min(a, b)
            if r + 1 < n_rows and not covered(hs, ys[r + 1], xs[c], xs[c + 1]):
                a, b = find(r * n_cols + c), find((r + 1) * n_cols + c)
                owner[max(a, b)] = min(a, b)
    boxes: dict[int, list[float]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            root = find(r * n_cols + c)
            box = boxes.setdefault(root, [xs[c], xs[c + 1], ys[r], ys[r + 1]])
            box[0], box[1] = min(box[0], xs[c]), max(box[1], xs[c + 1])
            box[2], box[3] = min(box[2], ys[r]), max(box[3], ys[r + 1])
    texts: dict[int, list[Char]] = {}
    for ch in chars:
        cx, cy = (ch[1] + ch[2]) / 2, (ch[3] + ch[4]) / 2
        col, row = _slot(xs, cx), _slot(ys, cy)
        if col is not None and row is not None:
            texts.setdefault(find(row * n_cols + col), []).append(ch)
    rows: list[list[str]] = [[] for _ in range(n_rows)]
    for root in sorted(boxes, key=lambda k: (k // n_cols, k % n_cols)):
        x0, x1 = boxes[root][0], boxes[root][1]
        rows[root // n_cols].append(_cell_text(texts.get(root, []), x0, x1))
    table.rows = [row for row in rows if any(row)]


def _slot(edges: list[float], value: float) -> int | None:
    for i in range(len(edges) - 1):
        if edges[i] <= value <= edges[i + 1]:
            return i
    return None


def _cell_text(chars: list[Char], x0: float, x1: float) -> str:
    """Return a cell's text: wrapped lines joined by a space, separate paragraphs (short
    lines, outline items) by `` / ``."""
    if not chars:
        return ""
    lines = [to_line(row, 0, 0) for row in to_rows(to_fragments(chars))]
    padding = min(line.x0 for line in lines) - x0
    out = clean_block(lines[0].text)
    for prev, line in itertools.pairwise(lines):
        text = clean_block(line.text)
        if wrapped(prev, line, x1 - padding) and not starts_item(text):
            out += " " + text
        else:
            out += " / " + text
    return out
