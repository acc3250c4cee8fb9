"""Numbering shared by the readers of structured documents (HWP, HWPX, DOCX): body
paragraphs, tables and notes are counted in reading order as they are added."""

from __future__ import annotations

from typing import Any

from analysis.documents.model import Builder, Document
from analysis.documents.text import clean_block

NOTE_KINDS = {"footnote": "각주", "endnote": "미주"}


class Emitter:
    """Adds paragraphs (``문단 N``), table rows (``표 N, M행``) and notes (``각주 N``) to a
    ``Builder``, numbering each kind from 1."""

    def __init__(self) -> None:
        self.builder = Builder()
        self.numbering: Any = None  # a reader's list numbering (DOCX: word.Numbering)
        self.paragraphs = 0
        self.tables = 0
        self.notes: dict[str, int] = {}

    def paragraph(self, text: str) -> None:
        """Add a body paragraph; empty ones are skipped and not counted."""
        if clean_block(text):
            self.paragraphs += 1
            self.builder.paragraph(text, paragraph=self.paragraphs)

    def table(self, rows: list[list[str]]) -> None:
        """Add a table, one line per row; a table with no text is skipped."""
        rows = [row for row in rows if any(clean_block(cell) for cell in row)]
        if not rows:
            return
        self.tables += 1
        for number, cells in enumerate(rows, start=1):
            self.builder.row(cells, self.tables, number)

    def note(self, text: str, kind: str = "footnote") -> None:
        """Add a footnote or endnote's text as its own block (after the paragraph citing it)."""
        if clean_block(text):
            label = NOTE_KINDS[kind]
            self.notes[label] = self.notes.get(label, 0) + 1
            self.builder.paragraph(text, element=f"{label} {self.notes[label]}")

    def build(self, fmt: str, meta: dict[str, str] | None = None) -> Document:
        """Return the document."""
        return self.builder.build(fmt, None, meta)


def cell_text(paragraphs: list[str]) -> str:
    """Return a table cell's paragraphs as one line, joined by `` / ``."""
    return " / ".join(p for p in (clean_block(t).replace("\n", " / ") for t in paragraphs) if p)


def headed(head: str, text: str) -> str:
    """Return a paragraph's text after the number or bullet its reader shows before it (a
    paragraph with no text keeps none: its head alone says nothing)."""
    return f"{head} {text}" if head and text.strip() else text
