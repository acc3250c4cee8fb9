"""The report in a real client: LibreOffice converts it to PDF (skipped, with the reason,
where LibreOffice is not installed; CI installs it)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from docx import Document

from analysis.report import pdf

REASON = pdf.available()
needs_office = pytest.mark.skipif(bool(REASON), reason=f"no PDF conversion here: {REASON}")


@needs_office
def test_pdf_has_hangul_fonts_pages_and_table_text(study: Path,
                                                   run: Callable[..., Result]) -> None:
    result = run(study, "build", "--pdf")
    assert result.exit_code == 0, result.stderr
    target = study / "reports" / "benchmark-report.pdf"
    assert f"wrote {target}" in result.stdout
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"Nanum(Gothic|Myeongjo)", fonts), fonts  # a Hangul font, embedded
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 15 <= pages <= 60
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = "".join(text.split())  # pdftotext spaces Hangul and digits apart: compare unspaced
    for expected in ("제1장 분석 개요", "<표 3-1> 사례별 분석틀 요소 종합 비교",
                     "시민과 함께하는 협력적 공동체 실현", "일자리창출과(주무부서)",
                     "자료 미확인", "[부도 1] 사례별 분석틀 요소 확인 현황"):
        assert expected.replace(" ", "") in flat, expected
    start = flat.index("목차요약")
    toc = flat[start:start + 3000]
    assert re.search(r"제1장분석개요\.*\d+", toc), "the TOC carries page numbers"


def test_pdf_without_libreoffice_is_a_clear_error(study: Path, run: Callable[..., Result],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "available", lambda: "LibreOffice (soffice) is not installed")
    result = run(study, "build", "--pdf")
    assert result.exit_code == 1
    assert result.stderr.startswith("--pdf: cannot write a PDF: LibreOffice (soffice) is not "
                                    "installed\n    hint: apt-get install")
    assert "Traceback" not in result.output


@needs_office
def test_the_docx_itself_carries_page_numbers(study: Path, run: Callable[..., Result],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICY_REPORT_PAGE_NUMBERS")
    result = run(study, "build")
    assert result.exit_code == 0, result.stderr
    assert "page numbers laid out by LibreOffice" in result.stdout
    document = Document(str(study / "reports" / "benchmark-report.docx"))
    toc = {p.text.split("\t")[0]: p.text.split("\t")[-1] for p in document.paragraphs
           if re.fullmatch(r"TOC \d|Table of Figures", p.style.name)}
    assert toc["요약"] == "i"  # the front matter is numbered i, ii, …
    assert toc["제1장 분석 개요"] == "1"
    assert all(re.fullmatch(r"\d+|[ivx]+", page) for page in toc.values()), toc
    pages = [int(toc[t]) for t in ("제1장 분석 개요", "제2장 사례별 분석", "제3장 종합 비교")]
    assert pages == sorted(pages) and pages[0] < pages[-1]
    settings = zipfile.ZipFile(study / "reports" / "benchmark-report.docx").read(
        "word/settings.xml").decode("utf-8")
    assert "updateFields" not in settings


@needs_office
def test_pdf_comes_from_the_layout_pass_and_its_lists_point_at_the_right_pages(
        study: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    """--pdf runs LibreOffice once (the pass that numbers the contents also writes the PDF),
    and a caption listed in the 표 목차 sits on the page the list gives, in the PDF and the
    DOCX alike (LibreOffice's own list style would space the entries and move the pages)."""
    runs: list[str] = []
    office = pdf._office

    def counted(mode: str, docx: Path, suffixes: tuple[str, ...]) -> list[bytes]:
        runs.append(mode)
        return office(mode, docx, suffixes)

    monkeypatch.setattr(pdf, "_office", counted)
    result = run(study, "build", "--pdf")
    assert result.exit_code == 0, result.stderr
    assert runs == ["pages"]
    document = Document(str(study / "reports" / "benchmark-report.docx"))
    listed = {p.text.split("\t")[0]: p.text.split("\t")[-1] for p in document.paragraphs
              if p.style.name == "Table of Figures"}
    text = subprocess.run(["pdftotext", "-layout", str(study / "reports" /
                                                       "benchmark-report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = ["".join(page.split()) for page in text.split("\f")]
    footers = [page.split()[-1] if page.split() else "" for page in text.split("\f")]
    assert len(listed) >= 10
    for caption, number in listed.items():
        flat = "".join(caption.split())
        found = [footers[n] for n, page in enumerate(pages)
                 if re.search(re.escape(flat) + r"(?!\.)", page)]
        assert number in found, (caption, number, found)
