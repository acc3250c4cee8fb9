"""What the templates may read: the matrix turned into plain data.

Templates get dicts, lists, strings, numbers and booleans only, never the tool's objects
(a pandas frame can write files; a dataclass method can reach the study).  Every value a
template prints comes from a coded item or the registry; a draft marks unreviewed values
with the study's draft mark wherever they appear, prose included.

A case (``home``, ``benchmarks``, ``cases``) is::

    {"id", "name", "level", "field", "plan_title", "role", "is_home",
     "sources": [source, …],
     "found": {role: [text, …]},           # every Role, [] when nothing is coded
     "sub": {sub-role or sub-code id: [text, …]},   # committee, department, center …
     "counts": {"goals"|"strategies"|"projects": {"value": n, "stated": bool} | None},
     "typology": "민관협력형" | "",
     "notes": [text, …],                   # reviewers' 주 lines
     "traits": {…}}                        # the comparison's dimensions (findings.py)

A source is ``{"id", "publisher", "headline", "date", "author", "url", "kind"}``; an
element ``{"id", "role", "key", "label", "label_en", "definition", "include", "exclude",
"core", "multiple", "subcodes": [{"id", "role", "label", "definition"}]}`` where ``key`` is
its role, or its id when it plays none: the key of ``found``.
"""

from __future__ import annotations

from typing import Any

from analysis.framework import Element, Framework
from analysis.registry import Source
from analysis.report.findings import case_traits
from analysis.report.matrix import Matrix, Profile
from analysis.sheets import CodedItem
from analysis.vocab import Role, Status, SubRole


def source_facts(source: Source) -> dict[str, str]:
    """Return a source's provenance as plain data."""
    return {"id": source.id, "publisher": source.publisher, "headline": source.headline,
            "date": source.date, "author": source.author, "url": source.url,
            "kind": source.kind}


def element_facts(element: Element) -> dict[str, Any]:
    """Return a framework element as plain data."""
    return {"id": element.id, "role": element.role, "key": element.role or element.id,
            "label": element.label_ko,
            "label_en": element.label_en, "definition": element.definition,
            "include": list(element.include), "exclude": list(element.exclude),
            "core": element.core, "multiple": element.multiple,
            "subcodes": [{"id": s.id, "role": s.role, "label": s.label_ko,
                          "definition": s.definition} for s in element.subcodes]}


def marked(item: CodedItem, mark: str, text: str | None = None) -> str:
    """Return an item's value (or ``text``, a part of it) as the report prints it: with
    ``mark`` (the draft mark, or "") before a suggestion no reviewer has accepted yet."""
    shown = item.value if text is None else text
    return f"{mark} {shown}" if item.status == Status.SUGGESTED and mark else shown


def case_facts(profile: Profile, matrix: Matrix, mark: str,
               labels: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return one case's profile as plain data (see the module docstring)."""
    case = profile.case
    values = {role.value: [marked(i, mark) for i in profile.of(role)] for role in Role}
    for element in matrix.framework.elements:  # elements playing no role, by id
        values.setdefault(element.role or element.id,
                          [marked(i, mark) for i in profile.of(element.id)])
    sub = {role.value: [marked(i, mark) for i in profile.items if profile.sub_role(i) == role]
           for role in SubRole}
    for element in matrix.framework.elements:  # a study's own sub-codes, by id
        for code in element.subcodes:
            sub.setdefault(code.id, [marked(i, mark) for i in profile.items
                                     if i.subcode == code.id])
    counts: dict[str, dict[str, Any] | None] = {}
    for what in ("goals", "strategies", "projects"):
        count = profile.count(what)
        counts[what] = {"value": count.value, "stated": count.stated} if count else None
    return {"id": case.id, "name": case.name, "level": case.level, "field": case.field,
            "plan_title": case.plan_title, "role": case.role, "is_home": case.is_home,
            "sources": [source_facts(s) for s in profile.sources],
            "found": values, "sub": sub, "counts": counts,
            "typology": matrix.typology(profile)[0], "notes": profile.notes(),
            "traits": case_traits(profile, matrix, labels or {},
                                  lambda i, text: marked(i, mark, text))}


def framework_facts(framework: Framework) -> dict[str, Any]:
    """Return the elements, the roles they play and the typology, as plain data."""
    elements = [element_facts(e) for e in framework.elements]
    roles = {role.value: next((e for e in elements if e["role"] == role), None)
             for role in Role}
    return {"elements": elements, "core": [e for e in elements if e["core"]],
            "others": [e for e in elements if not e["core"]], "roles": roles,
            "typologies": [{"label": t.label, "definition": t.definition}
                           for t in framework.typologies]}
