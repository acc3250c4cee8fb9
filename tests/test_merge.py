"""`policy-report code` never loses a reviewer's work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from analysis.sheets import COLUMNS, read_sheet, render_sheet

HEADER = "\ufeff" + ",".join(COLUMNS) + "\n"


def items(study: Path, case: str):  # type: ignore[no-untyped-def]
    sheet, problems = read_sheet(study / "sheets" / f"{case}.csv", case, case)
    assert problems == []
    return sheet.items


def test_second_run_changes_no_byte(study: Path, run: Callable[..., Result]) -> None:
    (study / "sheets" / "ulsan.csv").write_text(HEADER, encoding="utf-8")
    first = run(study, "code")
    assert first.exit_code == 0
    assert "ulsan: added 23 suggestions" in first.stdout
    snapshot = {p.name: p.read_bytes() for p in (study / "sheets").iterdir()}
    second = run(study, "code")
    assert "ulsan: added 0 suggestions" in second.stdout
    assert {p.name: p.read_bytes() for p in (study / "sheets").iterdir()} == snapshot


def test_reviewed_rows_are_kept_and_rejections_remembered(study: Path,
                                                          run: Callable[..., Result]) -> None:
    path = study / "sheets" / "ulsan.csv"
    path.write_text(HEADER, encoding="utf-8")
    run(study, "code", "ulsan")
    coded = list(items(study, "ulsan"))
    vision = next(i for i in coded if i.element == "vision")
    goal = next(i for i in coded if i.element == "goal")
    rest = [i for i in coded if i not in (vision, goal)]
    # the reviewer edits the vision's wording, rejects a goal and deletes every other row
    from dataclasses import replace
    edited = replace(vision, value="시민과 함께하는 협력적 공동체", status="accepted",
                     coder="reviewer2", note="줄임")
    rejected = replace(goal, status="rejected", note="목표 아님")
    reviewed = render_sheet([edited, rejected]).replace(b"\n", b"\r\n")  # saved by Excel
    path.write_bytes(reviewed)
    result = run(study, "code", "ulsan")
    assert f"added {len(rest)} suggestions" in result.stdout
    assert "1 rejected before" in result.stdout
    data = path.read_bytes()
    assert data.startswith(reviewed)  # the reviewer's bytes, untouched, CRLF and all
    after = items(study, "ulsan")
    assert after[0].value == "시민과 함께하는 협력적 공동체" and after[0].status == "accepted"
    assert after[1].status == "rejected"
    assert not any(i.element == "goal" and i.value == goal.value and i.status == "suggested"
                   for i in after)
    assert not any(i.element == "vision" and i.status == "suggested" for i in after)
    assert run(study, "code", "ulsan").stdout.startswith("ulsan: added 0")
    assert path.read_bytes() == data


def test_a_study_with_problems_is_not_coded(study: Path, run: Callable[..., Result]) -> None:
    broken = Path(__file__).parent / "broken" / "duplicate_id.csv"
    (study / "sheets" / "ulsan.csv").write_bytes(broken.read_bytes())
    before = (study / "sheets" / "jeonju.csv").read_bytes()
    result = run(study, "code")
    assert result.exit_code == 1
    assert "duplicate item id" in result.stderr
    assert (study / "sheets" / "jeonju.csv").read_bytes() == before


def test_unknown_case_is_named(study: Path, run: Callable[..., Result]) -> None:
    result = run(study, "code", "seoul")
    assert result.exit_code == 1
    assert result.stderr.startswith("cases.toml: unknown case 'seoul'")
