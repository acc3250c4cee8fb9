"""When two coded items say the same thing: one rule for the auto-coder's de-duplication,
for merging suggestions into a sheet and for comparing two codings (``evaluate``).

Two items of one case and element match when their evidence overlaps in the same source, or
when their values agree once spaces, parenthesised notes and the case's own place name are
set aside ("전주시 사회적경제지원센터" = "사회적경제지원센터"), a value of four characters or
more inside the other counting as agreeing; two counts of the strategy layer agree when they
give the same numbers in the same order.
"""

from __future__ import annotations

import re

from analysis.coding import places
from analysis.sheets import CodedItem

Span = tuple[int, int] | None
NUMBERS = re.compile(r"\d+")


def value_key(case_name: str, value: str) -> str:
    """Return a value reduced for comparison: no spaces, no (…) notes, no own-place prefix."""
    key = re.sub(r"\([^)]*\)", "", value).replace(" ", "")
    for prefix in places.case_names(case_name).prefixes:
        prefix = prefix.replace(" ", "")
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            return key[len(prefix):]
    return key


def same_value(a: str, b: str) -> bool:
    """Return True when two value keys agree (equal, or one of 4+ characters inside the
    other)."""
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a))


def overlapping(a: Span, b: Span) -> bool:
    """Return True when two character ranges share at least one character."""
    return bool(a and b and a[0] < b[1] and b[0] < a[1])


def same_item(a: CodedItem, b: CodedItem, case_name: str, span_a: Span, span_b: Span) -> bool:
    """Return True when ``a`` and ``b`` code the same fact (see the module docstring)."""
    if a.case != b.case or a.element != b.element:
        return False
    if a.source == b.source and overlapping(span_a, span_b):
        return True
    # counts: "4대 추진전략과 18개 과제" = "4대 추진전략 18개 과제"
    if a.subcode == b.subcode == "strategy_count":
        numbers = NUMBERS.findall(a.value)
        if numbers and numbers == NUMBERS.findall(b.value):
            return True
    return same_value(value_key(case_name, a.value), value_key(case_name, b.value))
