"""``policy-report add-case``: registers a case, copies its source unchanged, or changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from analysis.intake import infer_level

ARTICLE = "부산광역시는 1일 '공유로 여는 부산'이라는 비전을 발표했다.\n".encode()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_add_case_registers_and_copies_bytes(study: Path, tmp_path: Path,
                                             run: Callable[..., Result]) -> None:
    article = tmp_path / "busan.txt"
    article.write_bytes(ARTICLE)
    result = run(study, "add-case", "busan", "--name", "부산광역시", "--source", str(article),
                 "--publisher", "부산일보", "--date", "2024-05-01", "--headline", "공유도시 부산")
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256(ARTICLE).hexdigest()
    seed = study / "seeds" / f"005_{digest[:16]}.txt"
    assert seed.read_bytes() == ARTICLE
    assert result.stdout == ("added case busan with 1 source, sheet sheets/busan.csv\n"
                             f"  source busan-1: txt, copied to seeds/{seed.name}\n"
                             "next: policy-report code busan\n")
    registry = (study / "cases.toml").read_text(encoding="utf-8")
    assert "[cases.busan]\nname = \"부산광역시\"\nlevel = \"광역시\"" in registry
    assert f'sha256 = "{digest}"' in registry
    assert registry.startswith("# Case registry of the study")  # comments kept
    assert run(study, "validate").exit_code == 0


def test_cp949_source_is_kept_as_received(study: Path, tmp_path: Path,
                                          run: Callable[..., Result]) -> None:
    data = "김해시 공유경제 계획 발표".encode("cp949")
    article = tmp_path / "gimhae.txt"
    article.write_bytes(data)
    assert run(study, "add-case", "gimhae", "--name", "김해시", "--source",
               str(article)).exit_code == 0
    assert (study / "seeds" / f"005_{hashlib.sha256(data).hexdigest()[:16]}.txt"
            ).read_bytes() == data
    assert 'encoding = "cp949"' in (study / "cases.toml").read_text(encoding="utf-8")
    assert run(study, "validate").exit_code == 0


def test_a_file_already_in_seeds_is_reused(study: Path, run: Callable[..., Result]) -> None:
    seed = study / "seeds" / "004_4a12fc6ad7d7aea4.txt"
    result = run(study, "add-case", "ulsan2", "--name", "울산광역시", "--source", str(seed))
    assert result.exit_code == 0
    assert "already in seeds as seeds/004_4a12fc6ad7d7aea4.txt" in result.stdout
    assert len(list((study / "seeds").iterdir())) == 5


@pytest.mark.parametrize(("args", "expected"), [
    (["Busan!", "--name", "부산광역시"],
     "add-case: ID: 'Busan!' is not a valid case id\n"
     "    hint: use 2-32 lower-case ASCII letters, digits or '_', starting with a letter "
     "(e.g. busan)\n1 problem.\n"),
    (["ulsan", "--name", "울산광역시"],
     "cases.toml:101: [cases.ulsan]: case 'ulsan' is already registered\n"
     "    hint: choose another id, or add a source to it with policy-report add-source\n"
     "1 problem.\n"),
    (["seoul", "--name", "서울", "--date", "2024/01"],
     "add-case: --level: level cannot be told from the name\n"
     "    hint: pass --level, one of: "
     "특별시, 광역시, 특별자치시, 도, 특별자치도, 특례시, 시, 군, 구\n"
     "add-case: --date: '2024/01' is not a date\n"
     "    hint: write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM\n2 problems.\n"),
])
def test_bad_requests_change_nothing(study: Path, tmp_path: Path, run: Callable[..., Result],
                                     args: list[str], expected: str) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(ARTICLE)
    before = snapshot(study)
    result = run(study, "add-case", *args, "--source", str(article))
    assert result.exit_code == 1
    assert result.stderr == expected
    assert snapshot(study) == before


@pytest.mark.parametrize(("content", "message"), [
    (None, "source file not found"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00",
     "not a format this tool reads (PDF, HWP, HWPX, DOCX, HTML or text)"),
    (b"", "the file is empty"),
])
def test_unreadable_sources_change_nothing(study: Path, tmp_path: Path,
                                           run: Callable[..., Result], content: bytes | None,
                                           message: str) -> None:
    article = tmp_path / "a.txt"
    if content is not None:
        article.write_bytes(content)
    before = snapshot(study)
    result = run(study, "add-case", "busan", "--name", "부산광역시", "--source", str(article))
    assert result.exit_code == 1
    assert f"{article}: {message}" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(study) == before


def test_level_told_from_name() -> None:
    assert infer_level("부산광역시") == "광역시"
    assert infer_level("세종특별자치시") == "특별자치시"
    assert infer_level("완주군") == "군"
    assert infer_level("전주시") == "시"
    assert infer_level("서울") == ""
