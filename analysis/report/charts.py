"""Charts with matplotlib: Hangul in a packaged font, grayscale-safe, cached by content.

A chart is described by a ``ChartSpec`` (kind and JSON-able data) computed from the matrix;
its PNG is stored under ``reports/.cache/charts/<hash>.png`` where the hash covers the spec,
the font file, the drawing library's version (matplotlib; Pillow for the policy diagrams of
``diagrams``, which never import matplotlib) and the drawing code, so an unchanged chart is
never drawn again.  Missing charts
are drawn in parallel worker processes when there are several.  A glyph matplotlib cannot
draw is an error, never a box.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from analysis.errors import PolicyReportError, Problem
from analysis.fsio import atomic_write

GRAYS = ("#1a1a1a", "#5c5c5c", "#9a9a9a", "#d0d0d0")
TEXT_WIDTH_IN = 6.3  # A4 with 25 mm margins: 160 mm


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: a kind, a key (unique in the report) and its data."""

    kind: str
    key: str
    data: dict[str, Any]
    alt: str

    def digest(self, font: Path, dpi: int) -> str:
        # the library that draws it: Pillow for the diagrams, matplotlib for the charts
        painter = ("pillow", "Pillow") if self.kind in DIAGRAMS else ("mpl", "matplotlib")
        payload = json.dumps({"kind": self.kind, "data": self.data, "dpi": dpi,
                              painter[0]: _version(painter[1]), "code": _code_digest(),
                              "font": _font_digest(str(font))},
                             ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


@cache
def _code_digest() -> str:
    """Return a hash of the drawing code: a change to how charts are drawn redraws them."""
    code = Path(__file__).read_bytes() + (Path(__file__).parent / "diagrams.py").read_bytes()
    return hashlib.sha256(code).hexdigest()[:16]


@cache
def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)  # without importing it: a cached chart needs none


@cache
def _font_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


@cache
def hangul_font() -> Path:
    """Return the TTF used for Hangul: NanumGothic as shipped by koreanize-matplotlib."""
    spec = find_spec("koreanize_matplotlib")  # its font files only; its code is not imported
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / "NanumGothic.ttf"
        if path.is_file():
            return path
    system = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
    if system.is_file():
        return system
    raise PolicyReportError(Problem(
        "charts", None, None, "no Hangul font for the charts",
        "pip install koreanize-matplotlib (it ships NanumGothic), or apt-get install fonts-nanum"))


def _setup(font: Path) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font_manager.fontManager.addfont(str(font))
    name = font_manager.FontProperties(fname=str(font)).get_name()
    plt.rcParams.update({
        "font.family": name, "axes.unicode_minus": False, "font.size": 9,
        "axes.edgecolor": "#333333", "axes.linewidth": 0.6, "svg.hashsalt": "policy-report",
        "hatch.linewidth": 0.6, "hatch.color": "#333333"})
    return plt


# the policy figures, drawn by analysis.report.diagrams with Pillow (no matplotlib)
DIAGRAMS = {"vision": "vision_tree", "governance": "governance_map", "timeline": "timeline",
            "coverage": "coverage_grid"}
# FreeType and matplotlib are not thread-safe: one drawing at a time in a process (a watch
# thread and a build must never lay text out together, or glyphs go missing at random)
_DRAWING = threading.Lock()


def render(spec: ChartSpec, path: Path, font: Path, dpi: int) -> Path:
    """Draw ``spec`` into the PNG ``path`` (a missing glyph raises); return ``path``."""
    with _DRAWING:
        return _render(spec, path, font, dpi)


def _render(spec: ChartSpec, path: Path, font: Path, dpi: int) -> Path:
    if spec.kind in DIAGRAMS:  # Pillow only: a diagram never imports matplotlib
        from analysis.report import diagrams

        atomic_write(path, getattr(diagrams, DIAGRAMS[spec.kind])(spec.data, dpi))
        return path
    plt = _setup(font)
    draw = {"counts": _counts, "typology": _typology}[spec.kind]
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        warnings.filterwarnings("error", message=".*missing from font.*")
        try:
            fig = draw(plt, spec.data)
            # margins are set from the labels' lengths: a "tight" bounding box or a
            # constrained layout would lay each chart out twice (about 0.2 s a chart)
            fig.savefig(buffer, dpi=dpi, format="png", metadata={"Software": None},
                        pil_kwargs={"compress_level": 3})
        except UserWarning as exc:
            plt.close("all")
            raise PolicyReportError(Problem(
                f"chart {spec.key}", None, None,
                f"the chart font ({font.name}) cannot draw a character: {exc}",
                "remove the character from the case name, label or value, or set "
                "[report.fonts] to a font that has it")) from None
        plt.close(fig)
    atomic_write(path, buffer.getvalue())
    return path


def _ready() -> None:
    """A job that only makes a worker start (``ChartPool.prestart``)."""


def _render_job(job: tuple[ChartSpec, str, str, int]) -> str:
    spec, path, font, dpi = job
    return str(render(spec, Path(path), Path(font), dpi))


class Rendering:
    """Charts being drawn (in a ``ChartPool``'s workers or right here) and where they go."""

    def __init__(self, paths: dict[str, Path], futures: list[Future[str]], drawn: int,
                 jobs: Sequence[tuple[ChartSpec, str, str, int]] = ()) -> None:
        self.paths = paths
        self.drawn = drawn
        self._futures = futures
        self._jobs = list(jobs)  # the job of each future, when workers draw them

    def wait(self, progress: Callable[[int, int], None] | None = None) -> dict[str, Path]:
        """Return every chart's PNG (by key) once all are drawn; re-raise a worker's error.

        While the workers draw, this process takes the diagrams they have not started yet,
        from the end of the queue (a diagram costs milliseconds and no matplotlib): it would
        otherwise only wait.  ``progress(done, total)`` is called as each chart is finished.
        """
        for n in range(len(self._jobs) - 1, -1, -1):
            spec = self._jobs[n][0]
            if spec.kind in DIAGRAMS and self._futures[n].cancel():
                here: Future[str] = Future()
                here.set_result(_render_job(self._jobs[n]))
                self._futures[n] = here
        for done, future in enumerate(as_completed(self._futures), start=1):
            future.result()
            if progress:
                progress(done, len(self._futures))
        return self.paths


def _warm(font: str, charts: bool) -> None:
    """Prepare a worker: matplotlib only when it will draw a chart (importing it costs most
    of a second), the diagrams' module and fonts when it will draw only diagrams."""
    _die_with_parent()
    if charts:
        _setup(Path(font))
    else:
        from analysis.report import diagrams

        diagrams.warm()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the build that started it dies (even by SIGKILL)."""
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the call
            os._exit(1)


def _usable(path: Path) -> bool:
    """Return True for a cached chart that is a whole PNG (not cut short by a full disk)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            handle.seek(-12, os.SEEK_END)
            tail = handle.read(12)
    except OSError:
        return False
    return head == b"\x89PNG\r\n\x1a\n" and tail[4:8] == b"IEND"


class ChartPool:
    """Worker processes for drawing charts, used as a context manager.

    Workers start only when there is something to draw (three charts or more on a machine
    with two cores or more; fewer are drawn in this process) and are always shut down on
    leaving the ``with`` block, whether the build worked or failed.
    """

    def __init__(self, workers: int | None = None) -> None:
        if workers is None:  # POLICY_REPORT_CHART_WORKERS=1 draws everything in this process
            setting = os.environ.get("POLICY_REPORT_CHART_WORKERS", "")
            workers = int(setting) if setting.isdigit() else (os.cpu_count() or 1)
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ChartPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (pending charts are cancelled)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def prestart(self, cache_dir: Path) -> None:
        """Start the workers now, while the build still reads and lays out the study, when
        the chart cache is empty (a first build): every chart will be drawn, and the workers'
        start (a fork server, matplotlib's import) then overlaps that work instead of
        following it."""
        if self.workers < 2 or self._executor is not None:
            return
        if cache_dir.is_dir() and any(cache_dir.glob("*.png")):
            return  # most charts are cached: start workers only for what is missing
        self._executor = self._new_executor(self.workers, charts=True)
        for _ in range(self.workers):
            self._executor.submit(_ready)

    def _new_executor(self, workers: int, charts: bool) -> ProcessPoolExecutor:
        # never fork this process: FreeType reads fonts lazily through file handles that
        # forked children would share (offset included) with the parent, which garbles
        # glyphs at random ("invalid outline"); a fork server is a clean process the
        # workers are forked from
        method = "forkserver" if sys.platform == "linux" else "spawn"
        return ProcessPoolExecutor(
            max_workers=workers, initializer=_warm, initargs=(str(hangul_font()), charts),
            mp_context=multiprocessing.get_context(method))

    def start(self, specs: Sequence[ChartSpec], cache_dir: Path, dpi: int) -> Rendering:
        """Start drawing the charts not already cached; return where every chart will be."""
        font = hangul_font()
        cache_dir.mkdir(parents=True, exist_ok=True)
        paths = {s.key: cache_dir / f"{s.digest(font, dpi)}.png" for s in specs}
        missing = list({paths[s.key]: s for s in specs if not _usable(paths[s.key])}.items())
        # matplotlib's charts (a tenth of a second or more each) first, the diagrams (a few
        # milliseconds each) after them: the workers finish together, not on a slow chart
        missing.sort(key=lambda job: job[1].kind in DIAGRAMS)
        jobs = [(s, str(path), str(font), dpi) for path, s in missing]
        futures: list[Future[str]] = []
        if len(jobs) >= 3 and self.workers > 1:
            if self._executor is None:
                charts = any(s.kind not in DIAGRAMS for _, s in missing)
                self._executor = self._new_executor(min(self.workers, len(jobs)), charts)
            futures = [self._executor.submit(_render_job, job) for job in jobs]
            return Rendering(paths, futures, len(jobs), jobs)
        else:
            for job in jobs:
                done: Future[str] = Future()
                done.set_result(_render_job(job))
                futures.append(done)
        return Rendering(paths, futures, len(jobs))


def render_all(specs: Sequence[ChartSpec], cache_dir: Path, dpi: int,
               workers: int | None = None) -> dict[str, Path]:
    """Return the PNG of every spec (by key), drawing only those not already cached."""
    with ChartPool(workers) as pool:
        return pool.start(specs, cache_dir, dpi).wait()


# inches of chart height per case row, and the most a chart may be (caption and notes fit
# under it on an A4 page with 25 mm margins)
ROW_HEIGHT = {"coverage": 0.28, "counts": 0.36, "typology": 0.3, "timeline": 0.3}
MAX_HEIGHT_IN = 8.4
BASE_HEIGHT_IN = 0.9


def rows_per_chart(kind: str) -> int:
    """Return how many cases one chart of ``kind`` can show and still fit a page."""
    if kind == "timeline":
        return 8  # a 연혁 row takes 0.45–1.1 in with its labels
    return int((MAX_HEIGHT_IN - BASE_HEIGHT_IN) / ROW_HEIGHT.get(kind, 0.3))


def _size(rows: int, kind: str, min_h: float = 2.2) -> tuple[float, float]:
    return TEXT_WIDTH_IN, max(min_h, BASE_HEIGHT_IN + ROW_HEIGHT[kind] * rows)


def _label_width(labels: Sequence[str], size: float = 9) -> float:
    """Return the width in inches of the longest label (Hangul glyphs about one em wide)."""
    widest = max((sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in label) for label in labels),
                 default=0)
    return widest * size / 72


def _margins(fig: Any, left: float, top: float = 0.25, bottom: float = 0.45,
             right: float = 0.2) -> None:
    """Place the axes with margins given in inches."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=min(left / width, 0.6), right=1 - right / width,
                        top=1 - top / height, bottom=bottom / height)


def _row_labels(ax: Any, labels: Sequence[str]) -> None:
    """Label the rows with plain texts: matplotlib's tick objects cost far more to draw."""
    ax.set_yticks([])
    transform = ax.get_yaxis_transform()
    for row, label in enumerate(labels):
        ax.text(-0.012, row, label, transform=transform, ha="right", va="center", fontsize=9)


def _column_labels(ax: Any, labels: Sequence[str], rotation: float = 0) -> None:
    """Label the columns above the axes with plain texts."""
    ax.set_xticks([])
    transform = ax.get_xaxis_transform()
    for column, label in enumerate(labels):
        ax.text(column, 1.01, label, transform=transform, fontsize=9, rotation=rotation,
                ha="left" if rotation else "center", va="bottom", rotation_mode="anchor")


def _counts(plt: Any, data: dict[str, Any]) -> Any:
    cases, series = data["cases"], data["series"]
    fig, ax = plt.subplots(figsize=_size(len(cases), "counts", 2.6))
    height = 0.8 / max(len(series), 1)
    for n, (label, values) in enumerate(series):
        positions = [r - 0.4 + height * (n + 0.5) for r in range(len(cases))]
        widths = [v or 0 for v in values]
        ax.barh(positions, widths, height=height, label=label, color=GRAYS[n % 4],
                edgecolor="#333333", linewidth=0.5)
        for y, width, value in zip(positions, widths, values, strict=True):
            ax.text(width + 0.3, y, data.get("missing", "–") if value is None else str(value),
                    va="center", fontsize=7, color="#666666" if value is None else "#1a1a1a")
    ax.set_ylim(len(cases) - 0.5, -0.5)
    _row_labels(ax, cases)
    ax.set_xlabel(data["unit"])
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _margins(fig, _label_width(cases) + 0.25, bottom=0.55, right=0.4)
    return fig


def _typology(plt: Any, data: dict[str, Any]) -> Any:
    cases, kinds, marks = data["cases"], data["kinds"], data["marks"]
    fig, ax = plt.subplots(figsize=_size(len(cases), "typology"))
    ax.hlines(range(len(cases)), -0.5, len(kinds) - 0.5, color="#dddddd", linewidth=0.5,
              zorder=0)
    ax.vlines(range(len(kinds)), -0.5, len(cases) - 0.5, color="#dddddd", linewidth=0.5,
              zorder=0)
    points = [(c, r, value) for r, row in enumerate(marks) for c, value in enumerate(row)]
    found = [p for p in points if p[2]]
    unknown = [p for p in points if not p[2]]
    ax.scatter([p[0] for p in found], [p[1] for p in found], s=90, marker="o",
               facecolors="#1a1a1a", edgecolors="#333333", linewidths=0.8, zorder=2)
    # not stated is not "none": a small dashed ring, never an empty circle
    ax.scatter([p[0] for p in unknown], [p[1] for p in unknown], s=40, marker="o",
               facecolors="none", edgecolors="#9a9a9a", linewidths=0.8, linestyles="--",
               zorder=2)
    fig.text(0.99, 0.005, data.get("legend", ""), ha="right", va="bottom", fontsize=7,
             color="#333333")
    ax.set_xlim(-0.5, len(kinds) - 0.5)
    ax.set_ylim(len(cases) - 0.5, -0.5)
    labels = [f"{c} ({t})" if t else c for c, t in zip(cases, data["types"], strict=True)]
    _column_labels(ax, kinds)
    _row_labels(ax, labels)
    for spine in ax.spines.values():
        spine.set_visible(False)
    _margins(fig, _label_width(labels) + 0.25, top=0.5, bottom=0.3)
    return fig


