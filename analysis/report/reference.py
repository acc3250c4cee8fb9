"""The reference .docx whose styles the report uses (``templates/reference.docx``).

``make_reference`` writes one from python-docx's default template with every style the
report uses, each with East Asian fonts set (``w:eastAsia``) and theme fonts removed, Korean
as the East Asian language, A4 pages.  A user can restyle the file in Word; the build takes
its styles as they are, adding only styles that are missing.

    python -m analysis.report.reference templates/reference.docx
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from analysis.settings import Fonts


@dataclass(frozen=True)
class StyleDef:
    """A paragraph style of the report."""

    name: str
    font: str  # "body" | "heading" | "table"
    size: float
    bold: bool = False
    align: str = ""  # "center" | "right" | "both" | ""
    before: float = 0
    after: float = 0
    spacing: float = 1.0
    left: float = 0  # indent in mm
    hanging: float = 0
    keep_next: bool = False
    base: str = "Normal"
    color: str = ""
    page_break: bool = False


def style_defs(fonts: Fonts) -> list[StyleDef]:
    """Return the paragraph styles of the report (built-in names where Word has them)."""
    b, t = fonts.body_size, fonts.table_size
    return [
        StyleDef("Normal", "body", b, align="both", after=4, spacing=fonts.line_spacing),
        StyleDef("Title", "heading", 24, True, "center", 0, 12, 1.2),
        StyleDef("Subtitle", "heading", 15, False, "center", 0, 30, 1.2, color="404040"),
        StyleDef("Heading 1", "heading", 16, True, "", 0, 18, 1.3, keep_next=True,
                 page_break=True),
        StyleDef("Heading 2", "heading", 14, True, "", 18, 8, 1.3, keep_next=True),
        StyleDef("Heading 3", "heading", 12, True, "", 12, 6, 1.3, keep_next=True),
        StyleDef("Heading 4", "heading", 11, True, "", 8, 4, 1.3, keep_next=True),
        StyleDef("Heading 5", "heading", 11, False, "", 6, 4, 1.3, keep_next=True),
        StyleDef("Caption", "heading", 10, True, "center", 10, 4, 1.2, keep_next=True),
        StyleDef("TOC Heading", "heading", 16, True, "", 0, 18, 1.3, page_break=True),
        StyleDef("TOC 1", "heading", 11, True, "", 6, 2, 1.3),
        StyleDef("TOC 2", "body", 10.5, False, "", 0, 1, 1.3, left=5),
        StyleDef("TOC 3", "body", 10, False, "", 0, 1, 1.3, left=10),
        StyleDef("Table of Figures", "body", 10.5, False, "", 0, 2, 1.3),
        StyleDef("개조식 1", "body", b, False, "both", 6, 2, fonts.line_spacing, 0, 5),
        StyleDef("개조식 2", "body", b, False, "both", 0, 2, fonts.line_spacing, 4, 5),
        StyleDef("개조식 3", "body", b, False, "both", 0, 2, fonts.line_spacing, 9, 4),
        StyleDef("개조식 주석", "body", b - 1.5, False, "both", 0, 2, 1.4, 9, 3, color="404040"),
        StyleDef("표 머리", "table", t, True, "center", 1, 1, 1.15),
        StyleDef("표 본문", "table", t, False, "", 1, 1, 1.15),
        StyleDef("단위", "table", t, False, "right", 0, 1, 1.0, keep_next=True),
        StyleDef("주석", "table", t, False, "", 2, 0, 1.2, keep_next=True),  # with its 자료 line
        StyleDef("자료 출처", "table", t, False, "", 1, 10, 1.2),
        StyleDef("그림", "body", b, False, "center", 8, 0, 1.0, keep_next=True),
        StyleDef("표지 제목", "heading", 26, True, "center", 150, 16, 1.3),
        StyleDef("표지 부제", "heading", 16, False, "center", 0, 120, 1.3, color="404040"),
        StyleDef("표지 기관", "heading", 14, True, "center", 0, 8, 1.3),
        StyleDef("표지 정보", "heading", 12, False, "center", 0, 4, 1.3),
        StyleDef("면책 문구", "body", 10, False, "center", 420, 0, 1.3, color="404040"),
        StyleDef("Footer", "body", 9, False, "center", 0, 0, 1.0),
        StyleDef("Header", "body", 8, False, "right", 0, 0, 1.0, color="808080"),
    ]


def set_fonts(element: Any, name: str) -> None:
    """Set Latin, East Asian and complex-script fonts on an rPr element; drop theme fonts."""
    fonts = element.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    _korean(element, "w:lang")


def _korean(parent: Any, tag: str) -> None:
    """Set (creating it if needed) ``tag`` under ``parent`` to Latin en-US, East Asian ko-KR."""
    lang = parent.find(qn(tag))
    if lang is None:
        lang = OxmlElement(tag)
        parent.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ko-KR")


def _font_name(fonts: Fonts, kind: str) -> str:
    return {"body": fonts.body, "heading": fonts.heading, "table": fonts.table}[kind]


def apply_style(document: Any, spec: StyleDef, fonts: Fonts) -> None:
    """Create or update the paragraph style ``spec`` in ``document``."""
    styles = document.styles
    try:
        style = styles[spec.name]
    except KeyError:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        if spec.name != "Normal":
            style.base_style = styles["Normal"]
    style.hidden = False
    style.quick_style = True
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(spec.color) if spec.color else RGBColor(0, 0, 0)
    set_fonts(style.element.get_or_add_rPr(), _font_name(fonts, spec.font))
    fmt = style.paragraph_format
    fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                     "both": WD_ALIGN_PARAGRAPH.JUSTIFY, "": WD_ALIGN_PARAGRAPH.LEFT}[spec.align]
    fmt.space_before = Pt(spec.before)
    fmt.space_after = Pt(spec.after)
    fmt.line_spacing = spec.spacing
    fmt.left_indent = Mm(spec.left + spec.hanging) if spec.hanging else Mm(spec.left)
    fmt.first_line_indent = Mm(-spec.hanging) if spec.hanging else Mm(0)
    fmt.keep_with_next = spec.keep_next
    fmt.page_break_before = spec.page_break
    fmt.widow_control = True


def make_reference_document(fonts: Fonts | None = None) -> Any:
    """Return a python-docx Document holding the report's styles and an empty A4 body."""
    fonts = fonts or Fonts()
    document = Document()
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, fonts.body)
    specs = style_defs(fonts)
    for spec in specs:
        apply_style(document, spec, fonts)
    ours = {spec.name for spec in specs}
    for style_el in styles_el.iter(qn("w:style")):  # no style may keep a theme font
        rpr_el = style_el.find(qn("w:rPr"))
        style_id = style_el.get(qn("w:styleId"), "")
        name = style_el.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in ours:
            continue  # set by its StyleDef (tables, notes and sources in the table font)
        if style_el.get(qn("w:type")) == "table":
            set_fonts(style_el.get_or_add_rPr(), fonts.table)
        elif rpr_el is not None and rpr_el.find(qn("w:rFonts")) is not None:
            heading = style_id.startswith(("Heading", "Title", "Subtitle", "TOC"))
            set_fonts(rpr_el, fonts.heading if heading else fonts.body)
    for fonts_el in styles_el.iter(qn("w:rFonts")):  # conditional table formats, too
        if any(qn(a) in fonts_el.attrib for a in ("w:asciiTheme", "w:eastAsiaTheme")):
            set_fonts(fonts_el.getparent(), fonts.table)
    _korean(document.settings.element, "w:themeFontLang")
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)
    return document


def reference_bytes(fonts: Fonts | None = None) -> bytes:
    """Return the bytes of a fresh reference document."""
    buffer = io.BytesIO()
    make_reference_document(fonts).save(buffer)
    return buffer.getvalue()


def main(argv: list[str]) -> None:
    target = Path(argv[0] if argv else "templates/reference.docx")
    from analysis.report.package import normalise

    target.write_bytes(normalise(reference_bytes(), "2026-01-01T00:00:00Z"))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
