"""PDF: text with page numbers, read by PDFium (pypdfium2).

Running headers, footers and page numbers are dropped; lines broken inside a paragraph are
joined (also across a page or column break); ruled tables become ``label | value`` rows; a
page with no text but an image is reported as scanned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from statistics import median

from analysis.documents.model import Builder, Document, ExtractionError, Piece
from analysis.documents.pdf_glyphs import Line, wrapped
from analysis.documents.pdf_layout import Page, read_page
from analysis.documents.pdf_tables import Table
from analysis.documents.text import PAGE_NUMBER, clean_block, is_toc, starts_item

OCR_HINT = ("run OCR first (e.g. `ocrmypdf --language kor input.pdf output.pdf`) and add the "
            "OCR'd PDF")
RUNNING_ZONE = 0.12  # headers and footers stand in the top and bottom 12% of a page
OUTER_ZONE = 0.07    # ... and running chapter titles in the outer 7%
MIN_PAGE_CHARS = 20  # a page with an image and fewer characters than this is a scan


def read(data: bytes, pages: tuple[int, int] | None = None) -> Document:
    """Return the text of a PDF (or of ``pages``, 1-based inclusive) with page spans."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    if b"%%EOF" not in data[-4096:]:
        raise ExtractionError("the PDF is cut short (no end-of-file marker): it was not "
                              "completely downloaded or copied",
                              "download or copy the file again")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4:
            raise ExtractionError("the PDF is protected by a password",
                                  "open it with the password and save or print an unprotected "
                                  "copy (e.g. `qpdf --decrypt --password=... in.pdf out.pdf`), "
                                  "then add that") from exc
        raise ExtractionError(f"the PDF is damaged and cannot be opened ({exc})",
                              "download or copy the file again; if it opens in a viewer, "
                              "print it to a new PDF") from exc
    try:
        total = len(pdf)
        first, last = _range(pages, total)
        meta = _meta(pdf.get_metadata_dict())
        read_pages = [read_page(pdf, i) for i in range(first - 1, last)]
    finally:
        pdf.close()
    chars = sum(p.chars for p in read_pages)
    if chars == 0:
        if any(p.images for p in read_pages):
            raise ExtractionError("the PDF has no text layer (scanned pages)", OCR_HINT)
        raise ExtractionError("the PDF holds no text", "check that this is the right file")
    if sum(p.unmapped for p in read_pages) * 3 > chars:
        raise ExtractionError("the PDF's text layer cannot be read (its fonts do not say which "
                              "characters they draw)", OCR_HINT)
    blank = [p.number for p in read_pages if p.chars < MIN_PAGE_CHARS and p.images]
    if blank:
        meta["pages_without_text"] = ", ".join(map(str, blank))
    if len(blank) * 2 > len(read_pages):
        raise ExtractionError(f"most pages have no text layer (scanned): pages "
                              f"{meta['pages_without_text']}", OCR_HINT)
    _drop_running(read_pages)
    builder = Builder()
    _assemble(read_pages, builder)
    if builder.empty:
        raise ExtractionError("the PDF holds no text apart from headers and page numbers",
                              "check that this is the right file")
    return builder.build("pdf", total, meta)


def _range(pages: tuple[int, int] | None, total: int) -> tuple[int, int]:
    if pages is None:
        return 1, total
    first, last = pages
    if not 1 <= first <= last <= total:
        raise ExtractionError(f"pages {first}-{last} are not in this PDF, which has {total} "
                              f"page{'s' if total != 1 else ''}",
                              f"give a range within 1-{total}")
    return first, last


def _meta(raw: dict[str, str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, name in (("Title", "title"), ("Author", "author")):
        value = clean_block(raw.get(key) or "")
        if value:
            meta[name] = value
    return meta


# --- running headers and footers ----------------------------------------------------------


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", "".join(line.text.split()))


def _drop_running(pages: list[Page]) -> None:
    """Remove page numbers, and lines that repeat at the same height in the top or bottom
    band of most pages (or, in the outer band, of at least three pages: running chapter
    titles)."""
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for page in pages:
        for item in page.items:
            if isinstance(item, Line) and _zone(item, page) is not None:
                seen[_running_key(item)].append((page.number, item.top))
    n = len(pages)
    for page in pages:
        kept: list[Line | Table] = []
        for item in page.items:
            zone = _zone(item, page) if isinstance(item, Line) else None
            if isinstance(item, Line) and zone is not None:
                count = len({p for p, top in seen[_running_key(item)]
                             if abs(top - item.top) <= 3})
                if (PAGE_NUMBER.match(item.text)
                        or (n >= 2 and count >= 2 and count * 2 >= n)
                        or (zone == "outer" and count >= 3)):
                    continue
            kept.append(item)
        page.items = kept


def _zone(line: Line, page: Page) -> str | None:
    """Return ``outer`` or ``band`` when ``line`` stands where running heads stand."""
    top, bottom = line.top / page.height, line.bottom / page.height
    if top < OUTER_ZONE or bottom > 1 - OUTER_ZONE:
        return "outer"
    if top < RUNNING_ZONE or bottom > 1 - RUNNING_ZONE:
        return "band"
    return None


# --- paragraphs --------------------------------------------------------------------------


def _assemble(pages: list[Page], builder: Builder) -> None:
    """Add the pages' lines as paragraphs (wrapped lines joined) and tables as rows."""
    right = _frame_right(pages)
    block: list[Line] = []
    table_no = 0
    last_table: Table | None = None
    row_no = 0
    for page in pages:
        for item in page.items:
            if isinstance(item, Table):
                _flush(block, builder)
                block = []
                if last_table is None or not _continues(last_table, item):
                    table_no += 1
                    row_no = 0
                for cells in item.rows:
                    row_no += 1
                    builder.row(cells, table_no, row_no, page=item.page)
                last_table = item
                continue
            if item.column == 0:
                item.right = right.get(page.width, item.right)
            if block and _joins(block[-1], item):
                block.append(item)
            else:
                _flush(block, builder)
                block = [item]
            last_table = None
    _flush(block, builder)


def _continues(previous: Table, table: Table) -> bool:
    """True when ``table`` opens a page and carries on ``previous`` (same column edges)."""
    return (table.page == previous.page + 1 and len(table.columns) == len(previous.columns)
            and all(abs(a - b) <= 2 for a, b in zip(table.columns, previous.columns,
                                                    strict=True)))


def _frame_right(pages: list[Page]) -> dict[float, float]:
    """Return, per page width, the right edge of full-width text (the median of the longest
    line of each page), so a page of short lines does not count them as wrapped."""
    edges: dict[float, list[float]] = defaultdict(list)
    for page in pages:
        widths = [item.x1 for item in page.items if isinstance(item, Line) and not item.column]
        if widths:
            edges[page.width].append(max(widths))
    return {width: median(values) for width, values in edges.items()}


def _joins(prev: Line, line: Line) -> bool:
    """True when ``line`` carries on the paragraph that ``prev`` ends: ``prev`` stopped because
    ``line``'s first word did not fit (it wrapped), ``line`` opens no new item, sizes match,
    and no wide gap or first-line indent separates them."""
    text, before = line.text.strip(), prev.text.strip()
    if starts_item(text) or is_toc(before) or is_toc(text) or " | " in before or " | " in text:
        return False
    if abs(prev.size - line.size) > 0.6:
        return False
    if not wrapped(prev, line, prev.right):
        return False
    same_flow = prev.page == line.page and prev.column == line.column
    if same_flow:
        if line.top - prev.bottom > prev.size * 1.2:
            return False
        indented = line.x0 - line.left > line.size * 1.2
        if indented and prev.x0 - prev.left <= prev.size * 0.5 and not starts_item(before):
            return False
    return True


def _flush(block: list[Line], builder: Builder) -> None:
    """Add a paragraph made of ``block``'s lines, one piece per page it stands on."""
    if not block:
        return
    pieces: list[Piece] = []
    texts: list[str] = []
    page = block[0].page
    for line in block:
        if line.page != page:
            pieces.append(Piece(" ".join(texts), page=page))
            texts, page = [], line.page
        texts.append(line.text.strip())
    pieces.append(Piece(" ".join(texts), page=page))
    builder.block(pieces)
