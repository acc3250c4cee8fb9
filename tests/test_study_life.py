"""A study's life: init a new one, remove a case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from analysis.cli import main


def test_init_starts_a_study_that_validates(tmp_path: Path) -> None:
    folder = tmp_path / "광주 연구"
    result = CliRunner().invoke(main, ["init", str(folder), "--title", "광주 탄소중립 연구"])
    assert result.exit_code == 0, result.output
    assert "새 연구 폴더를 만들었습니다" in result.output
    assert "policy-report add-case" in result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitignore", "cases.toml", "framework.toml", "manual.toml", "reports", "seeds",
        "sheets", "study.toml"]
    assert 'title = "광주 탄소중립 연구"' in (folder / "study.toml").read_text(encoding="utf-8")
    check = CliRunner().invoke(main, ["--root", str(folder), "validate"])
    assert check.exit_code == 0, check.output
    assert check.output.startswith("OK: 0 cases, 0 sources, 10 elements")
    empty = CliRunner().invoke(main, ["--root", str(folder), "build"])
    assert empty.exit_code == 1 and "the study has no cases yet" in empty.output


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "study.toml").write_text("[study]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "study.toml: already exists" in result.output
    assert (tmp_path / "study.toml").read_text(encoding="utf-8") == "[study]\n"
    assert not (tmp_path / "cases.toml").exists()


def test_remove_case_refuses_reviewed_work_then_keeps_it_aside(
        study: Path, run: Callable[..., Result]) -> None:
    sheet = (study / "sheets" / "ulsan.csv").read_bytes()
    refused = run(study, "remove-case", "ulsan")
    assert refused.exit_code == 1
    assert "case 'ulsan' has 25 accepted items" in refused.stderr
    assert (study / "sheets" / "ulsan.csv").read_bytes() == sheet
    removed = run(study, "remove-case", "ulsan", "--force")
    assert removed.exit_code == 0, removed.stderr
    assert "sheet moved to sheets/removed/ulsan.csv" in removed.stdout
    assert (study / "sheets" / "removed" / "ulsan.csv").read_bytes() == sheet
    registry = (study / "cases.toml").read_text(encoding="utf-8")
    assert "[cases.ulsan]" not in registry and "[sources.ulsan-2020]" not in registry
    assert "[cases.jeonju]" in registry  # the rest, comments and all, as it was
    assert (study / "seeds" / "004_4a12fc6ad7d7aea4.txt").is_file()
    assert run(study, "validate").exit_code == 0
    unknown = run(study, "remove-case", "ulsan")
    assert unknown.exit_code == 1 and "unknown case 'ulsan'" in unknown.stderr
