"""What the coded items say about a case, read along the comparison's dimensions.

The 요약 and 시사점 compare cases, not counts of coded items: how each plan is built
(vision, goals, strategies, projects), the rank of the office in charge, the kind of
committees, how the intermediary organisation is run.  Each trait is read from the coded
values alone — names are classified by their endings and words listed in
``templates/labels.toml`` ``[traits]`` (a study may extend them) — and carries the printed
value it comes from, so every sentence built on it names the coded fact behind it, with the
draft mark when the item is not yet reviewed.
"""

from __future__ import annotations

import re
from typing import Any

from analysis.report.matrix import Matrix, Profile
from analysis.sheets import CodedItem
from analysis.vocab import Role, SubRole

_REMARK = re.compile(r"\s*[(\[（][^()\[\]（）]*[)\]）]\s*$")


def bare_name(value: str) -> str:
    """Return a coded name without its trailing remark: "일자리창출과(주무부서)" → 일자리창출과."""
    name = value.strip()
    while (bare := _REMARK.sub("", name)) != name and bare:
        name = bare
    return name


def _classes(labels: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = labels.get("traits", {}).get(key, [])
    return [c for c in found if isinstance(c, dict) and c.get("label")]


def _by_ending(name: str, classes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the class whose longest ending ``name`` ends with."""
    best: tuple[int, dict[str, Any]] | None = None
    for entry in classes:
        for ending in entry.get("endings", []):
            if ending and name.endswith(ending) and (best is None or len(ending) > best[0]):
                best = (len(ending), entry)
    return best[1] if best else None


def _by_words(text: str, classes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the first class one of whose words occurs in ``text``."""
    return next((c for c in classes if any(w and w in text for w in c.get("words", []))), None)


def _count(profile: Profile, what: str) -> dict[str, Any]:
    count = profile.count(what)
    return {"value": count.value if count else 0, "stated": bool(count and count.stated)}


def _by_area(profile: Profile, labels: dict[str, Any]) -> bool:
    """Return whether the strategies are organised by policy area (분야별)."""
    words = labels.get("traits", {}).get("area_words", ["분야", "부문"])
    return any(w in i.value for i in profile.of(Role.STRATEGY) for w in words)


def case_traits(profile: Profile, matrix: Matrix, labels: dict[str, Any],
                show: Any) -> dict[str, Any]:
    """Return one case's traits as plain data; ``show(item, text)`` prints ``text`` (a part
    of the item's value) as the report shows that item, with the draft mark if unreviewed.

    ::

        {"structure": {"vision": bool, "goals"|"strategies"|"projects": {"value", "stated"},
                       "by_area": bool, "tiers": n},
         "offices": [{"name", "rank", "level"}], "office": one of offices | None,
         "committees": [{"name", "type"}], "committee_types": [[type, n], …],
         "intermediaries": [{"name", "kind", "operation"}],
         "typology": "민관협력형" | ""}
    """
    subs = {s.id: s for e in matrix.framework.elements for s in e.subcodes}

    def of_sub(role: SubRole) -> list[CodedItem]:
        return [i for i in profile.items if profile.sub_role(i) == role]

    goals = _count(profile, "goals")
    strategies = _count(profile, "strategies")
    projects = _count(profile, "projects")
    vision = bool(profile.of(Role.VISION))
    tiers = sum(1 for present in (vision, goals["value"], strategies["value"],
                                  projects["value"] and projects["stated"]) if present)

    offices = []
    for item in of_sub(SubRole.DEPARTMENT):
        rank = _by_ending(bare_name(item.value), _classes(labels, "office"))
        name = show(item, bare_name(item.value))
        offices.append({"name": name, "rank": rank["label"] if rank else "",
                        "level": int(rank.get("level", 9)) if rank else 9})
    office = min(offices, key=lambda o: o["level"]) if offices else None

    committees = []
    for item in of_sub(SubRole.COMMITTEE):
        kind = _by_ending(bare_name(item.value), _classes(labels, "committee"))
        name = show(item, bare_name(item.value))
        committees.append({"name": name, "type": kind["label"] if kind else ""})
    order = [c["label"] for c in _classes(labels, "committee")]
    types = [[t, sum(1 for c in committees if c["type"] == t)] for t in order]
    other = sum(1 for c in committees if not c["type"])
    committee_types = [t for t in types if t[1]] + ([["", other]] if other else [])

    intermediaries = []
    for item in profile.of(Role.INTERMEDIARY):
        sub = subs.get(item.subcode)
        operation = _by_words(f"{item.value} {item.evidence}", _classes(labels, "operation"))
        name = show(item, bare_name(item.value))
        intermediaries.append({"name": name, "kind": sub.label_ko if sub else "",
                               "operation": operation["label"] if operation else ""})

    return {"structure": {"vision": vision, "goals": goals, "strategies": strategies,
                          "projects": projects, "by_area": _by_area(profile, labels),
                          "tiers": tiers},
            "offices": offices, "office": office, "committees": committees,
            "committee_types": committee_types, "intermediaries": intermediaries,
            "typology": matrix.typology(profile)[0]}
