"""``policy-report build``: validated study → matrix → charts → wording → DOCX (→ PDF).

The DOCX is written to a temporary file and moved into place only when everything worked,
so a failed build leaves the previous report byte for byte as it was.  Same inputs give a
byte-identical DOCX: fixed document dates, fixed zip entry order and times, chart PNGs
without metadata.  Nothing here imports the Korean tokenizer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis import changelog, validate
from analysis.errors import PolicyReportError, Problem
from analysis.fsio import atomic_write
from analysis.model import StudyData
from analysis.report import charts, context, facts, figures, markup, tables, wording
from analysis.report.docx_writer import Plan, Writer, plan
from analysis.report.figures import KINDS
from analysis.report.markup import Block
from analysis.report.ooxml import korean_settings
from analysis.report.package import document_bytes
from analysis.report.reference import reference_bytes
from analysis.settings import ReportConfig
from analysis.sheets import CodedItem
from analysis.study import REPORT_MARK, check_output
from analysis.validate import load_study
from analysis.vocab import BlockKind


@dataclass
class BuildResult:
    """What a build wrote, and how long its steps took (seconds)."""

    docx: Path
    pdf: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    tables: int = 0
    figures: int = 0
    charts_drawn: int = 0
    contents: str = ""  # how the tables of contents got their page numbers (or why not)


@dataclass(frozen=True)
class Layout:
    """The report as blocks, numbered, with the content of every table and figure."""

    blocks: list[Block]
    numbering: Plan
    tables: dict[int, tables.TableData]
    figures: dict[int, figures.Figure]
    sources_line: dict[int, str]


class _Clock:
    """Times the build's steps."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self._last
        self._last = now


def build(root: Path, output: Path | None = None, draft: bool = False, pdf: bool = False,
          data: StudyData | None = None, since: str | None = None,
          progress: Callable[[int, int], None] | None = None,
          toc_pages: bool = True) -> BuildResult:
    """Build the report of the study in ``root``; return what was written.

    The appendix lists the coding changes since ``since`` (a git revision) or, by default,
    since the previous build.  Nothing is written unless every step succeeds.
    """
    clock = _Clock()
    with charts.ChartPool() as pool:
        data = data or load_study(root)
        pool.prestart(data.study.path("reports") / ".cache" / "charts")
        ctx = context.prepare(data, draft, since)
        target = output or data.study.path("reports") / ctx.config.output
        check_output(data.study, target, ".docx")
        clock.lap("read")
        blocks = render_blocks(ctx)
        clock.lap("wording")
        layout = lay_out(ctx, blocks)
        clock.lap("tables")
        rendering = pool.start([f.spec for f in layout.figures.values()],
                               data.study.path("reports") / ".cache" / "charts",
                               ctx.config.chart_dpi)
        clock.lap("charts started")
        writer = write_document(ctx, layout)  # written while the charts are drawn
        clock.lap("docx")
        writer.place_pictures(rendering.wait(progress))
        clock.lap("charts")
    contents, laid_out = "", None
    if toc_pages:
        contents, laid_out = number_contents(ctx, writer, with_pdf=pdf)
        clock.lap("layout")
    payload = package(ctx, writer.document)
    clock.lap("save")
    atomic_write(target, payload, data.study.rel(target))
    if not since:
        changelog.remember(data, ctx.changes.baseline, ctx.changes.current)
    result = BuildResult(target, None, clock.timings, len(layout.tables), len(layout.figures),
                         rendering.drawn, contents)
    if pdf:
        from analysis.report.pdf import convert

        if laid_out is not None:  # the layout pass made it: one LibreOffice run, not two
            atomic_write(target.with_suffix(".pdf"), laid_out,
                         data.study.rel(target.with_suffix(".pdf")))
            result.pdf = target.with_suffix(".pdf")
        else:
            result.pdf = convert(target, target.with_suffix(".pdf"))
        clock.lap("pdf")
    return result


def render_blocks(ctx: context.ReportContext) -> list[Block]:
    """Render the templates and parse their markup; keep the figures the study asks for."""
    problems = wording.check_templates(ctx.data.study.path("templates"))
    if problems:
        raise PolicyReportError(problems)
    env = wording.environment(list(ctx.template_dirs), wording.user_cache())
    names = dict(ctx.names)
    names["k"] = _macros(env, names, list(ctx.template_dirs))
    text = wording.render(env, "report.j2", names, list(ctx.template_dirs))
    blocks, problems = markup.parse(text, "templates/report.j2 (rendered)")
    if problems:
        raise PolicyReportError(problems)
    for block in blocks:
        if block.kind == BlockKind.FIGURE and block.key.partition(":")[0] not in KINDS:
            problems.append(Problem("templates/report.j2 (rendered)", block.line, None,
                                    f"unknown figure {block.key!r}",
                                    f"figures: {', '.join(KINDS)}"))
    if problems:
        raise PolicyReportError(problems)
    blocks = [b for b in blocks if b.kind != BlockKind.FIGURE
              or b.key.partition(":")[0] in ctx.config.charts]
    blocks = [expanded for b in blocks for expanded in _narrative(ctx, b)]
    blocks = [replace(b, children=tuple(e for c in b.children for e in _narrative(ctx, c)))
              if b.kind == BlockKind.BOX else b for b in blocks]
    return figures.expand(blocks, ctx.matrix, ctx.config)


def _narrative(ctx: context.ReportContext, block: Block) -> list[Block]:
    """Return ``block``, or for ``@narrative KEY`` the passages of the researcher's file."""
    if block.kind != BlockKind.NARRATIVE:
        return [block]
    kinds = {0: BlockKind.PARA}
    return [Block(kinds.get(p.level, BlockKind.BULLET), p.text, p.level, line=block.line,
                  runs=p.runs) for p in ctx.data.narratives.get(block.key, [])]


def lay_out(ctx: context.ReportContext, blocks: list[Block]) -> Layout:
    """Number headings and captions and work out every table's and figure's content."""
    numbering = plan(blocks, ctx.config, ctx.labels.get("captions", {}))
    env = wording.environment(list(ctx.template_dirs), wording.user_cache())
    macros = _macros(env, ctx.names, list(ctx.template_dirs))
    page_format = str(ctx.labels.get("words", {}).get("page", "p. {page}"))

    def locate(item: CodedItem) -> str:
        text = ctx.data.sources.get(item.source)
        span = validate.locate(item, ctx.data.sources)
        return text.locator(*span, page_format=page_format) if text and span else ""

    producer = tables.Tables(ctx.matrix, ctx.config, ctx.labels, ctx.agreement,
                             ctx.changes.rows, locate)
    layout = Layout(blocks, numbering, {}, {}, {})
    problems = []
    for index, block in enumerate(blocks):
        try:
            if block.kind == BlockKind.TABLE:
                layout.tables[index] = producer.make(block.key)
                used = layout.tables[index].sources
            elif block.kind == BlockKind.FIGURE:
                layout.figures[index] = figures.figure(block, ctx.matrix, ctx.config,
                                                       ctx.labels)
                used = layout.figures[index].sources
            else:
                continue
        except KeyError as exc:
            problems.append(Problem("templates/report.j2 (rendered)", block.line, None,
                                    str(exc.args[0]), "fix the @table or @figure line"))
            continue
        shown = layout.tables[index].items if index in layout.tables else ()
        cited = [{**facts.source_facts(s), "pages": _pages(ctx, s.id, shown, page_format)}
                 for s in used]
        line = macros.sources_line(cited)
        layout.sources_line[index] = markup.unprotect(str(line))
    if problems:
        raise PolicyReportError(problems)
    return layout


def number_contents(ctx: context.ReportContext, writer: Writer, with_pdf: bool = False
                    ) -> tuple[str, bytes | None]:
    """Give the tables of contents their page numbers, laid out by LibreOffice; return what
    happened, for the build's output, and with ``with_pdf`` the PDF of that layout when it is
    the document's (every entry numbered as in the DOCX).  Without LibreOffice the entries
    carry no numbers."""
    from analysis.report import pdf

    why = pdf.available()
    if why:
        return (f"tables of contents without page numbers: {why} (Word fills them in with "
                "F9; apt-get install libreoffice-writer-nogui python3-uno fonts-nanum)"), None
    writer.number_pages(None)  # placeholders, so the layout is that of the final document
    try:
        pages, laid_out = pdf.page_numbers(package(ctx, writer.document), with_pdf)
    except PolicyReportError as exc:
        writer.number_pages([])
        return (f"tables of contents without page numbers: {exc.problems[0].message} "
                "(Word fills them in with F9)"), None
    filled = writer.number_pages(pages)
    total = sum(len(listed) for listed in writer.contents)
    # a list LibreOffice titled otherwise than the DOCX stays unnumbered there, and its PDF
    # would show LibreOffice's list: then the PDF is made from the DOCX in a second run
    return (f"tables of contents: page numbers laid out by LibreOffice ({filled}/{total} "
            "entries)"), laid_out if filled == total else None


def _pages(ctx: context.ReportContext, source_id: str, items: tuple[CodedItem, ...],
           page_format: str) -> str:
    """Return the pages of a paged source that ``items`` cite: "p. 3, 5" ("" for others)."""
    text = ctx.data.sources.get(source_id)
    if text is None:
        return ""
    pages = sorted({page for i in items if i.source == source_id
                    and (span := validate.locate(i, ctx.data.sources))
                    and (page := text.page(span[0])) is not None})
    if not pages:
        return ""
    before, _, after = page_format.partition("{page}")
    return before + ", ".join(str(p) for p in pages) + after  # p. 3, 5  or  3, 5쪽


def write_document(ctx: context.ReportContext, layout: Layout) -> Writer:
    """Write the blocks into a document on the reference .docx (pictures come later)."""
    reference = wording.find_file(list(ctx.template_dirs), "reference.docx")
    base = reference.read_bytes() if reference else reference_bytes(ctx.config.fonts)
    try:
        if not base:
            raise ValueError("empty file")
        writer = Writer(base, ctx.config, ctx.labels)
    except Exception as exc:  # python-docx raises many kinds for a file that is no .docx
        where = wording.where(str(reference), list(ctx.template_dirs)) if reference else "?"
        raise PolicyReportError(Problem(where, None, None,
                                        f"not a usable Word document ({type(exc).__name__})",
                                        "restore templates/reference.docx, or delete it to "
                                        "use the tool's own")) from exc
    writer.write(layout.blocks, layout.tables,
                 {i: (f.spec.key, f.spec.alt) for i, f in layout.figures.items()},
                 layout.sources_line, layout.numbering)
    return writer


def package(ctx: context.ReportContext, document: Any) -> bytes:
    """Return the document's bytes, reproducible: fixed dates, zip order and times."""
    _properties(document, ctx.config)
    return document_bytes(document, ctx.config.document_date)


def _macros(env: Any, names: dict[str, Any], dirs: list[Path]) -> Any:
    try:
        return env.get_template("macros.j2").make_module(names)
    except Exception as exc:
        wording.render(env, "macros.j2", names, dirs)  # raises with template and line
        raise PolicyReportError(Problem("templates/macros.j2", None, None, str(exc), "")) \
            from exc


def _properties(document: Any, config: ReportConfig) -> None:
    from datetime import datetime


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
    core.identifier = REPORT_MARK  # lets a later build tell its own report from a user's file
    korean_settings(document)
