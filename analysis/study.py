"""Where a study's files live, and its configuration (``study.toml``).

A study is a folder: ``study.toml`` (title, institute, home case, numbering, wording),
``cases.toml`` (the case and source registry), ``framework.toml`` (the codebook),
``sheets/`` (one coding sheet per case), ``seeds/`` (source documents as received),
``templates/`` (report wording and reference .docx) and ``reports/`` (what ``build`` writes).
Every path can be changed in ``[paths]`` of ``study.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import Problem, fail

CONFIG_NAME = "study.toml"

DEFAULT_PATHS = {
    "cases": "cases.toml",
    "framework": "framework.toml",
    "sheets": "sheets",
    "seeds": "seeds",
    "templates": "templates",
    "reports": "reports",
}


@dataclass(frozen=True)
class Study:
    """A study folder and its parsed configuration."""

    root: Path
    config: dict[str, Any] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        """Return the absolute path of a study part named in ``DEFAULT_PATHS``."""
        paths = self.config.get("paths", {})
        return self.root / str(paths.get(name, DEFAULT_PATHS[name]))

    def rel(self, path: Path) -> str:
        """Return ``path`` relative to the study root, for messages (POSIX slashes)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    @property
    def cases_file(self) -> Path:
        return self.path("cases")

    @property
    def framework_file(self) -> Path:
        return self.path("framework")

    @property
    def sheets_dir(self) -> Path:
        return self.path("sheets")

    @property
    def seeds_dir(self) -> Path:
        return self.path("seeds")

    def sheet_path(self, case_id: str) -> Path:
        """Return the coding sheet of a case: ``sheets/<case>.csv``."""
        return self.sheets_dir / f"{case_id}.csv"

    def setting(self, section: str, key: str, default: Any = None) -> Any:
        """Return ``[section] key`` of study.toml, or ``default``."""
        value = self.config.get(section, {})
        return value.get(key, default) if isinstance(value, dict) else default


def open_study(root: Path) -> Study:
    """Return the study in ``root``; raise a clear error when ``study.toml`` is absent or broken."""
    root = root.resolve()
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        raise fail(
            str(config_path),
            "no study here: study.toml is missing",
            "run policy-report in the study folder, or pass --root DIR",
        )
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise fail(CONFIG_NAME, f"not UTF-8 text (byte {exc.start})",
                   "save study.toml as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise fail(CONFIG_NAME, f"not valid TOML: {exc}", "fix the line named") from exc
    return Study(root, config)


def config_problems(study: Study) -> list[Problem]:
    """Return problems in study.toml that later stages would trip over."""
    problems: list[Problem] = []
    paths = study.config.get("paths", {})
    if not isinstance(paths, dict):
        problems.append(Problem(CONFIG_NAME, None, "paths", "must be a table", "write [paths]"))
        return problems
    for key in paths:
        if key not in DEFAULT_PATHS:
            problems.append(Problem(
                CONFIG_NAME, None, f"paths.{key}", "unknown path name",
                f"known names: {', '.join(DEFAULT_PATHS)}"))
    return problems
