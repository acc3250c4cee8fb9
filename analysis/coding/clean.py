"""Find the body of a source and its structure, keeping character offsets into the original file.

Each line of a source is classified by *kind*: ``content`` (a sentence of reasonable length),
``short`` (a heading, list item, table row), ``noise`` (weather widgets, menus, share buttons,
reporter and copyright lines: the patterns of ``[noise]`` in the rules), ``outside`` (a short
line outside the article body: headline lists, navigation), ``repeat`` (a line already seen,
as when a page shows the lead paragraph twice) or ``header`` (a field of a document's head:
문서번호, 담당부서, 협조부서, 결재 …, as approval documents and press releases have them).

And by *role*: ``prose``, ``outline`` (an item marked Ⅰ. 제1장 1. 가. □ ○ - ▲ ① …; its
``marker`` class and indentation tell its level), ``table`` (a row ``label | value | value``
as ``analysis.documents`` writes tables), ``toc`` (an entry of the 목차), ``header``.

A news page's body runs from its first content line to its last; short lines outside it are
page furniture, except a 개조식 outline (□ ○ 1.) that joins the prose.  A plan, plan summary,
approval document or pledge — a document mostly of outline items, tables and headings, or
one with a 목차 — is body throughout.  Offsets always point into the file as received, so
evidence found in a body line can be located exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.coding.rules import Rules
from analysis.textio import normalise_space

# outline markers, by class: the class tells siblings (same class) from children
MARKER_CLASSES: tuple[tuple[str, str], ...] = (
    ("chapter", r"제\s*\d{1,2}\s*[장절편부]\.?(?=\s|$)"),
    ("roman", r"[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.?(?=\s|$)|(?:I{1,3}|IV|V|VI{1,3})\.(?=\s)"),
    ("num-num", r"\d{1,2}-\d{1,2}\.?(?=\s)"),
    ("num.", r"\d{1,2}\.(?=\s|$)"),
    ("num)", r"\d{1,2}\)(?=\s|[가-힣])"),
    ("(num)", r"\(\d{1,2}\)(?=\s|[가-힣])|[⑴-⒇]"),
    ("(ga)", r"\([가-하]\)(?=\s)"),
    ("ga.", r"[가-하]\.(?=\s)"),
    ("ga)", r"[가-하]\)(?=\s)"),
    ("circled", r"[①-⑳]|[❶-❿➀-➓]"),
    ("circled-letter", r"[Ⓐ-Ⓩⓐ-ⓩ㉮-㉻㉠-㉭]"),
    ("word-num", r"(?:하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉)\.(?=\s)"),
    ("▣", r"▣"),
    ("□", r"□"),
    ("■", r"■"),
    ("◆", r"[◆◈]"),
    ("◇", r"◇"),
    ("○", r"[○●◎]|ㅇ(?=\s)"),
    ("◦", r"[◦∘▫]"),
    ("▪", r"[▪➢➤❍✓✔]"),
    ("▲", r"[▲△▶▷►▸]"),
    ("-", r"[-–―─](?=\s)"),
    ("·", r"[·•∙ㆍ](?=\s?[가-힣A-Za-z0-9'‘\"“「『(])"),
    ("*", r"\*(?=\s)"),
    ("※", r"※"),
    ("bracket", r"\[[^\]]{1,30}\]|【[^】]{1,30}】|<[^>]{1,20}>"),
    # a numbered label: "전략 1.", "과제 ②", "목표 3)", "공약 5."
    # or, for the words that number a plan's layers, "전략 1  …" with no stop after the number
    ("label-num", r"[가-힣]{1,5}\s?(?:\d{1,2}\s*[.:：)]|[①-⑳]\s*[.:：)]?)(?=\s)"
                  r"|(?:전략|목표|과제|분야|부문|방향|공약|약속)\s?\d{1,2}(?=\s|$)"),
)
MARKER = re.compile("|".join(f"(?P<m{n}>{p})" for n, (_, p) in enumerate(MARKER_CLASSES)))
# how outer a class is when indentation does not tell (a docx keeps no indentation)
RANK = {"chapter": 0, "roman": 1, "▣": 1, "□": 2, "■": 2, "bracket": 2, "◆": 3, "num.": 3,
        "word-num": 3, "num-num": 4, "ga.": 4, "◇": 5, "circled": 5, "circled-letter": 5,
        "○": 5, "num)": 6, "(num)": 6, "ga)": 6, "(ga)": 6, "◦": 7, "-": 7, "·": 7, "▲": 7,
        "▪": 6, "*": 8, "※": 8, "label-num": 4}
OUTLINE = re.compile(r"^(?:[□■◆◇○●◦▪▫❍➢➤▶▷△▲※·•]|ㅇ\s|[①-⑳Ⓐ-Ⓩⓐ-ⓩ㉮-㉻㉠-㉭]|"
                     r"(?:하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉)\.\s|[-─]\s|\d{1,2}[.)]\s|"
                     r"[가-하][.)]\s|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.|제\s*\d{1,2}\s*장\s)")
SENTENCE_END = re.compile(r"(?:다|요|음|함|됨|임|까)\s*[.!?]?[\"”’'」』)\]]*\s*$|다\.\s")
HANGUL = re.compile(r"[가-힣]")
LAYER_WORDS = re.compile(r"(?<![A-Za-z])(?:VISION|MISSION|GOALS?|STRATEG(?:Y|IES))(?![A-Za-z])")
SPACES = re.compile(r"\s")
TABLE_SEP = re.compile(r"\s\|\s|\s\|$|^\|\s|(?<=[^\s|])\|(?=[^\s|])")
# a tab between two pieces of text separates columns (a table typed with tabs): read as a bar,
# which keeps every offset
TAB_COLUMNS = re.compile(r"(?<=\S)\t+(?=\S)")
# a contents line's dot leader ("…… 12"); LEADER also takes a bare page number at the end
DOT_LEADER = re.compile(r"\s*(?:[·.…‥ㆍ・]\s*){3,}\s*\d*\s*$")
LEADER = re.compile(DOT_LEADER.pattern + r"|\s+\d{1,3}$")
YEARS = re.compile(r"(?:19|20)\d{2}\s*(?:년|\.)?\s*(?:\d{1,2}\s*(?:월|\.)\s*)?[~∼～\-–]\s*"
                   r"(?:19|20)?\d{2}")
LITTLE_KOREAN = "little Korean text"
BOX = re.compile(r"^[│┃|]\s*|\s*[│┃]$")
STRUCTURED_SHARE = 0.3


@dataclass(frozen=True)
class Segment:
    """One line of a source, stripped, with its offsets in the file, its kind and role.

    ``lead`` is the length of the outline marker (and the space after it) at the start of
    ``text``; ``indent`` the line's indentation in the file; ``marker`` the marker's class.
    """

    start: int
    end: int
    text: str
    kind: str  # "content" | "short" | "noise" | "outside" | "repeat" | "header"
    reason: str = ""
    role: str = "prose"  # "prose" | "outline" | "table" | "toc" | "header"
    marker: str = ""
    indent: int = 0
    lead: int = 0

    @property
    def is_body(self) -> bool:
        return self.kind in ("content", "short")

    @property
    def content(self) -> str:
        """The text after the outline marker."""
        return self.text[self.lead:]

    @property
    def content_start(self) -> int:
        return self.start + self.lead

    @property
    def labelled(self) -> tuple[str, int]:
        """The text line rules read, and its offset: after the outline marker, except a
        bracket ("[구정 비전] 『…』"), which is the line's label."""
        if self.marker in ("bracket", "label-num"):
            return self.text, self.start
        return self.content, self.content_start

    def cells(self) -> list[tuple[int, int]]:
        """Return the (start, end) offsets in the file of a table row's cells."""
        spans = []
        position = 0
        for match in re.finditer(r"\s*\|\s*", self.text):
            spans.append((position, match.start()))
            position = match.end()
        spans.append((position, len(self.text)))
        return [(self.start + s, self.start + e) for s, e in spans if e > s]


def marker_of(text: str) -> tuple[str, int]:
    """Return the outline marker class at the start of ``text`` and the length of the marker
    with the space after it (``("", 0)`` when the line is not an outline item)."""
    match = MARKER.match(text)
    if match is None or match.lastgroup is None:
        return "", 0
    name = MARKER_CLASSES[int(match.lastgroup[1:])][0]
    end = match.end()
    while end < len(text) and text[end] == " ":
        end += 1
    if end >= len(text):  # a lone marker is no item
        return "", 0
    return name, end


# a cell's paragraphs flattened into one line by " / " ("Ⅱ 비전 및 목표 / ○ 비전 : … / ○ 목표 /
# - a / - b"): where two or more parts open with an outline marker, each part is read as a line
FLATTENED = re.compile(r"\s/\s(?=[○◦□■▪◆◇·•\-–]\s|[①-⑳]|\d{1,2}[.)]\s|[가-하][.)]\s"
                       r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ][.\s])")


BOX_BARS = str.maketrans({"│": "|", "┃": "|", "║": "|", "｜": "|"})


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, str, int]]:
    found = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        # a box-drawing bar between columns reads as a table's bar (same length: the offsets
        # into the source stay right, and evidence is always cut from the source)
        raw = TAB_COLUMNS.sub(lambda tab: "|" * len(tab.group()), match.group().translate(BOX_BARS))
        expanded = raw.replace("\t", "    ")
        indent = len(expanded) - len(expanded.lstrip())
        left = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if not stripped:
            continue
        s = start + match.start() + left
        cuts = list(FLATTENED.finditer(stripped)) if "|" not in stripped else []
        if len(cuts) < 2:
            found.append((s, s + len(stripped), stripped, indent))
            continue
        position = 0
        for cut in [*cuts, None]:
            part_end = cut.start() if cut else len(stripped)
            part = stripped[position:part_end]
            lead = len(part) - len(part.lstrip())
            if part.strip():
                found.append((s + position + lead, s + position + lead + len(part.strip()),
                              part.strip(), indent + (2 if position else 0)))
            position = cut.end() if cut else len(stripped)
    return found


def _classify(line: str, rules: Rules) -> tuple[str, str]:
    for noise in rules.noise:
        if len(line) <= noise.max_chars and noise.pattern.search(line):
            return "noise", f"matches {noise.pattern.pattern[:30]!r}"
    letters = len(line) - len(SPACES.findall(line))
    hangul = len(HANGUL.findall(line))
    if LAYER_WORDS.search(line):  # "GOAL 1 | GOAL 2 | GOAL 3" heads the goals below it
        return "short", ""
    if not letters or (hangul / letters < rules.min_hangul_ratio
                       and not YEARS.search(line) and not (hangul and OUTLINE.match(line))):
        return "noise", LITTLE_KOREAN
    if len(line) >= rules.min_body_chars and SENTENCE_END.search(line):
        return "content", ""
    return "short", ""


def _role(line: str, rules: Rules, index: int) -> tuple[str, str, int]:
    header = rules.structure.header
    unboxed = BOX.sub("", line)
    if header is not None and index < rules.structure.header_lines and header.match(unboxed):
        return "header", "", 0
    if TABLE_SEP.search(line):
        return "table", "", 0
    marker, lead = marker_of(line)
    if marker:
        return "outline", marker, lead
    return "prose", "", 0


def _toc(lines: list[tuple[int, int, str, int]], kinds: list[tuple[str, str]],
         rules: Rules) -> set[int]:
    """Return the indexes of the 목차 entries: the lines after a 목차 line up to the one that
    repeats the first entry (the body starts again with it), or up to the first sentence."""
    if rules.structure.toc is None:
        return set()
    entries: set[int] = set()
    for index, (_, _, line, _) in enumerate(lines):
        if not rules.structure.toc.match(line):
            continue
        first = None
        for n in range(index + 1, min(len(lines), index + 80)):
            text = LEADER.sub("", lines[n][2]).strip()
            if first is None:
                first = text
            elif normalise_space(text) == normalise_space(first) or kinds[n][0] == "content":
                break
            entries.add(n)
        break
    return entries


def _plan_like(content: list[int], kinds: list[tuple[str, str]],
               roles: list[tuple[str, str, int]], indents: list[int] | None = None) -> bool:
    """Return True when a text is a plan, summary, approval document or pledge rather than a
    news page: it has table rows or header fields, or outline items (not a site's bracketed
    headline list) make up much of the stretch between its first and last sentence."""
    # (a site's menu or byline written with "|" is page furniture, not a table row)
    if sum(1 for (role, _, _), (kind, _) in zip(roles, kinds, strict=True)
           if role == "table" and kind in ("content", "short")) >= 2 or \
            sum(1 for role, _, _ in roles if role == "header") >= 2:
        return True
    span = [i for i in range(content[0], content[-1] + 1) if kinds[i][0] in ("content", "short")]
    outline = [i for i in span if roles[i][0] == "outline" and roles[i][1] != "bracket"]
    if len(outline) >= 3 and len(outline) / len(span) >= STRUCTURED_SHARE:
        return True
    # a 개조식 summary of short lines (one sentence long enough to count as "content" is no
    # article): chapter headings (Ⅰ., 제1장, □) and mostly outline items, over the whole text
    lines = [i for i, (kind, _) in enumerate(kinds) if kind in ("content", "short")]
    items = [i for i in lines if roles[i][0] == "outline" and roles[i][1] != "bracket"]
    # (a report numbered "1. … / 1) … / (1) …" has its chapters as unindented "1." lines)
    chapters = sum(1 for i in items if roles[i][1] in ("roman", "chapter", "□", "■", "▣") or (
        roles[i][1] == "num." and indents is not None and indents[i] == 0))
    return chapters >= 2 and len(items) >= 6 and len(items) / len(lines) >= STRUCTURED_SHARE


def _inner(line: tuple[int, int, str, int]) -> tuple[int, int, str, int]:
    """Return a table line without its outer bars, its offsets moved to match."""
    s, _, text, indent = line
    lead = re.match(r"^\|\s*", text)
    trail = re.search(r"\s*\|$", text)
    if lead is None and trail is None:
        return line
    cut_start = lead.end() if lead else 0
    cut_end = trail.start() if trail and trail.start() >= cut_start else len(text)
    inner = text[cut_start:cut_end]
    if not inner.strip():
        return line
    return s + cut_start, s + cut_end, inner, indent


def segment(text: str, start: int, end: int, rules: Rules) -> list[Segment]:
    """Return the non-blank lines of ``text[start:end]``, each classified."""
    lines = _lines(text, start, end)
    roles = [_role(line, rules, n) for n, (_, _, line, _) in enumerate(lines)]
    # a table row typed with outer bars ("| 목표 | 추진전략 |") reads as one without them
    lines = [_inner(line) if role == "table" else line
             for line, (role, _, _) in zip(lines, roles, strict=True)]
    kinds = [_classify(line, rules) for _, _, line, _ in lines]
    toc = _toc(lines, kinds, rules)
    for n in toc:
        roles[n] = ("toc", *roles[n][1:])
    for n, (role, _, _) in enumerate(roles):
        if role == "header":
            kinds[n] = ("header", "a field of the document's head")
    content = [i for i, (kind, _) in enumerate(kinds) if kind == "content"]
    if not content or toc or _plan_like(content, kinds, roles, [ln[3] for ln in lines]):
        first, last = 0, len(lines) - 1  # a plan or summary written in 개조식: body throughout
    else:
        first, last = content[0], content[-1]
        # the head of the text (headline, a 회의록's fields) up to the page furniture before it;
        # a line with little Korean text (a date) does not end the head
        while first > 0 and (kinds[first - 1][0] in ("short", "header")
                             or kinds[first - 1][1] == LITTLE_KOREAN):
            first -= 1
        while (last + 1 < len(lines) and kinds[last + 1][0] == "short"
               and OUTLINE.match(lines[last + 1][2])):
            last += 1
    seen: set[str] = set()
    segments = []
    for index, ((s, e, line, indent), (kind, reason), (role, marker, lead)) in enumerate(
            zip(lines, kinds, roles, strict=True)):
        if kind == "short" and not first <= index <= last:
            kind, reason = "outside", "outside the article body"
        key = normalise_space(line)
        if kind in ("content", "short") and role != "toc":
            if key in seen and len(key) > 15:
                kind, reason = "repeat", "the same line appears earlier"
            seen.add(key)
        segments.append(Segment(s, e, line, kind, reason, role, marker, indent, lead))
    return segments


def body(text: str, start: int, end: int, rules: Rules) -> list[Segment]:
    """Return only the body lines (content and short) of ``text[start:end]``."""
    return [s for s in segment(text, start, end, rules) if s.is_body]


def column_header(segments: list[Segment], index: int) -> bool:
    """Return whether table row ``index`` heads its table's columns ("추진전략 | 추진과제 |
    주요 사업"): the table's first row, of short cells, over rows of as many (for two columns,
    rows whose first cells are items, not labels such as 비전 or 목표)."""
    seg = segments[index]
    if seg.role != "table" or (index and segments[index - 1].role == "table"):
        return False
    if index + 1 >= len(segments) or segments[index + 1].role != "table":
        return False
    cells = [c.strip() for c in seg.text.split("|")]
    rows = []
    for below in segments[index + 1:index + 3]:
        if below.role == "table" and len(below.text.split("|")) == len(cells):
            rows.append(below.text.split("|")[0].strip())
    if len(cells) < 2 or not rows or not all(0 < len(c) <= 14 for c in cells):
        return False
    # two columns are a label and its value ("비전 | …") unless the rows below carry items
    # (several long first cells, or one that is a numbered item: "① 판로를 넓히는 인천 | 1-1 …")
    return len(cells) >= 3 or (len(rows) >= 2 and all(len(r) >= 6 for r in rows)) or (
        bool(rows) and len(rows[0]) >= 6 and MARKER.match(rows[0]) is not None)
