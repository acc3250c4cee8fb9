"""The DOCX writer, the markup and the numbering at XML level, without a full build."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from analysis.report.docx_writer import Writer, clean, heading_number, plan
from analysis.report.markup import Block, parse, protect
from analysis.report.ooxml import SECT_PR_ORDER, put
from analysis.report.reference import reference_bytes
from analysis.report.tables import TableData
from analysis.settings import SCHEMES, Fonts, ReportConfig

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _writer() -> Writer:
    config = ReportConfig(title="보고서")
    return Writer(reference_bytes(Fonts()), config, {"captions": {"table": "표",
                                                                   "figure": "그림"}})


def _tags(element: Any) -> list[str]:
    return [child.tag.replace(W, "w:") for child in element]


def test_heading_numbers_follow_the_scheme() -> None:
    korean, roman = SCHEMES["korean"], SCHEMES["roman"]
    assert heading_number(korean, 1, 3) == "제3장"
    assert heading_number(korean, 2, 1) == "제1절"
    assert heading_number(korean, 6, 2) == "나."
    assert heading_number(roman, 1, 4) == "Ⅳ."
    assert heading_number(korean, 7, 1) == ""


def test_plan_numbers_chapters_sections_and_captions_per_chapter() -> None:
    blocks, problems = parse("#* 요약\n# 개요\n## 목적\n@table frame | 틀\n# 비교\n## 가\n"
                             "@table matrix | 종합\n@figure counts | 수\n@table cases | 둘\n"
                             "#* 부록\n@table coding:x | 기록\n", "t")
    assert problems == []
    numbering = plan(blocks, ReportConfig(title="t"), {"table": "표", "figure": "그림",
                                                         "appendix_table": "부표"})
    assert [text for _, text in numbering.headings] == [
        "요약", "제1장 개요", "제1절 목적", "제2장 비교", "제1절 가", "부록"]
    labels = [c.label for c in numbering.captions.values()]
    assert labels == ["<표 1-1>", "<표 2-1>", "[그림 2-1]", "<표 2-2>", "<부표 1>"]


def test_text_is_cleaned_in_one_place() -> None:
    assert clean(protect("가\x07나\x0b다")) == "가나 다"  # a line break folds to a space
    assert clean("가\x07나\ud800다") == "가나다"
    assert clean("탭\t줄\n") == "탭\t줄\n"


def test_a_control_character_never_breaks_the_document() -> None:
    writer = _writer()
    blocks = [Block("heading", "장\x01", 1), Block("para", "본문\x07 " + protect("값\x1f")),
              Block("bullet", "항목\x02", 1)]
    numbering = plan(blocks, writer.config, {})
    document = writer.write(blocks, {}, {}, {}, numbering)
    texts = [p.text for p in document.paragraphs]
    assert "본문 값" in texts and "□ 항목" in texts


def test_page_number_type_goes_where_the_schema_orders_it() -> None:
    sect = parse_xml(f'<w:sectPr {nsdecls("w")}><w:pgSz/><w:pgMar/><w:cols/><w:docGrid/>'
                     '</w:sectPr>')
    numbering = OxmlElement("w:pgNumType")
    put(sect, numbering, SECT_PR_ORDER)
    put(sect, OxmlElement("w:pgNumType"), SECT_PR_ORDER)  # replaces, never duplicates
    assert _tags(sect) == ["w:pgSz", "w:pgMar", "w:pgNumType", "w:cols", "w:docGrid"]
    assert SECT_PR_ORDER.index("w:pgNumType") < SECT_PR_ORDER.index("w:cols")


def test_body_section_orders_its_children() -> None:
    writer = _writer()
    blocks = [Block("cover-title", "표지"), Block("heading", "장", 1)]
    document = writer.write(blocks, {}, {}, {}, plan(blocks, writer.config, {}))
    sect = document.element.body.findall(qn("w:sectPr"))[-1]
    tags = [t for t in _tags(sect) if t in SECT_PR_ORDER]
    assert tags == sorted(tags, key=SECT_PR_ORDER.index)


def test_table_xml_repeats_and_shades_the_header_and_escapes_text() -> None:
    writer = _writer()
    table = writer._table_xml(TableData(("구분", "내용"), (("<비전>", "A & B\n둘째 줄"),)))
    rows = table.findall(qn("w:tr"))
    assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert rows[1].find(qn("w:trPr")).find(qn("w:tblHeader")) is None
    cells = rows[1].findall(qn("w:tc"))
    assert "".join(cells[0].xpath(".//w:t/text()")) == "<비전>"
    assert ["".join(p.xpath(".//w:t/text()")) for p in cells[1].findall(qn("w:p"))] == [
        "A & B", "둘째 줄"]
    tbl_pr = _tags(table.find(qn("w:tblPr")))
    assert tbl_pr == ["w:tblStyle", "w:tblW", "w:jc", "w:tblLayout", "w:tblLook"]
