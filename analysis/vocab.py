"""The tool's closed sets, each declared once.

Every other module names these members instead of repeating string literals, so adding a
chart kind or a status is one change here plus the code that handles it.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A coded item's review status; only accepted items enter a normal report."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# the tables a template may place with "@table KEY" (their producers: analysis/report/tables.py)
TABLE_KEYS = ("frame", "cases", "sources", "summary", "matrix", "typology", "coding",
              "agreement", "changes", "gaps")


class ChartKind(StrEnum):
    """The charts a ``@figure KEY`` can draw."""

    COVERAGE = "coverage"
    COUNTS = "counts"
    TYPOLOGY = "typology"
    TIMELINE = "timeline"
    VISION = "vision"  # one case's 비전체계도: @figure vision:CASE
    GOVERNANCE = "governance"  # one case's 추진체계도: @figure governance:CASE


class RuleKind(StrEnum):
    """The kinds of auto-coding rule in ``rules.toml``."""

    REGEX = "regex"
    ENTITY = "entity"
    MARKED_LIST = "marked_list"
    COUNTED_LIST = "counted_list"
    OBJECT = "object"
    LINE = "line"
    HEADING = "heading"
    SECTION = "section"
    LIST = "list"


class BlockKind(StrEnum):
    """The blocks of the report's line markup (see ``analysis.report.markup``)."""

    HEADING = "heading"
    BULLET = "bullet"
    PARA = "para"
    TABLE = "table"
    FIGURE = "figure"
    NOTE = "note"
    TOC = "toc"
    TOC_TABLES = "toc-tables"
    TOC_FIGURES = "toc-figures"
    PAGEBREAK = "pagebreak"
    COVER_TITLE = "cover-title"
    COVER_SUBTITLE = "cover-subtitle"
    COVER_LINE = "cover-line"
    DISCLAIMER = "disclaimer"
    NARRATIVE = "narrative"  # @narrative KEY: the researcher's narrative/*.md, in place
    BOX = "box"  # @box TITLE … @box-end: a bordered, shaded box (사례별 시사점)
    BOX_END = "box-end"


class Role(StrEnum):
    """What an element of the framework means to the report, whatever its id in a study.

    ``framework.toml`` gives each element a ``role`` (by default its id); the report layer
    asks for roles, so a study may rename or translate its element ids.
    """

    VISION = "vision"
    GOAL = "goal"
    STRATEGY = "strategy"
    GOVERNANCE = "governance"
    INTERMEDIARY = "intermediary"
    LEGAL_BASIS = "legal_basis"
    PLAN_PERIOD = "plan_period"
    KEY_PROJECT = "key_project"
    PERFORMANCE = "performance"
    PARTNER = "partner"


class SubRole(StrEnum):
    """What a sub-code means to the report (``role`` of ``[[elements.subcodes]]``)."""

    STRATEGY_ITEM = "strategy_item"
    STRATEGY_COUNT = "strategy_count"
    COMMITTEE = "committee"
    DEPARTMENT = "department"
    TASKFORCE = "taskforce"
    CENTER = "center"
    PRIVATE_PARTNER = "private_partner"


def members(enum: type[StrEnum]) -> str:
    """Return the members of ``enum`` as "a, b, c" (for hints)."""
    return ", ".join(m.value for m in enum)
