"""Coding sheets: one CSV per case (``sheets/<case>.csv``), one row per coded item.

The files are UTF-8 with a BOM so Excel shows Hangul, and diff cleanly in git.  Rows are
numbered as a spreadsheet numbers them (the header is row 1), so a message's row is the row a
reviewer sees in Excel or LibreOffice Calc.

Formula injection: a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` would be run as a
formula by a spreadsheet.  Such text is stored with one leading apostrophe (``'- 세부과제``),
which spreadsheets treat as "text follows"; this module writes that apostrophe and removes it
when reading.  A risky cell without it is an error that ``validate`` names.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import Problem
from analysis.fsio import atomic_write
from analysis.textio import UTF8_BOM, NotText, decode, forbidden_chars, normalise_space
from analysis.vocab import Status

COLUMNS = ("item_id", "element", "subcode", "value", "evidence", "source", "location",
           "status", "coder", "rule", "confidence", "note", "locator")
OPTIONAL = ("locator",)  # a sheet may lack these columns (sheets written before they existed)
DERIVED = ("locator",)  # worked out from other cells: not a reviewer's decision
REQUIRED = ("item_id", "element", "value", "evidence", "source", "status", "coder")
STATUSES = tuple(s.value for s in Status)
FORMULA_START = ("=", "+", "-", "@")
ESCAPE = "'"
ITEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LOCATION = re.compile(r"^(\d+)-(\d+)$")
MAX_CELL = 32767  # characters: what a spreadsheet cell holds
MAX_SHEET_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class CodedItem:
    """One coded item of one case: a framework element's value backed by verbatim evidence."""

    case: str
    item_id: str
    element: str
    value: str
    evidence: str
    source: str
    status: str
    coder: str
    subcode: str = ""
    location: str = ""
    rule: str = ""
    confidence: str = ""
    note: str = ""
    locator: str = ""  # where the evidence stands, as reports cite it: "p. 23", "표 2, 3행"
    row: int = 0  # spreadsheet row it was read from (0 when made in memory)

    @property
    def span(self) -> tuple[int, int] | None:
        """Return the evidence's (start, end) character offsets in the source file, if given."""
        match = LOCATION.match(self.location)
        return (int(match.group(1)), int(match.group(2))) if match else None

    def cells(self) -> list[str]:
        """Return the row's cells in ``COLUMNS`` order."""
        return [str(getattr(self, c)) for c in COLUMNS]


@dataclass(frozen=True)
class Sheet:
    """A coding sheet as read: its items, and how the file was encoded."""

    case: str
    path: Path
    items: tuple[CodedItem, ...]
    encoding: str = "utf-8"
    bom: bool = True


def new_item_id(case: str, element: str, source: str, evidence: str) -> str:
    """Return a stable id for a new item: ``case.element.`` + 6 hex digits of its content.

    The digits hash the source and the evidence with white space folded, so the same quote
    coded twice gets the same id, and an id never changes once written (editing a row keeps it).
    """
    key = "\x1f".join((case, element, source, normalise_space(evidence)))
    return f"{case}.{element}.{hashlib.sha1(key.encode('utf-8')).hexdigest()[:6]}"


def escape_cell(text: str) -> str:
    """Return ``text`` made safe to open in a spreadsheet (apostrophe before a formula start)."""
    if text.startswith(FORMULA_START) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


def unescape_cell(text: str) -> str:
    """Return the text a cell stands for: one leading protective apostrophe removed."""
    if text.startswith(ESCAPE) and text[1:].startswith((*FORMULA_START, ESCAPE)):
        return text[1:]
    return text


def csv_rows(rows: Iterable[Sequence[str]], newline: str = "\n") -> str:
    """Return ``rows`` as CSV text ending each row with ``newline``.

    Every cell holding a line break of any kind (LF, CR, CRLF) is quoted, so the file reads
    back as written whatever the rows end with.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # makes CR and LF both "special"
    out = []
    for row in rows:
        writer.writerow(row)
        out.append(buffer.getvalue()[:-2] + newline)
        buffer.seek(0)
        buffer.truncate()
    return "".join(out)


def render_sheet(items: Iterable[CodedItem]) -> bytes:
    """Return the bytes of a coding sheet holding ``items`` (UTF-8 with BOM, LF line ends)."""
    rows = [COLUMNS, *([escape_cell(cell) for cell in item.cells()] for item in items)]
    return UTF8_BOM + csv_rows(rows).encode("utf-8")


def write_sheet(path: Path, items: Iterable[CodedItem]) -> bool:
    """Write the sheet atomically; return False (and write nothing) when it is unchanged."""
    data = render_sheet(items)
    if path.is_file() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def appended(path: Path, items: Sequence[CodedItem]) -> bytes:
    """Return the bytes of the sheet at ``path`` with ``items`` appended, every existing byte
    kept as it is: the rows end as the file's first row does and hold the file's columns in
    the file's order (a sheet without an optional column gets rows without it)."""
    if not path.exists():
        return render_sheet(items)
    data = path.read_bytes()
    newline = "\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else "\n"
    first = decode(data).text.split("\n", 1)[0].strip()
    header = [c.strip() for c in next(csv.reader([first]))] if first else list(COLUMNS)
    columns = [c for c in header if c in COLUMNS] or list(COLUMNS)
    if data and not data.endswith(b"\n"):
        data += newline.encode()
    rows = ([escape_cell(str(getattr(item, c))) for c in columns] for item in items)
    return data + csv_rows(rows, newline).encode("utf-8")


def append_rows(path: Path, items: Sequence[CodedItem]) -> None:
    """Append ``items`` to the sheet at ``path`` (created when absent), atomically."""
    atomic_write(path, appended(path, items))


def read_sheet(path: Path, case: str, rel: str) -> tuple[Sheet, list[Problem]]:
    """Return the sheet at ``path`` and every problem found in it on its own.

    Checks here need only the file: encoding, CSV structure, columns, required cells, status,
    formula-like and control characters, duplicate ids.  Checks against the framework and
    the sources are in ``analysis.validate``.
    """
    empty = Sheet(case, path, ())
    if path.is_dir():
        return empty, [Problem(rel, None, None, "is a directory (folder), not a coding sheet",
                               "remove the folder; a sheet is a .csv file")]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return empty, [Problem(rel, None, None, f"cannot be read: {exc.strerror or exc}",
                               "check the file's permissions")]
    if len(raw) > MAX_SHEET_BYTES:
        return empty, [Problem(rel, None, None,
                               f"is {len(raw) // 1024 // 1024} MB, far more than a coding "
                               "sheet holds", "a cell may hold pasted data by mistake")]
    try:
        decoded = decode(raw)
    except NotText as exc:
        return empty, [Problem(rel, None, None, f"not a CSV text file: {exc}",
                               "export the sheet again as 'CSV UTF-8' from Excel")]
    problems: list[Problem] = []
    if decoded.encoding == "cp949":
        problems.append(Problem(
            rel, None, None, "saved as CP949/EUC-KR (Korean Excel's plain 'CSV'), not UTF-8",
            "in Excel: 다른 이름으로 저장 → 'CSV UTF-8(쉼표로 분리)(*.csv)'"))
    text = decoded.text
    if unicodedata.normalize("NFC", text) != text:
        text = unicodedata.normalize("NFC", text)
        problems.append(Problem(rel, None, None,
                                "decomposed Hangul (NFD, as macOS saves it) was read as NFC",
                                "nothing to do; saving the sheet again stores it as NFC",
                                level="note"))
    records, parse_problem = _parse(text, rel)
    if parse_problem:
        problems.append(parse_problem)
    if not records:
        problems.append(Problem(rel, None, None, "sheet is empty: no header row",
                                f"the first row must be: {','.join(COLUMNS)}"))
        return Sheet(case, path, (), decoded.encoding, decoded.bom), problems
    items = items_from_rows(records, case, rel, problems)
    return Sheet(case, path, tuple(items), decoded.encoding, decoded.bom), problems


def items_from_rows(records: Sequence[Sequence[str]], case: str, rel: str,
                    problems: list[Problem], escaped: bool = True) -> list[CodedItem]:
    """Return the items of a sheet given as rows of cells (the first row is the header).

    Shared by CSV sheets and the Excel review workbook; ``escaped`` says whether cells may
    carry the protective apostrophe of CSV files (a workbook stores text as text instead).
    """
    header = [str(h).strip() for h in records[0]]
    index = _check_header(header, rel, problems)
    items: list[CodedItem] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(records[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue
        item = _row([str(c) for c in cells], header, index, number, case, rel, problems,
                    escaped)
        if item is None:
            continue
        if item.item_id and item.item_id in seen:
            problems.append(Problem(rel, number, "item_id",
                                    f"duplicate item id {item.item_id!r} (also row "
                                    f"{seen[item.item_id]})",
                                    "give each row its own id, or delete the copy"))
        seen.setdefault(item.item_id, number)
        items.append(item)
    return items


def _parse(text: str, rel: str) -> tuple[list[list[str]], Problem | None]:
    """Return the CSV records; on a structural error, those read so far and the problem."""
    records: list[list[str]] = []
    csv.field_size_limit(MAX_SHEET_BYTES)  # oversized cells are named by the cell checks
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        row = len(records) + 1
        message = str(exc)
        if "unexpected end of data" in message or "EOF" in message:
            message = "a quoted cell is never closed: the file is truncated or a quote is missing"
            hint = 'close the quote ("), or export the sheet again'
        else:
            hint = 'put double quotes around a cell that holds commas, quotes or line breaks'
        return records, Problem(rel, row, None, f"broken CSV row: {message}", hint)
    return records, None


def _check_header(header: Sequence[str], rel: str, problems: list[Problem]) -> dict[str, int]:
    index: dict[str, int] = {}
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL]
    renamed: set[str] = set()
    for position, name in enumerate(header):
        if name in COLUMNS:
            if name in index:
                problems.append(Problem(rel, 1, name, "column appears twice",
                                        "delete one of the two columns"))
            else:
                index[name] = position
            continue
        close = difflib.get_close_matches(name, missing, n=1, cutoff=0.6)
        if close:
            renamed.add(close[0])
            problems.append(Problem(rel, 1, name or f"#{position + 1}",
                                    f"unknown column (renamed from {close[0]!r}?)",
                                    f"rename the header cell back to {close[0]!r}"))
        else:
            problems.append(Problem(rel, 1, name or f"#{position + 1}", "unknown column",
                                    f"columns are: {','.join(COLUMNS)}; delete this one"))
    for name in missing:
        if name in renamed:
            continue
        required = "required " if name in REQUIRED else ""
        problems.append(Problem(rel, 1, name, f"{required}column is missing",
                                f"add a header cell {name!r}; columns are: {','.join(COLUMNS)}"))
    return index


def _row(cells: list[str], header: Sequence[str], index: dict[str, int], number: int,
         case: str, rel: str, problems: list[Problem], escaped: bool = True
         ) -> CodedItem | None:
    if len(cells) != len(header):
        problems.append(Problem(
            rel, number, None,
            f"row has {len(cells)} cells but the header has {len(header)}",
            "the file may be truncated, or a cell holding a comma lacks quotes"))
        if len(cells) < len(header) // 2:
            return None
    values: dict[str, str] = {}
    for name in COLUMNS:
        position = index.get(name)
        raw = cells[position] if position is not None and position < len(cells) else ""
        values[name] = _cell(raw, name, number, rel, problems) if escaped else _plain(
            raw, name, number, rel, problems)
    for name in REQUIRED:
        if name in index and not values[name].strip():
            problems.append(Problem(rel, number, name, "empty required cell",
                                    f"fill in {name}, or delete the row"))
    item_id = values["item_id"].strip()
    if item_id and not ITEM_ID.match(item_id):
        problems.append(Problem(rel, number, "item_id", f"{item_id!r} is not a valid id",
                                "use ASCII letters, digits, '.', '_' or '-'"))
    elif item_id and not item_id.startswith(f"{case}."):
        other = item_id.split(".", 1)[0]
        problems.append(Problem(rel, number, "item_id",
                                f"{item_id!r} is an id of case {other!r}, not of {case!r}",
                                f"move the row to sheets/{other}.csv, or give it an id "
                                f"starting {case}."))
    status = values["status"].strip()
    if status and status not in STATUSES:
        close = difflib.get_close_matches(status.lower(), STATUSES, n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(Problem(rel, number, "status", f"unknown status {status!r}{guess}",
                                f"use one of: {', '.join(STATUSES)}"))
    confidence = values["confidence"].strip()
    if confidence:
        try:
            ok = 0.0 <= float(confidence) <= 1.0
        except ValueError:
            ok = False
        if not ok:
            problems.append(Problem(rel, number, "confidence",
                                    f"{confidence!r} is not a number from 0 to 1",
                                    "write e.g. 0.8, or leave it empty"))
    location = values["location"].strip()
    match = LOCATION.match(location)
    if location and (not match or int(match.group(1)) >= int(match.group(2))):
        problems.append(Problem(rel, number, "location", f"{location!r} is not a range",
                                "write START-END (character offsets), or leave it empty"))
    return CodedItem(
        case=case, item_id=item_id, element=values["element"].strip(),
        value=values["value"].strip(), evidence=values["evidence"], source=values["source"].strip(),
        status=status, coder=values["coder"].strip(), subcode=values["subcode"].strip(),
        location=location, rule=values["rule"].strip(), confidence=confidence,
        note=values["note"].strip(), locator=values["locator"].strip(), row=number)


def _size(raw: str, name: str, number: int, rel: str, problems: list[Problem]) -> None:
    if len(raw) > MAX_CELL:
        problems.append(Problem(rel, number, name,
                                f"cell holds {len(raw)} characters, more than a spreadsheet "
                                f"cell may ({MAX_CELL})",
                                "shorten it: quote only the sentence that is evidence"))


def _plain(raw: str, name: str, number: int, rel: str, problems: list[Problem]) -> str:
    """Check a workbook cell (text stored as text: no apostrophe to remove)."""
    _size(raw, name, number, rel, problems)
    bad = forbidden_chars(raw)
    if bad:
        problems.append(Problem(rel, number, name,
                                f"control character {', '.join(bad)} that Word cannot store",
                                "delete it (it is often pasted in from a PDF or web page)"))
    return raw


def _cell(raw: str, name: str, number: int, rel: str, problems: list[Problem]) -> str:
    _size(raw, name, number, rel, problems)
    if raw.startswith(FORMULA_START):
        problems.append(Problem(
            rel, number, name,
            f"cell starts with {raw[0]!r}, which a spreadsheet runs as a formula",
            f"write an apostrophe first ('{raw[:12]}…); policy-report removes it when reading"))
    bad = forbidden_chars(raw)
    if bad:
        problems.append(Problem(rel, number, name,
                                f"control character {', '.join(bad)} that Word cannot store",
                                "delete it (it is often pasted in from a PDF or web page)"))
    return unescape_cell(raw)
