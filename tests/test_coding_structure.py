"""The auto-coder on plan structure and the classes of text of issue 9, one class per test.

Every text here is made up for the test (no sentence of the development corpus): a plan with a
목차 and a 비전체계 table, an approval document's head, 개조식 sections, lists inside
sentences, counted lists, departments created, and the negatives (class nouns, attendee
lists, other places, the study's own panel).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO

from analysis.coding import places
from analysis.coding.autocode import attribute, code_case
from analysis.coding.clean import segment
from analysis.coding.nlp import sentences
from analysis.coding.rules import load_rules, min_confidence
from analysis.errors import PolicyReportError
from analysis.registry import Case, Source, SourceText
from analysis.sheets import CodedItem

RULES = load_rules()
SINGLE = frozenset({"vision", "plan_period"})


def coded(text: str, name: str = "가상시", rules=RULES) -> list[CodedItem]:  # type: ignore[no-untyped-def]
    case = Case("c", name, "시", "", "benchmark", sources=("s",))
    return code_case(case, [SourceText(Source("s", "s.txt"), text, 0, len(text))], rules, SINGLE)


def values(items: list[CodedItem], element: str, subcode: str | None = None) -> list[str]:
    return [i.value for i in items if i.element == element
            and (subcode is None or i.subcode == subcode)]


PLAN = """「숲과 사람이 이어지는 녹색도시 가상」
제1차 가상시 녹색전환 기본계획 (2026~2030)

목 차

Ⅰ. 계획의 개요 ······························· 1
Ⅱ. 비전 및 목표 ······························ 4
Ⅲ. 중점과제별 실행계획 ························ 7
  1. 녹지 축 연결
  2. 저탄소 생활 확산
  3. 녹색 일자리 창출
Ⅳ. 추진체계 ································· 15

Ⅰ. 계획의 개요

○ 근거: 「가상시 녹색전환 기본 조례」

Ⅱ. 비전 및 목표

구분 | 내용
비전 | 숲과 사람이 이어지는 녹색도시 가상
목표 | 1인당 녹지 면적 15㎡ / 탄소 배출 30% 감축
중점과제 | 녹지 축 연결 / 저탄소 생활 확산 / 녹색 일자리 창출
세부과제 | 3대 중점과제 아래 14개 세부과제

Ⅲ. 중점과제별 실행계획

1. 녹지 축 연결: 하천변 숲길 조성, 옥상 정원 지원
2. 저탄소 생활 확산
  ○ 탄소 포인트 제도, 공공 자전거 확대
3. 녹색 일자리 창출

Ⅳ. 추진체계

녹색정책과가 계획을 총괄하고, 가상시 녹색전환위원회가 시행계획을 심의한다.
"""


def test_a_plan_with_a_toc_and_a_vision_table() -> None:
    items = coded(PLAN)
    assert values(items, "vision") == ["숲과 사람이 이어지는 녹색도시 가상"]
    assert set(values(items, "goal")) == {"1인당 녹지 면적 15㎡", "탄소 배출 30% 감축"}
    assert set(values(items, "strategy", "strategy_item")) == {
        "녹지 축 연결", "저탄소 생활 확산", "녹색 일자리 창출"}
    # the count is written as the manual writes it, "아래" aside
    assert values(items, "strategy", "strategy_count") == ["3대 중점과제 14개 세부과제"]
    assert set(values(items, "governance")) == {"녹색정책과", "가상시 녹색전환위원회"}
    assert values(items, "plan_period") == ["2026~2030년"]
    assert values(items, "legal_basis") == ["가상시 녹색전환 기본 조례"]
    # what the strategies consist of are projects, not strategies
    assert {"하천변 숲길 조성", "탄소 포인트 제도"} <= set(values(items, "key_project"))


def test_plan_structure_is_seen_line_by_line() -> None:
    lines = {s.text: s for s in segment(PLAN, 0, len(PLAN), RULES)}
    assert lines["1. 녹지 축 연결"].role == "toc"  # a 목차 entry (the body has its own)
    assert lines["비전 | 숲과 사람이 이어지는 녹색도시 가상"].role == "table"
    entry = lines["○ 탄소 포인트 제도, 공공 자전거 확대"]
    assert (entry.role, entry.marker, entry.indent, entry.content) == (
        "outline", "○", 2, "탄소 포인트 제도, 공공 자전거 확대")
    assert all(s.is_body for s in lines.values() if s.role != "toc")


APPROVAL = """가 상 군
내부결재
문서번호  농정과-2101
담당부서  농정과 먹거리팀
협조부서  기획예산과, 보건소
결    재  먹거리팀장 ○○○ → 농정과장 ○○○

제    목  2026년 먹거리 시행계획 수립

1. 계획 개요
  ○ 비전: 모두가 건강한 밥상, 가상군
  ○ 목표: 공공급식 지역산 70%, 먹거리 취약계층 해소
  ○ 실천과제: ① 생산 조직화 ② 공공급식 확대 ③ 먹거리 교육
2. 추진체계
  ○ 가상군 먹거리위원회 운영, 가상군먹거리통합지원센터 (사)가상농업네트워크에 위탁
"""


def test_an_approval_document_head_names_the_department_not_the_cooperating_ones() -> None:
    items = coded(APPROVAL, "가상군")
    assert values(items, "governance", "department") == ["농정과"]
    assert values(items, "vision") == ["모두가 건강한 밥상, 가상군"]
    assert set(values(items, "goal")) == {"공공급식 지역산 70%", "먹거리 취약계층 해소"}
    assert set(values(items, "strategy", "strategy_item")) == {
        "생산 조직화", "공공급식 확대", "먹거리 교육"}
    assert "가상군 먹거리위원회" in values(items, "governance", "committee")
    assert set(values(items, "intermediary")) == {"가상군먹거리통합지원센터",
                                                  "(사)가상농업네트워크"}
    assert not {"기획예산과", "보건소"} & set(values(items, "governance"))


def test_a_goal_sentence_then_a_list_named_as_strategies() -> None:
    text = ("구는 2030년까지 빈집 500곳 정비와 청년 유입 2천 명 달성을 목표로 ▲빈집 은행 운영 "
            "▲골목 상권 재생 ▲청년 주거 지원 등 3대 전략을 추진한다.")
    items = coded(text, "가상구")
    assert set(values(items, "goal")) == {"2030년까지 빈집 500곳 정비", "청년 유입 2천 명 달성"}
    assert set(values(items, "strategy", "strategy_item")) == {
        "빈집 은행 운영", "골목 상권 재생", "청년 주거 지원"}
    assert values(items, "strategy", "strategy_count") == ["3대 전략"]


@pytest.mark.parametrize("text, element, expected", [
    ("이를 위해 시는 세 가지 정책과제를 정했다. 첫째 돌봄 인력 확충, 둘째 방문 의료 연계, "
     "셋째 주거 개선이다.", "strategy", {"돌봄 인력 확충", "방문 의료 연계", "주거 개선"}),
    ("계획은 교통, 안전, 환경, 복지 등 4개 분야로 나뉜다.", "strategy",
     {"교통", "안전", "환경", "복지"}),
    ("목표로는 관광객 800만 명 유치, 체류 기간 2일 달성을 제시했다.", "goal",
     {"관광객 800만 명 유치", "체류 기간 2일 달성"}),
    ("목표는 주민 참여 확대와 공동체 자립 두 가지다.", "goal", {"주민 참여 확대", "공동체 자립"}),
    ("핵심전략은 ①수소 교통 ②재생에너지 보급 ③건물 효율화다.", "strategy",
     {"수소 교통", "재생에너지 보급", "건물 효율화"}),
    ("시는 정책목표로 △청년 고용 확대 △청년 주거 안정을 제시했다.", "goal",
     {"청년 고용 확대", "청년 주거 안정"}),
])
def test_lists_inside_sentences_belong_to_the_term_nearest_them(
        text: str, element: str, expected: set[str]) -> None:
    items = coded(text)
    assert set(values(items, element, "strategy_item" if element == "strategy" else None)) \
        == expected


def test_a_section_under_a_heading_and_a_deeper_line_skipped() -> None:
    text = ("□ 목표\n ○ 공유 자원 이용 20만 건\n ○ 공유기업 40곳 육성\n"
            "□ 3대 추진과제\n ○ 과제 1. 공공 공간 개방\n   - 주민센터 회의실 개방\n"
            " ○ 과제 2. 물품 공유 확산\n ○ 과제 3. 공유 문화 교육\n"
            "□ 추진체계\n ○ 공유경제팀 신설, 가상시 공유촉진위원회 운영\n")
    items = coded(text)
    assert set(values(items, "goal")) == {"공유 자원 이용 20만 건", "공유기업 40곳 육성"}
    assert set(values(items, "strategy", "strategy_item")) == {
        "공공 공간 개방", "물품 공유 확산", "공유 문화 교육"}
    assert "공유경제팀" in values(items, "governance", "department")


@pytest.mark.parametrize("lists, expect_strategies, expect_goals", [
    # 기본방향 beside an item list of 추진전략 and a stated goal: not coded
    ("□ 목표\n ○ 녹지 확대\n ○ 탄소 감축\n□ 기본방향\n ○ 참여\n ○ 협력\n"
     "□ 추진전략\n ○ 숲 조성\n ○ 교통 전환\n",
     {"숲 조성", "교통 전환"}, {"녹지 확대", "탄소 감축"}),
    # 기본방향 beside a strategy layer and no goal: the goals
    ("□ 기본방향\n ○ 참여\n ○ 협력\n□ 추진과제\n ○ 숲 조성\n ○ 교통 전환\n",
     {"숲 조성", "교통 전환"}, {"참여", "협력"}),
    # 기본방향 alone: the strategies
    ("□ 목표\n ○ 녹지 확대\n ○ 탄소 감축\n□ 기본방향\n ○ 주민 참여 넓히기\n ○ 민관 협력 다지기\n",
     {"주민 참여 넓히기", "민관 협력 다지기"}, {"녹지 확대", "탄소 감축"}),
])
def test_basic_directions_are_strategies_only_without_another_strategy_layer(
        lists: str, expect_strategies: set[str], expect_goals: set[str]) -> None:
    items = coded(lists)
    assert set(values(items, "strategy", "strategy_item")) == expect_strategies
    assert set(values(items, "goal")) == expect_goals


def test_departments_created_or_put_in_charge() -> None:
    text = ("시는 1월 조직개편으로 기후정책과를 신설했다. 계획은 기후정책과가 총괄한다. "
            "또 복지정책과에 통합돌봄팀을 신설하여 계획을 전담하도록 했다. "
            "시장 직속 탄소중립 추진단도 꾸렸다.")
    items = coded(text)
    assert set(values(items, "governance", "department")) == {"기후정책과", "통합돌봄팀"}
    assert values(items, "governance", "taskforce") == ["탄소중립 추진단"]


def test_a_new_team_stands_for_the_department_it_belongs_to() -> None:
    text = ("담당부서: 복지정책과 돌봄팀\n\n시는 복지정책과 안에 돌봄전략팀을 새로 두고 계획을 "
            "전담하게 했다. 이번 계획은 시민 의견을 모아 만들었다.")
    assert values(coded(text), "governance", "department") == ["돌봄전략팀"]


@pytest.mark.parametrize("text", [
    "보고회에는 관계 기관, 지원조직, 중간지원조직 등 40여 명이 참석했다.",
    "관련 조례를 정비하고 유관기관과 협력할 계획이다.",
    "위원회는 위원 15명 이내로 구성하며 시장은 전담 부서를 둘 수 있다.",
    "인근 다른시는 다른시 마을공동체위원회를 운영하고 있다.",
    "기본계획 수립 용역의 자문위원단과 연구진이 참석한 가운데 회의가 열렸다.",
    "이번 포럼은 '함께 만드는 마을'을 주제로 열렸다.",
])
def test_class_nouns_attendees_other_places_and_themes_are_not_coded(text: str) -> None:
    items = coded(text.replace("다른시", "청주시"))
    core = [i for i in items if i.element in ("vision", "goal", "strategy", "governance",
                                               "intermediary", "legal_basis", "performance")]
    assert core == [], [(i.element, i.value) for i in core]


def test_a_title_quote_is_the_vision_only_when_no_explicit_one() -> None:
    titled = "『바다와 함께 크는 도시』\n가상시 해양관광 기본계획\n\n관광객을 늘리겠다고 밝혔다.\n"
    assert values(coded(titled), "vision") == ["바다와 함께 크는 도시"]
    explicit = titled + "계획의 비전은 '세계로 열린 해양관광 도시 가상'이다.\n"
    assert values(coded(explicit), "vision") == ["세계로 열린 해양관광 도시 가상"]
    ordinance = ("「가상시 해양관광 진흥 조례」\n"
                 "제1조(목적) 이 조례는 해양관광 진흥에 필요한 사항을 정한다.\n")
    assert values(coded(ordinance), "vision") == []


def test_a_district_named_with_its_city() -> None:
    names = places.case_names("서울특별시 은평구")
    assert (names.stem, names.parents) == ("은평", ("서울",))
    case = Case("e", "서울특별시 은평구", "구", "", "benchmark")
    judged = attribute(case, sentences("서울 은평구가 마을계획을 세웠다. 구는 위원회를 둔다.", 0))
    assert [a.case for a in judged] == ["e", "e"]  # "서울" only qualifies 은평구
    items = coded("서울 은평구는 은평구마을공동체지원센터를 운영한다. 서울시사회서비스원과도 "
                  "협력한다.", "서울특별시 은평구")
    assert values(items, "intermediary") == ["은평구마을공동체지원센터"]  # not the city's


def test_a_place_inside_a_word_is_no_place_but_a_province_body_is_not_the_countys() -> None:
    assert places.find_places("서울대학교 연구진") == []
    items = coded("군은 강원탄소중립지원센터와 군탄소중립지원센터를 함께 운영한다.", "횡성군")
    assert values(items, "intermediary") == ["군탄소중립지원센터"]


def test_the_confidence_filter_for_code_min_confidence() -> None:
    items = coded(PLAN)
    sure = min_confidence(items, 0.85)
    assert sure and all(float(i.confidence) >= 0.85 for i in sure)
    assert len(sure) < len(items)  # the projects (0.60) are left for a later look


def test_a_study_extends_the_lexicon_of_strategy_names(tmp_path: Path) -> None:
    text = "□ 역점시책\n ○ 골목 경제 살리기\n ○ 돌봄 안전망\n"
    assert values(coded(text), "strategy") == []
    (tmp_path / "rules.toml").write_text(
        "[lexicon]\nstrategy_named = '''(?:추진|핵심)?\\s*전\\s*략|역점\\s*시책'''\n",
        encoding="utf-8")
    rules = load_rules(tmp_path)
    assert set(values(coded(text, rules=rules), "strategy")) == {"골목 경제 살리기", "돌봄 안전망"}


def test_an_unknown_lexicon_word_is_named(tmp_path: Path) -> None:
    (tmp_path / "rules.toml").write_text(
        "[[rules]]\nid = \"goal.x\"\nelement = \"goal\"\nkind = \"regex\"\n"
        "pattern = '''{goals}(?P<value>.+)'''\n", encoding="utf-8")
    with pytest.raises(PolicyReportError) as raised:
        load_rules(tmp_path)
    assert "rules.toml:2: rule goal.x pattern: unknown lexicon word {goals}" in str(
        raised.value.problems[0].render())


def test_the_variations_corpus_is_coded(run: Callable[..., Result]) -> None:
    """Short documents written apart from the development corpus (tests/newcity/variations):
    other phrasings, markers, tables, docx and a web page, and negatives."""
    folder = Path(__file__).parent / "newcity" / "variations"
    result = run(REPO, "evaluate", "--corpus", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    elements = json.loads(result.stdout)[str(folder)]["elements"]
    for element in ("vision", "goal", "strategy", "governance", "intermediary", "legal_basis",
                    "plan_period"):
        assert elements[element]["precision"] >= 0.95, (element, elements[element])
        assert elements[element]["recall"] >= 0.95, (element, elements[element])


def test_required_literals_of_a_pattern() -> None:
    """The literals a document must hold for a rule to find anything: a document without
    them is not searched (each match contains one of them)."""
    import re

    from analysis.coding.rules import required_literals

    assert required_literals(re.compile(r"(?:위탁|수탁)\s*운영")) == ("운영",)  # one literal
    assert required_literals(re.compile(r"(?:위탁|수탁)\s*(?:운영|관리)")) == ("위탁", "수탁")
    assert required_literals(re.compile(r"운영은\s*(?P<value>\S+)")) == ("운영은",)
    assert required_literals(re.compile(r"[가-힣]+센터|재단")) == ("센터", "재단")
    assert required_literals(re.compile(r"\d+\s*개")) == ("개",)
    assert required_literals(re.compile(r"(?:a|\d)+")) is None  # a branch with no literal
    assert required_literals(re.compile(r"(?i)abc")) is None
    for pattern, text in ((r"(?:위탁|수탁)\s*운영", "센터를 수탁 운영한다"),
                          (r"[가-힣]+센터|재단", "공익재단")):
        compiled = re.compile(pattern)
        hints = required_literals(compiled)
        assert compiled.search(text) and hints and any(h in text for h in hints)


def test_a_transitional_clause_keeps_a_body_the_ordinance_sets_up() -> None:
    """In a 전부개정 the 경과조치 says the body set up before goes on under the same name: it
    is the ordinance's own body, not a former one; a renamed body stays former, and old text
    an amendment quotes or its 대비표's 현행 column sets nothing up."""
    whole = ("가상시 마을활력 지원 조례\n"
             "제7조(위원회) 마을활력에 관한 사항을 심의하기 위하여 가상시 마을활력위원회(이하 "
             "“위원회”라 한다)를 둔다.\n"
             "제9조(센터의 설치) 시장은 가상시 마을활력지원센터(이하 “센터”라 한다)를 설치하여 "
             "운영할 수 있다.\n"
             "부칙\n"
             "제2조(경과조치) 이 조례 시행 당시 종전의 「가상시 마을 지원 조례」에 따라 설치된 "
             "가상시 마을활력지원센터는 이 조례에 따라 설치된 것으로 보고, 종전의 가상시 "
             "마을활력위원회는 이 조례에 따른 위원회로 본다.\n")
    items = coded(whole)
    assert "가상시 마을활력지원센터" in values(items, "intermediary", "center")
    assert "가상시 마을활력위원회" in values(items, "governance", "committee")
    renamed = whole.replace("설치된 가상시 마을활력지원센터는 이 조례에 따라 설치된 것으로 보고",
                            "설치된 가상시 마을만들기센터는 제9조에 따른 센터로 보고")
    assert "가상시 마을만들기센터" not in values(coded(renamed), "intermediary")
    amended = ("가상시 청년 조례 일부개정조례\n"
               "제6조제1항 중 “가상시 청년일자리위원회를 둔다”를 “가상시 청년정책위원회를 "
               "둔다”로 한다.\n"
               "제6조(위원회) 가상시 청년일자리위원회(이하 “위원회”라 한다)를 둔다. | "
               "제6조(위원회) 가상시 청년정책위원회(이하 “위원회”라 한다)를 둔다.\n")
    committees = values(coded(amended), "governance", "committee")
    assert "가상시 청년정책위원회" in committees
    assert "가상시 청년일자리위원회" not in committees


@pytest.mark.parametrize(("sentence", "operator"), [
    ("이 조례 시행 당시 센터를 운영하고 있는 사단법인 가상청년네트워크는 이 조례에 따라 위탁받은 "
     "것으로 본다.", "사단법인 가상청년네트워크"),
    ("이 조례 시행 당시 가상시 청년센터의 운영을 위탁받은 협동조합 가상청년들은 협약 기간까지 "
     "센터를 운영한다.", "협동조합 가상청년들"),
    ("이 조례 시행 당시 가상시 탄소중립지원센터로 지정·운영 중인 사단법인 가상녹색포럼은 제9조에 "
     "따라 지정된 것으로 본다.", "사단법인 가상녹색포럼"),
    ("실무 분석은 가상시 탄소중립지원센터(가상대학교 산학협력단 운영)가 지원한다.",
     "가상대학교 산학협력단"),
])
def test_an_ordinance_names_the_operator_in_passing(sentence: str, operator: str) -> None:
    """Transitional clauses and notes name the body that runs the centre only in passing."""
    assert operator in values(coded(sentence), "intermediary", "private_partner")


def test_a_rule_names_the_centre_it_sets_up() -> None:
    text = "제2조(센터의 명칭) 조례 제18조에 따른 센터의 명칭은 “가상시 마을활력센터”로 한다.\n"
    assert values(coded(text), "intermediary", "center") == ["가상시 마을활력센터"]


@pytest.mark.parametrize(("text", "centre"), [
    ("제8조(상담소의 설치) ① 구청장은 노동 상담을 지원하기 위하여 가상구 노동권익상담소(이하 "
     "“상담소”라 한다)를 둔다.", "가상구 노동권익상담소"),
    ("제7조(곳간) ① 시장은 생활문화 활동을 연결하기 위하여 가상생활문화곳간(이하 “곳간”이라 "
     "한다)을 설치·운영한다.", "가상생활문화곳간"),
    ("3. “광역지원기관”이란 제9조에 따라 도가 설치하는 가상귀농귀촌플랫폼을 말한다.",
     "가상귀농귀촌플랫폼"),
])
def test_a_body_an_ordinance_sets_up_is_its_centre_whatever_its_name(text: str,
                                                                     centre: str) -> None:
    """An ordinance sets its intermediary up under a short name or points to it from its 정의
    article; the name need not end in 센터 (…상담소, …곳간, …플랫폼)."""
    assert centre in values(coded(text), "intermediary", "center")


def test_a_committee_an_ordinance_sets_up_is_no_centre() -> None:
    text = "제5조(위원회) 시장은 가상시 청년정책위원회(이하 “위원회”라 한다)를 둔다.\n"
    assert values(coded(text), "intermediary") == []
