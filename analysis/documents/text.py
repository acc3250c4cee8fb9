"""Text rules shared by every format: Unicode clean-up, and the marks of a plan's structure
(outline items, 목차 lines, sentence ends, page numbers)."""

from __future__ import annotations

import re
import unicodedata

# No-break, ideographic and typographic spaces read as a plain space (one for one, so offsets
# into a text file are kept); zero-width characters and soft hyphens are dropped.
_SPACES = dict.fromkeys(
    [0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " ")
_DROPPED = dict.fromkeys([0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
_TABLE = {**_SPACES, **_DROPPED}

# A line that opens an outline item: Ⅰ. / 1. / (1) / 1) / 가. / (가) / ① / □ ○ - ▲ ※ …,
# 제1장 / 제2절 / 제3조 / 부칙, and table or figure captions.
ITEM = re.compile(
    r"""^\s*(?:
        [ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]+\s*[.)]?
      | (?:I|II|III|IV|V|VI|VII|VIII|IX|X)\.\s
      | \d{1,2}(?:\.\d{1,2})*[.)](?!\d)
      | \(\d{1,2}\) | \[\d{1,2}\]
      | [가-하][.)]\s | \([가-하]\)
      | [①-⑳㉠-㉻㈀-㈜⑴-⒇⒜-⒵]
      | [□■◇◆○●◎◦▪▫•∙·※▶▷►▸▲△▼▽☐❍✓➊-➓❶-❿◈◉]
      | [-–—*＊]\s
      | 제\s?\d+\s?[장절관조항편]
      | 부\s?칙
      | [<〈\[【]\s?(?:표|그림|참고|붙임|별첨|부록)
    )""",
    re.VERBOSE,
)
# A 목차 line: a title, a leader of dots, a page number.
TOC = re.compile(r"(?:[.·…‥・∙ㆍ]\s*){4,}\s*\d{1,4}\s*$")
# Ends a sentence (plain or 개조식 style: …다. …함. …음).
SENTENCE_END = re.compile(r"(?:[.!?。]|[다함음임됨요][.]?)[\"'”’)\]」』]*$")
# A line holding only a page number: 3, - 3 -, 3 / 120, p. 3, 3쪽, Page 3.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:p\.?\s*|page\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*쪽)?"
    r"(?:\s*[-–—])?\s*$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Return ``text`` in NFC with odd spaces made plain, zero-width characters dropped and
    line ends made ``\\n``; nothing else changes."""
    text = unicodedata.normalize("NFC", text.translate(_TABLE))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_block(text: str) -> str:
    """Return a block's text normalised, tabs and runs of spaces folded to one space, each line
    stripped and empty lines dropped."""
    lines = (" ".join(line.split()) for line in normalise(text).split("\n"))
    return "\n".join(line for line in lines if line)


def starts_item(line: str) -> bool:
    """Return True when ``line`` opens an outline item, a numbered heading or a caption."""
    return ITEM.match(line) is not None


def is_toc(line: str) -> bool:
    """Return True for a 목차 line (leader dots and a page number)."""
    return TOC.search(line) is not None


def ends_sentence(line: str) -> bool:
    """Return True when ``line`` ends a sentence."""
    return SENTENCE_END.search(line.rstrip()) is not None
