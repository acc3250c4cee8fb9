"""Apply coding rules to sentences (and, for headings, to a document's lines).

Every finding carries the value as the report should say it, the evidence span (offsets into
the source file, so the evidence is verbatim by construction), the span of the value itself
(used to tell whose name it is), the rule that fired and its confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from analysis.coding.clean import SENTENCE_END, Segment
from analysis.coding.nlp import Sentence, Token
from analysis.coding.rules import Rule
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
LIST_STOP = re.compile(r"\s등(?=[을으이의과와로\s.]|$)")
DASH = re.compile(r"\s+[-–—]\s+")


@dataclass(frozen=True)
class Finding:
    """A value a rule found, with the evidence span and value span in the source file."""

    element: str
    subcode: str
    value: str
    start: int
    end: int
    value_start: int
    value_end: int
    rule: str
    confidence: float


def tidy(value: str) -> str:
    """Return a value as the report should say it: quotes and markers off, dashes as colons."""
    value = normalise_space(value).strip(QUOTES + " ,.;:·")
    value = value.lstrip(MARKERS + " ")
    value = DASH.sub(": ", value)
    return value.strip(QUOTES + " ,.;")


def _excluded(rule: Rule, value: str) -> bool:
    return not value or any(p.search(value) for p in rule.exclude)


def in_sentence(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    """Yield what ``rule`` finds in ``sentence``."""
    if rule.require and not rule.require.search(sentence.text):
        return
    if rule.kind == "regex":
        yield from _regex(rule, sentence)
    elif rule.kind == "entity":
        yield from _entities(rule, sentence)
    elif rule.kind == "marked_list":
        yield from _marked_list(rule, sentence)
    elif rule.kind == "counted_list":
        yield from _counted_list(rule, sentence)


def headings(rule: Rule, segments: list[Segment]) -> list[Finding]:
    """Return the marked short lines (△ 지역의 경쟁력 강화) of a document, if there are enough."""
    found = []
    for seg in segments:
        if (seg.kind == "short" and seg.text[0] in rule.markers
                and len(seg.text) <= rule.max_chars and not SENTENCE_END.search(seg.text)):
            value = tidy(seg.text)
            if not _excluded(rule, value) and len(value) >= 4:
                offset = seg.text.index(value[0], 1) if value else 0
                found.append(Finding(rule.element, rule.subcode, value, seg.start, seg.end,
                                     seg.start + offset, seg.end, rule.id, rule.confidence))
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
                found.append(Finding(rule.element, rule.subcode, value, item.start, item.end,
                                     item.start + marker.end(), item.end, rule.id,
                                     rule.confidence))
    return found


def _regex(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    assert rule.pattern is not None
    for match in rule.pattern.finditer(sentence.text):
        value = tidy(match.group("value"))
        if _excluded(rule, value):
            continue
        yield Finding(rule.element, rule.subcode, value, sentence.start + match.start(),
                      sentence.start + match.end(), sentence.start + match.start("value"),
                      sentence.start + match.end("value"), rule.id, rule.confidence)


def _entities(rule: Rule, sentence: Sentence) -> Iterator[Finding]:
    text = sentence.text
    taken: list[tuple[int, int]] = []
    words = sorted(((w, s) for s in rule.suffixes for w in s.words), key=lambda ws: -len(ws[0]))
    for word, suffix in words:
        if suffix.require and not suffix.require.search(text):
            continue
        for match in re.finditer(re.escape(word), text):
            s, e = match.span()
            if word.isascii() and e < len(text) and text[e].isascii() and text[e].isalpha():
                continue
            if any(a < e and s < b for a, b in taken):
                continue
            taken.append((s, e))
            start = _name_start(sentence, sentence.start + s)
            name = tidy(sentence.text[start - sentence.start:e])
            if name.replace(" ", "") in rule.generic or _excluded(rule, name):
                continue
            if rule.not_followed_by and rule.not_followed_by.search(text[e:]):
                continue
            ev_end = _evidence_end(text, e)
            yield Finding(rule.element, suffix.subcode or rule.subcode, name, start,
                          sentence.start + ev_end, start, sentence.start + e, rule.id,
                          rule.confidence)


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
            yield Finding(rule.element, rule.subcode, value, sentence.start + s - 1,
                          sentence.start + e, sentence.start + s, sentence.start + e, rule.id,
                          rule.confidence)


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
                yield Finding(rule.element, rule.subcode, value, sentence.start + s,
                              sentence.start + e, sentence.start + s, sentence.start + e,
                              rule.id, confidence)
