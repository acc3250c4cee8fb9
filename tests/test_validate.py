"""``policy-report validate`` on the committed study and on broken registries and sources."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import REPO

SEED_HASHES = {
    "000_14a323ed3c2bbd92.txt": "be74fe46f93ba8ac2c3e174c211682e8bd8809490679a2df6a4e183f6e278c5c",
    "001_7766f06f54c7cb55.txt": "60c7314cae0ca1362a62273886ce1232245aab12a0bf76cd8ea30117cdaa63be",
    "002_8fc914f1ecfbe504.txt": "90bdb61c05e439fe987bcbc26540c088f5ef479c7a1b49dbe21a5c206e34b65b",
    "003_a98901e573a42a66.txt": "6c8e65776848b3dbe99d9746f173ff32cc68727d9c172e0dc0fe1328a7b37900",
    "004_4a12fc6ad7d7aea4.txt": "f548a53f8ac86079406b8ffbd55991b14bf34113b953f0d0a254d06c83c02f4a",
}


def test_seeds_are_the_received_bytes() -> None:
    for name, digest in SEED_HASHES.items():
        assert hashlib.sha256((REPO / "seeds" / name).read_bytes()).hexdigest() == digest


def test_committed_study_validates(run: Callable[..., Result]) -> None:
    result = run(REPO, "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK: 5 cases, 8 sources, 10 elements, ")


def test_sheet_for_unregistered_case(study: Path, run: Callable[..., Result]) -> None:
    (study / "sheets" / "ulsen.csv").write_bytes((study / "sheets" / "ulsan.csv").read_bytes())
    result = run(study, "validate")
    assert result.exit_code == 1
    assert result.stderr == (
        "sheets/ulsen.csv: sheet for unregistered case 'ulsen'\n"
        "    hint: rename it to ulsan.csv, or register the case in cases.toml with "
        "policy-report add-case\n"
        "1 problem.\n")


def test_missing_and_binary_and_edited_sources(study: Path, run: Callable[..., Result]) -> None:
    (study / "seeds" / "000_14a323ed3c2bbd92.txt").unlink()
    (study / "seeds" / "004_4a12fc6ad7d7aea4.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00junk")
    seed = study / "seeds" / "003_a98901e573a42a66.txt"
    seed.write_bytes(seed.read_bytes().replace("전주시".encode(), "전주군".encode(), 1))
    result = run(study, "validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("cases.toml: [sources.changwon-nocut] file: source file "
            "'seeds/000_14a323ed3c2bbd92.txt' is missing") in lines
    assert "seeds/004_4a12fc6ad7d7aea4.txt: file differs from the one registered (sha256 " \
           "mismatch)" in lines
    assert "seeds/004_4a12fc6ad7d7aea4.txt: not a format this tool reads (PDF, HWP, HWPX, " \
           "DOCX, HTML or text)" in lines
    assert "seeds/003_a98901e573a42a66.txt: file differs from the one registered (sha256 " \
           "mismatch)" in lines
    assert lines[-1] == "4 problems."


def test_every_problem_of_every_file_in_one_run(study: Path, run: Callable[..., Result]) -> None:
    cases = study / "cases.toml"
    text = cases.read_text(encoding="utf-8")
    text = text.replace('level = "광역시"', 'level = "광역"').replace(
        'sources = ["cheongju-ksen"]', 'sources = ["cheongju-ksen", "cheongju-x"]')
    cases.write_text(text, encoding="utf-8")
    broken = Path(__file__).parent / "broken"
    (study / "sheets" / "ulsan.csv").write_bytes((broken / "unknown_element.csv").read_bytes())
    (study / "sheets" / "wanju.csv").write_bytes((broken / "junk.csv").read_bytes())
    result = run(study, "validate")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert lines == [
        "cases.toml:103: [cases.ulsan] level: unknown level '광역'",
        "cases.toml:123: [cases.cheongju] sources: unknown source 'cheongju-x'",
        "sheets/ulsan.csv:2: element: unknown element 'visoin'",
        "sheets/wanju.csv: not a CSV text file: binary data (NUL or control bytes), not text",
        "4 problems.",
    ]


def test_broken_registry_toml(study: Path, run: Callable[..., Result]) -> None:
    cases = study / "cases.toml"
    cases.write_text(cases.read_text(encoding="utf-8").replace('name = "창원시"', 'name = "창원시'),
                     encoding="utf-8")
    result = run(study, "validate")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("cases.toml:18: not valid TOML:")


def test_no_study_folder(tmp_path: Path, run: Callable[..., Result]) -> None:
    result = run(tmp_path, "validate")
    assert result.exit_code == 1
    assert "study.toml is missing" in result.stderr
    assert "hint: run policy-report in the study folder, or pass --root DIR" in result.stderr


def test_a_stale_location_is_said_and_the_evidence_found_again(
        study: Path, run: Callable[..., Result]) -> None:
    """A location that no longer holds its evidence (a newer reader gives the source's text a
    little differently, or a range typed by hand) is a note, not an error: the evidence is
    found where it stands, and the report is still built."""
    import csv
    import io

    path = study / "sheets" / "ulsan.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    column = header.index("location")
    row = next(n for n, r in enumerate(rows[1:], start=1) if r[column])
    start, end = (int(x) for x in rows[row][column].split("-"))
    rows[row][column] = f"{start + 3}-{end + 3}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    result = run(study, "validate")
    assert result.exit_code == 0, result.stderr
    assert f"sheets/ulsan.csv:{row + 1}: location: note: {start + 3}-{end + 3} does not " \
           f"hold the evidence; it stands at {start}-{end}, which is used" in result.output
    assert run(study, "build", "--no-page-numbers").exit_code == 0
