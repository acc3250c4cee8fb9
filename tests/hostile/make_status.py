"""Run the hostile-input corpus and write STATUS.md: what fails today, and how.

    python tests/hostile/make_status.py [--out STATUS.md] [-- PYTEST ARGS…]

Runs ``pytest tests/test_hostile.py`` of the tree this script is in (so a checkout of an
older revision reports on that revision), with ``HOSTILE_RECORD`` set, and turns the
recorded verdicts into a table per area, a count per category, and every failing case with
the first lines of what happened.  ``causes.toml`` next to this script holds a one-line
cause per failing case id, written by hand from the tracebacks and the code; they are
printed with the case.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent.parent
ORDER = ("traceback", "data lost", "resources", "silently accepted", "wrong exit",
         "wrong message", "harness error")


def revision() -> str:
    try:
        head = subprocess.run(["git", "-C", str(TREE), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(TREE), "status", "--porcelain", "analysis"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" with uncommitted changes in analysis/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision (not a git checkout)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "STATUS.md")
    parser.add_argument("--label", default="", help="what code was tested, for the heading")
    parser.add_argument("--causes", type=Path, default=HERE / "causes.toml",
                        help="one-line causes by case id [default: causes.toml here]")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "verdicts.jsonl"
        env = dict(os.environ, HOSTILE_RECORD=str(log),
                   PYTHONPATH=os.pathsep.join([str(TREE), os.environ.get("PYTHONPATH", "")]))
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "pytest", str(TREE / "tests" / "test_hostile.py"),
                        "-q", "-p", "no:cacheprovider", *args.pytest_args], cwd=TREE, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = time.monotonic() - started
        verdicts = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    causes = tomllib.loads(args.causes.read_text(encoding="utf-8")) if args.causes.is_file() \
        else {}
    args.out.write_text(render(verdicts, causes, args.label or revision(), took),
                        encoding="utf-8")
    failing = sum(v["category"] != "passes" for v in verdicts)
    print(f"{len(verdicts)} cases, {failing} failing; wrote {args.out}")
    return 0


def render(verdicts: list[dict[str, object]], causes: dict[str, str], label: str,
           took: float) -> str:
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for v in verdicts:
        by_area[str(v["area"])][str(v["category"])] += 1
    categories = Counter(str(v["category"]) for v in verdicts)
    failing = [v for v in verdicts if v["category"] != "passes"]
    lines = [
        "# Hostile-input corpus: status",
        "",
        f"Tested code: {label}.  {len(verdicts)} cases "
        f"({len(verdicts) - len(failing)} pass, {len(failing)} fail); the run took "
        f"{took:.0f} s.  Regenerate with `python tests/hostile/make_status.py`.",
        "",
        "Categories: **traceback** (an exception escaped, or a traceback was printed), "
        "**data lost** (a file that must keep its bytes changed, edits half-applied or "
        "dropped), **resources** (processes left running, memory out of proportion), "
        "**silently accepted** (a bad input taken with exit 0, or a file written where "
        "nothing may be), **wrong exit** (a valid input refused, or another status than "
        "expected), **wrong message** (refused, but the message lacks the file or the key "
        "fact).",
        "",
        "## By area",
        "",
        "| area | cases | pass | " + " | ".join(ORDER[:-1]) + " |",
        "|---|---:|---:|" + "---:|" * (len(ORDER) - 1),
    ]
    for area in sorted(by_area):
        counts = by_area[area]
        lines.append(f"| {area} | {sum(counts.values())} | {counts['passes']} | "
                     + " | ".join(str(counts[c] or "") for c in ORDER[:-1]) + " |")
    lines.append(f"| **all** | {len(verdicts)} | {categories['passes']} | "
                 + " | ".join(str(categories[c] or "") for c in ORDER[:-1]) + " |")
    lines += ["", "## Failing cases", ""]
    for category in ORDER:
        chosen = sorted((v for v in failing if v["category"] == category),
                        key=lambda v: (str(v["area"]), str(v["id"])))
        if not chosen:
            continue
        lines += [f"### {category} ({len(chosen)})", ""]
        for v in chosen:
            cause = causes.get(str(v["id"]), "")
            lines.append(f"- **{v['id']}** ({v['area']}): {v.get('what', '')}")
            if cause:
                lines.append(f"  - cause: {cause}")
            reasons = v["reasons"] if isinstance(v["reasons"], list) else [v["reasons"]]
            lines.append(f"  - what happened: {'; '.join(str(r) for r in reasons)[:400]}")
            output = str(v.get("output", "")).strip()
            if output:
                lines += ["", "    ```text", *("    " + line[:160]
                                                  for line in output.splitlines()[:4]),
                          "    ```", ""]
        lines.append("")
    passing = sorted(str(v["id"]) for v in verdicts if v["category"] == "passes")
    lines += ["## Passing today (keep them passing)", "", ", ".join(passing), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
