"""List numbers as a word processor shows them: "1.", "가.", "①", "Ⅱ", "㉮" … worked out from
the number format names of WordprocessingML (``w:numFmt``) and of OWPML (HWPX ``numFormat``,
mapped onto the Word names)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
         ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))
GANADA = "가나다라마바사아자차카타파하"
CHOSUNG = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"
KOREAN_DIGITS = "영일이삼사오육칠팔구"
HANJA_DIGITS = "〇一二三四五六七八九"

# OWPML NumberType1 → the WordprocessingML name that writes the same marks
HWPX_FORMATS = {
    "DIGIT": "decimal", "CIRCLED_DIGIT": "decimalEnclosedCircle",
    "ROMAN_CAPITAL": "upperRoman", "ROMAN_SMALL": "lowerRoman",
    "LATIN_CAPITAL": "upperLetter", "LATIN_SMALL": "lowerLetter",
    "CIRCLED_LATIN_CAPITAL": "circledUpperLetter", "CIRCLED_LATIN_SMALL": "circledLowerLetter",
    "HANGUL_SYLLABLE": "ganada", "CIRCLED_HANGUL_SYLLABLE": "circledGanada",
    "HANGUL_JAMO": "chosung", "CIRCLED_HANGUL_JAMO": "circledChosung",
    "HANGUL_PHONETIC": "koreanDigital", "IDEOGRAPH": "ideographDigital",
    "CIRCLED_IDEOGRAPH": "circledIdeograph",
}
# bullet glyphs written in symbol fonts' private-use area, and the marks they show
BULLETS = {"\uf0b7": "·", "\uf0a7": "▪", "\uf06f": "○", "\uf0d8": "▶", "\uf0fc": "✓",
           "\uf0a8": "□", "\uf076": "◆", "\uf0e0": "▶", "•": "·", "": ""}


def bullet_mark(char: str) -> str:
    """Return the mark a bullet character shows (symbol-font glyphs as their look-alike)."""
    return BULLETS.get(char, char if char.isprintable() else "·")


# symbol-font bullets and the marks 한글 writes for them when it saves as text
HANGUL_BULLETS = {"\uf09f": "●", "\uf0fc": "●", "\uf06c": "●", "\uf0a7": "■", "\uf06e": "■",
                  "\uf0a1": "○", "\uf0a4": "○", "\uf0fe": "□", "\uf075": "◆", "\uf077": "◆"}
HEAD_CODE = re.compile(r"\^(10|[1-9]|[nN])")


def hangul_bullet(char: str) -> str:
    """Return the mark 한글 shows for a bullet character."""
    return HANGUL_BULLETS.get(char) or bullet_mark(char)


def roman(n: int) -> str:
    """Return ``n`` in lower-case Roman numerals."""
    out = ""
    for text, value in ROMAN:
        while n >= value:
            out, n = out + text, n - value
    return out


def _digits(n: int, digits: str) -> str:
    return "".join(digits[int(d)] for d in str(n))


def formatted(n: int, fmt: str) -> str:
    """Return ``n`` in number format ``fmt`` (a WordprocessingML name: decimal, ganada, …);
    a format with no mark for ``n`` gives the decimal number."""
    if fmt in ("upperRoman", "lowerRoman"):
        return roman(n).upper() if fmt == "upperRoman" else roman(n)
    if fmt in ("upperLetter", "lowerLetter"):
        text = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return text if fmt == "upperLetter" else text.lower()
    circled = {"decimalEnclosedCircle": (0x2460, 20), "circledUpperLetter": (0x24B6, 26),
               "circledLowerLetter": (0x24D0, 26), "circledGanada": (0x326E, 14),
               "circledChosung": (0x3260, 14), "circledIdeograph": (0x3280, 10)}
    if fmt in circled:
        first, count = circled[fmt]
        return chr(first + n - 1) if 1 <= n <= count else str(n)
    if fmt == "ganada":
        return GANADA[(n - 1) % len(GANADA)]
    if fmt == "chosung":
        return CHOSUNG[(n - 1) % len(CHOSUNG)]
    if fmt == "koreanDigital":
        return _digits(n, KOREAN_DIGITS)
    if fmt == "ideographDigital":
        return _digits(n, HANJA_DIGITS)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class ParagraphHeads:
    """한글's paragraph heads (문단 번호, 개요 번호, 글머리표), worked out in reading order as
    한글 shows them, for HWPX (``hh:paraPr/hh:heading``) and HWP 5 (``PARA_SHAPE``) alike.

    A paragraph shape whose head is NUMBER or OUTLINE takes the next number of its numbering
    at its level: the level's head text with ``^k`` as level k's counter in level k's format
    and ``^N``/``^n`` as the counters of levels 1 to L in digits ("1.2." / "1.2").  Each
    numbering keeps one counter per level; a paragraph counts its level up from the level's
    start and resets the deeper ones; a level skipped on the way down counts at its start; a
    numbering that is not defined numbers as "1.2.".  OUTLINE paragraphs use the section's
    outline numbering; BULLET ones show their bullet's character.  Paragraphs in table cells
    count too.  The number is not in the paragraph's text, but a reader of the plan sees it,
    and the coder reads list structure from it."""

    # numbering id -> level (1-based) -> (format, head text, start)
    numberings: dict[str, dict[int, tuple[str, str, int]]] = field(default_factory=dict)
    bullets: dict[str, str] = field(default_factory=dict)  # bullet id -> mark
    # paragraph shape id -> (NUMBER/OUTLINE/BULLET, numbering or bullet id, level 1-based)
    shapes: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    outline: str = "1"  # the section's outline numbering
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, shape: str | None) -> str:
        """Return the head 한글 shows before a paragraph of shape ``shape`` ("" when it has
        none), and count it."""
        kind, ref, level = self.shapes.get(shape or "", ("NONE", "", 0))
        if kind == "BULLET":
            return self.bullets.get(ref, "●")
        if kind not in ("NUMBER", "OUTLINE"):
            return ""
        key = self.outline if kind == "OUTLINE" and ref in ("", "0") else ref
        levels = self.numberings.get(key)
        if levels is None and key:
            levels = {at: ("decimal", "^N", 1) for at in range(1, 11)}
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(key, {})
        for upper in range(1, level):
            if upper not in counters and upper in levels:
                counters[upper] = levels[upper][2]
        counters[level] = counters[level] + 1 if level in counters else levels[level][2]
        for deeper in [at for at in counters if at > level]:
            del counters[deeper]

        def fill(match: re.Match[str]) -> str:
            code = match.group(1)
            if code in ("n", "N"):
                path = ".".join(str(counters.get(at, 1)) for at in range(1, level + 1))
                return path + "." if code == "N" else path
            at = int(code)
            fmt, _, start = levels.get(at, ("decimal", "", 1))
            return formatted(counters.get(at, start), fmt)

        return HEAD_CODE.sub(fill, levels[level][1]).strip()
