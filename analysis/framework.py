"""The shared framework (codebook, ``framework.toml``): the elements every case is coded on.

Each element has an id, Korean and English labels, a definition, include/exclude rules,
whether several items are allowed, and an example.  An element may have sub-codes (e.g. the
kind of governance body); every sub-code belongs to exactly one element.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Any

from analysis.errors import Problem, errors
from analysis.study import Study
from analysis.tomlfile import TomlFile, dotted, read_toml
from analysis.vocab import Role, SubRole, members

CODE_ID = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
ELEMENT_KEYS = {"id", "role", "label_ko", "label_en", "definition", "include", "exclude",
                "multiple", "example", "core", "subcodes"}
SUBCODE_KEYS = {"id", "role", "label_ko", "label_en", "definition"}
TYPOLOGY_KEYS = {"label", "definition", "all_of", "any_of"}
TOP_KEYS = ("name", "elements", "typology")


@dataclass(frozen=True)
class Subcode:
    """A finer code under one element (e.g. ``committee`` under ``governance``)."""

    id: str
    element: str
    label_ko: str
    label_en: str
    definition: str
    role: str = ""  # a SubRole, or "" when the report gives the sub-code no meaning
    when: str = ""  # from the coding manual: when an item takes this sub-code


@dataclass(frozen=True)
class Decision:
    """A worked decision of the coding manual: a made-up passage, what is coded, and why."""

    text: str
    decision: str
    why: str


@dataclass(frozen=True)
class Element:
    """One element of the framework."""

    id: str
    label_ko: str
    label_en: str
    definition: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    multiple: bool
    example: str
    core: bool
    subcodes: tuple[Subcode, ...]
    role: str = ""  # a Role, or "" for an element the report shows only generically
    unit: str = ""  # from the coding manual: what one coded item is
    decisions: tuple[Decision, ...] = ()  # from the coding manual: worked decisions
    manual_include: tuple[str, ...] = ()  # the manual's fuller rules of what is coded
    manual_exclude: tuple[str, ...] = ()  # … and of what is not


@dataclass(frozen=True)
class Typology:
    """A type a case is given from the sub-codes its items carry (first matching type wins)."""

    label: str
    definition: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()

    def matches(self, subcodes: set[str]) -> bool:
        return (all(s in subcodes for s in self.all_of)
                and (not self.any_of or any(s in subcodes for s in self.any_of)))


@dataclass(frozen=True)
class Framework:
    """The elements in codebook order, with look-ups by id."""

    name: str
    elements: tuple[Element, ...]
    typologies: tuple[Typology, ...] = ()
    rules: tuple[str, ...] = ()  # the coding manual's general rules

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)

    def subcode(self, subcode_id: str) -> Subcode | None:
        return next((s for e in self.elements for s in e.subcodes if s.id == subcode_id), None)

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.elements]

    @property
    def core(self) -> list[Element]:
        return [e for e in self.elements if e.core]

    def by_role(self, role: Role) -> Element | None:
        """Return the element that plays ``role`` in this study, if any."""
        return next((e for e in self.elements if e.role == role), None)

    def id_of(self, role: Role) -> str:
        """Return the id of the element playing ``role`` ("" when the framework has none)."""
        element = self.by_role(role)
        return element.id if element else ""

    def sub_of(self, role: SubRole) -> Subcode | None:
        """Return the sub-code that plays ``role``, if any."""
        return next((s for e in self.elements for s in e.subcodes if s.role == role), None)

    def resolve(self, name: str) -> Element | None:
        """Return the element with id ``name``, or else the one playing role ``name``."""
        found = self.element(name)
        if found is None and name in Role.__members__.values():
            found = self.by_role(Role(name))
        return found

    def label(self, element_id: str) -> str:
        element = self.element(element_id)
        return element.label_ko if element else element_id


def load_framework(study: Study) -> tuple[Framework, list[Problem]]:
    """Return the framework and every problem in it; a broken file gives an empty framework."""
    path = study.framework_file
    rel = study.rel(path)
    empty = Framework("", ())
    parsed, problems = read_toml(path, rel, ("framework (codebook) is missing",
                                              "copy framework.toml from the policy-report "
                                              "repository, or run policy-report init"))
    if parsed is None or errors(problems):
        return empty, problems
    data = parsed.data
    raw_elements = data.get("elements", [])
    if not isinstance(raw_elements, list) or not raw_elements:
        return empty, [Problem(rel, None, None, "no [[elements]] defined",
                               "each element is an [[elements]] table")]
    for key in data:
        if key not in TOP_KEYS:
            close = difflib.get_close_matches(key, TOP_KEYS, n=1)
            problems.append(Problem(rel, parsed.line(key), key, f"unknown key {key!r}"
                                    + (f" (did you mean {close[0]!r}?)" if close else ""),
                                    f"framework.toml holds: {', '.join(TOP_KEYS)}"))
    elements: list[Element] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_elements, start=1):
        element = _element(parsed, index, raw, seen, problems)
        if element:
            elements.append(element)
    known = {s.id for e in elements for s in e.subcodes}
    typologies = []
    raw_types = data.get("typology", [])
    if not isinstance(raw_types, list):
        problems.append(Problem(rel, parsed.line("typology"), "typology",
                                "must be [[typology]] tables", "write [[typology]] headers"))
        raw_types = []
    for index, raw in enumerate(raw_types):
        where: tuple[str | int, ...] = ("typology", index)
        if not isinstance(raw, dict):
            problems.append(Problem(rel, parsed.line(*where), f"typology #{index + 1}",
                                    "must be a table", "write [[typology]] and its keys"))
            continue
        for key in raw:
            if key not in TYPOLOGY_KEYS:
                problems.append(Problem(rel, parsed.line(*where, key), f"typology #{index + 1}",
                                        f"unknown key {key!r}",
                                        f"known keys: {', '.join(sorted(TYPOLOGY_KEYS))}"))
        typology = Typology(_text(raw, "label"), _text(raw, "definition"),
                            _list(parsed, where, raw, "all_of", problems),
                            _list(parsed, where, raw, "any_of", problems))
        if not typology.label:
            problems.append(Problem(rel, parsed.line(*where), f"typology #{index + 1}",
                                    "label is required", 'write label = "민관협력형"'))
        for code in (*typology.all_of, *typology.any_of):
            if code not in known:
                problems.append(Problem(rel, parsed.line(*where), f"typology {typology.label!r}",
                                        f"unknown sub-code {code!r}",
                                        f"sub-codes: {', '.join(sorted(known))}"))
        typologies.append(typology)
    _check_roles(parsed, elements, problems)
    elements, rules = _with_manual(study, elements, problems)
    return (Framework(str(data.get("name", "")), tuple(elements), tuple(typologies), rules),
            problems)


MANUAL = "manual.toml"
MANUAL_KEYS = {"id", "definition", "include", "exclude", "unit", "decisions", "subcodes"}


def _with_manual(study: Study, elements: list[Element], problems: list[Problem]
                 ) -> tuple[list[Element], tuple[str, ...]]:
    """Return the elements with the coding manual's definitions, fuller rules of inclusion
    and exclusion, unit and worked decisions (``manual.toml`` beside the framework,
    optional).  The framework's own short include/exclude stay for the report's 분석틀."""
    parsed, found = read_toml(study.root / MANUAL, MANUAL)
    problems += found
    if parsed is None or errors(found):
        return elements, ()
    by_id = {e.id: e for e in elements}
    result = dict(by_id)
    raw_elements = parsed.data.get("elements", [])
    for index, raw in enumerate(raw_elements if isinstance(raw_elements, list) else []):
        path: tuple[str | int, ...] = ("elements", index)
        eid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or eid not in by_id:
            problems.append(Problem(MANUAL, parsed.line(*path), f"elements[{index}]",
                                    f"no element {eid!r} in framework.toml",
                                    f"elements: {', '.join(by_id)}"))
            continue
        for key in raw:
            if key not in MANUAL_KEYS:
                problems.append(Problem(MANUAL, parsed.line(*path, key), f"element {eid!r}",
                                        f"unknown key {key!r}",
                                        f"known keys: {', '.join(sorted(MANUAL_KEYS))}"))
        decisions = []
        for number, item in enumerate(raw.get("decisions", [])
                                      if isinstance(raw.get("decisions"), list) else []):
            if isinstance(item, dict) and all(isinstance(item.get(k), str)
                                              for k in ("text", "decision", "why")):
                decisions.append(Decision(item["text"], item["decision"], item["why"]))
            else:
                problems.append(Problem(MANUAL, parsed.line(*path, "decisions"),
                                        f"element {eid!r}",
                                        f"decision #{number + 1} needs text, decision and why",
                                        'write text = "…", decision = "…", why = "…"'))
        element = by_id[eid]
        when = {}
        for item in raw.get("subcodes", []) if isinstance(raw.get("subcodes"), list) else []:
            sid = item.get("id") if isinstance(item, dict) else None
            if sid not in {s.id for s in element.subcodes}:
                problems.append(Problem(MANUAL, parsed.line(*path, "subcodes"),
                                        f"element {eid!r}", f"no sub-code {sid!r} of {eid!r}",
                                        "sub-codes: " + ", ".join(s.id for s in
                                                                 element.subcodes)))
                continue
            when[sid] = _text(item, "when")
        result[eid] = replace(
            element, definition=_text(raw, "definition") or element.definition,
            manual_include=_list(parsed, path, raw, "include", problems),
            manual_exclude=_list(parsed, path, raw, "exclude", problems),
            unit=_text(raw, "unit"), decisions=tuple(decisions),
            subcodes=tuple(replace(s, when=when.get(s.id, "")) for s in element.subcodes))
    rules = parsed.data.get("general_rules", [])
    texts = tuple(r for r in rules if isinstance(r, str)) if isinstance(rules, list) else ()
    return [result[e.id] for e in elements], texts


def _check_roles(parsed: TomlFile, elements: list[Element], problems: list[Problem]) -> None:
    taken: dict[str, str] = {}
    for index, element in enumerate(elements):
        codes = [(element.role, element.id, ("elements", index, "role"))]
        codes += [(s.role, s.id, ("elements", index, "subcodes")) for s in element.subcodes]
        for role, code, path in codes:
            if not role:
                continue
            if role in taken:
                problems.append(Problem(parsed.rel, parsed.line(*path), f"element {code!r}",
                                        f"role {role!r} is also played by {taken[role]!r}",
                                        "give each role to one element or sub-code"))
            taken.setdefault(role, code)


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _list(parsed: TomlFile, path: tuple[str | int, ...], raw: dict[str, Any], key: str,
          problems: list[Problem]) -> tuple[str, ...]:
    """Return ``raw[key]`` when it is a list of texts, else note the problem."""
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(parsed.rel, parsed.line(*path, key), dotted(path),
                                f"{key} must be a list of texts, not {value!r:.40}",
                                f'write {key} = ["…", "…"]'))
        return ()
    return tuple(v.strip() for v in value)


def _flag(parsed: TomlFile, path: tuple[str | int, ...], where: str, raw: dict[str, Any],
          key: str, default: bool, problems: list[Problem]) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        problems.append(Problem(parsed.rel, parsed.line(*path, key), where,
                                f"{key} must be true or false, not {value!r}",
                                f"write {key} = {str(default).lower()} (without quotes)"))
        return default
    return value


def _role(parsed: TomlFile, path: tuple[str | int, ...], where: str, raw: dict[str, Any],
          code: str, kind: type[Role] | type[SubRole], problems: list[Problem]) -> str:
    """Return the code's role: as written, else its id when that names a role, else ""."""
    value = raw.get("role")
    known = {m.value for m in kind}
    if value is None:
        return code if code in known else ""
    if not isinstance(value, str) or value not in known:
        problems.append(Problem(parsed.rel, parsed.line(*path, "role"), where,
                                f"unknown role {value!r}", f"roles: {members(kind)}"))
        return ""
    return value


def _element(parsed: TomlFile, index: int, raw: Any, seen: set[str],
             problems: list[Problem]) -> Element | None:
    rel = parsed.rel
    path: tuple[str | int, ...] = ("elements", index - 1)
    where = f"element #{index}"
    if not isinstance(raw, dict):
        problems.append(Problem(rel, None, where, "must be a table", "write [[elements]]"))
        return None
    eid = _text(raw, "id")
    where = f"element {eid!r}" if eid else where
    for key in raw:
        if key not in ELEMENT_KEYS:
            problems.append(Problem(rel, parsed.line(*path, key), where, f"unknown key {key!r}",
                                    f"known keys: {', '.join(sorted(ELEMENT_KEYS))}"))
    for key in ("id", "label_ko", "label_en", "definition"):
        if not _text(raw, key):
            problems.append(Problem(rel, parsed.line(*path), where, f"{key} is required",
                                    f'write {key} = "…"'))
    if eid and not CODE_ID.match(eid):
        problems.append(Problem(rel, parsed.line(*path, "id"), where, "id must be lower-case ASCII",
                                "letters, digits and '_', starting with a letter"))
    if eid in seen:
        problems.append(Problem(rel, parsed.line(*path, "id"), where, "id used twice",
                                "give each code its own id"))
    seen.add(eid)
    subcodes: list[Subcode] = []
    raw_subs = raw.get("subcodes", [])
    if not isinstance(raw_subs, list) or not all(isinstance(x, dict) for x in raw_subs):
        problems.append(Problem(rel, parsed.line(*path, "subcodes"), where,
                                f"subcodes must be [[elements.subcodes]] tables, not "
                                f"{raw_subs!r:.40}",
                                "write each sub-code as an [[elements.subcodes]] table with "
                                "id, label_ko, label_en and definition"))
        raw_subs = []
    for sub in raw_subs:
        sid = _text(sub, "id") if isinstance(sub, dict) else ""
        if not sid or not CODE_ID.match(sid) or not isinstance(sub, dict):
            problems.append(Problem(rel, parsed.line(*path, "subcodes"), where,
                                    f"sub-code {sid!r} needs an ASCII id",
                                    "write id = \"…\" in each [[elements.subcodes]]"))
            continue
        if sid in seen:
            problems.append(Problem(rel, parsed.line(*path, "subcodes"), where,
                                    f"sub-code id {sid!r} used twice",
                                    "every sub-code rolls up to exactly one element"))
            continue
        seen.add(sid)
        for key in sub:
            if key not in SUBCODE_KEYS:
                problems.append(Problem(rel, parsed.line(*path, "subcodes"), where,
                                        f"unknown key {key!r} in sub-code {sid!r}",
                                        f"known keys: {', '.join(sorted(SUBCODE_KEYS))}"))
        subcodes.append(Subcode(sid, eid, _text(sub, "label_ko"), _text(sub, "label_en"),
                                _text(sub, "definition"),
                                _role(parsed, path, where, sub, sid, SubRole, problems)))
    return Element(
        id=eid, label_ko=_text(raw, "label_ko"), label_en=_text(raw, "label_en"),
        definition=_text(raw, "definition"),
        include=_list(parsed, path, raw, "include", problems),
        exclude=_list(parsed, path, raw, "exclude", problems),
        multiple=_flag(parsed, path, where, raw, "multiple", True, problems),
        example=_text(raw, "example"),
        core=_flag(parsed, path, where, raw, "core", False, problems),
        subcodes=tuple(subcodes), role=_role(parsed, path, where, raw, eid, Role, problems))
