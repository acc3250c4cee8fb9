"""Which city or county a sentence is about, from a gazetteer of Korean local governments.

Names are matched with their administrative suffix (청주시, 완주군, 성북구); metropolitan
cities and provinces also bare (울산, 충남), as Korean news writes them.  A case's own name
may also appear bare (전주형, 창원형), since the case is known.  A case named with its
parent ("서울특별시 은평구") is the 구; the parent written right before a place
("서울 은평구", "충북 옥천군") only qualifies that place and is not a place of its own.

The gazetteer is compiled once, as a trie-shaped regular expression (one pass over a text,
no alternation of hundreds of names tried at every character).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from analysis.coding.clean import HANGUL

PROVINCE_LEVELS = ("도", "특별자치도")
SUBJECT_AFTER = re.compile(r"^(?:은|는|이|가|에서는|에서|도|,|\s*=)")
# what may stand before a sentence's subject: brackets, a dateline, a byline
LEAD_IN = re.compile(
    r"^(?:\s|[\[\(【<][^\]\)】>]{0,30}[\]\)】>]|[^가-힣]{0,3}|[가-힣]{1,12}\s?기자\s?[|=])*")
LEVEL_SUFFIX = re.compile(r"(특별자치시|특별자치도|특별시|광역시|특례시|시|군|구|도)$")
# provinces written short (경북 for 경상북도)
SHORT = {"경상북": ("경북",), "경상남": ("경남",), "충청북": ("충북",), "충청남": ("충남",),
         "전라북": ("전북",), "전라남": ("전남",), "전북": ("전라북",)}
UNIVERSITY = re.compile(r"대학|대학교|여자대학")
QUALIFIES = re.compile(r"\s?$")  # a parent qualifies the place that follows it directly
# what may follow a bare stem that names the place (울산은, 충남도, 전주형); other syllables
# make it part of another word (서울대학교, 경북연구원)
BARE_AFTER = re.compile(r"(?:[^가-힣]|$|은|는|이|가|의|에|도|형|과|와|을|를|로|으로|만|까지|처럼"
                        r"|보다|지역|권|시|군|구|내|산|시민|도민|구민|군민)")


@dataclass(frozen=True)
class Mention:
    """A place name found in a text: where, which place (its stem), and its level."""

    start: int
    end: int
    stem: str
    level: str
    qualifier: bool = False  # written right before another place ("서울 은평구")
    bare: bool = False  # the stem alone, without 시/도/군/구 (울산, 충남)


@dataclass(frozen=True)
class CaseNames:
    """The place a case is about: its stem, and the stems of the places it lies in."""

    stem: str
    parents: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()  # ways the case's name may open a value (matching)
    aliases: tuple[str, ...] = ()  # stems that name the case (경상북 and 경북)


@cache
def case_names(name: str) -> CaseNames:
    """Return the stem, parents and written forms of a case named ``name``."""
    parts = name.split()
    if not parts:
        return CaseNames(name)
    stems = [LEVEL_SUFFIX.sub("", p) or p for p in parts]
    own, own_full = stems[-1], parts[-1]
    forms = {"".join(parts), " ".join(parts), own_full, own + "특례시", own + "시",
             own + "군", own + "구", own}
    for parent_full, parent in zip(parts[:-1], stems[:-1], strict=True):
        for p in (parent_full, parent, parent + "시", parent + "도"):
            forms.add(p + own_full)
            forms.add(p + " " + own_full)
    aliases = (own, *SHORT.get(own, ()))
    for alias in aliases[1:]:
        forms |= {alias, alias + "도"}
    prefixes = tuple(sorted(forms, key=len, reverse=True))
    return CaseNames(own, tuple(stems[:-1]), prefixes, aliases)


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


def trie_pattern(words: Iterable[str]) -> str:
    """Return a regular expression matching any of ``words``, longest first, shaped as a trie
    (shared prefixes written once), so that a search tries one branch per character."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items())
                    if char]
        ends = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a word may end here, but a longer one is tried first
            return ("(?:" + body + ")?") if len(branches) == 1 else body[:-1] + "|)"
        return body

    return render(trie)


@cache
def _pattern() -> tuple[re.Pattern[str], Forms]:
    forms: Forms = {}
    for stem, level in _gazetteer():
        for form in _forms(stem, level):
            forms.setdefault(form, (stem, level))
    # a place name starts a word, or follows a province written without a space (충북옥천군)
    return re.compile(trie_pattern(forms)), forms


@cache
def _own_pattern(own: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, sorted(own, key=len, reverse=True)))) if own \
        else None


def find_places(text: str, own: tuple[str, ...] = (), name: bool = False) -> list[Mention]:
    """Return the place names in ``text``; ``own`` adds bare stems of the case being coded.
    With ``name`` (``text`` is a coded value, an organisation's name), a bare stem opening
    it names the place even joined to the next word (강원탄소중립지원센터), a university aside
    (서울대학교)."""
    pattern, forms = _pattern()
    found: list[Mention] = []
    taken_until = -1
    candidates: list[tuple[int, int, str, str]] = []
    for match in pattern.finditer(text):
        stem, level = forms[match.group()]
        candidates.append((match.start(), match.end(), stem, level))
    own_re = _own_pattern(tuple(own))
    if own_re is not None:
        for match in own_re.finditer(text):
            candidates.append((match.start(), match.end(), match.group(), "own"))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    for start, end, stem, level in candidates:
        if start < taken_until:
            continue
        before = text[start - 1] if start else ""
        if before and HANGUL.match(before) and not _after_province(text, start, forms):
            continue
        bare = text[start:end] == stem
        if bare and not BARE_AFTER.match(text, end) and not (
                name and start == 0 and not UNIVERSITY.match(text, end)):
            continue
        taken_until = end
        found.append(Mention(start, end, stem, level, False, bare))
    for n, mention in enumerate(found[:-1]):
        follower = found[n + 1]
        if mention.level != "own" and QUALIFIES.match(text[mention.end:follower.start]) and \
                follower.start - mention.end <= 1:
            found[n] = Mention(mention.start, mention.end, mention.stem, mention.level, True,
                               mention.bare)
    return found


def _after_province(text: str, start: int, forms: Forms) -> bool:
    """Return True when a province name ends right at ``start`` (충북옥천군)."""
    for length in (2, 3, 4, 5):
        if start - length >= 0:
            prefix = text[start - length:start]
            if prefix in forms and forms[prefix][1] in PROVINCE_LEVELS:
                return True
    return False


def is_subject(text: str, mention: Mention) -> bool:
    """Return True when the sentence is about the place: it opens the sentence or is its subject."""
    if mention.qualifier:
        return False
    if SUBJECT_AFTER.match(text[mention.end:]):
        return True
    if mention.bare:  # "서울 출퇴근 의존도": a bare name opening a sentence modifies a noun
        return False
    lead = LEAD_IN.match(text)
    return lead is not None and lead.end() >= mention.start
