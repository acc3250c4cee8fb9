"""Code every case: clean its sources, split sentences, keep those about the case, apply rules.

A sentence is about the case unless it opens with, or has as its subject, another city or
county (청주시는 …) and does not name the case; sentences without a place name continue the
current topic.  A value that itself names another place (서울시 … 협의회) belongs to that place
and is dropped.  The same value found twice in a case (three reports of one event) is kept once,
from the first source.

Per document, after the rules: a 기본방향 (direction) list is a strategy only where the
document has no other strategy layer; beside one it is the goals (when the document states
none) or nothing.  A department that a newly created team belongs to is not coded beside
the team.  Kiwi splits the lines of all cases of a run in one batched call.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from analysis.coding import clean, extract, lists, nlp, places
from analysis.coding.extract import Finding
from analysis.coding.matching import same_value, value_key
from analysis.coding.rules import SENTENCE_KINDS, Rule, Rules, expand
from analysis.model import StudyData
from analysis.registry import Case, SourceText
from analysis.sheets import CodedItem, new_item_id

CODER = "auto"
SENTENCE_ROLES = ("prose", "outline", "table")
lists_forms = ("block", "inline", "counted")


@dataclass(frozen=True)
class Attributed:
    """A sentence and the case it was judged to be about (``None``: another place)."""

    sentence: nlp.Sentence
    case: str | None
    why: str


@dataclass
class Document:
    """One source, cleaned: its lines, the lines Kiwi splits, and (after splitting) the
    sentences of each of those lines."""

    source: SourceText
    segments: list[clean.Segment]
    body: list[clean.Segment]
    lines: list[tuple[str, int]] = field(default_factory=list)
    split: list[int] = field(default_factory=list)  # body index of each Kiwi line
    sentences: list[list[nlp.Sentence]] = field(default_factory=list)


def prepare(source: SourceText, rules: Rules) -> Document:
    """Return ``source`` cleaned, with the body lines that Kiwi is to split."""
    segments = clean.segment(source.text, source.start, source.end, rules)
    body = [s for s in segments if s.is_body]
    document = Document(source, segments, body)
    for index, seg in enumerate(body):
        if seg.role in SENTENCE_ROLES:
            document.lines.append(seg.labelled)
            document.split.append(index)
    return document


def split(documents: list[Document]) -> None:
    """Split the lines of all ``documents`` into sentences, in one Kiwi call."""
    for _ in split_stream(documents):
        pass


def split_stream(documents: list[Document]) -> Iterator[Document]:
    """Split the lines of all ``documents`` in one Kiwi call, yielding each document as soon
    as its lines are split (Kiwi goes on with the next ones meanwhile)."""
    per_line = nlp.iter_lines([line for d in documents for line in d.lines])
    for document in documents:
        document.sentences = [[] for _ in document.body]
        for index in document.split:
            sentences = next(per_line)
            for sentence in sentences:
                sentence.line = index
            document.sentences[index] = sentences
        yield document


def attribute(case: Case, sentences: list[nlp.Sentence]) -> list[Attributed]:
    """Return each sentence with the case it is about: ``case.id`` or None (another place)."""
    names = places.case_names(case.name)
    own = names.aliases
    topic: str | None = case.id
    result = []
    for sentence in sentences:
        mentions = places.find_places(sentence.text, own=own)
        others = [m for m in mentions if m.stem not in own
                  and m.level not in places.PROVINCE_LEVELS and not m.qualifier]
        if any(m.stem in own for m in mentions):
            topic, why = case.id, f"names {case.name}"
        elif any(places.is_subject(sentence.text, m) for m in others):
            other = next(m for m in others if places.is_subject(sentence.text, m))
            topic, why = None, f"about {sentence.text[other.start:other.end]}"
        else:
            why = "continues the topic"
        result.append(Attributed(sentence, topic, why))
    return result


PLAN_WORDS = ("vision", "goal", "strategy")


def _names_other_place(case: Case, finding: Finding, text: str) -> bool:
    """Return True when the value names another local government (a province too: a
    province's centre is not its county's), not as the qualifier of the case's own name."""
    names = places.case_names(case.name)
    value_text = text[finding.value_start:finding.value_end]
    # the case's own name with its parent, written as one word ("울산중구문화도시지원센터")
    own = next((p for p in names.prefixes if len(p) > len(names.stem) + 1
                and value_text.startswith(p)), "")
    value_text = value_text[len(own):]
    # a body of the government above the case may run the case's centre ("센터는
    # 대전광역시사회서비스원이 위탁받아 운영한다", "운영은 전남개발공사가 맡는다")
    # and the plan's own words may name the city the case lies in ("대구의 뿌리에서 다시 피는
    # 중구")
    allowed = set(names.aliases) | (
        {p for parent in names.parents for p in (parent, *places.SHORT.get(parent, ()))}
        if finding.subcode == "private_partner" or finding.element in PLAN_WORDS else set())
    if any(m.stem not in allowed and not m.qualifier
           for m in places.find_places(value_text, own=names.aliases, name=True)):
        return True
    # a body of another place named right before it: "서울의 50플러스재단처럼"
    owner = OWNER_BEFORE.search(text, max(0, finding.value_start - 14), finding.value_start)
    return owner is not None and finding.element in BODIES and any(
        m.stem not in names.aliases and m.stem not in names.parents
        for m in places.find_places(owner.group(1), own=names.aliases, name=True))


OWNER_BEFORE = re.compile(r"(\S{2,10})의\s*$")
BODIES = ("governance", "intermediary", "partner")


# a short name a document gives a body right after its full name: "○○지원센터(에너지센터)",
# "○○위원회(이하 "위원회"라 한다)", "○○지원센터 '수영 문화다락'"
_ALIAS = re.compile(r"[’'\"”」』]?\s*(?:\(\s*(?:이하\s*)?[‘'\"“]?"
                    r"(?P<alias>[^()’'\"”]{2,20}?)[’'\"”]?"
                    r"\s*(?:(?:이)?라\s*(?:한다|함|칭한다)|라고\s*한다)?\s*\)"
                    r"|[‘'\"“](?P<nick>[^’'\"”]{2,24})[’'\"”])")
_ALIAS_ELEMENTS = ("intermediary", "governance")


def _without_aliases(case: Case, found: list[Finding], text: str) -> list[Finding]:
    """Drop the findings that only repeat a short name or nickname a body was given right
    after its full name: the full name is the coded one."""
    aliases: set[str] = set()
    for f in found:
        if f.element not in _ALIAS_ELEMENTS or f.negative:
            continue
        match = _ALIAS.match(text, f.value_end, f.value_end + 40)
        if match is None:
            continue
        alias = value_key(case.name, match.group("alias") or match.group("nick") or "")
        if alias and alias != value_key(case.name, f.value):
            aliases.add(f.element + ":" + alias)
    if not aliases:
        return found
    return [f for f in found
            if f.element + ":" + value_key(case.name, f.value) not in aliases]


def code_case(case: Case, sources: list[SourceText], rules: Rules,
              single: frozenset[str] = frozenset()) -> list[CodedItem]:
    """Return the suggested items for one case, in source order, de-duplicated.

    ``single`` names the elements that take one item (the framework's ``multiple = false``).
    """
    documents = [prepare(source, rules) for source in sources]
    split(documents)
    return code_documents(case, documents, rules, single)


def code_documents(case: Case, documents: list[Document], rules: Rules,
                   single: frozenset[str] = frozenset()) -> list[CodedItem]:
    """Return the suggested items for one case from its prepared and split documents."""
    findings = [f for document in documents for f in findings_of(case, document, rules)]
    return _dedupe(case, findings, set(single))


def findings_of(case: Case, document: Document,
                rules: Rules) -> list[tuple[SourceText, Finding]]:
    """Return what the rules find in one split document about ``case``."""
    found = _code_document(case, document, rules)
    text = document.source.text
    return [(document.source, f) for f in _without_aliases(case, _settle(found, rules, text), text)
            if f.value and not _names_other_place(case, f, text)]


def _code_document(case: Case, document: Document, rules: Rules) -> list[Finding]:
    flat = [s for per_line in document.sentences for s in per_line]
    judged = attribute(case, flat)
    about_sentence = {id(a.sentence): a.case == case.id for a in judged}
    line_about = [True] * len(document.body)
    for index, sentences in enumerate(document.sentences):
        if sentences:
            line_about[index] = any(about_sentence[id(s)] for s in sentences)
    kept_sentences = [a.sentence for a in judged if a.case == case.id]
    kept = _Joined([s.text for s in kept_sentences])
    lines = _Joined([seg.labelled[0] for seg in document.segments])
    found: list[Finding] = []
    # the lines an entity rule will look into need their morphemes: one batched Kiwi call
    nlp.prepare_tokens([kept_sentences[i] for rule in rules.of_kind("entity")
                        if not _absent(rule, kept.text)
                        for i in kept.candidates(rule.prefilter)])
    for rule in rules.of_kind(*SENTENCE_KINDS):
        if _absent(rule, kept.text):
            continue
        for index in kept.candidates(rule.prefilter):
            found += extract.in_sentence(rule, kept_sentences[index])
    for rule in rules.of_kind("line"):
        if not rule.within_first and _absent(rule, lines.text):
            continue
        only = None if rule.within_first else lines.candidates(rule.prefilter)
        found += extract.in_lines(rule, document.segments, only)
    lines_text = lines.text
    for rule in rules.of_kind("heading"):
        found += extract.headings(rule, document.body)
    for rule in rules.of_kind("section"):
        found += extract.sections(rule, document.body)
    list_rules = [r for r in rules.of_kind("list") if not _absent(r, lines_text)
                  and (r.prefilter is None or r.prefilter.search(lines_text))]
    for form in lists_forms:
        chosen = [r for r in list_rules if r.form == form]
        if not chosen:
            continue
        if form == "block":
            found += lists.block_lists(chosen, document.body, lambda i: line_about[i])
        elif form == "inline":
            found += lists.inline_lists(chosen, flat, lambda s: about_sentence[id(s)])
        else:
            found += lists.counted_lists(chosen, flat, lambda s: about_sentence[id(s)],
                                         rules.lexicon)
    return _headline_less_sure(document, found)


def _absent(rule: Rule, text: str) -> bool:
    """Return True when ``text`` holds none of the literals every match of the rule needs."""
    return rule.hints is not None and not any(hint in text for hint in rule.hints)


HEADLINE_SURE = 0.95


def _headline_less_sure(document: Document, found: list[Finding]) -> list[Finding]:
    """Make what a headline or subtitle says (the lines before the first sentence of the body,
    not tables or outline items) a little less sure than the same said in the body, so the
    body's wording is the one kept."""
    first = next((s.start for s in document.body if s.kind == "content"), None)
    if first is None:
        return found
    head = [s for s in document.body if s.start < first and (
        s.role == "prose" or s.marker == "-")]
    if not head:
        return found
    result = []
    for finding in found:
        if any(s.start <= finding.start < s.end for s in head):
            finding = replace(finding, confidence=finding.confidence * HEADLINE_SURE)
        result.append(finding)
    return result


class _Joined:
    """Sentences (or lines) joined by newlines, to search a rule's pattern once over them."""

    def __init__(self, texts: list[str]) -> None:
        self.count = len(texts)
        self.starts: list[int] = []
        position = 0
        for text in texts:
            self.starts.append(position)
            position += len(text) + 1
        self.text = "\n".join(texts)

    def candidates(self, prefilter: re.Pattern[str] | None) -> Iterable[int]:
        """Return the indexes of the texts a match of ``prefilter`` touches, in order."""
        if prefilter is None:
            return range(self.count)
        touched: list[int] = []
        position = 0
        while True:
            match = prefilter.search(self.text, position)
            if match is None:
                break
            first = bisect.bisect_right(self.starts, match.start()) - 1
            last = bisect.bisect_right(self.starts, max(match.start(), match.end() - 1)) - 1
            for index in range(max(first, 0), last + 1):
                if not touched or touched[-1] < index:
                    touched.append(index)
            if last + 1 >= self.count:
                break
            # the next try starts at the next text: one match is enough for each
            position = max(self.starts[last + 1], match.end() if match.end() > match.start()
                           else match.end() + 1)
        return touched


_COUNT_HEAD = re.compile(r"^\s*(?:\d+|[가-힣]{1,2})\s*(?:대|개|가지)\s*")


@cache
def _strategy_layer(lexicon: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    words = dict(lexicon)
    if "strategy" not in words:
        return None
    return re.compile(expand("{strategy}", words))


def _same_name(value: str, said: str) -> bool:
    """Whether ``value`` names what a negative finding said: the same name, or the same with
    a place before it ("세종특별자치시 주민자치 정책자문단" and "주민자치 정책자문단")."""
    value = value.replace(" ", "")
    short, long = sorted((value, said), key=len)
    return short == long or (len(short) >= 6 and long.endswith(short))


@cache
def _legal_form(lexicon: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    words = dict(lexicon)
    return re.compile(expand(r"^(?:{legal})\s*", words)) if "legal" in words else None


# a body set up where it is named: "○○센터(이하 “센터”라 한다)를 둔다", "○○위원회를 설치·운영한다"
ESTABLISHED = re.compile(r"\s*(?:\(이하\s*[“\"‘'][^)]{0,20}\)\s*)?(?:을|를)\s*"
                         r"(?:설치|둔다|둘\s*수|두어|두고|지정한다|지정할\s*수)"
                         r"|\s*\(이하\s*[“\"‘']")


# old text an amendment quotes ("“○○위원회를 둔다”를 “…”로 한다") or a 신·구조문대비표 row's 현행
# column ("제5조(…) … 를 둔다 | 제5조(…) …") sets nothing up
QUOTED_OLD = re.compile(r"[^”\"\n]{0,16}[”\"]\s*(?:을|를)\s*[“\"]")
NEW_COLUMN = re.compile(r"\s*\|\s*(?:제\s*\d+\s*조|<\s*신\s*설\s*>|\(\s*생\s*략\s*\))")


def _sets_up(text: str, finding: Finding) -> bool:
    """Whether the text sets the body named by ``finding`` up where it names it."""
    match = ESTABLISHED.match(text, finding.value_end)
    if match is None or QUOTED_OLD.match(text, match.end()):
        return False
    start = text.rfind("\n", 0, finding.value_start) + 1
    end = text.find("\n", finding.value_end)
    line = text[start:end if end >= 0 else len(text)]
    bar = line.find(" | ")
    return not (bar >= 0 and finding.value_start - start < bar
                and NEW_COLUMN.match(line, bar) is not None)


def _settle(found: list[Finding], rules: Rules, text: str = "") -> list[Finding]:
    """Decide what only the whole document tells: 기본방향 beside another strategy layer;
    a former name unless the document sets the body up; a department beside the new team
    it holds; a body the document names as an operator
    ("사단법인 ○○협의회" designated or contracted) is no governance body of the plan."""
    negatives = [f for f in found if f.negative]
    # a name the document sets up is its own, whatever a transitional clause says of it ("종전의
    # … 설치된 ○○센터는 이 조례에 따라 설치된 것으로 본다" in a 전부개정 keeps the centre)
    established = {f.value.replace(" ", "") for f in found if not f.negative
                   and _sets_up(text, f)}
    negatives = [n for n in negatives if not any(_same_name(v, n.value.replace(" ", ""))
                                                 for v in established)]
    found = [f for f in found if not f.negative]
    if negatives:
        said = {(f.element, f.value.replace(" ", "")) for f in negatives}
        found = [f for f in found
                 if not any(_same_name(f.value, v) for e, v in said if e == f.element)
                 and not any(n.element == f.element and n.value_start < f.value_end
                             and f.value_start < n.value_end for n in negatives)]
    # a table's row of 과제 is the layer beneath the strategies where a row of 전략 states them
    if any(f.layer == "task" for f in found) and any(f.layer == "row" for f in found):
        found = [f for f in found if f.layer != "task"]
    layer = _strategy_layer(rules.lexicon)
    directions = [f for f in found if f.layer == "direction"]
    if directions:
        # a count names another strategy layer only by its head ("6대 추진전략 …"), not by
        # what it counts beneath ("3대 추진방향 12개 중점과제" counts 추진방향)
        other = any(f.element == "strategy" and f.layer != "direction"
                    and (f.subcode != "strategy_count"
                         or (layer is not None and layer.match(_COUNT_HEAD.sub("", f.value))))
                    for f in found)
        if other:
            goals = any(f.element == "goal" for f in found)
            found = [f for f in found if f.layer != "direction"]
            if not goals:
                found += [replace(f, element="goal", subcode="", layer="") for f in directions]
    legal = _legal_form(rules.lexicon)
    operators = {(legal.sub("", f.value) if legal else f.value).replace(" ", "")
                 for f in found if f.element == "intermediary" and f.subcode == "private_partner"}
    if operators:  # (also a body's name cut short: "도서관협의회" of "의정부시작은도서관협의회")
        found = [f for f in found if not (f.element == "governance" and any(
            _same_name(f.value, operator) for operator in operators))]
    parents = {f.parent.replace(" ", "") for f in found if f.parent}
    if parents:
        found = [f for f in found if not (f.element == "governance"
                                          and f.subcode == "department"
                                          and f.value.replace(" ", "") in parents)]
    return found


def _dedupe(case: Case, findings: list[tuple[SourceText, Finding]],
            single: set[str]) -> list[CodedItem]:
    """Keep the surest finding of each value: the same value twice, a value inside another of
    its element, or text another element already claimed (a vision is not also a project)."""
    order = {sid: n for n, sid in enumerate(case.sources)}
    # the surest first; of equally sure ones, the earliest in the source
    ordered = sorted(findings, key=lambda sf: (-sf[1].confidence,
                                               order.get(sf[0].source.id, 99), sf[1].start))
    kept: list[tuple[SourceText, Finding, str]] = []
    keys: dict[str, list[str]] = {}  # the kept values' keys, by element
    # the value spans surer findings stood on: of another element, kept or not (a vision is
    # not also a project); of the same element, kept ones
    claimed: dict[str, list[tuple[int, int, str, bool]]] = {}
    for source, finding in ordered:
        sid = source.source.id
        key = _key(case.name, finding)
        spans = claimed.setdefault(sid, [])
        overlaps = any(s < finding.value_end and finding.value_start < e
                       and (element != finding.element or was_kept)
                       for s, e, element, was_kept in spans)
        same = keys.setdefault(finding.element, [])
        duplicate = bool(same) and (element_full(single, finding.element)
                                    or any(_same(key, other) for other in same))
        keep = not overlaps and not duplicate
        spans.append((finding.value_start, finding.value_end, finding.element, keep))
        if keep:
            kept.append((source, finding, key))
            same.append(key)
    kept.sort(key=lambda sfk: (order.get(sfk[0].source.id, 99), sfk[1].start, sfk[1].element))
    return [_item(case, source, finding) for source, finding, _ in kept]


NUMBER = re.compile(r"\d+")


def _key(case_name: str, finding: Finding) -> str:
    """Return the value key a finding is de-duplicated by; a count by its numbers ("4개
    추진전략과 16개 세부과제" = "4개 추진전략, 16개 세부과제" = "4_16")."""
    if finding.subcode == "strategy_count":
        return "_".join(NUMBER.findall(finding.value)) + "_"
    return value_key(case_name, finding.value)


def _same(a: str, b: str) -> bool:
    """Return True when two keys say the same: counts when one's numbers open or close the
    other's ("3_" in "3_15_"), other values by ``same_value``."""
    if a.endswith("_") and b.endswith("_"):
        short, long = sorted((a, b), key=len)
        return long.startswith(short) or long.endswith("_" + short) or short == long
    return same_value(a, b)


def element_full(single: set[str], element: str) -> bool:
    """Return True when ``element`` takes one item only (so a second is dropped)."""
    return element in single


def _item(case: Case, source: SourceText, finding: Finding) -> CodedItem:
    evidence = source.text[finding.start:finding.end]
    return CodedItem(
        case=case.id, item_id=new_item_id(case.id, finding.element, source.source.id, evidence),
        element=finding.element, value=finding.value, evidence=evidence,
        source=source.source.id, status="suggested", coder=CODER, subcode=finding.subcode,
        location=f"{finding.start}-{finding.end}", rule=finding.rule,
        confidence=f"{finding.confidence:.2f}",
        locator=source.locator(finding.start, finding.end))


def suggest(data: StudyData, case_ids: list[str], rules: Rules,
            progress: Callable[[int, int], None] | None = None) -> dict[str, list[CodedItem]]:
    """Return the auto-coder's suggestions for each of ``case_ids`` (nothing is written).

    The sources of all cases are cleaned first and split by Kiwi in one call; ``progress(done,
    total)`` is called after each case is coded.
    """
    single = set(e.id for e in data.framework.elements if not e.multiple)
    owners: list[str] = []
    documents: list[Document] = []
    for case_id in case_ids:
        case = data.registry.cases[case_id]
        for source_id in case.sources:
            if source_id in data.sources:
                owners.append(case_id)
                documents.append(prepare(data.sources[source_id], rules))
    left = {case_id: owners.count(case_id) for case_id in case_ids}
    found: dict[str, list[tuple[SourceText, Finding]]] = {case_id: [] for case_id in case_ids}
    result: dict[str, list[CodedItem]] = {}

    def finish(case_id: str) -> None:
        result[case_id] = _dedupe(data.registry.cases[case_id], found.pop(case_id), single)
        if progress:
            progress(len(result), len(case_ids))

    for case_id in case_ids:
        if not left[case_id]:
            finish(case_id)
    for case_id, document in zip(owners, split_stream(documents), strict=True):
        found[case_id] += findings_of(data.registry.cases[case_id], document, rules)
        left[case_id] -= 1
        if not left[case_id]:
            finish(case_id)
    return {case_id: result[case_id] for case_id in case_ids}

