"""Apply coding rules to sentences and to a document's lines.

Every finding carries the value as the report should say it, the evidence span (offsets into
the source file, so the evidence is verbatim by construction), the span of the value itself
(used to tell whose name it is), the rule that fired and its confidence.

Sentence kinds: ``regex``, ``entity`` (a name ending in a suffix, with the nouns before it),
``object`` (the noun phrase before an anchor such as "…을 목표로", split into its coordinated
parts), ``marked_list`` and ``counted_list``.  Line kinds: ``line`` (a pattern over one line's
text after its outline marker — table rows, labelled lines, header fields, titles — whose
value may be split into several items), ``heading`` and ``section``.  Lists that follow a
heading, lists inside sentences and counted lists are ``analysis.coding.lists``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache

from analysis.coding.clean import DOT_LEADER, SENTENCE_END, Segment, column_header
from analysis.coding.nlp import Sentence, Token
from analysis.coding.rules import Rule, Suffix
from analysis.textio import normalise_space

MARKERS = "△▲▶▷□■◆◇○●◎①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
MARKER = re.compile(rf"[{MARKERS}]|(?<![\w.])\d{{1,2}}\)\s")
LIST_END = re.compile(r"\s*(?:등(?:을|으로|이|의|과|와)?|및)?\s*$")
BOUNDARY = re.compile(r"(?:으로|로|하고|하며|이며|면서|위해|통해|에서)\s")
QUOTES = "‘’'\"“”「」『』"
NOUNISH = {"NNG", "NNP", "SN", "SL", "SH", "XSN", "XPN", "XR", "NR"}
TIME_WORDS = {"올해", "이번", "지난해", "내년", "현재", "당시", "향후", "최근", "이날", "금년",
              "작년", "앞으로", "그간", "지금"}
LAST_ITEM_TAIL = re.compile(r"(?:\s+\S*적으로)?\s*$")
# "…, c 등" ends a list: "등" before a particle, a space or a stop
LIST_STOP = re.compile(r"\s등(?=[을를으이의과와로\s.,]|$)")
DASH = re.compile(r"\s+[-–—]\s+")
OWN_REFERENCE = re.compile(r"(?:시|도|군|구)\s+")
# (not the 로 of a noun: 제로, 도로, 경로, 통로, 진로, 항로, 수로)
PARTICLE_END = re.compile(r"(?<=[가-힣])(?:을|를|은|는|이|가|의|에|와|과|으로"
                          r"|(?<![제도경통진항수])로|등)$")


@dataclass(frozen=True)
class Finding:
    """A value a rule found, with the evidence span and value span in the source file.

    ``layer`` tags what kind of list an item came from ("direction": a 기본방향 list, which
    the document's other lists decide about); ``parent`` names a department that a newly
    created team belongs to (so the department is not coded beside its team).
    """

    element: str
    subcode: str
    value: str
    start: int
    end: int
    value_start: int
    value_end: int
    rule: str
    confidence: float
    layer: str = ""
    parent: str = ""
    negative: bool = False


def tidy(value: str) -> str:
    """Return a value as the report should say it: quotes and markers off, dashes as colons."""
    value = DOT_LEADER.sub("", normalise_space(value)).strip(QUOTES + " ,.;:·")
    value = value.lstrip(MARKERS + " ")
    value = DASH.sub(": ", value)
    return value.strip(QUOTES + " ,.;")


def _excluded(rule: Rule, value: str) -> bool:
    return not value or len(value) < rule.min_chars or any(p.search(value) for p in rule.exclude)


YEAR = re.compile(r"(?:19|20)\d{2}")
COUNT_FILLER = re.compile(r"\s*(?:아래|에\s*따라|별로|모두|총)(?=\s|\d)\s*")


def formatted(rule: Rule, value: str) -> str:
    """Return ``value`` in the rule's ``format`` ("years": 2024~2028년, ~2030년; "" when the
    value has no year)."""
    if rule.format == "years":
        years = YEAR.findall(value)
        if len(years) >= 2:
            return f"{years[0]}~{years[1]}년"
        return f"~{years[0]}년" if years else ""
    if rule.format == "count":
        return normalise_space(COUNT_FILLER.sub(" ", value))
    return value


def make(rule: Rule, value: str, start: int, end: int, value_start: int, value_end: int,
         confidence: float | None = None, subcode: str | None = None) -> Finding:
    """Return a finding of ``rule`` (its element, sub-code, id, confidence and layer); the
    value is put in the rule's format (a value that does not fit becomes "")."""
    if rule.format:
        value = formatted(rule, value)
    return Finding(rule.element, rule.subcode if subcode is None else subcode, value, start, end,
                   value_start, value_end, rule.id,
                   rule.confidence if confidence is None else confidence, rule.layer,
                   negative=rule.negative)


def in_sentence(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    """Yield what ``rule`` finds in ``sentence``."""
    if rule.require and not rule.require.search(sentence.text):
        return
    if rule.unless and rule.unless.search(sentence.text):
        return
    if rule.kind == "regex":
        yield from _regex(rule, sentence)
    elif rule.kind == "entity":
        yield from _entities(rule, sentence)
    elif rule.kind == "object":
        yield from _object(rule, sentence)
    elif rule.kind == "marked_list":
        yield from _marked_list(rule, sentence)
    elif rule.kind == "counted_list":
        yield from _counted_list(rule, sentence)


# ---- line rules ------------------------------------------------------------------------------

def in_lines(rule: Rule, segments: list[Segment],
             only: Iterable[int] | None = None) -> list[Finding]:
    """Return what a ``line`` rule finds in a document's lines (``segments``: all of them;
    ``only``: the indexes of the lines worth trying, all when None)."""
    assert rule.pattern is not None
    roles = rule.roles or frozenset(("prose", "outline", "table"))
    found = []
    for number in range(len(segments)) if only is None else only:
        seg = segments[number]
        if rule.within_first and number >= rule.within_first:
            break
        readable = seg.kind in ("content", "short", "header") or (
            rule.within_first and seg.kind == "outside")
        if not readable or ("any" not in roles and seg.role not in roles):
            continue
        if seg.role == "table" and column_header(segments, number):
            continue  # "추진전략 | 추진과제 | 주요 사업" names columns, it states nothing
        text, offset = seg.labelled
        if rule.require and not rule.require.search(text):
            continue
        if rule.unless and rule.unless.search(text):
            continue
        for match in rule.pattern.finditer(text):
            found += _parts(rule, text, offset, match)
    return found


def value_group(match: re.Match[str]) -> str:
    """Return the name of the value group that matched: ``value``, or in a pattern of
    alternatives ``value2``, ``value3`` …"""
    return next((name for name, found in match.groupdict().items()
                 if found is not None and name.startswith("value")), "value")


def _parts(rule: Rule, text: str, offset: int, match: re.Match[str]) -> list[Finding]:
    """Return the findings of one match: its value, or each part of it split by ``split``."""
    vs, ve = match.span(value_group(match))
    pieces = [(vs, ve)]
    if rule.split is not None:
        pieces, position = [], vs
        for cut in rule.split.finditer(text, vs, ve):
            pieces.append((position, cut.start()))
            position = cut.end()
        pieces.append((position, ve))
    found = []
    for s, e in pieces:
        raw = text[s:e]
        lead = len(raw) - len(raw.lstrip(" " + MARKERS))
        s += lead
        e = s + len(text[s:e].rstrip())
        value = tidy(text[s:e])
        if _excluded(rule, value):
            continue
        if len(pieces) == 1:
            found.append(make(rule, value, offset + match.start(), offset + match.end(),
                              offset + s, offset + e))
        else:
            found.append(make(rule, value, offset + s, offset + e, offset + s, offset + e))
    return found


def headings(rule: Rule, segments: list[Segment]) -> list[Finding]:
    """Return the marked short lines (△ 지역의 경쟁력 강화) of a document, if there are enough."""
    found = []
    for seg in segments:
        if (seg.kind == "short" and seg.text[0] in rule.markers
                and len(seg.text) <= rule.max_chars and not SENTENCE_END.search(seg.text)):
            value = tidy(seg.text)
            if not _excluded(rule, value) and len(value) >= 4:
                offset = seg.text.index(value[0], 1) if value else 0
                found.append(make(rule, value, seg.start, seg.end, seg.start + offset, seg.end))
    return found if len(found) >= rule.min_count else []


SECTION_ITEM = re.compile(r"^(?:[○◦●•▪·]|-\s|[①-⑳]|\d{1,2}[.)]\s|[가-하][.)]\s)\s*")
SECTION_END = re.compile(r"^(?:[□■◆◇▶]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.)")


def sections(rule: Rule, segments: list[Segment]) -> list[Finding]:
    """Return the items listed under a short heading that matches the rule's anchor::

        □ 목표
          ○ 공유자원 이용률 30% 달성
          ○ 공유기업 100개 육성
    """
    assert rule.anchor is not None
    found = []
    for index, seg in enumerate(segments):
        if (len(seg.text) > rule.max_chars or SENTENCE_END.search(seg.text)
                or not rule.anchor.search(seg.text)):
            continue
        for item in segments[index + 1:]:
            marker = SECTION_ITEM.match(item.text)
            if marker is None or SECTION_END.match(item.text) or len(item.text) > 80:
                break
            value = tidy(item.text[marker.end():])
            if len(value) >= 3 and not _excluded(rule, value):
                found.append(make(rule, value, item.start, item.end, item.start + marker.end(),
                                  item.end))
    return found


# ---- sentence rules --------------------------------------------------------------------------

def _regex(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    assert rule.pattern is not None
    for match in rule.pattern.finditer(sentence.text):
        if rule.split is not None:
            yield from _parts(rule, sentence.text, sentence.start, match)
            continue
        group = value_group(match)
        value = tidy(match.group(group) or "")
        if _excluded(rule, value):
            continue
        span = match.span("evidence") if "evidence" in match.groupdict() else match.span()
        finding = make(rule, value, sentence.start + span[0], sentence.start + span[1],
                       sentence.start + match.start(group), sentence.start + match.end(group))
        if "parent" in match.groupdict() and match.group("parent"):
            finding = replace(finding, parent=tidy(match.group("parent")))
        yield finding


@cache
def _suffix_pattern(rule: Rule) -> tuple[re.Pattern[str], dict[str, Suffix]]:
    words = {w: s for s in reversed(rule.suffixes) for w in s.words}
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))), words


def _entities(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    text = sentence.text
    pattern, words = _suffix_pattern(rule)
    for match in pattern.finditer(text):
        word = match.group()
        suffix = words[word]
        s, e = match.span()
        if suffix.require and not suffix.require.search(text):
            continue
        if word.isascii() and e < len(text) and text[e].isascii() and text[e].isalpha():
            continue
        start = _name_start(sentence, sentence.start + s)
        own = OWN_REFERENCE.match(sentence.text, start - sentence.start, e)
        if own:  # "시 스마트도시협의회": the city's own
            start = sentence.start + own.end()
        # (matched on the name alone: a pattern's "^" is the name's start, not the sentence's)
        cut = rule.trim.match(sentence.text[start - sentence.start:e]) if rule.trim else None
        if cut:
            start += cut.end()
        name = tidy(sentence.text[start - sentence.start:e])
        if name.replace(" ", "") in rule.generic or _excluded(rule, name):
            continue
        if rule.generic_lead and rule.generic_lead.search(name):
            continue
        if rule.not_followed_by and rule.not_followed_by.search(text[e:]):
            continue
        if rule.not_preceded_by and rule.not_preceded_by.search(
                text[:start - sentence.start]):
            continue
        ev_end = _evidence_end(text, e)
        yield make(rule, name, start, sentence.start + ev_end, start, sentence.start + e,
                   subcode=suffix.subcode or rule.subcode)


def _name_start(sentence: Sentence, suffix_start: int) -> int:
    """Return where the name ending in a suffix begins: the nouns right before it."""
    tokens = sentence.tokens
    index = next((i for i, t in enumerate(tokens) if t.end > suffix_start), len(tokens))
    start = suffix_start
    if index < len(tokens) and tokens[index].start < suffix_start:
        start = tokens[index].start  # the suffix is inside a token: take the whole token
    words, used_link = 0, False
    i = index - 1
    while i >= 0 and words < 5:
        token = tokens[i]
        gap = sentence.text[token.end - sentence.start:start - sentence.start]
        if gap.strip():
            break
        if token.form in TIME_WORDS:
            break
        if token.tag in NOUNISH:
            pass
        elif (token.form == "·" and not gap and i > 0 and tokens[i - 1].tag in NOUNISH
              and tokens[i - 1].end == token.start):
            pass  # 시·군, 돌봄·주거: words joined by a middle dot
        elif token.tag == "ETN" and i > 0 and tokens[i - 1].tag.startswith("VV"):
            i -= 1  # 만들기: a verb made a noun
            token = tokens[i]
        elif (token.tag == "ETM" and i >= 2 and tokens[i - 1].form == "위하" and not used_link
              and tokens[i - 2].tag == "JKO" and start == suffix_start and _noun(tokens, i - 3)):
            i -= 3  # "…을 위한"
            token = tokens[i]
            used_link = True
        elif (token.tag == "JKG" and not used_link and start == suffix_start
              and _noun(tokens, i - 1)):
            i -= 1  # "…의"
            token = tokens[i]
            used_link = True
        else:
            break
        if gap:
            words += 1
        start = token.start
        i -= 1
    return start


def _noun(tokens: tuple[Token, ...], i: int) -> bool:
    return i >= 0 and tokens[i].tag in NOUNISH


def _evidence_end(text: str, end: int) -> int:
    """Return the end of the word after ``end`` (the particle and the next word: 협의체를 구성)."""
    match = re.match(r"[^\s,.]*(?:\s+[^\s,.]+)?", text[end:])
    stop = end + (match.end() if match else 0)
    while stop > end and text[stop - 1] in ",.;:)”’\"'":
        stop -= 1
    return stop


AIM_CLAUSE = re.compile(r"^(?P<what>.+?)(?:을|를)\s+(?P<level>\S+?)(?:으로|로|까지)\s+"
                        r"[가-힣]+(?:는|하는)\s+것$")


CLAUSE_THING = re.compile(r"[가-힣]는\s+것$")
LEAD_PARTICLE = re.compile(r"(?:에서|에|으로|로|을|를|의|이|가|은|는|와|과)\s+")
# a clause that states a measurable aim is a goal as it is written ("2026년까지 18개 동 모두
# 자치계획을 세우는 것", "배출량을 2018년 대비 40% 줄이는 것", "빈 점포를 절반으로 줄이는 것")
MEASURED = re.compile(r"\d|절반|두\s*배|세\s*배|모두|모든|전원|전\s*[가-힣]{1,2}(?:에|으로|로)")


def _object(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    """The noun phrase that ends where the anchor starts ("A와 B를 목표로"), from the last
    ``stop`` before it, split into its coordinated parts by ``split``."""
    assert rule.anchor is not None
    text = sentence.text
    for anchor in rule.anchor.finditer(text):
        end = anchor.start()
        start = 0
        if rule.stop is not None:
            for stop in rule.stop.finditer(text, 0, end):
                if stop.end() <= end:
                    start = stop.end()
        while start < end and text[start] in " " + QUOTES:
            start += 1
        if start and text[start - 1] in QUOTES + ")]」』":  # "'…계획'에서 2026년까지 …"
            lead = LEAD_PARTICLE.match(text, start, end)
            start = lead.end() if lead else start
        span = text[start:end]
        if len(span.strip()) < rule.min_chars or len(span) > rule.max_chars:
            continue
        pieces, position = [], start
        if rule.split is not None:
            for cut in rule.split.finditer(text, start, end):
                if cut.start() - position >= rule.min_chars and end - cut.end() >= rule.min_chars:
                    pieces.append((position, cut.start()))
                    position = cut.end()
        pieces.append((position, end))
        for s, e in pieces:
            value = tidy(PARTICLE_END.sub("", text[s:e].rstrip()))
            # "참여율을 50%로 높이는 것" says the goal "참여율 50%"
            value = AIM_CLAUSE.sub(r"\g<what> \g<level>", value)
            if _excluded(rule, value) or (CLAUSE_THING.search(value)
                                          and not MEASURED.search(value)):
                continue  # any other "…하는 것" is a clause, not a named aim
            yield make(rule, value, sentence.start + s,
                       sentence.start + (anchor.end() if (s, e) == pieces[-1] else e),
                       sentence.start + s, sentence.start + e)


def _items(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Return (start, end) of each marked item between ``lo`` and ``hi`` in ``text``."""
    marks = list(MARKER.finditer(text, lo, hi))
    items = []
    for n, mark in enumerate(marks):
        start = mark.end()
        end = marks[n + 1].start() if n + 1 < len(marks) else hi
        chunk = text[start:end]
        if n + 1 == len(marks):  # the last item runs to "등", the copula or the verb's adverb
            cut = LIST_STOP.search(chunk)
            chunk = chunk[:cut.start()] if cut else LAST_ITEM_TAIL.sub("", chunk)
            chunk = re.sub(r"(?<=[가-힣])(?:을|를|이다|다)?\.?$", "", chunk.rstrip())
        trimmed = LIST_END.sub("", chunk.rstrip())
        lead = len(chunk) - len(chunk.lstrip())
        if trimmed.strip():
            items.append((start + lead, start + len(trimmed)))
    return items


def _marked_list(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    assert rule.anchor is not None
    text = sentence.text
    anchor = rule.anchor.search(text)
    marks = list(MARKER.finditer(text))
    if anchor is None or len(marks) < 2:
        return
    if marks[0].start() < anchor.start():
        spans = _items(text, marks[0].start(), anchor.start())
    else:
        end = LIST_STOP.search(text, marks[-1].end()) or re.search(r"[.。]\s*$", text)
        hi = end.start() if end and end.start() > marks[-1].end() else len(text)
        spans = _items(text, marks[0].start(), hi)
    if len(spans) < 2:
        return
    for s, e in spans:
        value = tidy(text[s:e])
        if not _excluded(rule, value):
            yield make(rule, value, sentence.start + s - 1, sentence.start + e,
                       sentence.start + s, sentence.start + e)


def _counted_list(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    assert rule.anchor is not None
    text = sentence.text
    for anchor in rule.anchor.finditer(text):
        count = int(anchor.group("count")) if "count" in anchor.groupdict() else 0
        prefix = text[:anchor.start()]
        cuts = [m.end() for m in re.finditer(r",\s*", prefix)]
        starts = [0, *cuts]
        if count and len(starts) >= count:
            starts = starts[-count:]
        elif count:
            continue
        spans = []
        for n, s in enumerate(starts):
            e = (starts[n + 1] if n + 1 < len(starts) else len(prefix))
            chunk = prefix[s:e].rstrip(", ")
            if n == 0:
                bounds = list(BOUNDARY.finditer(chunk))
                if bounds:
                    s, chunk = s + bounds[-1].end(), chunk[bounds[-1].end():]
            spans.append((s, s + len(chunk)))
        confidence = rule.confidence if len(spans) == count else rule.confidence * 0.7
        for s, e in spans:
            value = tidy(text[s:e])
            if not _excluded(rule, value) and len(value) >= 3:
                yield make(rule, value, sentence.start + s, sentence.start + e,
                           sentence.start + s, sentence.start + e, confidence)
