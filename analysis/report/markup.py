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
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from analysis.errors import Problem

BULLETS = {"□": 1, "○": 2, "-": 3, "*": 4}
SIMPLE = ("toc", "toc-tables", "toc-figures", "pagebreak")
TEXTUAL = ("cover-title", "cover-subtitle", "cover-line", "disclaimer", "note")


@dataclass(frozen=True)
class Block:
    """One block of the report."""

    kind: str  # heading | bullet | para | table | figure | note | toc | … | cover-title …
    text: str = ""
    level: int = 0
    numbered: bool = True
    key: str = ""
    options: dict[str, str] = field(default_factory=dict)
    line: int = 0


def parse(text: str, source: str) -> tuple[list[Block], list[Problem]]:
    """Return the blocks of rendered markup, and a problem for each line it cannot read."""
    blocks: list[Block] = []
    problems: list[Problem] = []
    pending = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        if not line:
            continue
        block = _block(line, number, source, problems)
        if block and block.kind == "note" and blocks and blocks[-1].kind in ("table", "figure"):
            # a note belongs to the table or figure just before: 주 lines precede its 자료 line
            last = blocks[-1]
            notes = "||".join(n for n in (last.options.get("note", ""), block.text) if n)
            blocks[-1] = replace(last, options={**last.options, "note": notes})
        elif block:
            blocks.append(block)
    return blocks, problems


def _block(line: str, number: int, source: str, problems: list[Problem]) -> Block | None:
    if line.startswith("#"):
        marks = len(line) - len(line.lstrip("#"))
        rest = line[marks:]
        numbered = not rest.startswith("*")
        title = rest.lstrip("*").strip()
        if not title or marks > 5:
            problems.append(Problem(source, number, None, f"bad heading {line[:30]!r}",
                                    "write '# title' … '##### title'"))
            return None
        return Block("heading", title, marks, numbered, line=number)
    head, _, rest = line.partition(" ")
    if head in BULLETS and rest.strip():
        return Block("bullet", rest.strip(), BULLETS[head], line=number)
    if line.startswith("@"):
        name = head[1:]
        if name in SIMPLE:
            return Block(name, line=number)
        if name in TEXTUAL:
            return Block(name, rest.strip(), line=number)
        if name in ("table", "figure"):
            parts = [p.strip() for p in rest.split("|")]
            options = {}
            for part in parts[2:]:
                for pair in part.split(";"):
                    key, sep, value = pair.partition("=")
                    if sep:
                        options[key.strip()] = value.strip()
            if not parts[0]:
                problems.append(Problem(source, number, None, f"@{name} needs a key",
                                        f"write @{name} KEY | caption"))
                return None
            return Block(name, parts[1] if len(parts) > 1 else "", key=parts[0],
                         options=options, line=number)
        known = ", @".join((*SIMPLE, *TEXTUAL, "table", "figure"))
        problems.append(Problem(source, number, None, f"unknown directive @{name}",
                                f"directives: @{known}"))
        return None
    return Block("para", line, line=number)
