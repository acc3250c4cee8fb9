"""What changed in the coding: since the previous build, or since a git revision.

A build keeps ``reports/.cache/coding-history.json``: the coding it used ("last") and the
coding it compared with ("baseline").  When the coding is the same as last time, the same
baseline is used again, so rebuilding without changes gives the same report byte for byte;
when it changed, the previous build's coding becomes the baseline.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import PolicyReportError, Problem
from analysis.fsio import atomic_write
from analysis.model import StudyData
from analysis.sheets import COLUMNS, DERIVED, CodedItem, items_from_rows
from analysis.textio import NotText, decode

HISTORY = "coding-history.json"
Coding = dict[str, dict[str, dict[str, str]]]  # case → item id → column → cell


@dataclass(frozen=True)
class Change:
    """One change to one item."""

    case: str
    kind: str  # "added" | "changed" | "rejected" | "removed"
    element: str
    before: dict[str, str]
    after: dict[str, str]


def snapshot(data: StudyData) -> Coding:
    """Return the study's coding as plain data."""
    return {case: {i.item_id: _cells(i) for i in sheet.items}
            for case, sheet in sorted(data.sheets.items())}


def _cells(item: CodedItem) -> dict[str, str]:
    """Return an item's cells by column, leaving out the derived ones."""
    return {c: v for c, v in zip(COLUMNS, item.cells(), strict=True) if c not in DERIVED}


def diff(old: Coding, new: Coding) -> list[Change]:
    """Return the changes from ``old`` to ``new``, case by case in ``new``'s order."""
    changes = []
    for case in [*new, *[c for c in old if c not in new]]:
        before, after = old.get(case, {}), new.get(case, {})
        for item_id, cells in after.items():
            previous = before.get(item_id)
            if previous is None:
                changes.append(Change(case, "added", cells["element"], {}, cells))
            elif previous != cells:
                kind = ("rejected" if cells["status"] == "rejected"
                        and previous["status"] != "rejected" else "changed")
                changes.append(Change(case, kind, cells["element"], previous, cells))
        for item_id, cells in before.items():
            if item_id not in after:
                changes.append(Change(case, "removed", cells["element"], cells, {}))
    return changes


def since_previous_build(data: StudyData) -> tuple[Coding | None, Coding]:
    """Return (baseline, current) for a build; the baseline is None on a first build."""
    current = snapshot(data)
    history = _read_history(data)
    if history is None:
        return None, current
    if history.get("last") == current:
        return history.get("baseline"), current
    return history.get("last"), current


def remember(data: StudyData, baseline: Coding | None, current: Coding) -> None:
    """Record the coding a successful build used (and what it compared with)."""
    atomic_write(_history_path(data),
                 json.dumps({"last": current, "baseline": baseline}, ensure_ascii=False,
                            sort_keys=True).encode("utf-8"))


def at_revision(data: StudyData, revision: str) -> Coding:
    """Return the coding as committed at git ``revision`` (cases without a sheet: empty)."""
    root = data.study.root
    check = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet",
                            f"{revision}^{{commit}}"], capture_output=True, text=True)
    if check.returncode != 0:
        raise PolicyReportError(Problem("--since", None, None,
                                        f"{revision!r} is not a git revision of {root}",
                                        "give a commit, tag or branch, e.g. --since HEAD~1"))
    top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True, check=True).stdout.strip()
    coding: Coding = {}
    for case in data.registry.cases:
        path = data.study.sheet_path(case).resolve().relative_to(Path(top).resolve())
        shown = subprocess.run(["git", "-C", top, "show", f"{revision}:{path.as_posix()}"],
                               capture_output=True)
        if shown.returncode != 0:
            continue
        try:
            text = decode(shown.stdout).text
        except NotText:
            continue
        import csv
        import io

        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            continue
        items: list[CodedItem] = items_from_rows(rows, case, str(path), [])
        coding[case] = {i.item_id: _cells(i) for i in items}
    return coding


def _history_path(data: StudyData) -> Path:
    return data.study.path("reports") / ".cache" / HISTORY


def _read_history(data: StudyData) -> dict[str, Any] | None:
    path = _history_path(data)
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(loaded, dict) or not all(
            _is_coding(loaded.get(key)) for key in ("last", "baseline")):
        return None  # a damaged history is forgotten: the next build starts a new one
    return loaded


def _is_coding(value: Any) -> bool:
    """Return True for None or a well-formed coding (case → item id → column → cell)."""
    if value is None:
        return True
    return isinstance(value, dict) and all(
        isinstance(items, dict) and all(
            isinstance(cells, dict) and all(isinstance(c, str) for c in cells.values())
            and "element" in cells and "status" in cells for cells in items.values())
        for items in value.values())
