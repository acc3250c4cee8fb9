"""The auto-coder on the seed study and on new cities it has never seen."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO

from analysis.coding.autocode import attribute, suggest
from analysis.coding.nlp import sentences
from analysis.coding.rules import load_rules
from analysis.registry import Case
from analysis.sheets import read_sheet
from analysis.validate import load_study

NEWCITY = Path(__file__).parent / "newcity"
CORE = ("vision", "goal", "strategy", "governance", "intermediary")


def suggested(study: Path, case: str) -> dict[str, set[str]]:
    sheet, problems = read_sheet(study / "sheets" / f"{case}.csv", case, case)
    assert problems == []
    values: dict[str, set[str]] = {}
    for item in sheet.items:
        assert item.status == "suggested" and item.coder == "auto"
        values.setdefault(item.element, set()).add(item.value)
    return values


# Seed decisions the coding manual (manual.toml) overturns, as issue 9 lists them; the seed
# sheets were coded before the manual was written.  Until the sheets are re-reviewed, the test
# applies the re-review to a copy of the study: these items are rejected there.
OVERTURNED = {
    # 3대 기본방향 beside "6대 추진전략 39개 세부사업(안)" and a stated goal: the strategy layer
    # is the 추진전략 (counted only); the 기본방향 above it is not coded (manual, strategy,
    # the decision on 기본방향 vs 추진전략)
    ("changwon", "strategy", "공공 공유자원 확충과 맞춤형 제공"),
    ("changwon", "strategy", "시민사회 자발적 이니셔티브 촉진"),
    ("changwon", "strategy", "제도와 문화적 토대 강화"),
    # the research commission's advisory panel is the study's own body, not Changwon's
    # (manual, governance exclude: 연구진의 자문위원회 등 이 연구 자체의 기구)
    ("changwon", "governance", "자문위원단(공유경제 기업인·대학교수·전문가)"),
    # a press release's subheadings are not strategies (manual, strategy exclude and the
    # decision on 보도자료 소제목)
    ("jeonju", "strategy", "지역의 경쟁력 강화, 착한경제 육성"),
    ("jeonju", "strategy", "사람과 사람을 잇는 공동체 사업"),
    ("jeonju", "strategy", "지속가능한 생태비전, 전주형 도시재생"),
}


def rereview(study: Path) -> None:
    """Reject the OVERTURNED items in the sheets of ``study`` (a copy), with a note."""
    for case in {case for case, _, _ in OVERTURNED}:
        path = study / "sheets" / f"{case}.csv"
        text = path.read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        changed = 0
        for row in rows:
            if (case, row["element"], row["value"]) in OVERTURNED:
                row["status"], row["note"] = "rejected", "coding manual (issue 9 re-review)"
                changed += 1
        assert changed == sum(1 for c, _, _ in OVERTURNED if c == case)
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))


def test_seed_cases_reach_f1_09_on_the_core_elements(study: Path,
                                                      run: Callable[..., Result]) -> None:
    rereview(study)
    result = run(study, "evaluate", "--json")
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)["elements"]
    for element in CORE:
        assert figures[element]["f1"] >= 0.9, (element, figures[element])


def test_the_overturned_seed_decisions_are_not_suggested() -> None:
    data = load_study(REPO)
    found = suggest(data, list(data.registry.cases), load_rules(REPO, set(data.framework.ids)))
    suggestions = {(case, i.element, i.value) for case, items in found.items() for i in items}
    values = {(case, element, value.split("(")[0]) for case, element, value in suggestions}
    for case, element, value in OVERTURNED:
        assert (case, element, value.split("(")[0]) not in values


def test_a_new_city_is_coded_without_code_changes(study: Path,
                                                  run: Callable[..., Result]) -> None:
    assert run(study, "add-case", "busan", "--name", "부산광역시", "--source",
               str(NEWCITY / "busan.txt")).exit_code == 0
    result = run(study, "code", "busan")
    assert result.exit_code == 0, result.stderr
    values = suggested(study, "busan")
    assert values["vision"] == {"시민이 함께 나누는 공유도시 부산"}
    assert values["goal"] == {"공유자원 개방 확대", "공유기업 성장 지원", "시민 참여 공유문화 확산"}
    assert values["strategy"] == {"5대 추진전략 28개 세부사업", "공공자원 개방과 공유 플랫폼 구축",
                                  "공유기업 발굴과 판로 지원", "생활 속 공유 서비스 확대",
                                  "공유문화 교육과 홍보", "민관 협력 추진기반 강화"}
    assert values["governance"] == {"공유경제촉진위원회", "공유경제팀"}  # not Daegu's committee
    assert values["intermediary"] == {"부산공유경제지원센터"}  # not Gwangju's (headline list)
    assert values["legal_basis"] == {"부산광역시 공유경제 촉진 조례"}
    # the manual writes every plan period as YYYY~YYYY년 (manual.toml, plan_period unit)
    assert values["plan_period"] == {"2024~2028년"}
    assert validate_ok(study, run)


def test_another_new_city_in_another_style(study: Path, run: Callable[..., Result]) -> None:
    assert run(study, "add-case", "suwon", "--name", "수원시", "--level", "특례시", "--source",
               str(NEWCITY / "suwon.txt")).exit_code == 0
    assert run(study, "code", "suwon").exit_code == 0
    values = suggested(study, "suwon")
    assert values["vision"] == {"함께 성장하는 사회적경제 도시 수원"}
    assert values["goal"] == {"사회적경제기업 500개 육성", "일자리 3천 개 창출",
                              "공공구매 200억 원 달성"}
    assert values["strategy"] == {"4대 전략 20개 과제"}
    assert values["governance"] == {"사회적경제 민관협의체", "사회적경제과"}
    assert values["intermediary"] == {"수원시사회적경제지원센터", "수원시사회적경제협의회"}
    assert values["plan_period"] == {"2025~2029년"}  # "2025년부터 2029년까지", as the manual has it


def test_a_plan_written_in_outline_form(study: Path, run: Callable[..., Result]) -> None:
    """A plan summary in 개조식 (no sentence endings, □/○/1. outline) is coded too."""
    assert run(study, "add-case", "gimhae", "--name", "김해시", "--kind", "plan", "--source",
               str(NEWCITY / "gimhae_plan.txt")).exit_code == 0
    assert run(study, "code", "gimhae").exit_code == 0
    values = suggested(study, "gimhae")
    assert values["vision"] == {"모두가 누리는 나눔도시 김해"}
    assert values["goal"] == {"공유자원 이용률 30% 달성", "공유기업 100개 육성",
                              "시민 참여 공유 네트워크 구축"}
    assert values["strategy"] == {"4대 추진전략 24개 세부과제", "공공자원 개방 확대",
                                  "공유 플랫폼 구축", "공유기업 성장 지원",
                                  "시민 인식 개선과 참여 확대"}
    assert values["governance"] == {"공유촉진위원회", "공유경제팀"}
    assert values["intermediary"] == {"김해시공유경제지원센터"}
    assert values["legal_basis"] == {"김해시 공유경제 촉진 조례"}
    assert values["plan_period"] == {"2024~2028년"}  # "2024년 ~ 2028년", as the manual writes it
    assert validate_ok(study, run)


def validate_ok(study: Path, run: Callable[..., Result]) -> bool:
    result = run(study, "validate")  # every suggestion's evidence is verbatim at its location
    return result.exit_code == 0 and result.stdout.startswith("OK")


def test_another_citys_article_in_the_same_file_is_not_coded(study: Path,
                                                            run: Callable[..., Result]) -> None:
    # register the whole of seed 001 (a Jeonju article, then a Cheongju one) as one source
    seed = study / "seeds" / "001_7766f06f54c7cb55.txt"
    assert run(study, "add-case", "jeonju2", "--name", "전주시", "--source",
               str(seed)).exit_code == 0
    assert run(study, "code", "jeonju2").exit_code == 0
    sheet, _ = read_sheet(study / "sheets" / "jeonju2.csv", "jeonju2", "x")
    cheongju_starts = seed.read_text(encoding="utf-8").index("청주시, 제4회")
    assert sheet.items, "the Jeonju article yields suggestions"
    for item in sheet.items:
        assert item.span is not None and item.span[1] <= cheongju_starts, item
        assert "서울" not in item.value  # Seoul's council named in the Jeonju article


def test_attribution_follows_the_topic() -> None:
    case = Case("jeonju", "전주시", "시", "", "benchmark")
    text = ("전주시는 사회적경제지원단을 신설했다. 시는 조례를 제정했다. "
            "청주시는 18일 장터를 열었다. 시 관계자는 기뻐했다. 전주형 공동체 사업도 있다.")
    judged = [(a.sentence.text, a.case) for a in attribute(case, sentences(text, 0))]
    assert [c for _, c in judged] == ["jeonju", "jeonju", None, None, "jeonju"]


@pytest.mark.parametrize("broken", [
    ("[[rules]]\nid = \"x.bad\"\nelement = \"vision\"\nkind = \"regex\"\n"
     "pattern = '''(?P<value>[가-'''\n",
     "rules.toml:2: rule x.bad pattern: bad regular expression"),
    ("[[rules]]\nid = \"x.kind\"\nelement = \"visoin\"\nkind = \"regex\"\n"
     "pattern = '''(?P<value>a)'''\n",
     "rules.toml:2: rule x.kind element: unknown element 'visoin'"),
])
def test_a_broken_study_rule_is_named(study: Path, run: Callable[..., Result],
                                      broken: tuple[str, str]) -> None:
    (study / "rules.toml").write_text(broken[0], encoding="utf-8")
    before = (study / "sheets" / "ulsan.csv").read_bytes()
    result = run(study, "code", "ulsan")
    assert result.exit_code == 1
    assert broken[1] in result.stderr
    assert (study / "sheets" / "ulsan.csv").read_bytes() == before


def test_a_study_rule_extends_the_packaged_ones(study: Path, run: Callable[..., Result]) -> None:
    (study / "rules.toml").write_text(
        "[[rules]]\nid = \"vision.quoted_before\"\nenabled = false\n"
        "[[rules]]\nid = \"vision.quoted_after\"\nenabled = false\n", encoding="utf-8")
    shutil.copy(NEWCITY / "busan.txt", study / "b.txt")
    run(study, "add-case", "busan", "--name", "부산광역시", "--source", str(study / "b.txt"))
    assert run(study, "code", "busan").exit_code == 0
    assert "vision" not in suggested(study, "busan")
