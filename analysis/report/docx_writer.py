"""Blocks → a python-docx document: headings numbered, captions as SEQ fields, TOC fields
with their entries filled in, tables with repeated shaded header rows, figures with alt text,
A4 sections with page numbers.  Styles come from the reference document.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Mm
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import SubElement  # type: ignore[import-untyped]

from analysis.report.markup import Block, unprotect
from analysis.report.ooxml import PPR_ORDER, SECT_PR_ORDER, put
from analysis.report.reference import apply_style, style_defs
from analysis.report.tables import TableData, height_lines
from analysis.settings import ReportConfig
from analysis.vocab import BlockKind

TEXT_WIDTH_MM = 160
KEEP_TOGETHER_LINES = 24  # about a third of a page of 9 pt table text
BULLET_STYLES = {1: ("□", "개조식 1"), 2: ("○", "개조식 2"), 3: ("-", "개조식 3"),
                 4: ("*", "개조식 주석")}
ROMAN = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ", "Ⅺ", "Ⅻ"]
GA = "가나다라마바사아자차카타파하"


@dataclass(frozen=True)
class Caption:
    """A numbered table or figure caption."""

    kind: str  # "table" | "figure"
    seq: str  # SEQ identifier: 표, 그림, 부표, 부도
    chapter: int  # 0 for unnumbered chapters
    number: int
    text: str

    @property
    def parts(self) -> tuple[str, str]:
        """Return the text before and after the number: ("<표 3-", ">") or ("[그림 3-", "]")."""
        opening, closing = ("<", ">") if self.kind == BlockKind.TABLE else ("[", "]")
        prefix = f"{self.chapter}-" if self.chapter else ""
        return f"{opening}{self.seq} {prefix}", closing

    @property
    def label(self) -> str:
        """Return the caption's label, e.g. ``<표 3-1>``."""
        before, after = self.parts
        return f"{before}{self.number}{after}"


def heading_number(scheme: tuple[str, ...], level: int, n: int) -> str:
    """Return the number of the ``n``-th heading at ``level`` (1-based) in ``scheme``."""
    if level > len(scheme):
        return ""
    fmt = scheme[level - 1]
    return fmt.format(n=n, roman=ROMAN[n] if n < len(ROMAN) else str(n),
                      ga=GA[n - 1] if n <= len(GA) else str(n))


@dataclass
class Plan:
    """The numbers of every heading and caption, worked out before writing (for the TOCs)."""

    headings: list[tuple[int, str]]  # (level, full text) of numbered and unnumbered headings
    captions: dict[int, Caption]  # block index → caption
    heading_text: dict[int, str]  # block index → full heading text


def plan(blocks: list[Block], config: ReportConfig, captions: dict[str, str]) -> Plan:
    """Number headings and captions in document order."""
    counters = [0] * 6
    chapter = 0
    numbered_chapter = False
    seq_counts: dict[str, int] = {}
    result = Plan([], {}, {})
    for index, block in enumerate(blocks):
        if toc_title(blocks, index):
            result.heading_text[index] = block.text  # the 목차 pages are not in the 목차
            continue
        if block.kind == BlockKind.HEADING:
            if block.level == 1:
                numbered_chapter = block.numbered
                if block.numbered:
                    chapter += 1
                seq_counts = {}
            if block.numbered:
                counters[block.level - 1] += 1
                for deeper in range(block.level, 6):
                    counters[deeper] = 0
                number = heading_number(config.numbering, block.level,
                                        counters[block.level - 1])
                text = f"{number} {block.text}" if number else block.text
            else:
                text = block.text
            result.heading_text[index] = text
            result.headings.append((block.level, text))
        elif block.kind in (BlockKind.TABLE, BlockKind.FIGURE):
            appendix = not numbered_chapter
            key = ("appendix_" if appendix else "") + block.kind
            seq = captions.get(key, key)
            seq_counts[seq] = seq_counts.get(seq, 0) + 1
            result.captions[index] = Caption(block.kind, seq, 0 if appendix else chapter,
                                             seq_counts[seq], block.text)
    return result


def toc_title(blocks: list[Block], index: int) -> bool:
    """Return True for the heading of a table of contents (목차, 표 목차, 그림 목차)."""
    return (blocks[index].kind == BlockKind.HEADING and index + 1 < len(blocks)
            and blocks[index + 1].kind in (BlockKind.TOC, BlockKind.TOC_TABLES,
                                                       BlockKind.TOC_FIGURES))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """Return ``text`` as the document stores it: protection marks gone, and characters XML
    cannot hold dropped.  All text enters the document through here (``validate`` reports
    such characters in the study's files; this is the last guard, never a traceback)."""
    return _NOT_XML.sub("", unprotect(text))


def add_text(paragraph: Any, text: str) -> Any:
    """Append a run of ``text`` to a python-docx paragraph; return the run (built directly:
    python-docx's ``add_run`` costs more than the rest of a caption or contents entry)."""
    return Run(_run(paragraph._p, text, edge_spaces_only=True).getparent(), paragraph)


def _run(parent: Any, text: str, edge_spaces_only: bool = False) -> Any:
    """Append ``<w:r><w:t>text</w:t></w:r>`` to ``parent``; return the ``w:t``.  Spaces are
    marked kept on every run, or (``edge_spaces_only``, as python-docx writes them) only
    where the text begins or ends with one."""
    t = SubElement(SubElement(parent, qn("w:r")), qn("w:t"))
    t.text = clean(text)
    if not edge_spaces_only or t.text != t.text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def _paragraph(text: str, style_id: str) -> Any:
    """Return a new w:p element with an optional style and one run of ``text``."""
    p = OxmlElement("w:p")
    if style_id:
        ppr = SubElement(p, qn("w:pPr"))
        SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style_id)
    if text:
        _run(p, text)
    return p


def _field_chars(paragraph: Any, kind: str) -> None:
    char = SubElement(SubElement(paragraph._p, qn("w:r")), qn("w:fldChar"))
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")


def _instr(paragraph: Any, instruction: str) -> None:
    text = SubElement(SubElement(paragraph._p, qn("w:r")), qn("w:instrText"))
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "


def add_field(paragraph: Any, instruction: str, result: str) -> None:
    """Append a complex field whose cached result is ``result``."""
    _field_chars(paragraph, "begin")
    _instr(paragraph, instruction)
    _field_chars(paragraph, "separate")
    add_text(paragraph, result)
    _field_chars(paragraph, "end")


def png_size(path: Path) -> tuple[int, int, float]:
    """Return (width px, height px, dpi) of a PNG (dpi from its pHYs chunk, else 72)."""
    data = path.read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    dpi = 72.0
    at = data.find(b"pHYs")
    if at > 0:
        x, _, unit = struct.unpack(">IIB", data[at + 4:at + 13])
        if unit == 1:
            dpi = x * 0.0254
    return width, height, dpi


class Writer:
    """Writes blocks into a document built on the reference .docx."""

    def __init__(self, reference: bytes | None, config: ReportConfig, labels: dict[str, Any]):
        import io

        self.config = config
        self.labels = labels
        self.document = Document(io.BytesIO(reference)) if reference else Document()
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self._ensure_styles()
        self.captions_words: dict[str, str] = labels.get("captions", {})
        # python-docx looks a style up by name through every style on each use (2 ms);
        # resolve names to ids once and set w:pStyle directly.
        self._sect: Any = None
        self._pictures: list[tuple[Any, str, str, str]] = []
        self.contents: list[list[tuple[str, Any]]] = []  # each table of contents' entries
        self._page_runs: list[Any] = []
        self.style_ids = {
            str(el.name_val).lower(): str(el.styleId)
            for el in self.document.styles.element.style_lst if el.name_val is not None}

    def _style_id(self, name: str) -> str:
        return self.style_ids[name.lower()]

    def add(self, text: str, style: str) -> Any:
        """Append a paragraph of ``style`` holding ``text`` to the body; return it."""
        p = _paragraph(text, "" if style == "Normal" else self._style_id(style))
        self._end().addprevious(p)
        return Paragraph(p, self.document._body)

    def place_pictures(self, pngs: dict[str, Path]) -> None:
        """Put each chart into the paragraph written for it, with its alt text.

        Drawing ids are counted here: python-docx's ``add_picture`` searches the whole
        document for a free id on every picture, which made a report of many pictures
        quadratic (33 s of a 1000-case build)."""
        from docx.image.image import Image
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.parts.image import ImagePart

        part = self.document.part
        ids = [int(v) for v in part.element.xpath("//@id") if v.isdigit()]
        next_id = max(ids, default=0) + 1
        known: dict[str, tuple[str, Any]] = {}  # sha1 → (rId, image): one part per picture
        # relationship ids counted here too: relate_to() scans every relationship per picture
        taken = {int(r[3:]) for r in part.rels if r.startswith("rId") and r[3:].isdigit()}
        next_rid = max(taken, default=0) + 1
        for paragraph, key, alt, title in self._pictures:
            path = pngs[key]
            width_px, _, dpi = png_size(path)
            width = min(Mm(TEXT_WIDTH_MM), Emu(int(width_px / dpi * 914400)))
            image = Image.from_file(str(path))
            if image.sha1 not in known:
                name = PackURI(f"/word/media/image{len(known) + 1}.{image.ext}")
                image_part = ImagePart.from_image(image, name)
                rid = f"rId{next_rid}"
                next_rid += 1
                part.rels.add_relationship(RELATIONSHIP_TYPE.IMAGE, image_part, rid)
                known[image.sha1] = (rid, image)
            rid, image = known[image.sha1]
            cx, cy = image.scaled_dimensions(width, None)
            inline = CT_Inline.new_pic_inline(next_id, rid, image.filename, cx, cy)
            next_id += 1
            inline.docPr.set("descr", clean(alt))
            inline.docPr.set("title", clean(title))
            paragraph.add_run()._r.add_drawing(inline)

    def _end(self) -> Any:
        """Return the body's final sectPr, before which content goes (found once)."""
        if self._sect is None or self._sect.getparent() is None:
            self._sect = self.document.element.body.find(qn("w:sectPr"))
        return self._sect

    def _ensure_styles(self) -> None:
        names = {s.name for s in self.document.styles}
        for spec in style_defs(self.config.fonts):
            if spec.name not in names:
                apply_style(self.document, spec, self.config.fonts)

    # ---- document ----------------------------------------------------------------------

    def write(self, blocks: list[Block], tables: dict[int, TableData],
              figures: dict[int, tuple[str, str]], sources_line: dict[int, str],
              numbering: Plan) -> Any:
        """Write all blocks; return the python-docx document."""
        doc = self.document
        part = "cover"  # then "front" (요약, tables of contents: i, ii, …), then "body"
        for index, block in enumerate(blocks):
            if block.kind == BlockKind.HEADING and part != "body":
                chapter = block.level == 1 and block.numbered
                if part == "cover" or chapter:
                    part = "body" if chapter else "front"
                    self._start_section("decimal" if chapter else "lowerRoman")
            kind = block.kind
            if kind == BlockKind.HEADING and toc_title(blocks, index):
                self.add(numbering.heading_text[index], "TOC Heading")
            elif kind == BlockKind.HEADING:
                self.add(numbering.heading_text[index], f"Heading {min(block.level, 5)}")
            elif kind == BlockKind.BULLET:
                marker, style = BULLET_STYLES[block.level]
                self._with_runs(self.add(f"{marker} " if block.runs else
                                         f"{marker} {block.text}", style), block)
            elif kind == BlockKind.PARA:
                self._with_runs(self.add("" if block.runs else block.text, "Normal"), block)
            elif kind == BlockKind.PAGEBREAK:
                self.add("", "Normal").add_run().add_break(WD_BREAK.PAGE)
            elif kind == BlockKind.COVER_TITLE:
                self.add(block.text, "표지 제목")
            elif kind == BlockKind.COVER_SUBTITLE:
                self.add(block.text, "표지 부제")
            elif kind == BlockKind.COVER_LINE:
                self.add(block.text, "표지 정보")
            elif kind == BlockKind.DISCLAIMER:
                self.add("", "Normal").add_run().add_break(WD_BREAK.PAGE)
                self.add(block.text, "면책 문구")
            elif kind == BlockKind.TOC:
                self._toc(numbering)
            elif kind in (BlockKind.TOC_TABLES, BlockKind.TOC_FIGURES):
                kind_of = "table" if kind == BlockKind.TOC_TABLES else "figure"
                self._caption_list(numbering, kind_of)
            elif kind == BlockKind.TABLE:
                self._table(numbering.captions[index], block, tables[index],
                            sources_line.get(index, ""))
            elif kind == BlockKind.FIGURE:
                key, alt = figures[index]
                self._figure(numbering.captions[index], block, key, alt,
                             sources_line.get(index, ""))
            elif kind == BlockKind.BOX:
                self._box(block)
            elif kind == BlockKind.NOTE:
                self._note(block.text)
        if part == "cover":
            self._start_section("decimal")
        return doc

    def _box(self, block: Block) -> None:
        """Write a box: a one-cell table, ruled and lightly shaded, its title in bold on
        top, then its paragraphs and bullets (the usual form of a 시사점 box)."""
        width = int(Mm(TEXT_WIDTH_MM).twips)
        grid = self._style_id("Table Grid")
        table = parse_xml(
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{grid}"/>'
            f'<w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>'
            '<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr>'
            f'<w:tcW w:w="{width}" w:type="dxa"/>'
            '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr></w:tc></w:tr></w:tbl>')
        cell = table.find(qn("w:tr")).find(qn("w:tc"))
        title = _paragraph(block.text, self._style_id("표 머리"))
        cell.append(title)
        for child in block.children or (Block(BlockKind.PARA, ""),):
            if child.kind == BlockKind.BULLET:
                marker, style = BULLET_STYLES[child.level]
                p = _paragraph("" if child.runs else f"{marker} {child.text}",
                               self._style_id(style))
                if child.runs:
                    _run(p, f"{marker} ")
            else:
                p = _paragraph("" if child.runs else child.text, "")
            cell.append(p)
            self._with_runs(Paragraph(p, self.document._body), child)
        self._end().addprevious(table)

    def _with_runs(self, paragraph: Any, block: Block) -> None:
        """Append a narrative's runs, bold where the researcher wrote **bold**."""
        for text, bold in block.runs:
            run = add_text(paragraph, text)
            if bold:
                run.bold = True

    def _start_section(self, number_format: str) -> None:
        """End the section so far; the new one numbers its pages from 1 in ``number_format``
        (lowerRoman for the front matter, decimal for the body) and has the running title."""
        doc = self.document
        if len(doc.sections) == 1:
            doc.sections[0].footer.is_linked_to_previous = False  # the cover: no number
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        section.footer.is_linked_to_previous = False
        footer = section.footer.paragraphs[0]
        footer._p.style = self._style_id("Footer")
        add_field(footer, "PAGE", "i" if number_format == "lowerRoman" else "1")
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:fmt"), number_format)
        numbering.set(qn("w:start"), "1")
        put(section._sectPr, numbering, SECT_PR_ORDER)
        header = section.header
        header.is_linked_to_previous = False
        header.paragraphs[0]._p.style = self._style_id("Header")
        add_text(header.paragraphs[0], self.config.title)

    def _toc(self, numbering: Plan) -> None:
        entries = [(level, text) for level, text in numbering.headings if level <= 3]
        self._field_list("TOC \\o \"1-3\" \\h \\z \\u",
                         [(f"TOC {level}", text) for level, text in entries])

    def _caption_list(self, numbering: Plan, kind: str) -> None:
        captions = [c for c in numbering.captions.values() if c.kind == kind]
        for seq in dict.fromkeys(c.seq for c in captions):
            self._field_list(f"TOC \\h \\z \\c \"{seq}\"",
                             [("Table of Figures", f"{c.label} {c.text}")
                              for c in captions if c.seq == seq])

    def _field_list(self, instruction: str, entries: list[tuple[str, str]]) -> None:
        """Write a TOC-like field whose cached result is ``entries`` (style, text)."""
        if not entries:
            add_field(self.add("", "Normal"), instruction, "")
            return
        listed: list[tuple[str, Any]] = []
        for n, (style, text) in enumerate(entries):
            paragraph = self.add("", style)
            tabs = OxmlElement("w:tabs")
            tab = SubElement(tabs, qn("w:tab"))
            tab.set(qn("w:val"), "right")
            tab.set(qn("w:leader"), "dot")
            tab.set(qn("w:pos"), str(int(Mm(TEXT_WIDTH_MM).twips)))
            put(paragraph._p.get_or_add_pPr(), tabs, PPR_ORDER)
            if n == 0:
                _field_chars(paragraph, "begin")
                _instr(paragraph, instruction)
                _field_chars(paragraph, "separate")
            add_text(paragraph, text)
            listed.append((text, paragraph._p))
            if n == len(entries) - 1:
                _field_chars(paragraph, "end")
        self.contents.append(listed)

    def number_pages(self, pages: list[list[tuple[str, str]]] | None) -> int:
        """Write each table-of-contents entry's page number after a dot leader; return how
        many entries got one.  ``pages`` holds, per table of contents in document order,
        (title, page) as laid out; ``None`` writes the placeholder "0" everywhere (the same
        layout, for the pass that finds the numbers).  A list whose titles do not match is
        left without numbers rather than given wrong ones."""
        for run in self._page_runs:
            run.getparent().remove(run)
        self._page_runs = []
        filled = 0
        for number, listed in enumerate(self.contents):
            found = pages[number] if pages is not None and number < len(pages) else None
            if pages is not None and (found is None or [" ".join(t.split()) for t, _ in found]
                                      != [" ".join(clean(t).split()) for t, _ in listed]):
                continue
            for position, (_, paragraph) in enumerate(listed):
                page = found[position][1] if found is not None else "0"
                runs = paragraph.findall(qn("w:r"))
                last = runs[-1] if runs else None
                closing = last is not None and any(
                    c.get(qn("w:fldCharType")) == "end" for c in last.findall(qn("w:fldChar")))
                for run_xml in (f'<w:r {nsdecls("w")}><w:tab/></w:r>',
                                f'<w:r {nsdecls("w")}><w:t>{escape(clean(page))}</w:t></w:r>'):
                    run = parse_xml(run_xml)
                    if closing and last is not None:
                        last.addprevious(run)
                    else:
                        paragraph.append(run)
                    self._page_runs.append(run)
                filled += 1 if found is not None else 0
        return filled

    def _caption(self, caption: Caption) -> Any:
        paragraph = self.add("", "Caption")
        before, after = caption.parts
        add_text(paragraph, before)
        reset = " \\s 1" if caption.chapter else ""
        if caption.number == 1:
            reset += " \\r 1"  # LibreOffice ignores \s (chapter reset); \r restarts it too
        add_field(paragraph, f"SEQ {caption.seq} \\* ARABIC{reset}", str(caption.number))
        add_text(paragraph, f"{after} {caption.text}")
        return paragraph

    def _note(self, text: str) -> None:
        word = self.captions_words.get("note", "주")
        self.add(f"{word}: {text}", "주석")

    def _source(self, text: str) -> None:
        if text:
            word = self.captions_words.get("source", "자료")
            self.add(f"{word}: {text}", "자료 출처")

    def _table(self, caption: Caption, block: Block, data: TableData, sources: str) -> None:
        self._caption(caption)
        if block.options.get("unit"):
            self.add(f"({block.options['unit']})", "단위")
        self._end().addprevious(self._table_xml(data))
        for note in (*data.notes, *[n for n in block.options.get("note", "").split("||") if n]):
            self._note(note)
        self._source(sources)

    def _table_xml(self, data: TableData) -> Any:
        """Return a w:tbl element for ``data``, built directly (python-docx's table API
        spends most of a large report's build time looking up child positions)."""
        columns = len(data.header)
        weights = data.widths if len(data.widths) == columns else (1.0,) * columns
        total = sum(weights)
        widths = [int(Mm(TEXT_WIDTH_MM * w / total).twips) for w in weights]
        head_id, body_id = self._style_id("표 머리"), self._style_id("표 본문")
        # a short table is not split over pages; a tall one may be (its header row repeats),
        # rather than leave most of a page empty before it
        keep = height_lines(data.header, data.rows, data.widths) <= KEEP_TOGETHER_LINES
        grid_style = self._style_id("Table Grid")
        out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{grid_style}"/>'
               f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
               '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" '
               'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
               '</w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
        out.append("</w:tblGrid>")
        rows = [(data.header, True), *[(row, False) for row in data.rows]]
        for number, (values, head) in enumerate(rows):
            out.append('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>' if head
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            last = number == len(rows) - 1
            for column, (value, width) in enumerate(zip(values, widths, strict=True)):
                label = head or (data.label_column and column == 0)
                fill = "D9D9D9" if head else ("F2F2F2" if label else "")
                shade = (f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
                         if fill else "")
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>')
                style = head_id if label else body_id
                # a short table stays whole; every table's last row stays with its 주/자료 lines
                next_ = "<w:keepNext/>" if keep or last else ""
                for line in str(value).split("\n"):
                    text = escape(clean(line))
                    out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{next_}</w:pPr>'
                               f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
                out.append("</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return parse_xml("".join(out))

    def _figure(self, caption: Caption, block: Block, key: str, alt: str,
                sources: str) -> None:
        paragraph = self.add("", "그림")  # the picture goes in by place_pictures()
        self._pictures.append((paragraph, key, alt, caption.text))
        self._caption(caption)
        for note in [n for n in block.options.get("note", "").split("||") if n]:
            self._note(note)
        self._source(sources)

