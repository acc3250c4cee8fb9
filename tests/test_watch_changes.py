"""Watch mode, the change log, and quiet output."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from docx import Document

from analysis.watch import watch

REPORT = Path("reports") / "benchmark-report.docx"


def change_rows(path: Path) -> list[list[str]]:
    table = Document(str(path)).tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    return rows[1:] if rows[0] == ["사례", "변경", "구분", "코딩 값"] else []


def wait_for(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_and_reports_problems_without_stopping(study: Path) -> None:
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(study,),
                              kwargs={"echo": lines.append, "stop": stop}, daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: any(line.startswith("watching") for line in lines))
        report = study / REPORT
        first = report.read_bytes()
        sheet = study / "sheets" / "ulsan.csv"
        text = sheet.read_text(encoding="utf-8")
        time.sleep(0.3)
        edited = text.replace("정책박람회,정책박람회 등을", "정책박람회(상설),정책박람회 등을")
        sheet.write_text(edited, encoding="utf-8")
        assert wait_for(lambda: report.read_bytes() != first)
        assert wait_for(lambda: any("after a change to ulsan.csv" in line for line in lines))
        sheet.write_text(text.replace(",vision,", ",visoin,", 1), encoding="utf-8")
        assert wait_for(lambda: any("build failed (1 problem)" in line for line in lines))
        assert "sheets/ulsan.csv:2: element: unknown element 'visoin'" in "\n".join(lines)
        sheet.write_text(text, encoding="utf-8")  # fixed again: the watch went on
        count = sum("rebuilt" in line for line in lines)
        assert wait_for(lambda: sum("rebuilt" in line for line in lines) > count)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_change_log_since_previous_build(study: Path, run: Callable[..., Result]) -> None:
    assert run(study, "build", "-q").exit_code == 0
    assert change_rows(study / REPORT) == []  # a first build has nothing to compare with
    sheet = study / "sheets" / "wanju.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        ",신택리지 자원조사 프로젝트,신택", ",신택리지 자원조사 사업,신택", 1), encoding="utf-8")
    assert run(study, "build", "-q").exit_code == 0
    rows = change_rows(study / REPORT)
    assert rows == [["완주군", "변경", "주요 사업",
                     "코딩 값: 신택리지 자원조사 프로젝트 → 신택리지 자원조사 사업"]]
    again = (study / REPORT).read_bytes()
    assert run(study, "build", "-q").exit_code == 0
    assert (study / REPORT).read_bytes() == again  # no new change: the same report


def test_change_log_since_a_git_revision(study: Path, run: Callable[..., Result]) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(study), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "coding")
    sheet = study / "sheets" / "cheongju.csv"
    lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    sheet.write_text("".join(line.replace(",accepted,", ",rejected,") if "엠버서더" in line
                             else line for line in lines), encoding="utf-8")
    assert run(study, "build", "-q", "--since", "HEAD").exit_code == 0
    assert change_rows(study / REPORT) == [["청주시", "제외", "주요 사업",
                                           "사회적경제 엠버서더 위촉"]]
    result = run(study, "build", "--since", "no-such-rev")
    assert result.exit_code == 1
    assert result.stderr.startswith("--since: 'no-such-rev' is not a git revision")


def test_quiet_prints_nothing(study: Path, run: Callable[..., Result]) -> None:
    result = run(study, "build", "-q")
    assert result.exit_code == 0 and result.output == ""
    result = run(study, "code", "-q", "--dry-run", "ulsan")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("ulsan: would add")
