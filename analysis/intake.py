"""Changes to the case registry: ``add-case``, ``add-source`` and ``remove-case``.

A source may be a text file, a PDF, an HWP 5 or HWPX file, a DOCX or a saved web page,
recognised by its content.  It is read (and its text cached) before anything is written;
a file the tool cannot read (a scanned PDF without a text layer, an encrypted file, an
empty document) is refused with what to do, and nothing is registered or copied.  The
source is then copied into ``seeds/`` byte for byte and pinned by its sha256; the seed, the
new sheet and the registry are written together or not at all.  A web page's own metadata
(title, date, publisher, author, address) fills in what the command line did not give.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from analysis.documents import Document, ExtractionError, extract
from analysis.documents.cache import store
from analysis.errors import PolicyReportError, Problem, errors
from analysis.fsio import replace_all
from analysis.registry import CASE_ID, LEVELS, ROLES, text_cache, valid_date
from analysis.sheets import render_sheet
from analysis.study import Study
from analysis.textio import forbidden_chars
from analysis.tomlfile import key_line, read_toml

SUFFIX = {"txt": ".txt", "pdf": ".pdf", "hwp": ".hwp", "hwpx": ".hwpx", "docx": ".docx",
          "html": ".html"}
KIND_BY_FORMAT = {"html": "news", "txt": "news"}  # others: "plan"
PROVENANCE = ("publisher", "headline", "date", "author", "url")


@dataclass(frozen=True)
class SourceFile:
    """A file to register as a source, optionally only some of its pages or characters."""

    path: Path
    pages: tuple[int, int] | None = None
    chars: tuple[int, int] | None = None


@dataclass(frozen=True)
class Provenance:
    """What is known of a source: kind and publication facts ("" when not given)."""

    kind: str = ""
    publisher: str = ""
    headline: str = ""
    date: str = ""
    author: str = ""
    url: str = ""


@dataclass(frozen=True)
class NewCase:
    """What the user asked ``add-case`` to register."""

    case_id: str
    name: str
    sources: tuple[SourceFile, ...]
    level: str = ""
    field: str = ""
    role: str = "benchmark"
    plan_title: str = ""
    plan_period: str = ""
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class AddedSource:
    """One source as registered."""

    source_id: str
    seed: str
    copied: bool
    format: str
    pages: int | None  # pages the extracted text spans (paged formats)
    filled: tuple[str, ...]  # provenance taken from the file's own metadata


@dataclass(frozen=True)
class Added:
    """What ``add-case`` wrote."""

    case_id: str
    sources: tuple[AddedSource, ...]
    sheet: str
    notes: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Prepared:
    file: SourceFile
    data: bytes
    document: Document
    provenance: Provenance
    filled: tuple[str, ...]


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


def _nfc(value: str, option: str, notes: list[Problem]) -> str:
    normal = unicodedata.normalize("NFC", value)
    if normal != value:
        notes.append(Problem("add-case", None, option,
                             "decomposed Hangul (NFD, as macOS types it) stored as NFC",
                             "nothing to do", level="note"))
    return normal


def _check_text(option: str, value: str, command: str, problems: list[Problem]) -> None:
    bad = forbidden_chars(value)
    if bad:
        problems.append(Problem(command, None, option,
                                f"control character {', '.join(bad)} in the value",
                                "retype the value without it (it often comes with text "
                                "pasted from a PDF or web page)"))
    elif "\n" in value or "\r" in value:
        problems.append(Problem(command, None, option, "the value has a line break",
                                "give it on one line"))


def _check_provenance(given: Provenance, command: str, problems: list[Problem],
                      notes: list[Problem]) -> Provenance:
    values = {}
    for key in ("kind", *PROVENANCE):
        value = _nfc(getattr(given, key).strip(), f"--{key}", notes)
        _check_text(f"--{key}", value, command, problems)
        values[key] = value
    if values["date"] and not valid_date(values["date"]):
        problems.append(Problem(command, None, "--date", f"{values['date']!r} is not a date",
                                "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM"))
    return Provenance(**values)


def _prepare(study: Study, file: SourceFile, given: Provenance, command: str,
             problems: list[Problem]) -> _Prepared | None:
    """Read and extract a source file; note every problem; None when it cannot be used."""
    path = file.path
    label = str(path)
    if path.is_dir():
        problems.append(Problem(label, None, None, "is a directory (folder), not a file",
                                "name the document itself"))
        return None
    if not path.is_file():
        problems.append(Problem(label, None, None, "source file not found",
                                "check the path given"))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, None, None, f"cannot read the file: {exc.strerror}",
                                "check its permissions"))
        return None
    try:
        document = extract(data, path.name, file.pages)  # cached once registered
    except ExtractionError as exc:
        problems.append(Problem(label, None, None, exc.message, exc.hint))
        return None
    if not document.text.strip():
        problems.append(Problem(label, None, None, "the document holds no text",
                                "save the article's or plan's text into it first"))
        return None
    if file.chars and not (0 <= file.chars[0] < file.chars[1] <= len(document.text)):
        problems.append(Problem(command, None, "--chars",
                                f"range {file.chars[0]}:{file.chars[1]} is outside the "
                                f"text's {len(document.text)} characters", "fix the range"))
    filled = []
    values = {key: getattr(given, key) for key in ("kind", *PROVENANCE)}
    meta = {"headline": document.meta.get("title", ""), "date": document.meta.get("date", ""),
            "publisher": document.meta.get("publisher", ""),
            "author": document.meta.get("author", ""), "url": document.meta.get("url", "")}
    for key, value in meta.items():
        value = " ".join(unicodedata.normalize("NFC", value).split())
        if not values[key] and value and not forbidden_chars(value) and \
                (key != "date" or valid_date(value)):
            values[key] = value
            filled.append(key)
    values["kind"] = values["kind"] or KIND_BY_FORMAT.get(document.format, "plan")
    return _Prepared(file, data, document, Provenance(**values), tuple(filled))


def _registry(study: Study, problems: list[Problem]) -> tuple[str, dict[str, Any]] | None:
    """Return the registry's text and data (empty for a new study), or None when broken."""
    rel = study.rel(study.cases_file)
    parsed, found = read_toml(study.cases_file, rel)
    if errors(found):
        problems += errors(found)
        problems.append(Problem(rel, None, None, "the registry cannot be read",
                                "run policy-report validate and fix the registry first"))
        return None
    return (parsed.text, parsed.data) if parsed else ("", {})


class _Seeds:
    """Where new sources' files go in ``seeds/``, reusing a file already there."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.folder = study.seeds_dir
        self.number = _next_number(self.folder)

    def place(self, prepared: _Prepared) -> tuple[Path, bool]:
        existing = _same_file(self.folder, prepared.data)
        if existing is not None:
            return existing, False
        digest = hashlib.sha256(prepared.data).hexdigest()
        path = self.folder / f"{self.number:03d}_{digest[:16]}{SUFFIX[prepared.document.format]}"
        self.number += 1
        return path, True


def _source_table(prepared: _Prepared, seed: str) -> tomlkit.items.Table:
    source = tomlkit.table()
    source.add("file", seed)
    if prepared.file.pages:
        source.add("pages", list(prepared.file.pages))
    if prepared.file.chars:
        source.add("chars", list(prepared.file.chars))
    source.add("sha256", hashlib.sha256(prepared.data).hexdigest())
    encoding = prepared.document.meta.get("encoding", "utf-8")
    if prepared.document.format == "txt" and encoding != "utf-8":
        source.add("encoding", encoding)
    source.add("kind", prepared.provenance.kind)
    for key in PROVENANCE:
        value = getattr(prepared.provenance, key)
        if value:
            source.add(key, value)
    return source


def _added(study: Study, prepared: _Prepared, source_id: str, seed: Path,
           copied: bool) -> AddedSource:
    return AddedSource(source_id, study.rel(seed), copied, prepared.document.format,
                       prepared.document.pages if prepared.document.format == "pdf" else None,
                       prepared.filled)


def add_case(study: Study, new: NewCase) -> Added:
    """Register ``new`` with all its sources; return what was written, or raise listing every
    problem (nothing is written then)."""
    rel = study.rel(study.cases_file)
    problems: list[Problem] = []
    notes: list[Problem] = []
    registry = _registry(study, problems)
    text, data = registry if registry else ("", {})
    cases = data.get("cases", {}) if isinstance(data.get("cases"), dict) else {}
    sources = data.get("sources", {}) if isinstance(data.get("sources"), dict) else {}
    name = _nfc(new.name.strip(), "--name", notes)
    if not CASE_ID.match(new.case_id):
        problems.append(Problem("add-case", None, "ID", f"{new.case_id!r} is not a valid case id",
                                "use 2-32 lower-case ASCII letters, digits or '_', starting "
                                "with a letter (e.g. busan)"))
    elif new.case_id in cases:
        problems.append(Problem(rel, key_line(text, ("cases", new.case_id)),
                                f"[cases.{new.case_id}]",
                                f"case {new.case_id!r} is already registered",
                                "choose another id, or add a source to it with "
                                "policy-report add-source"))
    if not name:
        problems.append(Problem("add-case", None, "--name", "name is empty",
                                "give the Korean name, e.g. --name 부산광역시"))
    level = new.level or infer_level(name)
    if level not in LEVELS:
        problems.append(Problem("add-case", None, "--level",
                                f"level {level!r} is unknown" if level else
                                "level cannot be told from the name",
                                f"pass --level, one of: {', '.join(LEVELS)}"))
    if new.role not in ROLES:
        problems.append(Problem("add-case", None, "--role", f"unknown role {new.role!r}",
                                'use "home" or "benchmark"'))
    if new.role == "home":
        homes = [cid for cid, raw in cases.items()
                 if isinstance(raw, dict) and raw.get("role") == "home"]
        if homes:
            problems.append(Problem("add-case", None, "--role",
                                    f"the study already has a home case: {homes[0]}",
                                    "a study has one home case; add this one as a benchmark"))
    texts = {"--name": name, "--level": new.level, "--field": new.field,
             "--plan-title": new.plan_title, "--plan-period": new.plan_period}
    for option, value in texts.items():
        _check_text(option, value, "add-case", problems)
    if not new.sources:
        problems.append(Problem("add-case", None, "--source", "no source given",
                                "give at least one --source FILE"))
    given = _check_provenance(new.provenance, "add-case", problems, notes)
    prepared = [p for f in new.sources
                if (p := _prepare(study, f, given, "add-case", problems)) is not None]
    if problems or registry is None:
        raise PolicyReportError(problems)

    seeds = _Seeds(study)
    case = tomlkit.table()
    case.add("name", name)
    case.add("level", level)
    case.add("field", _nfc(new.field.strip(), "--field", notes))
    case.add("role", new.role)
    if new.plan_title:
        case.add("plan_title", _nfc(new.plan_title.strip(), "--plan-title", notes))
    if new.plan_period:
        case.add("plan_period", new.plan_period.strip())
    table_of_sources = tomlkit.table(is_super_table=True)
    files: dict[Path, bytes | None] = {}
    added = []
    ids: list[str] = []
    for item in prepared:
        seed, copied = seeds.place(item)
        source_id = _free_id(f"{new.case_id}-", {*sources, *ids})
        ids.append(source_id)
        table_of_sources.add(source_id, _source_table(item, study.rel(seed)))
        if copied:
            files[seed] = item.data
        added.append(_added(study, item, source_id, seed, copied))
    case.add("sources", ids)
    document = tomlkit.document()
    cases_table = tomlkit.table(is_super_table=True)
    cases_table.add(new.case_id, case)
    document.add("cases", cases_table)
    document.add("sources", table_of_sources)
    separator = "" if not text or text.endswith("\n\n") else (
        "\n" if text.endswith("\n") else "\n\n")
    files[study.cases_file] = (text + separator + tomlkit.dumps(document)).encode("utf-8")
    sheet_path = study.sheet_path(new.case_id)
    if not sheet_path.exists():
        files[sheet_path] = render_sheet([])
    # the seeds, the sheet and the registry appear together or not at all
    replace_all(files, {path: study.rel(path) for path in files}, journal=study.root)
    for item in prepared:
        store(item.document, item.data, text_cache(study), item.file.pages)
    return Added(new.case_id, tuple(added), study.rel(sheet_path), tuple(notes))


def add_source(study: Study, case_id: str, file: SourceFile,
               provenance: Provenance = Provenance()) -> tuple[AddedSource, tuple[Problem, ...]]:
    """Register one more source of an existing case; return it and any notes."""
    rel = study.rel(study.cases_file)
    problems: list[Problem] = []
    notes: list[Problem] = []
    registry = _registry(study, problems)
    text, data = registry if registry else ("", {})
    cases = data.get("cases", {}) if isinstance(data.get("cases"), dict) else {}
    if registry is not None and case_id not in cases:
        problems.append(Problem("add-source", None, "CASE", f"unknown case {case_id!r}",
                                f"registered cases: {', '.join(cases) or 'none'}; register a "
                                "new one with policy-report add-case"))
    given = _check_provenance(provenance, "add-source", problems, notes)
    prepared = _prepare(study, file, given, "add-source", problems)
    if prepared is not None and registry is not None:
        digest = hashlib.sha256(prepared.data).hexdigest()
        for sid, raw in (data.get("sources") or {}).items():
            if (isinstance(raw, dict) and raw.get("sha256") == digest
                    and raw.get("pages") == (list(file.pages) if file.pages else None)
                    and raw.get("chars") == (list(file.chars) if file.chars else None)):
                problems.append(Problem(rel, key_line(text, ("sources", sid)),
                                        f"[sources.{sid}]",
                                        f"this file is already registered as {sid!r}",
                                        "register another part of it with --pages or --chars, "
                                        "or leave it"))
    if problems or prepared is None or registry is None:
        raise PolicyReportError(problems)
    seed, copied = _Seeds(study).place(prepared)
    document = tomlkit.parse(text)
    source_id = _free_id(f"{case_id}-", set(document.get("sources", {})))
    document["cases"][case_id]["sources"].append(source_id)
    if "sources" not in document:
        document.add("sources", tomlkit.table(is_super_table=True))
    document["sources"].add(source_id, _source_table(prepared, study.rel(seed)))
    files: dict[Path, bytes | None] = {study.cases_file: tomlkit.dumps(document).encode("utf-8")}
    if copied:
        files[seed] = prepared.data
    replace_all(files, {path: study.rel(path) for path in files}, journal=study.root)
    store(prepared.document, prepared.data, text_cache(study), file.pages)
    return _added(study, prepared, source_id, seed, copied), tuple(notes)


def _same_file(seeds: Path, data: bytes) -> Path | None:
    if not seeds.is_dir():
        return None
    return next((p for p in sorted(seeds.iterdir()) if p.is_file() and p.stat().st_size == len(data)
                 and p.read_bytes() == data), None)


def _next_number(seeds: Path) -> int:
    numbers = [int(m.group(1)) for p in seeds.glob("*") if (m := re.match(r"^(\d+)_", p.name))]
    return max(numbers, default=-1) + 1


def _free_id(prefix: str, taken: set[str] | dict[str, object]) -> str:
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


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
    problems: list[Problem] = []
    registry = _registry(study, problems)
    if registry is None:
        raise PolicyReportError(problems)
    document = tomlkit.parse(registry[0])
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
    replace_all(files, {path: study.rel(path) for path in files}, journal=study.root)
    return Removed(case_id, dropped, moved, accepted)
