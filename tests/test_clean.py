"""Finding the article body in scraped pages, with offsets into the file as received."""

from __future__ import annotations

from conftest import REPO

from analysis.coding.clean import body, segment
from analysis.coding.rules import load_rules
from analysis.registry import load_registry, read_source
from analysis.study import open_study


def source_text(source_id: str):  # type: ignore[no-untyped-def]
    study = open_study(REPO)
    registry, _ = load_registry(study)
    text, _ = read_source(study, registry.sources[source_id])
    assert text is not None
    return text


def test_body_lines_point_into_the_original_file() -> None:
    rules = load_rules()
    for source_id in ("changwon-nocut", "jeonju-ksen", "jeonju-press", "wanju-gukje",
                      "ulsan-2020", "cheongju-ksen"):
        text = source_text(source_id)
        for seg in segment(text.text, text.start, text.end, rules):
            assert text.text[seg.start:seg.end] == seg.text
            assert text.start <= seg.start < seg.end <= text.end


def test_page_furniture_is_not_body() -> None:
    rules = load_rules()
    joined = {}
    for source_id in ("changwon-nocut", "jeonju-ksen", "jeonju-press", "ulsan-2020"):
        text = source_text(source_id)
        joined[source_id] = "\n".join(s.text for s in body(text.text, text.start, text.end,
                                                              rules))
    assert "기상청 제공" not in joined["jeonju-ksen"]  # weather widget
    assert "℃" not in joined["jeonju-ksen"]
    assert "변윤재 기자" not in joined["jeonju-ksen"]  # reporter line
    assert "Copyright" not in joined["changwon-nocut"]
    assert "한덕수" not in joined["changwon-nocut"]  # related headlines
    assert "이메일" not in joined["changwon-nocut"]
    assert "트위터로 보내기" not in joined["ulsan-2020"]  # share buttons
    assert "[충남홍성군]" not in joined["ulsan-2020"]  # other news of the site
    assert "구독자수" not in joined["jeonju-press"]
    assert "공유경제 활성화 촉진을 위한 조례도 제정할 예정이다" in joined["ulsan-2020"]
    assert "△ 사람과 사람을 잇는 공동체 사업" in joined["jeonju-press"]  # a heading stays


def test_a_repeated_lead_is_marked() -> None:
    text = source_text("changwon-nocut")
    kinds = [s.kind for s in segment(text.text, text.start, text.end, load_rules())
             if s.text.startswith("창원시정연구원(원장 김영표)")]
    assert kinds == ["content", "repeat"]
