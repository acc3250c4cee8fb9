"""Compare two codings of the same cases: precision, recall, F1, agreement, Krippendorff's α.

Coding *A* is compared against coding *B* (the reference: the reviewed sheets).  An item of A
matches an item of B of the same case and element when their evidence overlaps in the same
source or their values are the same (spaces, (…) notes and the city's own name aside).
Precision is the share of A's items that match some item of B; recall the share of B's items
matched by some item of A.

Agreement is measured on units: the body lines of every source (as ``coding.clean`` finds
them).  For each element, a coder "codes" a unit when one of its items' evidence overlaps it.
Percent agreement is the share of units on which both coders agree; α is Krippendorff's alpha
for nominal data over those units.  Nothing here loads the Korean tokenizer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from analysis.coding.clean import body
from analysis.coding.matching import same_item
from analysis.coding.rules import Rules
from analysis.registry import Registry, SourceText
from analysis.sheets import CodedItem
from analysis.validate import locate


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Return Krippendorff's alpha (nominal) for ``data[coder][unit]``; None marks a missing value.

    Returns None when alpha is undefined (fewer than two pairable values, or no variation).
    """
    units = list(zip(*data, strict=True)) if data else []
    coincidence: dict[tuple[Hashable, Hashable], float] = {}
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[(a, b)] = coincidence.get((a, b), 0.0) + 1 / (m - 1)
    totals: dict[Hashable, float] = {}
    for (a, _), weight in coincidence.items():
        totals[a] = totals.get(a, 0.0) + weight
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(w for (a, b), w in coincidence.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected


@dataclass(frozen=True)
class Scores:
    """Comparison figures for one element (or all of them)."""

    a_items: int
    b_items: int
    precision: float | None
    recall: float | None
    f1: float | None
    agreement: float | None
    alpha: float | None
    units: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {k: (round(v, 4) if isinstance(v, float) else v)
                for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Comparison:
    """Scores per element, overall, and the items only one coding has."""

    elements: dict[str, Scores]
    overall: Scores
    only_a: tuple[CodedItem, ...] = field(default=())
    only_b: tuple[CodedItem, ...] = field(default=())


def _matches(a: CodedItem, b: CodedItem, names: dict[str, str],
             spans: dict[int, tuple[int, int] | None]) -> bool:
    return same_item(a, b, names.get(a.case, a.case), spans[id(a)], spans[id(b)])


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compare(a: Sequence[CodedItem], b: Sequence[CodedItem], registry: Registry,
            sources: dict[str, SourceText], rules: Rules, elements: Sequence[str]) -> Comparison:
    """Return how coding ``a`` compares with reference coding ``b``, element by element."""
    names = {c.id: c.name for c in registry.cases.values()}
    spans = {id(item): locate(item, sources) for item in (*a, *b)}
    cases = sorted({i.case for i in (*a, *b)} | set(registry.cases))
    units = [(source_id, seg.start, seg.end) for case in cases if case in registry.cases
             for source_id in registry.cases[case].sources if source_id in sources
             for seg in body(sources[source_id].text, sources[source_id].start,
                             sources[source_id].end, rules)]
    scores: dict[str, Scores] = {}
    only_a: list[CodedItem] = []
    only_b: list[CodedItem] = []
    totals = Counter[str]()
    all_a: list[int] = []
    all_b: list[int] = []
    for element in elements:
        ea = [i for i in a if i.element == element]
        eb = [i for i in b if i.element == element]
        hit_a = [x for x in ea if any(_matches(x, y, names, spans) for y in eb)]
        hit_b = [y for y in eb if any(_matches(x, y, names, spans) for x in ea)]
        only_a += [x for x in ea if x not in hit_a]
        only_b += [y for y in eb if y not in hit_b]
        precision, recall = _ratio(len(hit_a), len(ea)), _ratio(len(hit_b), len(eb))
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else
              (0.0 if precision is not None and recall is not None else None))
        ua = [_codes(ea, u, spans) for u in units]
        ub = [_codes(eb, u, spans) for u in units]
        all_a += ua
        all_b += ub
        agree = sum(1 for x, y in zip(ua, ub, strict=True) if x == y)
        scores[element] = Scores(len(ea), len(eb), precision, recall, f1,
                                 _ratio(agree, len(units)), krippendorff_alpha([ua, ub]),
                                 len(units))
        totals.update(a=len(ea), b=len(eb), hit_a=len(hit_a), hit_b=len(hit_b))
    precision, recall = _ratio(totals["hit_a"], totals["a"]), _ratio(totals["hit_b"], totals["b"])
    f1 = (2 * precision * recall / (precision + recall)
          if precision and recall else None)
    agree = sum(1 for x, y in zip(all_a, all_b, strict=True) if x == y)
    overall = Scores(totals["a"], totals["b"], precision, recall, f1,
                     _ratio(agree, len(all_a)), krippendorff_alpha([all_a, all_b]), len(all_a))
    return Comparison(scores, overall, tuple(only_a), tuple(only_b))


def _codes(items: Sequence[CodedItem], unit: tuple[str, int, int],
           spans: dict[int, tuple[int, int] | None]) -> int:
    source, start, end = unit
    return int(any(i.source == source and (s := spans[id(i)]) is not None
                   and s[0] < end and start < s[1] for i in items))
