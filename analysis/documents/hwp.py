"""HWP 5.x binary: the OLE container (olefile) and its ``BodyText/Section*`` record streams
(zlib), read record by record.

A paragraph is an ``HWPTAG_PARA_HEADER`` record whose children hold its text
(``HWPTAG_PARA_TEXT``, UTF-16 with control characters) and one ``HWPTAG_CTRL_HEADER`` per
extended control in the text: a table (``tbl``: ``HWPTAG_TABLE``, then one ``LIST_HEADER``
per cell followed by the cell's paragraphs), a footnote (``fn``), a drawing with a text box
(``gso``), a header or footer (left out) ...  Format: 한글 문서 파일 형식 5.0 (Hancom).
"""

from __future__ import annotations

import io
import struct
import zlib
from array import array
from dataclasses import dataclass, field

from analysis.documents.model import Document, ExtractionError
from analysis.documents.numbers import HWPX_FORMATS, ParagraphHeads, hangul_bullet
from analysis.documents.structured import Emitter, cell_text, headed

PARA_HEADER, PARA_TEXT, CTRL_HEADER, LIST_HEADER, TABLE = 66, 67, 71, 72, 77
NUMBERING, BULLET, PARA_SHAPE = 23, 24, 25  # DocInfo records
HEAD_KINDS = ("NONE", "OUTLINE", "NUMBER", "BULLET")  # PARA_SHAPE property bits 23-24
# 문단 머리 정보 property bits 5-9, in OWPML's names
NUMBER_FORMATS = ("DIGIT", "CIRCLED_DIGIT", "ROMAN_CAPITAL", "ROMAN_SMALL", "LATIN_CAPITAL",
                  "LATIN_SMALL", "CIRCLED_LATIN_CAPITAL", "CIRCLED_LATIN_SMALL",
                  "HANGUL_SYLLABLE", "CIRCLED_HANGUL_SYLLABLE", "HANGUL_JAMO",
                  "CIRCLED_HANGUL_JAMO", "HANGUL_PHONETIC", "IDEOGRAPH", "CIRCLED_IDEOGRAPH")
# Control characters in PARA_TEXT: "char" controls take one UTF-16 unit, inline and extended
# controls eight (the code, six units of parameters, the code again).
EXTENDED = frozenset({1, 2, 3, 11, 12, 14, 15, 16, 17, 18, 21, 22, 23})
INLINE = frozenset({4, 5, 6, 7, 8, 9, 19, 20})
# FileHeader property bits that keep the body from being read.
LOCKS = {0x02: "protected by a password",
         0x04: "a distribution document (배포용 문서), whose body is encrypted",
         0x10: "protected by DRM",
         0x100: "encrypted with a certificate"}
CORRUPT_HINT = "open it in 한글 and save it again (or save it as HWPX or PDF), then add that"


@dataclass
class Record:
    """One record of a section stream and the records nested under it."""

    tag: int
    level: int
    data: bytes
    children: list[Record] = field(default_factory=list)


def read(data: bytes) -> Document:
    """Return the text of an HWP 5 file, paragraphs and table rows numbered."""
    import olefile  # type: ignore[import-untyped]

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError) as exc:
        raise ExtractionError(f"the HWP file is damaged ({exc})", CORRUPT_HINT) from exc
    with ole:
        try:
            header = ole.openstream("FileHeader").read()
            _check_header(header)
            compressed = bool(struct.unpack_from("<I", header, 36)[0] & 0x01)
            streams = sorted((entry for entry in ole.listdir()
                              if len(entry) == 2 and entry[0] == "BodyText"
                              and entry[1].startswith("Section")),
                             key=lambda e: int(e[1][7:] or 0))
            bodies = [ole.openstream(entry).read() for entry in streams]
            docinfo = ole.openstream("DocInfo").read() if ole.exists("DocInfo") else b""
        except (OSError, ValueError, struct.error) as exc:
            raise ExtractionError(f"the HWP file is damaged ({exc})", CORRUPT_HINT) from exc
        meta = _meta(ole)
    if not bodies:
        raise ExtractionError("the HWP file has no body text (no BodyText/Section streams)",
                              CORRUPT_HINT)
    emit = Emitter()
    emit.numbering = _heads(docinfo, compressed)
    for body in bodies:
        try:
            raw = zlib.decompress(body, -15) if compressed else body
            roots = _tree(_records(raw))
        except (zlib.error, struct.error, ValueError) as exc:
            raise ExtractionError(f"the HWP file is damaged ({exc})", CORRUPT_HINT) from exc
        if emit.numbering is not None:
            emit.numbering.outline = _outline_of(roots) or emit.numbering.outline
        for record in roots:
            if record.tag == PARA_HEADER:
                _paragraph(record, emit)
    return emit.build("hwp", meta)


def _check_header(header: bytes) -> None:
    if len(header) < 40 or not header.startswith(b"HWP Document File"):
        raise ExtractionError("the HWP file has no valid FileHeader", CORRUPT_HINT)
    version = struct.unpack_from("<I", header, 32)[0]
    if version >> 24 != 5:
        raise ExtractionError(f"an HWP {version >> 24}.x file; only HWP 5 is read",
                              "open it in 한글 and save it as HWPX, then add that")
    flags = struct.unpack_from("<I", header, 36)[0]
    for bit, what in LOCKS.items():
        if flags & bit:
            raise ExtractionError(f"the HWP file is {what}",
                                  "open it in 한글, remove the protection (보안 > 문서 암호 "
                                  "해제 / 배포용 문서 해제) and save a copy, or save it as "
                                  "PDF, then add that")


def _meta(ole: object) -> dict[str, str]:
    """Return title and author from the HWP summary information, where present."""
    meta: dict[str, str] = {}
    try:
        stream = "\x05HwpSummaryInformation"
        if ole.exists(stream):  # type: ignore[attr-defined]
            props = ole.getproperties(stream, convert_time=False)  # type: ignore[attr-defined]
            for pid, name in ((2, "title"), (4, "author")):
                value = props.get(pid)
                if isinstance(value, bytes):
                    value = value.decode("utf-16-le", "ignore")
                if isinstance(value, str):
                    value = value.split("\x00", 1)[0].strip()  # some writers miscount
                    if value:
                        meta[name] = value
    except (OSError, ValueError, struct.error):
        pass  # the summary is optional; the body is what matters
    return meta


def _records(raw: bytes) -> list[Record]:
    """Return the flat list of records of a decompressed section stream."""
    out: list[Record] = []
    pos, end = 0, len(raw)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        (head,) = unpack("<I", raw, pos)
        pos += 4
        tag, level, size = head & 0x3FF, (head >> 10) & 0x3FF, head >> 20
        if size == 0xFFF:
            (size,) = unpack("<I", raw, pos)
            pos += 4
        if pos + size > end:
            raise ValueError(f"record {len(out)} runs past the end of the stream")
        out.append(Record(tag, level, raw[pos:pos + size]))
        pos += size
    return out


def _tree(records: list[Record]) -> list[Record]:
    """Return the top-level records with every record nested under the one before it that
    has a lower level."""
    roots: list[Record] = []
    stack: list[Record] = []
    for record in records:
        while stack and stack[-1].level >= record.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(record)
        stack.append(record)
    return roots


def _paragraph(para: Record, emit: Emitter) -> None:
    """Add a paragraph's text, and the tables, text boxes and notes its controls hold, in
    the order they stand in the text."""
    notes: list[tuple[str, str]] = []
    controls = iter([c for c in para.children if c.tag == CTRL_HEADER])
    head = [_label(para, emit.numbering)]  # shown before the paragraph's first text only
    buf: list[str] = []
    for piece in _pieces(para):
        if isinstance(piece, str):
            buf.append(piece)
            continue
        ctrl = next(controls, None)
        if ctrl is None:
            continue
        kind = ctrl.data[:4][::-1].decode("latin-1")
        if kind == "tbl ":
            _flush(buf, head, emit)
            emit.table(_table(ctrl, emit.numbering))
        elif kind in ("fn  ", "en  "):
            notes.append(("footnote" if kind == "fn  " else "endnote",
                          " / ".join(_texts(ctrl.children))))
        elif kind == "gso ":
            _flush(buf, head, emit)
            for inner in _descendant_paragraphs(ctrl):
                _paragraph(inner, emit)
    _flush(buf, head, emit)
    for kind, text in notes:
        emit.note(text, kind)


def _flush(buf: list[str], head: list[str], emit: Emitter) -> None:
    """Add the text gathered so far as a paragraph, after the paragraph's head if not yet
    given."""
    emit.paragraph(headed(head[0], "".join(buf)))
    head[0] = ""
    buf.clear()


def _label(para: Record, heads: ParagraphHeads | None) -> str:
    """Return the head 한글 shows before a paragraph (its PARA_HEADER's paragraph shape)."""
    if heads is None or len(para.data) < 10:
        return ""
    return heads.label(str(struct.unpack_from("<H", para.data, 8)[0]))


def _pieces(para: Record) -> list[str | int]:
    """Return a paragraph's text as strings, with each extended control as its code."""
    text = next((c.data for c in para.children if c.tag == PARA_TEXT), b"")
    units = array("H")
    units.frombytes(text[: len(text) // 2 * 2])
    if units.itemsize != 2:  # pragma: no cover - array('H') is 2 bytes on every platform
        raise ValueError("unexpected array item size")
    out: list[str | int] = []
    i, n = 0, len(units)
    start = 0
    while i < n:
        code = units[i]
        if code >= 32:
            i += 1
            continue
        if start < i:
            out.append(text[start * 2:i * 2].decode("utf-16-le", "replace"))
        if code in EXTENDED:
            out.append(code)
            i += 8
        elif code in INLINE:
            if code == 9:
                out.append(" ")
            i += 8
        else:
            if code == 10:
                out.append("\n")
            elif code in (30, 31):
                out.append(" ")
            elif code == 24:
                out.append("-")
            i += 1
        start = i
    if start < n:
        out.append(text[start * 2:n * 2].decode("utf-16-le", "replace"))
    return out


def _plain(para: Record) -> str:
    """Return a paragraph's own text, without what its controls hold."""
    return "".join(p for p in _pieces(para) if isinstance(p, str))


def _texts(records: list[Record], heads: ParagraphHeads | None = None) -> list[str]:
    """Return the texts of the paragraphs among ``records`` (a cell, a note), with the cells of
    tables nested in them, in order, each after the head 한글 shows for it."""
    out: list[str] = []
    for record in records:
        if record.tag != PARA_HEADER:
            continue
        label = _label(record, heads)
        text = _plain(record)
        if text.strip():
            out.append(headed(label, text))
        for ctrl in record.children:
            if ctrl.tag == CTRL_HEADER and ctrl.data[:4][::-1] == b"tbl ":
                out.extend(cell for row in _table(ctrl, heads) for cell in row if cell)
    return out


def _table(ctrl: Record, heads: ParagraphHeads | None = None) -> list[list[str]]:
    """Return a table's rows of cell texts, by the row and column each cell's list header
    names (a merged cell is read once, in the first row and column it covers)."""
    children = ctrl.children
    start = next((i for i, r in enumerate(children) if r.tag == TABLE), None)
    if start is None:
        return []
    cells: list[tuple[int, int, list[Record]]] = []
    for record in children[start + 1:]:
        if record.tag == LIST_HEADER:
            col, row = (struct.unpack_from("<HH", record.data, 8) if len(record.data) >= 12
                        else (len(cells), 0))
            cells.append((row, col, []))
        elif cells:
            cells[-1][2].append(record)
    rows: dict[int, list[tuple[int, str]]] = {}
    for row, col, records in cells:
        rows.setdefault(row, []).append((col, cell_text(_texts(records, heads))))
    return [[text for _, text in sorted(rows[r])] for r in sorted(rows)]


def _descendant_paragraphs(ctrl: Record) -> list[Record]:
    """Return the outermost paragraphs under a drawing control (its text boxes)."""
    out: list[Record] = []
    stack = list(reversed(ctrl.children))
    while stack:
        record = stack.pop()
        if record.tag == PARA_HEADER:
            out.append(record)
        else:
            stack.extend(reversed(record.children))
    return out


# ---- paragraph heads (문단 번호, 개요 번호, 글머리표) -----------------------------------------


def _heads(docinfo: bytes, compressed: bool) -> ParagraphHeads | None:
    """Return the numberings, bullets and paragraph shapes' heads of the DocInfo stream (None
    when no paragraph shape has a head, or the stream cannot be read: numbers are a help, a
    damaged stream only loses them)."""
    try:
        raw = zlib.decompress(docinfo, -15) if compressed and docinfo else docinfo
        records = _records(raw)
        heads = ParagraphHeads()
        shapes = numberings = bullets = 0
        for record in records:
            data = record.data
            if record.tag == NUMBERING:
                numberings += 1
                heads.numberings[str(numberings)] = _numbering(data)
            elif record.tag == BULLET and len(data) >= 14:
                bullets += 1
                char = chr(struct.unpack_from("<H", data, 12)[0])
                heads.bullets[str(bullets)] = hangul_bullet(char.strip("\x00"))
            elif record.tag == PARA_SHAPE:
                if len(data) >= 32:
                    props, ref = struct.unpack_from("<I", data, 0)[0], data[30] | data[31] << 8
                    kind = HEAD_KINDS[(props >> 23) & 0x3]
                    level = (struct.unpack_from("<I", data, 54)[0] if len(data) >= 58
                             else (props >> 25) & 0x7)
                    if kind != "NONE":
                        heads.shapes[str(shapes)] = (kind, str(ref), level + 1)
                shapes += 1
    except (zlib.error, struct.error, ValueError, UnicodeDecodeError):
        return None
    return heads if heads.shapes else None


def _numbering(data: bytes) -> dict[int, tuple[str, str, int]]:
    """Return a NUMBERING record's levels: seven heads (12 bytes of 문단 머리 정보, then the
    format text), the start number, the seven levels' start numbers (5.0.2.5+), then three
    more heads and their start numbers (levels 8 to 10, newer files)."""
    pos = 0
    heads: list[tuple[str, str]] = []

    def head() -> tuple[str, str]:
        nonlocal pos
        props = struct.unpack_from("<I", data, pos)[0]
        (count,) = struct.unpack_from("<H", data, pos + 12)
        text = data[pos + 14:pos + 14 + count * 2].decode("utf-16-le", "replace")
        pos += 14 + count * 2
        code = (props >> 5) & 0x1F
        fmt = NUMBER_FORMATS[code] if code < len(NUMBER_FORMATS) else "DIGIT"
        return HWPX_FORMATS.get(fmt, "decimal"), text

    for _ in range(7):
        heads.append(head())
    (start,) = struct.unpack_from("<H", data, pos)
    pos += 2
    starts = [start or 1] * 7
    if len(data) - pos >= 28:
        starts = list(struct.unpack_from("<7I", data, pos))
        pos += 28
    try:
        more = [head() for _ in range(3)]
        heads += more
        starts += list(struct.unpack_from("<3I", data, pos))
    except struct.error:
        pass
    return {level: (fmt, text, starts[level - 1] if level - 1 < len(starts) else 1)
            for level, (fmt, text) in enumerate(heads, start=1)}


def _outline_of(roots: list[Record]) -> str | None:
    """Return the outline numbering a section's definition (``secd``) names."""
    for para in roots[:1]:
        for ctrl in para.children:
            if ctrl.tag == CTRL_HEADER and ctrl.data[:4][::-1] == b"secd" \
                    and len(ctrl.data) >= 20:
                return str(struct.unpack_from("<H", ctrl.data, 18)[0])
    return None
