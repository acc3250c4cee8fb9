"""Where a study's files live, and its configuration (``study.toml``).

A study is a folder: ``study.toml`` (title, institute, home case, numbering, wording),
``cases.toml`` (the case and source registry), ``framework.toml`` (the codebook),
``sheets/`` (one coding sheet per case), ``seeds/`` (source documents as received),
``templates/`` (report wording and reference .docx) and ``reports/`` (what ``build`` writes).
Every path can be changed in ``[paths]`` of ``study.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import PolicyReportError, Problem, errors, fail
from analysis.tomlfile import key_line, read_toml

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
    text: str = ""  # study.toml as read, for line numbers
    notes: tuple[Problem, ...] = ()  # what reading study.toml noted (e.g. NFD normalised)

    def line(self, *path: str) -> int | None:
        """Return the line of a table or key of study.toml."""
        return key_line(self.text, path) if self.text else None

    def path(self, name: str) -> Path:
        """Return the absolute path of a study part named in ``DEFAULT_PATHS``."""
        paths = self.config.get("paths", {})
        value = paths.get(name) if isinstance(paths, dict) else None
        if not isinstance(value, str) or not value.strip():
            value = DEFAULT_PATHS[name]
        return self.root / value.strip()

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
    parsed, problems = read_toml(config_path, CONFIG_NAME)
    if parsed is None or errors(problems):
        raise PolicyReportError(problems)
    return Study(root, parsed.data, parsed.text, tuple(problems))
