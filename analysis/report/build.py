"""``policy-report build``: validated study → matrix → charts → wording → DOCX (→ PDF).

The DOCX is written to a temporary file and moved into place only when everything worked,
so a failed build leaves the previous report byte for byte as it was.  Same inputs give a
byte-identical DOCX: fixed document dates, fixed zip entry order and times, chart PNGs
without metadata.  Nothing here imports the Korean tokenizer.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import changelog
from analysis.errors import PolicyReportError, Problem
from analysis.report import charts, figures, markup, tables, wording
from analysis.settings import ReportConfig, load_config
from analysis.report.docx_writer import Writer, plan
from analysis.report.matrix import build_matrix
from analysis.report.package import normalise
from analysis.report.reference import reference_bytes
from analysis.model import StudyData
from analysis.validate import load_study


@dataclass
class BuildResult:
    """What a build wrote, and how long its steps took (seconds)."""

    docx: Path
    pdf: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    tables: int = 0
    figures: int = 0
    charts_drawn: int = 0


def build(root: Path, output: Path | None = None, draft: bool = False, pdf: bool = False,
          data: StudyData | None = None, extra: dict[str, Any] | None = None,
          since: str | None = None,
          progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build the report of the study in ``root``; return what was written.

    The appendix lists the coding changes since ``since`` (a git revision) or, by default,
    since the previous build.
    """
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    data = data or load_study(root)
    study = data.study
    config, problems = load_config(study)  # its problems were reported by load_study
    if problems:
        raise PolicyReportError(problems)
    # a study large enough for its charts to be split gets its chart workers started now
    pool = (charts.warm_pool() if len(data.registry.cases) > config.max_cases_per_chart
            else None)
    home = config.home_case or (data.registry.home.id if data.registry.home else "")
    target = output or study.path("reports") / config.output
    matrix = build_matrix(data, home, draft)
    lap("read")

    dirs = wording.template_dirs(study.path("templates"))
    labels = wording.load_labels(dirs)
    env = wording.environment(dirs)
    extra = dict(extra or {})
    if since:
        baseline: changelog.Coding | None = changelog.at_revision(data, since)
        current = changelog.snapshot(data)
    else:
        baseline, current = changelog.since_previous_build(data)
    changes = changelog.diff(baseline, current) if baseline is not None else []
    extra.setdefault("changes", _change_rows(changes, data, labels))
    extra.setdefault("changes_since", since or "")
    agreement = _agreement(data, config, extra)
    context: dict[str, Any] = {
        "study": config, "m": matrix, "fw": data.framework, "home": matrix.home_profile,
        "benchmarks": matrix.benchmarks, "cases": list(matrix.profiles), "draft": draft,
        "core": [e for e in data.framework.elements if e.core],
        "others": [e for e in data.framework.elements if not e.core],
        "labels": labels, "source_count": len(data.registry.sources),
        "all_sources": sorted(data.registry.sources.values(),
                              key=lambda s: (s.publisher or "힣", s.date, s.headline)),
        "has_agreement": agreement is not None,
        "agreement_labels": extra.get("agreement_labels", ("", "")),
        "changes": extra.get("changes", []), "changes_since": extra.get("changes_since", ""),
    }
    macros = _macros(env, context, dirs)
    context["k"] = macros
    text = wording.render(env, "report.j2", context, dirs)
    blocks, problems = markup.parse(text, "templates/report.j2 (rendered)")
    if problems:
        raise PolicyReportError(problems)
    blocks = [b for b in blocks if b.kind != "figure" or b.key in config.charts]  # [report] charts
    blocks = figures.expand(blocks, matrix, config)
    numbering = plan(blocks, config, labels.get("captions", {}))
    lap("wording")

    producer = tables.Tables(matrix, config, labels, {"agreement": agreement, **extra})
    table_data: dict[int, tables.TableData] = {}
    figure_data: dict[int, figures.Figure] = {}
    sources_line: dict[int, str] = {}
    problems = []
    for index, block in enumerate(blocks):
        try:
            if block.kind == "table":
                table_data[index] = producer.make(block.key)
                sources_line[index] = str(macros.sources_line(table_data[index].sources))
            elif block.kind == "figure":
                figure_data[index] = figures.figure(block, matrix, config, labels)
                sources_line[index] = str(macros.sources_line(figure_data[index].sources))
        except KeyError as exc:
            problems.append(Problem("templates/report.j2 (rendered)", block.line, None,
                                    str(exc.args[0]), "fix the @table or @figure line"))
    if problems:
        raise PolicyReportError(problems)
    lap("tables")

    cache = study.path("reports") / ".cache" / "charts"
    rendering = charts.start([f.spec for f in figure_data.values()], cache, config.chart_dpi,
                             pool=pool)
    lap("charts started")

    # the document is written while the charts are drawn; pictures go in at the end
    reference = wording.find_file(dirs, "reference.docx")
    writer = Writer(reference.read_bytes() if reference else reference_bytes(config.fonts),
                    config, labels)
    document = writer.write(blocks, table_data,
                            {i: (f.spec.key, f.spec.alt) for i, f in figure_data.items()},
                            sources_line, numbering)
    lap("docx")
    writer.place_pictures(rendering.wait(progress))
    lap("charts")
    _properties(document, config)
    buffer = io.BytesIO()
    document.save(buffer)
    payload = normalise(buffer.getvalue(), config.document_date)
    lap("save")

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(payload)
    tmp.replace(target)
    if not since:
        changelog.remember(data, baseline, current)
    result = BuildResult(target, None, timings, len(table_data), len(figure_data),
                         rendering.drawn)
    if pdf:
        from analysis.report.pdf import convert

        result.pdf = convert(target, target.with_suffix(".pdf"))
        lap("pdf")
    return result


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


def _macros(env: Any, context: dict[str, Any], dirs: list[Path]) -> Any:
    try:
        return env.get_template("macros.j2").make_module(context)
    except Exception as exc:
        wording.render(env, "macros.j2", context, dirs)  # raises with template and line
        raise PolicyReportError(Problem("templates/macros.j2", None, None, str(exc), "")) \
            from exc


def _agreement(data: StudyData, config: ReportConfig, extra: dict[str, Any]) -> Any:
    """Return the comparison with a second coder's sheets when the study names them."""
    if "agreement" in extra:
        return extra.pop("agreement")
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
        second += [i for i in sheet.items if i.status == "accepted"]
    if problems:
        raise PolicyReportError(problems)
    first = [i for s in data.sheets.values() for i in s.items if i.status == "accepted"]
    rules = load_rules(data.study.root, set(data.framework.ids))
    extra["agreement_labels"] = ("study sheets", config.second_coding)
    return compare(first, second, data.registry, data.sources, rules, data.framework.ids)


def _properties(document: Any, config: ReportConfig) -> None:
    from datetime import datetime

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    stamp = datetime.fromisoformat(config.document_date.replace("Z", "+00:00"))
    core = document.core_properties
    core.title = config.title
    core.subject = config.subtitle
    core.author = config.institute
    core.last_modified_by = config.institute
    core.created = stamp
    core.modified = stamp
    core.revision = 1
    core.language = "ko-KR"
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
