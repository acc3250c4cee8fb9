"""LibreOffice as the build's layout engine: the page numbers of the tables of contents, and
DOCX → PDF.

LibreOffice's ``uno`` module lives in the system Python (Debian's python3-uno), not in a
virtual environment, so ``uno_office.py`` runs with ``/usr/bin/python3``.  The fonts the DOCX
names (바탕, 맑은 고딕, 함초롬…) are mapped to the Nanum fonts by a fontconfig file made for
the run, so the layout (and the page numbers) are those of the PDF.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.errors import PolicyReportError, Problem
from analysis.fsio import atomic_write
from analysis.report.charts import hangul_font

SYSTEM_PYTHON = "/usr/bin/python3"
ALIASES = {
    "NanumMyeongjo": ("바탕", "Batang", "바탕체", "함초롬바탕", "HCR Batang", "Noto Serif CJK KR"),
    "NanumGothic": ("맑은 고딕", "Malgun Gothic", "돋움", "Dotum", "굴림", "Gulim", "함초롬돋움",
                    "HCR Dotum", "Noto Sans CJK KR"),
}


def available() -> str:
    """Return "" when PDF conversion can run here, else why not (for messages and skips)."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed"
    if not Path(SYSTEM_PYTHON).is_file():
        return f"{SYSTEM_PYTHON} is missing"
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if check.returncode != 0:
        return "LibreOffice's Python bridge (python3-uno) is not installed"
    return ""


def fontconfig(folder: Path) -> Path:
    """Write a fontconfig file mapping the DOCX's font names to Nanum fonts; return its path."""
    aliases = "".join(
        f"<alias binding=\"same\"><family>{name}</family><prefer><family>{target}</family>"
        "</prefer></alias>" for target, names in ALIASES.items() for name in names)
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{hangul_font().parent}</dir>{aliases}</fontconfig>", encoding="utf-8")
    return path


def _office(mode: str, docx: Path, suffixes: tuple[str, ...]) -> list[bytes]:
    """Run ``uno_office.py MODE`` on ``docx``; return what it wrote, one file per suffix."""
    script = Path(__file__).with_name("uno_office.py")
    with tempfile.TemporaryDirectory(prefix="policy-report-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(folder))}
        outs = [folder / f"out{suffix}" for suffix in suffixes]
        result = subprocess.run([SYSTEM_PYTHON, str(script), mode, str(docx.resolve()),
                                 str(outs[0]), str(folder / "profile"), *map(str, outs[1:])],
                                env=env, capture_output=True, text=True, timeout=600)
        if result.returncode != 0 or not all(out.is_file() for out in outs):
            raise PolicyReportError(Problem(
                str(docx), None, None,
                f"LibreOffice could not lay it out: {(result.stderr or result.stdout)[-300:]}",
                "open the DOCX in LibreOffice to see whether it loads"))
        return [out.read_bytes() for out in outs]


def page_numbers(docx: bytes, with_pdf: bool = False
                 ) -> tuple[list[list[tuple[str, str]]], bytes | None]:
    """Return, for each table of contents of ``docx`` in document order, its entries with
    the page numbers LibreOffice lays them out on: [[(title, page), …], …]; with
    ``with_pdf``, also the PDF of that same layout (its contents numbered by LibreOffice)."""
    with tempfile.TemporaryDirectory(prefix="policy-report-") as tmp:
        path = Path(tmp) / "layout.docx"
        path.write_bytes(docx)
        written = _office("pages", path, (".json", ".pdf") if with_pdf else (".json",))
    found = json.loads(written[0].decode("utf-8"))
    pages = [[(str(t), str(p)) for t, p in index["entries"]] for index in found]
    return pages, written[1] if with_pdf else None


def convert(docx: Path, target: Path) -> Path:
    """Write ``target`` (PDF) from ``docx``; raise a clear error when LibreOffice is missing."""
    why = available()
    if why:
        raise PolicyReportError(Problem(
            "--pdf", None, None, f"cannot write a PDF: {why}",
            "apt-get install libreoffice-writer-nogui python3-uno fonts-nanum, "
            "or build without --pdf"))
    atomic_write(target, _office("pdf", docx, (".pdf",))[0])
    return target
