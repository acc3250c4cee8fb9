"""Which city or county a sentence is about, from a gazetteer of Korean local governments.

Names are matched with their administrative suffix (청주시, 완주군, 성북구); metropolitan
cities and provinces also bare (울산, 충남), as Korean news writes them.  A case's own name
may also appear bare (전주형, 창원형), since the case is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

PROVINCE_LEVELS = ("도", "특별자치도")
SUBJECT_AFTER = re.compile(r"^(?:은|는|이|가|에서는|에서|도|,|\s*=)")
# what may stand before a sentence's subject: brackets, a dateline, a byline
LEAD_IN = re.compile(
    r"^(?:\s|[\[\(【<][^\]\)】>]{0,30}[\]\)】>]|[^가-힣]{0,3}|[가-힣]{1,12}\s?기자\s?[|=])*")
HANGUL = re.compile(r"[가-힣]")
LEVEL_SUFFIX = re.compile(r"(특별자치시|특별자치도|특별시|광역시|특례시|시|군|구|도)$")


@dataclass(frozen=True)
class Mention:
    """A place name found in a text: where, which place (its stem), and its level."""

    start: int
    end: int
    stem: str
    level: str


def stem_of(name: str) -> str:
    """Return a place name without its administrative suffix (울산광역시 → 울산)."""
    return LEVEL_SUFFIX.sub("", name.strip()) or name.strip()


@cache
def _gazetteer() -> tuple[tuple[str, str], ...]:
    text = resources.files("analysis.data").joinpath("places.txt").read_text(encoding="utf-8")
    rows = [line.split() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return tuple((stem, level) for stem, level in rows)


def _forms(stem: str, level: str) -> list[str]:
    if level in ("특별시", "광역시", "특별자치시"):
        return [stem + level, stem + "시", stem]
    if level in PROVINCE_LEVELS:
        return [stem + level, stem + "도"] + ([] if stem.endswith(("북", "남")) and
                                              len(stem) == 3 else [stem])
    if level == "특례시":
        return [stem + "특례시", stem + "시"]
    if level == "own":
        return [stem]
    return [stem + level]


Forms = dict[str, tuple[str, str]]


@cache
def _pattern(extra: tuple[tuple[str, str], ...] = ()) -> tuple[re.Pattern[str], Forms]:
    forms: Forms = {}
    for stem, level in (*_gazetteer(), *extra):
        for form in _forms(stem, level):
            forms.setdefault(form, (stem, level))
    alternatives = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), forms


def find_places(text: str, own: tuple[str, ...] = ()) -> list[Mention]:
    """Return the place names in ``text``; ``own`` adds bare stems of the case being coded."""
    pattern, forms = _pattern(tuple((stem, "own") for stem in own))
    provinces = {f for f, (_, level) in forms.items() if level in PROVINCE_LEVELS}
    found: list[Mention] = []
    for match in pattern.finditer(text):
        before = text[:match.start()]
        if before and HANGUL.match(before[-1]) and not any(before.endswith(p) for p in provinces):
            continue
        stem, level = forms[match.group()]
        found.append(Mention(match.start(), match.end(), stem, level))
    return found


def is_subject(text: str, mention: Mention) -> bool:
    """Return True when the sentence is about the place: it opens the sentence or is its subject."""
    if SUBJECT_AFTER.match(text[mention.end:]):
        return True
    lead = LEAD_IN.match(text)
    return lead is not None and lead.end() >= mention.start
