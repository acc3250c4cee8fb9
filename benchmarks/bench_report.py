"""Benchmark ``policy-report build``: the seed study and synthetic studies of 50 and 250 cases.

    python benchmarks/bench_report.py [--sizes 50 250] [--pdf]

Every measurement is a fresh process (cold imports); "no cache" removes the chart cache
first, "cached" keeps it (an unchanged chart is never drawn again).  Prints seconds and peak
resident memory, and the time Python needs just to import the four libraries the build uses.
The builds skip the LibreOffice layout pass (page numbers of the contents); with ``--pdf``
each study is also built once with it and a PDF (one LibreOffice run), timed on its own.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench_coding import measure
from synth import copy_seed_study, make_study


def build_times(study: Path, label: str, pdf: bool = False) -> None:
    cli = [sys.executable, "-m", "analysis", "--root", str(study), "build", "-q",
           "--no-page-numbers", "-o",
           str(study / "out.docx")]
    shutil.rmtree(study / "reports" / ".cache", ignore_errors=True)
    cold, cold_mb, _ = measure(cli)
    warm, warm_mb, _ = measure(cli)
    print(f"{label}: no cache {cold:.2f} s ({cold_mb:.0f} MB peak), "
          f"cached charts {warm:.2f} s ({warm_mb:.0f} MB peak)")
    if pdf:
        full, _, _ = measure([*cli[:cli.index("--no-page-numbers")], "--pdf",
                              *cli[cli.index("--no-page-numbers") + 1:]])
        print(f"{label}: with the LibreOffice layout pass and --pdf {full:.2f} s "
              f"(layout and PDF {full - warm:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 250])
    parser.add_argument("--pdf", action="store_true",
                        help="also time a build with page numbers and PDF (needs LibreOffice)")
    args = parser.parse_args()
    imports, _, _ = measure([sys.executable, "-c",
                          "import docx, matplotlib.pyplot, pandas, jinja2"])
    print(f"import python-docx, matplotlib, pandas, jinja2: {imports:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        seed = copy_seed_study(Path(tmp) / "seed")
        build_times(seed, "seed study (5 cases)", args.pdf)
        for size in args.sizes:
            study = make_study(Path(tmp) / f"synthetic{size}", cases=size, filler=2)
            build_times(study, f"synthetic study ({size} cases)", args.pdf)


if __name__ == "__main__":
    main()
