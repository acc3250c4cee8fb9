"""HWPX (한글 2014+ OWPML): the zip's ``Contents/section*.xml`` read with lxml.

Paragraphs are ``hp:p`` (text in ``hp:run/hp:t``), tables ``hp:tbl/hp:tr/hp:tc``; notes
(``hp:footNote``, ``hp:endNote``) follow the paragraph citing them; text boxes are read as
paragraphs; running headers, footers and page numbers are left out.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree  # type: ignore[import-untyped]

from analysis.documents.model import Document, ExtractionError
from analysis.documents.numbers import HWPX_FORMATS, ParagraphHeads, hangul_bullet
from analysis.documents.structured import Emitter, cell_text, headed

SHAPES = {"rect", "ellipse", "arc", "polygon", "curve", "connectLine", "container", "textart"}
SKIPPED_CTRLS = {"header", "footer", "pageNum", "autoNum", "newNum", "colPr", "secPr"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
CORRUPT_HINT = "open it in 한글 and save it again (or save it as PDF), then add that"


def read(data: bytes) -> Document:
    """Return the text of an HWPX file, paragraphs and table rows numbered."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names \
            else b""
        if b"encryption-data" in manifest:
            raise ExtractionError("the HWPX file is protected by a password",
                                  "open it in 한글, remove the password (보안 > 문서 암호 "
                                  "해제) and save a copy, then add that")
        sections = [archive.read(name) for name in _section_names(archive, names)]
        meta = _meta(archive, names)
        numbering = read_heads(archive, names)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            KeyError, ValueError, EOFError, etree.XMLSyntaxError) as exc:
        raise ExtractionError(f"the HWPX file is damaged ({exc})", CORRUPT_HINT) from exc
    if not sections:
        raise ExtractionError("the HWPX file has no body (no Contents/section*.xml)",
                              CORRUPT_HINT)
    emit = Emitter()
    emit.numbering = numbering
    for xml in sections:
        try:
            root = etree.fromstring(xml, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise ExtractionError(f"the HWPX file is damaged ({exc})", CORRUPT_HINT) from exc
        if numbering is not None:
            numbering.outline = _outline_of(root) or numbering.outline
        for p in root:
            if _local(p) == "p":
                _paragraph(p, emit)
    return emit.build("hwpx", meta)


def _section_names(archive: zipfile.ZipFile, names: list[str]) -> list[str]:
    """Return the body sections in reading order: the package's spine, else by number."""
    found = {n for n in names if re.fullmatch(r"Contents/section\d+\.xml", n)}
    order: list[str] = []
    if "Contents/content.hpf" in names:
        hpf = etree.fromstring(archive.read("Contents/content.hpf"), _PARSER)
        hrefs = {item.get("id"): item.get("href") for item in hpf.iter()
                 if _local(item) == "item"}
        for ref in hpf.iter():
            if _local(ref) == "itemref":
                href = hrefs.get(ref.get("idref"))
                if href in found and href not in order:
                    order.append(href)
    rest = sorted(found - set(order), key=lambda n: int(re.sub(r"\D", "", n)))
    return order + rest


def _meta(archive: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    if "Contents/content.hpf" not in names:
        return meta
    hpf = etree.fromstring(archive.read("Contents/content.hpf"), _PARSER)
    for el in hpf.iter():
        name = _local(el)
        text = (el.text or "").strip()
        if name == "title" and text:
            meta.setdefault("title", text)
        elif name == "meta" and el.get("name") == "creator" and text:
            meta.setdefault("author", text)
    return meta


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _paragraph(p: etree._Element, emit: Emitter) -> None:
    """Add a body paragraph: its text, then any table, text box or note it holds, in order."""
    buf: list[str] = []
    notes: list[tuple[str, str]] = []

    # the head 한글 shows before the paragraph, given with its first text
    head = [emit.numbering.label(p.get("paraPrIDRef")) if emit.numbering is not None else ""]

    def flush() -> None:
        emit.paragraph(headed(head[0], "".join(buf)))
        head[0] = ""
        buf.clear()

    for run in p:
        if _local(run) != "run":
            continue
        for child in run:
            name = _local(child)
            if name == "t":
                buf.append(_text(child))
            elif name == "tbl":
                flush()
                emit.table(_table(child, emit.numbering))
            elif name == "ctrl":
                for ctrl in child:
                    kind = _local(ctrl)
                    if kind in ("footNote", "endNote"):
                        notes.append((kind.lower(), " / ".join(_texts(ctrl))))
            elif name in SHAPES:
                flush()
                for inner in _boxed_paragraphs(child):
                    _paragraph(inner, emit)
    flush()
    for kind, text in notes:
        emit.note(text, kind)


def _text(t: etree._Element) -> str:
    """Return an ``hp:t``'s text: line breaks as newlines, tabs and special spaces as
    spaces, other marks (hidden comments, pen marks) as nothing."""
    parts = [t.text or ""]
    for child in t:
        name = _local(child)
        if name == "lineBreak":
            parts.append("\n")
        elif name in ("tab", "nbSpace", "fwSpace"):
            parts.append(" ")
        elif name == "hyphen":
            parts.append("-")
        parts.append(child.tail or "")
    return "".join(parts)


def _texts(container: etree._Element, numbering: ParagraphHeads | None = None) -> list[str]:
    """Return the texts of every paragraph under ``container`` (a cell, a note), nested
    tables' cells included, in order, each after the head 한글 shows for it."""
    out: list[str] = []
    for p in container.iter():
        if _local(p) != "p":
            continue
        label = numbering.label(p.get("paraPrIDRef")) if numbering is not None else ""
        text = "".join(_text(t) for t in p.iter() if _local(t) == "t"
                       and _owning_paragraph(t) is p)
        if text.strip():
            out.append(headed(label, text))
    return out


def _owning_paragraph(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and _local(parent) != "p":
        parent = parent.getparent()
    return parent


def _table(tbl: etree._Element, numbering: ParagraphHeads | None) -> list[list[str]]:
    """Return a table's rows of cell texts (a cell's paragraphs joined by `` / ``)."""
    rows: list[list[str]] = []
    for tr in tbl:
        if _local(tr) != "tr":
            continue
        cells = [cell_text(_texts(tc, numbering)) for tc in tr if _local(tc) == "tc"]
        rows.append(cells)
    return rows


def _boxed_paragraphs(shape: etree._Element) -> list[etree._Element]:
    """Return the paragraphs of a shape's text box(es), outermost first."""
    out: list[etree._Element] = []
    for box in shape.iter():
        if _local(box) == "drawText":
            out.extend(p for p in box.iter() if _local(p) == "p" and _outer_box(p) is box)
    return out


def _outer_box(p: etree._Element) -> etree._Element | None:
    parent = p.getparent()
    while parent is not None and _local(parent) != "drawText":
        parent = parent.getparent()
    return parent


# ---- automatic numbering ---------------------------------------------------------------------


def read_heads(archive: zipfile.ZipFile, names: list[str]) -> ParagraphHeads | None:
    """Return the numberings, bullets and paragraph shapes' heads of ``Contents/header.xml``
    (None when no paragraph shape has a head)."""
    if "Contents/header.xml" not in names:
        return None
    try:
        root = etree.fromstring(archive.read("Contents/header.xml"), _PARSER)
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, zlib.error, OSError):
        return None  # numbers are a help; a damaged part only loses them
    heads = ParagraphHeads()
    for el in root.iter():
        name = _local(el)
        if name == "numbering":
            levels = heads.numberings.setdefault(el.get("id") or "", {})
            for head in el:
                if _local(head) == "paraHead":
                    levels[_int(head.get("level"), 1)] = (
                        HWPX_FORMATS.get(head.get("numFormat") or "DIGIT", "decimal"),
                        head.text or "", _int(head.get("start"), 1))
        elif name == "bullet":
            heads.bullets[el.get("id") or ""] = hangul_bullet(el.get("char") or "")
        elif name == "paraPr":
            heading = next((h for h in el if _local(h) == "heading"), None)
            if heading is not None and heading.get("type", "NONE") != "NONE":
                heads.shapes[el.get("id") or ""] = (heading.get("type") or "",
                                                    heading.get("idRef") or "",
                                                    _int(heading.get("level"), 0) + 1)
    return heads if heads.shapes else None


def _outline_of(root: etree._Element) -> str | None:
    """Return the outline numbering a section names (its first ``hp:secPr``)."""
    for el in root.iter():
        if _local(el) == "secPr":
            ref = el.get("outlineShapeIDRef")
            return str(ref) if ref else None
    return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
