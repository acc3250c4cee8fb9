"""Check a whole study at once: configuration, registry, sources, framework and sheets.

``check_study`` returns every problem of every file in one pass, so a reviewer fixes them all
before the next run; ``load_study`` returns the checked data for the later stages and raises
when anything is wrong.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from analysis.errors import PolicyReportError, Problem
from analysis.framework import Framework, load_framework
from analysis.model import StudyData
from analysis.narrative import read_narratives
from analysis.registry import Registry, SourceText, load_registry, read_source
from analysis.report.wording import check_templates
from analysis.settings import load_config, study_problems
from analysis.sheets import CodedItem, Sheet, read_sheet
from analysis.study import Study, open_study
from analysis.textio import normalise_space


def check_study(root: Path) -> StudyData:
    """Return the study's data and all its problems (an empty tuple means valid)."""
    study = open_study(root)
    problems = [*study.notes, *study_problems(study)]
    registry, found = load_registry(study)
    problems += found
    framework, found = load_framework(study)
    problems += found
    sources: dict[str, SourceText] = {}
    for source in registry.sources.values():
        text, found = read_source(study, source)
        problems += found
        if text is not None:
            sources[source.id] = text
    problems += _unregistered_seeds(study, registry)
    sheets, found = _read_sheets(study, registry)
    for sheet in sheets.values():
        found += check_items(study.rel(sheet.path), sheet.case, sheet.items, registry,
                             framework, sources)
    problems += sorted(found, key=lambda p: p.path)  # stable: each file's rows stay in order
    problems += report_setting_problems(study, framework)
    problems += check_templates(study.path("templates"))
    narratives, found = read_narratives(study.root, list(registry.cases))
    problems += found
    home = study.setting("study", "home_case")
    marked = registry.home
    if isinstance(home, str) and home and registry.cases and home not in registry.cases:
        problems.append(Problem("study.toml", study.line("study", "home_case"),
                                "[study] home_case", f"unknown case {home!r}",
                                f"use one of: {', '.join(registry.cases)}"))
    elif isinstance(home, str) and home and marked and marked.id != home:
        problems.append(Problem("study.toml", study.line("study", "home_case"),
                                "[study] home_case",
                                f"names {home!r}, but cases.toml gives role = \"home\" to "
                                f"{marked.id!r}",
                                "make them agree: one home case, named in both places"))
    return StudyData(study, registry, framework, sources, sheets, tuple(problems), narratives)


def report_setting_problems(study: Study, framework: Framework) -> list[Problem]:
    """Return the problems of study.toml's [report] settings (checked by validate and build)."""

    config, problems = load_config(study)
    for key in ("summary_elements", "matrix_elements"):
        for element in getattr(config, key):
            if framework.elements and framework.resolve(element) is None:
                problems.append(Problem("study.toml", study.line("report", key), f"[report] {key}",
                                        f"unknown element {element!r}",
                                        f"elements: {', '.join(framework.ids)}"))
    return problems


def load_study(root: Path) -> StudyData:
    """Return the study's checked data; raise ``PolicyReportError`` listing every problem."""
    data = check_study(root)
    if data.errors:
        raise PolicyReportError(data.errors)
    return data


def _unregistered_seeds(study: Study, registry: Registry) -> list[Problem]:
    """Return a note for each file in seeds/ that no source registers."""
    folder = study.seeds_dir
    if not folder.is_dir():
        return []
    used = {(study.root / s.file).resolve() for s in registry.sources.values()}
    return [Problem(study.rel(path), None, None, "a file in seeds/ that no source registers",
                    "register it with policy-report add-source CASE FILE, or delete it",
                    level="note")
            for path in sorted(folder.iterdir())
            if path.is_file() and not path.name.startswith(".") and path.resolve() not in used]


def _read_sheets(study: Study, registry: Registry) -> tuple[dict[str, Sheet], list[Problem]]:
    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    folder = study.sheets_dir
    if folder.exists() and not folder.is_dir():
        return sheets, [Problem(study.rel(folder), None, None,
                                "is a file, not the folder of coding sheets",
                                "move the file away; sheets/ holds one .csv per case")]
    files = sorted(p for p in folder.iterdir()
                   if not p.name.startswith((".", "~$"))) if folder.is_dir() else []
    for path in files:
        rel = study.rel(path)
        case = path.stem
        if path.suffix != ".csv":
            if path.suffix.lower() == ".csv":
                problems.append(Problem(rel, None, None,
                                        "a coding sheet's name must end in lower-case .csv",
                                        f"rename it to {case}.csv"))
            elif path.suffix.lower() in (".xlsx", ".xls", ".ods"):
                problems.append(Problem(rel, None, None,
                                        "a workbook among the CSV coding sheets is not read",
                                        "bring its edits in with policy-report sheets import, "
                                        "then move it out of sheets/"))
            continue
        if case not in registry.cases:
            close = difflib.get_close_matches(case, list(registry.cases), n=1, cutoff=0.75)
            guess = f"rename it to {close[0]}.csv, or " if close else ""
            problems.append(Problem(rel, None, None, f"sheet for unregistered case {case!r}",
                                    f"{guess}register the case in cases.toml with "
                                    "policy-report add-case"))
            continue
        sheet, found = read_sheet(path, case, rel)
        problems += found
        sheets[case] = sheet
    for case in registry.cases:
        if case not in sheets:
            problems.append(Problem(study.rel(study.sheet_path(case)), None, None,
                                    f"case {case!r} has no coding sheet yet",
                                    f"policy-report code {case} makes it", level="note"))
    return sheets, problems


def check_items(rel: str, case_id: str, items: Iterable[CodedItem], registry: Registry,
                framework: Framework, sources: dict[str, SourceText]) -> list[Problem]:
    """Return problems of a case's items against the framework, registry and source texts.

    ``rel`` names where the items came from (a CSV sheet, or a workbook's sheet) for messages.
    """
    problems: list[Problem] = []
    case = registry.cases[case_id]
    accepted_single: dict[str, list[int]] = {}
    for item in items:
        element = framework.element(item.element) if item.element else None
        if item.element and element is None and framework.elements:
            subcode = framework.subcode(item.element)
            if subcode:
                hint = f"put {subcode.element!r} here and {item.element!r} in subcode"
            else:
                close = difflib.get_close_matches(item.element, framework.ids, n=1)
                hint = (f"did you mean {close[0]!r}? " if close else "") + \
                    f"elements: {', '.join(framework.ids)}"
            problems.append(Problem(rel, item.row, "element",
                                    f"unknown element {item.element!r}", hint))
        if item.subcode and element is not None:
            ids = [s.id for s in element.subcodes]
            if item.subcode not in ids:
                owner = framework.subcode(item.subcode)
                hint = (f"{item.subcode!r} belongs to {owner.element!r}" if owner else
                        f"sub-codes of {element.id!r}: {', '.join(ids) or 'none'}")
                problems.append(Problem(rel, item.row, "subcode",
                                        f"unknown sub-code {item.subcode!r} for "
                                        f"{element.id!r}", hint))
        if element is not None and not element.multiple and item.status == "accepted":
            accepted_single.setdefault(element.id, []).append(item.row)
        if not item.source:
            continue
        if item.source not in case.sources:
            listed = ", ".join(case.sources) or "none"
            why = ("is not registered" if item.source not in registry.sources
                   else f"is not a source of case {case.id!r}")
            problems.append(Problem(rel, item.row, "source", f"source {item.source!r} {why}",
                                    f"sources of {case.id!r}: {listed}"))
            continue
        text = sources.get(item.source)
        if text is None or not item.evidence.strip():
            continue
        where = text.find(item.evidence)
        if where is None:
            problems.append(Problem(rel, item.row, "evidence",
                                    f"not found verbatim in source {item.source!r}: "
                                    f"{_short(item.evidence)!r}",
                                    "copy the quote exactly from the source (spacing may "
                                    "differ; words and punctuation may not)"))
        elif item.span and not _at(text, item.evidence, item.span):
            # a stale location (a newer reader gives the source's text a little differently,
            # or a hand-typed range) is said, and the place the evidence stands at is used
            problems.append(Problem(rel, item.row, "location",
                                    f"{item.location} does not hold the evidence; it stands "
                                    f"at {where[0]}-{where[1]}, which is used",
                                    f"write {where[0]}-{where[1]}, or leave location empty",
                                    level="note"))
    for element_id, rows in accepted_single.items():
        if len(rows) > 1:
            problems.append(Problem(rel, rows[1], "element",
                                    f"{element_id!r} allows one accepted item; rows "
                                    f"{', '.join(map(str, rows))} are all accepted",
                                    "reject all but one, or merge them"))
    return problems


def locate(item: CodedItem, sources: dict[str, SourceText]) -> tuple[int, int] | None:
    """Return where an item's evidence stands in its source: its location when that holds the
    evidence, else a search."""
    text = sources.get(item.source)
    if item.span and (text is None or _at(text, item.evidence, item.span)):
        return item.span
    return text.find(item.evidence) if text else None


def _at(text: SourceText, evidence: str, span: tuple[int, int]) -> bool:
    start, end = span
    return end <= len(text.text) and text.text[start:end].split() == evidence.split()


def _short(text: str, limit: int = 40) -> str:
    text = normalise_space(text)
    return text if len(text) <= limit else text[:limit] + "…"
