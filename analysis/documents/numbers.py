"""List numbers as a word processor shows them: "1.", "가.", "①", "Ⅱ", "㉮" … worked out from
the number format names of WordprocessingML (``w:numFmt``) and of OWPML (HWPX ``numFormat``,
mapped onto the Word names)."""

from __future__ import annotations

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
