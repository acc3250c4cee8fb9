"""Recognise a source's format from its bytes (magic numbers and container contents), not
from its name; the name only helps word a refusal."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from analysis.documents.model import ExtractionError
from analysis.textio import looks_binary, looks_utf16

FORMATS = ("txt", "pdf", "hwp", "hwpx", "docx", "html")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP_SIGNATURE = b"HWP Document File"
HWPX_MIME = b"application/hwp+zip"
_HTML = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                   rb"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL)
_SUFFIX_HINT = {
    "doc": "save it as .docx (Word: 파일 > 다른 이름으로 저장) or as PDF",
    "xls": "save it as .xlsx or PDF; spreadsheets are not read as sources",
    "xlsx": "spreadsheets are not read as sources: save the sheet as PDF",
    "ppt": "save it as PDF", "pptx": "save it as PDF",
    "odt": "save it as .docx or PDF",
    "rtf": "save it as .docx or PDF",
}


def detect(data: bytes, name: str = "") -> str:
    """Return the format of ``data`` (``txt``, ``pdf``, ``hwp``, ``hwpx``, ``docx`` or
    ``html``); raise ``ExtractionError`` for anything else."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not data.strip():
        raise ExtractionError("the file is empty", "add the document itself, not an empty file")
    head = data[:1024]
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return _ole_format(data, suffix)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_format(data, suffix)
    if data.startswith(b"HWP Document File"):
        raise ExtractionError("an HWP 3.x (or older) file, which this tool cannot read",
                              "open it in 한글 and save it as HWPX (.hwpx) or HWP 5 (.hwp)")
    if looks_utf16(data):
        raise ExtractionError("saved as UTF-16 (Windows 'Unicode'), not UTF-8",
                              "open it in 메모장 and save it again with 인코딩 UTF-8")
    if not looks_binary(data):
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        return "html" if _HTML.match(body[:4096]) else "txt"
    hint = _SUFFIX_HINT.get(suffix, "save it as PDF, DOCX, HWPX or plain text (.txt)")
    raise ExtractionError("not a format this tool reads (PDF, HWP, HWPX, DOCX, HTML or text)",
                          hint)


def _ole_format(data: bytes, suffix: str) -> str:
    import olefile  # type: ignore[import-untyped]

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError) as exc:
        raise ExtractionError(f"a damaged OLE compound file ({exc})",
                              "copy or download the file again") from exc
    with ole:
        if ole.exists("FileHeader") and ole.openstream("FileHeader").read(17) == HWP_SIGNATURE:
            return "hwp"
        if ole.exists("EncryptedPackage"):
            raise ExtractionError("a password-protected Office document",
                                  "remove the password (save a copy without it) and add that")
    hint = _SUFFIX_HINT.get(suffix, "save it as PDF, DOCX or HWPX")
    raise ExtractionError("an old Office (OLE) file that is not HWP, which this tool cannot read",
                          hint)


def _zip_format(data: bytes, suffix: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            KeyError, ValueError, EOFError) as exc:
        raise ExtractionError(f"a damaged zip container ({exc})",
                              "copy or download the file again; if it opens in its program, "
                              "save it again from there") from exc
    if "word/document.xml" in names:
        return "docx"
    if mimetype == HWPX_MIME or any(re.fullmatch(r"Contents/section\d+\.xml", n) for n in names):
        return "hwpx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        suffix = "odt"
    elif "xl/workbook.xml" in names:
        suffix = "xlsx"
    elif "ppt/presentation.xml" in names:
        suffix = "pptx"
    hint = _SUFFIX_HINT.get(suffix, "save it as PDF, DOCX or HWPX")
    raise ExtractionError("a zip file that is neither DOCX nor HWPX", hint)
