"""The researcher's own words: ``narrative/*.md``, printed in place in the report.

A study may hold ``narrative/summary.md`` (printed in 요약), ``narrative/implications.md``
(in 시사점) and ``narrative/<case>.md`` (at the end of that case's section).  They are plain
text files any editor can change; a build reads them and never writes them.  The markup is a
small part of Markdown: paragraphs separated by a blank line, bullets (``- `` or ``* ``;
indented two or four spaces for the second and third level, printed □ ○ -), and
``**bold**``.  Headings are refused: the report's structure comes from its templates.
Every problem names the file and line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import Problem
from analysis.textio import forbidden_chars, read_utf8

FOLDER = "narrative"
PLACES = ("summary", "implications")
BULLET = re.compile(r"^( *)[-*]\s+(.*)$")
BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Passage:
    """A paragraph (level 0) or bullet (levels 1–3) of a narrative, with its bold parts."""

    level: int
    runs: tuple[tuple[str, bool], ...]  # (text, bold)
    line: int

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


def _runs(text: str) -> tuple[tuple[str, bool], ...]:
    runs: list[tuple[str, bool]] = []
    at = 0
    for match in BOLD.finditer(text):
        if match.start() > at:
            runs.append((text[at:match.start()], False))
        runs.append((match.group(1), True))
        at = match.end()
    if at < len(text):
        runs.append((text[at:], False))
    return tuple(runs)


def parse_narrative(text: str, rel: str) -> tuple[list[Passage], list[Problem]]:
    """Return the passages of a narrative file's ``text`` and the problems found."""
    problems: list[Problem] = []
    if unicodedata.normalize("NFC", text) != text:
        text = unicodedata.normalize("NFC", text)
        problems.append(Problem(rel, None, None,
                                "decomposed Hangul (NFD, as macOS saves it) was read as NFC",
                                "nothing to do", level="note"))
    passages: list[Passage] = []
    paragraph: list[str] = []
    start = 0

    def flush() -> None:
        if paragraph:
            passages.append(Passage(0, _runs(" ".join(paragraph)), start))
            paragraph.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        bad = forbidden_chars(line)
        if bad:
            problems.append(Problem(rel, number, None,
                                    f"control character {', '.join(bad)}",
                                    "delete it: Word cannot store control characters"))
            line = "".join(c for c in line if f"U+{ord(c):04X}" not in bad)
        if not line.strip():
            flush()
            continue
        if line.lstrip().startswith("#"):
            problems.append(Problem(rel, number, None, "a heading in a narrative",
                                    "the report's headings come from its templates: write a "
                                    "paragraph or a bullet (- …) instead"))
            continue
        bullet = BULLET.match(line)
        if bullet:
            flush()
            level = min(len(bullet.group(1)) // 2 + 1, 3)
            passages.append(Passage(level, _runs(bullet.group(2).strip()), number))
            continue
        if not paragraph:
            start = number
        paragraph.append(line.strip())
    flush()
    return passages, problems


def read_narratives(root: Path, cases: list[str]) -> tuple[dict[str, list[Passage]],
                                                          list[Problem]]:
    """Return the study's narratives by place ("summary", "implications", "case:ID")."""
    folder = root / FOLDER
    found: dict[str, list[Passage]] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.iterdir()):
        rel = f"{FOLDER}/{path.name}"
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".md":
            problems.append(Problem(rel, None, None, "not a narrative (.md) file",
                                    "narratives are Markdown text files: summary.md, "
                                    "implications.md or CASE.md"))
            continue
        stem = path.stem
        if stem not in PLACES and stem not in cases:
            problems.append(Problem(rel, None, None, f"no place in the report for {stem!r}",
                                    f"name it summary.md, implications.md or after a case: "
                                    f"{', '.join(cases) or 'none registered'}"))
            continue
        text = read_utf8(path, rel, problems)
        if text is None:
            continue
        passages, found_problems = parse_narrative(text, rel)
        problems += found_problems
        found[stem if stem in PLACES else f"case:{stem}"] = passages
    return found, problems
