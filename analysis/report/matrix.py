"""What the coding says, case by case and element by element: the cross-case matrix.

Only accepted items count; a draft also shows suggested ones, marked.  Nothing is inferred
that no item states: counts come from coded counts ("6대 추진전략 39개 세부사업") or from the
number of coded items, typology from the coded sub-codes, timeline years from the items'
values and evidence.  Computing is kept apart from rendering (``tables``, ``charts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from analysis.framework import Framework
from analysis.model import StudyData
from analysis.registry import Case, Source
from analysis.sheets import CodedItem
from analysis.vocab import Role, Status, SubRole

YEAR = re.compile(r"((?:19|20)\d{2})\s*년?")
RANGE = re.compile(r"((?:19|20)\d{2})\s*년?\s*(?:[~∼～\-–]|부터)\s*((?:19|20)?\d{2})\s*년?")
STATED = {
    "strategies": re.compile(r"(\d+)\s*(?:대|개)\s*(?:추진\s*)?(?:전략|기본\s*방향|분야)"),
    "projects": re.compile(r"(\d+)\s*개\s*(?:세부\s*)?(?:사업|과제)"),
    "goals": re.compile(r"(\d+)\s*대\s*(?:정책\s*)?목표"),
}


@dataclass(frozen=True)
class Count:
    """A count shown in the report, and whether a source stated it or it counts coded items."""

    value: int
    stated: bool


@dataclass(frozen=True)
class Event:
    """A dated fact of a case for the timeline."""

    case: str
    kind: str  # "plan" | "ordinance" | "organisation"
    start: int
    end: int
    label: str
    item: CodedItem


@dataclass(frozen=True)
class Profile:
    """One case with the items the report shows, by element.

    ``of`` and ``values`` take an element's role (``Role``) or its id, and a sub-code's role
    or id, so the report works on a study that renamed its elements.
    """

    case: Case
    items: tuple[CodedItem, ...]
    sources: tuple[Source, ...]
    framework: Framework

    @cached_property
    def _element_ids(self) -> dict[str, set[str]]:
        return {}  # filled as names are asked for

    def _elements(self, name: str) -> set[str]:
        known = self._element_ids
        if name not in known:
            known[name] = {e.id for e in self.framework.elements if name in (e.id, e.role)}
        return known[name]

    def sub_role(self, item: CodedItem) -> str:
        """Return the role of an item's sub-code (its id when it plays none)."""
        sub = self.framework.subcode(item.subcode) if item.subcode else None
        return (sub.role or sub.id) if sub else item.subcode

    def of(self, element: str, subcode: str | None = None) -> list[CodedItem]:
        ids = self._elements(element)
        return [i for i in self.items if i.element in ids
                and (subcode is None or subcode in (i.subcode, self.sub_role(i)))]

    def values(self, element: str, subcode: str | None = None) -> list[str]:
        return [i.value for i in self.of(element, subcode)]

    @property
    def subcodes(self) -> set[str]:
        return {i.subcode for i in self.items if i.subcode}

    def count(self, what: str) -> Count | None:
        """Return the number of goals, strategies or projects, or None when nothing is coded."""
        role = {"goals": Role.GOAL, "strategies": Role.STRATEGY,
                "projects": Role.KEY_PROJECT}[what]
        for item in self.of(Role.STRATEGY) + self.of(Role.GOAL):
            match = STATED[what].search(item.value)
            if match:
                return Count(int(match.group(1)), True)
        items = [i for i in self.of(role) if self.sub_role(i) != SubRole.STRATEGY_COUNT]
        return Count(len(items), False) if items else None

    def notes(self, elements: tuple[str, ...] | None = None) -> list[str]:
        """Return reviewers' table notes ("주: …" in an item's note) for these elements."""
        found = []
        for item in self.items:
            if elements is not None and item.element not in elements:
                continue
            note = item.note.strip()
            if note.startswith("주:") or note.startswith("주 :"):
                text = note.split(":", 1)[1].strip()
                if text not in found:
                    found.append(text)
        return found


@dataclass(frozen=True)
class Matrix:
    """Every case's profile, in registry order, and the framework they are coded on."""

    framework: Framework
    profiles: tuple[Profile, ...]
    home: str
    draft: bool

    @property
    def benchmarks(self) -> list[Profile]:
        return [p for p in self.profiles if p.case.id != self.home]

    @property
    def home_profile(self) -> Profile | None:
        return next((p for p in self.profiles if p.case.id == self.home), None)

    def profile(self, case_id: str) -> Profile:
        return next(p for p in self.profiles if p.case.id == case_id)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """Return one row per shown item: case, element, subcode, value, status, source."""
        rows = [(p.case.id, i.element, i.subcode, i.value, i.status, i.source)
                for p in self.profiles for i in p.items]
        return pd.DataFrame(rows, columns=["case", "element", "subcode", "value", "status",
                                           "source"])

    def coverage(self, elements: list[str]) -> pd.DataFrame:
        """Return the number of items per case (rows, registry order) and element (columns)."""
        counts = (self.frame.groupby(["case", "element"]).size()
                  .unstack(fill_value=0) if len(self.frame) else pd.DataFrame())
        order = [p.case.id for p in self.profiles]
        return counts.reindex(index=order, columns=elements, fill_value=0).fillna(0).astype(int)

    def typology(self, profile: Profile) -> tuple[str, list[CodedItem]]:
        """Return the case's governance type ("" when no rule applies) and the items behind it."""
        codes = profile.subcodes
        for typology in self.framework.typologies:
            if typology.matches(codes):
                used = set(typology.all_of) | set(typology.any_of)
                return typology.label, [i for i in profile.items if i.subcode in used]
        return "", []

    @cached_property
    def _events(self) -> list[Event]:
        return self._find_events()

    def events(self) -> list[Event]:
        """Return the dated facts of all cases (worked out once)."""
        return list(self._events)

    def _find_events(self) -> list[Event]:
        """Return the dated facts of all cases: plan periods, ordinances, organisations."""
        found = []
        kinds = {Role.PLAN_PERIOD: "plan", Role.LEGAL_BASIS: "ordinance",
                 Role.GOVERNANCE: "organisation", Role.INTERMEDIARY: "organisation"}
        roles = {e.id: e.role for e in self.framework.elements}
        for profile in self.profiles:
            for item in profile.items:
                kind = kinds.get(Role(roles[item.element])) if roles.get(item.element) else None
                if kind is None:
                    continue
                text = f"{item.value} {item.evidence}"
                span = RANGE.search(text)
                if kind == "plan" and span:
                    start, end = int(span.group(1)), int(span.group(2))
                    end = end if end > 100 else start // 100 * 100 + end
                    found.append(Event(profile.case.id, kind, start, end, item.value, item))
                    continue
                year = YEAR.search(text)
                if year and kind != "plan":
                    y = int(year.group(1))
                    found.append(Event(profile.case.id, kind, y, y, item.value, item))
        return found


def build_matrix(data: StudyData, home: str, draft: bool = False) -> Matrix:
    """Return the cross-case matrix of a validated study."""
    shown = (Status.ACCEPTED, Status.SUGGESTED) if draft else (Status.ACCEPTED,)
    order = {e.id: n for n, e in enumerate(data.framework.elements)}
    profiles = []
    for case in data.registry.cases.values():
        sheet = data.sheets.get(case.id)
        items = [i for i in (sheet.items if sheet else ()) if i.status in shown]
        items.sort(key=lambda i: (order.get(i.element, 99), i.row))
        sources = tuple(data.registry.sources[s] for s in case.sources
                        if s in data.registry.sources)
        profiles.append(Profile(case, tuple(items), sources, data.framework))
    return Matrix(data.framework, tuple(profiles), home, draft)
