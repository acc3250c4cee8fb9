"""The registry and framework as loaded from the committed study."""

from __future__ import annotations

from conftest import REPO

from analysis.framework import load_framework
from analysis.registry import load_registry, read_source
from analysis.study import open_study
from analysis.tomlfile import key_line


def test_registry_cases_and_parts_of_files() -> None:
    study = open_study(REPO)
    registry, problems = load_registry(study)
    assert problems == []
    assert list(registry.cases) == ["changwon", "jeonju", "wanju", "ulsan", "cheongju"]
    assert registry.home is not None and registry.home.name == "창원시"
    assert [c.id for c in registry.benchmarks] == ["jeonju", "wanju", "ulsan", "cheongju"]
    jeonju, _ = read_source(study, registry.sources["jeonju-ksen"])
    cheongju, _ = read_source(study, registry.sources["cheongju-ksen"])
    assert jeonju is not None and cheongju is not None
    assert "청주" not in jeonju.body.split("기상청 제공")[1]
    assert cheongju.body.startswith("청주시, 제4회")
    assert jeonju.find("제6차 사람의 도시") is not None
    assert cheongju.find("제6차 사람의 도시") is None  # outside its part of the file
    where = cheongju.find("20여개   사회적경제기업들이\n참여했으며")
    assert where is not None and cheongju.text[where[0]:where[1]].startswith("20여개")


def test_toml_line_finds_tables_and_keys() -> None:
    text = '[cases.a]\nname = "x"\n\n[cases.b]\nname = "y"\nlevel = "시"\n'
    assert key_line(text, ("cases", "b")) == 4
    assert key_line(text, ("cases", "b", "level")) == 6
    assert key_line(text, ("cases", "c")) is None


def test_framework_elements_and_subcodes() -> None:
    framework, problems = load_framework(open_study(REPO))
    assert problems == []
    assert [e.id for e in framework.core] == [
        "vision", "goal", "strategy", "governance", "intermediary"]
    assert {"legal_basis", "plan_period", "key_project", "performance", "partner"} <= set(
        framework.ids)
    committee = framework.subcode("committee")
    assert committee is not None and committee.element == "governance"
    vision = framework.element("vision")
    assert vision is not None and vision.multiple is False and vision.label_ko == "비전"
