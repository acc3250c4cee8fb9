"""Measuring the auto-coder on an evaluation corpus: documents with gold sheets.

A corpus folder holds ``corpus.toml`` (``part`` = "dev" or "unseen", and one
``[[documents]]`` table per document: id, file, genre, case_name, level, field),
``docs/`` (the documents: text, PDF, HWP, HWPX, DOCX or web pages) and ``gold/<id>.csv``
(``element,subcode,value,evidence``, coded by the study's ``manual.toml``).  Each document is
read as a source of a one-document case named ``case_name`` and coded by the rules; its
suggestions are matched one to one with the gold items (same element, and evidence that
overlaps or values that agree: ``analysis.coding.matching``).  Scores are given per element,
per genre and per confidence band, so the confidence a reviewer sees can be read as a
precision.  The "unseen" part is for measuring only: its misses are never listed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis.coding.matching import Span, same_item, same_value, value_key
from analysis.coding.rules import Rules
from analysis.documents import extract
from analysis.errors import PolicyReportError, Problem, errors
from analysis.registry import Case, Source, SourceText
from analysis.sheets import CodedItem
from analysis.tomlfile import read_toml

BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01))
GOLD_COLUMNS = ("element", "subcode", "value", "evidence")


@dataclass(frozen=True)
class Gold:
    """One gold item of a document."""

    element: str
    subcode: str
    value: str
    evidence: str


@dataclass(frozen=True)
class CorpusDocument:
    """One document of the corpus with its gold items."""

    id: str
    path: Path
    genre: str
    case_name: str
    level: str
    field: str
    gold: tuple[Gold, ...]


@dataclass(frozen=True)
class Corpus:
    """An evaluation corpus: its part ("dev" or "unseen") and documents."""

    folder: Path
    part: str
    documents: tuple[CorpusDocument, ...]


@dataclass
class Tally:
    """Matched, suggested and gold counts."""

    matched: int = 0
    suggested: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None
                                                   else None)

    def as_dict(self) -> dict[str, float | int | None]:
        def rounded(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {"matched": self.matched, "suggested": self.suggested, "gold": self.gold,
                "precision": rounded(self.precision), "recall": rounded(self.recall),
                "f1": rounded(self.f1)}


@dataclass
class Miss:
    """A gold item not found, or a suggestion that matched no gold item."""

    document: str
    element: str
    value: str
    kind: str  # "missed" | "wrong"
    rule: str = ""


@dataclass
class Result:
    """Scores of a corpus."""

    part: str
    elements: dict[str, Tally] = field(default_factory=dict)
    genres: dict[str, dict[str, Tally]] = field(default_factory=dict)
    bands: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    misses: list[Miss] = field(default_factory=list)
    documents: int = 0


def load_corpus(folder: Path) -> Corpus:
    """Return the corpus in ``folder``; raise listing every problem with it."""
    parsed, problems = read_toml(folder / "corpus.toml", f"{folder}/corpus.toml",
                                 ("no corpus.toml here", "give the folder of an evaluation "
                                  "corpus, e.g. tests/corpus/dev"))
    if parsed is None or errors(problems):
        raise PolicyReportError(problems)
    documents = []
    for index, raw in enumerate(parsed.data.get("documents", [])):
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in (
                "id", "file", "genre", "case_name")):
            problems.append(Problem(parsed.rel, parsed.line("documents", index), None,
                                    "a document needs id, file, genre and case_name", ""))
            continue
        gold_path = folder / "gold" / f"{raw['id']}.csv"
        try:
            rows = list(csv.DictReader(io.StringIO(
                gold_path.read_bytes().decode("utf-8-sig"), newline="")))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(gold_path), None, None, f"cannot be read: {exc}", ""))
            continue
        gold = tuple(Gold(*(r.get(c, "") or "" for c in GOLD_COLUMNS)) for r in rows)
        documents.append(CorpusDocument(raw["id"], folder / raw["file"], raw["genre"],
                                        raw["case_name"], str(raw.get("level", "")),
                                        str(raw.get("field", "")), gold))
    if errors(problems):
        raise PolicyReportError(problems)
    return Corpus(folder, str(parsed.data.get("part", "dev")), tuple(documents))


def read_document(doc: CorpusDocument) -> tuple[Case, SourceText]:
    """Return the one-document case of ``doc`` and its source text."""
    data = doc.path.read_bytes()
    document = extract(data, doc.path.name)
    source = Source(id=doc.id, file=str(doc.path))
    case = Case(id="case", name=doc.case_name, level=doc.level, field=doc.field,
                role="benchmark", sources=(doc.id,))
    return case, SourceText(source, document.text, 0, len(document.text), document)


def _band(confidence: str) -> str:
    try:
        value = float(confidence)
    except ValueError:
        value = 0.0
    low, high = next(b for b in BANDS if b[0] <= value < b[1])
    return f"{low:.2f}–{min(high, 1.0):.2f}"


def _best_match(gold: list[tuple[CodedItem, Span]], taken: set[int], suggestion: CodedItem,
                case_name: str) -> int | None:
    """Return the index of the gold item ``suggestion`` codes, or None.

    Of the gold items it matches (:func:`same_item`), one with the same value is preferred,
    then one of the same sub-code: items of one list share their evidence sentence, and the
    list's count ("4개 분야 36개 과제") must not take the place of one of its items.
    """
    mine = suggestion.span
    matches = [n for n, (item, span) in enumerate(gold) if n not in taken
               and same_item(item, suggestion, case_name, span, mine)]
    if not matches:
        return None
    key = value_key(case_name, suggestion.value)
    return min(matches, key=lambda n: (
        not same_value(value_key(case_name, gold[n][0].value), key),
        gold[n][0].subcode != suggestion.subcode, n))


def score(corpus: Corpus, rules: Rules, single: frozenset[str],
          code: Callable[[Case, list[SourceText], Rules, frozenset[str]],
                         list[CodedItem]],
          elements: Sequence[str] = ()) -> Result:
    """Return the auto-coder's scores on ``corpus`` (``code`` codes one case)."""
    result = Result(corpus.part, documents=len(corpus.documents))
    for element in elements:
        result.elements[element] = Tally()
    for doc in corpus.documents:
        case, text = read_document(doc)
        suggested = code(case, [text], rules, single)
        gold_items = []
        for n, g in enumerate(doc.gold):
            span = text.find(g.evidence)
            gold_items.append((CodedItem("case", f"g{n}", g.element, g.value, g.evidence,
                                         doc.id, "accepted", "gold", subcode=g.subcode), span))
        taken: set[int] = set()
        genre = result.genres.setdefault(doc.genre, {})
        for item, _span in gold_items:
            for tally in (result.elements.setdefault(item.element, Tally()),
                          genre.setdefault(item.element, Tally()), result.overall):
                tally.gold += 1
        for suggestion in suggested:
            match = _best_match(gold_items, taken, suggestion, doc.case_name)
            band = result.bands.setdefault(_band(suggestion.confidence), Tally())
            band.suggested += 1
            tallies = (result.elements.setdefault(suggestion.element, Tally()),
                       genre.setdefault(suggestion.element, Tally()), result.overall)
            for tally in tallies:
                tally.suggested += 1
            if match is None:
                result.misses.append(Miss(doc.id, suggestion.element, suggestion.value,
                                          "wrong", suggestion.rule))
                continue
            taken.add(match)
            band.matched += 1
            for tally in tallies:
                tally.matched += 1
        for n, (item, _) in enumerate(gold_items):
            if n not in taken:
                result.misses.append(Miss(doc.id, item.element, item.value, "missed"))
    return result
