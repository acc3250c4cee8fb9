"""A new study from real document formats: init, add-case with a PDF, HWP, HWPX, DOCX and a
saved news page, code, review, build; the report cites the pages of the PDF."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from analysis.cli import main
from analysis.sheets import read_sheet

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_study_of_plans_cites_their_pages(tmp_path: Path) -> None:
    root = tmp_path / "study"
    cli("init", str(root), "--title", "한빛시 지역경제 연구")
    added = cli("--root", str(root), "add-case", "hanbit", "--name", "한빛시",
                *(a for f in ("plan.pdf", "plan.hwp", "plan.hwpx", "plan.docx", "news.html")
                  for a in ("--source", str(FIXTURES / f))))
    assert "pdf, 5 pages" in added and "hwp," in added and "hwpx," in added
    assert "from the file: headline, date, publisher" in added  # the web page's own metadata
    registry = (root / "cases.toml").read_text(encoding="utf-8")
    assert 'publisher = "한빛일보"' in registry and registry.count("sha256 = ") == 5
    cli("--root", str(root), "code", "-q")
    sheet = root / "sheets" / "hanbit.csv"
    items, problems = read_sheet(sheet, "hanbit", "sheets/hanbit.csv")
    assert problems == [] and items.items
    pdf_items = [i for i in items.items if i.source == "hanbit-1"]
    assert pdf_items and all(re.match(r"p\. \d", i.locator) for i in pdf_items)  # p. 3, 표 1, 3행
    # a reviewer accepts every suggestion
    sheet.write_text(sheet.read_text(encoding="utf-8-sig").replace(",suggested,", ",accepted,"),
                     encoding="utf-8-sig")
    cli("--root", str(root), "validate")
    cli("--root", str(root), "build", "-q")
    document = Document(str(root / "reports" / "benchmark-report.docx"))
    sources = [p.text for p in document.paragraphs if p.text.startswith("자료:")]
    assert any(re.search(r"「한빛시 지역경제 활성화 기본계획」, p\. \d", s) for s in sources)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(re.search(r"\np\. \d$", c) for c in cells)  # the appendix: source and page
    assert not any("hanbit-1" in c for c in cells)  # never an internal source id
