"""``policy-report watch``: rebuild the report whenever the study's inputs change.

The process stays up, so libraries are imported once, and charts whose data did not change
come from the cache: a saved sheet gives a new DOCX in well under a second for the seed
study.  Problems are printed and the watch goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.errors import PolicyReportError
from analysis.fsio import study_lock
from analysis.study import CONFIG_NAME, open_study

INPUTS = ("cases", "framework", "sheets", "templates", "seeds")


def watched(root: Path) -> list[Path]:
    """Return the files and folders whose changes trigger a rebuild."""
    study = open_study(root)
    paths = [study.root / CONFIG_NAME, study.root / "rules.toml", study.root / "manual.toml",
             study.root / "narrative",
             *(study.path(name) for name in INPUTS)]
    return [p for p in paths if p.exists()]


def relevant(path: str, reports: Path) -> bool:
    """Return True for a change that should trigger a rebuild: not a hidden, backup or
    temporary file, and not inside the study's own reports folder (a folder named
    ``reports`` above the study does not count)."""
    changed = Path(path)
    name = changed.name
    if name.startswith((".", "~$")) or name.endswith(("~", ".tmp")):
        return False
    return not changed.resolve().is_relative_to(reports.resolve())


def rebuild(root: Path, output: Path | None, draft: bool, since: str | None,
            echo: Callable[[str], None], changed: Iterable[str] = ()) -> bool:
    """Build once; print the time or the problems; return True when the build succeeded."""
    from analysis.report.build import build

    started = time.perf_counter()
    what = ", ".join(sorted({Path(p).name for p in changed}))
    try:
        with study_lock(open_study(root).root, "watch"):
            result = build(root, output, draft=draft, since=since, toc_pages=False)
    except PolicyReportError as exc:
        for problem in exc.problems:
            echo(problem.render())
        count = sum(1 for p in exc.problems if p.is_error)
        echo(f"build failed ({count} problem{'s' if count != 1 else ''}); "
             "the previous report is kept")
        return False
    except Exception as exc:  # the watch goes on whatever one build met
        echo(f"internal error: {type(exc).__name__}: {exc}")
        echo("build failed; the previous report is kept")
        return False
    took = time.perf_counter() - started
    echo(f"rebuilt {result.docx.name} in {took:.2f} s"
         + (f" ({result.charts_drawn} charts drawn)" if result.charts_drawn else "")
         + (f" after a change to {what}" if what else ""))
    return True


def watch(root: Path, output: Path | None = None, draft: bool = False,
          since: str | None = None, echo: Callable[[str], None] = print,
          stop: threading.Event | None = None, debounce_ms: int = 100) -> None:
    """Build, then rebuild on every change until ``stop`` is set (or Ctrl-C)."""
    from watchfiles import watch as watch_files

    rebuild(root, output, draft, since, echo)
    echo("watching for changes (Ctrl-C to stop)")
    reports = open_study(root).path("reports")
    for changes in watch_files(*watched(root), stop_event=stop, debounce=debounce_ms,
                               step=20, watch_filter=lambda _, path: relevant(path, reports),
                               raise_interrupt=False):
        rebuild(root, output, draft, since, echo, [path for _, path in changes])
