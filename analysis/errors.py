"""One error root for the tool, and the ``Problem`` record every check reports.

A problem names the file, the row (as a spreadsheet shows it: the header is row 1) and the
column, says what is wrong and how to fix it.  The CLI prints every problem of a run, then
exits non-zero; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the study's input, located as precisely as the file allows."""

    path: str
    row: int | None = None
    column: str | None = None
    message: str = ""
    hint: str = ""
    level: str = "error"  # "error" stops the command; "note" is only said

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def render(self) -> str:
        """Return ``path:row: column: message`` and, on a second line, the hint."""
        where = self.path if self.row is None else f"{self.path}:{self.row}"
        text = f"{where}: {self.column}: " if self.column else f"{where}: "
        text += ("note: " if not self.is_error else "") + self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class PolicyReportError(Exception):
    """Root of every error the tool reports to its user; carries one or more problems."""

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("\n".join(p.render() for p in self.problems))

    def __reduce__(self) -> tuple[type[PolicyReportError], tuple[tuple[Problem, ...]]]:
        # raised in a chart worker process, it must cross back to the build intact
        return (type(self), (self.problems,))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems that are errors (not notes)."""
    return [p for p in problems if p.is_error]


def fail(path: str, message: str, hint: str = "", row: int | None = None,
         column: str | None = None) -> PolicyReportError:
    """Return (for ``raise``) an error holding a single problem."""
    return PolicyReportError(Problem(path, row, column, message, hint))
