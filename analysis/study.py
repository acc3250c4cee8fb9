"""Where a study's files live, and its configuration (``study.toml``).

A study is a folder: ``study.toml`` (title, institute, home case, numbering, wording),
``cases.toml`` (the case and source registry), ``framework.toml`` (the codebook),
``sheets/`` (one coding sheet per case), ``seeds/`` (source documents as received),
``templates/`` (report wording and reference .docx) and ``reports/`` (what ``build`` writes).
Every path can be changed in ``[paths]`` of ``study.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from analysis.errors import PolicyReportError, Problem, errors, fail
from analysis.tomlfile import key_line, read_toml

CONFIG_NAME = "study.toml"
REPORT_MARK = "policy-report"  # the report's dc:identifier

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

    @cached_property
    def _real_root(self) -> Path:
        return self.root.resolve()

    @cached_property
    def _parts(self) -> dict[str, Path]:
        return {}  # study parts, found once (resolving paths costs a system call each)

    def path(self, name: str) -> Path:
        """Return the absolute path of a study part named in ``DEFAULT_PATHS``."""
        if name not in self._parts:
            self._parts[name] = self._part(name)
        return self._parts[name]

    def _part(self, name: str) -> Path:
        paths = self.config.get("paths", {})
        value = paths.get(name) if isinstance(paths, dict) else None
        if not isinstance(value, str) or not value.strip():
            value = DEFAULT_PATHS[name]
        path = self.root / value.strip()
        if not path.resolve().is_relative_to(self._real_root):
            # validate names the setting; nothing is ever read or written outside the study
            path = self.root / DEFAULT_PATHS[name]
        return path

    def rel(self, path: Path) -> str:
        """Return ``path`` relative to the study root, for messages (POSIX slashes)."""
        try:
            return path.resolve().relative_to(self._real_root).as_posix()
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
    if not config_path.exists():
        raise fail(
            str(config_path),
            "no study here: study.toml is missing",
            "run policy-report in the study folder, or pass --root DIR",
        )
    notes = _finish_interrupted(root)
    parsed, problems = read_toml(config_path, CONFIG_NAME)
    if parsed is None or errors(problems):
        raise PolicyReportError(problems)
    return Study(root, parsed.data, parsed.text, (*notes, *problems))


def _finish_interrupted(root: Path) -> list[Problem]:
    """Complete a change a killed command left half done (when no command is running)."""
    from analysis.fsio import JOURNAL, recover, study_lock

    if not (root / JOURNAL).is_file():
        return []
    try:
        with study_lock(root, "recover"):
            done = recover(root)
    except PolicyReportError as exc:
        if "another policy-report command" in exc.problems[0].message:
            return []  # the command writing it is still at work
        raise
    return [Problem(JOURNAL, None, None,
                    f"completed a change an interrupted command left half done ({len(done)} "
                    "files)", "nothing to do", level="note")]


def check_output(study: Study, target: Path, suffix: str) -> None:
    """Refuse an output path (a report, a workbook) that would overwrite the study's inputs.

    The file must end in ``suffix``, stand outside the folders of inputs (sheets, seeds,
    templates), not be one of the study's settings files, and, when it exists, be a file of
    the same kind (a zip: .docx and .xlsx both are) that an earlier run wrote.
    """
    resolved = target.resolve()
    inputs = [study.root / CONFIG_NAME, study.cases_file, study.framework_file,
              study.root / "rules.toml", study.root / "manual.toml"]
    folders = [study.sheets_dir, study.seeds_dir, study.path("templates"),
               study.root / "narrative"]
    reason = ""
    if any(resolved == p.resolve() for p in inputs):
        reason = "is one of the study's input files"
    elif any(resolved.is_relative_to(d.resolve()) for d in folders):
        reason = "is inside a folder of the study's inputs (sheets, seeds, templates, narrative)"
    elif resolved.suffix.lower() != suffix:
        reason = f"does not end in {suffix}"
    elif resolved.is_dir():
        reason = "is a folder"
    elif resolved.exists() and not _made_here(resolved, suffix):
        reason = f"exists and is not a {suffix} file policy-report wrote"
    if reason:
        raise PolicyReportError(Problem(str(target), None, None,
                                        f"will not write here: the path {reason}",
                                        f"write into reports/, e.g. -o reports/"
                                        f"{'benchmark-report' if suffix == '.docx' else 'review'}"
                                        f"{suffix}"))


def _made_here(path: Path, suffix: str) -> bool:
    """Return True when ``path`` is a report or review workbook an earlier run wrote."""
    import zipfile

    # reports of earlier versions carry python-docx's description instead of the mark
    part, marks = (("docProps/core.xml", (f">{REPORT_MARK}<".encode(),
                                          b">generated by python-docx<"))
                   if suffix == ".docx" else ("xl/workbook.xml", (b'name="_meta"',)))
    try:
        with zipfile.ZipFile(path) as archive:
            text = archive.read(part)
            return any(mark in text for mark in marks)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
