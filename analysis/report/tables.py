"""Table contents from the matrix: header, rows, the sources behind them and their notes.

Each ``@table KEY`` of the templates names one of the producers below; words for headers
come from ``templates/labels.toml``, element names from the framework, cell values from the
coded items.  An element no shown item states is the study's missing wording (자료 미확인).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis.registry import Source
from analysis.report.matrix import Matrix, Profile
from analysis.settings import ReportConfig
from analysis.sheets import CodedItem
from analysis.vocab import TABLE_KEYS, Role, Status, SubRole

if TYPE_CHECKING:
    from analysis.evaluate import Comparison




EM = 9.0 / 72  # inches per em at the tables' 9 pt
PADDING = 0.16  # inches a cell keeps for its margins


_NARROW = re.compile("[^\u1100-\U0010ffff]+")


@functools.lru_cache(maxsize=1 << 16)
def _em_width(text: str) -> float:
    """Return the width of ``text`` in ems: Hangul and CJK full, Latin, digits and spaces about
    half (close enough to NanumGothic to plan columns)."""
    return len(text) - 0.4 * (len(text) - len(_NARROW.sub("", text)))


def content_widths(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
                   total: float = 6.3) -> tuple[float, ...]:
    """Return column widths in inches planned from the text.

    Every column gets room for its longest word (up to eight characters: a longer Hangul
    word may break) or its short lines whole, no column more than its longest line needs,
    and the rest goes to the columns in proportion to the text of their fullest cell, so
    that the rows stay short.
    """
    columns = len(header)
    least, most, volume = [0.0] * columns, [0.0] * columns, [0.0] * columns
    for row in (header, *rows):
        for n, cell in enumerate(row[:columns]):
            lines = str(cell).split("\n")
            # a short line ("자료 미확인") is kept whole, a long one needs its longest word
            words = [w for line in lines
                     for w in ([line] if _em_width(line) <= 7 else line.split())] or [""]
            least[n] = max(least[n], min(max(_em_width(w) for w in words), 8.0) * EM + PADDING)
            most[n] = max(most[n], max(_em_width(line) for line in lines) * EM + PADDING)
            volume[n] = max(volume[n], sum(_em_width(line) for line in lines) * EM)
    most = [max(m, x) for m, x in zip(most, least, strict=True)]
    if sum(least) >= total:
        return tuple(w * total / sum(least) for w in least)
    if sum(most) <= total:  # every line fits: share what is left evenly
        return tuple(m + (total - sum(most)) / columns for m in most)
    widths = list(least)
    open_ = [n for n in range(columns) if widths[n] < most[n]]
    while open_:  # fill by volume; a column that reaches its longest line stops growing
        spare = total - sum(widths)
        weight = sum(volume[n] or 1.0 for n in open_)
        grow = {n: spare * (volume[n] or 1.0) / weight for n in open_}
        full = [n for n in open_ if widths[n] + grow[n] >= most[n]]
        if not full:
            for n in open_:
                widths[n] += grow[n]
            break
        for n in full:
            widths[n] = most[n]
        open_ = [n for n in open_ if n not in full]
    return tuple(widths)


def source_name(source: Source) -> str:
    """Return how a table names a source: its publisher, else its headline, never its id."""
    headline = source.headline if len(source.headline) <= 30 else source.headline[:29] + "…"
    return source.publisher or headline or "미상"


def height_lines(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
                 widths: tuple[float, ...], total: float = 6.3) -> int:
    """Return about how many text lines a table takes when its columns have the given
    relative ``widths`` and the whole table is ``total`` inches wide (each cell's lines
    wrapped at its column's width; a row as tall as its tallest cell)."""
    if len(widths) != len(header) or not sum(widths):
        widths = (1.0,) * len(header)
    room = [max(total * w / sum(widths) - PADDING, EM) / EM for w in widths]  # in ems
    lines = 0
    for row in (header, *rows):
        lines += max((sum(max(1, -(-int(_em_width(part)) // max(int(r), 1)))
                          for part in str(cell).split("\n"))
                      for cell, r in zip(row, room, strict=False)), default=1)
    return lines


@dataclass(frozen=True)
class TableData:
    """What a table shows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()
    label_column: bool = True
    items: tuple[CodedItem, ...] = ()  # the coded items the table shows (for page citations)


class Tables:
    """The table producers of one report."""

    def __init__(self, matrix: Matrix, config: ReportConfig, labels: dict[str, Any],
                 agreement: Comparison | None = None,
                 changes: tuple[tuple[str, str, str, str], ...] = (),
                 locate: Callable[[CodedItem], str] = lambda _: "") -> None:
        self.matrix, self.config, self.labels = matrix, config, labels
        self.comparison, self.change_rows = agreement, changes
        self.locate = locate
        self.producers: dict[str, Callable[[str], TableData]] = {
            "frame": self.frame, "cases": self.cases, "sources": self.sources,
            "summary": self.summary, "matrix": self.cross, "typology": self.typology,
            "coding": self.coding, "agreement": self.agreement, "changes": self.changes,
            "gaps": self.gaps}
        assert tuple(self.producers) == TABLE_KEYS

    def make(self, key: str) -> TableData:
        """Return the table ``KEY`` or ``KEY:ARG`` (e.g. ``summary:ulsan``)."""
        name, _, arg = key.partition(":")
        if name not in self.producers:
            raise KeyError(f"unknown table {name!r}; tables: {', '.join(self.producers)}")
        return self.producers[name](arg)

    def col(self, key: str) -> str:
        return str(self.labels.get("columns", {}).get(key, key))

    def cell(self, items: list[CodedItem]) -> str:
        """Return the text of a cell listing ``items`` (one per line), or the missing wording."""
        if not items:
            return self.config.missing
        def text(item: CodedItem) -> str:
            mark = f"{self.config.draft_mark} " if item.status == Status.SUGGESTED else ""
            return mark + item.value

        # a stated count ("4개 분야", "6대 추진전략 39개 세부사업") heads the items it counts
        counts = [i for i in items if self._is_count(i)]
        listed = [i for i in items if not self._is_count(i)]
        if len(listed) == 1 and not counts:
            return text(listed[0])
        lines = [text(i) for i in counts]
        lines += [f"· {text(i)}" if len(listed) > 1 else text(i) for i in listed]
        return "\n".join(lines)

    def listed(self, items: list[CodedItem]) -> str:
        """Return the values of ``items``, one per line, with bullets when there are several
        (and the draft mark before unreviewed ones); "" when there are none."""
        return self.cell(items) if items else ""

    def _is_count(self, item: CodedItem) -> bool:
        sub = self.matrix.framework.subcode(item.subcode) if item.subcode else None
        return bool(sub and (sub.role or sub.id) == SubRole.STRATEGY_COUNT)

    def _sources_of(self, profiles: list[Profile], items: list[CodedItem]) -> tuple[Source, ...]:
        used = {i.source for i in items}
        found = [s for p in profiles for s in p.sources if s.id in used]
        return tuple(dict.fromkeys(found))

    def frame(self, _: str) -> TableData:
        rows = tuple((f"{e.label_ko}\n({e.label_en})", e.definition,
                      "\n".join(f"· {x}" for x in e.include),
                      "\n".join(f"· {x}" for x in e.exclude))
                     for e in self.matrix.framework.elements)
        header = (self.col("element"), self.col("definition"), self.col("include"),
                  self.col("exclude"))
        return TableData(header, rows, widths=content_widths(header, rows))

    def cases(self, _: str) -> TableData:
        roles = self.labels.get("roles", {})
        rows = tuple((p.case.name, str(roles.get(p.case.role, p.case.role)), p.case.level,
                      p.case.field or self.config.missing,
                      p.case.plan_title or self.config.missing, str(len(p.sources)))
                     for p in self.matrix.profiles)
        return TableData((self.col("case"), self.col("role"), self.col("level"),
                          self.col("field"), self.col("plan"), self.col("source_count")), rows,
                         sources=tuple(s for p in self.matrix.profiles for s in p.sources),
                         widths=content_widths(
                             (self.col("case"), self.col("role"), self.col("level"),
                              self.col("field"), self.col("plan"), self.col("source_count")), rows))

    def sources(self, _: str) -> TableData:
        kinds = self.labels.get("kinds", {})
        unknown = self.labels.get("words", {}).get("date_unknown", "")
        unknown_publisher = self.labels.get("words", {}).get("publisher_unknown", "발행처 미상")
        rows = tuple((p.case.name, s.publisher or unknown_publisher, s.headline,
                      s.date[:10] if s.date else unknown, str(kinds.get(s.kind, s.kind)))
                     for p in self.matrix.profiles for s in p.sources)
        return TableData((self.col("case"), self.col("publisher"), self.col("headline"),
                          self.col("date"), self.col("kind")), rows,
                         widths=content_widths(
                             (self.col("case"), self.col("publisher"), self.col("headline"),
                              self.col("date"), self.col("kind")), rows))

    def summary(self, case_id: str) -> TableData:
        profile = self.matrix.profile(case_id)
        elements = [self.matrix.framework.resolve(e) for e in self.config.summary_elements]
        rows = []
        items: list[CodedItem] = []
        for element in elements:
            if element is None:
                continue
            shown = profile.of(element.id)
            items += shown
            rows.append((element.label_ko, self.cell(shown)))
        return TableData((self.col("element"), self.col("content")), tuple(rows),
                         sources=self._sources_of([profile], items) or profile.sources,
                         notes=tuple(profile.notes()),  # the whole case's 주 lines
                         widths=(1.3, 6.2), items=tuple(items))

    def cross(self, _: str) -> TableData:
        elements = [e for e in (self.matrix.framework.resolve(x)
                                for x in self.config.matrix_elements) if e is not None]
        profiles = list(self.matrix.profiles)
        items = [i for p in profiles for e in elements for i in p.of(e.id)]
        notes = tuple(dict.fromkeys(n for p in profiles
                                    for n in p.notes(self.config.matrix_elements)))
        sources = self._sources_of(profiles, items)
        if len(profiles) > self.config.transpose_max:
            header = (self.col("case"), *(e.label_ko for e in elements))
            rows = tuple((p.case.name, *(self.cell(p.of(e.id)) for e in elements))
                         for p in profiles)
        else:
            header = (self.col("element"), *(p.case.name for p in profiles))
            rows = tuple((e.label_ko, *(self.cell(p.of(e.id)) for p in profiles))
                         for e in elements)
        widths = content_widths(header, rows)
        return TableData(header, rows, sources, notes, widths, items=tuple(items))

    def typology(self, _: str) -> TableData:
        framework = self.matrix.framework
        governance = framework.by_role(Role.GOVERNANCE)
        intermediary = framework.by_role(Role.INTERMEDIARY)
        kinds = list(governance.subcodes) if governance else []
        rows = []
        items: list[CodedItem] = []
        none = self.labels.get("words", {}).get("none", "-")
        for p in self.matrix.profiles:
            cells = []
            for kind in kinds:
                bodies = p.of(Role.GOVERNANCE, kind.id)
                items += bodies
                cells.append(self.listed(bodies) or none)
            centres = p.of(Role.INTERMEDIARY)
            items += centres
            label = self.matrix.typology(p)[0]
            rows.append((p.case.name, *cells, self.listed(centres) or none,
                         label or self.config.missing))
        header = (self.col("case"), *(k.label_ko for k in kinds),
                  intermediary.label_ko if intermediary else "", self.col("type"))
        return TableData(header, tuple(rows), self._sources_of(list(self.matrix.profiles), items),
                         widths=content_widths(header, tuple(rows)), items=tuple(items))

    def coding(self, case_id: str) -> TableData:
        """The coding record of one case: element, value, evidence, source and, in a draft
        (where accepted and unreviewed items are shown together), each item's status."""
        profile = self.matrix.profile(case_id)
        status = self.labels.get("status", {})
        names = {s.id: source_name(s) for s in profile.sources}
        header: tuple[str, ...] = (self.col("element"), self.col("value"),
                                   self.col("evidence"), self.col("source"))
        rows: list[tuple[str, ...]] = []
        for i in profile.items:
            row = (self.matrix.framework.label(i.element), i.value, i.evidence.strip(),
                   "\n".join(x for x in (names.get(i.source, i.source), self.locate(i)) if x))
            rows.append((*row, str(status.get(i.status, i.status))) if self.matrix.draft
                        else row)
        if self.matrix.draft:
            header = (*header, self.col("status"))
        return TableData(header, tuple(rows), sources=profile.sources,
                         widths=content_widths(header, tuple(rows)), items=profile.items)

    def agreement(self, _: str) -> TableData:
        comparison = self.comparison
        if comparison is None:
            return TableData((), ())

        def fmt(value: float | None) -> str:
            return "–" if value is None else f"{value:.2f}"

        rows = tuple((self.matrix.framework.label(e), str(s.a_items), str(s.b_items),
                      fmt(s.precision), fmt(s.recall), fmt(s.f1), fmt(s.agreement),
                      fmt(s.alpha)) for e, s in comparison.elements.items())
        overall = comparison.overall
        rows += ((self.labels.get("words", {}).get("all_cases", ""), str(overall.a_items),
                  str(overall.b_items), fmt(overall.precision), fmt(overall.recall),
                  fmt(overall.f1), fmt(overall.agreement), fmt(overall.alpha)),)
        return TableData(tuple(self.col(c) for c in (
            "element", "items_a", "items_b", "precision", "recall", "f1", "agreement",
            "alpha")), rows)

    def changes(self, _: str) -> TableData:
        rows = tuple(tuple(str(c) for c in row) for row in self.change_rows)
        return TableData((self.col("case"), self.col("change"), self.col("element"),
                          self.col("value")), rows, widths=(1.0, 0.8, 1.0, 4.7))

    def gaps(self, _: str) -> TableData:
        """The cases whose sources leave core elements unstated, and what they rest on."""
        core = [e for e in self.matrix.framework.elements if e.core]
        kinds = self.labels.get("kinds", {})
        rows = []
        for p in self.matrix.profiles:
            missing = [e.label_ko for e in core if not p.of(e.id)]
            if not missing:
                continue
            held = ", ".join(dict.fromkeys(str(kinds.get(s.kind, s.kind)) for s in p.sources))
            rows.append((p.case.name, ", ".join(missing),
                         f"{held} {len(p.sources)}건" if p.sources else self.config.missing))
        header = (self.col("case"), self.col("unstated"), self.col("held"))
        return TableData(header, tuple(rows), widths=content_widths(header, tuple(rows)))
