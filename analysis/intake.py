"""``add-case``: register a new case and copy its source into ``seeds/`` unchanged.

Everything is checked before anything is written; the registry is rewritten last (atomically,
with tomlkit so its comments and layout survive), and files made earlier are removed again if
that fails.  A bad id, a duplicate or an unreadable file changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from analysis.errors import PolicyReportError, Problem, errors
from analysis.fsio import replace_all
from analysis.registry import CASE_ID, LEVELS, ROLES, valid_date
from analysis.sheets import render_sheet
from analysis.study import Study
from analysis.textio import NotText, decode, forbidden_chars
from analysis.tomlfile import key_line, parse_toml, read_toml


@dataclass(frozen=True)
class NewCase:
    """What the user asked ``add-case`` to register."""

    case_id: str
    name: str
    source: Path
    level: str = ""
    field: str = ""
    role: str = "benchmark"
    plan_title: str = ""
    plan_period: str = ""
    publisher: str = ""
    headline: str = ""
    date: str = ""
    author: str = ""
    url: str = ""
    kind: str = "news"
    chars: tuple[int, int] | None = None


@dataclass(frozen=True)
class Added:
    """What ``add-case`` wrote."""

    case_id: str
    source_id: str
    seed: str
    copied: bool
    sheet: str


def infer_level(name: str) -> str:
    """Return the administrative level a Korean place name implies, or "" when unsure."""
    for suffix in ("특별자치시", "특별자치도", "특별시", "광역시", "특례시"):
        if name.endswith(suffix):
            return suffix
    if name.endswith("도") and len(name) <= 4:
        return "도"
    for suffix in ("군", "구", "시"):
        if name.endswith(suffix):
            return suffix
    return ""


def add_case(study: Study, new: NewCase) -> Added:
    """Register ``new`` in the study; return what was written, or raise listing every problem."""
    rel = study.rel(study.cases_file)
    problems: list[Problem] = []
    text = _registry_text(study, rel, problems)
    document = parse_toml(text, rel)[0] if text else None
    document_data = document.data if document else {}
    cases = document_data.get("cases", {})
    sources = document_data.get("sources", {})

    if not CASE_ID.match(new.case_id):
        problems.append(Problem("add-case", None, "ID", f"{new.case_id!r} is not a valid case id",
                                "use 2-32 lower-case ASCII letters, digits or '_', starting "
                                "with a letter (e.g. busan)"))
    elif new.case_id in cases:
        problems.append(Problem(rel, key_line(text or "", ("cases", new.case_id)),
                                f"[cases.{new.case_id}]",
                                f"case {new.case_id!r} is already registered",
                                "choose another id, or edit the existing case"))
    if not new.name.strip():
        problems.append(Problem("add-case", None, "--name", "name is empty",
                                "give the Korean name, e.g. --name 부산광역시"))
    level = new.level or infer_level(new.name.strip())
    if level not in LEVELS:
        problems.append(Problem("add-case", None, "--level",
                                f"level {level!r} is unknown" if level else
                                "level cannot be told from the name",
                                f"pass --level, one of: {', '.join(LEVELS)}"))
    if new.role not in ROLES:
        problems.append(Problem("add-case", None, "--role", f"unknown role {new.role!r}",
                                'use "home" or "benchmark"'))
    if new.date and not valid_date(new.date):
        problems.append(Problem("add-case", None, "--date", f"{new.date!r} is not a date",
                                "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM"))
    if new.role == "home":
        homes = [cid for cid, raw in cases.items()
                 if isinstance(raw, dict) and raw.get("role") == "home"]
        if homes:
            problems.append(Problem("add-case", None, "--role",
                                    f"the study already has a home case: {homes[0]}",
                                    "a study has one home case; add this one as a benchmark"))
    for option, value in _texts(new):
        bad = forbidden_chars(value)
        if bad:
            problems.append(Problem("add-case", None, option,
                                    f"control character {', '.join(bad)} in the value",
                                    "retype the value without it (it often comes with text "
                                    "pasted from a PDF or web page)"))
        elif "\n" in value or "\r" in value:
            problems.append(Problem("add-case", None, option, "the value has a line break",
                                    "give it on one line"))
    data, encoding = _read_source(new, problems)
    if problems:
        raise PolicyReportError(problems)
    assert text is not None and data is not None

    seeds = study.seeds_dir
    digest = hashlib.sha256(data).hexdigest()
    existing = _same_file(seeds, data)
    suffix = new.source.suffix or ".txt"
    seed_path = existing or seeds / f"{_next_number(seeds):03d}_{digest[:16]}{suffix}"
    source_id = _free_id(f"{new.case_id}-", sources)
    sheet_path = study.sheet_path(new.case_id)
    addition = _tables(new, level, source_id, study.rel(seed_path), digest, encoding)
    separator = "" if not text or text.endswith("\n\n") else (
        "\n" if text.endswith("\n") else "\n\n")
    files = {study.cases_file: (text + separator + addition).encode("utf-8")}
    if existing is None:
        files[seed_path] = data
    if not sheet_path.exists():
        files[sheet_path] = render_sheet([])
    # the seed, the sheet and the registry appear together or not at all
    replace_all(files, {path: study.rel(path) for path in files})
    return Added(new.case_id, source_id, study.rel(seed_path), existing is None,
                 study.rel(sheet_path))


def _registry_text(study: Study, rel: str, problems: list[Problem]) -> str | None:
    """Return the registry's text (empty for a new study) when it parses, else None."""
    parsed, found = read_toml(study.cases_file, rel)
    if errors(found):
        problems += errors(found)
        problems.append(Problem(rel, None, None, "the registry cannot be read",
                                "run policy-report validate and fix the registry first"))
        return None
    return parsed.text if parsed else ""


def _texts(new: NewCase) -> list[tuple[str, str]]:
    names = ("name", "level", "field", "plan_title", "plan_period", "publisher", "headline",
             "date", "author", "url", "kind")
    return [(f"--{n.replace('_', '-')}", str(getattr(new, n))) for n in names]


def _read_source(new: NewCase, problems: list[Problem]) -> tuple[bytes | None, str]:
    path = new.source
    if not path.is_file():
        problems.append(Problem(str(path), None, None, "source file not found",
                                "check the path given to --source"))
        return None, ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(path), None, None, f"cannot read the file: {exc.strerror}",
                                "check its permissions"))
        return None, ""
    try:
        decoded = decode(data)
    except NotText as exc:
        problems.append(Problem(str(path), None, None, f"not a text file: {exc}",
                                "save the article as plain text (.txt, UTF-8) first"))
        return None, ""
    if not decoded.text.strip():
        problems.append(Problem(str(path), None, None, "the file is empty",
                                "save the article's text into it first"))
    if new.chars and not (0 <= new.chars[0] < new.chars[1] <= len(decoded.text)):
        problems.append(Problem("add-case", None, "--chars",
                                f"range {new.chars[0]}:{new.chars[1]} is outside the file's "
                                f"{len(decoded.text)} characters", "fix the range"))
    return data, decoded.encoding


def _same_file(seeds: Path, data: bytes) -> Path | None:
    if not seeds.is_dir():
        return None
    return next((p for p in sorted(seeds.iterdir()) if p.is_file() and p.read_bytes() == data),
                None)


def _next_number(seeds: Path) -> int:
    numbers = [int(m.group(1)) for p in seeds.glob("*") if (m := re.match(r"^(\d+)_", p.name))]
    return max(numbers, default=-1) + 1


def _free_id(prefix: str, taken: object) -> str:
    number = 1
    while f"{prefix}{number}" in taken:  # type: ignore[operator]
        number += 1
    return f"{prefix}{number}"


def _tables(new: NewCase, level: str, source_id: str, seed: str, digest: str,
            encoding: str) -> str:
    """Return the TOML text of the new ``[cases.ID]`` and ``[sources.ID]`` tables."""
    case = tomlkit.table()
    case.add("name", new.name.strip())
    case.add("level", level)
    case.add("field", new.field)
    case.add("role", new.role)
    if new.plan_title:
        case.add("plan_title", new.plan_title)
    if new.plan_period:
        case.add("plan_period", new.plan_period)
    case.add("sources", [source_id])
    source = tomlkit.table()
    source.add("file", seed)
    if new.chars:
        source.add("chars", list(new.chars))
    source.add("sha256", digest)
    if encoding != "utf-8":
        source.add("encoding", encoding)
    source.add("kind", new.kind)
    for key in ("publisher", "headline", "date", "author", "url"):
        value = getattr(new, key)
        if value:
            source.add(key, value)
    document = tomlkit.document()
    cases = tomlkit.table(is_super_table=True)
    cases.add(new.case_id, case)
    document.add("cases", cases)
    sources = tomlkit.table(is_super_table=True)
    sources.add(source_id, source)
    document.add("sources", sources)
    return tomlkit.dumps(document)


@dataclass(frozen=True)
class Removed:
    """What ``remove-case`` changed."""

    case_id: str
    sources: tuple[str, ...]  # source ids dropped from the registry (files stay in seeds/)
    sheet: str  # where the case's sheet went ("" when it had none)
    accepted: int


def remove_case(study: Study, case_id: str, force: bool = False) -> Removed:
    """Drop ``case_id`` from the registry; refuse while it has accepted items, unless ``force``.

    The case's sources that no other case uses leave the registry; their files stay in
    ``seeds/`` (sources are kept as received).  The coding sheet is moved to
    ``sheets/removed/`` rather than deleted, so reviewed work can be restored.
    """
    rel = study.rel(study.cases_file)
    problems: list[Problem] = []
    text = _registry_text(study, rel, problems)
    if text is None:
        raise PolicyReportError(problems)
    document = tomlkit.parse(text)
    cases = document.get("cases", {})
    if case_id not in cases:
        known = ", ".join(cases) or "none"
        raise PolicyReportError(Problem("remove-case", None, "ID", f"unknown case {case_id!r}",
                                        f"registered cases: {known}"))
    sheet_path = study.sheet_path(case_id)
    accepted = 0
    if sheet_path.is_file():
        from analysis.sheets import read_sheet

        sheet, _ = read_sheet(sheet_path, case_id, study.rel(sheet_path))
        accepted = sum(1 for i in sheet.items if i.status == "accepted")
    if accepted and not force:
        raise PolicyReportError(Problem(
            study.rel(sheet_path), None, None,
            f"case {case_id!r} has {accepted} accepted item{'s' if accepted != 1 else ''}",
            "reviewed work would leave the report: reject the items first, or pass --force "
            "(the sheet is kept in sheets/removed/)"))
    mine = [str(s) for s in cases[case_id].get("sources", [])]
    others = {str(s) for cid, case in cases.items() if cid != case_id
              for s in case.get("sources", [])}
    dropped = tuple(s for s in mine if s not in others)
    del cases[case_id]
    sources = document.get("sources", {})
    for sid in dropped:
        if sid in sources:
            del sources[sid]
    files: dict[Path, bytes | None] = {study.cases_file: tomlkit.dumps(document).encode("utf-8")}
    moved = ""
    if sheet_path.is_file():
        target = study.sheets_dir / "removed" / sheet_path.name
        number = 2
        while target.exists():
            target = study.sheets_dir / "removed" / f"{case_id}-{number}.csv"
            number += 1
        files[target] = sheet_path.read_bytes()
        files[sheet_path] = None
        moved = study.rel(target)
    replace_all(files, {path: study.rel(path) for path in files})
    return Removed(case_id, dropped, moved, accepted)
