"""The records extraction hands on: a ``Document`` (text plus a locator map of ``Span``s), the
``ExtractionError`` every refusal raises, and the ``Builder`` the format readers fill.

Blocks (a paragraph, a heading, an outline item, a table row) are separated by a blank line;
the rows of one table by a single newline, so a table reads as consecutive
``label | value`` lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from analysis.documents.text import clean_block

BLOCK_SEPARATOR = "\n\n"
ROW_SEPARATOR = "\n"
CELL_SEPARATOR = " | "
CELL_PARAGRAPH_SEPARATOR = " / "


@dataclass(frozen=True)
class Span:
    """A character range ``[start, end)`` of the extracted text and where it stands in the
    original: page (PDF), paragraph, table/row/cell, or HTML element."""

    start: int
    end: int
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    element: str | None = None

    def label(self, page_format: str = "p. {page}") -> str:
        """Return the human locator Korean reports print: ``p. 23``, ``표 3, 2행``,
        ``문단 14``, ``p. 5, 표 1, 2행``, ``각주 2``; ``page_format`` may be e.g. ``"{page}쪽"``."""
        parts: list[str] = []
        if self.page is not None:
            parts.append(page_format.format(page=self.page))
        if self.table is not None:
            parts.append(f"표 {self.table}" + (f", {self.row}행" if self.row is not None else ""))
        elif self.paragraph is not None and self.page is None:
            parts.append(f"문단 {self.paragraph}")
        elif self.element and self.element.startswith(("각주", "미주")):
            parts.append(self.element)
        if not parts and self.element:
            parts.append("제목" if self.element == "title" else self.element)
        return ", ".join(parts)


@dataclass(frozen=True)
class Document:
    """Extracted text (NFC, one block per paragraph, heading, outline item or table row) with
    the locator map ``spans`` (sorted, non-overlapping, covering every block)."""

    text: str
    spans: tuple[Span, ...]
    format: str
    pages: int | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _ends(self) -> list[int]:
        return [span.end for span in self.spans]

    def locate(self, start: int, end: int | None = None) -> Span | None:
        """Return the span holding offset ``start`` (or, when ``start`` falls between blocks,
        the first span inside ``[start, end)``); None when the range holds no located text."""
        i = bisect_right(self._ends, start)
        if i == len(self.spans):
            return None
        span = self.spans[i]
        limit = max(start + 1, end if end is not None else start + 1)
        return span if span.start < limit else None


class ExtractionError(Exception):
    """A source the tool cannot read: says what is wrong (``message``) and what to do
    (``hint``).  The caller adds the file name."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message, hint)  # both in args, so the error survives pickling
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} (hint: {self.hint})"


@dataclass(frozen=True)
class Piece:
    """Part of a block and its locator (a block may run over two pages or be a table row)."""

    text: str
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    element: str | None = None


class Builder:
    """Collects blocks in reading order and builds the ``Document``'s text and spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[Span] = []
        self._length = 0
        self._last_table: int | None = None

    @property
    def empty(self) -> bool:
        """True while no block holds any text."""
        return not self._spans

    def block(self, pieces: list[Piece], joiner: str = " ") -> None:
        """Append one block made of ``pieces`` (cleaned, joined by ``joiner``); skip it when
        it holds no text."""
        cleaned = [(clean_block(p.text), p) for p in pieces]
        cleaned = [(text, p) for text, p in cleaned if text]
        if not cleaned:
            return
        table_key = cleaned[0][1].table
        is_row = table_key is not None
        if self._spans:
            same_table = is_row and self._last_table == table_key
            self._append(ROW_SEPARATOR if same_table else BLOCK_SEPARATOR)
        self._last_table = table_key if is_row else None
        for n, (text, piece) in enumerate(cleaned):
            start = self._length
            self._append(text if n == len(cleaned) - 1 else text + joiner)
            self._spans.append(Span(start, self._length if n < len(cleaned) - 1
                                    else start + len(text),
                                    piece.page, piece.paragraph, piece.table, piece.row,
                                    piece.cell, piece.element))

    def paragraph(self, text: str, page: int | None = None, paragraph: int | None = None,
                  element: str | None = None) -> None:
        """Append a one-piece block."""
        self.block([Piece(text, page=page, paragraph=paragraph, element=element)])

    def row(self, cells: list[str], table: int, row: int, page: int | None = None,
            element: str | None = None) -> None:
        """Append a table row as ``cell | cell``, one span per non-empty cell."""
        pieces = [Piece(text, page=page, table=table, row=row, cell=c, element=element)
                  for c, text in enumerate(cells, start=1) if clean_block(text)]
        self.block(pieces, joiner=CELL_SEPARATOR)

    @staticmethod
    def spans_of_blocks(text: str, separator: str) -> tuple[Span, ...]:
        """Return one paragraph span per stretch of ``text`` between matches of the regular
        expression ``separator`` (leading and trailing white space left out)."""
        spans: list[Span] = []
        pos = 0
        for match in [*re.finditer(separator, text), None]:
            end = match.start() if match else len(text)
            chunk = text[pos:end]
            if chunk.strip():
                lead = len(chunk) - len(chunk.lstrip())
                trail = len(chunk.rstrip())
                spans.append(Span(pos + lead, pos + trail, paragraph=len(spans) + 1))
            if match:
                pos = match.end()
        return tuple(spans)

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def build(self, fmt: str, pages: int | None = None,
              meta: dict[str, str] | None = None) -> Document:
        """Return the document built so far."""
        return Document("".join(self._parts), tuple(self._spans), fmt, pages, dict(meta or {}))
