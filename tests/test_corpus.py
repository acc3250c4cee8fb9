"""Scoring the auto-coder on an evaluation corpus (documents with gold sheets)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import REPO


def _corpus(folder: Path, part: str = "dev") -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "gold").mkdir()
    (folder / "docs" / "a.txt").write_text(
        "한빛시는 '함께 여는 내일'을 비전으로 정했다.\n"
        "시는 한빛시 공유경제 위원회를 구성했다.\n", encoding="utf-8")
    (folder / "gold" / "a.csv").write_text(
        "element,subcode,value,evidence\n"
        "vision,,함께 여는 내일,'함께 여는 내일'을 비전으로\n"
        "intermediary,center,한빛시 공유센터,없는 근거\n", encoding="utf-8")
    (folder / "corpus.toml").write_text(
        f'part = "{part}"\n[[documents]]\nid = "a"\nfile = "docs/a.txt"\ngenre = "news"\n'
        'case_name = "한빛시"\nlevel = "시"\nfield = "공유경제"\n', encoding="utf-8")
    return folder


def test_corpus_scores_by_element_genre_and_band(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    folder = _corpus(tmp_path / "dev")
    result = run(REPO, "evaluate", "--corpus", str(folder), "--json", "--misses")
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)[str(folder)]
    assert scores["elements"]["vision"]["matched"] == 1
    assert scores["elements"]["intermediary"]["gold"] == 1
    assert scores["elements"]["intermediary"]["matched"] == 0
    assert {"document": "a", "element": "intermediary", "value": "한빛시 공유센터",
            "kind": "missed", "rule": ""} in scores["misses"]
    assert "news" in scores["genres"] and scores["confidence"]


def test_the_unseen_part_never_lists_its_misses(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    folder = _corpus(tmp_path / "unseen", "unseen")
    refused = run(REPO, "evaluate", "--corpus", str(folder), "--misses")
    assert refused.exit_code == 1 and "for measuring only" in refused.stderr
    table = run(REPO, "evaluate", "--corpus", str(folder))
    assert table.exit_code == 0 and "(unseen, 1 documents)" in table.stdout


def test_the_coder_keeps_its_level_on_the_development_corpus(
        run: Callable[..., Result]) -> None:
    """A floor, not a target: a rule change that costs the dev corpus more than a few items
    of any core element fails here (the unseen part is measured, never asserted on).  The
    floors sit about a point under the scores of the corpus as it stands, whose newest batch
    was scored before tuning and is only partly taught (tests/corpus/dev/README.md)."""
    floors = {"vision": (0.96, 0.98), "goal": (0.90, 0.97), "strategy": (0.90, 0.96),
              "governance": (0.94, 0.93), "intermediary": (0.94, 0.93)}  # (recall, precision)
    folder = REPO / "tests" / "corpus" / "dev"
    result = run(REPO, "evaluate", "--corpus", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    elements = json.loads(result.stdout)[str(folder)]["elements"]
    for element, (recall, precision) in floors.items():
        scores = elements[element]
        assert scores["recall"] >= recall and scores["precision"] >= precision, (element, scores)
