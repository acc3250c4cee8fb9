"""Put the auto-coder's suggestions into the coding sheets without ever losing a reviewer's work.

Existing rows are never changed, reordered or removed: new suggestions are appended to the
file, byte for byte after what is there.  A suggestion is not added when the sheet already
holds an item of the same element on the same text (overlapping evidence in the same source)
or with the same value, whatever its status — so an accepted, edited or rejected item is
never proposed again.  With unchanged sources and rules a second run adds nothing and
changes no byte.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.coding.matching import same_item
from analysis.registry import Case, SourceText
from analysis.sheets import CodedItem, Sheet, append_rows
from analysis.validate import locate


@dataclass(frozen=True)
class Merged:
    """What merging one case's suggestions did."""

    case: str
    found: int
    added: tuple[CodedItem, ...]
    known: int  # already in the sheet (any status but rejected)
    rejected: int  # a reviewer rejected this one before


def plan(case: Case, sheet: Sheet, suggestions: list[CodedItem],
         sources: dict[str, SourceText]) -> Merged:
    """Return which suggestions are new to ``sheet`` (nothing is written)."""
    existing = [(item, locate(item, sources)) for item in sheet.items]
    ids = {item.item_id for item in sheet.items}
    added: list[CodedItem] = []
    known = rejected = 0
    for suggestion in suggestions:
        span = locate(suggestion, sources)
        match = next((item for item, other_span in existing
                      if item.item_id == suggestion.item_id
                      or same_item(item, suggestion, case.name, other_span, span)), None)
        if match is None and suggestion.item_id not in ids:
            added.append(suggestion)
            ids.add(suggestion.item_id)
        elif match is not None and match.status == "rejected":
            rejected += 1
        else:
            known += 1
    return Merged(case.id, len(suggestions), tuple(added), known, rejected)


def apply(sheet: Sheet, merged: Merged) -> None:
    """Append the new suggestions of ``merged`` to the sheet's file."""
    if merged.added:
        append_rows(sheet.path, merged.added)
