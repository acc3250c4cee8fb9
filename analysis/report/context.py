"""One typed object holding everything a report build works from.

``prepare`` reads the study's report settings, its matrix, the labels and templates, the
coding changes and (when configured) a second coder's agreement; the later steps of
``analysis.report.build`` read it and never reach back into the study's files.
``template_data`` is what the templates see: plain data only (``analysis.report.facts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import changelog
from analysis.errors import PolicyReportError, Problem
from analysis.model import StudyData
from analysis.report import facts, wording
from analysis.report.matrix import Matrix, build_matrix
from analysis.settings import ReportConfig, load_config
from analysis.vocab import Status

if TYPE_CHECKING:
    from analysis.evaluate import Comparison


@dataclass(frozen=True)
class Changes:
    """The coding changes the appendix lists, and what they are measured against."""

    rows: tuple[tuple[str, str, str, str], ...]  # case, kind, element, what changed
    since: str  # a git revision, or "" for "since the previous build"
    baseline: changelog.Coding | None
    current: changelog.Coding


@dataclass(frozen=True)
class ReportContext:
    """Everything one build of the report works from."""

    data: StudyData
    config: ReportConfig
    matrix: Matrix
    draft: bool
    template_dirs: tuple[Path, ...]
    labels: dict[str, Any]
    changes: Changes
    agreement: Comparison | None
    agreement_labels: tuple[str, str]

    @property
    def home(self) -> str:
        return self.matrix.home

    @cached_property
    def names(self) -> dict[str, Any]:
        """The names the templates see (``template_data``), worked out once per build; the
        templates cannot change them (an immutable sandbox)."""
        return template_data(self)


def prepare(data: StudyData, draft: bool = False, since: str | None = None) -> ReportContext:
    """Return the context of a build of the (validated) study ``data``."""
    config, problems = load_config(data.study)
    if problems:
        raise PolicyReportError(problems)
    if not data.registry.cases:
        raise PolicyReportError(Problem(data.study.rel(data.study.cases_file), None, None,
                                        "the study has no cases yet: there is nothing to report",
                                        "register cases with policy-report add-case, code them "
                                        "and review the sheets first"))
    home = config.home_case or (data.registry.home.id if data.registry.home else "")
    matrix = build_matrix(data, home, draft)
    dirs = tuple(wording.template_dirs(data.study.path("templates")))
    labels = wording.load_labels(list(dirs))
    agreement = _agreement(data, config)
    labels_pair = ("study sheets", config.second_coding) if agreement else ("", "")
    return ReportContext(data, config, matrix, draft, dirs, labels,
                         _changes(data, labels, since), agreement, labels_pair)


def template_data(ctx: ReportContext) -> dict[str, Any]:
    """Return the names the templates see (plain data only)."""
    mark = ctx.config.draft_mark if ctx.draft else ""
    cases = [facts.case_facts(p, ctx.matrix, mark, ctx.labels) for p in ctx.matrix.profiles]
    home = next((c for c in cases if c["id"] == ctx.home), None)
    registry = ctx.data.registry
    study = {name: getattr(ctx.config, name) for name in (
        "title", "subtitle", "institute", "lead", "date", "disclaimer_city", "missing",
        "draft_mark")}
    study["team"] = list(ctx.config.team)
    return {
        "study": study, "draft": ctx.draft, **facts.framework_facts(ctx.matrix.framework),
        "home": home, "benchmarks": [c for c in cases if c["id"] != ctx.home], "cases": cases,
        "labels": ctx.labels, "source_count": len(registry.sources),
        "source_kinds": "·".join(dict.fromkeys(
            str(ctx.labels.get("kinds", {}).get(s.kind, s.kind))
            for s in registry.sources.values() if s.kind)),
        "all_sources": [facts.source_facts(s) for s in sorted(
            registry.sources.values(), key=lambda s: (s.publisher or "힣", s.date, s.headline))],
        "has_timeline": bool(ctx.matrix.events()),
        "has_agreement": ctx.agreement is not None,
        "agreement_labels": list(ctx.agreement_labels),
        "changes": [list(row) for row in ctx.changes.rows],
        "changes_since": ctx.changes.since,
    }


def _changes(data: StudyData, labels: dict[str, Any], since: str | None) -> Changes:
    if since:
        baseline: changelog.Coding | None = changelog.at_revision(data, since)
        current = changelog.snapshot(data)
    else:
        baseline, current = changelog.since_previous_build(data)
    found = changelog.diff(baseline, current) if baseline is not None else []
    return Changes(tuple(_change_rows(found, data, labels)), since or "", baseline, current)


def _change_rows(changes: list[changelog.Change], data: StudyData,
                 labels: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Return the change log's table rows: case, kind, element, what changed."""
    words = labels.get("changes", {})
    columns = labels.get("columns", {})
    status = labels.get("status", {})
    rows = []
    for change in changes:
        case = data.registry.cases.get(change.case)
        name = case.name if case else change.case
        if change.kind == "changed":
            parts = []
            for key in ("element", "subcode", "value", "evidence", "status", "note"):
                old, new = change.before.get(key, ""), change.after.get(key, "")
                if old != new:
                    if key == "status":
                        old, new = status.get(old, old), status.get(new, new)
                    parts.append(f"{columns.get(key, words.get(key, key))}: {old} → {new}")
            what = "; ".join(parts)
        else:
            what = (change.after or change.before).get("value", "")
        rows.append((name, str(words.get(change.kind, change.kind)),
                     data.framework.label(change.element), what))
    return rows


def _agreement(data: StudyData, config: ReportConfig) -> Comparison | None:
    """Return the comparison with a second coder's sheets when the study names them."""
    if not config.second_coding:
        return None
    from analysis.coding.rules import load_rules
    from analysis.evaluate import compare
    from analysis.sheets import read_sheet

    folder = data.study.root / config.second_coding
    problems: list[Problem] = []
    second = []
    for case_id in data.registry.cases:
        path = folder / f"{case_id}.csv"
        if not path.is_file():
            problems.append(Problem(data.study.rel(path), None, None, "no sheet for this case",
                                    "[report] second_coding names a folder with one sheet "
                                    "per case"))
            continue
        sheet, found = read_sheet(path, case_id, data.study.rel(path))
        problems += found
        second += [i for i in sheet.items if i.status == Status.ACCEPTED]
    if problems:
        raise PolicyReportError(problems)
    first = [i for i in data.items() if i.status == Status.ACCEPTED]
    rules = load_rules(data.study.root, set(data.framework.ids))
    return compare(first, second, data.registry, data.sources, rules, data.framework.ids)
