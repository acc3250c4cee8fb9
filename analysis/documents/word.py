"""DOCX: ``word/document.xml`` read in body order with lxml (paragraphs and tables
interleaved, content controls opened, tracked insertions kept and deletions left out),
footnotes and endnotes after the paragraph citing them, text boxes as paragraphs.  Running
headers and footers live in their own parts and are not read."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree  # type: ignore[import-untyped]

from analysis.documents.model import Document, ExtractionError
from analysis.documents.numbers import bullet_mark, formatted
from analysis.documents.structured import Emitter, cell_text, headed

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
CORRUPT_HINT = "open it in Word and save it again (or save it as PDF), then add that"
SKIPPED = {W + "del", W + "moveFrom", W + "instrText", W + "delInstrText", MC_FALLBACK,
           W + "txbxContent", W + "footnoteReference", W + "endnoteReference"}


def read(data: bytes) -> Document:
    """Return the text of a DOCX file, paragraphs and table rows numbered."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        body_xml = archive.read("word/document.xml")
        notes = {kind: _notes(archive.read(f"word/{kind}s.xml"), kind)
                 for kind in ("footnote", "endnote") if f"word/{kind}s.xml" in names}
        meta = _meta(archive.read("docProps/core.xml")) if "docProps/core.xml" in names else {}
        root = etree.fromstring(body_xml, _PARSER)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            KeyError, ValueError, EOFError,
            etree.XMLSyntaxError) as exc:
        raise ExtractionError(f"the DOCX file is damaged ({exc})", CORRUPT_HINT) from exc
    body = root.find(W + "body")
    emit = Emitter()
    emit.numbering = Numbering.read(archive, names)
    if body is not None:
        _blocks(body, emit, notes)
    if emit.builder.empty:
        raise ExtractionError("the DOCX file holds no text",
                              "check that this is the right file (an empty or image-only "
                              "document cannot be coded)")
    return emit.build("docx", meta)


def _meta(xml: bytes) -> dict[str, str]:
    root = etree.fromstring(xml, _PARSER)
    meta: dict[str, str] = {}
    for el in root:
        name = etree.QName(el).localname
        text = (el.text or "").strip()
        if name == "title" and text:
            meta["title"] = text
        elif name == "creator" and text:
            meta["author"] = text
    return meta


def _notes(xml: bytes, kind: str) -> dict[str, str]:
    """Return note id -> text of a footnotes or endnotes part (separators left out)."""
    root = etree.fromstring(xml, _PARSER)
    out: dict[str, str] = {}
    for note in root.findall(W + kind):
        if note.get(W + "type") in ("separator", "continuationSeparator",
                                    "continuationNotice"):
            continue
        texts = [_text(p) for p in note.iter(W + "p")]
        out[note.get(W + "id") or ""] = " / ".join(t.strip() for t in texts if t.strip())
    return out


def _blocks(container: etree._Element, emit: Emitter,
            notes: dict[str, dict[str, str]]) -> None:
    """Add the paragraphs and tables of ``container`` (the body, a content control) in
    order."""
    for el in container:
        tag = el.tag
        if tag == W + "p":
            _paragraph(el, emit, notes)
        elif tag == W + "tbl":
            emit.table(_table(el))
        elif tag in (W + "sdt", W + "customXml"):
            content = el.find(W + "sdtContent") if tag == W + "sdt" else el
            if content is not None:
                _blocks(content, emit, notes)


def _paragraph(p: etree._Element, emit: Emitter, notes: dict[str, dict[str, str]]) -> None:
    label = emit.numbering.label(p) if emit.numbering is not None else ""
    text = _text(p)
    emit.paragraph(headed(label, text))
    for box in p.iter(W + "txbxContent"):
        if _inside_fallback(box):
            continue
        _blocks(box, emit, notes)
    for kind in ("footnote", "endnote"):
        for ref in p.iter(W + f"{kind}Reference"):
            text = notes.get(kind, {}).get(ref.get(W + "id") or "", "")
            emit.note(text, kind)


def _inside_fallback(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def _text(p: etree._Element) -> str:
    """Return a paragraph's visible text: runs (also in hyperlinks, fields' results and
    tracked insertions), tabs as spaces, breaks as newlines."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag in SKIPPED:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                parts.append(" ")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _table(tbl: etree._Element) -> list[list[str]]:
    """Return a table's rows of cell texts; a vertically merged cell is read in its first
    row only, a horizontally merged one once."""
    rows: list[list[str]] = []
    for tr in tbl.iter(W + "tr"):
        if _owning_table(tr) is not tbl:
            continue
        cells: list[str] = []
        for tc in tr.findall(W + "tc"):
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            if merge is not None and merge.get(W + "val") in (None, "continue"):
                cells.append("")
                continue
            cells.append(cell_text(_cell_paragraphs(tc)))
        rows.append(cells)
    return rows


def _cell_paragraphs(tc: etree._Element) -> list[str]:
    out: list[str] = []
    for el in tc:
        if el.tag == W + "p":
            out.append(_text(el))
        elif el.tag == W + "tbl":
            out.extend(cell for row in _table(el) for cell in row if cell)
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                out.extend(_text(p) for p in content.iter(W + "p"))
    return out


def _owning_table(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent


# ---- automatic numbering ---------------------------------------------------------------------



class Numbering:
    """Word's automatic list numbers (``w:numPr`` on a paragraph or its style), worked out in
    reading order as Word shows them: "1.", "가.", "①", "(1)", bullets as their mark.  The
    number is not in the paragraph's text, but a reader of the plan sees it, and the coder
    reads list structure from it."""

    def __init__(self, levels: dict[str, dict[int, tuple[str, str, int]]],
                 styles: dict[str, tuple[str, int]]) -> None:
        self.levels = levels  # numId -> ilvl -> (numFmt, lvlText, start)
        self.styles = styles  # paragraph style id -> (numId, ilvl)
        self.counters: dict[str, list[int]] = {}

    @classmethod
    def read(cls, archive: zipfile.ZipFile, names: set[str]) -> Numbering | None:
        if "word/numbering.xml" not in names:
            return None
        try:
            root = etree.fromstring(archive.read("word/numbering.xml"), _PARSER)
            styles = (etree.fromstring(archive.read("word/styles.xml"), _PARSER)
                      if "word/styles.xml" in names else None)
        except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, zlib.error, OSError):
            return None  # numbers are a help; a damaged part only loses them
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in node.findall(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                levels[int(lvl.get(W + "ilvl") or 0)] = (
                    (fmt.get(W + "val") if fmt is not None else None) or "decimal",
                    (text.get(W + "val") if text is not None else None) or "",
                    int((start.get(W + "val") if start is not None else None) or 1))
            abstract[node.get(W + "abstractNumId") or ""] = levels
        nums = {}
        for num in root.findall(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None:
                nums[num.get(W + "numId") or ""] = abstract.get(ref.get(W + "val") or "", {})
        by_style: dict[str, tuple[str, int]] = {}
        if styles is not None:
            for style in styles.findall(W + "style"):
                pr = style.find(f"{W}pPr/{W}numPr")
                if pr is not None:
                    by_style[style.get(W + "styleId") or ""] = _num_pr(pr)
        return cls(nums, by_style)

    def label(self, p: etree._Element) -> str:
        """Return the number Word shows before paragraph ``p`` ("" when it has none)."""
        props = p.find(W + "pPr")
        if props is None:
            return ""
        pr = props.find(W + "numPr")
        if pr is not None:
            num_id, ilvl = _num_pr(pr)
        else:
            style = props.find(W + "pStyle")
            num_id, ilvl = self.styles.get(style.get(W + "val") or "" if style is not None
                                           else "", ("", 0))
        levels = self.levels.get(num_id)
        if not num_id or num_id == "0" or not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        ilvl = min(ilvl, 9)
        counts[ilvl] = (counts[ilvl] or levels[ilvl][2] - 1) + 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return bullet_mark(text)
        if fmt == "none":
            return ""
        for level in range(ilvl, -1, -1):
            level_fmt, _, start = levels.get(level, ("decimal", "", 1))
            count = counts[level] or start
            text = text.replace(f"%{level + 1}", formatted(count, level_fmt))
        return text.strip()


def _num_pr(pr: etree._Element) -> tuple[str, int]:
    num = pr.find(W + "numId")
    level = pr.find(W + "ilvl")
    return ((num.get(W + "val") if num is not None else None) or "",
            int((level.get(W + "val") if level is not None else None) or 0))

