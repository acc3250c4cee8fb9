"""The researcher's own words (narrative/*.md): read, checked, printed in place, never written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from docx import Document

from analysis.narrative import parse_narrative


def test_paragraphs_bullets_and_bold() -> None:
    passages, problems = parse_narrative(
        "첫 문단은\n두 줄에 걸친다.\n\n- **핵심** 항목\n  - 둘째 수준\n    - 셋째\n", "n.md")
    assert problems == []
    assert [(p.level, p.text, p.line) for p in passages] == [
        (0, "첫 문단은 두 줄에 걸친다.", 1), (1, "핵심 항목", 4), (2, "둘째 수준", 5),
        (3, "셋째", 6)]
    assert passages[1].runs == (("핵심", True), (" 항목", False))


def test_problems_name_file_and_line(study: Path, run: Callable[..., Result]) -> None:
    folder = study / "narrative"
    folder.mkdir()
    (folder / "summary.md").write_text("문단\n\n## 소제목\n", encoding="utf-8")
    (folder / "busan.md").write_text("문단\n", encoding="utf-8")
    (folder / "ulsan.md").write_text("제어\x07문자\n", encoding="utf-8")
    result = run(study, "validate")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert "narrative/summary.md:3: a heading in a narrative" in lines
    assert "narrative/busan.md: no place in the report for 'busan'" in lines
    assert "narrative/ulsan.md:1: control character U+0007" in lines


def test_narratives_are_printed_in_place_and_never_written(
        study: Path, run: Callable[..., Result]) -> None:
    folder = study / "narrative"
    folder.mkdir()
    texts = {"ulsan.md": "울산은 **전담부서**가 돋보인다.\n",
             "summary.md": "- 요약에 더하는 연구진의 판단\n",
             "implications.md": "창원시는 위원회의 역할을 계획에 밝힐 필요가 있다.\n"}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run(study, "build", "-q")
    assert result.exit_code == 0, result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    document = Document(str(study / "reports" / "benchmark-report.docx"))
    paragraphs = document.paragraphs
    texts_in = [p.text for p in paragraphs]
    box = next(t for t in document.tables if "울산광역시 사례의 시사점" in t.cell(0, 0).text)
    inside = next(p for p in box.cell(0, 0).paragraphs if p.text == "울산은 전담부서가 돋보인다.")
    assert [r.bold for r in inside.runs] == [None, True, None]  # in the case's 시사점 box
    assert "□ 요약에 더하는 연구진의 판단" in texts_in[:texts_in.index("목차")]
    assert "창원시는 위원회의 역할을 계획에 밝힐 필요가 있다." in texts_in
