"""Compare text extractors on the committed fixtures (and, for speed, on the long plans that
``bench_extract.py --keep DIR`` leaves in DIR): prints one markdown table per format.

    python benchmarks/compare_extractors.py [DIR]

Candidates that are not installed are listed as such.  Checks: Hangul and whole sentences
(a paragraph broken over lines read as one), table rows kept as rows with their cells apart,
footnotes, running headers left out, no stray spaces; for web pages, the body kept and the
site furniture dropped.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURES = REPO / "tests" / "fixtures" / "documents"
LONG_SENTENCE = "하나의 틀로 묶은 중기 계획을 처음으로 마련하였다"  # wraps in plan.pdf
ROW_CELLS = ("추진전략", "지역산업 고도화", "골목상권 회복", "청년 창업 생태계 조성")
NOTE = "시민 토론회는 2024년 9월 두 차례 열렸다."
HEADER = "한빛시 지역경제 활성화 기본계획"
FURNITURE = ("관련 기사", "많이 본 뉴스", "Copyright", "광고", "로그인", "이전글", "만족하십니까",
             "COPYRIGHT", "홈 >", "보도자료 상세보기")
BODY = ("확정했다고 3일 밝혔다", "추진 실적을 공개하겠다", "임대료의 80%와 공동 마케팅",
        "월 임대료의 80%, 최대 2년", "골목상권에도 활기가 돌 것")

Reader = Callable[[bytes], str]


def ours(data: bytes) -> str:
    from analysis.documents import extract

    return extract(data).text


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdfium_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def python_hwpx_text(data: bytes) -> str:
    from hwpx import HwpxDocument

    return str(HwpxDocument.open(io.BytesIO(data)).text.plain())


def hwp_hwpx_parser_text(data: bytes, suffix: str) -> str:
    import tempfile

    from hwp_hwpx_parser import Reader as Parser

    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        with Parser(tmp.name) as reader:
            return str(reader.text)


def gethwp_text(data: bytes, suffix: str) -> str:
    import tempfile

    import gethwp

    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        return str(gethwp.read_hwp(tmp.name) if suffix == ".hwp" else gethwp.read_hwpx(tmp.name))


def trafilatura_text(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, include_tables=True) or ""


def readability_text(data: bytes) -> str:
    import lxml.html
    from readability import Document

    return str(lxml.html.fromstring(Document(data).summary(html_partial=True)).text_content())


def _row_ok(text: str) -> str:
    for line in text.splitlines():
        if all(cell in line for cell in ROW_CELLS):
            apart = "골목상권 회복 / " in line or "골목상권 회복 | " in line
            return "yes" if apart else "a cell's paragraphs run together"
    return "no (cells on separate lines)"


def timed(reader: Reader, data: bytes) -> tuple[str | None, float, str]:
    try:
        start = time.perf_counter()
        text = reader(data)
        return text, time.perf_counter() - start, ""
    except ImportError as exc:
        return None, 0.0, f"not installed ({exc.name})"
    except Exception as exc:  # a candidate failing is a result, not a crash
        return None, 0.0, f"fails: {type(exc).__name__}: {exc}"[:80]


def plan_table(title: str, fixture: str, long_file: Path | None,
               readers: dict[str, Reader]) -> None:
    data = (FIXTURES / fixture).read_bytes()
    long = long_file.read_bytes() if long_file and long_file.exists() else None
    print(f"\n### {title} ({fixture}{', ' + long_file.name if long else ''})\n")
    print("| candidate | fixture s | long plan s | wrapped line joined | table row | footnote | "
          "running header gone | stray spaces (3 년) | garbage chars |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, reader in readers.items():
        text, seconds, problem = timed(reader, data)
        if text is None:
            print(f"| {name} | {problem} | | | | | | | |")
            continue
        long_s = f"{timed(reader, long)[1]:.2f}" if long else "-"
        flat = " ".join(text.split())
        garbage = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch == "\ufffd")
        print(f"| {name} | {seconds:.3f} | {long_s} | "
              f"{'yes' if LONG_SENTENCE in text else ('no' if LONG_SENTENCE in flat else '?')} | "
              f"{_row_ok(text)} | {'yes' if NOTE in text else 'no'} | "
              f"{'yes' if text.count(HEADER) <= 1 else f'no ({text.count(HEADER)}×)'} | "
              f"{'yes' if '3 년' in text or '2 만' in text else 'no'} | {garbage} |")


def web_table(readers: dict[str, Reader]) -> None:
    print("\n### Web pages (news.html, press.htm)\n")
    print("| candidate | seconds | body sentences kept | furniture left |")
    print("|---|---|---|---|")
    for name, reader in readers.items():
        texts, total, problem = [], 0.0, ""
        for fixture in ("news.html", "press.htm"):
            text, seconds, problem = timed(reader, (FIXTURES / fixture).read_bytes())
            texts.append(text or "")
            total += seconds
        if problem:
            print(f"| {name} | {problem} | | |")
            continue
        flat = " ".join(" ".join(texts).split())
        kept = sum(1 for phrase in BODY if phrase in flat)
        left = [f for f in FURNITURE if f in flat]
        print(f"| {name} | {total:.3f} | {kept}/{len(BODY)} | {', '.join(left) or 'none'} |")


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    long_pdf = folder / "long-plan.pdf" if folder else None
    long_hwpx = folder / "long-plan.hwpx" if folder else None
    long_hwp = folder / "long-plan.hwp" if folder else None
    if long_hwpx and long_hwpx.exists() and long_hwp and not long_hwp.exists():
        from hwpx import HwpxDocument

        long_hwp.write_bytes(HwpxDocument.open(long_hwpx).to_bytes(format="hwp"))
    plan_table("PDF", "plan.pdf", long_pdf, {
        "analysis.documents (pypdfium2 + own layout)": ours,
        "pdfplumber 0.11 extract_text": pdfplumber_text,
        "pypdfium2 get_text_range": pdfium_text,
    })
    for fmt, suffix, long_file in (("HWPX", ".hwpx", long_hwpx), ("HWP 5", ".hwp", long_hwp)):
        plan_table(fmt, f"plan{suffix}", long_file, {
            f"analysis.documents ({'lxml' if suffix == '.hwpx' else 'olefile + records'})": ours,
            "python-hwpx text.plain()": python_hwpx_text,
            "hwp-hwpx-parser Reader.text": lambda d, s=suffix: hwp_hwpx_parser_text(d, s),
            "gethwp": lambda d, s=suffix: gethwp_text(d, s),
        })
    web_table({
        "analysis.documents (furniture strip + readability-lxml)": ours,
        "trafilatura 2.x extract": trafilatura_text,
        "readability-lxml alone": readability_text,
    })


if __name__ == "__main__":
    main()
