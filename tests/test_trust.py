"""Trust under misuse: one writer at a time, all-or-nothing writes, edits never dropped."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from analysis import fsio
from analysis.errors import PolicyReportError
from analysis.sheets import read_sheet, render_sheet
from tests.conftest import REPO


def _sheets(study: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((study / "sheets").iterdir())}


def test_a_writing_command_waits_for_no_one_and_says_who_holds_the_study(
        study: Path, run: Callable[..., Result]) -> None:
    before = _sheets(study)
    with fsio.study_lock(study.resolve(), "test"):
        for args in (("code",), ("build",), ("sheets", "import", str(study / "x.xlsx")),
                     ("add-case", "busan", "--name", "부산광역시", "--source",
                      str(study / "seeds" / "000_14a323ed3c2bbd92.txt"))):
            if args[0] == "sheets":
                (study / "x.xlsx").write_bytes(b"PK\x03\x04")
            result = run(study, *args)
            assert result.exit_code == 1, args
            assert "another policy-report command" in result.stderr
            assert "Traceback" not in result.stderr
        assert run(study, "validate").exit_code == 0  # reading needs no lock
    assert _sheets(study) == before


def test_two_code_runs_at_once_add_each_suggestion_once(study: Path) -> None:
    sheet = study / "sheets" / "busan.csv"
    article = REPO / "tests" / "newcity" / "busan.txt"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "analysis", "--root", str(study), "add-case", "busan",
                    "--name", "부산광역시", "--source", str(article)], check=True, env=env,
                   capture_output=True)
    command = [sys.executable, "-m", "analysis", "--root", str(study), "code", "busan", "-q"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [r.communicate(timeout=120) for r in runs]
    codes = sorted(r.returncode for r in runs)
    assert codes in ([0, 0], [0, 1]), outputs
    if codes == [0, 1]:
        assert any("another policy-report command" in err for _, err in outputs)
    items, problems = read_sheet(sheet, "busan", "sheets/busan.csv")
    assert problems == []
    ids = [i.item_id for i in items.items]
    assert len(ids) == len(set(ids)) > 0


def test_replace_all_puts_everything_back_when_a_rename_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {tmp_path / f"{n}.csv": f"old {n}".encode() for n in range(3)}
    for path, data in files.items():
        path.write_bytes(data)
    calls = []
    real = os.replace

    def flaky(src: str | Path, dst: str | Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(fsio.os, "replace", flaky)
    with pytest.raises(PolicyReportError, match="could not write"):
        fsio.replace_all({path: b"new" for path in files})
    monkeypatch.setattr(fsio.os, "replace", real)
    assert {p: p.read_bytes() for p in files} == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.csv", "1.csv", "2.csv"]


def test_an_interrupted_atomic_write_leaves_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "sheet.csv"
    target.write_bytes(b"old")
    monkeypatch.setattr(fsio.os, "replace", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        fsio.atomic_write(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.csv"]


def test_a_bare_carriage_return_survives_the_round_trip(tmp_path: Path) -> None:
    from analysis.sheets import CodedItem

    item = CodedItem("ulsan", "ulsan.goal.aaaaaa", "goal", "첫째\r둘째\n셋째", "근거",
                     "ulsan-2020", "accepted", "r1", note="a\r\nb")
    path = tmp_path / "ulsan.csv"
    path.write_bytes(render_sheet([item]))
    sheet, problems = read_sheet(path, "ulsan", "ulsan.csv")
    assert problems == []
    assert sheet.items[0].value == "첫째\r둘째\n셋째" and sheet.items[0].note == "a\r\nb"


def _export(study: Path, run: Callable[..., Result]) -> Path:
    target = study / "reports" / "review.xlsx"
    assert run(study, "sheets", "export").exit_code == 0
    return target


def _case_sheet(book: openpyxl.Workbook, case: str) -> str:
    return next(n for n in book.sheetnames if n.startswith(case))


def test_a_copied_worksheet_is_refused_not_silently_shadowing(
        study: Path, run: Callable[..., Result]) -> None:
    target = _export(study, run)
    book = openpyxl.load_workbook(target)
    original = book[_case_sheet(book, "ulsan")]
    copy = book.copy_worksheet(original)
    copy.title = "ulsan 복사본"
    original.cell(2, 8).value = "rejected"  # the reviewer's edit, in the original
    book.move_sheet(copy, offset=-book.index(copy))  # the copy comes first
    book.save(target)
    before = _sheets(study)
    result = run(study, "sheets", "import", str(target))
    assert result.exit_code == 1
    assert "second worksheet for case 'ulsan'" in result.stderr
    assert _sheets(study) == before


def test_a_worksheet_the_export_did_not_make_is_named(
        study: Path, run: Callable[..., Result]) -> None:
    target = _export(study, run)
    book = openpyxl.load_workbook(target)
    book.create_sheet("메모")
    book.save(target)
    result = run(study, "sheets", "import", str(target))
    assert result.exit_code == 1
    assert "review.xlsx[메모]: this worksheet was not made by policy-report" in result.stderr


def test_renamed_worksheets_still_import(study: Path, run: Callable[..., Result]) -> None:
    target = _export(study, run)
    book = openpyxl.load_workbook(target)
    ws = book[_case_sheet(book, "ulsan")]
    ws.title = "울산 검토"
    status = [c.value for c in ws[1]].index("status") + 1
    ws.cell(2, status).value = "rejected"
    book.save(target)
    result = run(study, "sheets", "import", str(target))
    assert result.exit_code == 0, result.stderr
    assert "ulsan: 0 added, 1 changed, 1 rejected" in result.stdout


def test_case_names_excel_forbids_make_safe_titles(
        study: Path, run: Callable[..., Result]) -> None:
    cases = study / "cases.toml"
    cases.write_text(cases.read_text(encoding="utf-8").replace(
        'name = "울산광역시"', 'name = "울산/광역시 [사회혁신]: 아주 긴 이름 * 서른한 자 넘기기?"'),
        encoding="utf-8")
    target = _export(study, run)
    titles = openpyxl.load_workbook(target).sheetnames
    assert all(len(t) <= 31 and not set(t) & set("/\\?*[]:") for t in titles)
    result = run(study, "sheets", "import", str(target))
    assert result.exit_code == 0, result.stderr


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_cheaply(
        study: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import workbook

    target = _export(study, run)
    monkeypatch.setattr(workbook, "MAX_UNPACKED", 1000)
    result = run(study, "sheets", "import", str(target))
    assert result.exit_code == 1
    assert "unpacks to" in result.stderr


@pytest.mark.parametrize(("args", "what"), [
    (("build", "-o", "cases.toml"), "is one of the study's input files"),
    (("build", "-o", "sheets/ulsan.docx"), "inside a folder of the study's inputs"),
    (("build", "-o", "study.docx.txt"), "does not end in .docx"),
    (("sheets", "export", "-o", "sheets/ulsan.csv"), "inside a folder of the study's inputs"),
    (("sheets", "export", "-o", "framework.toml"), "is one of the study's input files"),
])
def test_outputs_never_overwrite_inputs(study: Path, run: Callable[..., Result],
                                        args: tuple[str, ...], what: str) -> None:
    def files() -> dict[Path, bytes]:  # the caches of extracted text may fill in
        return {p: p.read_bytes() for p in study.rglob("*")
                if p.is_file() and ".cache" not in p.parts}

    before = files()
    result = run(study, *args[:-1], str(study / args[-1]))
    assert result.exit_code == 1
    assert what in result.stderr
    assert files() == before


def test_an_existing_file_that_is_no_report_is_kept(study: Path,
                                                    run: Callable[..., Result]) -> None:
    notes = study / "reports" / "notes.docx"
    notes.parent.mkdir(exist_ok=True)
    notes.write_text("연구 메모", encoding="utf-8")
    result = run(study, "build", "-o", str(notes))
    assert result.exit_code == 1 and "is not a .docx file" in result.stderr
    assert notes.read_text(encoding="utf-8") == "연구 메모"


def test_report_output_setting_cannot_leave_reports(study: Path,
                                                    run: Callable[..., Result]) -> None:
    config = study / "study.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[report]\noutput = "../../escape.docx"\n', encoding="utf-8")
    result = run(study, "validate")
    assert result.exit_code == 1
    assert "[report] output: '../../escape.docx' is not a report file name" in result.stderr


def test_unwritable_reports_folder_is_a_message(study: Path, run: Callable[..., Result],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path, data: bytes) -> Path:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(fsio, "_write_temp", refuse)  # as a read-only reports/ does
    result = run(study, "build")
    assert result.exit_code == 1
    assert "reports/" in result.stderr  # the report, or the chart cache beside it
    assert "could not write: Permission denied" in result.stderr
    assert "Traceback" not in result.stderr


def test_watch_ignores_only_the_studys_own_reports(tmp_path: Path) -> None:
    from analysis.watch import relevant

    root = tmp_path / "reports" / "study"  # a parent folder named reports
    assert relevant(str(root / "sheets" / "ulsan.csv"), root / "reports")
    assert not relevant(str(root / "reports" / "x.docx"), root / "reports")
    assert not relevant(str(root / "sheets" / ".~lock.ulsan.csv#"), root / "reports")


def test_chart_workers_stop_after_a_failed_build(study: Path, run: Callable[..., Result],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.delenv("POLICY_REPORT_CHART_WORKERS")  # workers start, as for a user

    template = study / "templates" / "references.j2"
    template.write_text("{{ nonexistent_name }}\n", encoding="utf-8")
    for _ in range(3):
        assert run(study, "build").exit_code == 1
    assert multiprocessing.active_children() == []
    alive = [t for t in threading.enumerate() if "QueueManager" in t.name]
    assert alive == []
