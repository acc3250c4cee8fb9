"""One PDF page read as a person reads it: lines of text, ruled tables, and two-column
parts read column by column."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

from analysis.documents.model import ExtractionError
from analysis.documents.pdf_glyphs import (
    Char,
    Fragment,
    Line,
    chars_of,
    drop_note_marks,
    to_fragments,
    to_line,
    to_rows,
)
from analysis.documents.pdf_tables import Table, edges_of, fill, find_tables


@dataclass(slots=True)
class Page:
    """What one page holds, in reading order."""

    number: int
    width: float
    height: float
    items: list[Line | Table]
    chars: int
    images: int
    unmapped: int = 0  # characters with no Unicode meaning (private use, U+FFFD)


def read_page(pdf: Any, index: int) -> Page:
    """Return the lines and tables of page ``index`` (0-based) of a PDFium document."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"page {index + 1} of the PDF is damaged ({exc})",
                              "download or copy the file again; if it opens in a viewer, "
                              "print it to a new PDF") from exc
    try:
        width, height = page.get_size()
        rotation = page.get_rotation() % 360
        textpage = page.get_textpage()
        try:
            chars = chars_of(textpage, width, height, rotation)
        finally:
            textpage.close()
        edges, images = edges_of(page, width, height, rotation)
    finally:
        page.close()
    if rotation in (90, 270):
        width, height = height, width
    chars = drop_note_marks(chars)
    tables = find_tables(edges, index + 1)
    flow, cells = _split(chars, tables)
    for t, table in enumerate(tables):
        fill(table, cells.get(t, []), edges)
    tables = [t for t in tables if any(any(cell for cell in row) for row in t.rows)]
    lines = _layout(to_fragments(flow), index + 1, width)
    unmapped = sum(1 for ch in chars if "\ue000" <= ch[0] <= "\uf8ff" or ch[0] == "\ufffd")
    return Page(index + 1, width, height, _in_order([*lines, *tables]), len(chars), images,
                unmapped)


def _split(chars: list[Char], tables: list[Table]) -> tuple[list[Char], dict[int, list[Char]]]:
    """Return the characters outside every table, and those inside each (by table index)."""
    if not tables:
        return chars, {}
    flow: list[Char] = []
    cells: dict[int, list[Char]] = {}
    boxes = [(t.x0 * 2, t.x1 * 2, t.top * 2, t.bottom * 2) for t in tables]
    top, bottom = min(b[2] for b in boxes), max(b[3] for b in boxes)
    for ch in chars:
        cy = ch[3] + ch[4]  # twice the centre, to spare a division per character
        if top <= cy <= bottom:
            cx = ch[1] + ch[2]
            for t, (x0, x1, y0, y1) in enumerate(boxes):
                if x0 <= cx <= x1 and y0 <= cy <= y1:
                    cells.setdefault(t, []).append(ch)
                    break
            else:
                flow.append(ch)
        else:
            flow.append(ch)
    return flow, cells


def _in_order(items: list[Line | Table]) -> list[Line | Table]:
    """Return items top to bottom; a two-column part is read left column first, then right."""
    out: list[Line | Table] = []
    zone: list[Line] = []
    for item in sorted(items, key=lambda item: item.top):
        if isinstance(item, Line) and item.column:
            zone.append(item)
            continue
        out.extend(_by_column(zone))
        zone = []
        out.append(item)
    out.extend(_by_column(zone))
    return out


def _by_column(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda line: (line.column, line.top))


def _gutter(fragments: list[Fragment], left: float, right: float) -> float | None:
    """Return the x of the widest vertical white band in the middle of the text area (the
    fewest fragments crossing it), or None when there is no such band."""
    span = right - left
    if span <= 0 or len(fragments) < 4:
        return None
    lo, hi = int(left + 0.3 * span), int(right - 0.3 * span)
    if hi - lo < 2:
        return None
    cover = [0] * (hi - lo + 2)
    for f in fragments:
        a, b = max(int(f.x0) + 1, lo), min(int(f.x1), hi + 1)
        if a < b:
            cover[a - lo] += 1
            cover[b - lo] -= 1
    count, best_run, best = 0, 0, None
    fewest = min(_prefix(cover))
    run = 0
    for x, value in enumerate(_prefix(cover)):
        count = value
        run = run + 1 if count == fewest else 0
        if run > best_run:
            best_run, best = run, lo + x - run / 2
    return best if best_run >= 4 else None


def _prefix(values: list[int]) -> list[int]:
    out: list[int] = []
    total = 0
    for v in values[:-1]:
        total += v
        out.append(total)
    return out


def _layout(fragments: list[Fragment], page: int, width: float) -> list[Line]:
    """Return the page's lines; a two-column part is split at the gutter and its lines are
    marked with their column, so they can be read column by column."""
    if not fragments:
        return []
    left = min(f.x0 for f in fragments)
    right = max(f.x1 for f in fragments)
    gutter = _gutter(fragments, left, right)
    zones = _zones(fragments, gutter) if gutter is not None else [(0, fragments)]
    lines: list[Line] = []
    for column_zone, frags in zones:
        if not column_zone:
            lines.extend(to_line(row, page, 0) for row in to_rows(frags))
            continue
        assert gutter is not None
        for column, side in ((1, [f for f in frags if f.x1 <= gutter]),
                             (2, [f for f in frags if f.x0 >= gutter])):
            lines.extend(to_line(row, page, column) for row in to_rows(side))
    _bounds(lines, left, right)
    return lines


def _zones(fragments: list[Fragment], gutter: float) -> list[tuple[int, list[Fragment]]]:
    """Return the page cut into vertical zones at the fragments that cross ``gutter``; a zone
    is two-column (1) when both sides hold at least two lines of long text standing side by
    side, else single (0)."""
    zones: list[tuple[int, list[Fragment]]] = []
    current: list[Fragment] = []
    for frag in sorted(fragments, key=lambda f: (f.top, f.x0)):
        if frag.x0 < gutter < frag.x1:
            if current:
                zones.append((int(_two_columns(current, gutter)), current))
                current = []
            zones.append((0, [frag]))
        else:
            current.append(frag)
    if current:
        zones.append((int(_two_columns(current, gutter)), current))
    merged: list[tuple[int, list[Fragment]]] = []
    for kind, frags in zones:  # single-column neighbours are read as one flow
        if merged and kind == 0 and merged[-1][0] == 0:
            merged[-1][1].extend(frags)
        else:
            merged.append((kind, frags))
    return merged


def _two_columns(frags: list[Fragment], gutter: float) -> bool:
    sides = [to_rows([f for f in frags if f.x1 <= gutter]),
             to_rows([f for f in frags if f.x0 >= gutter])]
    if any(len(rows) < 2 for rows in sides):
        return False
    for rows in sides:
        x0 = min(r[0].x0 for r in rows)
        x1 = max(r[-1].x1 for r in rows)
        if x1 - x0 <= 0 or median((r[-1].x1 - r[0].x0) / (x1 - x0) for r in rows) < 0.55:
            return False
    (a_top, a_bottom), (b_top, b_bottom) = ((min(r[0].top for r in rows),
                                             max(r[0].bottom for r in rows)) for rows in sides)
    overlap = min(a_bottom, b_bottom) - max(a_top, b_top)
    return overlap > 0.5 * min(a_bottom - a_top, b_bottom - b_top)


def _bounds(lines: list[Line], left: float, right: float) -> None:
    """Set each line's column edges: the page's text area, or its column's extent."""
    for column in (1, 2):
        members = [line for line in lines if line.column == column]
        if members:
            lo = min(line.x0 for line in members)
            hi = max(line.x1 for line in members)
            for line in members:
                line.left, line.right = lo, hi
    for line in lines:
        if line.column == 0:
            line.left, line.right = left, right
