"""Report settings from ``study.toml`` (``[study]`` and ``[report]``), with documented defaults.

Everything a study may want to change without touching code: title page facts, the heading
numbering scheme, fonts, the wording for what the sources do not state, which elements go
into which table, which charts to draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.errors import Problem
from analysis.study import Study

SCHEMES: dict[str, tuple[str, ...]] = {
    "korean": ("제{n}장", "제{n}절", "{n}.", "{n})", "({n})", "{ga}."),
    "roman": ("{roman}.", "{n}.", "{n})", "({n})", "{ga}."),
}
CHARTS = ("coverage", "counts", "typology", "timeline")
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


def _tuple(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return default


REPORT_KEYS = {"numbering", "missing", "draft_mark", "fonts", "charts", "chart_dpi",
               "max_cases_per_chart", "summary_elements", "matrix_elements", "transpose_max",
               "output", "second_coding", "document_date"}


def _number(table: dict[str, Any], key: str, default: float, low: float, high: float,
            problems: list[Problem], section: str = "report") -> Any:
    """Return ``table[key]`` when it is a number within [low, high], else note a problem."""
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        problems.append(Problem("study.toml", None, f"[{section}] {key}",
                                f"{value!r} is not a number from {low:g} to {high:g}",
                                f"write e.g. {key} = {default}"))
        return default
    return value


def load_config(study: Study) -> tuple[ReportConfig, list[Problem]]:
    """Return the report settings and any problem with them."""
    problems: list[Problem] = []
    info = study.config.get("study", {})
    report = study.config.get("report", {})
    if not isinstance(report, dict):
        problems.append(Problem("study.toml", None, "[report]", "must be a table",
                                "write [report] and its keys below it"))
        report = {}
    for key in report:
        if key not in REPORT_KEYS:
            problems.append(Problem("study.toml", None, f"[report] {key}", "unknown setting",
                                    f"settings: {', '.join(sorted(REPORT_KEYS))}"))
    scheme = report.get("numbering", "korean")
    if isinstance(scheme, str):
        if scheme not in SCHEMES:
            problems.append(Problem("study.toml", None, "[report] numbering",
                                    f"unknown numbering scheme {scheme!r}",
                                    f"use {', '.join(SCHEMES)} or a list like "
                                    '["제{n}장", "제{n}절", "{n}.", "{n})"]'))
            numbering = SCHEMES["korean"]
        else:
            numbering = SCHEMES[scheme]
    else:
        numbering = _tuple(scheme, SCHEMES["korean"])
    charts = _tuple(report.get("charts"), CHARTS)
    for chart in charts:
        if chart not in CHARTS:
            problems.append(Problem("study.toml", None, "[report] charts",
                                    f"unknown chart {chart!r}", f"charts: {', '.join(CHARTS)}"))
    fonts_raw = report.get("fonts", {}) if isinstance(report.get("fonts"), dict) else {}
    defaults = Fonts()
    font_values: dict[str, Any] = {}
    for key, value in fonts_raw.items():
        if key not in Fonts.__dataclass_fields__:
            problems.append(Problem("study.toml", None, f"[report.fonts] {key}",
                                    "unknown font setting",
                                    f"settings: {', '.join(Fonts.__dataclass_fields__)}"))
        elif isinstance(getattr(defaults, key), str):
            if isinstance(value, str) and value.strip():
                font_values[key] = value
            else:
                problems.append(Problem("study.toml", None, f"[report.fonts] {key}",
                                        "must be a font name", f'write {key} = "바탕"'))
        else:
            font_values[key] = _number(fonts_raw, key, getattr(defaults, key), 0.5, 72,
                                       problems, "report.fonts")
    fonts = Fonts(**font_values)
    stamp = str(report.get("document_date", "2026-01-01T00:00:00Z"))
    try:
        from datetime import datetime

        datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        problems.append(Problem("study.toml", None, "[report] document_date",
                                f"{stamp!r} is not a date and time",
                                'write e.g. document_date = "2026-11-01T00:00:00Z"'))
        stamp = "2026-01-01T00:00:00Z"
    config = ReportConfig(
        title=str(info.get("title", "벤치마킹 보고서")), subtitle=str(info.get("subtitle", "")),
        institute=str(info.get("institute", "")), lead=str(info.get("lead", "")),
        team=_tuple(info.get("team"), ()), date=str(info.get("date", "")),
        disclaimer_city=str(info.get("disclaimer_city", "")),
        home_case=str(info.get("home_case", "")), numbering=numbering,
        missing=str(report.get("missing", "자료 미확인")),
        draft_mark=str(report.get("draft_mark", "[검토 전]")), fonts=fonts,
        charts=tuple(c for c in charts if c in CHARTS),
        chart_dpi=int(_number(report, "chart_dpi", 150, 50, 600, problems)),
        max_cases_per_chart=int(_number(report, "max_cases_per_chart", 25, 1, 200, problems)),
        summary_elements=_tuple(report.get("summary_elements"), SUMMARY_ELEMENTS),
        matrix_elements=_tuple(report.get("matrix_elements"), MATRIX_ELEMENTS),
        transpose_max=int(_number(report, "transpose_max", 3, 0, 50, problems)),
        output=str(report.get("output", "benchmark-report.docx")),
        second_coding=str(report.get("second_coding", "")),
        document_date=stamp)
    return config, problems
