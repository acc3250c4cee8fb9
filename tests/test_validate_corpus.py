"""The broken-input corpus: each file in tests/broken/ replaces sheets/ulsan.csv of a copy of
the study, and ``policy-report validate`` must print exactly ``<name>.expected``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

CORPUS = Path(__file__).parent / "broken"
BROKEN = sorted(p for p in CORPUS.glob("*.csv") if p.with_suffix(".expected").exists())
VALID = sorted(p for p in CORPUS.glob("*.csv") if not p.with_suffix(".expected").exists())


@pytest.mark.parametrize("sheet", BROKEN, ids=lambda p: p.stem)
def test_broken_sheet_gives_exact_messages(sheet: Path, study: Path,
                                           run: Callable[..., Result]) -> None:
    (study / "sheets" / "ulsan.csv").write_bytes(sheet.read_bytes())
    result = run(study, "validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == sheet.with_suffix(".expected").read_text(encoding="utf-8")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("sheet", VALID, ids=lambda p: p.stem)
def test_acceptable_variants_validate(sheet: Path, study: Path,
                                      run: Callable[..., Result]) -> None:
    (study / "sheets" / "ulsan.csv").write_bytes(sheet.read_bytes())
    result = run(study, "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK: 5 cases")


def test_corpus_covers_the_named_failures() -> None:
    names = {p.stem for p in BROKEN}
    assert {"cp949", "missing_column", "extra_column", "renamed_column", "unknown_element",
            "duplicate_id", "empty_required", "evidence_not_found", "control_char", "formula",
            "truncated", "open_quote", "junk", "unknown_codes"} <= names
    assert {"no_bom", "valid_escaped"} <= {p.stem for p in VALID}
