"""The study's settings (``study.toml``: ``[study]``, ``[paths]``, ``[report]``), checked and
with documented defaults.

Everything a study may want to change without touching code: title page facts, the heading
numbering scheme, fonts, the wording for what the sources do not state, which elements go
into which table, which charts to draw.  Every problem names the key and its line.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from analysis.errors import Problem
from analysis.study import CONFIG_NAME, DEFAULT_PATHS, Study
from analysis.vocab import ChartKind, members

SCHEMES: dict[str, tuple[str, ...]] = {
    "korean": ("제{n}장", "제{n}절", "{n}.", "{n})", "({n})", "{ga}."),
    "roman": ("{roman}.", "{n}.", "{n})", "({n})", "{ga}."),
}
CHARTS = tuple(ChartKind)
STUDY_KEYS: dict[str, type] = {"title": str, "subtitle": str, "institute": str, "lead": str,
                               "team": list, "date": str, "home_case": str,
                               "disclaimer_city": str}
TOP_TABLES = ("study", "paths", "report")
SUMMARY_ELEMENTS = ("vision", "goal", "strategy", "governance", "intermediary", "legal_basis",
                    "plan_period")
MATRIX_ELEMENTS = ("vision", "goal", "strategy", "governance", "intermediary")


@dataclass(frozen=True)
class Fonts:
    """Font names written into the DOCX (Latin and East Asian slots)."""

    body: str = "바탕"
    heading: str = "맑은 고딕"
    table: str = "맑은 고딕"
    body_size: float = 11.0
    table_size: float = 9.0
    line_spacing: float = 1.6


@dataclass(frozen=True)
class ReportConfig:
    """All report settings."""

    title: str
    subtitle: str = ""
    institute: str = ""
    lead: str = ""
    team: tuple[str, ...] = ()
    date: str = ""
    disclaimer_city: str = ""
    home_case: str = ""
    numbering: tuple[str, ...] = SCHEMES["korean"]
    missing: str = "자료 미확인"
    draft_mark: str = "[검토 전]"
    fonts: Fonts = field(default_factory=Fonts)
    charts: tuple[str, ...] = CHARTS
    chart_dpi: int = 150
    max_cases_per_chart: int = 25
    summary_elements: tuple[str, ...] = SUMMARY_ELEMENTS
    matrix_elements: tuple[str, ...] = MATRIX_ELEMENTS
    transpose_max: int = 3  # cities as columns up to this many, as rows beyond
    output: str = "benchmark-report.docx"
    second_coding: str = ""  # a folder of another coder's sheets, for the agreement table
    document_date: str = "2026-01-01T00:00:00Z"


REPORT_KEYS = {"numbering", "missing", "draft_mark", "fonts", "charts", "chart_dpi",
               "max_cases_per_chart", "summary_elements", "matrix_elements", "transpose_max",
               "output", "second_coding", "document_date"}
PLACEHOLDERS = {"n": 1, "roman": "Ⅰ", "ga": "가"}


class _Checker:
    """Reads typed values out of one table of study.toml, noting each problem with its line."""

    def __init__(self, study: Study, section: str, table: dict[str, Any],
                 problems: list[Problem]) -> None:
        self.study, self.section, self.table, self.problems = study, section, table, problems

    def problem(self, key: str | None, message: str, hint: str) -> None:
        path = (*self.section.split("."), key) if key else tuple(self.section.split("."))
        column = f"[{self.section}] {key}" if key else f"[{self.section}]"
        self.problems.append(Problem(CONFIG_NAME, self.study.line(*path), column, message, hint))

    def unknown(self, known: set[str] | dict[str, Any]) -> None:
        for key in self.table:
            if key not in known:
                self.problem(key, "unknown setting", f"settings: {', '.join(sorted(known))}")

    def text(self, key: str, default: str = "") -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str):
            self.problem(key, f"must be text, not {_type(value)}", f'write {key} = "…"')
            return default
        return value.strip()

    def texts(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.table.get(key)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, f"must be a list of texts, not {_type(value)}",
                         f'write {key} = ["…", "…"]')
            return default
        return tuple(v.strip() for v in value)

    def number(self, key: str, default: float, low: float, high: float) -> Any:
        """Return the value when it is a number within [low, high], else note a problem."""
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not low <= value <= high:
            self.problem(key, f"{value!r} is not a number from {low:g} to {high:g}",
                         f"write e.g. {key} = {default}")
            return default
        return value


def _type(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _table(study: Study, name: str, problems: list[Problem]) -> dict[str, Any]:
    value = study.config.get(name, {})
    if not isinstance(value, dict):
        problems.append(Problem(CONFIG_NAME, study.line(name), f"[{name}]", "must be a table",
                                f"write [{name}] and its keys below it"))
        return {}
    return value


def study_problems(study: Study) -> list[Problem]:
    """Return the problems of study.toml outside [report]: top level, [study], [paths]."""
    problems: list[Problem] = []
    for key, value in study.config.items():
        if key not in TOP_TABLES:
            what = "table" if isinstance(value, dict) else "key"
            problems.append(Problem(CONFIG_NAME, study.line(key), key, f"unknown top-level {what}",
                                    "study.toml holds the tables [study], [paths] and [report]; "
                                    "put the key under one of them"))
    info = _Checker(study, "study", _table(study, "study", problems), problems)
    info.unknown(STUDY_KEYS)
    for key, kind in STUDY_KEYS.items():
        if kind is list:
            info.texts(key, ())
        else:
            info.text(key)
    paths = _Checker(study, "paths", _table(study, "paths", problems), problems)
    paths.unknown(DEFAULT_PATHS)
    for key in DEFAULT_PATHS:
        value = paths.text(key, DEFAULT_PATHS[key])
        if value and (value.startswith(("/", "\\")) or ".." in value.replace("\\", "/").split("/")
                      or ":" in value):
            paths.problem(key, f"{value!r} is outside the study folder",
                          "give a folder or file inside the study, e.g. " + DEFAULT_PATHS[key])
    return problems


def _numbering(report: _Checker) -> tuple[str, ...]:
    scheme = report.table.get("numbering", "korean")
    if isinstance(scheme, str):
        if scheme not in SCHEMES:
            report.problem("numbering", f"unknown numbering scheme {scheme!r}",
                           f"use {', '.join(SCHEMES)} or a list like "
                           '["제{n}장", "제{n}절", "{n}.", "{n})"]')
            return SCHEMES["korean"]
        return SCHEMES[scheme]
    levels = report.texts("numbering", SCHEMES["korean"])
    for pattern in levels:
        try:
            fields = [(name, spec, conv) for _, name, spec, conv
                      in string.Formatter().parse(pattern) if name is not None]
            bad = [name for name, spec, conv in fields
                   if name not in PLACEHOLDERS or spec or conv]
        except ValueError as exc:
            bad = [str(exc)]
        if bad:
            report.problem("numbering", f"pattern {pattern!r} cannot be used ({bad[0]!r})",
                           "placeholders: {n} (1, 2, …), {roman} (Ⅰ, Ⅱ, …), {ga} (가, 나, …), "
                           "nothing else inside braces; write other braces doubled: {{ }}")
            return SCHEMES["korean"]
    return levels or SCHEMES["korean"]


def load_config(study: Study) -> tuple[ReportConfig, list[Problem]]:
    """Return the report settings and every problem with them."""
    problems: list[Problem] = []
    info = _Checker(study, "study", _table(study, "study", []), [])  # checked by study_problems
    report = _Checker(study, "report", _table(study, "report", problems), problems)
    report.unknown(REPORT_KEYS)
    numbering = _numbering(report)
    charts = report.texts("charts", CHARTS)
    for chart in charts:
        if chart not in CHARTS:
            report.problem("charts", f"unknown chart {chart!r}", f"charts: {members(ChartKind)}")
    fonts_raw = report.table.get("fonts", {})
    if not isinstance(fonts_raw, dict):
        report.problem("fonts", "must be a table", "write [report.fonts] and its keys")
        fonts_raw = {}
    fonts_check = _Checker(study, "report.fonts", fonts_raw, problems)
    fonts_check.unknown(set(Fonts.__dataclass_fields__))
    defaults = Fonts()
    font_values: dict[str, Any] = {}
    for key in fonts_raw:
        if key not in Fonts.__dataclass_fields__:
            continue
        if isinstance(getattr(defaults, key), str):
            value = fonts_check.text(key, getattr(defaults, key))
            if value:
                font_values[key] = value
            else:
                fonts_check.problem(key, "must be a font name", f'write {key} = "바탕"')
        else:
            font_values[key] = fonts_check.number(key, getattr(defaults, key), 0.5, 72)
    stamp = report.text("document_date", "2026-01-01T00:00:00Z")
    try:
        from datetime import datetime

        datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        report.problem("document_date", f"{stamp!r} is not a date and time",
                       'write e.g. document_date = "2026-11-01T00:00:00Z"')
        stamp = "2026-01-01T00:00:00Z"
    output = report.text("output", "benchmark-report.docx")
    if not output.lower().endswith(".docx") or any(c in output for c in "/\\:") \
            or output.startswith("."):
        report.problem("output", f"{output!r} is not a report file name",
                       "give a file name ending in .docx, without folders: the report is "
                       "written into reports/")
        output = "benchmark-report.docx"
    second = report.text("second_coding")
    if second and (second.startswith(("/", "\\")) or ".." in second.replace("\\", "/").split("/")):
        report.problem("second_coding", f"{second!r} is outside the study folder",
                       "name a folder inside the study, e.g. sheets-reviewer2")
        second = ""
    config = ReportConfig(
        title=info.text("title", "벤치마킹 보고서") or "벤치마킹 보고서",
        subtitle=info.text("subtitle"), institute=info.text("institute"),
        lead=info.text("lead"), team=info.texts("team", ()), date=info.text("date"),
        disclaimer_city=info.text("disclaimer_city"), home_case=info.text("home_case"),
        numbering=numbering, missing=report.text("missing", "자료 미확인") or "자료 미확인",
        draft_mark=report.text("draft_mark", "[검토 전]"), fonts=Fonts(**font_values),
        charts=tuple(c for c in charts if c in CHARTS),
        chart_dpi=int(report.number("chart_dpi", 150, 50, 600)),
        max_cases_per_chart=int(report.number("max_cases_per_chart", 25, 1, 200)),
        summary_elements=report.texts("summary_elements", SUMMARY_ELEMENTS),
        matrix_elements=report.texts("matrix_elements", MATRIX_ELEMENTS),
        transpose_max=int(report.number("transpose_max", 3, 0, 50)),
        output=output, second_coding=second, document_date=stamp)
    return config, problems
