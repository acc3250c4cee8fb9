"""Korean sentences and morphemes from Kiwi (kiwipiepy), loaded once, lazily, only for coding.

Kiwi's model ships as the ``kiwipiepy_model`` package, so nothing is downloaded at run time.
Loading takes about a second; the report build never imports this module.  All the lines of
a run are split in one batched call (Kiwi analyses them on all cores); a sentence's morphemes
are turned into ``Token``s only when a rule asks for them (most sentences never are).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from analysis.errors import PolicyReportError, Problem


@dataclass(frozen=True)
class Token:
    """A morpheme: its form, Kiwi's part-of-speech tag, and offsets in the file."""

    form: str
    tag: str
    start: int
    end: int


class Sentence:
    """A sentence of a source: its text, offsets in the file, and its morphemes (``tokens``,
    made on first use)."""

    __slots__ = ("_raw", "_tokens", "end", "line", "start", "text")

    def __init__(self, start: int, end: int, text: str,
                 tokens: Sequence[Token] | None = None, raw: Any = None, line: int = -1) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.line = line  # index of the body line the sentence is in (-1: unknown)
        self._raw = raw
        self._tokens: tuple[Token, ...] | None = tuple(tokens) if tokens is not None else None

    @property
    def tokens(self) -> tuple[Token, ...]:
        if self._tokens is None and self._raw == LAZY:  # a line that was not split: analyse it now
            self._raw = (kiwi().tokenize(self.text), 0)
        if self._tokens is None:
            offset = self.start - (self._raw[1] if self._raw else 0)
            self._tokens = tuple(Token(t.form, t.tag, offset + t.start, offset + t.start + t.len)
                                 for t in (self._raw[0] if self._raw else ()))
            self._raw = None
        return self._tokens

    def __repr__(self) -> str:
        return f"Sentence({self.start}, {self.end}, {self.text!r})"


LAZY = ("lazy", 0)
# a line with a sentence end inside it ("…했다. 또 …") is split by Kiwi; a short line without
# one is one sentence as it stands (a heading, list item, table row: most of a plan)
INNER_END = re.compile(r"(?:[.!?]|[다요]\.?)\s+[가-힣A-Za-z0-9'\"‘“(]")
SHORT_LINE = 60


@cache
def kiwi() -> Any:
    """Return the shared Kiwi analyser, loading it on first use."""
    try:
        from kiwipiepy import Kiwi
    except ImportError as exc:
        raise PolicyReportError(Problem(
            "kiwipiepy", None, None, "the Korean tokenizer is not installed",
            "reinstall policy-report (pip install -e .), which brings kiwipiepy")) from exc
    # Published documents need no typo correction; the multi-word dictionary doubles the
    # load time (1.5 s → 2.9 s here) and changes nothing the coding rules look at.
    return Kiwi(load_typo_dict=False, load_multi_dict=False)


CLOSED_QUOTE = re.compile(r"[’”」』'\"]$")
PARTICLE_START = re.compile(r"(?:을|를|이라는|라는|이란|으로|로|은|는|이|가|의|과|와)\s")


def _sentences(split: Any, text: str, offset: int, line: int = -1) -> list[Sentence]:
    """Return Kiwi's sentences of one line ``text``.  A sentence that opens with the particle
    of a quote the one before closes ("… '배움도시 강남'" + "을 비전으로 내건 …") is the same
    sentence: Kiwi cut it at the quote, and it is joined again (its morphemes are then
    analysed on demand, as a line's that was never split)."""
    found: list[Sentence] = []
    for sent in split:
        start, end = sent.start, sent.end
        # (Kiwi's token offsets count from the start of the line it was given)
        raw: Any = (sent.tokens or (), start) if sent.tokens else None
        if found and CLOSED_QUOTE.search(text, 0, found[-1].end - offset) \
                and PARTICLE_START.match(text, start):
            start, raw = found.pop().start - offset, LAZY
        found.append(Sentence(offset + start, offset + end, text[start:end], raw=raw,
                              line=line))
    return found


def prepare_tokens(wanted: Sequence[Sentence]) -> None:
    """Analyse the morphemes of the not-yet-split lines among ``wanted`` in one batched Kiwi
    call (the same tokens each would get alone, without one call and one wait per line)."""
    lazy = list({id(s): s for s in wanted if s._tokens is None and s._raw == LAZY}.values())
    if len(lazy) < 2:
        return
    for sentence, tokens in zip(lazy, kiwi().tokenize([s.text for s in lazy]), strict=True):
        sentence._raw = (tokens, 0)


def sentences(text: str, offset: int) -> list[Sentence]:
    """Return the sentences of ``text`` (one body line), with offsets shifted by ``offset``."""
    return _sentences(kiwi().split_into_sents(text, return_tokens=True), text, offset)


def iter_lines(lines: list[tuple[str, int]]) -> Iterator[list[Sentence]]:
    """Yield the sentences of each of many (text, offset) lines, in order, from one batched
    Kiwi call: Kiwi analyses the lines ahead in its own threads while the caller works on
    the ones already yielded."""
    if not lines:
        return
    whole = [len(text) <= SHORT_LINE and not INNER_END.search(text) for text, _ in lines]
    splits = iter(kiwi().split_into_sents([text for (text, _), one in zip(lines, whole,
                                                                           strict=True)
                                           if not one], return_tokens=True))
    for n, ((text, offset), one) in enumerate(zip(lines, whole, strict=True)):
        if one:
            stripped = text.rstrip()
            yield [Sentence(offset, offset + len(stripped), stripped, raw=LAZY, line=n)]
        else:
            yield _sentences(next(splits), text, offset, n)
