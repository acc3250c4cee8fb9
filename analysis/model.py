"""The study as the later stages see it: everything read from its files, cross-checked.

``analysis.validate`` builds a ``StudyData`` (and lists every problem); coding, the review
workbook and the report read it.  Nothing here reads files or checks anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.errors import Problem
from analysis.framework import Framework
from analysis.narrative import Passage
from analysis.registry import Registry, SourceText
from analysis.sheets import CodedItem, Sheet
from analysis.study import Study


@dataclass(frozen=True)
class StudyData:
    """Everything a study holds, read and cross-checked."""

    study: Study
    registry: Registry
    framework: Framework
    sources: dict[str, SourceText]
    sheets: dict[str, Sheet]
    problems: tuple[Problem, ...]  # errors and notes, in file order
    narratives: dict[str, list[Passage]] = field(default_factory=dict)  # narrative/*.md

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def notes(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    def items(self) -> list[CodedItem]:
        """Return every coded item of every sheet, in registry order."""
        return [i for case in self.registry.cases
                for i in (self.sheets[case].items if case in self.sheets else ())]
