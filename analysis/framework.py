"""The shared framework (codebook, ``framework.toml``): the elements every case is coded on.

Each element has an id, Korean and English labels, a definition, include/exclude rules,
whether several items are allowed, and an example.  An element may have sub-codes (e.g. the
kind of governance body); every sub-code belongs to exactly one element.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from analysis.errors import Problem
from analysis.study import Study

CODE_ID = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
ELEMENT_KEYS = {"id", "label_ko", "label_en", "definition", "include", "exclude", "multiple",
                "example", "core", "subcodes"}
SUBCODE_KEYS = {"id", "label_ko", "label_en", "definition"}


@dataclass(frozen=True)
class Subcode:
    """A finer code under one element (e.g. ``committee`` under ``governance``)."""

    id: str
    element: str
    label_ko: str
    label_en: str
    definition: str


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

    def label(self, element_id: str) -> str:
        element = self.element(element_id)
        return element.label_ko if element else element_id


def load_framework(study: Study) -> tuple[Framework, list[Problem]]:
    """Return the framework and every problem in it; a broken file gives an empty framework."""
    path = study.framework_file
    rel = study.rel(path)
    empty = Framework("", ())
    if not path.is_file():
        return empty, [Problem(rel, None, None, "framework (codebook) is missing",
                               "copy framework.toml from the policy-report repository")]
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return empty, [Problem(rel, None, None, f"not UTF-8 text (byte {exc.start})",
                               "save the framework as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        return empty, [Problem(rel, None, None, f"not valid TOML: {exc}",
                               "fix the quoting or brackets on that line")]
    problems: list[Problem] = []
    raw_elements = data.get("elements", [])
    if not isinstance(raw_elements, list) or not raw_elements:
        return empty, [Problem(rel, None, None, "no [[elements]] defined",
                               "each element is an [[elements]] table")]
    elements: list[Element] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_elements, start=1):
        element = _element(rel, index, raw, seen, problems)
        if element:
            elements.append(element)
    known = {s.id for e in elements for s in e.subcodes}
    typologies = []
    for raw in data.get("typology", []) if isinstance(data.get("typology"), list) else []:
        typology = Typology(_text(raw, "label"), _text(raw, "definition"),
                            _texts(raw, "all_of"), _texts(raw, "any_of"))
        for code in (*typology.all_of, *typology.any_of):
            if code not in known:
                problems.append(Problem(rel, None, f"typology {typology.label!r}",
                                        f"unknown sub-code {code!r}",
                                        f"sub-codes: {', '.join(sorted(known))}"))
        typologies.append(typology)
    return Framework(str(data.get("name", "")), tuple(elements), tuple(typologies)), problems


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _texts(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _element(rel: str, index: int, raw: Any, seen: set[str],
             problems: list[Problem]) -> Element | None:
    where = f"element #{index}"
    if not isinstance(raw, dict):
        problems.append(Problem(rel, None, where, "must be a table", "write [[elements]]"))
        return None
    eid = _text(raw, "id")
    where = f"element {eid!r}" if eid else where
    for key in raw:
        if key not in ELEMENT_KEYS:
            problems.append(Problem(rel, None, where, f"unknown key {key!r}",
                                    f"known keys: {', '.join(sorted(ELEMENT_KEYS))}"))
    for key in ("id", "label_ko", "label_en", "definition"):
        if not _text(raw, key):
            problems.append(Problem(rel, None, where, f"{key} is required", f'write {key} = "…"'))
    if eid and not CODE_ID.match(eid):
        problems.append(Problem(rel, None, where, "id must be lower-case ASCII",
                                "letters, digits and '_', starting with a letter"))
    if eid in seen:
        problems.append(Problem(rel, None, where, "id used twice", "give each code its own id"))
    seen.add(eid)
    subcodes: list[Subcode] = []
    for sub in raw.get("subcodes", []) if isinstance(raw.get("subcodes"), list) else []:
        sid = _text(sub, "id") if isinstance(sub, dict) else ""
        if not sid or not CODE_ID.match(sid) or not isinstance(sub, dict):
            problems.append(Problem(rel, None, where, f"sub-code {sid!r} needs an ASCII id",
                                    "write id = \"…\" in each [[elements.subcodes]]"))
            continue
        if sid in seen:
            problems.append(Problem(rel, None, where, f"sub-code id {sid!r} used twice",
                                    "every sub-code rolls up to exactly one element"))
            continue
        seen.add(sid)
        subcodes.append(Subcode(sid, eid, _text(sub, "label_ko"), _text(sub, "label_en"),
                                _text(sub, "definition")))
    return Element(
        id=eid, label_ko=_text(raw, "label_ko"), label_en=_text(raw, "label_en"),
        definition=_text(raw, "definition"), include=_texts(raw, "include"),
        exclude=_texts(raw, "exclude"), multiple=bool(raw.get("multiple", True)),
        example=_text(raw, "example"), core=bool(raw.get("core", False)),
        subcodes=tuple(subcodes))
