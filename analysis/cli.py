"""The ``policy-report`` command: parse options, call one library function, print.

Every command acts on the study in the current folder (or ``--root DIR``).  Problems with the
user's files are printed as ``path:row: column: message`` plus a hint, all of them, and the
command exits with status 1; no traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from analysis import __version__
from analysis.errors import PolicyReportError

F = TypeVar("F", bound=Callable[..., Any])


def _report_problems(func: F) -> F:
    """Turn a ``PolicyReportError`` into printed problems and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolicyReportError as exc:
            for problem in exc.problems:
                click.echo(problem.render(), err=True)
            count = len(exc.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''}.", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _root(ctx: click.Context) -> Path:
    return Path(ctx.obj["root"])


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


@main.command()
@click.pass_context
@_report_problems
def validate(ctx: click.Context) -> None:
    """Check registry, framework, sheets and sources together.

    Prints every problem as PATH:ROW: COLUMN: MESSAGE with a hint on the next line (rows are
    numbered as Excel shows them: the header is row 1) and exits with status 1; prints a
    summary and exits 0 when all is well.
    """
    from analysis.validate import load_study

    data = load_study(_root(ctx))
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


@main.command("add-case")
@click.argument("case_id", metavar="ID")
@click.option("--name", required=True, help="Korean name, e.g. 부산광역시.")
@click.option("--source", "source", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="A text file about the case (news article, press release, plan).")
@click.option("--level", default="",
              help="광역시, 특례시, 시, 군, … (told from the name if omitted).")
@click.option("--field", default="", help="Policy field, e.g. 공유경제.")
@click.option("--role", type=click.Choice(["benchmark", "home"]), default="benchmark",
              show_default=True, help="home is the city the study is for.")
@click.option("--plan-title", default="", help="Title of the case's plan, if the source gives it.")
@click.option("--plan-period", default="", help="Plan period, e.g. 2023~2027.")
@click.option("--publisher", default="", help="Who published the source.")
@click.option("--headline", default="", help="The source's headline or title.")
@click.option("--date", default="", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--author", default="", help="Reporter or author.")
@click.option("--url", default="", help="Where the source was found.")
@click.option("--kind", default="news", show_default=True,
              help="news, press (보도자료), plan (계획서), report, …")
@click.option("--chars", callback=_chars, default=None, metavar="START:END",
              help="Only this character range of the file is about the case.")
@click.pass_context
@_report_problems
def add_case(ctx: click.Context, /, case_id: str, source: Path, **options: Any) -> None:
    """Register a new case ID and copy its source into seeds/ unchanged.

    The source file is copied byte for byte (a file already in seeds/ is reused), the case
    and its source are added to the registry, and an empty coding sheet is created, ready
    for `policy-report code ID`.  A bad id, a duplicate or an unreadable file is reported and
    nothing is changed.
    """
    from analysis.intake import NewCase, add_case
    from analysis.study import open_study

    study = open_study(_root(ctx))
    added = add_case(study, NewCase(case_id=case_id, source=source, **options))
    copied = "copied to" if added.copied else "already in seeds as"
    click.echo(f"added case {added.case_id}: source {added.source_id} ({copied} {added.seed}), "
               f"sheet {added.sheet}")
    click.echo(f"next: policy-report code {added.case_id}")
