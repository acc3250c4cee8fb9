"""Korean sentences and morphemes from Kiwi (kiwipiepy), loaded once, lazily, only for coding.

Kiwi's model ships as the ``kiwipiepy_model`` package, so nothing is downloaded at run time.
Loading takes about a second and a half; the report build never imports this module.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Sentence:
    """A sentence of a source: its text, offsets in the file, and its morphemes."""

    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]


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


def _sentences(split: Any, offset: int) -> list[Sentence]:
    found = []
    for sent in split:
        tokens = tuple(Token(t.form, t.tag, offset + t.start, offset + t.start + t.len)
                       for t in (sent.tokens or ()))
        found.append(Sentence(offset + sent.start, offset + sent.end, sent.text, tokens))
    return found


def sentences(text: str, offset: int) -> list[Sentence]:
    """Return the sentences of ``text`` (one body line), with offsets shifted by ``offset``."""
    return _sentences(kiwi().split_into_sents(text, return_tokens=True), offset)


def sentences_of(lines: list[tuple[str, int]]) -> list[Sentence]:
    """Return the sentences of many (text, offset) lines, in order, analysed in parallel."""
    if not lines:
        return []
    splits = kiwi().split_into_sents([text for text, _ in lines], return_tokens=True)
    return [s for (_, offset), split in zip(lines, splits, strict=True)
            for s in _sentences(split, offset)]
