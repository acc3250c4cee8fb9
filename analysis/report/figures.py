"""Chart specifications from the matrix: what each ``@figure KEY`` shows, split into parts of
at most ``max_cases_per_chart`` cases, with alt text and the sources behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from analysis.registry import Source
from analysis.report.charts import ChartSpec, rows_per_chart
from analysis.report.facts import marked
from analysis.report.markup import Block
from analysis.report.matrix import Matrix, Profile
from analysis.settings import ReportConfig
from analysis.vocab import BlockKind, ChartKind, Role, SubRole

KINDS = tuple(ChartKind)


@dataclass(frozen=True)
class Figure:
    """A figure block's chart and the sources behind it."""

    spec: ChartSpec
    sources: tuple[Source, ...]


def _chunks(profiles: list[Profile], size: int) -> list[list[Profile]]:
    size = max(size, 1)
    return [profiles[i:i + size] for i in range(0, len(profiles), size)] or [[]]


PER_CASE = (ChartKind.VISION, ChartKind.GOVERNANCE)  # keyed KIND:CASE, never split


def expand(blocks: list[Block], matrix: Matrix, config: ReportConfig) -> list[Block]:
    """Return ``blocks`` with each figure split into parts when there are many cases."""
    result = []
    for block in blocks:
        if block.kind != BlockKind.FIGURE or block.key.partition(":")[0] in PER_CASE:
            result.append(block)
            continue
        profiles = _profiles(block.key, matrix)
        parts = _chunks(profiles, _per_chart(block.key, config))
        for n, _ in enumerate(parts):
            suffix = f" ({n + 1}/{len(parts)})" if len(parts) > 1 else ""
            result.append(replace(block, key=f"{block.key}#{n}", text=block.text + suffix))
    return result


def _per_chart(kind: str, config: ReportConfig) -> int:
    """Return the cases per chart: the study's setting, but never more than fit a page."""
    return min(config.max_cases_per_chart, rows_per_chart(kind) if kind in KINDS else 25)


def _profiles(key: str, matrix: Matrix) -> list[Profile]:
    if key == "timeline":
        with_events = {e.case for e in matrix.events()}
        return [p for p in matrix.profiles if p.case.id in with_events]
    return list(matrix.profiles)


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def case_figure(block: Block, matrix: Matrix, config: ReportConfig,
                labels: dict[str, Any]) -> Figure:
    """Return one case's 비전체계도 (``vision:CASE``) or 추진체계도 (``governance:CASE``)."""
    kind, _, case_id = block.key.partition(":")
    if case_id not in {p.case.id for p in matrix.profiles}:
        raise KeyError(f"@figure {block.key}: unknown case {case_id!r}")
    p = matrix.profile(case_id)
    mark = config.draft_mark if matrix.draft else ""

    def values(role: str, sub: str | None = None) -> list[str]:
        return [marked(i, mark) for i in p.of(role, sub)]

    words = {str(k): str(v) for k, v in labels.get("diagrams", {}).items()}
    if kind == ChartKind.VISION:
        shown = [*p.of(Role.VISION), *p.of(Role.GOAL), *p.of(Role.STRATEGY)]
        strategies = [i for i in p.of(Role.STRATEGY)
                      if p.sub_role(i) != SubRole.STRATEGY_COUNT]
        data: dict[str, Any] = {
            "case": p.case.name, "vision": next(iter(values(Role.VISION)), None),
            "goals": values(Role.GOAL),
            "strategies": [marked(i, mark) for i in strategies],
            "counts": values(Role.STRATEGY, SubRole.STRATEGY_COUNT),
            "missing": config.missing, "labels": words}
        alt_kind = "vision_tree"
    else:
        shown = [*p.of(Role.GOVERNANCE), *p.of(Role.INTERMEDIARY), *p.of(Role.PARTNER)]
        intermediaries = [{"name": name, "kind": "private_partner"
                           if p.sub_role(item) == SubRole.PRIVATE_PARTNER else "center"}
                          for item, name in zip(p.of(Role.INTERMEDIARY),
                                                values(Role.INTERMEDIARY), strict=True)]
        data = {"case": p.case.name, "head": "",
                "committees": values(Role.GOVERNANCE, SubRole.COMMITTEE),
                "departments": values(Role.GOVERNANCE, SubRole.DEPARTMENT),
                "taskforces": values(Role.GOVERNANCE, SubRole.TASKFORCE),
                "intermediaries": intermediaries, "partners": values(Role.PARTNER),
                "missing": config.missing, "labels": words}
        alt_kind = "governance_map"
    from analysis.report.diagrams import alt_text

    used = {i.source for i in shown}
    sources = tuple(s for s in p.sources if s.id in used)
    return Figure(ChartSpec(kind, block.key, data, alt_text(alt_kind, data)), sources)


def figure(block: Block, matrix: Matrix, config: ReportConfig,
           labels: dict[str, Any]) -> Figure:
    """Return the chart of a figure block whose key is ``KIND#PART`` (or ``KIND:CASE``)."""
    if block.key.partition(":")[0] in PER_CASE:
        return case_figure(block, matrix, config, labels)
    kind, _, part = block.key.partition("#")
    if kind not in KINDS:
        raise KeyError(f"unknown figure {kind!r}; figures: {', '.join(KINDS)}")
    profiles = _chunks(_profiles(kind, matrix), _per_chart(kind, config))[int(part or 0)]
    words = labels.get("charts", {})
    names = [p.case.name for p in profiles]
    framework = matrix.framework
    used: set[str] = set()
    if kind == "coverage":
        elements = [e for e in framework.elements]
        table = matrix.coverage([e.id for e in elements])
        counts = [[int(table.at[p.case.id, e.id]) for e in elements]  # type: ignore[arg-type]
                  for p in profiles]
        used = {i.source for p in profiles for i in p.items}
        data: dict[str, Any] = {"cases": names, "elements": [e.label_ko for e in elements],
                                "counts": counts}
        alt = "; ".join(f"{p.case.name}: " + ", ".join(
            f"{e.label_ko} {c}" for e, c in zip(elements, row, strict=True) if c)
            for p, row in zip(profiles, counts, strict=True))
    elif kind == "counts":
        series = []
        for what in ("goals", "strategies", "projects"):
            values = []
            for p in profiles:
                # goals and strategies: the number a plan states, else the items the sources
                # name (the same number the text gives); projects: only a number a plan
                # states, never projects counted in articles
                count = p.count(what)
                shown = count is not None and (count.stated or what != "projects")
                values.append(count.value if count and shown else None)
            series.append((str(words.get(what, what)), values))
        used = {i.source for p in profiles
                for role in (Role.GOAL, Role.STRATEGY, Role.KEY_PROJECT) for i in p.of(role)}
        data = {"cases": names, "series": series, "unit": str(words.get("count_unit", "")),
                "missing": str(words.get("not_stated", "미확인"))}
        alt = "; ".join(f"{name}: " + ", ".join(
            f"{label} {values[n] if values[n] is not None else '-'}" for label, values in series)
            for n, name in enumerate(names))
    elif kind == "typology":
        governance = framework.by_role(Role.GOVERNANCE)
        intermediary = framework.by_role(Role.INTERMEDIARY)
        kinds = [(s.id, s.label_ko) for s in (governance.subcodes if governance else ())]
        marks = [[bool(p.values(Role.GOVERNANCE, k)) for k, _ in kinds]
                 + [bool(p.values(Role.INTERMEDIARY))] for p in profiles]
        types = [matrix.typology(p)[0] for p in profiles]
        used = {i.source for p in profiles
                for role in (Role.GOVERNANCE, Role.INTERMEDIARY) for i in p.of(role)}
        columns = [label for _, label in kinds] + [intermediary.label_ko if intermediary else ""]
        data = {"cases": names, "kinds": columns, "marks": marks, "types": types,
                "legend": str(words.get("typology_legend", ""))}
        alt = "; ".join(f"{name}{'(' + t + ')' if t else ''}: " + (", ".join(
            c for c, mark in zip(columns, row, strict=True) if mark) or "-")
            for name, t, row in zip(names, types, marks, strict=True))
    else:
        ids = [p.case.id for p in profiles]
        events = [e for e in matrix.events() if e.case in ids]
        used = {e.item.source for e in events}
        data = {"cases": names, "labels": {k: str(words.get(k, k)) for k in
                                           ("plan", "ordinance", "organisation")},
                "events": [{"row": ids.index(e.case), "kind": e.kind, "start": e.start,
                            "end": e.end, "label": _short(e.label)} for e in events],
                "missing": config.missing}
        alt = "; ".join(f"{names[ids.index(e.case)]} {e.label}: "
                        + (f"{e.start}~{e.end}" if e.end > e.start else str(e.start))
                        for e in events)
    sources = tuple(dict.fromkeys(s for p in profiles for s in p.sources if s.id in used))
    return Figure(ChartSpec(kind, block.key, data, f"{block.text}. {alt}"), sources)
