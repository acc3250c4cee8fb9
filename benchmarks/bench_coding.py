"""Benchmark the auto-coder: the seed study, and a synthetic corpus of about 1 MB.

    python benchmarks/bench_coding.py

Each measurement runs in a fresh process (so the Kiwi load is included) and prints wall-clock
seconds and peak resident memory.  The floor for the corpus is Kiwi alone: loading it and
splitting into sentences the very lines the coder gives it (the body lines of every source,
in one batched call); the coder should stay within 1.3 times that floor.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from synth import make_study

REPO = Path(__file__).resolve().parent.parent
PROBE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print(time.perf_counter() - t, u.ru_maxrss, r.returncode, u.ru_utime + u.ru_stime)")
# Kiwi alone: load, then split the given lines as the coder does (with tokens) or plainly
KIWI_ONLY = ("import json, sys; from kiwipiepy import Kiwi; "
             "k = Kiwi(load_typo_dict=False, load_multi_dict=False); "
             "lines = json.load(open(sys.argv[1], encoding='utf-8')); "
             "n = sum(len(s) for s in k.split_into_sents(lines, return_tokens=sys.argv[2] == '1'))")


def measure(args: list[str]) -> tuple[float, float, float]:
    """Return (seconds, peak MB, CPU seconds) of running ``args`` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         check=True).stdout.split()
    if out[2] != "0":
        raise SystemExit(f"failed: {' '.join(args)}")
    return float(out[0]), int(out[1]) / 1024, float(out[3])


def kiwi_lines(root: Path) -> list[str]:
    """Return the lines the coder gives Kiwi for every source of the study at ``root``."""
    sys.path.insert(0, str(REPO))
    from analysis.coding.autocode import prepare
    from analysis.coding.rules import load_rules
    from analysis.validate import load_study

    data = load_study(root)
    rules = load_rules(root)
    return [text for source in data.sources.values()
            for text, _ in prepare(source, rules).lines]


def best(args: list[str], runs: int = 3) -> tuple[float, float, float]:
    """Return the fastest of ``runs`` measurements (the machine's noise aside)."""
    return min((measure(args) for _ in range(runs)), key=lambda m: m[0])


def main() -> None:
    cli = [sys.executable, "-m", "analysis"]
    seconds, peak, _ = best([*cli, "--root", str(REPO), "code", "--dry-run"])
    size = sum(p.stat().st_size for p in (REPO / "seeds").iterdir()) / 1e3
    print(f"seed study ({size:.0f} kB, 5 cases), cold incl. Kiwi load: "
          f"{seconds:.2f} s, peak {peak:.0f} MB")
    load, _, _ = best([sys.executable, "-c", "from analysis.coding.nlp import sentences; "
                    "sentences('시는 계획을 세웠다. 끝.', 0)"])
    print(f"  of which Kiwi load + first analysis alone: {load:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        study = make_study(Path(tmp) / "synthetic", cases=100, filler=34)
        size = sum(p.stat().st_size for p in (study / "seeds").iterdir()) / 1e6
        lines = Path(tmp) / "lines.json"
        lines.write_text(json.dumps(kiwi_lines(study), ensure_ascii=False), encoding="utf-8")
        floor, floor_peak, floor_cpu = best([sys.executable, "-c", KIWI_ONLY, str(lines), "1"])
        plain, _, plain_cpu = best([sys.executable, "-c", KIWI_ONLY, str(lines), "0"])
        seconds, peak, cpu = best([*cli, "--root", str(study), "code", "--dry-run"])
        print(f"synthetic corpus ({size:.2f} MB, 100 cases): {seconds:.2f} s, "
              f"peak {peak:.0f} MB, {size / seconds:.2f} MB/s")
        print(f"  Kiwi alone, load + split of the same lines: {floor:.2f} s with tokens "
              f"(peak {floor_peak:.0f} MB), {plain:.2f} s without")
        print(f"  coder / Kiwi alone: {seconds / floor:.2f}x (with tokens), "
              f"{seconds / plain:.2f}x (without); in CPU time {cpu:.1f} s / {floor_cpu:.1f} s = "
              f"{cpu / floor_cpu:.2f}x, / {plain_cpu:.1f} s = {cpu / plain_cpu:.2f}x")
        result = subprocess.run([*cli, "--root", str(study), "evaluate", "--json"],
                                capture_output=True, text=True, check=True)
        f1 = {e: s["f1"] for e, s in json.loads(result.stdout)["elements"].items()
              if s["f1"] is not None}
        print("  auto-coder F1 against the generator's coding: "
              + ", ".join(f"{e} {v:.2f}" for e, v in f1.items()))


if __name__ == "__main__":
    main()
