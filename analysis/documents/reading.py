"""``extract``: bytes in, ``Document`` out, by the reader for the detected format.  Readers
are imported when needed, so loading the package stays cheap."""

from __future__ import annotations

import re

from analysis.documents.formats import detect
from analysis.documents.model import Builder, Document, ExtractionError
from analysis.documents.text import normalise
from analysis.textio import NotText, decode


def extract(data: bytes, name: str = "", pages: tuple[int, int] | None = None) -> Document:
    """Return the text of ``data`` (format recognised by content) with its locator map.

    ``pages`` (1-based, inclusive) keeps only those pages of a PDF.  Raises
    ``ExtractionError`` (message and hint) for what cannot be read: a scanned or
    password-protected PDF, a password-protected HWP, a damaged or empty file, another format.
    """
    fmt = detect(data, name)
    if pages is not None and fmt != "pdf":
        raise ExtractionError(f"a page range applies only to PDF files, and this is {fmt.upper()}",
                              "leave out the page range, or add the PDF version of the plan")
    if fmt == "pdf":
        from analysis.documents.pdf import read as read_pdf

        doc = read_pdf(data, pages)
    elif fmt == "hwp":
        from analysis.documents.hwp import read as read_hwp

        doc = read_hwp(data)
    elif fmt == "hwpx":
        from analysis.documents.hwpx import read as read_hwpx

        doc = read_hwpx(data)
    elif fmt == "docx":
        from analysis.documents.word import read as read_word

        doc = read_word(data)
    elif fmt == "html":
        from analysis.documents.web import read as read_web

        doc = read_web(data)
    else:
        doc = read_text(data)
    if not doc.text.strip():
        raise ExtractionError("the document holds no text", "check that this is the right file")
    return doc


def read_text(data: bytes) -> Document:
    """Return a text file as it is (NFC, odd spaces made plain); one span per paragraph: per
    blank-line-separated block, or per line when the file has no blank lines."""
    try:
        decoded = decode(data)
    except NotText as exc:
        raise ExtractionError(f"not a text file: {exc}",
                              "save it as UTF-8 text, or add the original PDF/HWP/DOCX") from exc
    text = normalise(decoded.text)
    separator = r"\n[ \t]*\n" if re.search(r"\n[ \t]*\n\s*\S", text) else r"\n"
    spans = Builder.spans_of_blocks(text, separator)
    meta = {"encoding": decoded.encoding}
    return Document(text, spans, "txt", None, meta)
