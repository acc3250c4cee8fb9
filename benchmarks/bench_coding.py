"""Benchmark the auto-coder: the seed study, and a synthetic corpus of about 1 MB.

    python benchmarks/bench_coding.py

Each measurement runs ``policy-report code --dry-run`` as a fresh process (so the Kiwi load is
included) and prints wall-clock seconds and peak resident memory.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from synth import make_study

REPO = Path(__file__).resolve().parent.parent
PROBE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
         "print(time.perf_counter() - t, "
         "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def measure(args: list[str]) -> tuple[float, float]:
    """Return (seconds, peak MB) of running ``args`` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         check=True).stdout.split()
    if out[2] != "0":
        raise SystemExit(f"failed: {' '.join(args)}")
    return float(out[0]), int(out[1]) / 1024


def main() -> None:
    cli = [sys.executable, "-m", "analysis"]
    seconds, peak = measure([*cli, "--root", str(REPO), "code", "--dry-run"])
    size = sum(p.stat().st_size for p in (REPO / "seeds").iterdir()) / 1e3
    print(f"seed study ({size:.0f} kB, 5 cases), cold incl. Kiwi load: "
          f"{seconds:.2f} s, peak {peak:.0f} MB")
    load, _ = measure([sys.executable, "-c", "from analysis.coding.nlp import sentences; "
                       "sentences('시는 계획을 세웠다. 끝.', 0)"])
    print(f"  of which Kiwi load + first analysis alone: {load:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        study = make_study(Path(tmp) / "synthetic", cases=100, filler=34)
        size = sum(p.stat().st_size for p in (study / "seeds").iterdir()) / 1e6
        seconds, peak = measure([*cli, "--root", str(study), "code", "--dry-run"])
        print(f"synthetic corpus ({size:.2f} MB, 100 cases): {seconds:.2f} s, "
              f"peak {peak:.0f} MB, {size / seconds:.2f} MB/s")
        result = subprocess.run([*cli, "--root", str(study), "evaluate", "--json"],
                                capture_output=True, text=True, check=True)
        import json
        f1 = {e: s["f1"] for e, s in json.loads(result.stdout)["elements"].items()
              if s["f1"] is not None}
        print("  auto-coder F1 against the generator's coding: "
              + ", ".join(f"{e} {v:.2f}" for e, v in f1.items()))


if __name__ == "__main__":
    main()
