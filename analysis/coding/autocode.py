"""Code every case: clean its sources, split sentences, keep those about the case, apply rules.

A sentence is about the case unless it opens with, or has as its subject, another city or
county (청주시는 …) and does not name the case; sentences without a place name continue the
current topic.  A value that itself names another place (서울시 … 협의회) belongs to that place
and is dropped.  The same value found twice in a case (three reports of one event) is kept once,
from the first source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.coding import clean, extract, nlp, places
from analysis.coding.extract import Finding
from analysis.coding.matching import same_value, value_key
from analysis.coding.rules import Rules
from analysis.model import StudyData
from analysis.registry import Case, SourceText
from analysis.sheets import CodedItem, new_item_id

CODER = "auto"


@dataclass(frozen=True)
class Attributed:
    """A sentence and the case it was judged to be about (``None``: another place)."""

    sentence: nlp.Sentence
    case: str | None
    why: str


def attribute(case: Case, sentences: list[nlp.Sentence]) -> list[Attributed]:
    """Return each sentence with the case it is about: ``case.id`` or None (another place)."""
    own = places.stem_of(case.name)
    topic: str | None = case.id
    result = []
    for sentence in sentences:
        mentions = places.find_places(sentence.text, own=(own,))
        others = [m for m in mentions if m.stem != own and m.level not in places.PROVINCE_LEVELS]
        if any(m.stem == own for m in mentions):
            topic, why = case.id, f"names {case.name}"
        elif any(places.is_subject(sentence.text, m) for m in others):
            other = next(m for m in others if places.is_subject(sentence.text, m))
            topic, why = None, f"about {sentence.text[other.start:other.end]}"
        else:
            why = "continues the topic"
        result.append(Attributed(sentence, topic, why))
    return result


def _names_other_place(case: Case, finding: Finding, text: str) -> bool:
    own = places.stem_of(case.name)
    value_text = text[finding.value_start:finding.value_end]
    return any(m.stem != own and m.level not in places.PROVINCE_LEVELS
               for m in places.find_places(value_text, own=(own,)))


def code_case(case: Case, sources: list[SourceText], rules: Rules,
              single: frozenset[str] = frozenset()) -> list[CodedItem]:
    """Return the suggested items for one case, in source order, de-duplicated.

    ``single`` names the elements that take one item (the framework's ``multiple = false``).
    """
    findings: list[tuple[SourceText, Finding]] = []
    for source in sources:
        body = clean.body(source.text, source.start, source.end, rules)
        sentences = nlp.sentences_of([(seg.text, seg.start) for seg in body])
        for item in attribute(case, sentences):
            if item.case != case.id:
                continue
            for rule in rules.rules:
                for finding in extract.in_sentence(rule, item.sentence):
                    if not _names_other_place(case, finding, source.text):
                        findings.append((source, finding))
        for rule in rules.rules:  # rules that read the document's lines, not sentences
            if rule.kind == "heading":
                findings += [(source, f) for f in extract.headings(rule, body)]
            elif rule.kind == "section":
                findings += [(source, f) for f in extract.sections(rule, body)
                             if not _names_other_place(case, f, source.text)]
    return _dedupe(case, findings, set(single))


def _dedupe(case: Case, findings: list[tuple[SourceText, Finding]],
            single: set[str]) -> list[CodedItem]:
    """Keep the surest finding of each value: the same value twice, a value inside another of
    its element, or text another element already claimed (a vision is not also a project)."""
    ordered = sorted(findings, key=lambda sf: -sf[1].confidence)  # stable: source order kept
    kept: list[tuple[SourceText, Finding, str]] = []
    claimed: list[tuple[str, Finding]] = []  # text every surer finding stood on, kept or not
    for source, finding in ordered:
        sid = source.source.id
        key = value_key(case.name, finding.value)
        overlaps = [other for other_sid, other in claimed if other_sid == sid
                    and other.value_start < finding.value_end
                    and finding.value_start < other.value_end]
        duplicate = any(other.element == finding.element
                        and (same_value(key, other_key) or element_full(single, other.element))
                        for _, other, other_key in kept)
        claimed.append((sid, finding))
        if not overlaps and not duplicate:
            kept.append((source, finding, key))
    order = {sid: n for n, sid in enumerate(case.sources)}
    kept.sort(key=lambda sfk: (order.get(sfk[0].source.id, 99), sfk[1].start, sfk[1].element))
    return [_item(case, source, finding) for source, finding, _ in kept]


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

    ``progress(done, total)`` is called after each case.
    """
    single = frozenset(e.id for e in data.framework.elements if not e.multiple)
    result = {}
    for done, case_id in enumerate(case_ids, start=1):
        case = data.registry.cases[case_id]
        texts = [data.sources[s] for s in case.sources if s in data.sources]
        result[case_id] = code_case(case, texts, rules, single)
        if progress:
            progress(done, len(case_ids))
    return result
