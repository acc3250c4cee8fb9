"""Coding sheets: writing, reading back, formula-injection escaping, stable ids."""

from __future__ import annotations

from pathlib import Path

from analysis.sheets import (
    COLUMNS,
    CodedItem,
    escape_cell,
    new_item_id,
    read_sheet,
    render_sheet,
    unescape_cell,
    write_sheet,
)


def item(**changes: str) -> CodedItem:
    base = dict(case="ulsan", item_id="ulsan.goal.000001", element="goal", value="민관 협력",
                evidence="민관 협력 및 교류 확대", source="ulsan-2020", status="accepted",
                coder="reviewer1")
    base.update(changes)
    return CodedItem(**base)  # type: ignore[arg-type]


def test_escape_round_trip() -> None:
    for text in ("- 세부과제", "=1+1", "+82", "@user", "'quoted", "보통 글", ""):
        assert unescape_cell(escape_cell(text)) == text
    assert escape_cell("- 세부과제") == "'- 세부과제"
    assert escape_cell("보통 글") == "보통 글"


def test_render_then_read_gives_the_same_items(tmp_path: Path) -> None:
    items = [item(), item(item_id="ulsan.goal.000002", note="- 확인 필요",
                          evidence='쉼표, "따옴표"\n줄바꿈')]
    path = tmp_path / "ulsan.csv"
    assert write_sheet(path, items) is True
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(COLUMNS).encode())
    assert b"'- " in data
    sheet, problems = read_sheet(path, "ulsan", "sheets/ulsan.csv")
    assert problems == []
    assert [i.cells() for i in sheet.items] == [i.cells() for i in items]
    assert [i.row for i in sheet.items] == [2, 3]
    assert write_sheet(path, sheet.items) is False  # unchanged: not rewritten
    assert render_sheet(sheet.items) == data


def test_item_ids_are_stable_and_content_based() -> None:
    a = new_item_id("ulsan", "goal", "ulsan-2020", "민관 협력  및\n교류")
    assert a == new_item_id("ulsan", "goal", "ulsan-2020", "민관 협력 및 교류")
    assert a.startswith("ulsan.goal.") and len(a) == len("ulsan.goal.") + 6
    assert a != new_item_id("ulsan", "goal", "ulsan-2020", "다른 근거")
