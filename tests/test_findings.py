"""The 요약, case sections and 시사점 state comparisons drawn from coded facts."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from docx import Document

from analysis.report import wording
from analysis.report.context import prepare, template_data
from analysis.report.findings import bare_name
from analysis.validate import load_study

HEADING = "\u2063"  # marks a heading's text in what ``paragraphs`` returns


def sheet_rows(study: Path) -> list[dict[str, str]]:
    rows = []
    for sheet in sorted((study / "sheets").glob("*.csv")):
        with sheet.open(encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def paragraphs(path: Path) -> list[str]:
    """Return the paragraphs' texts, a heading's (not a 목차 entry's) marked."""
    return [(HEADING if p.style is not None and p.style.name.startswith(("Heading", "TOC Heading"))
             else "") + p.text for p in Document(str(path)).paragraphs]


def chapter(texts: list[str], start: str, stop: str) -> list[str]:
    """Return the paragraphs from the heading ``start`` up to the heading ``stop``."""
    begin = next(n for n, t in enumerate(texts)
                 if t.startswith(HEADING) and t.strip().endswith(start))
    end = next(n for n, t in enumerate(texts) if n > begin and t.startswith(HEADING)
               and t.strip().endswith(stop))
    return texts[begin:end]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, _warm_cache: Path) -> Path:
    """One build of the committed study, read by the tests that only read it."""
    import shutil

    from click.testing import CliRunner
    from conftest import copy_study

    from analysis.cli import main

    root = copy_study(tmp_path_factory.mktemp("findings") / "study")
    shutil.copytree(_warm_cache, root / "reports" / ".cache")
    result = CliRunner().invoke(main, ["--root", str(root), "build", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def report(built: Path) -> list[str]:
    return paragraphs(built / "reports" / "benchmark-report.docx")


def test_traits_are_read_from_coded_names(study: Path) -> None:
    cases = {c["id"]: c for c in template_data(prepare(load_study(study)))["cases"]}
    assert cases["jeonju"]["traits"]["office"]["rank"] == "국 단위"
    assert cases["jeonju"]["traits"]["office"]["name"] == "사회적경제지원단"
    assert cases["changwon"]["traits"]["office"]["rank"] == "과 단위"
    ulsan = cases["ulsan"]["traits"]
    assert ulsan["committee_types"] == [["위원회", 2], ["협의체", 2], ["포럼·네트워크", 1]]
    assert ulsan["structure"]["goals"] == {"value": 4, "stated": False}
    assert ulsan["structure"]["by_area"] is True
    # projects counted in articles never stand for a plan's stated number of projects
    assert cases["jeonju"]["traits"]["structure"]["tiers"] == 0
    assert cases["changwon"]["traits"]["structure"]["projects"] == {"value": 39, "stated": True}


def test_the_summary_compares_cases(report: list[str]) -> None:
    summary = "\n".join(chapter(report, "요약", "목차"))
    assert "울산광역시는 비전 아래 목표 4개, 추진전략 4개(분야별)로 계획을 구성함" in summary
    assert "행정주도형(전주시), 민관협력형(울산광역시)으로 나뉨" in summary
    assert ("전주시는 창원시 계획안의 일자리창출과(과 단위)보다 높은 단위의 전담조직을 "
            "두었으므로") in summary
    assert "목표 1개 아래 추진전략 6개를 두어 목표를 세분한 사례(울산광역시)보다" in summary
    assert "짝을 이룸" not in summary  # nothing the sources do not state
    # no availability counts, no method words, no gap after gap
    assert not re.search(r"\d+개 사례 중 \d+개 사례", summary)
    assert "코딩" not in summary
    assert "추가 자료 조사가 필요" not in summary
    assert summary.count("자료 미확인") == 0


def test_gaps_are_said_once_in_the_limits_section(report: list[str], built: Path) -> None:
    study = built
    body = chapter(report, "사례별 분석", "참고문헌")
    limits = chapter(report, "분석의 한계와 자료 보강", "참고문헌")
    outside = [t for t in body if t not in limits]
    assert not [t for t in outside if "자료 미확인" in t and not t.startswith("주")]
    assert not [t for t in body if "추가 자료 조사가 필요" in t]
    document = Document(str(study / "reports" / "benchmark-report.docx"))
    gaps = next(t for t in document.tables if len(t.columns) == 3
                and t.rows[0].cells[1].text.startswith("자료에서 확인"))
    rows = {r.cells[0].text: r.cells[1].text for r in gaps.rows[1:]}
    assert rows["울산광역시"] == "중간지원조직"
    assert "창원시" not in rows or "비전" not in rows["창원시"]


def test_case_sections_interpret_rather_than_repeat(report: list[str]) -> None:
    ulsan = "\n".join(chapter(report, "울산광역시", "청주시"))
    assert "전담부서는 사회혁신담당관(과 단위)이며" in ulsan
    assert "○ 혁신 정책 분야" not in ulsan  # the table lists the strategies; prose does not

def test_the_case_box_compares_with_the_home_plan(built: Path) -> None:
    study = built
    document = Document(str(study / "reports" / "benchmark-report.docx"))
    boxes = [c.text for t in document.tables if len(t.columns) == 1
             for r in t.rows for c in r.cells]
    jeonju = next(b for b in boxes if b.startswith("전주시 사례의 시사점"))
    assert "창원시 계획안의 일자리창출과(과 단위)보다 높은 단위의 조직임" in jeonju


def test_printed_names_are_coded_values(report: list[str], built: Path) -> None:
    """Every body named in the 요약's 추진체계 lines is (part of) a coded value."""
    values = [row["value"] for row in sheet_rows(built) if row["status"] == "accepted"]
    summary = chapter(report, "요약", "목차")
    named = [m.group(1) for t in summary if t.startswith("○")
             for m in re.finditer(r"([^\s:(),]+)\((?:국|과|팀) 단위", t)]
    assert named
    for name in named:
        assert any(v.startswith(name) for v in values), name


def test_a_draft_marks_unreviewed_facts_in_the_findings(study: Path,
                                                        run: Callable[..., Result]) -> None:
    sheet = study / "sheets" / "jeonju.csv"
    text = sheet.read_text(encoding="utf-8-sig")
    line = next(x for x in text.splitlines() if ",department," in x)
    sheet.write_text(text.replace(line, line.replace(",accepted,", ",suggested,")),
                     encoding="utf-8-sig")
    assert run(study, "build", "-q", "--draft", "-o", str(study / "d.docx")).exit_code == 0
    summary = "\n".join(chapter(paragraphs(study / "d.docx"), "요약", "목차"))
    assert "[검토 전] 사회적경제지원단(국 단위)" in summary


def test_particles_agree_with_every_printed_name(report: list[str], built: Path) -> None:
    """Scan the built text: a case name or coded name followed by a particle takes the form
    the name's last sound asks for (the word before a bracket decides)."""
    names = {bare_name(row["value"]) for row in sheet_rows(built)}
    names |= {"전주시", "완주군", "울산광역시", "청주시", "창원시", "창원시 계획안"}
    text = "\n".join(report)
    pairs = {"은": "은는", "는": "은는", "이": "이가", "가": "이가", "을": "을를", "를": "을를",
             "과": "과와", "와": "과와"}
    checked = 0
    for name in sorted(n for n in names if len(n) > 1):
        for m in re.finditer(re.escape(name) + r"(\([^()]*\))?(은|는|이|가|을|를|과|와)(?=\s)",
                             text):
            word = name + (m.group(1) or "")
            assert wording.josa(word, pairs[m.group(2)]) == word + m.group(2), m.group(0)
            checked += 1
    assert checked > 10


def test_josa_follows_the_word_before_a_bracket() -> None:
    assert wording.josa("조직(사회적경제지원단)", "이가").endswith(")이")
    assert wording.josa("커피(coffee)", "을를").endswith(")를")
    assert wording.josa("'비전'", "을를").endswith("'을")


def test_ending_makes_the_noun_form() -> None:
    assert [wording.ending(s, "ㅁ") for s in ("참여하", "두", "맡")] == ["참여함", "둠", "맡음"]
    assert wording.ending("맡", "고") == "맡고"


def test_a_broken_traits_table_is_named(study: Path, run: Callable[..., Result]) -> None:
    labels = study / "templates" / "labels.toml"
    labels.write_text(labels.read_text(encoding="utf-8")
                      + '\n[[traits.rank]]\nlabel = "x"\n', encoding="utf-8")
    result = run(study, "build", "-q")
    assert result.exit_code != 0
    assert "traits.rank" in result.output and "unknown class of names" in result.output


def test_names_lose_only_their_remark() -> None:
    assert bare_name("일자리창출과(주무부서)") == "일자리창출과"
    assert bare_name("사회혁신담당관(기획조정실, 2020년)") == "사회혁신담당관"
    assert bare_name("(사)사회적경제센터") == "(사)사회적경제센터"


def test_the_coding_record_shows_status_only_in_a_draft(built: Path,
                                                        run: Callable[..., Result]) -> None:
    final = Document(str(built / "reports" / "benchmark-report.docx"))
    records = [t for t in final.tables if t.rows[0].cells[0].text == "구분"
               and len(t.columns) >= 4 and t.rows[0].cells[2].text.startswith("근거")]
    assert records and all(len(t.columns) == 4 for t in records)
    assert run(built, "build", "-q", "--draft", "-o", str(built / "draft.docx")).exit_code == 0
    draft = Document(str(built / "draft.docx"))
    headers = [[c.text for c in t.rows[0].cells] for t in draft.tables]
    assert ["구분", "코딩 값", "근거(원문 인용)", "자료", "검토 상태"] in headers
