"""Does a study whose sources are PDFs code and build as fast as one whose sources are text?

Makes two new studies from the seed texts: one registers each seed as it is (.txt), the
other the same text printed to PDF by LibreOffice.  Prints the seconds of `validate`
(extraction, cold then cached), `code` and `build` for each.  Needs `soffice`.

    python benchmarks/bench_sources.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = [("changwon", "창원시", "000_14a323ed3c2bbd92"),
         ("jeonju", "전주시", "001_7766f06f54c7cb55"),
         ("wanju", "완주군", "002_8fc914f1ecfbe504"),
         ("cheongju", "청주시", "003_a98901e573a42a66"),
         ("ulsan", "울산광역시", "004_4a12fc6ad7d7aea4")]


def run(root: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "--root", str(root), *args], check=True,
                   capture_output=True)
    return time.perf_counter() - started


def study(folder: Path, suffix: str, pdfs: Path) -> Path:
    subprocess.run([sys.executable, "-m", "analysis", "init", str(folder)], check=True,
                   capture_output=True)
    for case_id, name, seed in CASES:
        source = (REPO / "seeds" / f"{seed}.txt") if suffix == ".txt" else pdfs / f"{seed}.pdf"
        subprocess.run([sys.executable, "-m", "analysis", "--root", str(folder), "add-case",
                        case_id, "--name", name, "--source", str(source)], check=True,
                       capture_output=True)
    shutil.rmtree(folder / "reports" / ".cache", ignore_errors=True)  # extraction cold
    return folder


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("needs LibreOffice (soffice)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdfs = work / "pdf"
        pdfs.mkdir()
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(pdfs),
                        *(str(REPO / "seeds" / f"{s}.txt") for _, _, s in CASES)],
                       check=True, capture_output=True)
        for suffix in (".txt", ".pdf"):
            root = study(work / suffix[1:], suffix, pdfs)
            cold = run(root, "validate")
            warm = run(root, "validate")
            code = run(root, "code", "-q")
            build = run(root, "build", "-q")
            rebuild = run(root, "build", "-q")
            print(f"{suffix[1:]:4} sources: validate cold {cold:5.2f} s, cached {warm:5.2f} s; "
                  f"code {code:5.2f} s; build {build:5.2f} s, again {rebuild:5.2f} s")


if __name__ == "__main__":
    main()
