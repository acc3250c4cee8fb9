"""DOCX → PDF through LibreOffice, with the table of contents' page numbers filled in.

LibreOffice's ``uno`` module lives in the system Python (Debian's python3-uno), not in a
virtual environment, so the update pass runs ``uno_pdf.py`` with ``/usr/bin/python3``.  The
fonts the DOCX names (바탕, 맑은 고딕, 함초롬…) are mapped to the Nanum fonts for the PDF by a
fontconfig file made for the run.
"""

from __future__ import annotations

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


def convert(docx: Path, target: Path) -> Path:
    """Write ``target`` (PDF) from ``docx``; raise a clear error when LibreOffice is missing."""
    why = available()
    if why:
        raise PolicyReportError(Problem(
            "--pdf", None, None, f"cannot write a PDF: {why}",
            "apt-get install libreoffice-writer-nogui python3-uno fonts-nanum, "
            "or build without --pdf"))
    script = Path(__file__).with_name("uno_pdf.py")
    with tempfile.TemporaryDirectory(prefix="policy-report-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(folder))}
        out = folder / "out.pdf"
        result = subprocess.run([SYSTEM_PYTHON, str(script), str(docx.resolve()), str(out),
                                 str(folder / "profile")], env=env, capture_output=True,
                                text=True, timeout=600)
        if result.returncode != 0 or not out.is_file():
            raise PolicyReportError(Problem(
                str(docx), None, None,
                f"LibreOffice could not convert it: {(result.stderr or result.stdout)[-300:]}",
                "open the DOCX in LibreOffice to see whether it loads"))
        atomic_write(target, out.read_bytes())
    return target
