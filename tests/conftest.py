"""Shared fixtures: a copy of the committed study in a temporary folder, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from analysis.cli import main

REPO = Path(__file__).resolve().parent.parent
STUDY_PARTS = ("study.toml", "cases.toml", "framework.toml", "sheets", "seeds", "templates")


def copy_study(target: Path) -> Path:
    """Copy the committed study (data, sources, templates) into ``target``; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for part in STUDY_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture(autouse=True)
def _no_layout_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds skip LibreOffice's page-number pass (3 s each) and draw charts in-process,
    unless a test asks otherwise."""
    monkeypatch.setenv("POLICY_REPORT_PAGE_NUMBERS", "0")
    # a build's few charts are drawn in-process: starting workers costs a second each build
    monkeypatch.setenv("POLICY_REPORT_CHART_WORKERS", "1")


@pytest.fixture(scope="session")
def _warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the caches (extracted text, drawn charts) of one build of the committed study,
    made once per test process: a test's build then draws only the charts its changes touch.
    The caches are keyed by content, so a changed study never reads a stale chart."""
    import os

    root = copy_study(tmp_path_factory.mktemp("warm") / "study")
    saved = {k: os.environ.get(k) for k in ("POLICY_REPORT_PAGE_NUMBERS",
                                             "POLICY_REPORT_CHART_WORKERS")}
    os.environ.update(POLICY_REPORT_PAGE_NUMBERS="0", POLICY_REPORT_CHART_WORKERS="1")
    try:
        result = CliRunner().invoke(main, ["--root", str(root), "build", "-q"],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return root / "reports" / ".cache"


@pytest.fixture
def study(tmp_path: Path, _warm_cache: Path) -> Path:
    """Return a fresh copy of the committed study, with the caches of a build of it."""
    root = copy_study(tmp_path / "study")
    shutil.copytree(_warm_cache, root / "reports" / ".cache")
    return root


@pytest.fixture
def run() -> Callable[..., Result]:
    """Return a function that runs ``policy-report ARGS`` in-process on a study folder."""

    def invoke(root: Path, *args: str) -> Result:
        return CliRunner().invoke(main, ["--root", str(root), *args], catch_exceptions=False)

    return invoke
