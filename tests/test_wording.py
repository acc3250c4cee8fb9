"""The templates' sandbox and the markup: data never becomes syntax, templates reach no file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from analysis.errors import PolicyReportError
from analysis.report import markup, wording
from analysis.report.markup import parse, protect


def _render(tmp_path: Path, source: str, **names: object) -> str:
    (tmp_path / "t.j2").write_text(source, encoding="utf-8")
    env = wording.environment([tmp_path])
    return wording.render(env, "t.j2", dict(names), [tmp_path])


ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__ }}",
    "{{ namespace.__init__ }}",
    "{{ self._TemplateReference__context }}",
    "{% set _ = cases.append(1) %}",
    "{% set _ = study.update({'title': 'x'}) %}",
    "{{ '{0.__class__}'.format(study) }}",
    "{{ obj.write_text('x') }}",
    "{{ obj.parent }}",
    "{% include '/etc/passwd' %}",
    "{% include '../outside.j2' %}",
    "{% import '../../x.j2' as x %}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_template_escapes_are_refused(tmp_path: Path, source: str) -> None:
    (tmp_path.parent / "outside.j2").write_text("secret", encoding="utf-8")
    target = tmp_path / "written.txt"
    with pytest.raises(PolicyReportError) as caught:
        _render(tmp_path, source, cases=[], study={"title": "t"}, obj=target)
    assert caught.value.problems[0].path.startswith("templates/")
    assert not target.exists()


def test_pandas_frames_are_not_reachable(tmp_path: Path) -> None:
    import pandas as pd

    target = tmp_path / "x.html"
    with pytest.raises(PolicyReportError, match="unsafe"):
        _render(tmp_path, f"{{{{ frame.to_html('{target}') }}}}", frame=pd.DataFrame())
    assert not target.exists()


def test_plain_data_reads_fine(tmp_path: Path) -> None:
    text = _render(tmp_path, "{% for c in cases %}{{ c.name | josa('은는') }} "
                   "{{ c.found.goal | length }}{{ ', ' if not loop.last }}{% endfor %}",
                   cases=[{"name": "전주시", "found": {"goal": ["a"]}},
                          {"name": "완주군", "found": {"goal": []}}])
    assert markup.unprotect(text) == "전주시는 1, 완주군은 0"


def test_values_with_line_breaks_stay_text(tmp_path: Path) -> None:
    value = "값\n# 가짜 장\r@table matrix | x\u2028## 절"
    text = _render(tmp_path, "# 장\n○ {{ v }}\n{{ v }}\n@table summary:{{ v }} | {{ v }}\n",
                   v=value)
    blocks, problems = parse(text, "t")
    assert problems == []
    assert [b.kind for b in blocks] == ["heading", "bullet", "para", "table"]
    assert blocks[2].text == "값 # 가짜 장 @table matrix | x ## 절"
    assert blocks[3].key == "summary:값 # 가짜 장 @table matrix | x ## 절"


def test_protected_options_and_continuation() -> None:
    line = "@figure counts | " + protect("a | b") + " | unit=" + protect("개;note=x") + "\\"
    blocks, problems = parse(line + "\n계속", "t")
    assert problems == []
    assert blocks[0].text == "a | b"
    assert blocks[0].options == {"unit": "개;note=x 계속"}
    para, _ = parse(protect("끝 \\") + "\n다음", "t")
    assert [b.text for b in para] == ["끝 \\", "다음"]


def test_josa_reads_through_protection() -> None:
    assert wording.josa(protect("창원시"), "을를").endswith("를")
    assert wording.josa(protect("중간지원조직"), "을를").endswith("을")


def test_josa_reads_the_final_sound() -> None:
    cases = {("중간지원조직", "을를"): "중간지원조직을", ("창원시", "을를"): "창원시를",
             ("울산광역시", "은는"): "울산광역시는", ("완주군", "은는"): "완주군은",
             ("'공동체 실현'", "을를"): "'공동체 실현'을", ("서울", "으로로"): "서울로",
             ("전주", "으로로"): "전주로", ("청주시청", "으로로"): "청주시청으로",
             ("2023", "이가"): "2023이", ("5", "과와"): "5와", ("TF", "이가"): "TF가"}
    for (word, pair), expected in cases.items():
        assert wording.josa(word, pair) == expected, (word, pair)


def test_a_particle_after_a_value_is_named(tmp_path: Path) -> None:
    (tmp_path / "x.j2").write_text("□ {{ p.name }}을 비롯한\n○ {{ p.name | josa('을를') }} 본다\n",
                                   encoding="utf-8")
    problems = wording.check_templates(tmp_path)
    assert [(p.path, p.row, p.message) for p in problems] == [
        ("templates/x.j2", 1, "the particle '을' is written after a value")]


def test_the_built_report_has_no_particle_left_to_the_reader(
        study: Path, run: Callable[..., Result]) -> None:
    import re

    from docx import Document

    assert run(study, "build", "-q").exit_code == 0
    document = Document(str(study / "reports" / "benchmark-report.docx"))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    text = "\n".join(texts)
    assert not re.search(r"을\(를\)|를\(을\)|이\(가\)|은\(는\)|과\(와\)|\(으\)로", text)
    for wrong in ("중간지원조직를", "창원시을", "울산광역시은", "완주군는"):
        assert wrong not in text, wrong


def test_compiled_templates_are_kept_on_disk_and_recompiled_when_changed(tmp_path: Path) -> None:
    """A later process loads a template's compiled code from the user's cache folder; a
    changed template is compiled again, and a damaged cache file is compiled over."""
    folder, cache = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    template = folder / "t.j2"
    template.write_text("{{ n }}개 사례", encoding="utf-8")
    env = wording.environment([folder], cache)
    assert markup.unprotect(wording.render(env, "t.j2", {"n": 4}, [folder])) == "4개 사례"
    files = list(cache.glob("*.jinja"))
    assert len(files) == 1
    wording._CompiledTemplates.memory.clear()  # as in a new process
    wording._environment.cache_clear()
    env = wording.environment([folder], cache)
    assert markup.unprotect(wording.render(env, "t.j2", {"n": 5}, [folder])) == "5개 사례"
    template.write_text("{{ n }}개 도시", encoding="utf-8")
    wording._environment.cache_clear()
    env = wording.environment([folder], cache)
    assert markup.unprotect(wording.render(env, "t.j2", {"n": 6}, [folder])) == "6개 도시"
    files[0].write_bytes(b"j2\x00garbage")
    wording._CompiledTemplates.memory.clear()
    wording._environment.cache_clear()
    env = wording.environment([folder], cache)
    assert markup.unprotect(wording.render(env, "t.j2", {"n": 7}, [folder])) == "7개 도시"
    assert files[0].read_bytes() != b"j2\x00garbage"


def test_no_compiled_template_cache_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_REPORT_NO_CACHE", "1")
    assert wording.user_cache() is None
    monkeypatch.delenv("POLICY_REPORT_NO_CACHE")
    assert wording.user_cache() is not None
