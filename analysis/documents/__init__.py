"""Text extraction with a locator map for the sources researchers actually have: text, PDF,
HWP 5, HWPX, DOCX and saved web pages, recognised by content.

    >>> from analysis.documents import extract
    >>> doc = extract(Path("plan.pdf").read_bytes(), "plan.pdf")
    >>> doc.locate(doc.text.index("비전"), 0).label()
    'p. 3, 표 1, 1행'
"""

from __future__ import annotations

from analysis.documents.formats import FORMATS, detect
from analysis.documents.model import Document, ExtractionError, Span

__all__ = ["EXTRACTOR_VERSION", "FORMATS", "Document", "ExtractionError", "Span",
           "cached_extract", "detect", "extract"]

from analysis.documents.cache import EXTRACTOR_VERSION, cached_extract
from analysis.documents.reading import extract
