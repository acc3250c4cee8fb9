"""Policy diagrams: 비전체계도, 추진체계도, 연혁 — their layouts, PNGs and alt texts."""

from __future__ import annotations

import io
import itertools
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from analysis.errors import PolicyReportError
from analysis.report import diagrams
from analysis.report.charts import MAX_HEIGHT_IN
from analysis.report.diagrams import (
    CLOSERS,
    OPENERS,
    Box,
    Layout,
    alt_text,
    governance_layout,
    governance_map,
    text_width,
    timeline,
    timeline_layout,
    vision_layout,
    vision_tree,
    wrap,
)

TEXT_WIDTH_MM = 160

VISION: dict[str, Any] = {
    "case": "광주광역시",
    "vision": "사람 중심의 사회적경제로 함께 성장하는 공동체 도시 광주",
    "goals": ["사회적경제 기업의 자생력 강화", "지역 순환경제 생태계 조성",
              "시민 참여와 연대의 확산"],
    "strategies": ["사회적경제 기업 성장 단계별 맞춤형 지원체계 구축",
                   "공공구매 확대 및 판로 다각화", "사회적 금융 활성화와 기금 조성",
                   "지역 자원 연계 마을공동체 활성화", "사회적경제 인재 양성과 교육 강화",
                   "민관 협치 기반 거버넌스 고도화"],
    "counts": ["6대 추진전략 39개 세부사업(안)"],
    "missing": "자료 미확인",
}
GOVERNANCE: dict[str, Any] = {
    "case": "광주광역시",
    "head": "광주광역시장",
    "committees": ["광주광역시 사회적경제 활성화 위원회", "사회적경제 민관 협의체"],
    "departments": ["일자리경제국 사회적경제과"],
    "taskforces": ["사회적경제 활성화 추진단(TF)"],
    "intermediaries": [{"name": "광주광역시 사회적경제지원센터", "kind": "center"},
                       {"name": "(사)광주사회적경제연대회의", "kind": "private_partner"}],
    "partners": ["사회적경제기업", "광주연구원", "지역 대학", "시민사회단체"],
    "missing": "자료 미확인",
}
TIMELINE: dict[str, Any] = {
    "cases": ["창원시", "울산광역시", "전주시", "청주시"],
    "labels": {"plan": "계획 기간", "ordinance": "조례", "organisation": "조직 신설"},
    "events": [
        {"row": 0, "start": 2023, "end": 2027, "label": "공유경제 활성화 기본계획",
         "kind": "plan"},
        {"row": 1, "start": 2020, "end": 2020, "label": "사회혁신담당관 신설",
         "kind": "organisation"},
        {"row": 1, "start": 2020, "end": 2020, "label": "공유경제 활성화 촉진 조례(제정 예정)",
         "kind": "ordinance"},
        {"row": 1, "start": 2020, "end": 2024, "label": "사회혁신 기본계획", "kind": "plan"},
        {"row": 2, "start": 2014, "end": 2014, "label": "사회적경제활성화기본조례",
         "kind": "ordinance"},
        {"row": 2, "start": 2014, "end": 2014, "label": "사회적경제지원단 신설",
         "kind": "organisation"},
        {"row": 2, "start": 2016, "end": 2016, "label": "금융복지 상담소 개소",
         "kind": "organisation"},
        {"row": 2, "start": 2015, "end": 2017, "label": "공동체 시범사업", "kind": "organisation"},
    ],
}
EMPTY_VISION: dict[str, Any] = {"case": "청주시", "vision": None, "goals": [],
                                "strategies": [], "counts": [], "missing": "확인 불가"}
EMPTY_GOVERNANCE: dict[str, Any] = {"case": "청주시", "head": "", "committees": [],
                                    "departments": [], "taskforces": [], "intermediaries": [],
                                    "partners": [], "missing": "확인 불가"}
LAYOUTS = {"vision": (vision_layout, VISION), "governance": (governance_layout, GOVERNANCE),
           "timeline": (timeline_layout, TIMELINE), "empty vision": (vision_layout, EMPTY_VISION),
           "empty governance": (governance_layout, EMPTY_GOVERNANCE)}
DRAWINGS = [(vision_tree, VISION), (governance_map, GOVERNANCE), (timeline, TIMELINE),
            (vision_tree, EMPTY_VISION), (governance_map, EMPTY_GOVERNANCE)]


def png_size(png: bytes) -> tuple[int, int]:
    """Return a PNG's (width, height) from its IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def overlap(a: Box, b: Box, slack: float = 1e-6) -> bool:
    return (a.x + slack < b.right and b.x + slack < a.right
            and a.y + slack < b.bottom and b.y + slack < a.bottom)


# --- PNG output -------------------------------------------------------------------------

@pytest.mark.parametrize(("draw", "data"), DRAWINGS)
def test_same_data_gives_the_same_bytes(draw: Any, data: dict[str, Any]) -> None:
    assert draw(data, 100) == draw(data, 100)


@pytest.mark.parametrize("dpi", [100, 150, 200])
@pytest.mark.parametrize(("draw", "data"), DRAWINGS)
def test_png_is_text_width_at_the_dpi(draw: Any, data: dict[str, Any], dpi: int) -> None:
    width, height = png_size(draw(data, dpi))
    assert width <= round(TEXT_WIDTH_MM / 25.4 * dpi) + 1
    assert width >= round(TEXT_WIDTH_MM / 25.4 * dpi) - 1
    assert height <= MAX_HEIGHT_IN * dpi + 1


def test_png_is_greyscale_and_says_its_dpi() -> None:
    image = Image.open(io.BytesIO(vision_tree(VISION, 150)))
    assert image.mode == "L"
    assert round(image.info["dpi"][0]) == 150


def test_a_character_the_font_lacks_is_an_error_not_a_box() -> None:
    with pytest.raises(PolicyReportError, match="cannot draw"):
        vision_tree({**VISION, "vision": "공유도시 \U0001F600"}, 100)


def painted(layout: Layout, dpi: int) -> Image.Image:
    return Image.open(io.BytesIO(diagrams._draw(layout, dpi)))


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_box_with_text_has_text_pixels_inside(name: str) -> None:
    """Inside each box, well clear of its edges, pixels in the text's grey: the text is drawn
    where the box is (dark on light and light on dark alike)."""
    make, data = LAYOUTS[name]
    layout: Layout = make(data)
    dpi = 150
    image = painted(layout, dpi)
    for box in layout.boxes:
        if not "".join(box.lines).strip():
            continue
        style = diagrams.STYLES[box.style]
        face, ink = diagrams._grey(style.face), diagrams._grey(style.text)
        inside = image.crop((round(box.x * dpi) + 3, round(box.y * dpi) + 3,
                             round(box.right * dpi) - 3, round(box.bottom * dpi) - 3))
        near_ink = [v for v in inside.tobytes()
                    if abs(v - ink) < abs(face - ink) / 3]
        assert len(near_ink) >= 20 * len(box.lines), (box, len(near_ink))


def test_text_lines_sit_where_the_layout_puts_them() -> None:
    """Each line's ink is centred on its anchor: across a box's centre, and around the line's
    centre height ``box.cy + (n - (len - 1) / 2) * line height``."""
    layout = vision_layout(VISION)
    dpi = 150
    image = painted(layout, dpi)
    box = next(b for b in layout.boxes if b.role == "strategy" and len(b.lines) == 3)
    step = box.size * diagrams.LEADING / 72
    face, ink = diagrams._grey(diagrams.STYLES[box.style].face), diagrams._grey("#1a1a1a")
    for n in range(3):
        middle = (box.cy + (n - 1) * step) * dpi
        band = image.crop((round(box.x * dpi) + 3, round(middle - step * dpi / 2),
                           round(box.right * dpi) - 3, round(middle + step * dpi / 2)))
        dark = [(i % band.width, i // band.width) for i, v in enumerate(band.tobytes())
                if abs(v - ink) < abs(face - ink) / 2]
        assert dark, f"line {n} is not drawn"
        xs, ys = [p[0] for p in dark], [p[1] for p in dark]
        assert abs((min(xs) + max(xs)) / 2 + 3 - (box.cx - box.x) * dpi) < 3
        assert abs((min(ys) + max(ys)) / 2 - step * dpi / 2) < 3


def test_painting_is_byte_identical_whatever_is_cached() -> None:
    layout = timeline_layout(TIMELINE)
    first = diagrams._draw(layout, 120)
    diagrams._glyph.cache_clear()
    diagrams._typeface.cache_clear()
    assert diagrams._draw(layout, 120) == first == diagrams._draw(layout, 120)


def test_shapes_keep_their_greys() -> None:
    """Fills are the styles' greys, hatching and marks are drawn, nothing is colour."""
    layout = timeline_layout(TIMELINE)
    image = painted(layout, 150)
    assert image.mode == "L"
    bar = next(b for b in layout.boxes if b.role == "span_plan")
    assert image.getpixel((round(bar.cx * 150), round(bar.cy * 150))) == diagrams._grey(
        diagrams.STYLES["plan"].face)
    hatched = next(b for b in layout.boxes if b.role == "legend_organisation")
    inside = image.crop((round(hatched.x * 150) + 3, round(hatched.y * 150) + 3,
                         round(hatched.right * 150) - 3, round(hatched.bottom * 150) - 3))
    assert min(inside.tobytes()) < 128 < max(inside.tobytes())
    for mark in layout.marks:
        at = (round(mark.x * 150), round(mark.y * 150))
        if mark.shape == "diamond":
            assert image.getpixel(at) == diagrams._grey(mark.face)


def test_advances_are_freetypes() -> None:
    """The font file reader gives FreeType's own advances, so layouts measured before the
    painter changed stay the same to the last bit."""
    from matplotlib.ft2font import FT2Font

    for bold in (False, True):
        path = diagrams._font_paths()[bold]
        face = FT2Font(path)
        face.set_size(100, 72)
        mine = diagrams._face(path)
        for char in "가나다 힣각닭·()[]「」%…ABCabc0123456789":
            code = ord(char)
            assert mine.get_char_index(code) == face.get_char_index(code)
            assert mine.advance(code) == face.load_char(code).linearHoriAdvance
        assert mine.get_char_index(0x1F600) == 0


def test_diagrams_never_import_matplotlib(tmp_path: Path) -> None:
    """Drawing a diagram through the chart cache imports no matplotlib (a chart worker that
    draws only diagrams starts in a fraction of the time)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from analysis.report import charts\n"
        "spec = charts.ChartSpec('timeline', 't', {'cases': ['a'], 'events': []}, '')\n"
        f"charts.render_all([spec], Path({str(tmp_path)!r}), 100, workers=1)\n"
        "assert not [m for m in sys.modules if m.startswith('matplotlib')], 'matplotlib'\n")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parent.parent)
    assert len(list(tmp_path.glob("*.png"))) == 1


# --- layouts: what is drawn and where ---------------------------------------------------

@pytest.mark.parametrize("name", list(LAYOUTS))
def test_everything_stays_on_the_canvas(name: str) -> None:
    make, data = LAYOUTS[name]
    layout: Layout = make(data)
    for box in layout.boxes:
        assert box.x >= 0 and box.right <= layout.width + 1e-9, box
        assert box.y >= 0 and box.bottom <= layout.height + 1e-9, box
    for edge in layout.edges:
        for x, y in edge.points:
            assert 0 <= x <= layout.width and 0 <= y <= layout.height, edge


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_line_fits_its_box(name: str) -> None:
    make, data = LAYOUTS[name]
    for box in make(data).boxes:
        for n, line in enumerate(box.lines):
            indent = box.indents[n] if n < len(box.indents) else 0.0
            assert indent + text_width(line, box.size, box.bold) <= box.text_room(), (box, line)
        assert len(box.lines) * box.size * diagrams.LEADING / 72 <= box.h + 1e-9, box


@pytest.mark.parametrize("name", ["vision", "governance", "empty vision", "empty governance"])
def test_boxes_do_not_overlap(name: str) -> None:
    make, data = LAYOUTS[name]
    boxes = [b for b in make(data).boxes if not b.role.endswith("_panel")]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), (a, b)


def test_vision_tree_levels() -> None:
    layout = vision_layout(VISION)
    assert [b.lines for b in layout.by_role("vision")] == [(VISION["vision"],)]
    assert layout.by_role("vision")[0].style == "dark"
    assert len(layout.by_role("goal")) == 3
    assert len({b.y for b in layout.by_role("goal")}) == 1  # three goals: one row
    strategies = layout.by_role("strategy")
    assert len(strategies) == 6
    assert len({b.y for b in strategies}) == 2  # six strategies: two rows of three
    assert [b.lines for b in layout.by_role("strategy_header")][:2] == [("전략 1",), ("전략 2",)]
    assert layout.by_role("counts")[0].lines == ("6대 추진전략 39개 세부사업(안)",)
    assert [b.lines[0] for b in layout.by_role("tag")] == ["비전", "목표", "추진전략"]
    assert not any(b.dashed for b in layout.boxes)
    assert not any(e.dashed for e in layout.edges)
    assert layout.notes == ()


def test_missing_levels_are_dashed_boxes_with_the_missing_wording() -> None:
    layout = vision_layout(EMPTY_VISION)
    for role in ("vision", "goal", "strategy"):
        (box,) = layout.by_role(role)
        assert box.dashed and box.lines == ("확인 불가",)
    assert layout.by_role("counts") == []
    assert layout.edges and all(e.dashed for e in layout.edges)


def test_a_missing_middle_level_dashes_only_its_links() -> None:
    layout = vision_layout({**VISION, "goals": []})
    (goal,) = layout.by_role("goal")
    assert goal.dashed and goal.lines == ("자료 미확인",)
    assert not layout.by_role("vision")[0].dashed
    assert all(e.dashed for e in layout.edges)  # both links touch the unknown level
    assert len(layout.by_role("strategy")) == 6


def test_long_text_wraps_inside_its_box() -> None:
    long = "시민이 주도하고 행정이 뒷받침하는 지속가능한 사회적경제 생태계 조성과 확산"
    layout = vision_layout({**VISION, "goals": [long] * 4, "strategies": [long * 2] * 3})
    for role, text in (("goal", long), ("strategy", long * 2)):
        for box in layout.by_role(role):
            assert len(box.lines) > 1
            assert all(text_width(line, box.size) <= box.text_room() for line in box.lines)
            assert "".join(box.lines).replace(" ", "") == text.replace(" ", "")


def test_a_tree_taller_than_a_page_is_fitted_and_says_so() -> None:
    long = "사회적경제 조직의 양적 확대와 질적 성장을 위한 지원 기반 마련과 판로 확대 " * 3
    layout = vision_layout({**VISION, "goals": [long] * 8, "strategies": [long] * 16})
    assert layout.height <= MAX_HEIGHT_IN
    assert layout.notes
    assert any(b.lines[-1].endswith("…") for b in layout.by_role("strategy"))


def test_governance_map_tiers_and_links() -> None:
    layout = governance_layout(GOVERNANCE)
    (head,) = layout.by_role("head")
    assert head.lines == ("광주광역시장",) and head.style == "dark"
    (committee,) = layout.by_role("committee")
    assert committee.align == "left" and committee.lines[0].startswith("· ")
    assert [b.lines for b in layout.by_role("intermediary_header")] == [
        ("중간지원조직(지원센터)",), ("중간지원조직(민간 협력기관)",)]
    kinds = [b.style for b in layout.by_role("intermediary")]
    assert kinds == ["plain", "shaded"]  # a private partner is told apart by its fill
    assert layout.by_role("taskforce") and layout.by_role("partner")
    labels = {t.text for t in layout.texts}
    assert {"심의·자문", "위탁·지원", "협력", "협업"} <= labels
    assert not any(b.dashed for b in layout.boxes)
    assert {e.head for e in layout.edges} >= {"end", "both"}
    # the committees point at the head–department link, left of it
    arrow = next(e for e in layout.edges if e.points[0][0] == committee.right)
    assert head.bottom < arrow.points[-1][1] < layout.by_role("department_header")[0].y


def test_governance_unknown_tiers() -> None:
    layout = governance_layout(EMPTY_GOVERNANCE)
    assert layout.by_role("head") == []
    for role in ("committee", "department", "intermediary"):
        (box,) = layout.by_role(role)
        assert box.dashed and box.lines == ("확인 불가",)
    assert layout.by_role("taskforce") == [] and layout.by_role("partner") == []
    assert any(t.text == "※ 확인 불가: 추진단·TF, 협력 주체" for t in layout.texts)
    assert all(e.dashed for e in layout.edges)


def test_governance_with_many_intermediaries_uses_a_panel() -> None:
    many = [{"name": f"권역별 사회적경제지원센터 {n}", "kind": "center"} for n in range(5)]
    layout = governance_layout({**GOVERNANCE, "intermediaries": many})
    assert len(layout.by_role("intermediary_panel")) == 1
    assert len({b.y for b in layout.by_role("intermediary_header")}) == 2


def test_governance_rejects_an_unknown_intermediary_kind() -> None:
    with pytest.raises(ValueError, match="kind 'centre'"):
        governance_layout({**GOVERNANCE, "intermediaries": [{"name": "x", "kind": "centre"}]})


def test_governance_taller_than_a_page_cuts_bulleted_tiers_only() -> None:
    committees = [f"가상시 사회적경제 활성화 및 지역순환경제 촉진 위원회 제{n}분과"
                  for n in range(12)]
    layout = governance_layout({**GOVERNANCE, "committees": committees})
    assert layout.height <= MAX_HEIGHT_IN and layout.notes
    assert [b.lines for b in layout.by_role("intermediary")] == [
        b.lines for b in governance_layout(GOVERNANCE).by_role("intermediary")]


def test_timeline_kinds_differ_by_shape_and_fill() -> None:
    layout = timeline_layout(TIMELINE)
    shapes = {(m.shape, m.face) for m in layout.marks}
    assert ("diamond", "#1a1a1a") in shapes and ("circle", "white") in shapes
    bars = {b.role: diagrams.STYLES[b.style] for b in layout.boxes}
    assert bars["span_plan"].face != bars["span_organisation"].face
    assert bars["span_organisation"].hatch  # hatched: not told by colour alone
    legend = [t.text for t in layout.texts if t.text in ("계획 기간", "조례", "조직 신설")]
    assert legend == ["계획 기간", "조례", "조직 신설"]


def test_timeline_labels_do_not_overlap() -> None:
    layout = timeline_layout(TIMELINE)
    labels = [t for t in layout.texts if t.knockout]
    assert len(labels) == len(TIMELINE["events"])  # all labels fit one line here
    extents = []
    for t in labels:
        height = t.size * diagrams.LEADING / 72
        top = t.y - height if t.va == "bottom" else t.y
        extents.append(Box("label", t.x, top, text_width(t.text, t.size), height))
    for a, b in itertools.combinations(extents, 2):
        assert not overlap(a, b, slack=0.005), (a, b)


def test_timeline_same_year_marks_stand_side_by_side() -> None:
    layout = timeline_layout(TIMELINE)
    pairs = [(a, b) for a, b in itertools.combinations(layout.marks, 2) if a.y == b.y
             and a.y < layout.height - 0.5]  # marks of one row, not the legend's
    assert len(pairs) >= 2  # 울산 2020 and 전주 2014 have two marks each
    for a, b in pairs:
        assert abs(a.x - b.x) >= diagrams._MARK, (a, b)


def test_timeline_without_events_shows_the_missing_wording_and_no_axis() -> None:
    layout = timeline_layout({"cases": ["청주시"], "events": [], "missing": "확인 불가"})
    assert [t.text for t in layout.texts] == ["확인 불가", "청주시"]
    assert not any(e.kind == "axis" for e in layout.edges)


def test_timeline_rejects_unknown_kinds_and_rows() -> None:
    event = {"row": 0, "start": 2020, "end": 2020, "label": "x", "kind": "law"}
    with pytest.raises(ValueError, match="kind 'law'"):
        timeline_layout({"cases": ["a"], "events": [event]})
    with pytest.raises(ValueError, match="no such case"):
        timeline_layout({"cases": ["a"], "events": [{**event, "kind": "plan", "row": 3}]})


# --- wrapping ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "광주광역시 사회적경제 활성화 위원회",
    "창원시사회적경제지원센터(중간지원조직 역할 제안)",
    "사회적경제기업성장단계별맞춤형지원체계구축및판로확대와공공구매연계강화",
    "창원형 공유가치 실현 플랫폼 '共유 창原(Commons Field)' 조성",
    "공공구매 목표 81억 원 중 상반기 43억 원 달성(2019년)",
    "사회혁신담당관(기획조정실, 2020년 상반기 신설 계획)",
])
@pytest.mark.parametrize("width", [0.7, 1.0, 1.6])
def test_wrap_keeps_width_text_and_line_break_rules(text: str, width: float) -> None:
    lines = wrap(text, width, 9)
    assert all(text_width(line, 9) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines[:-1]:
        assert line[-1] not in OPENERS, lines
    for line in lines[1:]:
        assert line[0] not in CLOSERS, lines


def test_wrap_prefers_spaces_and_keeps_numbers_whole() -> None:
    assert wrap("광주광역시 사회적경제 활성화 위원회", 1.4, 9) == [
        "광주광역시 사회적경제", "활성화 위원회"]
    lines = wrap("상반기43억원달성", 0.45, 9)
    assert not any(a[-1].isdigit() and b[0].isdigit() for a, b in itertools.pairwise(lines))


def test_a_long_word_breaks_before_its_bracket() -> None:
    lines = wrap("사회혁신담당관(기획조정실, 2020년 상반기 신설 계획)", 1.5, 9)
    assert lines[0] == "사회혁신담당관" and lines[1].startswith("(기획조정실,")


def test_wrap_joined_never_starts_a_line_with_the_separator() -> None:
    items = [f"협력기관{n}(업무협약)" for n in range(12)]
    lines = diagrams.wrap_joined(items, 3.0, 9)
    assert len(lines) > 2
    assert not any(line.startswith("·") for line in lines)


def test_wrap_with_max_lines_ends_in_an_ellipsis() -> None:
    lines = wrap("사회적경제 조직의 양적 확대와 질적 성장을 위한 지원 기반 마련", 0.8, 9,
                 max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")


# --- alt text ---------------------------------------------------------------------------

def test_vision_alt_text_names_every_value() -> None:
    text = alt_text("vision_tree", VISION)
    for value in [VISION["case"], VISION["vision"], *VISION["goals"], *VISION["strategies"],
                  *VISION["counts"]]:
        assert value in text
    assert "\n" not in text
    assert alt_text("vision_tree", EMPTY_VISION).count("확인 불가") == 3


def test_governance_alt_text_names_every_value_and_relation() -> None:
    text = alt_text("governance_map", GOVERNANCE)
    values = [GOVERNANCE["case"], GOVERNANCE["head"], *GOVERNANCE["committees"],
              *GOVERNANCE["departments"], *GOVERNANCE["taskforces"], *GOVERNANCE["partners"],
              *(m["name"] for m in GOVERNANCE["intermediaries"]), "지원센터", "민간 협력기관",
              "심의·자문", "위탁·지원", "협력"]
    for value in values:
        assert value in text
    assert alt_text("governance_map", EMPTY_GOVERNANCE).count("확인 불가") == 5


def test_timeline_alt_text_names_every_event_with_its_years() -> None:
    text = alt_text("timeline", TIMELINE)
    for event in TIMELINE["events"]:
        assert event["label"] in text
    assert "2023~2027년" in text and "2014년" in text
    assert "청주시: 자료 미확인" in text


def test_alt_text_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown diagram kind"):
        alt_text("heatmap", {})


def test_a_label_the_font_lacks_is_an_error_too() -> None:
    with pytest.raises(PolicyReportError, match="cannot draw"):
        governance_map({**GOVERNANCE, "labels": {"advise": "심의 \U0001F600"}}, 100)


def test_the_coverage_grid_shows_each_count_in_its_cell() -> None:
    from analysis.report import diagrams

    data = {"cases": ["전주시", "울산광역시"], "elements": ["비전", "중간지원조직"],
            "counts": [[0, 3], [5, 1]]}
    layout = diagrams.coverage_layout(data)
    cells = layout.by_role("cell")
    assert [c.lines for c in cells] == [(), ("3",), ("5",), ("1",)]
    assert [c.style for c in cells] == ["heat0", "heat3", "heat4", "heat1"]
    assert [t.text for t in layout.texts] == ["전주시", "울산광역시"]
    assert all(t.x <= min(c.x for c in cells) for t in layout.texts)  # labels left of cells
    png = diagrams.coverage_grid(data)
    assert png.startswith(b"\x89PNG") and png == diagrams.coverage_grid(data)
