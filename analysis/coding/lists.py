"""Lists of an element's items (goals, strategies): the ``list`` rule kind.

A list rule names its element's lists by a ``term`` (``{goal}``: 목표, 정책목표 …;
``{strategy}``: 추진전략, 핵심전략, 전략과제, 정책과제 …).  Three forms:

``block``
    a heading that is the term (``□ 목표``, ``Ⅲ. 5대 정책과제``, ``나. 추진전략(3대 전략 11개
    과제)``, a 목차 chapter ``Ⅳ. 추진전략별 세부사업``) or a sentence that announces the list
    (``7대 중점과제는 다음과 같다.``, ``전략과제는 5개다.``), followed by outline items: the
    items of the first item's marker class are the list, deeper items (by indentation, or by
    the usual rank of markers where the document keeps none) are skipped, the heading's class
    or an outer one ends it.
``inline``
    items marked inside one sentence (▲ △ ○ ① 1) 첫째 둘째 …); the list belongs to the term
    written right after it (``…▲a ▲b 등 3대 전략을``) or else right before it (``목표로 △a
    △b``, ``추진전략: ① a ② b``), or, for a list that opens its sentence, to the term of the
    sentence before (``4대 추진과제를 정했다. 첫째 …, 둘째 …``).  When several rules could
    own a list, the term nearest to it decides.
``counted``
    a counted list without markers: ``A, B, C 등 5개 분야``, ``목표로는 A, B, C 등 세 가지``,
    ``목표는 A와 B 두 가지로``, ``목표는 두 가지로, A것과 B것이다``.

An item written ``label: description`` is coded by its label when the description lists
projects (has commas), else as ``label: description`` when the label is short (a 분야 name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from analysis.coding.clean import LEADER, MARKER, RANK, Segment, column_header
from analysis.coding.extract import LIST_STOP, QUOTES, Finding, make, tidy
from analysis.coding.nlp import Sentence
from analysis.coding.rules import Rule

NUMERALS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
            "아홉": 9, "열": 10}
NUMERAL = r"\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열"
ORDINAL = r"(?:첫|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|열)째"
INLINE_MARK = re.compile(
    r"(?P<sym>[▲△▶▷◆◇○●◎])\s*|(?P<circled>[①-⑳❶-❿])\s*|(?<![\w.])(?P<num>\d{1,2})\)\s*"
    rf"|(?<![가-힣])(?P<ordinal>{ORDINAL})(?:는|로|은)?,?\s+")
# what may stand between a marked list and the term after it (matched at the list's end)
AFTER = re.compile(rf"\s*(?:등(?:을|의|이)?\s*|(?:의|을|를|(?:이)?라는)\s*"
                   rf"(?=(?:{NUMERAL})\s*(?:대|개|가지)))?"
                   rf"[{QUOTES}]?\s*(?:(?:총|모두)\s*)?"
                   rf"(?:(?:{NUMERAL})\s*(?:대|개|가지)\s*)?(?:의\s*)?[{QUOTES}]?\s*")
BEFORE_TAIL = re.compile(rf"[{QUOTES}]?\s*(?:은|는|으로|로|으로는|로는|을|를|:|：|\(|이란|인|이라는"
                         r"|라는)?\s*"
                         r"(?:다음과\s*같이\s*|아래와\s*같이\s*)?$")
# "▲a ▲b의 2대 전략", "▲a ▲b를 2대 과제로": the count after the last item is the list's
OF_COUNT = re.compile(rf"(?<=[가-힣A-Za-z0-9)])(?:의|을|를|(?:이)?라는)\s*(?:{NUMERAL})\s*"
                      r"(?:대|개|가지)"
                      r"(?=\s|[가-힣])")
COPULA = re.compile(r"(?<=[가-힣A-Za-z0-9)])(?:이며|이고|이다|입니다|이었다|임|이다)(?=[\s,.]|$)"
                    r"|(?<=[가-힣])(?<![했한된었였겠습])다(?=\.?\s*$)")
AS_ROLE = re.compile(r"\s*(?:을|를)\s*")
VERB_TAIL = re.compile(r"(?<=[가-힣)])(?:을|를|으로|로)\s+\S+(?:\s+\S+)?\s*\.?\s*$")
CLAUSE = re.compile(r"(?<=[가-힣])(?:이며|이고|으며|하며|하고)\s*,?\s")
# the last item ends at a particle and a comma, with the verb of its clause: "④ 민관 협력으로,
# 4대 추진과제…", "▲생활 자립을 제시했고, 정책방향마다…"
PARTICLE_COMMA = re.compile(r"(?<=[가-힣])(?:으로|(?<![제도경통진항수])로|을|를)"
                            r"(?:\s+[가-힣]+(?:했고|하고|했으며|하며|하였고|하였으며))?\s*,\s")
LABEL = re.compile(r"^(?P<label>[^:：]{1,24}?)\s*(?:[:：]|\s[-–]\s)\s*(?P<desc>.+)$")
COUNT_NOTE = re.compile(r"\s*\([^()]*\d+\s*[개대][^()]*\)\s*$")
TOPIC = re.compile(r"(?<!\S)\S+(?:은|는|으로는|로는)\s")


@dataclass(frozen=True)
class Item:
    """A list item: the evidence span and the value's span and text."""

    start: int
    end: int
    value_start: int
    value_end: int
    value: str


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMERALS.get(word, 0)


# ---- block lists -----------------------------------------------------------------------------

# a line that heads a list of its own rather than describing the item above: short, bracketed,
# or a layer's word ("[추진전략]", "【전략과 과제】", "추진체계", "세부 과제")
HEADING_LIKE = re.compile(r"^.{0,11}$|^\s*[\[【<〈《(].*[\]】>〉》)]\s*$|^\s*(?:[가-힣]{1,4}\s*)?"
                          r"(?:비\s*전|목\s*표|전\s*략|과\s*제|추진|체계|방향|분야)")
HEAD_COUNT = re.compile(r"(?<!\d)(\d)\s*[대개]\s*[가-힣]")
HEADING_LABEL = re.compile(r"^([^:：]{1,12}?)\s*[:：]\s*(?:총\s*)?\d+\s*[대개]")


def _heading_text(seg: Segment) -> str:
    text = LEADER.sub("", seg.content).strip()
    return text.strip("[]【】<> ")


def block_lists(rules: Sequence[Rule], segments: list[Segment],
                about: Callable[[int], bool]) -> list[Finding]:
    """Return the items listed under headings and announcing sentences of ``segments`` (a
    document's body lines in order); ``about(i)`` says whether line ``i`` is about the case."""
    indented = any(s.indent > 0 for s in segments if s.marker)
    found: list[Finding] = []
    groups = [[r for r in rules if r.take != "children"],
              [r for r in rules if r.take == "children"]]
    for index, seg in enumerate(segments):
        if seg.role == "table" and column_header(segments, index) and about(index):
            found += _column(groups[0], segments, index)
            continue
        if seg.role == "table" and about(index):
            found += _label_rows(groups[0], segments, index)
        if seg.role in ("table", "header") or index + 1 >= len(segments) or not about(index):
            continue
        nxt = segments[index + 1]
        if nxt.role == "table" or (not nxt.marker and (len(nxt.text) > 60 or nxt.kind != "short")):
            continue
        text = _heading_text(seg)
        label = HEADING_LABEL.match(text)
        for group in groups:
            # a heading labelled with a layer's term is that layer's list, whatever it counts
            # ("추진전략 : 3대 목표 4대 전략 16개 과제")
            owner = next((rule for rule in group if label is not None and rule.term is not None
                          and rule.layer != "direction"
                          and rule.term.fullmatch(label.group(1).strip())), None)
            owner = owner or next((rule for rule in group if (
                len(text) <= 40 and rule.heading is not None and rule.heading.match(text))
                or (rule.intro is not None and rule.intro.search(seg.content))), None)
            if owner is None:
                continue
            items, children = _block(segments, index, indented)
            if not nxt.marker:  # "<비전>" then a plain line: one item only; "3대 목표" then
                # three plain short lines: those three
                count = HEAD_COUNT.search(text)
                n = int(count.group(1)) if count else 0
                plain = segments[index + 1:index + 1 + n]
                if owner.max_items == 1:
                    items = [nxt]
                elif 2 <= n <= 9 and len(plain) == n and all(
                        not p.marker and p.role == "prose" and p.kind == "short"
                        and len(p.text) <= 60 for p in plain):
                    items = plain
                else:
                    items = []
                children = []
            if owner.take == "children":
                found += _children(owner, items, children)
                continue
            values = [i for i in (_item(owner, s) for s in items) if i is not None]
            if len(values) < owner.min_items or len(values) > owner.max_items:
                continue
            found += [make(owner, v.value, v.start, v.end, v.value_start, v.value_end)
                      for v in values]
    return found


# the later columns of a table that may carry a layer of the plan ("목표 | 추진전략 | 세부과제":
# the strategies beside their goal), each cell holding one item or several ("1. a / 2. b")
LAYER_ELEMENTS = ("goal", "strategy")
CELL_ITEMS = re.compile(r"\s+/\s+|\n")
OUTER_MARKERS = frozenset({"chapter", "roman", "▣", "□", "■", "bracket", "※"})
COLUMN_NUMBER = re.compile(r"\s*(?:\d{1,2}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,4})$")


def _column(rules: Sequence[Rule], segments: list[Segment], index: int) -> list[Finding]:
    """Return the items of the table columns headed by a list's term ("추진전략 | 추진과제 |
    …" over "전략 1. 생애주기 학습 보장 | …"; "목표 | 추진전략" over "a | 1. b / 2. c"): the
    first column's cells, and the cells of a later column that names another layer of the
    plan (goal, strategy) than the columns before it."""
    header = [c.strip() for c in segments[index].text.split("|")]
    width = len(header)
    rows: list[tuple[Segment, list[tuple[int, int] | None]]] = []
    for seg in segments[index + 1:]:
        if seg.role != "table" and seg.marker and seg.marker not in OUTER_MARKERS and rows \
                and MARKER.match(rows[0][0].text.split("|")[0].strip()):
            continue  # a cell's further lines merged down ("1-2 …" under "① a | 1-1 …")
        if seg.role != "table" or len(seg.text.split("|")) > width:
            break
        # a row of fewer cells continues cells merged down from the row above: its cells
        # are the last columns ("2. 생활 SOC 확충 | '소제동 마을 부엌'" under a goal)
        cells = seg.cells()
        rows.append((seg, [None] * (width - len(cells)) + cells))
    found: list[Finding] = []
    taken: set[str] = set()
    series: set[str] = set()  # the elements of numbered heads: "GOAL 1 | GOAL 2 | GOAL 3"
    for column, head in enumerate(header):
        numbered = COLUMN_NUMBER.search(head) is not None
        head = COLUMN_NUMBER.sub("", head)
        owner = next((r for r in rules if r.heading is not None and r.heading.match(head)),
                     None)
        if owner is not None and numbered and owner.element in series:
            taken.discard(owner.element)  # the next column of the series
        if owner is not None and numbered:
            series.add(owner.element)
        if owner is None or owner.element in taken or (
                column and owner.element not in LAYER_ELEMENTS):
            if owner is not None:
                taken.add(owner.element)
            continue
        taken.add(owner.element)
        values = []
        for seg, spans in rows:
            if column >= len(spans) or spans[column] is None:
                continue
            values += _cell_items(owner, seg, spans, column)
        if owner.min_items <= len(values) <= owner.max_items:
            found += values
    return found


CODE = re.compile(r"^[A-Z]{1,2}\d{1,2}(?:[-.]\d{1,2})?\s+")


def _label_rows(rules: Sequence[Rule], segments: list[Segment], index: int) -> list[Finding]:
    """Return the items of a label row and the rows of one cell beneath it, the label's cell
    merged down ("목표(GOAL) │ G1 …" over "│ G2 …", "│ G3 …")."""
    seg = segments[index]
    spans = seg.cells()
    if len(spans) != 2 or index + 1 >= len(segments):
        return []
    below = segments[index + 1]
    if below.role != "table" or len(below.cells()) != 1:
        return []
    head = seg.text[:spans[0][1] - seg.start].strip()
    owner = next((r for r in rules if r.heading is not None and r.heading.match(head)
                  and r.element in LAYER_ELEMENTS), None)
    if owner is None:
        return []
    values = _cell_items(owner, seg, list(spans), 1)
    for row in segments[index + 1:]:
        if row.role != "table" or len(row.cells()) != 1:
            break
        values += _cell_items(owner, row, list(row.cells()), 0)
    return values if owner.min_items <= len(values) <= owner.max_items else []


def _cell_items(owner: Rule, seg: Segment, spans: list[tuple[int, int] | None],
                column: int) -> list[Finding]:
    cell = spans[column]
    assert cell is not None
    start, end = cell
    text = seg.text[start - seg.start:end - seg.start]
    lead = MARKER.match(text)
    if column == 0 and lead and not text[lead.end():].strip() and len(spans) > 1 \
            and spans[1] is not None:
        start, end = spans[1]  # "전략 1 | 청정에너지 전환 도시": the name is the next cell
        text = seg.text[start - seg.start:end - seg.start]
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^/\n]+", text)] \
        if CELL_ITEMS.search(text) else [(0, len(text))]
    values = []
    for s, e in parts:
        s += len(text[s:e]) - len(text[s:e].lstrip())
        part = text[s:e]
        lead = MARKER.match(part)
        skip = lead.end() if lead else 0
        skip += len(part[skip:]) - len(part[skip:].lstrip())
        code = CODE.match(part[skip:])  # "G1  주 2회 이상 운동하는 시민 비율 70%"
        skip += code.end() if code else 0
        value = tidy(part[skip:])
        if max(2, owner.min_chars) <= len(value) <= 80 and not any(
                p.search(value) for p in owner.exclude):
            values.append(make(owner, value, start + s, start + e, start + s + skip,
                               start + e))
    return values


def _block(segments: list[Segment], index: int,
           indented: bool) -> tuple[list[Segment], list[Segment]]:
    """Return the items of the list under heading ``index``, and their deeper lines."""
    head = segments[index]
    first = segments[index + 1]
    kind = first.marker
    if kind == head.marker and head.marker:
        return [], []
    if kind in ("chapter", "roman") and head.marker not in ("chapter", "roman") \
            and first.indent <= head.indent:
        return [], []  # a chapter heading (Ⅲ.) after a note line (※ …) is no item of it
    if head.marker in ("※", "*") and RANK.get(kind, 9) < RANK[head.marker] \
            and first.indent <= head.indent:
        return [], []  # nor is "3. 전략별 추진과제" after "※ 4대 추진전략 아래 …"
    items, children = [first], []
    rest = segments[index + 2:]
    for n, seg in enumerate(rest):
        if not seg.marker and seg.role not in ("table", "header") \
                and not HEADING_LIKE.search(seg.text) and any(
                later.marker == kind and later.indent == first.indent
                for later in rest[n + 1:n + 3]):
            continue  # an item's description line ("약속 1 a" / "…" / "약속 2 b")
        if not seg.marker or seg.role in ("table", "header"):
            break
        if seg.marker == kind and (not indented or seg.indent == first.indent):
            items.append(seg)
            continue
        if seg.marker == head.marker:
            break
        if indented:
            if seg.indent > first.indent:
                children.append(seg)
                continue
            break
        if RANK.get(seg.marker, 9) > RANK.get(kind, 9):
            children.append(seg)  # a deeper line
            continue
        break
    return items, children


def _children(rule: Rule, items: list[Segment], children: list[Segment]) -> list[Finding]:
    """Return the parts (split at commas) of the items' deeper lines and of the descriptions
    of "label: a, b" items: what each item of a list consists of (its projects)."""
    chunks: list[tuple[Segment, int, int]] = []  # a line, and the stretch of it to split
    for seg in items:
        label = LABEL.match(seg.content)
        if label is not None and "," in label.group("desc"):
            chunks.append((seg, seg.lead + label.start("desc"), seg.lead + label.end("desc")))
    chunks += [(seg, seg.lead, len(seg.text)) for seg in children]
    found = []
    for seg, lo, hi in chunks:
        position = lo
        for cut in [*re.finditer(r",\s*", seg.text[lo:hi]), None]:
            end = lo + cut.start() if cut is not None else hi
            piece = seg.text[position:end]
            lead = len(piece) - len(piece.lstrip())
            value = tidy(piece)
            if max(2, rule.min_chars) <= len(value) <= 60 and not any(
                    p.search(value) for p in rule.exclude):
                start = seg.start + position + lead
                stop = start + len(piece.strip())
                found.append(make(rule, value, start, stop, start, stop))
            position = lo + cut.end() if cut is not None else hi
    return found


def _item(rule: Rule, seg: Segment) -> Item | None:
    """Return the value of one outline item (marker, "전략 1." and a count note off)."""
    text = seg.content
    offset = seg.content_start
    text = LEADER.sub("", text)
    if rule.term is not None:  # "전략 1.", "과제 2:", "핵심전략 3 :"
        numbered = re.match(rf"^(?:(?:{rule.term.pattern})\s*\d{{1,2}}\s*[.:：)]?|"
                            r"[가-힣]{1,6}\s?\d{1,2}\s*[.:：)])\s*", text)
        if numbered and numbered.end() < len(text):
            offset += numbered.end()
            text = text[numbered.end():]
    text = COUNT_NOTE.sub("", text)
    return _labelled(rule, text, offset, seg.start, seg.end)


def _labelled(rule: Rule, text: str, offset: int, start: int, end: int) -> Item | None:
    s, e = 0, len(text.rstrip())
    label = LABEL.match(text)
    if label is not None:
        name, desc = label.group("label").strip(), label.group("desc")
        if "," in desc or (len(name.replace(" ", "")) > 6 and not name.endswith("분야")):
            s, e = label.span("label")
            e = s + len(text[s:e].rstrip())
    value = tidy(text[s:e])
    if (len(value) < max(2, rule.min_chars) or len(value) > 80
            or any(p.search(value) for p in rule.exclude)):
        return None
    return Item(start, end, offset + s, offset + e, value)


# ---- inline lists ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Run:
    first: int  # where the first marker starts
    spans: tuple[tuple[int, int], ...]
    end: int  # where the last item ends


QUICK_MARK = re.compile(r"[▲△▶▷◆◇○●◎①-⑳❶-❿)]|째")


def _runs(text: str) -> list[_Run]:
    if not QUICK_MARK.search(text):
        return []
    return _runs_of(text)


@lru_cache(maxsize=4096)
def _runs_of(text: str) -> list[_Run]:
    marks = list(INLINE_MARK.finditer(text))
    groups: list[list[re.Match[str]]] = []
    for mark in marks:
        if groups and groups[-1][-1].lastgroup == mark.lastgroup and (
                mark.lastgroup != "sym" or groups[-1][-1].group("sym") == mark.group("sym")):
            groups[-1].append(mark)
        else:
            groups.append([mark])
    runs = []
    for group in groups:
        if len(group) < 2:
            continue
        spans = []
        for n, mark in enumerate(group):
            start = mark.end()
            end = group[n + 1].start() if n + 1 < len(group) else _last_end(text, start)
            chunk = text[start:end].rstrip(" ,")
            chunk = re.sub(r"(?:\s*(?:와|과|및|그리고))$", "", chunk)
            chunk = COUNT_NOTE.sub("", chunk)  # "③ c (3대 전략 15개 과제)": the count is no item
            if chunk.strip():
                spans.append((start, start + len(chunk)))
        if len(spans) >= 2:
            runs.append(_Run(group[0].start(), tuple(spans), spans[-1][1]))
    return runs


def _last_end(text: str, start: int) -> int:
    """Return where the last item of an inline list ends: at "등", a copula or the verb."""
    end = len(text)
    for pattern in (LIST_STOP, OF_COUNT, CLAUSE, COPULA, PARTICLE_COMMA):
        match = pattern.search(text, start, end)
        if match and match.start() > start + 1:
            end = match.start()
    if end == len(text):  # the item runs to the end: the sentence's verb is not part of it
        tail = VERB_TAIL.search(text, start, end)
        if tail and tail.start() > start + 1:
            return start + len(text[start:tail.start()].rstrip(" .,"))  # its particle is off
    chunk = text[start:end].rstrip(" .,")
    chunk = re.sub(r"(?<=[가-힣])(?:을|를)$", "", chunk)
    return start + len(chunk)


def inline_lists(rules: Sequence[Rule], sentences: list[Sentence],
                 about: Callable[[Sentence], bool]) -> list[Finding]:
    """Return the items of marked lists inside sentences, each given to the rule whose term
    stands nearest to it."""
    found: list[Finding] = []
    previous: Sentence | None = None
    for sentence in sentences:
        prior = previous if previous is not None and previous.line == sentence.line \
            and sentence.line >= 0 else None
        previous = sentence
        if not about(sentence):
            continue
        text = sentence.text
        for run in _runs(text):
            owner = _owner(rules, text, run, prior)
            if owner is None:
                continue
            items = [(s, e) for s, e in run.spans]
            if len(items) < owner.min_items or len(items) > owner.max_items:
                continue
            for s, e in items:
                value = tidy(text[s:e])
                if len(value) < max(2, owner.min_chars) or len(value) > 80 or any(
                        p.search(value) for p in owner.exclude):
                    continue
                mark = s
                while mark > 0 and text[mark - 1] == " ":
                    mark -= 1
                found.append(make(owner, value, sentence.start + max(0, mark - 1),
                                  sentence.start + e, sentence.start + s, sentence.start + e))
    return found


def _owner(rules: Sequence[Rule], text: str, run: _Run, prior: Sentence | None) -> Rule | None:
    lead = AFTER.match(text, run.end, run.end + 40)
    after = run.end + (lead.end() - lead.start() if lead else 0)
    for rule in rules:  # the term right after the list names it ("▲a ▲b 등 3대 전략")
        # (matched in the sentence itself: a term may look behind at its count, "5대 부문")
        if rule.term is not None and rule.term.match(text, after, run.end + 40):
            return rule
    role = AS_ROLE.match(text, run.end)  # or names its role: "▲a ▲b를 목표로 내걸었다"
    if role is not None:
        for rule in rules:
            term = rule.term.match(text, role.end()) if rule.term is not None else None
            if term is not None and re.match(r"\s*(?:으로|로)(?:\s|$)", text[term.end():]):
                return rule
    before = text[max(0, run.first - 40):run.first]
    before = BEFORE_TAIL.sub("", before)
    best: tuple[int, Rule] | None = None
    for rule in rules:
        if rule.term is None:
            continue
        for match in rule.term.finditer(before):
            tail = before[match.end():]
            adjacent = not tail.strip() or re.fullmatch(r"\s*(?:은|는|으로|로|:)?\s*", tail)
            if adjacent and (best is None or match.start() > best[0]):
                best = (match.start(), rule)
    if best is not None:
        return best[1]
    if before.strip(" ,") or prior is None:
        return None
    owners = [r for r in rules if r.term is not None and r.term.search(prior.text)]
    return owners[-1] if len({r.element for r in owners}) == 1 else None


# ---- counted lists ---------------------------------------------------------------------------

QUOTED_NAME = re.compile(r"[‘'\"“「『]([^’'\"”」』]{2,40})[’'\"”」』]")


def _may_hold(rule: Rule, text: str) -> bool:
    """Whether ``text`` holds one of the literals every match of the rule's term needs (a
    substring test is far cheaper than searching the term's pattern in every sentence)."""
    return rule.hints is None or any(hint in text for hint in rule.hints)


def counted_lists(rules: Sequence[Rule], sentences: list[Sentence],
                  about: Callable[[Sentence], bool],
                  lexicon: tuple[tuple[str, str], ...] = ()) -> list[Finding]:
    """Return the items of counted lists without markers (``A, B, C 등 5개 분야``)."""
    found: list[Finding] = []
    previous: Sentence | None = None
    for sentence in sentences:
        prior = previous if previous is not None and previous.line == sentence.line \
            and sentence.line >= 0 else None
        previous = sentence
        if not about(sentence) or any(len(r.spans) >= 2 for r in _runs(sentence.text)):
            continue
        for rule in rules:
            if rule.term is None:
                continue
            spans = []
            if _may_hold(rule, sentence.text) and rule.term.search(sentence.text):
                spans = _counted(rule, sentence.text, *_grammar(lexicon))
            elif prior is not None and _may_hold(rule, prior.text) \
                    and rule.term.search(prior.text):
                spans = _announced(rule, prior.text, sentence.text, _grammar(lexicon)[1])
            for s, e, confidence in spans:
                # an item described before its quoted name ("처음 찾아오게 하는 '발길 잇기'") is
                # the name
                named = QUOTED_NAME.search(sentence.text, s, e)
                if named and named.end() >= e - 1:
                    s, e = named.start(1), named.end(1)
                value = tidy(sentence.text[s:e])
                if len(value) < max(2, rule.min_chars) or len(value) > 80 or any(
                        p.search(value) for p in rule.exclude):
                    continue
                found.append(make(rule, value, sentence.start + s, sentence.start + e,
                                  sentence.start + s, sentence.start + e,
                                  rule.confidence * confidence))
    return found


# a list a sentence gives for a term ("추진전략으로 A, B, C를 선정했다") ends at a listing verb
# the [lexicon] words of a list a sentence gives for its term ("추진전략으로 A, B, C를 선정했다"):
# the verb that ends it, and words that show a part is a clause, not an item
LIST_VERBS = "제시|선정|설정|내걸|꼽|세웠|세우|정했|정하|마련했|확정|담았|밝혔"
CLAUSE_WORDS = ("하고|하며|하여|해서|위한|위해|통해|있는|하는|되는|으로써|할|한다|하도록|"
                "있도록|수\\s있|[다라]는\\s뜻|됐고|했고|되었고|하였고|배출했|이에\\s따라|있습니|있다|"
                "[가-힣](?:으나|지만)|졌다|졌고")


@cache
def _grammar(lexicon: tuple[tuple[str, str], ...]) -> tuple[str, re.Pattern[str]]:
    words = dict(lexicon)
    verbs = words.get("list_verb", LIST_VERBS)
    clause = words.get("clause_word", CLAUSE_WORDS)
    end = (rf"(?:\s*등(?:을|이)?|(?<=[가-힣A-Za-z0-9%)])(?:을|를))\s*(?:{verbs})"
           r"|(?<=[가-힣A-Za-z0-9%)])(?:이다|입니다)\s*\.?\s*$"
           r"|(?<=[가-힣])(?<![했됐었였한는았겠])다\s*\.?\s*$"
           r"|(?<=[가-힣A-Za-z0-9%)])(?:이고|이며),\s")
    return end, re.compile(rf"(?:{clause})(?=[\s,]|$)")


def _counted(rule: Rule, text: str, list_end: str,
             clause_word: re.Pattern[str]) -> list[tuple[int, int, float]]:
    assert rule.term is not None
    term = rule.term.pattern
    spans: list[tuple[int, int, float]] = []
    # A, B, C 등 5개 분야
    for match in re.finditer(rf"(?:\s*등|의|(?<=[가-힣’'\"”」』])(?:이|가|을|를)(?=\s)"
                             rf"|(?:이)?라는)\s*"
                             rf"(?P<count>{NUMERAL})\s*(?:대|개|가지|갈래)\s*(?:의\s*)?(?:{term})",
                             text):
        count = _count(match.group("count"))
        prefix = text[:match.start()]
        spans += _split(prefix, 0, len(prefix), count, first_topic=True)
    # A, B, C, D의 네 권역을 전략으로 삼고 / A, B, C, 이 세 가지를 전략으로 잡았는데
    for match in re.finditer(rf"(?:,\s*이|의|(?:이)?라는)\s*(?P<count>{NUMERAL})\s*"
                             rf"(?:대|개|가지|갈래)?\s*(?:[가-힣]{{1,4}}\s*)?(?:을|를)\s*(?:{term})"
                             r"(?:으로|로)\s*(?:삼|잡|정하|정했|내걸|내세|제시|꼽)", text):
        count = _count(match.group("count"))
        prefix = text[:match.start()]
        spans += _split(prefix, 0, len(prefix), count, first_topic=True)
    # 3대 추진전략인 ‘A’, ‘B’, ‘C’의 …: the quoted names, as many as the count says
    for match in re.finditer(rf"(?P<count>{NUMERAL})\s*(?:대|개|가지)\s*(?:{term})(?:\s*\(안\))?\s*"
                             r"(?:인|은|는)\s+(?P<list>[‘'\"“][^.]+?[’'\"”])(?=의|을|를|이|가|\s|$)",
                             text):
        names = list(QUOTED_NAME.finditer(text, match.start("list"), match.end("list")))
        if len(names) == _count(match.group("count")):
            spans += [(n.start(1), n.end(1), 1.0) for n in names]
    # 3대 추진전략인 A, B, C에 맞춰 …: as many parts as the count says
    for match in re.finditer(rf"(?P<count>{NUMERAL})\s*(?:대|개|가지)\s*(?:{term})\s*인\s+"
                             r"(?P<list>[^.‘'\"“]+?,[^.]+?)"
                             r"(?:에\s*맞춰|에\s*따라|을|를|으로|의)\s", text):
        spans += _split(text, match.start("list"), match.end("list"),
                        _count(match.group("count")), first_topic=False)
    # 일자리·주거·출산양육 3개 분야: as many parts joined by "·" as the count says
    part = r"[가-힣A-Za-z]{1,12}(?:\s[가-힣A-Za-z]{1,8})?"
    for match in re.finditer(rf"(?<![가-힣A-Za-z·])(?P<list>{part}(?:·{part})+)\s+"
                             rf"(?P<count>{NUMERAL})\s*"
                             rf"(?:대|개|가지)\s*(?:의\s*)?(?:{term})", text):
        parts = match.group("list").split("·")
        if len(parts) != _count(match.group("count")):
            continue
        position = match.start("list")
        for part in parts:
            spans.append((position, position + len(part), 1.0))
            position += len(part) + 1
    # 목표로는 A, B, C 등 세 가지 / 목표는 A와 B 두 가지로
    for match in re.finditer(rf"(?:{term})\s*(?:은|는|으로는|로는)\s+(?P<list>[^.]+?)\s*"
                             rf"(?:등\s*)?(?P<count>{NUMERAL})\s*(?:가지|개)(?!\s*(?:{term}))",
                             text):
        spans += _split(text, match.start("list"), match.end("list"),
                        _count(match.group("count")), first_topic=False)
    # 목표는 두 가지로, A것과 B것이다
    for match in re.finditer(rf"(?:{term})\s*(?:은|는)\s*(?P<count>{NUMERAL})\s*(?:가지|개)"
                             r"(?:로|로는|이며|이다)?\s*[,:]?\s*(?P<list>[^.]+?)"
                             r"(?:이다|입니다|임|이며|다)?\s*\.?\s*$", text):
        spans += _split(text, match.start("list"), match.end("list"),
                        _count(match.group("count")), first_topic=False)
    # 5대 핵심전략으로 A, B, C를 선정했다 / 목표로는 A, B를 제시했다
    for match in re.finditer(rf"(?:(?P<count>{NUMERAL})\s*(?:대|개|가지)\s*)?(?:{term})\s*"
                             rf"(?:은|는|으로|로|으로는|로는|:)\s+(?P<list>[^.]+?,[^.]+?)"
                             rf"(?:{list_end})", text):
        listed = match.group("list")
        if re.match(rf"(?:{NUMERAL})\s*(?:가지|개)", listed) or clause_word.search(listed) \
                or re.search(rf"\s등\s*(?:{NUMERAL})\s*(?:대|개|가지)", listed):
            continue  # "목표는 두 가지로, …" (the form above); a clause, not a list
        commas = len(re.findall(r",\s*", match.group("list")))
        count = _count(match.group("count") or "") or commas + 1
        if count <= 8:
            spans += [(s, e, c * (1.0 if match.group("count") else 0.9))
                      for s, e, c in _split(text, match.start("list"), match.end("list"),
                                            count, first_topic=False)]
    return spans


PAST_VERB = re.compile(r"(?:했|됐|었|였)(?:고|으며|다)?(?=[\s,]|$)")


def _announced(rule: Rule, prior: str, text: str,
               clause_word: re.Pattern[str]) -> list[tuple[int, int, float]]:
    """A list that makes up a whole sentence after the one that announced it: "네 가지
    추진과제를 정했다. A, B, C, D이다." """
    assert rule.term is not None
    announced = re.search(rf"(?P<count>{NUMERAL})\s*(?:대|개|가지)\s*(?:의\s*)?"
                          rf"(?:{rule.term.pattern})|(?:{rule.term.pattern})\s*(?:은|는)\s*"
                          rf"(?P<count2>{NUMERAL})\s*(?:가지|개|갈래)(?:로|이다|입니다|다)", prior)
    whole = re.match(r"^\s*(?:즉|이는|바로)?\s*(?P<list>[^.]+?,[^.]+?)"
                     r"(?:이다|입니다|임|다|이며)\s*\.?\s*$", text)
    if announced is None or whole is None or clause_word.search(whole.group("list")) \
            or PAST_VERB.search(whole.group("list")):
        return []  # a sentence of clauses ("…이 편성됐고, …") lists nothing
    return _split(text, whole.start("list"), whole.end("list"),
                  _count(announced.group("count") or announced.group("count2")),
                  first_topic=False)


def _split(text: str, lo: int, hi: int, count: int,
           first_topic: bool) -> list[tuple[int, int, float]]:
    """Return ``count`` parts of ``text[lo:hi]``: split at commas (and a last "및"), or (two
    parts without a comma) at the one "와/과" that joins them."""
    if count < 2:
        return []
    chunk = text[lo:hi]
    cuts = [(m.start(), m.end()) for m in re.finditer(r",\s*(?:그리고\s+)?", chunk)]
    if len(cuts) == count - 2:  # "A, B 및 C"
        tail = cuts[-1][1] if cuts else 0
        last = re.search(r"\s+(?:및|그리고)\s+", chunk[tail:])
        if last is not None:
            cuts.append((tail + last.start(), tail + last.end()))
    bounds: list[tuple[int, int]] = []
    if len(cuts) >= count - 1:
        chosen = cuts[len(cuts) - (count - 1):]
        starts = [0 if len(cuts) == count - 1 else cuts[len(cuts) - count][1]]
        starts += [e for _, e in chosen]
        ends = [s for s, _ in chosen] + [hi - lo]
        bounds = list(zip(starts, ends, strict=True))
    elif count == 2:
        joins = list(re.finditer(r"(?<=[가-힣0-9%])(?:것과|와|과)\s", chunk))
        if len(joins) != 1:
            return []
        join = joins[0]
        left_end = join.start() + (2 if join.group().startswith("것과") else 0)
        bounds = [(0, left_end), (join.end(), hi - lo)]
    else:
        return []
    spans = []
    for n, (s, e) in enumerate(bounds):
        s, e = lo + s, lo + e
        if n == 0 and first_topic:
            topics = list(TOPIC.finditer(text, s, e))
            if topics:
                s = topics[-1].end()
        while s < e and text[s] in " " + QUOTES:
            s += 1
        part = text[s:e].rstrip(" ,")
        if part:
            spans.append((s, s + len(part), 1.0))
    return spans if len(spans) == count else []
