"""Find the article body in a scraped page, keeping character offsets into the original file.

Each line of a source is classified: *content* (a sentence of reasonable length), *short*
(a heading or list item), *noise* (weather widgets, menus, share buttons, reporter and
copyright lines: the patterns of ``[noise]`` in the rules) or *repeat* (a line already seen,
as when a page shows the lead paragraph twice).  The body is every content and short line
from the first content line to the last; short lines outside it are noise (headline lists,
navigation), except a 개조식 outline (□ ○ 1.) that joins the prose; a document with no
sentence at all (a plan summary in 개조식) is body throughout.  Offsets always point into the
file as received, so evidence found in a body line can be located exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.coding.rules import Rules
from analysis.textio import normalise_space

OUTLINE = re.compile(r"^(?:[□■◆◇○●◦▪▶▷△▲※·•]|[①-⑳]|-\s|\d{1,2}[.)]\s|[가-하][.)]\s|"
                     r"[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.)")
SENTENCE_END = re.compile(r"(?:다|요|음|함|됨|임|까)\s*[.!?]?[\"”’'」』)\]]*\s*$|다\.\s")
HANGUL = re.compile(r"[가-힣]")


@dataclass(frozen=True)
class Segment:
    """One line of a source, stripped, with its offsets in the file and its class."""

    start: int
    end: int
    text: str
    kind: str  # "content" | "short" | "noise" | "repeat"
    reason: str = ""

    @property
    def is_body(self) -> bool:
        return self.kind in ("content", "short")


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    found = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        raw = match.group()
        left = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            s = start + match.start() + left
            found.append((s, s + len(stripped), stripped))
    return found


def _classify(line: str, rules: Rules) -> tuple[str, str]:
    for noise in rules.noise:
        if len(line) <= noise.max_chars and noise.pattern.search(line):
            return "noise", f"matches {noise.pattern.pattern[:30]!r}"
    letters = [c for c in line if not c.isspace()]
    hangul = sum(1 for c in letters if HANGUL.match(c))
    if not letters or hangul / len(letters) < rules.min_hangul_ratio:
        return "noise", "little Korean text"
    if len(line) >= rules.min_body_chars and SENTENCE_END.search(line):
        return "content", ""
    return "short", ""


def segment(text: str, start: int, end: int, rules: Rules) -> list[Segment]:
    """Return the non-blank lines of ``text[start:end]``, each classified."""
    lines = _lines(text, start, end)
    kinds = [_classify(line, rules) for _, _, line in lines]
    content = [i for i, (kind, _) in enumerate(kinds) if kind == "content"]
    if content:
        first, last = content[0], content[-1]
        # a 개조식 outline (□ ○ 1. Ⅱ.) right before or after the prose belongs to the body
        while first > 0 and kinds[first - 1][0] == "short" and OUTLINE.match(lines[first - 1][2]):
            first -= 1
        while (last + 1 < len(lines) and kinds[last + 1][0] == "short"
               and OUTLINE.match(lines[last + 1][2])):
            last += 1
    else:  # no sentence at all: a plan or summary written wholly in 개조식
        first, last = 0, len(lines) - 1
    seen: set[str] = set()
    segments = []
    for index, ((s, e, line), (kind, reason)) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "short" and not first <= index <= last:
            kind, reason = "noise", "outside the article body"
        key = normalise_space(line)
        if kind in ("content", "short"):
            if key in seen and len(key) > 15:
                kind, reason = "repeat", "the same line appears earlier"
            seen.add(key)
        segments.append(Segment(s, e, line, kind, reason))
    return segments


def body(text: str, start: int, end: int, rules: Rules) -> list[Segment]:
    """Return only the body lines (content and short) of ``text[start:end]``."""
    return [s for s in segment(text, start, end, rules) if s.is_body]
