"""The report's line markup: what the Jinja2 templates produce and the DOCX writer consumes.

One block per line (blank lines are ignored)::

    # 분석 개요                 chapter heading, numbered by the study's scheme (제1장 …)
    #* 요약                     unnumbered chapter heading (요약, 참고문헌, 부록)
    ## …  ### …  #### …        section headings, numbered (제1절, 1., 1) …)
    □ …  ○ …  - …  * …         개조식 bullets, levels 1–3, and a note line
    @table KEY | caption | unit=단위 note=주석
    @figure KEY | caption | name=value …
    @note 주석 text             a 주: line for the table or figure just before
    @toc  @toc-tables  @toc-figures  @pagebreak
    @cover-title …  @cover-subtitle …  @cover-line …  @disclaimer …
    anything else               a body paragraph

A line may end with ``\\`` to continue on the next line.

Data never becomes syntax: every value a template prints (``{{ … }}``) arrives wrapped in
``protect``'s private-use marks, with its line breaks folded.  The parser decides a line's
structure (heading, bullet, directive, ``|`` and ``=`` of options, continuation) on a
skeleton where protected text is blanked out, and only then takes the text, marks removed.
A case named "# 가짜 장" is a paragraph's text, never a chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from analysis.errors import Problem
from analysis.vocab import BlockKind

BULLETS = {"□": 1, "○": 2, "-": 3, "*": 4}
SIMPLE = (BlockKind.TOC, BlockKind.TOC_TABLES, BlockKind.TOC_FIGURES, BlockKind.PAGEBREAK)
TEXTUAL = (BlockKind.COVER_TITLE, BlockKind.COVER_SUBTITLE, BlockKind.COVER_LINE,
           BlockKind.DISCLAIMER, BlockKind.NOTE)
OPEN, CLOSE = "\ue000", "\ue001"
_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_PROTECTED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")


def unprotect(text: str) -> str:
    """Return ``text`` without protection marks."""
    return text.replace(OPEN, "").replace(CLOSE, "")


def protect(value: Any) -> str:
    """Return a printed value as text the parser will never read as markup.

    Used as Jinja's ``finalize``: line breaks fold into spaces (a value cannot start a new
    block), and the text is wrapped in marks the parser blanks out before reading syntax.
    """
    if value is None:
        return ""
    text = _BREAKS.sub(" ", unprotect(str(value)))
    return f"{OPEN}{text}{CLOSE}" if text else ""


def _skeleton(line: str) -> str:
    """Return ``line`` with protected text replaced by neutral letters (same length)."""
    return _PROTECTED.sub(lambda m: "x" * len(m.group()), line)


@dataclass(frozen=True)
class Block:
    """One block of the report."""

    kind: str  # a BlockKind
    text: str = ""
    level: int = 0
    numbered: bool = True
    key: str = ""
    options: dict[str, str] = field(default_factory=dict)
    line: int = 0
    runs: tuple[tuple[str, bool], ...] = ()  # text with bold parts (narratives), if any
    children: tuple[Block, ...] = ()  # the paragraphs and bullets inside a box


def parse(text: str, source: str) -> tuple[list[Block], list[Problem]]:
    """Return the blocks of rendered markup, and a problem for each line it cannot read."""
    blocks: list[Block] = []
    problems: list[Problem] = []
    pending = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = pending + raw.strip()
        if _skeleton(line).endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        if not line:
            continue
        block = _block(line, number, source, problems)
        if (block and block.kind == BlockKind.NOTE and blocks
                and blocks[-1].kind in (BlockKind.TABLE, BlockKind.FIGURE)):
            # a note belongs to the table or figure just before: 주 lines precede its 자료 line
            last = blocks[-1]
            notes = "||".join(n for n in (last.options.get("note", ""), block.text) if n)
            blocks[-1] = replace(last, options={**last.options, "note": notes})
        elif block:
            blocks.append(block)
    return _boxes(blocks, source, problems), problems


INSIDE_BOX = (BlockKind.PARA, BlockKind.BULLET, BlockKind.NARRATIVE)


def _boxes(blocks: list[Block], source: str, problems: list[Problem]) -> list[Block]:
    """Return ``blocks`` with each ``@box … @box-end`` run folded into one box block."""
    result: list[Block] = []
    open_box: Block | None = None
    inside: list[Block] = []
    for block in blocks:
        if block.kind == BlockKind.BOX:
            if open_box is not None:
                problems.append(Problem(source, block.line, None, "a box inside a box",
                                        "close the first with @box-end"))
            open_box, inside = block, []
        elif block.kind == BlockKind.BOX_END:
            if open_box is None:
                problems.append(Problem(source, block.line, None, "@box-end without @box",
                                        "open the box with @box TITLE"))
                continue
            result.append(replace(open_box, children=tuple(inside)))
            open_box = None
        elif open_box is not None:
            if block.kind in INSIDE_BOX:
                inside.append(block)
            else:
                problems.append(Problem(source, block.line, None,
                                        f"@{block.kind} cannot stand in a box",
                                        "a box holds paragraphs, bullets and narratives"))
        else:
            result.append(block)
    if open_box is not None:
        problems.append(Problem(source, open_box.line, None, "@box is never closed",
                                "end it with @box-end"))
    return result


def _block(line: str, number: int, source: str, problems: list[Problem]) -> Block | None:
    shape = _skeleton(line)

    def text(start: int, end: int | None = None) -> str:
        return unprotect(line[start:end]).strip()

    if shape.startswith("#"):
        marks = len(shape) - len(shape.lstrip("#"))
        numbered = not shape[marks:].startswith("*")
        start = marks + (0 if numbered else 1)
        title = text(start)
        if not title or marks > 5:
            problems.append(Problem(source, number, None, f"bad heading {text(0)[:30]!r}",
                                    "write '# title' … '##### title'"))
            return None
        return Block(BlockKind.HEADING, title, marks, numbered, line=number)
    head, space, _ = shape.partition(" ")
    rest = len(head) + len(space)
    if head in BULLETS and text(rest):
        return Block(BlockKind.BULLET, text(rest), BULLETS[head], line=number)
    if shape.startswith("@"):
        name = head[1:]
        if name in SIMPLE:
            return Block(name, line=number)
        if name in TEXTUAL:
            return Block(name, text(rest), line=number)
        if name == BlockKind.NARRATIVE:
            return Block(BlockKind.NARRATIVE, key=text(rest), line=number)
        if name == BlockKind.BOX:
            return Block(BlockKind.BOX, text(rest), line=number)
        if name == BlockKind.BOX_END:
            return Block(BlockKind.BOX_END, line=number)
        if name in ("table", "figure"):
            bounds = [rest, *[m.start() for m in re.finditer(r"\|", shape)], len(line)]
            cuts = [(bounds[i] + (1 if i else 0), bounds[i + 1]) for i in range(len(bounds) - 1)]
            parts = [text(a, b) for a, b in cuts]
            options = {}
            for a, b in cuts[2:]:
                for pair in re.finditer(r"[^;]+", shape[a:b]):
                    piece = pair.group()
                    key, sep, _ = piece.partition("=")
                    if sep:
                        at = a + pair.start()
                        options[text(at, at + len(key))] = text(at + len(key) + 1, a + pair.end())
            if not parts[0]:
                problems.append(Problem(source, number, None, f"@{name} needs a key",
                                        f"write @{name} KEY | caption"))
                return None
            return Block(name, parts[1] if len(parts) > 1 else "", key=parts[0],
                         options=options, line=number)
        known = ", @".join((*SIMPLE, *TEXTUAL, "table", "figure", "narrative", "box",
                            "box-end"))
        problems.append(Problem(source, number, None, f"unknown directive @{text(1, len(head))}",
                                f"directives: @{known}"))
        return None
    return Block(BlockKind.PARA, text(0), line=number)
