"""Benchmark watch mode: seconds from saving a coding sheet to the new DOCX (seed study).

    python benchmarks/bench_watch.py [--edits 10]

Runs ``analysis.watch.watch`` in a thread on a copy of the study, saves an edited sheet, and
times until the report file changes; prints each edit's time, the median and the worst.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from synth import copy_seed_study

from analysis.watch import watch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study = copy_seed_study(Path(tmp) / "study")
        lines: list[str] = []
        stop = threading.Event()
        thread = threading.Thread(target=watch, args=(study,),
                                  kwargs={"echo": lines.append, "stop": stop}, daemon=True)
        thread.start()
        while not any(line.startswith("watching") for line in lines):
            time.sleep(0.01)
        report = study / "reports" / "benchmark-report.docx"
        sheet = study / "sheets" / "ulsan.csv"
        original = sheet.read_text(encoding="utf-8")
        times = []
        for n in range(args.edits):
            time.sleep(0.5)
            before = report.stat().st_mtime_ns
            old = "정책박람회,정책박람회 등을"
            edited = original.replace(old, f"정책박람회 {n},정책박람회 등을")
            started = time.perf_counter()
            sheet.write_text(edited, encoding="utf-8")
            while report.stat().st_mtime_ns == before:
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
            print(f"edit {n + 1}: saved sheet → new DOCX in {times[-1]:.2f} s")
        stop.set()
        thread.join(timeout=10)
    print(f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
          f"({args.edits} edits, watch debounce 100 ms)")


if __name__ == "__main__":
    main()
