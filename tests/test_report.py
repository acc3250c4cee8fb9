"""The report: its parts, tables, captions, fields, fonts and guarantees, read back from
the DOCX that ``policy-report build`` writes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit
from click.testing import Result
from docx import Document

from analysis.errors import PolicyReportError
from analysis.report import charts
from analysis.report.charts import ChartSpec
from analysis.report.wording import josa

REPORT = Path("reports") / "benchmark-report.docx"


def built(study: Path, run: Callable[..., Result], *args: str) -> Path:
    result = run(study, "build", *args)
    assert result.exit_code == 0, result.stderr
    return study / REPORT


def texts(path: Path) -> list[str]:
    document = Document(str(path))
    return [p.text for p in document.paragraphs]


def xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def table_text(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def headings(path: Path, level: int) -> list[str]:
    style = f"Heading {level}" if level else "TOC Heading"
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == style]


def test_parts_in_order(study: Path, run: Callable[..., Result]) -> None:
    path = built(study, run)
    paragraphs = texts(path)
    chapters = headings(path, 1)
    assert headings(path, 0) == ["목차", "표 목차", "그림 목차"]  # not listed in the 목차
    assert chapters == ["요약", "제1장 분석 개요",
                        "제2장 사례별 분석", "제3장 종합 비교", "제4장 시사점", "참고문헌", "부록"]
    assert paragraphs[0] == "창원시 공유경제 활성화 기본계획 수립 연구"
    assert ("이 보고서의 내용은 연구진의 견해로서 창원시의 정책과는 다를 수도 있습니다."
            in paragraphs)
    sections = [t for t in headings(path, 2) if t.startswith("제")]
    assert sections[3:7] == ["제1절 전주시", "제2절 완주군", "제3절 울산광역시", "제4절 청주시"]


def test_case_tables_carry_the_coded_elements(study: Path, run: Callable[..., Result]) -> None:
    tables = table_text(built(study, run))
    summaries = {}
    for rows in tables:
        if rows[0] == ["구분", "내용"]:
            summaries[len(summaries)] = {r[0]: r[1] for r in rows[1:]}
    ulsan = summaries[2]  # 전주시, 완주군, 울산광역시, 청주시
    assert ulsan["비전"] == "시민과 함께하는 협력적 공동체 실현"
    assert ulsan["목표"].splitlines() == ["· 시민 주도의 사회 혁신", "· 민관 협력 및 교류 확대",
                                         "· 시민이 체감하는 공공서비스 혁신",
                                         "· 디지털 행정 혁신 역량 강화"]
    assert "· 사회혁신담당관(기획조정실, 2020년 상반기 신설 계획)" in ulsan["추진체계"]
    assert ulsan["중간지원조직"] == "자료 미확인"
    jeonju = summaries[0]
    assert jeonju["비전"] == "자료 미확인"
    assert jeonju["근거 조례"] == "전주시 사회적경제활성화기본조례(2014년 제정)"
    matrix = next(rows for rows in tables if rows[0][:2] == ["사례", "비전"])
    assert [r[0] for r in matrix[1:]] == ["창원시", "전주시", "완주군", "울산광역시", "청주시"]
    changwon = dict(zip(matrix[0], matrix[1], strict=True))
    assert changwon["비전"] == "일상 누비 시민가치 피움 공유도시 창원 구현"
    assert changwon["중간지원조직"] == "창원시사회적경제지원센터(중간지원조직 역할 제안)"


def test_every_accepted_core_value_is_in_the_report(study: Path,
                                                    run: Callable[..., Result]) -> None:
    path = built(study, run)
    document = Document(str(path))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    from analysis.sheets import read_sheet
    for sheet_path in (study / "sheets").glob("*.csv"):
        sheet, _ = read_sheet(sheet_path, sheet_path.stem, "x")
        for item in sheet.items:
            if item.status == "accepted":
                assert item.value in text, item
            elif item.status == "rejected":
                assert item.value not in text, item


def test_captions_are_seq_fields_with_cached_numbers(study: Path,
                                                     run: Callable[..., Result]) -> None:
    document_xml = xml(built(study, run))
    captions = re.findall(r'<w:t[^>]*>&lt;표 (\d+)-</w:t>.*?'
                          r'<w:instrText xml:space="preserve"> SEQ 표 \\\* ARABIC \\s 1 '
                          r'(?:\\r 1 )?</w:instrText>.*?<w:t>(\d+)</w:t>', document_xml)
    assert captions[:4] == [("1", "1"), ("1", "2"), ("1", "3"), ("2", "1")]
    figures = re.findall(r'\[그림 (\d+)-</w:t>.*?SEQ 그림.*?<w:t>(\d+)</w:t>', document_xml)
    assert figures == [("2", "1"), ("2", "2"), ("2", "3"),  # case diagrams
                       ("3", "1"), ("3", "2"), ("3", "3")]
    paragraphs = texts(study / REPORT)
    assert "<표 3-1> 사례별 분석틀 요소 종합 비교" in paragraphs
    assert "[부도 1] 사례별 분석틀 요소 확인 현황" in paragraphs  # the method chart: 부록
    index = len(paragraphs) - 1 - paragraphs[::-1].index("<표 3-1> 사례별 분석틀 요소 종합 비교")
    assert paragraphs[index + 1].startswith("주: '자료 미확인'은")
    assert paragraphs[index + 2].startswith("자료: 노컷뉴스(경남CBS)(연도 미상)")


def test_toc_fields_are_filled_in(study: Path, run: Callable[..., Result]) -> None:
    path = built(study, run)
    document_xml = xml(path)
    assert 'TOC \\o "1-3" \\h \\z \\u' in document_xml
    assert 'TOC \\h \\z \\c "표"' in document_xml
    assert 'TOC \\h \\z \\c "그림"' in document_xml
    document = Document(str(path))
    toc = [p.text.split("\t")[0] for p in document.paragraphs
           if p.style.name.startswith("TOC")]
    assert "제1장 분석 개요" in toc and "제1절 전주시" in toc and "1. 사례 개요" in toc
    figures = [p.text.split("\t")[0] for p in document.paragraphs
               if p.style.name == "Table of Figures"]
    assert "<표 1-1> 사례 분석틀" in figures
    assert "[그림 3-3] 사례별 계획 기간과 조례·조직 추진 시기" in figures
    assert "updateFields" not in xml(path, "word/settings.xml")  # Word asks nothing on opening


def test_tables_repeat_shaded_headers_and_cite_sources(study: Path,
                                                       run: Callable[..., Result]) -> None:
    path = built(study, run)
    document = Document(str(path))
    boxes = [t for t in document.tables if len(t.rows) == 1 and len(t.columns) == 1]
    assert len(boxes) == 4  # each benchmark case ends with its 시사점 box
    for table in document.tables:
        if any(table._tbl is box._tbl for box in boxes):
            continue
        first = table.rows[0]._tr
        assert first.xpath("./w:trPr/w:tblHeader"), "header row repeats on each page"
        assert 'w:fill="D9D9D9"' in first.xml
    body = document.element.body
    for table in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"):
        if any(table is box._tbl for box in boxes):
            continue
        following = table.getnext()
        texts_after = []
        while following is not None and len(texts_after) < 3:
            texts_after.append("".join(following.itertext()))
            following = following.getnext()
        assert any(t.startswith("자료: ") for t in texts_after), texts_after


def test_short_tables_stay_whole_tall_ones_may_break(study: Path,
                                                    run: Callable[..., Result]) -> None:
    """A table of a few lines keeps all its rows together; a tall one (표 1-1 사례 분석틀,
    most of a page) may break between rows, its header repeating, rather than leave a
    half-empty page before it; every table's last row stays with its 주/자료 lines."""
    document = Document(str(built(study, run)))
    keep = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}keepNext"

    def kept(table: object) -> list[bool]:
        return [any(p._p.pPr is not None and p._p.pPr.find(keep) is not None
                    for cell in row.cells for p in cell.paragraphs)
                for row in table.rows]  # type: ignore[attr-defined]

    frame = next(t for t in document.tables if t.rows[0].cells[0].text == "구분"
                 and "정의" in [c.text for c in t.rows[0].cells])
    cases = next(t for t in document.tables if t.rows[0].cells[0].text == "사례")
    assert kept(frame)[-1] and not any(kept(frame)[1:-1]), kept(frame)
    assert all(kept(cases)), kept(cases)


def test_fonts_pages_and_alt_text(study: Path, run: Callable[..., Result]) -> None:
    path = built(study, run)
    styles = xml(path, "word/styles.xml")
    assert "Theme=" not in styles  # no theme font can override the names below
    assert re.search(r'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts [^>]*w:eastAsia="바탕"',
                     styles)
    document = Document(str(path))
    used = {p.style.name for p in document.paragraphs}
    used |= {p.style.name for t in document.tables for r in t.rows for c in r.cells
             for p in c.paragraphs}
    for name in used:
        fonts = document.styles[name].element.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rPr/"
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
        assert fonts is not None and fonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"), name
    assert 'w:eastAsia="ko-KR"' in xml(path, "word/settings.xml")
    for section in document.sections:
        assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297),
                                                                                abs=0.5)
    assert any("PAGE" in xml(path, f"word/{n}") for n in ("footer1.xml", "footer2.xml"))
    pictures = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml(path))
    # 4 charts, 3 diagrams: 전주 has no 비전체계도 (its strategies were press subheadings)
    assert len(pictures) == 7 and all(len(d) > 20 for d in pictures)


def test_build_is_byte_identical(study: Path, tmp_path: Path,
                                 run: Callable[..., Result]) -> None:
    first = built(study, run).read_bytes()
    second = built(study, run).read_bytes()
    assert first == second
    import shutil
    shutil.rmtree(study / "reports" / ".cache")
    assert built(study, run).read_bytes() == first  # charts drawn again: same bytes
    other = tmp_path / "elsewhere"
    shutil.copytree(study, other)
    assert built(other, run).read_bytes() == first  # no path of the study leaks in
    with zipfile.ZipFile(study / REPORT) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_only_accepted_items_unless_draft(study: Path, run: Callable[..., Result]) -> None:
    sheet = study / "sheets" / "ulsan.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "ulsan-2020,310-339,accepted", "ulsan-2020,310-339,suggested"), encoding="utf-8")
    final = "\n".join(c for t in table_text(built(study, run)) for r in t for c in r)
    assert "시민과 함께하는 협력적 공동체 실현" not in final
    built(study, run, "--draft", "-o", str(study / "draft.docx"))
    draft = study / "draft.docx"
    text = "\n".join(c for t in table_text(draft) for r in t for c in r)
    assert "[검토 전] 시민과 함께하는 협력적 공동체 실현" in text


def test_failed_build_leaves_the_previous_report(study: Path,
                                                 run: Callable[..., Result]) -> None:
    before = built(study, run).read_bytes()
    template = study / "templates" / "cases.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + " {{ no_such_name }}"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sheet = study / "sheets" / "ulsan.csv"
    text = sheet.read_text(encoding="utf-8").replace("시민과 함께하는", "시민이 함께하는", 1)
    sheet.write_text(text, encoding="utf-8")
    result = run(study, "build")
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/cases.j2:4: undefined name: 'no_such_name' is "
                                    "undefined")
    assert "Traceback" not in result.output
    assert (study / REPORT).read_bytes() == before
    assert not list((study / "reports").glob(".*.tmp"))


def test_template_syntax_error_names_file_and_line(study: Path,
                                                   run: Callable[..., Result]) -> None:
    template = study / "templates" / "summary.j2"
    template.write_text("{% if %}\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(study, "build")
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/summary.j2:1: template syntax error:")


def test_templates_run_in_a_sandbox(study: Path, run: Callable[..., Result]) -> None:
    template = study / "templates" / "references.j2"
    template.write_text("{{ study.__class__.__mro__[1].__subclasses__() }}\n",
                        encoding="utf-8")
    result = run(study, "build")
    assert result.exit_code == 1
    assert "templates/references.j2:1: SecurityError" in result.stderr


def test_study_settings_change_the_report(study: Path, run: Callable[..., Result]) -> None:
    config = study / "study.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[report]\nnumbering = "roman"\nmissing = "확인 불가"\n',
                      encoding="utf-8")
    path = built(study, run)
    assert "Ⅰ. 분석 개요" in headings(path, 1) and "1. 전주시" in headings(path, 2)
    cells = [c for t in table_text(path) for r in t for c in r]
    assert "확인 불가" in cells and "자료 미확인" not in cells


def drop_cases(study: Path, keep: set[str]) -> None:
    registry = tomllib.loads((study / "cases.toml").read_text(encoding="utf-8"))
    cases = {k: v for k, v in registry["cases"].items() if k in keep}
    used = {s for c in cases.values() for s in c["sources"]}
    sources = {k: v for k, v in registry["sources"].items() if k in used}
    (study / "cases.toml").write_text(tomlkit.dumps({"cases": cases, "sources": sources}),
                                      encoding="utf-8")
    for sheet in (study / "sheets").glob("*.csv"):
        if sheet.stem not in keep:
            sheet.unlink()


def test_few_cities_are_columns_of_the_matrix(study: Path, run: Callable[..., Result]) -> None:
    drop_cases(study, {"changwon", "ulsan", "jeonju"})
    matrix = next(rows for rows in table_text(built(study, run))
                  if rows[0] == ["구분", "창원시", "전주시", "울산광역시"])
    assert [r[0] for r in matrix[1:]] == ["비전", "목표", "추진전략", "추진체계", "중간지원조직"]


def test_build_does_not_load_the_tokenizer(study: Path) -> None:
    code = ("import sys; from pathlib import Path; from analysis.report.build import build; "
            f"build(Path({str(study)!r})); "
            "print('kiwipiepy' in sys.modules, 'analysis.coding.nlp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]


def test_chart_cache_and_missing_glyphs(tmp_path: Path) -> None:
    spec = ChartSpec("counts", "k", {"cases": ["전주시"], "series": [["목표", [3]]],
                                      "unit": "개"}, "alt")
    first = charts.render_all([spec], tmp_path, 72)
    stamp = first["k"].stat().st_mtime_ns
    assert charts.render_all([spec], tmp_path, 72)["k"].stat().st_mtime_ns == stamp
    bad = ChartSpec("counts", "b", {"cases": ["\U0001F600"], "series": [["목표", [1]]],
                                     "unit": "개"}, "alt")
    with pytest.raises(PolicyReportError, match="cannot draw a character"):
        charts.render_all([bad], tmp_path, 72)


def test_particles_follow_the_last_syllable() -> None:
    assert josa("전주시", "은는") == "전주시는"
    assert josa("울산광역시", "이가") == "울산광역시가"
    assert josa("완주군", "은는") == "완주군은"
    assert josa("'자료 미확인'", "으로로") == "'자료 미확인'으로"
    assert josa("서울", "으로로") == "서울로"


def test_the_reference_docx_styles_the_report(study: Path, run: Callable[..., Result]) -> None:
    from docx.shared import Pt

    reference = study / "templates" / "reference.docx"
    document = Document(str(reference))
    document.styles["Normal"].font.size = Pt(13)
    document.styles["Heading 1"].font.name = "궁서"
    document.save(str(reference))
    report = Document(str(built(study, run)))
    assert report.styles["Normal"].font.size == Pt(13)
    assert report.styles["Heading 1"].font.name == "궁서"


def test_where_sources_disagree_a_note_says_so(study: Path, run: Callable[..., Result]) -> None:
    paragraphs = texts(built(study, run))
    caption = len(paragraphs) - 1 - paragraphs[::-1].index("<표 2-2> 완주군 사례 요약")
    assert paragraphs[caption + 1].startswith("주: 협약일을 일요신문·국제뉴스는 19일, "
                                              "아시아뉴스통신은 20일로 보도함")
    assert paragraphs[caption + 2].startswith("자료: ")


def test_every_command_is_documented(run: Callable[..., Result]) -> None:
    from analysis.cli import main

    commands = dict(main.commands)
    commands.update({f"sheets {k}": v for k, v in main.commands["sheets"].commands.items()})
    for name, command in commands.items():
        assert command.help and len(command.help) > 80, name
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"{name} --{param.name}"
    assert set(main.commands) == {"init", "validate", "add-case", "add-source", "remove-case",
                                  "code", "evaluate", "build", "sheets", "watch"}


def test_bad_settings_are_named(study: Path, run: Callable[..., Result]) -> None:
    config = study / "study.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[report]\nchart_dpi = "high"\n'
                      'chart_dip = 100\nmatrix_elements = ["vision", "visoin"]\n'
                      'numbering = "hangul"\n', encoding="utf-8")
    result = run(study, "build")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert lines == [
        "study.toml:24: [report] chart_dip: unknown setting",
        "study.toml:26: [report] numbering: unknown numbering scheme 'hangul'",
        "study.toml:23: [report] chart_dpi: 'high' is not a number from 50 to 600",
        "study.toml:25: [report] matrix_elements: unknown element 'visoin'",
        "4 problems.",
    ]
    assert not (study / "reports" / "benchmark-report.docx").exists()


def test_chart_list_setting(study: Path, run: Callable[..., Result]) -> None:
    config = study / "study.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[report]\n'
                      'charts = ["coverage", "counts"]\n', encoding="utf-8")
    result = run(study, "build")
    assert result.exit_code == 0, result.stderr
    assert "2 figures" in result.stdout
