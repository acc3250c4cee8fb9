"""The case registry (``cases.toml``): which cases the study compares, and their sources.

A *case* is a city (or county) with its level, policy field and plan.  A *source* is a file in
``seeds/`` **or a part of one** (``chars = [start, end]``, character offsets into the decoded
file, end excluded), with its provenance: publisher, headline, date, author, address.  Files in
``seeds/`` are kept byte for byte as received; ``sha256`` pins each one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.documents import Document, ExtractionError, cached_extract
from analysis.errors import Problem, errors
from analysis.study import Study
from analysis.tomlfile import key_line, read_toml

CASE_ID = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
LEVELS = ("특별시", "광역시", "특별자치시", "도", "특별자치도", "특례시", "시", "군", "구")
ROLES = ("home", "benchmark")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}( \d{2}:\d{2}(:\d{2})?)?)?)?$")

CASE_KEYS = {"name", "level", "field", "role", "plan_title", "plan_period", "sources", "note"}
SOURCE_KEYS = {"file", "chars", "pages", "sha256", "encoding", "kind", "publisher", "headline",
               "date", "author", "url", "note"}
PAGED = ("pdf",)  # formats whose sources are cited by page


def valid_date(text: str) -> bool:
    """Return True for YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] naming a real
    moment (no 13th month, no 30 February, no 25 o'clock)."""
    if not DATE.match(text):
        return False
    from datetime import datetime

    parts = [int(p) for p in text.replace(" ", "-").replace(":", "-").split("-")]
    year, month, day, hour, minute, second = [*parts, *(1, 1, 0, 0, 0)[len(parts) - 1:]][:6]
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return 1900 <= year <= 2100


@dataclass(frozen=True)
class Source:
    """One source: a file, or a character range of it, with its provenance."""

    id: str
    file: str
    chars: tuple[int, int] | None = None
    pages: tuple[int, int] | None = None  # a chapter of a long plan: first and last page
    sha256: str = ""
    encoding: str = "utf-8"
    kind: str = "news"
    publisher: str = ""
    headline: str = ""
    date: str = ""
    author: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Case:
    """One case (a city or county) of the study."""

    id: str
    name: str
    level: str
    field: str
    role: str
    plan_title: str = ""
    plan_period: str = ""
    sources: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_home(self) -> bool:
        return self.role == "home"


@dataclass(frozen=True)
class Registry:
    """All cases and sources of a study, in file order."""

    cases: dict[str, Case]
    sources: dict[str, Source]

    @property
    def home(self) -> Case | None:
        return next((c for c in self.cases.values() if c.is_home), None)

    @property
    def benchmarks(self) -> list[Case]:
        return [c for c in self.cases.values() if not c.is_home]


@dataclass(frozen=True)
class SourceText:
    """The text of a source's file, the part of it the source covers, and where each part
    of the text stands in the original (page, paragraph, table row).

    ``text`` is the file's extracted text (for a plain-text file: the file decoded);
    coded items' locations are offsets into it.
    """

    source: Source
    text: str  # the whole file's text
    start: int
    end: int
    document: Document | None = None

    def locator(self, start: int, end: int | None = None, page_format: str = "p. {page}"
                ) -> str:
        """Return where offset ``start`` stands, as reports cite it (``p. 23``, ``표 2, 3행``);
        "" for a plain-text source."""
        if self.document is None or self.document.format == "txt":
            return ""
        span = self.document.locate(start, end)
        return span.label(page_format) if span else ""

    def page(self, start: int) -> int | None:
        """Return the page of offset ``start`` (paged sources only)."""
        span = self.document.locate(start) if self.document else None
        return span.page if span else None

    @property
    def body(self) -> str:
        return self.text[self.start:self.end]

    def find(self, evidence: str) -> tuple[int, int] | None:
        """Return where ``evidence`` stands in this source (file offsets), white space folded."""
        words = evidence.split()
        if not words:
            return None
        exact = self.text.find(evidence.strip(), self.start, self.end)
        if exact >= 0:  # most quotes are verbatim: no pattern to build
            return exact, exact + len(evidence.strip())
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        match = pattern.search(self.text, self.start, self.end)
        return (match.start(), match.end()) if match else None


class _Reader:
    """Collects problems while turning one TOML table into typed fields."""

    def __init__(self, path: str, text: str, table: str, data: dict[str, Any],
                 problems: list[Problem]) -> None:
        self.path, self.text, self.table, self.data, self.problems = (
            path, text, table, data, problems)

    def problem(self, key: str | None, message: str, hint: str = "") -> None:
        line = key_line(self.text, (*self.table.split(".", 1), *((key,) if key else ())))
        column = f"[{self.table}] {key}" if key else f"[{self.table}]"
        self.problems.append(Problem(self.path, line, column, message, hint))

    def text_field(self, key: str, required: bool = False) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            self.problem(key, f"must be text, not {type(value).__name__}",
                         f'write {key} = "…" in double quotes')
            return ""
        if required and not value.strip():
            self.problem(key, "is required", f'write {key} = "…"')
        if "\n" in value.strip() or "\r" in value:
            self.problem(key, "holds a line break", "write the value on one line")
            return " ".join(value.split())
        return value.strip()

    def unknown_keys(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.problem(key, "unknown key", f"known keys: {', '.join(sorted(allowed))}")


def load_registry(study: Study) -> tuple[Registry, list[Problem]]:
    """Return the registry and every problem in it; a broken file gives an empty registry."""
    path = study.cases_file
    rel = study.rel(path)
    problems: list[Problem] = []
    empty = Registry({}, {})
    parsed, found = read_toml(path, rel, ("case registry is missing",
                                          "create it, or run policy-report add-case"))
    if parsed is None or errors(found):
        return empty, found
    problems += found
    text, data = parsed.text, parsed.data
    for key in data:
        if key not in ("cases", "sources"):
            problems.append(Problem(rel, parsed.line(key), key, "unknown table",
                                    "the registry holds [cases.ID] and [sources.ID] tables"))
    sources = {sid: _source(rel, text, sid, raw, problems)
               for sid, raw in _tables(data, "sources", rel, problems).items()}
    cases = {cid: _case(rel, text, cid, raw, sources, problems)
             for cid, raw in _tables(data, "cases", rel, problems).items()}
    homes = [c.id for c in cases.values() if c.is_home]
    if len(homes) > 1:
        problems.append(Problem(rel, None, "role", f"more than one home case: {', '.join(homes)}",
                                'set role = "benchmark" on all but one'))
    registered: dict[tuple[str, tuple[int, int] | None, tuple[int, int] | None], str] = {}
    for sid, source in sources.items():
        text_key = (source.file, source.pages, source.chars)
        if source.file and text_key in registered:
            problems.append(Problem(rel, parsed.line("sources", sid), f"[sources.{sid}]",
                                    f"registers the same text as "
                                    f"[sources.{registered[text_key]}]",
                                    "remove one of them and list the other in the cases"))
        registered.setdefault(text_key, sid)
    owner: dict[str, str] = {}
    for case in cases.values():
        for sid in case.sources:
            if sid in owner and owner[sid] != case.id:
                problems.append(Problem(
                    rel, parsed.line("cases", case.id, "sources"), f"[cases.{case.id}] sources",
                    f"source {sid!r} is already a source of case {owner[sid]!r}",
                    "a source belongs to one case: register the part about each case as its "
                    "own source (add-source with --chars or --pages)"))
            owner.setdefault(sid, case.id)
    used = set(owner)
    for sid in sources:
        if sid not in used:
            problems.append(Problem(rel, parsed.line("sources", sid), f"[sources.{sid}]",
                                    "source is not listed by any case",
                                    "add it to a case's sources, or remove it"))
    return Registry(cases, sources), problems


def _tables(data: dict[str, Any], name: str, rel: str,
            problems: list[Problem]) -> dict[str, dict[str, Any]]:
    raw = data.get(name, {})
    if not isinstance(raw, dict):
        problems.append(Problem(rel, None, name, "must be tables", f"write [{name}.ID] headers"))
        return {}
    good: dict[str, dict[str, Any]] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            good[key] = value
        else:
            problems.append(Problem(rel, None, f"{name}.{key}", "must be a table",
                                    f"write [{name}.{key}] and its keys below it"))
    return good


def _source(rel: str, text: str, sid: str, raw: dict[str, Any],
            problems: list[Problem]) -> Source:
    r = _Reader(rel, text, f"sources.{sid}", raw, problems)
    r.unknown_keys(SOURCE_KEYS)
    if not SOURCE_ID.match(sid):
        r.problem(None, f"source id {sid!r} is not allowed",
                  "use lower-case ASCII letters, digits, '.', '_' or '-'")
    pages = raw.get("pages")
    page_range: tuple[int, int] | None = None
    if pages is not None:
        if (isinstance(pages, list) and len(pages) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in pages)
                and 1 <= pages[0] <= pages[1]):
            page_range = (pages[0], pages[1])
        else:
            r.problem("pages", f"must be [first, last] with 1 <= first <= last, not {pages!r}",
                      "page numbers as the PDF viewer counts them, e.g. pages = [12, 40]")
    chars = raw.get("chars")
    span: tuple[int, int] | None = None
    if chars is not None:
        if (isinstance(chars, list) and len(chars) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in chars)
                and 0 <= chars[0] < chars[1]):
            span = (chars[0], chars[1])
        else:
            r.problem("chars", f"must be [start, end] with 0 <= start < end, not {chars!r}",
                      "character offsets into the decoded file, end excluded")
    date = r.text_field("date")
    if date and not valid_date(date):
        r.problem("date", f"{date!r} is not a date",
                  "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM; leave empty if unknown")
    encoding = r.text_field("encoding") or "utf-8"
    if encoding not in ("utf-8", "cp949"):
        r.problem("encoding", f"{encoding!r} is not supported", 'use "utf-8" or "cp949"')
    return Source(
        id=sid, file=r.text_field("file", required=True), chars=span, pages=page_range,
        sha256=r.text_field("sha256"), encoding=encoding, kind=r.text_field("kind") or "news",
        publisher=r.text_field("publisher"), headline=r.text_field("headline"), date=date,
        author=r.text_field("author"), url=r.text_field("url"), note=r.text_field("note"))


def _case(rel: str, text: str, cid: str, raw: dict[str, Any], sources: dict[str, Source],
          problems: list[Problem]) -> Case:
    r = _Reader(rel, text, f"cases.{cid}", raw, problems)
    r.unknown_keys(CASE_KEYS)
    if not CASE_ID.match(cid):
        r.problem(None, f"case id {cid!r} is not allowed",
                  "use 2-32 lower-case ASCII letters, digits or '_', starting with a letter")
    level = r.text_field("level", required=True)
    if level and level not in LEVELS:
        r.problem("level", f"unknown level {level!r}", f"use one of: {', '.join(LEVELS)}")
    role = r.text_field("role") or "benchmark"
    if role not in ROLES:
        r.problem("role", f"unknown role {role!r}", 'use "home" or "benchmark"')
    listed = raw.get("sources", [])
    ids: tuple[str, ...] = ()
    if not (isinstance(listed, list) and all(isinstance(s, str) for s in listed)):
        r.problem("sources", "must be a list of source ids", 'write sources = ["id", …]')
    else:
        ids = tuple(dict.fromkeys(listed))
        for sid in sorted({s for s in listed if listed.count(s) > 1}):
            r.problem("sources", f"source {sid!r} is listed twice", "list each source once")
        for sid in ids:
            if sid not in sources:
                r.problem("sources", f"unknown source {sid!r}",
                          f"add a [sources.{sid}] table, or fix the id")
        if not ids:
            r.problem("sources", "case has no source", "every case needs at least one source")
    return Case(id=cid, name=r.text_field("name", required=True), level=level,
                field=r.text_field("field"), role=role, plan_title=r.text_field("plan_title"),
                plan_period=r.text_field("plan_period"), sources=ids, note=r.text_field("note"))


def read_source(study: Study, source: Source) -> tuple[SourceText | None, list[Problem]]:
    """Return the text of a source, or None and the problems that prevent reading it."""
    rel = study.rel(study.cases_file)
    where = f"[sources.{source.id}]"
    path = study.root / source.file
    inside = path.resolve().is_relative_to(study.root.resolve())
    if Path(source.file).is_absolute() or not inside:
        return None, [Problem(rel, None, f"{where} file",
                              f"source file {source.file!r} is outside the study folder",
                              "copy it into seeds/ with policy-report add-source, so the "
                              "study keeps it as received")]
    if path.is_dir():
        return None, [Problem(rel, None, f"{where} file",
                              f"source file {source.file!r} is a directory (folder)",
                              "name the file itself, in seeds/")]
    if not path.is_file():
        return None, [Problem(rel, None, f"{where} file",
                              f"source file {source.file!r} is missing",
                              "restore it from the original, or fix the path")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(source.file, None, None,
                              f"cannot be read: {exc.strerror or exc}",
                              "check the file's permissions")]
    problems: list[Problem] = []
    digest = hashlib.sha256(data).hexdigest()
    if not source.sha256:
        problems.append(Problem(rel, None, f"{where} sha256",
                                "the source is not pinned by its hash",
                                f'add sha256 = "{digest}" after checking that the file is the '
                                "one received"))

    if source.sha256 and digest != source.sha256:
        problems.append(Problem(source.file, None, None,
                                "file differs from the one registered (sha256 mismatch)",
                                "sources are kept exactly as received: restore the original "
                                "bytes, or register the new file as a new source"))
    try:
        document = cached_extract(data, text_cache(study), source.file, source.pages)
    except ExtractionError as exc:
        return None, [*problems, Problem(source.file, None, None, exc.message, exc.hint)]
    encoding = document.meta.get("encoding", "utf-8")
    if document.format == "txt" and encoding != source.encoding:
        problems.append(Problem(rel, None, f"{where} encoding",
                                f"file reads as {encoding}, registry says {source.encoding}",
                                f'set encoding = "{encoding}"'))
    blank = document.meta.get("pages_without_text")
    if blank:
        problems.append(Problem(source.file, None, None,
                                f"pages without a text layer were skipped: {blank}",
                                "if they hold text, run OCR on the PDF (e.g. ocrmypdf) and "
                                "register the OCR'd file", level="note"))
    text = document.text
    start, end = source.chars if source.chars else (0, len(text))
    if end > len(text):
        problems.append(Problem(rel, None, f"{where} chars",
                                f"range ends at {end} but the text has {len(text)} "
                                "characters", "fix the range"))
        return None, problems
    return SourceText(source, text, start, end, document), problems


def text_cache(study: Study) -> Path:
    """Return the folder where extracted source texts are kept (by the file's hash)."""
    return study.path("reports") / ".cache" / "text"
