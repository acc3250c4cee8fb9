"""The ``policy-report`` command: parse options, call one library function, print.

Every command acts on the study in the current folder (or ``--root DIR``).  Problems with the
user's files are printed as ``path:row: column: message`` plus a hint, all of them, and the
command exits with status 1; no traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from analysis import __version__
from analysis.errors import PolicyReportError, Problem
from analysis.fsio import WRITE_HINT

F = TypeVar("F", bound=Callable[..., Any])


def _terminated(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def _report_problems(func: F) -> F:
    """Turn a ``PolicyReportError`` into printed problems and exit status 1.

    An ``OSError`` the code did not expect (a file locked by another program, a full disk)
    is named with its file; any other error is said in one line, without a traceback
    (``POLICY_REPORT_DEBUG=1`` shows it), and the command exits with status 1.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolicyReportError as exc:
            _echo_problems(exc.problems)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except OSError as exc:
            if os.environ.get("POLICY_REPORT_DEBUG"):
                raise
            where = exc.filename or "a file"
            _echo_problems([Problem(str(where), None, None,
                                    f"cannot be read or written: {exc.strerror or exc}",
                                    WRITE_HINT)])
            sys.exit(1)
        except Exception as exc:
            if os.environ.get("POLICY_REPORT_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("    hint: this is a bug in policy-report; please report it with the "
                       "command you ran (POLICY_REPORT_DEBUG=1 shows the details)", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _echo_problems(problems: Iterable[Problem]) -> None:
    problems = list(problems)
    for problem in problems:
        click.echo(problem.render(), err=True)
    count = sum(1 for p in problems if p.is_error)
    click.echo(f"{count} problem{'s' if count != 1 else ''}.", err=True)


def _study(ctx: click.Context) -> Any:
    from analysis.study import open_study

    return open_study(_root(ctx))


def _load(ctx: click.Context) -> Any:
    """Return the study's checked data, printing its notes (e.g. NFD text normalised)."""
    from analysis.validate import load_study

    data = load_study(_root(ctx))
    for note in data.notes:
        click.echo(note.render(), err=True)
    return data


@contextmanager
def _writing(ctx: click.Context, command: str) -> Iterator[None]:
    """Hold the study's lock while ``command`` reads and writes it."""
    from analysis.fsio import study_lock
    from analysis.study import open_study

    root = open_study(_root(ctx)).root
    with study_lock(root, command):
        yield


def _root(ctx: click.Context) -> Path:
    return Path(ctx.obj["root"])


class _Progress:
    """A progress bar on standard error, drawn from the first update on (none if quiet)."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label, self.quiet = label, quiet
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total < 2 or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The study folder (the one holding study.toml).")
@click.version_option(__version__, prog_name="policy-report")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Code cities' policy plans against a shared framework and build a Korean report.

    A study folder holds study.toml (settings), cases.toml (cases and their sources),
    framework.toml (the codebook), sheets/ (one coding sheet per case), seeds/ (source
    documents as received), templates/ and reports/.

    \b
    Typical session:
      policy-report validate            check everything, list every problem
      policy-report add-case busan --name 부산광역시 --source article.txt
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    if threading.current_thread() is threading.main_thread():
        # a terminated command unwinds like Ctrl-C: temporary files go, chart workers stop
        signal.signal(signal.SIGTERM, _terminated)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default="", help="The study's title (study.toml [study] title).")
@_report_problems
def init(folder: Path, title: str) -> None:
    """Start a new study in FOLDER (made when absent).

    Writes study.toml (settings to fill in), the shipped framework.toml and manual.toml as a
    starting codebook, an empty cases.toml, the folders sheets/, seeds/ and reports/ and a
    .gitignore; prints a Korean quick start.  Refuses a folder that already holds any of
    these files: nothing is overwritten.
    """
    from analysis.newstudy import QUICK_START
    from analysis.newstudy import init as start

    started = start(folder, title)
    click.echo(f"wrote {', '.join(started.files)} in {started.folder}")
    click.echo("")
    click.echo(QUICK_START.format(folder=folder))


@main.command()
@click.pass_context
@_report_problems
def validate(ctx: click.Context) -> None:
    """Check registry, framework, sheets and sources together.

    Prints every problem as PATH:ROW: COLUMN: MESSAGE with a hint on the next line (rows are
    numbered as Excel shows them: the header is row 1) and exits with status 1; prints a
    summary and exits 0 when all is well.
    """
    data = _load(ctx)
    items = [i for s in data.sheets.values() for i in s.items]
    by_status = {s: sum(1 for i in items if i.status == s)
                 for s in ("accepted", "suggested", "rejected")}
    click.echo(
        f"OK: {len(data.registry.cases)} cases, {len(data.registry.sources)} sources, "
        f"{len(data.framework.elements)} elements, {len(items)} coded items "
        f"({by_status['accepted']} accepted, {by_status['suggested']} suggested, "
        f"{by_status['rejected']} rejected)")


def _chars(_ctx: click.Context, _param: click.Parameter, value: str | None
           ) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        start, end = (int(v) for v in value.split(":"))
    except ValueError:
        raise click.BadParameter("write START:END, e.g. 0:1431") from None
    return start, end


def _pages(_ctx: click.Context, _param: click.Parameter, value: str | None
           ) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        first, _, last = value.partition("-")
        pages = (int(first), int(last or first))
    except ValueError:
        raise click.BadParameter("write FIRST-LAST, e.g. 12-40 (or one page: 12)") from None
    if not 1 <= pages[0] <= pages[1]:
        raise click.BadParameter("pages count from 1, and the first comes before the last")
    return pages


def _provenance(func: F) -> F:
    """The options that describe a source, shared by add-case and add-source."""
    options = [
        click.option("--kind", default="",
                     help="news, press (보도자료), plan (계획서), report, … [default: news for "
                          "web pages and text, plan for PDF, HWP, HWPX and DOCX]"),
        click.option("--url", default="", help="Where the source was found."),
        click.option("--author", default="", help="Reporter or author."),
        click.option("--date", default="",
                     help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD (a web page's own "
                          "date is used when not given)."),
        click.option("--headline", default="",
                     help="The source's headline or title (a web page's own title is used "
                          "when not given)."),
        click.option("--publisher", default="",
                     help="Who published the source (a web page's site name is used when "
                          "not given)."),
    ]
    for option in options:
        func = option(func)
    return func


def _part(func: F) -> F:
    """The options that take a part of a source file, shared by add-case and add-source
    (add-case allows them with a single --source only)."""
    func = click.option("--chars", callback=_chars, default=None, metavar="START:END",
                        help="Only this character range of the text (e.g. one of several "
                             "articles).")(func)
    return click.option("--pages", callback=_pages, default=None, metavar="FIRST-LAST",
                        help="Only these pages of a PDF, e.g. 12-40 (a chapter of a long "
                             "plan).")(func)


def _echo_source(added: Any) -> None:
    where = "copied to" if added.copied else "already in seeds as"
    pages = f", {added.pages} pages" if added.pages else ""
    filled = (f"; from the file: {', '.join(added.filled)}" if added.filled else "")
    click.echo(f"  source {added.source_id}: {added.format}{pages}, {where} {added.seed}{filled}")


@main.command("add-case")
@click.argument("case_id", metavar="ID")
@click.option("--name", required=True, help="Korean name, e.g. 부산광역시.")
@click.option("--source", "sources", required=True, multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="A document about the case: .txt, .pdf, .hwp, .hwpx, .docx or a saved web "
                   "page (.html); repeat for several.")
@click.option("--level", default="",
              help="광역시, 특례시, 시, 군, … (told from the name if omitted).")
@click.option("--field", default="", help="Policy field, e.g. 공유경제.")
@click.option("--role", type=click.Choice(["benchmark", "home"]), default="benchmark",
              show_default=True, help="home is the city the study is for.")
@click.option("--plan-title", default="", help="Title of the case's plan, if the source gives it.")
@click.option("--plan-period", default="", help="Plan period, e.g. 2023~2027.")
@_provenance
@_part
@click.pass_context
@_report_problems
def add_case(ctx: click.Context, /, case_id: str, sources: tuple[Path, ...], name: str,
             level: str, field: str, role: str, plan_title: str, plan_period: str,
             pages: tuple[int, int] | None, chars: tuple[int, int] | None,
             **provenance: str) -> None:
    """Register a new case ID with every --source given, copied into seeds/ unchanged.

    Each source is read first (PDF, HWP 5, HWPX, DOCX, web page or text, told by its
    content): a file that cannot be read (a scan without a text layer, an encrypted or empty
    file) is refused with what to do, and nothing is registered.  Then the files are copied
    byte for byte (a file already in seeds/ is reused), the case and its sources are added
    to the registry and an empty coding sheet is created, ready for `policy-report code ID`.
    """
    from analysis.intake import NewCase, Provenance, SourceFile, add_case

    if (pages or chars) and len(sources) > 1:
        raise PolicyReportError(Problem("add-case", None, "--pages/--chars",
                                        "a page or character range needs a single --source",
                                        "add the case with one source, then add the others "
                                        "with policy-report add-source"))
    files = tuple(SourceFile(p, pages, chars) for p in sources)
    with _writing(ctx, "add-case"):
        added = add_case(_study(ctx), NewCase(case_id, name, files, level, field, role,
                                              plan_title, plan_period,
                                              Provenance(**provenance)))
    for note in added.notes:
        click.echo(note.render(), err=True)
    click.echo(f"added case {added.case_id} with {len(added.sources)} source"
               f"{'s' if len(added.sources) != 1 else ''}, sheet {added.sheet}")
    for source in added.sources:
        _echo_source(source)
    click.echo(f"next: policy-report code {added.case_id}")


@main.command("add-source")
@click.argument("case_id", metavar="CASE")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_provenance
@_part
@click.pass_context
@_report_problems
def add_source(ctx: click.Context, /, case_id: str, file: Path,
               pages: tuple[int, int] | None, chars: tuple[int, int] | None,
               **provenance: str) -> None:
    """Register FILE as one more source of CASE, copied into seeds/ unchanged.

    FILE may be a PDF, HWP 5, HWPX, DOCX, saved web page or text file, told by its content.
    With --pages only those pages of a PDF are the source (cited by page in the report).
    A file that cannot be read is refused with what to do, and nothing is written.
    """
    from analysis.intake import Provenance, SourceFile, add_source

    with _writing(ctx, "add-source"):
        added, notes = add_source(_study(ctx), case_id, SourceFile(file, pages, chars),
                                  Provenance(**provenance))
    for note in notes:
        click.echo(note.render(), err=True)
    click.echo(f"added to case {case_id}:")
    _echo_source(added)
    click.echo(f"next: policy-report code {case_id}")


@main.command("remove-case")
@click.argument("case_id", metavar="ID")
@click.option("--force", is_flag=True,
              help="Remove the case even though reviewers accepted some of its items.")
@click.pass_context
@_report_problems
def remove_case(ctx: click.Context, /, case_id: str, force: bool) -> None:
    """Remove case ID from the study.

    Refuses while the case has accepted (reviewed) items, unless --force.  The case's
    sources that no other case uses leave cases.toml (their files stay in seeds/, kept as
    received); the coding sheet is moved to sheets/removed/ so the work can be restored.
    """
    from analysis.intake import remove_case as remove
    from analysis.study import open_study

    with _writing(ctx, "remove-case"):
        removed = remove(open_study(_root(ctx)), case_id, force)
    dropped = ", ".join(removed.sources) or "none"
    click.echo(f"removed case {removed.case_id} (sources dropped from the registry: {dropped}"
               + (f"; sheet moved to {removed.sheet}" if removed.sheet else "") + ")")


def _select(data: Any, cases: tuple[str, ...]) -> list[str]:
    """Return the case ids asked for (all when none), or raise naming the unknown ones."""
    unknown = [c for c in cases if c not in data.registry.cases]
    if unknown:
        raise PolicyReportError([
            Problem("cases.toml", None, None, f"unknown case {c!r}",
                    f"registered cases: {', '.join(data.registry.cases)}") for c in unknown])
    return list(cases) or list(data.registry.cases)


@main.command()
@click.argument("cases", nargs=-1, metavar="[CASE]...")
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Propose only suggestions at least this sure (0–1): 0.85 keeps the rules "
                   "whose suggestions were right 19 times in 20 on the evaluation corpus.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bar and no list of added items (for scripts).")
@click.pass_context
@_report_problems
def code(ctx: click.Context, /, cases: tuple[str, ...], dry_run: bool, min_confidence: float,
         quiet: bool) -> None:
    """Propose coded items for CASEs (all cases when none are named).

    Reads each case's sources, finds the article body, splits sentences with Kiwi, keeps
    the sentences about the case and applies the coding rules (analysis/data/rules.toml,
    extended by the study's rules.toml).  New items are appended to sheets/<case>.csv as
    'suggested', with verbatim evidence, its location, the rule and a confidence.  Rows
    already in a sheet are never changed; an item a reviewer rejected is never proposed
    again; a second run with unchanged sources adds nothing.
    """
    with _writing(ctx, "code"):
        _code(_load(ctx), cases, dry_run, quiet, min_confidence)


def _code(data: Any, cases: tuple[str, ...], dry_run: bool, quiet: bool,
          min_confidence: float = 0.0) -> None:
    from analysis.coding import merge
    from analysis.coding.autocode import suggest
    from analysis.coding.rules import load_rules
    from analysis.coding.rules import min_confidence as sure
    from analysis.sheets import Sheet

    selected = _select(data, cases)
    rules = load_rules(data.study.root, set(data.framework.ids))
    progress = _Progress("coding cases", quiet)
    try:
        suggestions = suggest(data, selected, rules, progress)
    finally:
        progress.close()
    for case_id in selected:
        sheet = data.sheets.get(case_id) or Sheet(case_id, data.study.sheet_path(case_id), ())
        merged = merge.plan(data.registry.cases[case_id], sheet,
                            sure(suggestions[case_id], min_confidence), data.sources)
        if not dry_run:
            merge.apply(sheet, merged)
        verb = "would add" if dry_run else "added"
        click.echo(f"{case_id}: {verb} {len(merged.added)} suggestion"
                   f"{'' if len(merged.added) == 1 else 's'} ({merged.found} found, "
                   f"{merged.known} already in the sheet, {merged.rejected} rejected before)")
        for item in merged.added if not quiet else ():
            click.echo(f"  + {item.element}: {item.value}")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@main.command()
@click.option("--against", "against", type=click.Path(file_okay=False, path_type=Path),
              default=None,
              help="A folder of another coder's sheets: compare the study's sheets with it, "
                   "instead of the auto-coder with the study's sheets.")
@click.option("--corpus", "corpus", type=click.Path(file_okay=False, path_type=Path),
              default=None, multiple=True,
              help="An evaluation corpus (documents with gold sheets, e.g. tests/corpus/dev): "
                   "score the auto-coder on it by element, genre and confidence band. Repeat "
                   "for several parts.")
@click.option("--misses", is_flag=True,
              help="With --corpus: also list what was missed and what was wrong (refused for "
                   "an 'unseen' part, which is for measuring only).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.argument("cases", nargs=-1, metavar="[CASE]...")
@click.pass_context
@_report_problems
def evaluate(ctx: click.Context, /, against: Path | None, corpus: tuple[Path, ...],
             misses: bool, as_json: bool, cases: tuple[str, ...]) -> None:
    """Compare two codings element by element: precision, recall, F1, agreement, alpha.

    By default the auto-coder's suggestions (computed afresh, nothing written) are compared
    with the accepted items of the reviewed sheets.  With --against DIR, the accepted items
    of the study's sheets are compared with those of the sheets in DIR (a second reviewer's
    coding of the same cases).  Agreement and Krippendorff's alpha are computed over the body
    lines of all sources.  Items found by only one side are listed.
    """
    import json

    from analysis.coding.rules import load_rules
    from analysis.evaluate import compare
    from analysis.sheets import read_sheet

    if corpus:
        _evaluate_corpus(ctx, corpus, misses, as_json)
        return
    data = _load(ctx)
    selected = _select(data, cases)
    rules = load_rules(data.study.root, set(data.framework.ids))
    reviewed = [i for c in selected if c in data.sheets for i in data.sheets[c].items
                if i.status == "accepted"]
    if against is None:
        from analysis.coding.autocode import suggest

        other = [i for items in suggest(data, selected, rules).values() for i in items]
        a, b, labels = other, reviewed, ("auto-coder", "reviewed sheets")
    else:
        problems: list[Problem] = []
        second: list[Any] = []
        for case_id in selected:
            path = against / f"{case_id}.csv"
            if not path.is_file():
                problems.append(Problem(str(path), None, None, "no sheet for this case",
                                        "the other coder's folder needs one sheet per case"))
                continue
            sheet, found = read_sheet(path, case_id, str(path))
            problems += found
            second += [i for i in sheet.items if i.status == "accepted"]
        if problems:
            raise PolicyReportError(problems)
        a, b, labels = reviewed, second, ("study sheets", str(against))
    result = compare(a, b, data.registry, data.sources, rules, data.framework.ids)
    if as_json:
        click.echo(json.dumps({
            "a": labels[0], "b": labels[1],
            "elements": {e: s.as_dict() for e, s in result.elements.items()},
            "overall": result.overall.as_dict(),
            "only_a": [{"case": i.case, "element": i.element, "value": i.value,
                        "source": i.source} for i in result.only_a],
            "only_b": [{"case": i.case, "element": i.element, "value": i.value,
                        "source": i.source} for i in result.only_b],
        }, ensure_ascii=False, indent=2))
        return
    click.echo(f"A = {labels[0]}, B = {labels[1]} (reference)")
    click.echo(f"{'element':14} {'A':>4} {'B':>4} {'prec':>6} {'recall':>6} {'F1':>6} "
               f"{'agree':>6} {'alpha':>6}")
    rows = [*result.elements.items(), ("(all)", result.overall)]
    for element, s in rows:
        click.echo(f"{element:14} {s.a_items:4d} {s.b_items:4d} {_fmt(s.precision):>6} "
                   f"{_fmt(s.recall):>6} {_fmt(s.f1):>6} {_fmt(s.agreement):>6} "
                   f"{_fmt(s.alpha):>6}")
    for title, items in (("only in A", result.only_a), ("only in B", result.only_b)):
        if items:
            click.echo(f"\n{title}:")
            for i in items:
                click.echo(f"  {i.case}/{i.element}: {i.value}  [{i.source}]")


def _evaluate_corpus(ctx: click.Context, folders: tuple[Path, ...], misses: bool,
                     as_json: bool) -> None:
    import json

    from analysis.coding.autocode import code_case
    from analysis.coding.rules import load_rules
    from analysis.corpus import load_corpus, score

    data = _load(ctx)
    rules = load_rules(data.study.root, set(data.framework.ids))
    single = frozenset(e.id for e in data.framework.elements if not e.multiple)
    results = {}
    for folder in folders:
        found = load_corpus(folder)
        if misses and found.part == "unseen":
            raise PolicyReportError(Problem(str(folder), None, None,
                                            "the unseen part is for measuring only",
                                            "leave out --misses; study misses on the dev part"))
        results[str(folder)] = score(found, rules, single, code_case, data.framework.ids)
    if as_json:
        click.echo(json.dumps({name: {
            "part": r.part, "documents": r.documents, "overall": r.overall.as_dict(),
            "elements": {e: t.as_dict() for e, t in r.elements.items()},
            "genres": {g: {e: t.as_dict() for e, t in tallies.items()}
                       for g, tallies in sorted(r.genres.items())},
            "confidence": {b: t.as_dict() for b, t in sorted(r.bands.items())},
            **({"misses": [m.__dict__ for m in r.misses]} if misses else {}),
        } for name, r in results.items()}, ensure_ascii=False, indent=2))
        return
    for name, r in results.items():
        click.echo(f"{name} ({r.part}, {r.documents} documents)")
        click.echo(f"  {'element':14} {'gold':>5} {'sugg':>5} {'match':>5} {'prec':>6} "
                   f"{'recall':>6} {'F1':>6}")
        for element, t in [*r.elements.items(), ("(all)", r.overall)]:
            click.echo(f"  {element:14} {t.gold:5d} {t.suggested:5d} {t.matched:5d} "
                       f"{_fmt(t.precision):>6} {_fmt(t.recall):>6} {_fmt(t.f1):>6}")
        click.echo("  by genre (recall of the five core elements / precision):")
        core = [e.id for e in data.framework.elements if e.core]
        for genre, tallies in sorted(r.genres.items()):
            got = sum(tallies[e].matched for e in core if e in tallies)
            gold = sum(tallies[e].gold for e in core if e in tallies)
            sugg = sum(tallies[e].suggested for e in core if e in tallies)
            click.echo(f"    {genre:14} recall {_fmt(got / gold if gold else None):>6}  "
                       f"precision {_fmt(got / sugg if sugg else None):>6}")
        click.echo("  precision by confidence band:")
        for band, t in sorted(r.bands.items()):
            click.echo(f"    {band}  {t.matched:4d}/{t.suggested:<4d} {_fmt(t.precision):>6}")
        if misses:
            for m in r.misses:
                click.echo(f"  {m.kind:6} {m.document} {m.element}: {m.value}"
                           + (f"  [{m.rule}]" if m.rule else ""))


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the DOCX [default: reports/benchmark-report.docx].")
@click.option("--draft", is_flag=True,
              help="Also show suggested (not yet reviewed) items, marked as unreviewed.")
@click.option("--pdf", is_flag=True,
              help="Also write a PDF next to the DOCX through LibreOffice, with the table of "
                   "contents' page numbers filled in.")
@click.option("--since", default=None, metavar="REV",
              help="List coding changes since this git revision in the appendix "
                   "[default: since the previous build].")
@click.option("--no-page-numbers", "no_pages", is_flag=True,
              help="Skip the LibreOffice layout pass that writes the page numbers of the "
                   "tables of contents (faster; the entries then carry no numbers; also "
                   "POLICY_REPORT_PAGE_NUMBERS=0).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.pass_context
@_report_problems
def build(ctx: click.Context, /, output: Path | None, draft: bool, pdf: bool,
          since: str | None, no_pages: bool, quiet: bool) -> None:
    """Build the benchmarking report (DOCX) from the accepted coded items.

    Validates the study first and stops on any problem.  The report follows the study's
    settings (study.toml [study] and [report]), its Jinja2 templates and the reference
    .docx in templates/.  It is written to a temporary file and moved into place only when
    the build succeeded, so a failed build leaves the previous report untouched.  Same
    inputs give a byte-identical DOCX.
    """
    from analysis.report.build import build as build_report

    progress = _Progress("drawing charts", quiet)
    try:
        with _writing(ctx, "build"):
            result = build_report(_root(ctx), output, draft=draft, pdf=pdf, since=since,
                                  data=_load(ctx), progress=progress,
                                  toc_pages=pdf or not (no_pages or os.environ.get(
                                      "POLICY_REPORT_PAGE_NUMBERS") == "0"))
    finally:
        progress.close()
    if not quiet:
        total = sum(result.timings.values())
        click.echo(f"wrote {result.docx} ({result.tables} tables, {result.figures} figures, "
                   f"{result.charts_drawn} charts drawn) in {total:.2f} s")
        if result.contents:
            click.echo(result.contents)
        if result.pdf:
            click.echo(f"wrote {result.pdf}")


@main.group()
def sheets() -> None:
    """Review the coding in Excel: export a workbook, import it back into the CSV sheets."""


@sheets.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The .xlsx to write [default: reports/review.xlsx].")
@click.pass_context
@_report_problems
def sheets_export(ctx: click.Context, /, output: Path | None) -> None:
    """Write an Excel review workbook of all coding sheets.

    One worksheet per case with the sheet's columns and, for each item, the sentence around
    its evidence; a codebook worksheet; drop-down lists for element, subcode and status; a
    frozen header and wrapped text.  Every cell is stored as text, never as a formula.
    """
    from analysis.study import check_output
    from analysis.workbook import export

    data = _load(ctx)
    target = output or data.study.path("reports") / "review.xlsx"
    check_output(data.study, target, ".xlsx")
    rows = export(data, target)
    click.echo(f"wrote {target} ({len(data.registry.cases)} cases, {rows} rows)")
    click.echo(f"edit it in Excel or LibreOffice Calc, then: policy-report sheets import "
               f"{target}")


@sheets.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@_report_problems
def sheets_import(ctx: click.Context, /, workbook: Path) -> None:
    """Read an edited review WORKBOOK back into the CSV coding sheets.

    Every row is checked as validate checks the CSV sheets; nothing is written when any row
    is invalid, a row was deleted (reject it instead), or the CSV sheets changed since the
    workbook was exported (stale).  Prints per case what was added, changed and rejected.
    """
    from analysis.workbook import import_workbook

    if not workbook.is_file():
        raise PolicyReportError(Problem(str(workbook), None, None, "file not found",
                                        "give the path of the exported .xlsx"))
    with _writing(ctx, "sheets import"):
        changes = import_workbook(_load(ctx), workbook)
    for c in changes:
        click.echo(f"{c.case}: {len(c.added)} added, {len(c.changed)} changed, "
                   f"{len(c.rejected)} rejected")
    if not any(c.any for c in changes):
        click.echo("no changes: nothing written")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the DOCX [default: reports/benchmark-report.docx].")
@click.option("--draft", is_flag=True, help="Also show suggested items, marked.")
@click.option("--since", default=None, metavar="REV",
              help="List coding changes since this git revision in the appendix.")
@click.pass_context
@_report_problems
def watch(ctx: click.Context, /, output: Path | None, draft: bool, since: str | None) -> None:
    """Rebuild the report whenever sheets, registry, framework, templates or settings change.

    Builds once, then waits for changes and rebuilds, printing each rebuild's time, or the
    problems found (the watch goes on, and the previous report is kept).  Charts whose data
    did not change are not drawn again.  Stop with Ctrl-C.
    """
    from analysis.watch import watch as watch_study

    watch_study(_root(ctx), output, draft, since, echo=lambda line: click.echo(line))
