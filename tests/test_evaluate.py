"""Agreement figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from analysis.evaluate import krippendorff_alpha


def test_alpha_matches_krippendorffs_worked_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data,
    # four observers, twelve units, missing values: alpha = 0.743
    n = None
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
            [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_alpha_edges() -> None:
    assert krippendorff_alpha([[0, 0, 1, 1], [0, 0, 1, 1]]) == 1.0
    assert krippendorff_alpha([[0, 0, 0], [0, 0, 0]]) is None  # no variation: undefined
    assert krippendorff_alpha([[0, 1, 0, 1], [1, 0, 1, 0]]) == pytest.approx(-0.75)


def test_two_reviewers(study: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    other = tmp_path / "reviewer2"
    other.mkdir()
    for sheet in (study / "sheets").iterdir():
        (other / sheet.name).write_bytes(sheet.read_bytes())
    lines = (other / "ulsan.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (other / "ulsan.csv").write_text("".join(line for line in lines
                                             if ",goal," not in line), encoding="utf-8")
    result = run(study, "evaluate", "--against", str(other))
    assert result.exit_code == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[2:13]}
    assert rows["vision"][3:6] == ["1.00", "1.00", "1.00"]
    assert rows["goal"][1:3] == ["5", "1"]  # A has 5 goals, B only Changwon's
    assert "only in A:" in result.stdout and "ulsan/goal: 시민 주도의 사회 혁신" in result.stdout
