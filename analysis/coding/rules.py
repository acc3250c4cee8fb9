"""Coding rules as data: the packaged ``analysis/data/rules.toml``, extended by a study's own
``rules.toml`` (same id replaces, new id adds, ``enabled = false`` switches a rule off).

A broken rule (bad regular expression, unknown kind or element) is a ``Problem`` naming the
file, the line of the rule's id and what to fix, like every other input of the tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from analysis.errors import PolicyReportError, Problem, errors
from analysis.tomlfile import parse_toml, read_toml

KINDS = ("regex", "entity", "marked_list", "counted_list", "heading", "section")
RULES_NAME = "rules.toml"


@dataclass(frozen=True)
class Suffix:
    """Words that end a name of the rule's element (협의체, 위원회), with their sub-code."""

    words: tuple[str, ...]
    subcode: str
    require: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Rule:
    """One coding rule."""

    id: str
    element: str
    kind: str
    confidence: float
    subcode: str = ""
    pattern: re.Pattern[str] | None = None
    anchor: re.Pattern[str] | None = None
    require: re.Pattern[str] | None = None
    exclude: tuple[re.Pattern[str], ...] = ()
    suffixes: tuple[Suffix, ...] = ()
    generic: frozenset[str] = frozenset()
    markers: str = ""
    max_chars: int = 40
    min_count: int = 2
    not_followed_by: re.Pattern[str] | None = None


@dataclass(frozen=True)
class NoisePattern:
    pattern: re.Pattern[str]
    max_chars: int


@dataclass(frozen=True)
class Rules:
    """All active rules, and the noise settings used by ``clean``."""

    rules: tuple[Rule, ...]
    noise: tuple[NoisePattern, ...] = ()
    min_body_chars: int = 30
    min_hangul_ratio: float = 0.3
    sources: tuple[str, ...] = field(default=())


def packaged_rules_text() -> str:
    """Return the text of the rules shipped with the tool."""
    return resources.files("analysis.data").joinpath(RULES_NAME).read_text(encoding="utf-8")


def load_rules(study_root: Path | None = None, elements: set[str] | None = None) -> Rules:
    """Return the packaged rules extended by ``<study>/rules.toml``; raise listing all problems."""
    problems: list[Problem] = []
    files = [parse_toml(packaged_rules_text(), "analysis/data/rules.toml")]
    if study_root is not None:
        files.append(read_toml(study_root / RULES_NAME, RULES_NAME))
    texts: list[tuple[str, str]] = []
    merged: dict[str, tuple[str, str, dict[str, Any]]] = {}
    noise: dict[str, Any] = {}
    for parsed, found in files:
        problems += errors(found)
        if parsed is None:
            continue
        path, text, data = parsed.rel, parsed.text, parsed.data
        texts.append((path, text))
        noise.update(data.get("noise", {}))
        for raw in data.get("rules", []):
            rid = str(raw.get("id", ""))
            if not rid:
                problems.append(Problem(path, None, "id", "a rule has no id",
                                        'give every [[rules]] an id = "element.name"'))
                continue
            merged[rid] = (path, text, raw)
    rules = []
    for rid, (path, text, raw) in merged.items():
        if raw.get("enabled", True) is False:
            continue
        rule = _rule(rid, raw, _Where(path, text, rid, problems), elements)
        if rule is not None:
            rules.append(rule)
    noise_patterns = []
    for entry in noise.get("patterns", []):
        compiled = _compile(entry.get("pattern", ""), _Where(texts[-1][0], "", "noise", problems),
                            "pattern")
        if compiled is not None:
            noise_patterns.append(NoisePattern(compiled, int(entry.get("max_chars", 80))))
    if problems:
        raise PolicyReportError(problems)
    return Rules(tuple(rules), tuple(noise_patterns), int(noise.get("min_body_chars", 30)),
                 float(noise.get("min_hangul_ratio", 0.3)), tuple(p for p, _ in texts))


@dataclass
class _Where:
    path: str
    text: str
    rid: str
    problems: list[Problem]

    def problem(self, key: str, message: str, hint: str) -> None:
        line = None
        for number, content in enumerate(self.text.splitlines(), start=1):
            if re.match(r'\s*id\s*=\s*"' + re.escape(self.rid) + '"', content):
                line = number
                break
        self.problems.append(Problem(self.path, line, f"rule {self.rid} {key}", message, hint))


def _compile(pattern: Any, where: _Where, key: str) -> re.Pattern[str] | None:
    if not isinstance(pattern, str) or not pattern:
        where.problem(key, "must be a non-empty pattern", f"write {key} = '''…'''")
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        where.problem(key, f"bad regular expression: {exc}",
                      "check brackets and escapes; test it at the Python prompt with re.compile")
        return None


def _rule(rid: str, raw: dict[str, Any], where: _Where, elements: set[str] | None) -> Rule | None:
    kind = raw.get("kind", "")
    element = raw.get("element", "")
    if kind not in KINDS:
        where.problem("kind", f"unknown kind {kind!r}", f"use one of: {', '.join(KINDS)}")
        return None
    if elements is not None and element not in elements:
        where.problem("element", f"unknown element {element!r}",
                      f"use an element of framework.toml: {', '.join(sorted(elements))}")
        return None
    confidence = raw.get("confidence", 0.5)
    if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        where.problem("confidence", f"{confidence!r} is not a number from 0 to 1", "e.g. 0.8")
        return None
    pattern = _compile(raw["pattern"], where, "pattern") if "pattern" in raw else None
    anchor = _compile(raw["anchor"], where, "anchor") if "anchor" in raw else None
    require = _compile(raw["require"], where, "require") if "require" in raw else None
    after = (_compile(raw["not_followed_by"], where, "not_followed_by")
             if "not_followed_by" in raw else None)
    exclude = tuple(p for p in (_compile(x, where, "exclude") for x in raw.get("exclude", []))
                    if p is not None)
    if kind == "regex" and (pattern is None or "value" not in pattern.groupindex):
        where.problem("pattern", "a regex rule needs a pattern with a (?P<value>…) group",
                      "name the part that is the coded value (?P<value>…)")
        return None
    if kind in ("marked_list", "counted_list", "section") and anchor is None:
        where.problem("anchor", f"a {kind} rule needs an anchor pattern", "add anchor = '''…'''")
        return None
    suffixes = []
    for entry in raw.get("suffixes", []):
        words = tuple(str(w) for w in entry.get("words", []))
        if not words:
            where.problem("suffixes", "a suffix entry has no words", 'write words = ["…"]')
            continue
        needs = _compile(entry["require"], where, "require") if "require" in entry else None
        suffixes.append(Suffix(words, str(entry.get("subcode", raw.get("subcode", ""))), needs))
    if kind == "entity" and not suffixes:
        where.problem("suffixes", "an entity rule needs suffixes", 'suffixes = [{ words = ["…"] }]')
        return None
    return Rule(id=rid, element=element, kind=kind, confidence=float(confidence),
                subcode=str(raw.get("subcode", "")), pattern=pattern, anchor=anchor,
                require=require, exclude=exclude, suffixes=tuple(suffixes),
                generic=frozenset(str(g) for g in raw.get("generic", [])),
                markers=str(raw.get("markers", "")), max_chars=int(raw.get("max_chars", 40)),
                min_count=int(raw.get("min_count", 2)), not_followed_by=after)
