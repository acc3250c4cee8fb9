"""Saved web pages: the article body (readability-lxml on a page stripped of its furniture)
and the page's own metadata (Open Graph, ``article:``, JSON-LD, ``<time>``).

Every element of the original page is tagged with a locator (``article p[3]``,
``#article-body div[1]``) before the clean-up, so each paragraph of the body keeps where it
stood.  Menus, share buttons, related headlines, ads and copyright lines are not content.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from analysis.documents.model import Builder, Document, ExtractionError, Piece
from analysis.documents.structured import cell_text
from analysis.documents.text import clean_block
from analysis.documents.web_meta import page_meta
from analysis.textio import NotText, decode

LOC = "data-pr-loc"
DROPPED_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                "button", "iframe", "select", "input", "label", "address", "template", "svg",
                "object", "embed", "dialog", "menu")
# class or id words of site furniture (Korean news and city sites included).
FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:gnb|lnb|snb|nav|navi|navigation|menu|breadcrumbs?|location|related|"
    r"relation|share|sns|social|ads?|advert\w*|banner|sponsor\w*|copyright|footer|header|"
    r"comments?|reply|replies|prev-next|prevnext|paging|pagination|satisfaction|survey|"
    r"popular|ranking|rank|most-?viewed|subscribe|newsletter|skip|util|utility|search|login|"
    r"tags?|byline|promo|recommend\w*|sidebar|widget|toolbar|print|font-?size|hidden|"
    r"modal|popup|cookie)(?:$|[\s_-])",
    re.IGNORECASE)
# Lines that are never the article's content.
FURNITURE_LINE = re.compile(
    r"copyright|ⓒ|©|무단\s*전재|재배포\s*금지|all rights reserved|저작권자|"
    r"^(?:광고|AD|advertisement)\b",
    re.IGNORECASE)
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd",
          "figcaption", "caption", "div", "section", "article", "main", "ul", "ol", "dl",
          "table", "tr", "td", "th", "tbody", "thead", "tfoot", "center", "hr", "br", "body"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)


def read(data: bytes) -> Document:
    """Return the body text of a saved web page, each paragraph located by element."""
    text = _decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        page = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"the web page cannot be parsed ({exc})",
                              "save the page again from the browser (파일 > 다른 이름으로 "
                              "저장, 웹페이지 HTML만)") from exc
    meta = page_meta(page)
    _tag_locations(page)
    fields = [table for table in page.iter("table") if _is_field_table(table)]
    lines = [el for el in page.iter("p", "div", "li", "dd", "span")
             if FIELD_LINE.match(" ".join(el.text_content().split()))
             and not any(isinstance(c.tag, str) and c.tag in BLOCKS for c in el)]
    body = _article(page)
    builder = Builder()
    headline = meta.get("title", "")
    blocks = [b for b in _blocks(body) if not FURNITURE_LINE.search(b[0])]
    blocks = _fields_left_out(page, fields, lines, blocks) + blocks
    if headline and not any(_same(headline, b[0]) for b in blocks[:3]):
        builder.paragraph(headline, paragraph=None, element="title")
    number = tables = 0
    last_table = ""
    for content, loc, row in blocks:
        if row is not None:
            if row == 1 or loc != last_table:
                tables, last_table = tables + 1, loc
            builder.block([Piece(cell, element=loc, table=tables, row=row, cell=c)
                           for c, cell in enumerate(content.split("\x1f"), start=1)
                           if clean_block(cell)], joiner=" | ")
            continue
        number += 1
        builder.paragraph(content, paragraph=number, element=loc)
    if builder.empty:
        raise ExtractionError("the web page has no article text",
                              "save the article's own page (not a list or a search result), "
                              "or copy its text into a .txt file")
    return builder.build("html", None, meta)


def _decode(data: bytes) -> str:
    """Return the page's text in the charset it declares, else UTF-8 or CP949."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii", "ignore").lower()
        name = {"euc-kr": "cp949", "ks_c_5601-1987": "cp949", "x-windows-949": "cp949",
                "ksc5601": "cp949"}.get(name, name)
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode(data).text
    except NotText as exc:
        raise ExtractionError(f"the web page is not text ({exc})",
                              "save the page again from the browser as HTML") from exc


# --- the article body -----------------------------------------------------------------------


def _tag_locations(page: Any) -> None:
    """Give every element a locator: the nearest ``article``/``main`` or element with an id,
    then the tag and its number among that anchor's elements of the same tag."""
    counts: dict[tuple[int, str], int] = {}

    def walk(el: Any, anchor: str, key: int) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.lower()
            n = counts[(key, tag)] = counts.get((key, tag), 0) + 1
            child.set(LOC, f"{anchor} {tag}[{n}]")
            ident = child.get("id")
            if tag in ("article", "main") or (ident and re.fullmatch(r"[\w-]+", ident)):
                walk(child, tag if tag in ("article", "main") and not ident else f"#{ident}",
                     id(child))
            else:
                walk(child, anchor, key)

    body = page.find("body")
    if body is not None:
        walk(body, "body", id(body))


def _article(page: Any) -> Any:
    """Return the element holding the article: readability-lxml's choice on a copy of the
    page without its furniture."""
    from readability import Document as Readability  # type: ignore[import-untyped]

    for el in list(page.iter(*DROPPED_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    body = page.find("body")
    total = len(body.text_content()) if body is not None else 0
    for el in list(page.iter()):
        if (not isinstance(el.tag, str) or el.getparent() is None
                or el.tag in ("body", "article", "main")):
            continue
        key = " ".join(filter(None, (el.get("class"), el.get("id"))))
        # a wrapper holding most of the page (class="wrap hidden-print") is not furniture
        if key and FURNITURE.search(key) and len(el.text_content()) * 2 < total:
            el.drop_tree()
    # readability scores only paragraphs: an interview or a 비전체계 written as a definition
    # list is article text too, read beside the paragraphs around it
    for el in list(page.iter("dl")):
        for item in el.iter("dt", "dd"):
            item.tag = "p"
        if el.getparent() is not None:
            el.drop_tag()
    cleaned = lxml.html.tostring(page, encoding="unicode")
    try:
        summary = Readability(cleaned).summary(html_partial=True)
        body = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # readability raises bare Exception subclasses
        body = None
    if body is None or not clean_block(body.text_content()):
        body = page.find("body")
    return page if body is None else body


def _blocks(root: Any) -> Iterator[tuple[str, str, int | None]]:
    """Yield (text, locator, row number or None) for each paragraph and table row of
    ``root``, in order; ``<br>`` ends a paragraph, a table row's cells are joined by
    U+001F."""
    buf: list[str] = []
    loc: list[str] = [""]

    def flush() -> Iterator[tuple[str, str, int | None]]:
        text = " ".join(clean_block("".join(buf)).split())  # HTML: a newline is a space
        buf.clear()
        if text:
            yield text, loc[0], None

    def walk(el: Any, where: str) -> Iterator[tuple[str, str, int | None]]:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        here = el.get(LOC) or where if tag else where
        if tag == "table":
            yield from flush()
            for n, row in enumerate(_rows(el), start=1):
                yield "\x1f".join(row), here, n
            if el.tail:
                loc[0] = where
                buf.append(el.tail)
            return
        block = tag in BLOCKS
        if block:
            yield from flush()
            loc[0] = here
        if tag == "br":
            yield from flush()
        if el.text and tag:
            if not buf:
                loc[0] = here
            buf.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                yield from walk(child, here)
            elif child.tail:
                buf.append(child.tail)
        if block:
            yield from flush()
            loc[0] = where
        if el.tail:
            buf.append(el.tail)

    yield from walk(root, root.get(LOC) or "body")
    yield from flush()


# the labels of a document's field table: who is responsible, whom to ask, when it was posted
FIELD_LABEL = re.compile(r"(?:소관|담당|주관|관리)?\s*부\s*서(?:명)?|담\s*당\s*자|소\s*관|"
                         r"문의(?:처)?|연락처|작성자|등록일|작성일|게시일|시행일")


# a line giving the office in charge: "담당부서 : 자치행정과 (051-240-0000)"
FIELD_LINE = re.compile(r"^(?:(?:소관|담당|주관|관리|해명|보도)\s*)?부\s*서(?:명)?"
                        r"\s*[:：]\s*\S.{0,60}$|^소\s*관\s*[:：]\s*\S.{0,60}$")


def _fields_left_out(page: Any, tables: list[Any], lines: list[Any],
                     blocks: list[tuple[str, str, int | None]]
                     ) -> list[tuple[str, str, int | None]]:
    """Return the rows of a document's field tables (소관부서, 담당자, 등록일 …) and its field
    lines ("담당부서 : ○○과 (051-…)") that readability left out of the article, unless they are
    page furniture (dropped from the page with it): they head the text."""
    rows = {content for content, _, row in blocks if row is not None}
    paragraphs = {" ".join(content.split()) for content, _, row in blocks if row is None}
    found: list[tuple[str, str, int | None]] = [
        (content, loc, row) for table in tables if table.getroottree().getroot() is page
        for content, loc, row in _blocks(table)
        if row is not None and content not in rows
        and any(FIELD_LABEL.fullmatch(" ".join(cell.split())) for cell in content.split("\x1f"))]
    for el in lines:
        text = " ".join(el.text_content().split())
        if el.getroottree().getroot() is page and text not in paragraphs:
            found.append((text, str(el.get(LOC) or "body"), None))
    return found


def _is_field_table(table: Any) -> bool:
    """Whether ``table`` is a short table of labelled fields that names an office."""
    rows = list(table.iter("tr"))
    if not rows or len(rows) > 8:
        return False
    labels = [" ".join(cell.text_content().split()) for tr in rows for cell in tr
              if isinstance(cell.tag, str) and cell.tag in ("th", "td")]
    found = [label for label in labels if FIELD_LABEL.fullmatch(label)]
    return any(re.search(r"부\s*서|소\s*관|담\s*당", label) for label in found)


def _rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in table.iter("tr"):
        owner = tr.getparent()
        while owner is not None and owner.tag != "table":
            owner = owner.getparent()
        if owner is not table:
            continue
        cells = [cell_text([line for line, _, _ in _blocks(td)])
                 for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
        if any(cells):
            rows.append(cells)
    return rows


def _same(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())
