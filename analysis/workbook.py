"""The Excel review workbook: ``sheets export`` and ``sheets import``.

Export writes one worksheet per case (the coding sheet's columns, plus the sentence around
each item's evidence), a codebook sheet, drop-down lists for element, sub-code and status, a
frozen header and wrapped text.  Every cell is stored as text, never as a formula.  A hidden
sheet records what was exported, so that import can refuse a workbook that is stale (the CSV
sheets changed since) and notice rows that were deleted.

Import checks the whole workbook the way ``validate`` checks CSV sheets and writes nothing
unless every row is sound; then it rewrites only the CSV sheets whose items changed.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analysis.errors import PolicyReportError, Problem
from analysis.fsio import atomic_write, replace_all
from analysis.model import StudyData
from analysis.sheets import COLUMNS, STATUSES, CodedItem, items_from_rows, render_sheet
from analysis.textio import normalise_space
from analysis.validate import check_items

META = "_meta"
CODEBOOK = "codebook"
CONTEXT = "context"
CASE_MARK = "case:"  # a hidden header cell before "context": which case the worksheet holds
FORMAT = "policy-report review workbook 1"
TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
MAX_UNPACKED = 256 * 1024 * 1024  # bytes of XML a workbook may unpack to
WIDTHS = {"item_id": 22, "element": 13, "subcode": 14, "value": 36, "evidence": 44,
          "source": 16, "location": 11, "status": 11, "coder": 11, "rule": 18,
          "confidence": 10, "note": 28, CONTEXT: 60}
CONTEXT_CHARS = 140


def item_digest(item: CodedItem) -> str:
    """Return a short hash of an item's cells (to tell whether a row changed)."""
    return hashlib.sha256("\x1f".join(item.cells()).encode("utf-8")).hexdigest()[:16]


def context(item: CodedItem, data: StudyData) -> str:
    """Return the line of the source around an item's evidence, cut to a readable length."""
    source = data.sources.get(item.source)
    if source is None:
        return ""
    span = item.span or source.find(item.evidence)
    if span is None:
        return ""
    text = source.text
    start = text.rfind("\n", source.start, span[0]) + 1 or source.start
    end = text.find("\n", span[1], source.end)
    end = source.end if end < 0 else end
    start = max(start, span[0] - CONTEXT_CHARS)
    end = min(end, span[1] + CONTEXT_CHARS)
    return normalise_space(text[start:end])


def _text_cell(ws: Any, row: int, column: int, value: str) -> Any:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # text, even when it starts with = + - @: never run as a formula
    if value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True
    return cell


def export(data: StudyData, target: Path) -> int:
    """Write the review workbook to ``target``; return the number of rows exported."""
    wb = Workbook()
    for default in list(wb.worksheets):
        wb.remove(default)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    meta_rows: list[tuple[str, str, str]] = [("format", FORMAT, "")]
    columns = [*COLUMNS, CASE_MARK, CONTEXT]
    codebook_rows = _codebook(data)
    total = 0
    for case_id, case in data.registry.cases.items():
        sheet = data.sheets.get(case_id)
        items = list(sheet.items) if sheet else []
        ws = wb.create_sheet(sheet_title(f"{case_id} {case.name}", wb.sheetnames))
        for column, name in enumerate(columns, start=1):
            title = f"{CASE_MARK}{case_id}" if name == CASE_MARK else name
            cell = _text_cell(ws, 1, column, title)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
            letter = get_column_letter(column)
            ws.column_dimensions[letter].width = WIDTHS.get(name, 14)
            ws.column_dimensions[letter].hidden = name == CASE_MARK
        for row, item in enumerate(items, start=2):
            for column, value in enumerate([*item.cells(), "", context(item, data)], start=1):
                _text_cell(ws, row, column, value).alignment = wrap
            meta_rows.append((case_id, item.item_id, item_digest(item)))
        meta_rows.append((case_id, "", ""))  # the case was exported, even with no rows
        total += len(items)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(items) + 1, 2)}"
        _validation(ws, len(data.framework.elements), len(codebook_rows), columns)
    book = wb.create_sheet(CODEBOOK)
    for row, code_row in enumerate(codebook_rows, start=1):
        for column, value in enumerate(code_row, start=1):
            cell = _text_cell(book, row, column, value)
            cell.alignment = wrap
            if row == 1:
                cell.font, cell.fill = header_font, header_fill
    for column, width in enumerate((16, 14, 18, 18, 50, 50, 50, 30, 70), start=1):
        book.column_dimensions[get_column_letter(column)].width = width
    book.freeze_panes = "A2"
    meta = wb.create_sheet(META)
    for row, values in enumerate(meta_rows, start=1):
        for column, value in enumerate(values, start=1):
            _text_cell(meta, row, column, value)
    meta.sheet_state = "veryHidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(target, buffer.getvalue())
    return total


def sheet_title(text: str, taken: list[str]) -> str:
    """Return a worksheet title Excel accepts: no / \\ ? * [ ] :, at most 31 characters,
    not already taken (a number is added)."""
    base = TITLE_FORBIDDEN.sub("_", text).strip("'") or "case"
    title = base[:31]
    number = 2
    while title.lower() in (t.lower() for t in taken):
        suffix = f" ({number})"
        title = base[:31 - len(suffix)] + suffix
        number += 1
    return title


def _codebook(data: StudyData) -> list[tuple[str, ...]]:
    """Return the codebook sheet: every element, then every sub-code, with the coding
    manual's rules (what counts, what does not, the unit, worked decisions)."""
    rows: list[tuple[str, ...]] = [("code", "element", "label_ko", "label_en", "definition",
                                    "include", "exclude", "unit", "decisions")]
    for element in data.framework.elements:
        decisions = "\n".join(f"· {d.text} → {d.decision} ({d.why})" for d in element.decisions)
        rows.append((element.id, element.id, element.label_ko, element.label_en,
                     element.definition,
                     "\n".join(f"· {x}" for x in element.manual_include or element.include),
                     "\n".join(f"· {x}" for x in element.manual_exclude or element.exclude),
                     element.unit, decisions))
    for element in data.framework.elements:
        for sub in element.subcodes:
            rows.append((sub.id, element.id, sub.label_ko, sub.label_en,
                         sub.definition, sub.when, "", "", ""))
    return rows


def _validation(ws: Any, elements_count: int, codebook_rows: int, columns: list[str]) -> None:
    """Add drop-down lists: elements (codebook rows 2…), sub-codes (the rows after them)."""
    last = 2000
    element_col = get_column_letter(columns.index("element") + 1)
    subcode_col = get_column_letter(columns.index("subcode") + 1)
    status_col = get_column_letter(columns.index("status") + 1)
    last_element = elements_count + 1
    elements = DataValidation(type="list", formula1=f"={CODEBOOK}!$A$2:$A${last_element}",
                              allow_blank=False, showErrorMessage=True,
                              errorTitle="element", error="Choose an element of the codebook")
    subcodes = DataValidation(type="list",
                              formula1=f"={CODEBOOK}!$A${last_element + 1}:$A${codebook_rows}",
                              allow_blank=True, showErrorMessage=True,
                              errorTitle="subcode", error="Choose a code of the codebook")
    statuses = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"',
                              allow_blank=False, showErrorMessage=True,
                              errorTitle="status", error="suggested, accepted or rejected")
    elements.add(f"{element_col}2:{element_col}{last}")
    subcodes.add(f"{subcode_col}2:{subcode_col}{last}")
    statuses.add(f"{status_col}2:{status_col}{last}")
    for rule in (elements, subcodes, statuses):
        ws.add_data_validation(rule)


@dataclass
class CaseChanges:
    """What an import changes in one case's sheet."""

    case: str
    added: list[CodedItem] = field(default_factory=list)
    changed: list[tuple[CodedItem, CodedItem]] = field(default_factory=list)
    rejected: list[CodedItem] = field(default_factory=list)
    items: list[CodedItem] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed)


def import_workbook(data: StudyData, source: Path) -> list[CaseChanges]:
    """Read a review workbook back into the CSV sheets; return the changes per case.

    Raises ``PolicyReportError`` listing every problem, and writes nothing, when the workbook
    is not a review workbook, is stale, or has an invalid row.
    """
    label = source.name
    _check_size(source, label)
    try:
        wb = load_workbook(source, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise PolicyReportError(Problem(label, None, None, f"cannot be read as .xlsx: {exc}",
                                        "export a fresh workbook with policy-report sheets "
                                        "export")) from exc
    if META not in wb.sheetnames or wb[META].cell(1, 2).value != FORMAT:
        raise PolicyReportError(Problem(label, None, None, "not a policy-report review workbook",
                                        "import only a workbook made by policy-report sheets "
                                        "export"))
    exported: dict[str, dict[str, str]] = {}
    for case_id, item_id, digest in wb[META].iter_rows(min_row=2, values_only=True):
        exported.setdefault(str(case_id), {})
        if item_id:
            exported[str(case_id)][str(item_id)] = str(digest)
    problems: list[Problem] = []
    sheets = _case_sheets(wb, label, problems)
    result = []
    for case_id, before in exported.items():
        if case_id not in data.registry.cases:
            problems.append(Problem(label, None, None, f"case {case_id!r} is not registered",
                                    "export a fresh workbook"))
            continue
        current = data.sheets[case_id].items if case_id in data.sheets else ()
        if case_id not in sheets:
            problems += _stale(data, case_id, before, current, {})
            problems.append(Problem(label, None, case_id, "the case's worksheet is missing",
                                    "do not delete or rename worksheets"))
            continue
        changes, found = _read_case(data, wb[sheets[case_id]], f"{label}[{sheets[case_id]}]",
                                    case_id, before, current)
        problems += _stale(data, case_id, before, current,
                           {i.item_id: i for i in changes.items})
        problems += found
        result.append(changes)
    if problems:
        raise PolicyReportError(problems)
    # every row is sound: now replace the sheets that changed, all together or none
    files = {data.study.sheet_path(c.case): render_sheet(c.items) for c in result if c.any}
    replace_all(files, {path: data.study.rel(path) for path in files}, journal=data.study.root)
    return result


def _check_size(source: Path, label: str) -> None:
    """Refuse a workbook that would unpack to more than ``MAX_UNPACKED`` bytes."""
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise PolicyReportError(Problem(label, None, None, f"cannot be read as .xlsx: {exc}",
                                        "export a fresh workbook with policy-report sheets "
                                        "export")) from exc
    if unpacked > MAX_UNPACKED:
        raise PolicyReportError(Problem(
            label, None, None,
            f"unpacks to {unpacked // 1024 // 1024} MB, far more than a review workbook holds",
            "a cell may hold pasted data by mistake: export a fresh workbook and redo the edits"))


def _case_sheets(wb: Any, label: str, problems: list[Problem]) -> dict[str, str]:
    """Return worksheet titles by the case each one holds (the id stored at export).

    A copied worksheet (two holding one case) and a worksheet the export did not make are
    refused by name, so that no reviewer's edit is silently ignored.
    """
    found: dict[str, str] = {}
    for title in wb.sheetnames:
        if title in (META, CODEBOOK):
            continue
        ws = wb[title]
        marks = [str(c.value)[len(CASE_MARK):] for c in next(ws.iter_rows(max_row=1), ())
                 if isinstance(c.value, str) and c.value.startswith(CASE_MARK)]
        if not marks:
            problems.append(Problem(f"{label}[{title}]", None, None,
                                    "this worksheet was not made by policy-report sheets export",
                                    "move its rows into the case's own worksheet, then delete "
                                    "it"))
            continue
        case_id = marks[0]
        if case_id in found:
            problems.append(Problem(f"{label}[{title}]", None, None,
                                    f"a second worksheet for case {case_id!r} (a copy of "
                                    f"{found[case_id]!r})",
                                    "keep the edits in one of the two worksheets and delete "
                                    "the other"))
            continue
        found[case_id] = title
    return found


def _stale(data: StudyData, case_id: str, before: dict[str, str],
           current: tuple[CodedItem, ...], wanted: dict[str, CodedItem]) -> list[Problem]:
    """Return a problem for each row of the CSV sheet that changed since the export, unless
    it already reads as the workbook wants (this workbook was imported before)."""
    rel = data.study.rel(data.study.sheet_path(case_id))
    problems = []
    now = {i.item_id: i for i in current}
    for item in current:
        if item.item_id in wanted and wanted[item.item_id].cells() == item.cells():
            continue
        if item.item_id not in before:
            problems.append(Problem(rel, item.row, None,
                                    f"row {item.item_id} was added after the workbook was "
                                    "exported", "the workbook is stale: export it again and "
                                    "redo the edits there"))
        elif before[item.item_id] != item_digest(item):
            problems.append(Problem(rel, item.row, None,
                                    f"row {item.item_id} changed after the workbook was "
                                    "exported", "the workbook is stale: export it again and "
                                    "redo the edits there"))
    for item_id in before:
        if item_id not in now:
            problems.append(Problem(rel, None, None,
                                    f"row {item_id} was removed after the workbook was exported",
                                    "the workbook is stale: export it again"))
    return problems


def _read_case(data: StudyData, ws: Any, rel: str, case_id: str, before: dict[str, str],
               current: tuple[CodedItem, ...]) -> tuple[CaseChanges, list[Problem]]:
    problems: list[Problem] = []
    records: list[list[str]] = []
    header: list[str] = []
    for number, row in enumerate(ws.iter_rows(), start=1):
        cells = []
        for cell in row:
            if cell.data_type == "f":
                problems.append(Problem(rel, number, header[cell.column - 1] if header
                                        and cell.column <= len(header) else None,
                                        f"the spreadsheet made this cell a formula "
                                        f"({cell.value!r})",
                                        "type the text with an apostrophe first ('- …)"))
            cells.append("" if cell.value is None else str(cell.value))
        if number == 1:
            header = [c.strip() for c in cells]
        records.append(cells)
    if not records:
        return CaseChanges(case_id), [Problem(rel, None, None, "worksheet is empty",
                                              "export the workbook again")]
    keep = [i for i, name in enumerate(records[0]) if name.strip()
            and name.strip() != CONTEXT and not name.startswith(CASE_MARK)]
    rows = [[r[i] if i < len(r) else "" for i in keep] for r in records]
    rows[0] = [records[0][i].strip() for i in keep]
    items = items_from_rows(rows, case_id, rel, problems, escaped=False)
    problems += check_items(rel, case_id, items, data.registry, data.framework, data.sources)
    seen = {i.item_id for i in items}
    for item in current:
        if item.item_id in before and item.item_id not in seen:
            problems.append(Problem(rel, None, "item_id",
                                    f"row {item.item_id} ({item.value}) was deleted",
                                    "rows are kept so that nothing is lost: set its status to "
                                    "rejected instead"))
    old = {i.item_id: i for i in current}
    changes = CaseChanges(case_id)
    for item in items:
        previous = old.get(item.item_id)
        if previous is None:
            changes.added.append(item)
        elif item.cells() != previous.cells():
            changes.changed.append((previous, item))
            if item.status == "rejected" and previous.status != "rejected":
                changes.rejected.append(item)
    changes.items = items
    return changes, problems
