"""Extraction of PDF, HWP, HWPX, DOCX, web pages and text, on fixtures made from our own text
by ``tests/fixtures/make_documents.py`` (committed, so LibreOffice is not needed here)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from analysis import documents
from analysis.documents import (
    Document,
    ExtractionError,
    Span,
    cached_extract,
    detect,
    extract,
)
from analysis.documents import reading as reading_module
from analysis.documents.cache import cache_key

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"
VISION = "추진전략 | 지역산업 고도화 / 골목상권 회복 / 청년 창업 생태계 조성"
LONG_SENTENCE = ("특히 원도심 골목상권 회복을 위한 공동 배송센터를 설치하여 소상공인의 물류비 "
                 "부담을 덜고, 빈 점포를 청년 창업 공간으로 바꾸는 사업을 함께 추진한다.")
NOTE = "시민 토론회는 2024년 9월 두 차례 열렸다."
PLANS = ("plan.pdf", "plan.docx", "plan.hwpx", "plan.hwp")


def load(name: str, **kwargs: object) -> Document:
    return extract((FIXTURES / name).read_bytes(), name, **kwargs)  # type: ignore[arg-type]


def span_of(doc: Document, phrase: str) -> Span:
    start = doc.text.index(phrase)
    span = doc.locate(start, start + len(phrase))
    assert span is not None, phrase
    return span


def lines(doc: Document) -> list[str]:
    return doc.text.split("\n")


# --- what every format keeps --------------------------------------------------------------


@pytest.mark.parametrize("name", PLANS)
def test_table_rows_stay_rows(name: str) -> None:
    doc = load(name)
    assert VISION in lines(doc)
    assert "비전 | 사람과 일자리가 모이는 활력 도시 한빛" in lines(doc)
    assert "국비 | 120 | 150 | 180" in lines(doc)
    span = span_of(doc, VISION)
    assert (span.table, span.row, span.cell) == (1, 3, 1)
    value = span_of(doc, "지역산업 고도화 / 골목상권")
    assert (value.table, value.row, value.cell) == (1, 3, 2)
    expected = "p. 3, 표 1, 3행" if name.endswith(".pdf") else "표 1, 3행"
    assert span.label() == expected
    rows = doc.text.index("비전 | 사람과")
    assert doc.text[rows:].split("\n")[1].startswith("목표 | "), "rows of a table are adjacent"


@pytest.mark.parametrize("name", PLANS)
def test_outline_items_and_toc_lines_keep_their_own_lines(name: str) -> None:
    text = lines(load(name))
    for line in ("□ 추진 배경", "- 2023년 기준 원도심 빈 점포 비율은 18.4%로 전국 평균보다 높다.",
                 "가. 시간적 범위: 2025년부터 2029년까지 5년", "Ⅱ. 비전과 추진전략",
                 "1. 계획 수립 배경", "① 경제정책과가 계획의 총괄을 맡고, 해마다 시행계획을 "
                 "세워 추진 실적을 점검한다."):
        assert line in text, line
    assert any(line.startswith("Ⅲ. 분야별 추진과제 ····") and line.endswith(" 4")
               for line in text), "목차 lines stay lines"


@pytest.mark.parametrize("name", PLANS)
def test_paragraphs_are_whole(name: str) -> None:
    doc = load(name)
    assert LONG_SENTENCE in doc.text
    assert "오른쪽 단의 둘째 문단이다. 빈 점포 임대료의 일부를 2년 동안 지원한다." in lines(doc)


@pytest.mark.parametrize("name", ("plan.docx", "plan.hwpx", "plan.hwp"))
def test_structured_formats_give_the_same_text_and_cite_paragraphs_and_notes(name: str) -> None:
    doc = load(name)
    assert doc.text == load("plan.hwpx").text
    assert span_of(doc, "□ 추진 배경").label() == "문단 11"
    assert span_of(doc, NOTE).label() == "각주 1"
    assert doc.text.index(NOTE) > doc.text.index(LONG_SENTENCE), "a note follows its paragraph"
    assert "한빛시 지역경제 활성화 기본계획\n" not in doc.text + "\n", "no running header"
    assert doc.pages is None


@pytest.mark.parametrize("name", (*PLANS, "news.html", "press.htm", "nfd.txt"))
def test_spans_are_sorted_disjoint_and_cover_the_text(name: str) -> None:
    doc = load(name)
    assert doc.spans
    covered = [False] * len(doc.text)
    last_end = 0
    for span in doc.spans:
        assert last_end <= span.start < span.end <= len(doc.text), span
        last_end = span.end
        covered[span.start:span.end] = [True] * (span.end - span.start)
    loose = {doc.text[i] for i, hit in enumerate(covered) if not hit}
    assert loose <= {"\n", " "}, loose
    assert unicodedata.is_normalized("NFC", doc.text)


@pytest.mark.parametrize("name", (*PLANS, "news.html", "press.htm", "plan-cp949.txt"))
def test_extraction_is_deterministic(name: str) -> None:
    assert load(name) == load(name)


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_cites_the_page_a_phrase_stands_on() -> None:
    doc = load("plan.pdf")
    assert doc.format == "pdf" and doc.pages == 5
    assert span_of(doc, "공동 배송센터를 설치하여").page == 2
    assert span_of(doc, "스마트 제조 혁신 지원사업").label() == "p. 3"
    assert span_of(doc, "스마트 제조 혁신 지원사업").label("{page}쪽") == "3쪽"
    assert span_of(doc, "빈 점포 임대료의 일부").page == 4
    assert span_of(doc, "민관 협의체").page == 5
    assert doc.meta == {"title": "한빛시 지역경제 활성화 기본계획", "author": "한빛시 경제정책과"}


def test_pdf_running_headers_footers_and_page_numbers_are_gone() -> None:
    doc = load("plan.pdf")
    assert doc.text.count("한빛시 지역경제 활성화 기본계획") == 1  # the title only
    assert doc.text.startswith("한빛시 지역경제 활성화 기본계획")
    assert not any(line.strip(" -").isdigit() for line in lines(doc))


def test_pdf_two_column_page_is_read_column_by_column() -> None:
    text = load("plan.pdf").text
    order = ["1. 지역산업 고도화", "왼쪽 단의 첫 문단이다.",
             "기업은 3년 동안 고용을 유지하여야 한다.", "왼쪽 단의 둘째 문단이다.",
             "2. 골목상권 회복", "오른쪽 단의 첫 문단이다.", "오른쪽 단의 둘째 문단이다."]
    positions = [text.index(phrase) for phrase in order]
    assert positions == sorted(positions)
    assert ("왼쪽 단의 첫 문단이다. 중소 제조기업의 공정을 자동화하고 설비를 바꾸는 데 드는 비용의 "
            "절반을 시가 지원한다. 지원을 받은 기업은 3년 동안 고용을 유지하여야 한다.") in text


def test_pdf_footnote_marks_and_font_change_spaces_do_not_leak() -> None:
    text = load("plan.pdf").text
    assert "확정되었다.\n" in text  # not "확정되었다.1"
    assert "2만 개" in text and "3년 동안" in text  # no space where the font changes


def test_pdf_page_turned_by_rotate_is_read_upright() -> None:
    doc = load("rotated.pdf")
    assert VISION in lines(doc)
    assert ("추진전략별로 세부사업을 정하고, 그중 스마트 제조 혁신 지원사업을 첫해의 핵심 "
            "사업으로 삼는다.") in lines(doc)


def test_pdf_page_range_keeps_only_those_pages() -> None:
    doc = load("plan.pdf", pages=(2, 3))
    assert {span.page for span in doc.spans} == {2, 3}
    assert "스마트 제조 혁신" in doc.text and "민관 협의체" not in doc.text
    assert span_of(doc, "공동 배송센터를 설치하여").label() == "p. 2"


# --- web pages -----------------------------------------------------------------------------


def test_news_page_gives_the_article_and_its_metadata() -> None:
    doc = load("news.html")
    assert doc.format == "html"
    assert doc.meta == {"title": "한빛시, 지역경제 활성화 기본계획 확정…5년간 1,200억 투입",
                        "date": "2024-12-03 09:30", "publisher": "한빛일보",
                        "author": "김나래 기자",
                        "url": "https://news.example.kr/article/20241203001"}
    assert doc.text.startswith("한빛시, 지역경제 활성화 기본계획 확정…5년간 1,200억 투입\n\n")
    assert doc.spans[0].label() == "제목"
    assert ("한빛시가 사람과 일자리가 모이는 활력 도시를 비전으로 한 지역경제 활성화 기본계획을 "
            "확정했다고 3일 밝혔다.") in lines(doc)
    assert "해마다 시행계획을 세워 추진 실적을 공개하겠다" in doc.text
    for furniture in ("관련 기사", "많이 본 뉴스", "청년 인구 3년 연속", "Copyright", "로그인",
                      "오피니언", "광고", "공유하기", "속보", "청소년보호책임자", "window.ads"):
        assert furniture not in doc.text, furniture
    span = span_of(doc, "계획은 지역산업 고도화")
    assert (span.paragraph, span.element) == (2, "#article-body p[2]")
    assert span.label() == "문단 2"


def test_press_release_board_in_euc_kr() -> None:
    doc = load("press.htm")
    assert doc.meta == {"title": "한빛시, 청년 창업 공간 30곳 새로 연다", "date": "2024-11-20",
                        "publisher": "한빛시청", "author": "경제정책과"}
    assert "○ 입주 청년에게는 2년 동안 임대료의 80%와 공동 마케팅을 지원한다." in lines(doc)
    assert "○ 신청은 12월 2일부터 시 누리집에서 받는다." in lines(doc)
    assert "임대료 | 월 임대료의 80%, 최대 2년" in lines(doc)
    assert span_of(doc, "임대료 | 월").label() == "표 2, 2행"
    assert "담당부서 | 경제정책과 | 등록일 | 2024-11-20" in lines(doc), \
        "the board's field table, which readability leaves out, heads the text"
    for furniture in ("이전글", "만족하십니까", "COPYRIGHT", "본문 바로가기", "홈 >", "열린시장실",
                      "첨부파일", "보도자료 상세보기"):
        assert furniture not in doc.text, furniture


# --- text ---------------------------------------------------------------------------------


def test_text_is_nfc_with_plain_spaces() -> None:
    raw = (FIXTURES / "nfd.txt").read_bytes().decode("utf-8")
    assert not unicodedata.is_normalized("NFC", raw) and "\u00a0" in raw and "\u200b" in raw
    doc = load("nfd.txt")
    assert doc.text == "한빛시는 원도심 상권을 살린다.\n맥에서 저장한 글이다.\n"
    assert [doc.text[s.start:s.end] for s in doc.spans] == ["한빛시는 원도심 상권을 살린다.",
                                                          "맥에서 저장한 글이다."]
    assert doc.spans[1].label() == "문단 2"


def test_cp949_text_is_decoded_and_kept_as_is() -> None:
    doc = load("plan-cp949.txt")
    assert doc.text == "□ 추진 배경\n○ 한빛시는 원도심 상권을 살린다.\n"
    assert doc.meta == {"encoding": "cp949"}


# --- recognised by content ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("plan.pdf", "pdf"), ("plan.docx", "docx"),
                                           ("plan.hwpx", "hwpx"), ("plan.hwp", "hwp"),
                                           ("news.html", "html"), ("press.htm", "html"),
                                           ("nfd.txt", "txt")])
def test_format_is_recognised_by_content_not_name(name: str, fmt: str) -> None:
    data = (FIXTURES / name).read_bytes()
    assert detect(data, name) == fmt
    assert detect(data, "renamed.txt") == fmt
    assert detect(data) == fmt


def test_a_pdf_named_txt_is_read_as_pdf() -> None:
    doc = extract((FIXTURES / "plan.pdf").read_bytes(), "plan.txt")
    assert doc.format == "pdf" and VISION in doc.text


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "message", "hint"), [
    ("scanned.pdf", "no text layer", "OCR"),
    ("locked.pdf", "password", "unprotected copy"),
    ("locked.hwp", "password", "한글"),
    ("corrupt.pdf", "cut short", "again"),
    ("corrupt.hwpx", "damaged", "again"),
    ("empty.docx", "holds no text", "right file"),
])
def test_refusals_say_what_and_what_to_do(name: str, message: str, hint: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        load(name)
    assert message in caught.value.message
    assert hint in caught.value.hint
    assert str(caught.value).startswith(caught.value.message)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a format this tool reads"),
    (b"PK\x03\x04" + b"\x00" * 60, "damaged zip"),
    (b"%PDF-1.7\n" + b"\x00" * 200 + b"%%EOF\n", "damaged"),
])
def test_refusals_of_junk(data: bytes, message: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(data, "junk.bin")
    assert message in caught.value.message
    assert caught.value.hint


def test_a_page_range_outside_the_pdf_or_for_another_format_is_refused() -> None:
    with pytest.raises(ExtractionError, match="pages 4-9 are not in this PDF, which has 5"):
        load("plan.pdf", pages=(4, 9))
    with pytest.raises(ExtractionError, match="applies only to PDF") as caught:
        load("plan.docx", pages=(1, 2))
    assert "page range" in caught.value.hint


# --- cache --------------------------------------------------------------------------------


def test_cache_hit_does_no_extraction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "plan.pdf").read_bytes()
    first = cached_extract(data, tmp_path, "plan.pdf")
    entries = list(tmp_path.iterdir())
    assert [p.name for p in entries] == [f"{cache_key(data)}.json"]
    assert json.loads(entries[0].read_text(encoding="utf-8"))["version"] == \
        documents.EXTRACTOR_VERSION

    def no_extraction(*args: object, **kwargs: object) -> Document:
        raise AssertionError("extracted again")

    monkeypatch.setattr(reading_module, "extract", no_extraction)
    assert cached_extract(data, tmp_path, "plan.pdf") == first
    with pytest.raises(AssertionError, match="extracted again"):
        cached_extract(data, tmp_path, "plan.pdf", pages=(2, 3))  # another key


def test_cache_is_keyed_by_version_and_survives_a_damaged_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "plan.hwpx").read_bytes()
    first = cached_extract(data, tmp_path)
    key = cache_key(data)
    (tmp_path / f"{key}.json").write_text("{not json", encoding="utf-8")
    assert cached_extract(data, tmp_path) == first  # extracted again, entry rewritten
    assert json.loads((tmp_path / f"{key}.json").read_text(encoding="utf-8"))["text"] == \
        first.text
    monkeypatch.setattr("analysis.documents.cache.EXTRACTOR_VERSION", "999")
    assert cache_key(data) != key
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_refused_files_write_nothing_to_the_cache(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError):
        cached_extract((FIXTURES / "scanned.pdf").read_bytes(), tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_importing_the_package_loads_no_reader() -> None:
    import subprocess
    import sys

    probe = ("import sys, analysis.documents; print(sorted(m for m in ('pypdfium2', "
             "'readability', 'lxml', 'olefile') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent).stdout
    assert out.strip() == "[]"


def test_docx_automatic_list_numbers_are_read_as_word_shows_them() -> None:
    """Word's automatic numbering (w:numPr, here through the List Number style) is not in the
    paragraphs' text; the reader writes the numbers Word shows, so the coder sees a list."""
    import io

    import docx

    from analysis.documents.numbers import formatted

    document = docx.Document()
    document.add_paragraph("추진전략", style="Heading 1")
    for text in ("생애주기 배움", "디지털 접근성", "안전망 구축"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("협력 기관", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract(buffer.getvalue(), "plan.docx").text
    assert "1. 생애주기 배움\n\n2. 디지털 접근성\n\n3. 안전망 구축" in text
    assert "· 협력 기관" in text
    assert [formatted(n, "ganada") for n in (1, 2, 14)] == ["가", "나", "하"]
    assert formatted(4, "upperRoman") == "IV" and formatted(3, "decimalEnclosedCircle") == "③"
    assert formatted(2, "circledGanada") == "㉯" and formatted(12, "koreanDigital") == "일이"


@pytest.mark.parametrize("name", ("outline.hwpx", "outline.hwp"))
def test_hangul_paragraph_heads_are_read_as_hangul_shows_them(name: str) -> None:
    """한글's outline numbers (개요 1, 개요 2), numbered and bulleted paragraphs are not in the
    text either: they come from the paragraph shape's head and the numberings of the header
    (HWPX) or DocInfo (HWP), and the reader writes them as 한글 shows them, in cells too."""
    text = lines(load(name))
    for line in ("1. 계획의 개요", "가. 계획 수립 배경", "나. 계획의 범위", "2. 비전과 추진전략",
                 "① 주민 역량 강화", "② 마을 공간 조성", "③ 민관 협력 체계 구축", "3. 추진체계",
                 "■ 총괄: 자치행정과", "구분 | ■ 마을학교 운영 / ■ 공동체 공간 지원"):
        assert line in text, line
    assert "추진전략은 다음 세 가지이다." in text, "a paragraph with no head keeps its text"
    doc = load(name)
    assert span_of(doc, "① 주민 역량 강화").label().startswith("문단 ")


def test_hwpx_heads_count_per_numbering_and_level() -> None:
    """A level counts up from its start and resets the deeper levels; a level skipped on the
    way down counts at its start; ^N writes the path in digits; an undefined numbering numbers
    as 1.1.; a symbol-font bullet is written as the mark 한글 writes for it."""
    from analysis.documents.numbers import ParagraphHeads

    numbering = ParagraphHeads(
        {"1": {1: ("upperRoman", "^1.", 1), 2: ("decimal", "^2.", 1), 3: ("ganada", "^N", 1)},
         "2": {1: ("decimalEnclosedCircle", "^1", 1)}},
        {"1": "■"},
        {"10": ("OUTLINE", "0", 1), "11": ("OUTLINE", "0", 2), "12": ("OUTLINE", "0", 3),
         "20": ("NUMBER", "2", 1), "30": ("BULLET", "1", 1), "40": ("NUMBER", "9", 2)})

    def heads(*shapes: str) -> list[str]:
        return [numbering.label(shape) for shape in shapes]

    assert heads("11", "11", "10", "11", "12", "12", "10") == \
        ["1.", "2.", "II.", "1.", "2.1.1.", "2.1.2.", "III."]
    assert heads("20", "30", "20", "0") == ["①", "■", "②", ""]
    assert heads("40", "40") == ["1.1.", "1.2."]


def test_a_list_numbered_by_hangul_is_coded_as_a_list() -> None:
    """The strategies of outline.hwp are numbered by their paragraph shape only; with the heads
    read, the coder sees the ① ② ③ list under 추진전략 and codes its items."""
    from analysis.coding.autocode import code_case
    from analysis.coding.rules import load_rules
    from analysis.registry import Case, Source, SourceText

    doc = load("outline.hwp")
    case = Case(id="nuri", name="누리군", level="군", field="마을공동체", role="benchmark",
                sources=("s",))
    text = SourceText(Source(id="s", file="outline.hwp"), doc.text, 0, len(doc.text), doc)
    items = code_case(case, [text], load_rules(FIXTURES.parent.parent.parent))
    strategies = [item.value for item in items if item.subcode == "strategy_item"]
    assert strategies == ["주민 역량 강화", "마을 공간 조성", "민관 협력 체계 구축"]
