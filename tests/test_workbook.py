"""The Excel review workbook: export, edit with a spreadsheet library or LibreOffice, import."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from analysis.sheets import read_sheet

CASES = ["changwon", "jeonju", "wanju", "ulsan", "cheongju"]


def snapshot(study: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((study / "sheets").iterdir())}


def export(study: Path, run: Callable[..., Result]) -> Path:
    target = study / "review.xlsx"
    result = run(study, "sheets", "export", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {target} (5 cases, ")
    return target


def worksheet(book: openpyxl.Workbook, case: str):  # type: ignore[no-untyped-def]
    return next(book[n] for n in book.sheetnames if n.split(" ")[0] == case)


def test_workbook_layout(study: Path, run: Callable[..., Result]) -> None:
    sheet = study / "sheets" / "ulsan.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "reviewer1,,,\n", "reviewer1,,,'- 세부과제 확인\n", 1), encoding="utf-8")
    book = openpyxl.load_workbook(export(study, run))
    assert [n.split(" ")[0] for n in book.sheetnames] == [*CASES, "codebook", "_meta"]
    assert book["_meta"].sheet_state == "veryHidden"
    ws = worksheet(book, "ulsan")
    assert ws.title == "ulsan 울산광역시"
    header = [c.value for c in ws[1]]
    assert header[:4] == ["item_id", "element", "subcode", "value"] and header[-1] == "context"
    assert ws.freeze_panes == "A2"
    assert ws["E2"].alignment.wrap_text
    rules = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert rules["B2:B2000"] == "=codebook!$A$2:$A$11"  # the 10 elements
    assert rules["C2:C2000"] == "=codebook!$A$12:$A$18"  # their 7 sub-codes
    assert rules["H2:H2000"] == '"suggested,accepted,rejected"'
    note = next(c for c in ws["L"] if c.value == "- 세부과제 확인")
    assert note.data_type == "s" and note.quotePrefix  # text, never a formula
    vision = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "vision")
    assert "이 계획은 ‘시민과 함께하는 협력적 공동체 실현’을 ‘비전’으로" in vision[-1]


def test_export_then_import_changes_no_byte(study: Path, run: Callable[..., Result]) -> None:
    before = snapshot(study)
    result = run(study, "sheets", "import", str(export(study, run)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("no changes: nothing written\n")
    assert snapshot(study) == before


def test_reviewer_edits_reach_the_sheets_and_the_report(study: Path,
                                                        run: Callable[..., Result]) -> None:
    assert run(study, "build", "-q").exit_code == 0
    path = export(study, run)
    book = openpyxl.load_workbook(path)
    ws = worksheet(book, "ulsan")
    rows = list(ws.iter_rows(min_row=2))
    by_value = {r[3].value: r for r in rows}
    by_value["정책박람회"][3].value = "정책박람회(상설)"
    by_value["사회적경제 박람회"][7].value = "rejected"
    new = len(rows) + 2
    for column, value in enumerate(["ulsan.partner.a1b2c3", "partner", "", "울산 시민사회",
                                    "시민사회의 역량 강화", "ulsan-2020", "", "accepted",
                                    "reviewer2", "", "", "- 검토 필요"], start=1):
        ws.cell(new, column).value = value
        ws.cell(new, column).data_type = "s"
    book.save(path)
    result = run(study, "sheets", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "ulsan: 1 added, 2 changed, 1 rejected" in result.stdout
    assert "jeonju: 0 added, 0 changed, 0 rejected" in result.stdout
    sheet, problems = read_sheet(study / "sheets" / "ulsan.csv", "ulsan", "x")
    assert problems == []
    assert sheet.items[-1].value == "울산 시민사회" and sheet.items[-1].note == "- 검토 필요"
    assert b"'- \xea\xb2\x80" in (study / "sheets" / "ulsan.csv").read_bytes()  # escaped
    assert run(study, "validate").exit_code == 0
    assert run(study, "build", "-q").exit_code == 0
    from docx import Document
    document = Document(str(study / "reports" / "benchmark-report.docx"))
    changes = [[c.text for c in r.cells] for r in document.tables[-1].rows]
    assert ["울산광역시", "변경", "주요 사업", "코딩 값: 정책박람회 → 정책박람회(상설)"] in changes
    assert ["울산광역시", "제외", "주요 사업", "사회적경제 박람회"] in changes
    assert ["울산광역시", "추가", "협력 주체", "울산 시민사회"] in changes


def test_stale_workbook_is_refused(study: Path, run: Callable[..., Result]) -> None:
    path = export(study, run)
    sheet = study / "sheets" / "wanju.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("신택리지 자원조사 프로젝트,",
                                                                "신택리지 자원조사,", 1),
                     encoding="utf-8")
    before = snapshot(study)
    result = run(study, "sheets", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("sheets/wanju.csv:3: row wanju.key_project.")
    assert "changed after the workbook was exported" in result.stderr
    assert snapshot(study) == before


def test_invalid_rows_are_named_and_nothing_is_written(study: Path,
                                                       run: Callable[..., Result]) -> None:
    path = export(study, run)
    book = openpyxl.load_workbook(path)
    ws = worksheet(book, "ulsan")
    ws["B2"].value = "visoin"
    ws["E3"].value = "원문에 없는 문장"
    ws["L4"].value = "=1+1"  # a formula typed into a cell
    ws.delete_rows(6)
    book.save(path)
    before = snapshot(study)
    result = run(study, "sheets", "import", str(path))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert "review.xlsx[ulsan 울산광역시]:4: note: the spreadsheet made this cell a formula " \
           "('=1+1')" in lines
    assert "review.xlsx[ulsan 울산광역시]:2: element: unknown element 'visoin'" in lines
    assert any(line.startswith("review.xlsx[ulsan 울산광역시]:3: evidence: not found verbatim")
               for line in lines)
    assert any(line.startswith("review.xlsx[ulsan 울산광역시]: item_id: row ulsan.")
               and line.endswith("was deleted") for line in lines)
    assert snapshot(study) == before


def test_not_a_workbook(study: Path, run: Callable[..., Result]) -> None:
    junk = study / "junk.xlsx"
    junk.write_bytes(b"not a zip at all")
    result = run(study, "sheets", "import", str(junk))
    assert result.exit_code == 1
    assert result.stderr.startswith("junk.xlsx: cannot be read as .xlsx")
    result = run(study, "sheets", "import", str(study / "missing.xlsx"))
    assert result.exit_code == 1
    assert "missing.xlsx: file not found" in result.stderr


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_round_trip_through_libreoffice_calc(study: Path, tmp_path: Path,
                                             run: Callable[..., Result]) -> None:
    path = export(study, run)
    out = tmp_path / "out"
    converted = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=180)
    if not (out / "review.xlsx").exists():
        pytest.skip(f"LibreOffice Calc could not convert: {converted.stderr[-200:]}")
    before = snapshot(study)
    result = run(study, "sheets", "import", str(out / "review.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "no changes: nothing written" in result.stdout
    assert snapshot(study) == before
