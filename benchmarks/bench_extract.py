"""Benchmark text extraction: a long plan as PDF (about 200 pages, made by LibreOffice from a
DOCX) and as HWPX (about 100 pages), cold and once cached.

    python benchmarks/bench_extract.py [--keep DIR]

Each measurement runs in a fresh Python process, so "cold" includes importing the readers;
the extraction alone is printed beside it.  Needs LibreOffice (``soffice``) for the PDF and
python-hwpx for the HWPX (both only to make the inputs).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fixtures"))

from make_documents import Block, build_docx, build_hwpx, to_pdf  # noqa: E402

PROBE = """
import sys, time
t0, c0 = time.perf_counter(), time.process_time()
from pathlib import Path
from analysis.documents import cached_extract, extract
data = Path(sys.argv[1]).read_bytes()
t1 = time.perf_counter()
if len(sys.argv) > 2:
    doc = cached_extract(data, Path(sys.argv[2]), sys.argv[1])
else:
    doc = extract(data, sys.argv[1])
t2 = time.perf_counter()
print(t2 - t0, t2 - t1, time.process_time() - c0, len(doc.text), doc.pages or 0)
"""

PROSE = ("시는 지역 산업의 체질을 바꾸기 위하여 중소기업의 설비 교체와 공정 자동화를 지원하고, "
         "지원을 받은 기업이 고용을 유지하도록 성과를 점검한다. 사업의 추진 실적은 해마다 "
         "시민에게 공개하며, 실적이 낮은 사업은 이듬해 예산을 조정한다. ")


def long_plan(chapters: int) -> list[Block]:
    """Return a dense plan of ``chapters`` chapters (outline items, prose, a table each)."""
    blocks: list[Block] = [("title", "한빛시 지역경제 활성화 기본계획(2025~2029)")]
    for i in range(1, chapters + 1):
        blocks.append(("h1", f"제{i}장 분야별 추진과제 {i}"))
        blocks.append(("p", "□ 추진 배경"))
        for j in range(1, 6):
            blocks.append(("p", f"○ 세부사업 {i}-{j}: " + PROSE * 2))
        blocks.append(("table", [["구분", "2025", "2026", "2027"],
                                 ["국비", str(100 + i), str(120 + i), str(140 + i)],
                                 ["시비", str(50 + i), str(60 + i), str(70 + i)],
                                 ["추진전략", ["지역산업 고도화", "골목상권 회복",
                                           "청년 창업 생태계 조성"], "", ""]]))
        blocks.append(("p", PROSE * 4))
    return blocks


def measure(path: Path, cache: Path | None = None) -> tuple[float, float, float, int, int]:
    """Return (seconds, extraction seconds, CPU seconds, characters, pages) of a fresh
    process (CPU time is what a busy machine does not inflate)."""
    args = [sys.executable, "-c", PROBE, str(path)] + ([str(cache)] if cache else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=REPO).stdout
    total, extraction, cpu, chars, pages = out.split()
    return float(total), float(extraction), float(cpu), int(chars), int(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write (or reuse) the inputs in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        pdf, hwpx = folder / "long-plan.pdf", folder / "long-plan.hwpx"
        if not pdf.exists():
            pdf.write_bytes(to_pdf(build_docx(long_plan(160))))
        estimate = folder / "long-plan.hwpx.pages"
        if not hwpx.exists() or not estimate.exists():
            from hwpx.experimental import estimate_pages

            document = build_hwpx(long_plan(80))
            hwpx.write_bytes(document.to_bytes())
            estimate.write_text(str(estimate_pages(document).pages))
        for path in (pdf, hwpx):
            cache = Path(tmp) / f"cache-{path.suffix[1:]}"
            total, extraction, cpu, chars, pages = measure(path)
            measure(path, cache)  # fills the cache
            cached_total, cached_extraction, _, _, _ = measure(path, cache)
            size = (f"{pages} pages, " if pages else
                    f"about {estimate.read_text()} pages (python-hwpx's estimate), ")
            print(f"{path.suffix[1:].upper():5} {size}{chars:,} characters, "
                  f"{path.stat().st_size / 1e6:.2f} MB")
            print(f"  cold:   {total:.2f} s in a fresh process ({extraction:.2f} s extraction, "
                  f"the rest imports; {cpu:.2f} s CPU)")
            print(f"  cached: {cached_total:.2f} s in a fresh process ({cached_extraction:.3f} s "
                  f"to read the cache entry)")


if __name__ == "__main__":
    main()
