"""The hostile-input corpus: what a careless or hostile user may do to a study, and what the
tool must answer.

Each case of ``tests/hostile/cases/*.toml`` is applied to a fresh copy of the study (the
``setup`` operations), then ``policy-report --root STUDY COMMAND…`` runs in-process (click's
CliRunner, the current folder being the study).  A case passes when

* no exception escaped, no ``Traceback`` and no ``internal error:`` line (an unexpected
  exception the CLI caught) was printed (always),
* the exit status is ``exit`` (a number, or a list of acceptable numbers),
* every string of ``expect`` is in the output (stdout and stderr; a list inside ``expect``
  means one of its strings) and none of ``forbid`` is;
  when the command refused (exit status not 0), ``expect_if_refused`` too,
* every file of ``unchanged`` keeps its bytes (or its absence), every path of ``absent`` is
  absent, the files of ``together`` either all changed or none did,
* ``contains`` files hold the texts given, the report (if one was written) has no heading
  made from data (one whose title, after its number, starts with a text of
  ``report_forbid_headings``), no text of ``report_forbid_text`` and, after a successful
  command, some paragraph holds each text of ``report_expect_text``,
* the ``after`` commands (run in order, on the same study) give their exit and ``expect``.

Placeholders in every string: ``<STUDY>`` (the study copy), ``<TMP>`` (its parent, a private
temporary folder), ``<REPO>`` (this repository), ``<NFD:text>`` (text in decomposed Hangul).
The file format and the operations are described in ``tests/hostile/README.md``.

Cases that need timing or processes (two ``code`` runs at once, a killed import, ``watch``)
are the separate tests at the end of this file.

``HOSTILE_RECORD=FILE`` makes every case append its verdict (one JSON line) to FILE:
``python tests/hostile/make_status.py`` uses that to write ``tests/hostile/STATUS.md``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
import tomllib
import traceback
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from analysis.cli import main

REPO = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "hostile" / "cases"
STUDY_PARTS = ("study.toml", "cases.toml", "framework.toml", "sheets", "seeds", "templates")
REPORT = Path("reports") / "benchmark-report.docx"
AREAS = ("settings", "registry", "framework", "sheets", "workbook", "sources", "templates",
         "outputs", "cli", "concurrency", "narrative")
CASE_KEYS = {"id", "area", "what", "setup", "command", "root", "exit", "expect",
             "expect_if_refused", "forbid",
             "unchanged", "absent", "together", "contains", "report_forbid_headings",
             "report_forbid_text", "report_expect_text", "after", "prebuild", "note"}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------

CATEGORIES = ("passes", "traceback", "data lost", "resources", "silently accepted", "wrong exit",
              "wrong message")  # "resources": processes left running, memory out of proportion


@dataclass
class Verdict:
    """What happened to one case: a category of ``CATEGORIES`` and the first lines of it."""

    category: str = "passes"
    reasons: list[str] = field(default_factory=list)
    output: str = ""

    def fail(self, category: str, reason: str) -> None:
        """Note a failure; the most serious category wins (the order of ``CATEGORIES``)."""
        if self.category == "passes" or CATEGORIES.index(category) < CATEGORIES.index(
                self.category):
            self.category = category
        self.reasons.append(reason)

    @property
    def passed(self) -> bool:
        return self.category == "passes"

    def explain(self) -> str:
        shown = "\n".join(self.output.strip().splitlines()[:12])
        return (f"{self.category}: " + "; ".join(self.reasons)
                + (f"\n--- output (first lines) ---\n{shown}" if shown else ""))


def record(case_id: str, area: str, verdict: Verdict, what: str = "") -> None:
    """Append the verdict to ``$HOSTILE_RECORD`` (for STATUS.md) when that is set."""
    target = os.environ.get("HOSTILE_RECORD")
    if not target:
        return
    if not what:  # a separate test: the first line of its docstring
        caller = sys._getframe(2).f_code
        doc = caller.co_consts[0] if caller.co_consts and isinstance(
            caller.co_consts[0], str) else ""
        what = doc.strip().splitlines()[0] if doc.strip() else caller.co_name
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps({"id": case_id, "area": area, "what": what,
                              "category": verdict.category,
                              "reasons": verdict.reasons,
                              "output": "\n".join(verdict.output.strip().splitlines()[:8])},
                             ensure_ascii=False) + "\n")


def conclude(case_id: str, area: str, verdict: Verdict, what: str = "") -> None:
    """Record the verdict and fail the test unless the case passed."""
    record(case_id, area, verdict, what)
    if not verdict.passed:
        pytest.fail(f"[{case_id}] {verdict.explain()}", pytrace=False)


# ---------------------------------------------------------------------------------------
# Loading cases
# ---------------------------------------------------------------------------------------

def load_cases() -> list[dict[str, Any]]:
    """Return every case of ``tests/hostile/cases/*.toml``, checked for shape."""
    cases: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data.get("case", []):
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name}: case {case.get('id')}: unknown keys {unknown}"
            assert case.get("id") and case.get("area") in AREAS and case.get("what"), (
                f"{path.name}: every case needs id, a known area and what: {case}")
            assert case["id"] not in seen, f"case id {case['id']} in {path.name} and " \
                                           f"{seen[case['id']]}"
            assert "command" in case, f"{case['id']}: no command"
            seen[case["id"]] = path.name
            cases.append({**case, "_file": path.name})
    return cases


CASES = load_cases()


# ---------------------------------------------------------------------------------------
# A study to attack
# ---------------------------------------------------------------------------------------

def copy_study(target: Path) -> Path:
    """Copy the committed study (as tests/conftest.py does) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for part in STUDY_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, symlinks=True)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture(scope="session")
def chart_cache(_warm_cache: Path) -> Path | None:
    """Return a folder of the seed study's chart PNGs (from the one warm build of the test
    process, ``conftest._warm_cache``), so that builds need not draw them."""
    cache = _warm_cache / "charts"
    return cache if cache.is_dir() else None


def cli(root: Path | None, args: list[str], cwd: Path, input: str | None = None) -> Result:
    """Run ``policy-report [--root ROOT] ARGS`` in-process from ``cwd``; never raise."""
    argv = (["--root", str(root)] if root is not None else []) + args
    before = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, argv, input=input, catch_exceptions=True)
    finally:
        os.chdir(before)


class Substitutions:
    """The placeholders of a case: <STUDY>, <TMP>, <REPO>."""

    def __init__(self, study: Path) -> None:
        self.values = {"<STUDY>": str(study), "<TMP>": str(study.parent), "<REPO>": str(REPO)}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for key, replacement in self.values.items():
                value = value.replace(key, replacement)
            return re.sub(r"<NFD:([^>]*)>",
                          lambda m: unicodedata.normalize("NFD", m.group(1)), value)
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        return value


# ---------------------------------------------------------------------------------------
# Setup operations
# ---------------------------------------------------------------------------------------

class Setup:
    """Applies a case's ``setup`` operations to a study; undoes what needs undoing."""

    def __init__(self, study: Path) -> None:
        self.study = study
        self.immutable: list[Path] = []

    def path(self, name: str) -> Path:
        path = Path(name)
        return path if path.is_absolute() else self.study / path

    def apply(self, ops: list[dict[str, Any]]) -> None:
        for op in ops:
            kind = op["op"]
            handler = getattr(self, "op_" + kind.replace("-", "_"), None)
            assert handler is not None, f"unknown setup op {kind!r}"
            handler(op)

    def cleanup(self) -> None:
        for path in self.immutable:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)

    # text edits ----------------------------------------------------------------------
    @staticmethod
    def _new_text(op: dict[str, Any]) -> str:
        text = str(op.get("new", op.get("text", "")))
        if "pad" in op:
            text += op["pad"] * int(op.get("times", 1))
        if op.get("normalize"):
            text = unicodedata.normalize(op["normalize"], text)
        return text

    def _read(self, path: Path, op: dict[str, Any]) -> str:
        return path.read_bytes().decode(op.get("encoding", "utf-8"))

    def _write(self, path: Path, text: str, op: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(op.get("encoding", "utf-8")))

    def op_replace(self, op: dict[str, Any]) -> None:
        """Replace ``old`` by ``new`` (``count`` times, default all); ``old`` must occur."""
        path = self.path(op["file"])
        text = self._read(path, op)
        old = op["old"]
        assert old in text, f"setup: {old!r} is not in {op['file']}"
        new = self._new_text(op)
        text = text.replace(old, new, op.get("count", -1))
        self._write(path, text, op)

    def op_write(self, op: dict[str, Any]) -> None:
        """Write ``text`` in ``encoding`` (default UTF-8; "utf-16", "cp949", "utf-8-sig")."""
        self._write(self.path(op["file"]), self._new_text(op), op)

    def op_write_bytes(self, op: dict[str, Any]) -> None:
        """Write bytes given as ``hex`` or ``base64``."""
        data = bytes.fromhex(op["hex"]) if "hex" in op else base64.b64decode(op["base64"])
        path = self.path(op["file"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def op_append(self, op: dict[str, Any]) -> None:
        path = self.path(op["file"])
        self._write(path, self._read(path, op) + self._new_text(op), op)

    def op_prepend(self, op: dict[str, Any]) -> None:
        path = self.path(op["file"])
        self._write(path, self._new_text(op) + self._read(path, op), op)

    def op_recode(self, op: dict[str, Any]) -> None:
        """Re-encode a UTF-8 file (BOM dropped) into ``encoding``."""
        path = self.path(op["file"])
        text = path.read_bytes().decode("utf-8-sig")
        path.write_bytes(text.encode(op["encoding"], op.get("errors", "strict")))

    def op_normalize(self, op: dict[str, Any]) -> None:
        """Turn ``old`` into Unicode form ``form`` (NFD: decomposed Hangul, as macOS saves)."""
        path = self.path(op["file"])
        text = path.read_bytes().decode("utf-8")
        old = op.get("old")
        if old is None:
            text = unicodedata.normalize(op["form"], text)
        else:
            assert old in text, f"setup: {old!r} is not in {op['file']}"
            text = text.replace(old, unicodedata.normalize(op["form"], old))
        path.write_bytes(text.encode("utf-8"))

    def op_truncate(self, op: dict[str, Any]) -> None:
        """Cut files (``file`` or every match of ``glob``) to ``size`` bytes."""
        paths = sorted(self.study.glob(op["glob"])) if "glob" in op else [self.path(op["file"])]
        assert paths, f"setup: nothing matches {op}"
        for path in paths:
            with path.open("r+b") as handle:
                handle.truncate(int(op.get("size", 0)))

    # files and folders ---------------------------------------------------------------
    def op_delete(self, op: dict[str, Any]) -> None:
        path = self.path(op["file"])
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)

    def op_mkdir(self, op: dict[str, Any]) -> None:
        self.path(op["file"]).mkdir(parents=True, exist_ok=True)

    def op_copy(self, op: dict[str, Any]) -> None:
        source, target = self.path(op["file"]), self.path(op["to"])
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)

    def op_move(self, op: dict[str, Any]) -> None:
        self.path(op["file"]).rename(self.path(op["to"]))

    def op_symlink(self, op: dict[str, Any]) -> None:
        """Make ``file`` a symbolic link to ``to`` (replacing what was there)."""
        link = self.path(op["file"])
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(op["to"])

    def op_readonly(self, op: dict[str, Any]) -> None:
        """Make a file or folder read-only, for root too (chattr +i), or skip the case."""
        path = self.path(op["file"])
        path.mkdir(parents=True, exist_ok=True) if op.get("dir") else None
        path.chmod(0o555 if path.is_dir() else 0o444)
        self.immutable.append(path)
        if IS_ROOT:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if done.returncode != 0:
                pytest.skip("running as root and chattr +i is not available: "
                            "a read-only folder cannot be made")

    def op_zip_member(self, op: dict[str, Any]) -> None:
        """Replace (or add) the member ``member`` of the zip ``file`` with ``text``."""
        path = self.path(op["file"])
        with zipfile.ZipFile(path) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        parts[op["member"]] = self._new_text(op).encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in parts.items():
                target.writestr(name, data)

    # commands and workbooks ----------------------------------------------------------
    def op_run(self, op: dict[str, Any]) -> None:
        """Run a policy-report command as part of the setup; it must give ``exit`` (0)."""
        result = cli(self.study, list(op["command"]), self.study)
        want = op.get("exit", 0)
        assert result.exit_code == want, (f"setup command {op['command']} gave "
                                          f"{result.exit_code}: {result.output}")

    def op_xlsx(self, op: dict[str, Any]) -> None:
        """Edit a workbook with openpyxl, the way a reviewer's Excel would save it."""
        import openpyxl

        path = self.path(op["file"])
        book = openpyxl.load_workbook(path)
        for action in op["actions"]:
            do = action["do"]
            if do == "set":
                ws = _worksheet(book, action["sheet"])
                row = _row_where(ws, action["where"]) if "where" in action else int(
                    action["row"])
                column = _column(ws, action["column"])
                cell = ws.cell(row, column)
                cell.value = self._new_text(action)
                cell.data_type = "s"
            elif do == "copy":
                copy = book.copy_worksheet(_worksheet(book, action["sheet"]))
                copy.title = action["title"]
            elif do == "rename":
                _worksheet(book, action["sheet"]).title = action["title"]
            elif do == "create":
                ws = book.create_sheet(action["title"])
                for row in action.get("rows", []):
                    ws.append(row)
            elif do == "remove":
                book.remove(_worksheet(book, action["sheet"]))
            else:
                raise AssertionError(f"unknown xlsx action {do!r}")
        book.save(path)


def _worksheet(book: Any, name: str) -> Any:
    """Return the worksheet titled ``name``, else the first whose title starts with it."""
    if name in book.sheetnames:
        return book[name]
    for title in book.sheetnames:
        if title.startswith(name + " ") or title.startswith(name):
            return book[title]
    for title in book.sheetnames:
        if name in title:
            return book[title]
    raise AssertionError(f"no worksheet {name!r} in {book.sheetnames}")


def _column(ws: Any, name: str) -> int:
    header = [c.value for c in ws[1]]
    assert name in header, f"no column {name!r} in {header}"
    return header.index(name) + 1


def _row_where(ws: Any, where: dict[str, str]) -> int:
    column = _column(ws, where["column"])
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, column).value == where["equals"]:
            return row
    raise AssertionError(f"no row with {where}")


# ---------------------------------------------------------------------------------------
# Running and judging a case
# ---------------------------------------------------------------------------------------

# an unexpected exception the CLI caught and printed in one line: a traceback in disguise
INTERNAL = re.compile(r"internal error:[^\n]*", re.I)


def escaped_exception(result: Result) -> str | None:
    """Return "where: Type: message" of an exception that escaped the command, or None."""
    exc = result.exception
    if exc is None or isinstance(exc, SystemExit):
        return None
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    ours = [f for f in frames if "/analysis/" in f.filename.replace(os.sep, "/")]
    frame = ours[-1] if ours else (frames[-1] if frames else None)
    where = ""
    if frame is not None:
        name = frame.filename.replace(os.sep, "/")
        name = name[name.rfind("/analysis/") + 1:] if "/analysis/" in name else Path(name).name
        where = f"{name}:{frame.lineno} in {frame.name}: "
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{where}{type(exc).__name__}: {message}"[:300]


def snapshot(paths: list[Path]) -> dict[Path, bytes | None]:
    return {p: (p.read_bytes() if p.is_file() else None) for p in paths}


def report_texts(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Return the headings, the paragraphs and the table cells of a written report."""
    from docx import Document

    document = Document(str(path))
    headings = [p.text for p in document.paragraphs
                if (p.style is not None and p.style.name.startswith("Heading"))]
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return headings, paragraphs, cells


def said(expected: str | list[str], output: str) -> bool:
    """Return whether the output holds the text (or, for a list, one of its texts)."""
    return any(e in output for e in expected) if isinstance(expected, list) else (
        expected in output)


def exit_ok(code: int, want: Any) -> bool:
    return code in want if isinstance(want, list) else code == want


def run_case(case: dict[str, Any], tmp_path: Path, cache: Path | None) -> Verdict:
    """Apply a case to a fresh copy of the study, run it, and judge what happened."""
    study = with_charts(copy_study(tmp_path / "study"), cache)
    sub = Substitutions(study)
    setup = Setup(study)
    try:
        if case.get("prebuild"):
            built = cli(study, ["build", "-q"], study)
            assert built.exit_code == 0, f"prebuild failed: {built.output}"
        setup.apply(sub(case.get("setup", [])))
        watched = [setup.path(p) for p in sub(case.get("unchanged", []))]
        together = [setup.path(p) for p in sub(case.get("together", []))]
        before = snapshot(watched + together)
        root = sub(case.get("root", "<STUDY>"))
        result = cli(Path(root) if root else None, [str(a) for a in sub(case["command"])],
                     study)
        verdict = judge(case, sub, setup, result, before, watched, together, study)
    finally:
        setup.cleanup()
    return verdict


def judge(case: dict[str, Any], sub: Substitutions, setup: Setup, result: Result,
          before: dict[Path, bytes | None], watched: list[Path], together: list[Path],
          study: Path) -> Verdict:
    verdict = Verdict(output=result.output)
    want = case.get("exit", 1)
    escaped = escaped_exception(result)
    if escaped:
        verdict.fail("traceback", escaped)
    elif "Traceback (most recent call last)" in result.output:
        verdict.fail("traceback", "a traceback was printed")
    elif internal := INTERNAL.search(result.output):
        verdict.fail("traceback", "an unexpected exception, said as " + internal.group(0)[:200])
    refused_expected = want != 0 and not (isinstance(want, list) and 0 in want)
    for path in watched:
        now = path.read_bytes() if path.is_file() else None
        if before[path] != now:
            old = before[path]
            # a refusal that was not made wrote what the bad input asked for (added to a
            # file, made a new one): taken silently; bytes overwritten are data lost
            grew = old is None or (now is not None and now.startswith(old))
            taken = result.exit_code == 0 and refused_expected and grew
            verdict.fail("silently accepted" if taken else "data lost",
                         f"{path.relative_to(study.parent)} was "
                         + ("written" if taken else "changed"))
    if together:
        changed = [before[p] != (p.read_bytes() if p.is_file() else None) for p in together]
        if any(changed) and not all(changed):
            names = [str(p.relative_to(study)) for p, c in zip(together, changed, strict=True)
                     if c]
            verdict.fail("data lost", f"half-applied: only {', '.join(names)} changed")
    for name in sub(case.get("absent", [])):
        path = setup.path(name)
        if path.exists() or path.is_symlink():
            verdict.fail("silently accepted", f"{name} was written")
    if not escaped and not exit_ok(result.exit_code, want):
        if result.exit_code == 0 and refused_expected:
            verdict.fail("silently accepted", f"exit 0, expected {want}")
        else:
            verdict.fail("wrong exit", f"exit {result.exit_code}, expected {want}")
    expected = sub(case.get("expect", []))
    if result.exit_code != 0:
        expected += sub(case.get("expect_if_refused", []))
    missing = [e for e in expected if not said(e, result.output)]
    if missing and not escaped:
        quiet = result.exit_code == 0 and want == 0
        verdict.fail("silently accepted" if quiet else "wrong message",
                     f"output lacks {missing!r}")
    found = [f for f in sub(case.get("forbid", [])) if f in result.output]
    if found:
        verdict.fail("wrong message", f"output holds {found!r}")
    for item in sub(case.get("contains", [])) if exit_ok(result.exit_code, want) else []:
        path = setup.path(item["file"])
        text = path.read_bytes().decode("utf-8", "replace") if path.is_file() else ""
        if item["text"] not in text:
            verdict.fail("data lost", f"{item['file']} lacks {item['text']!r}")
    if verdict.passed:
        for step in sub(case.get("after", [])):
            then = cli(study, [str(a) for a in step["command"]], study)
            internal = INTERNAL.search(then.output)
            problem = escaped_exception(then) or (internal.group(0) if internal else None)
            if problem:
                verdict.fail("traceback", f"then {' '.join(step['command'])}: {problem}")
            elif not exit_ok(then.exit_code, step.get("exit", 0)) or not all(
                    said(e, then.output) for e in step.get("expect", [])):
                verdict.fail(step.get("category", "data lost"),
                             f"then {' '.join(step['command'])}: exit {then.exit_code}: "
                             + " / ".join(then.output.strip().splitlines()[:3]))
                verdict.output = then.output
    report = study / REPORT
    heads, paragraphs, cells = (report_texts(report) if report.is_file() and (
        case.get("report_forbid_headings") or case.get("report_forbid_text")
        or case.get("report_expect_text")) else ([], [], []))
    for bad in case.get("report_forbid_headings", []):
        # a heading the data made: its text (after its number, 제2장 / Ⅱ. / 1.) starts with
        # the injected title; a case heading that merely holds the text as data does not
        made = [h for h in heads if h.startswith(bad)
                or (" " in h and h.split(" ", 1)[1].startswith(bad))]
        if made:
            verdict.fail("silently accepted", f"the data made a heading: {made[0]!r}")
    for bad in case.get("report_forbid_text", []):
        if any(bad in t for t in paragraphs + cells):
            verdict.fail("silently accepted", f"the report holds {bad!r}")
    for good in case.get("report_expect_text", []) if result.exit_code == 0 else []:
        if not any(good in t for t in paragraphs):
            verdict.fail("silently accepted", f"no paragraph of the report holds {good!r}")
    return verdict


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_case(case: dict[str, Any], tmp_path: Path, chart_cache: Path | None) -> None:
    """One hostile input: a clear message (or the right result), no traceback, no loss."""
    try:
        verdict = run_case(case, tmp_path, chart_cache)
    except Exception as exc:  # a broken case (its setup failed): never counted as a pass
        record(case["id"], case["area"], Verdict("harness error", [repr(exc)[:300]]),
               case["what"])
        raise
    conclude(case["id"], case["area"], verdict, case["what"])


def test_corpus_shape() -> None:
    """At least 70 cases, every area covered, every case says what it does."""
    assert len(CASES) >= 70
    assert {c["area"] for c in CASES} >= set(AREAS) - {"concurrency"}
    checks = ("expect", "expect_if_refused", "absent", "unchanged", "together", "contains",
              "report_forbid_headings", "report_forbid_text", "report_expect_text", "after")
    assert all(c.get("exit", 1) == 0 or any(c.get(k) for k in checks) for c in CASES)


# ---------------------------------------------------------------------------------------
# Cases that need processes and timing
# ---------------------------------------------------------------------------------------

def tool(study: Path, *args: str, wrapper: str = "") -> list[str]:
    """Return the argv of ``policy-report --root STUDY ARGS`` run from this checkout.

    ``wrapper`` is Python code run first in the child (to simulate a kill at a given point).
    """
    code = (wrapper + "\nimport sys\nfrom analysis.cli import main\n"
            "sys.argv = ['policy-report', *sys.argv[1:]]\nmain()\n")
    return [sys.executable, "-c", code, "--root", str(study), *args]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("POLICY_REPORT_CHART_WORKERS", None)  # the child builds as a user's would
    return env


def with_charts(study: Path, cache: Path | None) -> Path:
    """Give a study copy the seed study's chart PNGs (so that its first build is quick)."""
    if cache is not None:
        shutil.copytree(cache, study / "reports" / ".cache" / "charts")
    return study


def wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def header_only(study: Path, case: str) -> None:
    sheet = study / "sheets" / f"{case}.csv"
    sheet.write_bytes(sheet.read_bytes().split(b"\n", 1)[0] + b"\n")


def item_ids(sheet: Path) -> list[str]:
    import csv
    import io

    text = sheet.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [r[0] for r in rows[1:] if r]


KILL_AT_REPLACE = """
import os
_real_replace, _real_rename = os.replace, os.rename
_seen = []
def _kill_on(dst):
    name = os.fspath(dst)
    if {match!r} in name and not name.endswith(".tmp"):
        _seen.append(name)
        if len(_seen) >= {nth}:
            os._exit(137)
def _replace(src, dst, *a, **k):
    _kill_on(dst)
    return _real_replace(src, dst, *a, **k)
def _rename(src, dst, *a, **k):
    _kill_on(dst)
    return _real_rename(src, dst, *a, **k)
os.replace, os.rename = _replace, _rename
"""


def test_concurrency_two_code_runs(tmp_path: Path) -> None:
    """Two ``code`` runs at once must not append every suggestion twice."""
    study = copy_study(tmp_path / "study")
    header_only(study, "ulsan")
    procs = [subprocess.Popen(tool(study, "code", "ulsan", "-q"), env=child_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    verdict = Verdict(output="\n".join(outputs))
    for proc, out in zip(procs, outputs, strict=True):
        if "Traceback" in out or INTERNAL.search(out):
            verdict.fail("traceback", out.strip().splitlines()[-1])
        elif proc.returncode not in (0, 1):
            verdict.fail("wrong exit", f"exit {proc.returncode}")
    if all(p.returncode == 1 for p in procs):
        verdict.fail("wrong exit", "both runs refused")
    for proc, out in zip(procs, outputs, strict=True):
        if proc.returncode == 1 and not re.search(r"lock|running|busy|in use|another|right now",
                                                  out, re.I):
            verdict.fail("wrong message", f"a refused run does not say why: {out[:200]!r}")
    ids = item_ids(study / "sheets" / "ulsan.csv")
    duplicates = len(ids) - len(set(ids))
    if duplicates:
        verdict.fail("data lost", f"{duplicates} duplicate item ids in sheets/ulsan.csv")
    checked = cli(study, ["validate"], study)
    if checked.exit_code != 0 and not duplicates:
        verdict.fail("data lost", "the study no longer validates: "
                     + checked.output.splitlines()[0])
    conclude("concurrency-two-code-runs", "concurrency", verdict)


def test_concurrency_killed_import_can_be_redone(tmp_path: Path) -> None:
    """A ``sheets import`` killed between two sheets: importing the workbook again works."""
    import openpyxl

    study = copy_study(tmp_path / "study")
    assert cli(study, ["sheets", "export"], study).exit_code == 0
    workbook = study / "reports" / "review.xlsx"
    book = openpyxl.load_workbook(workbook)
    edits = {"jeonju": "jeonju", "ulsan": "ulsan"}
    for prefix in edits:
        ws = _worksheet(book, prefix)
        column = _column(ws, "note")
        ws.cell(2, column).value = f"검토 메모 {prefix}"
        ws.cell(2, column).data_type = "s"
    book.save(workbook)
    killed = subprocess.run(tool(study, "sheets", "import", str(workbook),
                                 wrapper=KILL_AT_REPLACE.format(match="sheets", nth=2)),
                            env=child_env(), capture_output=True, text=True, timeout=120)
    verdict = Verdict(output=killed.stdout + killed.stderr)
    again = cli(study, ["sheets", "import", str(workbook)], study)
    verdict.output += "\n--- import again ---\n" + again.output
    escaped = escaped_exception(again)
    if escaped:
        verdict.fail("traceback", f"import again: {escaped}")
    elif again.exit_code != 0:
        verdict.fail("data lost", "after the killed import the workbook is refused: "
                     + again.output.strip().splitlines()[0])
    for prefix in edits:
        text = (study / "sheets" / f"{prefix}.csv").read_text(encoding="utf-8-sig")
        if f"검토 메모 {prefix}" not in text:
            verdict.fail("data lost", f"the edit of {prefix} never reached its sheet")
    conclude("concurrency-killed-import", "concurrency", verdict)


def test_concurrency_killed_add_case_leaves_nothing_unnoticed(tmp_path: Path) -> None:
    """``add-case`` killed before the registry is written: no orphan seed validate ignores."""
    study = copy_study(tmp_path / "study")
    source = tmp_path / "article.txt"
    source.write_text("부산광역시는 공유도시 부산을 비전으로 하는 공유경제 기본계획을 세웠다.\n"
                      * 2000, encoding="utf-8")
    seeds_before = set(os.listdir(study / "seeds"))
    killed = subprocess.run(tool(study, "add-case", "busan", "--name", "부산광역시",
                                 "--source", str(source),
                                 wrapper=KILL_AT_REPLACE.format(match="cases.toml", nth=1)),
                            env=child_env(), capture_output=True, text=True, timeout=120)
    verdict = Verdict(output=killed.stdout + killed.stderr)
    checked = cli(study, ["validate"], study)
    verdict.output += "\n--- validate ---\n" + checked.output
    registered = "[cases.busan]" in (study / "cases.toml").read_text(encoding="utf-8")
    orphans = sorted(name for name in set(os.listdir(study / "seeds")) - seeds_before
                     if not name.startswith("."))  # hidden temporaries are no sources
    if registered:
        # the journal completed the interrupted add-case as a whole: said, and consistent
        if "completed a change an interrupted command left half done" not in checked.output:
            verdict.fail("silently accepted", "the interrupted add-case was completed "
                         "without a word")
        if checked.exit_code != 0:
            verdict.fail("data lost", "the completed add-case left the study invalid")
    else:
        for name in orphans:
            if name not in checked.output:
                verdict.fail("silently accepted",
                             f"seeds/{name} was left by the killed add-case and validate "
                             "does not name it")
        retry = cli(study, ["add-case", "busan", "--name", "부산광역시", "--source",
                            str(source)], study)
        escaped = escaped_exception(retry)
        if escaped:
            verdict.fail("traceback", f"add-case again: {escaped}")
        elif retry.exit_code != 0:
            verdict.fail("wrong exit", "add-case again refused: "
                         + retry.output.strip().splitlines()[0])
    conclude("concurrency-killed-add-case", "concurrency", verdict)


def _children(pid: int) -> set[int]:
    """Return every descendant process id of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                for child in (task / "children").read_text().split():
                    if int(child) not in found:
                        found.add(int(child))
                        todo.append(int(child))
    return found


@contextlib.contextmanager
def watching(study: Path, cwd: Path | None = None) -> Iterator[tuple[subprocess.Popen[str],
                                                                      list[str]]]:
    """Run ``policy-report watch`` in a child process; collect its output lines."""
    import threading

    proc = subprocess.Popen(tool(study, "watch"), env=child_env(), cwd=cwd or study,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines: list[str] = []
    stream = proc.stdout
    assert stream is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")),
                              daemon=True)
    reader.start()
    try:
        yield proc, lines
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        reader.join(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_cli_watch_under_a_folder_named_reports(tmp_path: Path,
                                               chart_cache: Path | None) -> None:
    """``watch`` rebuilds when the study lives under a parent folder named ``reports``."""
    study = with_charts(copy_study(tmp_path / "reports" / "study"), chart_cache)
    report = study / REPORT
    with watching(study) as (_proc, lines):
        started = wait_for(lambda: any(line.startswith("watching") for line in lines), 60)
        first = report.read_bytes() if report.is_file() else b""
        time.sleep(0.5)
        sheet = study / "sheets" / "ulsan.csv"
        sheet.write_text(sheet.read_text(encoding="utf-8").replace(
            "정책박람회,정책박람회 등을", "정책박람회(상설),정책박람회 등을"), encoding="utf-8")
        rebuilt = wait_for(lambda: report.is_file() and report.read_bytes() != first, 8)
        verdict = Verdict(output="".join(lines))
    if not started:
        verdict.fail("wrong exit", "watch never started")
    elif not rebuilt:
        verdict.fail("silently accepted", "a saved sheet was ignored: no rebuild under "
                     "<TMP>/reports/study")
    conclude("cli-watch-parent-named-reports", "cli", verdict)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_cli_watch_survives_a_control_character(tmp_path: Path,
                                                chart_cache: Path | None) -> None:
    """A control character saved into cases.toml: watch names it and goes on."""
    study = with_charts(copy_study(tmp_path / "study"), chart_cache)
    registry = study / "cases.toml"
    text = registry.read_text(encoding="utf-8")
    with watching(study) as (proc, lines):
        started = wait_for(lambda: any(line.startswith("watching") for line in lines), 60)
        time.sleep(0.5)
        registry.write_text(text.replace('name = "울산광역시"', 'name = "울산\\u0007광역시"'),
                            encoding="utf-8")
        named = wait_for(lambda: "U+0007" in "".join(lines) or proc.poll() is not None, 8)
        time.sleep(0.3)
        alive = proc.poll() is None
        count = sum("rebuilt" in line for line in lines)
        registry.write_text(text, encoding="utf-8")
        recovered = alive and wait_for(
            lambda: sum("rebuilt" in line for line in lines) > count, 8)
        verdict = Verdict(output="".join(lines))
    if "Traceback" in verdict.output or INTERNAL.search(verdict.output):
        errors = [ln for ln in verdict.output.splitlines() if "rror" in ln]
        verdict.fail("traceback", errors[-1] if errors else "a traceback was printed")
    if not started:
        verdict.fail("wrong exit", "watch never started")
    elif not alive:
        verdict.fail("wrong exit", "watch died")
    elif not (named and "cases.toml" in verdict.output and "U+0007" in verdict.output):
        verdict.fail("wrong message", "watch did not name cases.toml and U+0007")
    elif not recovered:
        verdict.fail("wrong exit", "watch did not rebuild after the fix")
    conclude("cli-watch-control-char", "cli", verdict)


def big_study(study: Path, cases: int) -> None:
    """Add benchmark cases up to ``cases`` cases, each with its own part of the Ulsan file."""
    registry = study / "cases.toml"
    text = registry.read_text(encoding="utf-8")
    sha = re.search(r'\[sources\.ulsan-2020\]\nfile = "([^"]+)"\n(?:chars = [^\n]+\n)?'
                    r'sha256 = "([0-9a-f]+)"', text)
    assert sha is not None
    header = (study / "sheets" / "ulsan.csv").read_bytes().split(b"\n", 1)[0] + b"\n"
    extra = []
    for n in range(cases - 5):
        cid = f"extra{n:02d}"
        extra.append(f'\n[cases.{cid}]\nname = "가상{n:02d}시"\nlevel = "시"\nfield = "공유경제"\n'
                     f'role = "benchmark"\nsources = ["{cid}-1"]\n\n[sources.{cid}-1]\n'
                     f'file = "{sha.group(1)}"\nchars = [{n * 7}, {n * 7 + 300}]\n'
                     f'sha256 = "{sha.group(2)}"\nkind = "news"\n')
        (study / "sheets" / f"{cid}.csv").write_bytes(header)
    registry.write_text(text + "".join(extra), encoding="utf-8")


def test_concurrency_chart_workers_after_failed_builds(tmp_path: Path) -> None:
    """A build that fails after starting its chart workers must stop them (2 → 4 → 6 in watch).

    Runs in-process, as ``watch`` does: what a failed build leaves behind accumulates.
    """
    import multiprocessing

    study = copy_study(tmp_path / "study")
    big_study(study, 30)  # more cases than max_cases_per_chart: the build warms a worker pool
    template = study / "templates" / "references.j2"
    good = template.read_text(encoding="utf-8")
    before = {p.pid for p in multiprocessing.active_children()}
    counts = []
    outputs = []
    try:
        for n in range(2):
            template.write_text(f"{{{{ no_such_name_{n} }}}}\n" + good, encoding="utf-8")
            result = cli(study, ["build"], study)
            outputs.append(result.output)
            wait_for(lambda: not ({p.pid for p in multiprocessing.active_children()} - before),
                     1.0)
            counts.append(len({p.pid for p in multiprocessing.active_children()} - before))
        verdict = Verdict(output="\n".join(outputs))
        if not all(f"no_such_name_{n}" in out for n, out in enumerate(outputs)):
            verdict.category = "harness error"
            verdict.reasons.append("the builds did not fail at the template: nothing tested")
        elif counts[-1]:
            verdict.fail("resources", "chart worker processes left running after failed "
                         f"builds: {' → '.join(map(str, counts))}")
    finally:
        for child in multiprocessing.active_children():  # the workers this test started
            if child.pid not in before:
                child.kill()
                child.join(timeout=5)
    conclude("concurrency-chart-workers-failed-builds", "concurrency", verdict)


def _processes_of(study: Path) -> list[int]:
    """Return the ids of running processes whose command line names ``study``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if str(study) in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_concurrency_killed_build_leaves_no_workers(tmp_path: Path) -> None:
    """``kill PID`` of a build drawing charts: its chart worker processes end with it."""
    study = copy_study(tmp_path / "study")
    big_study(study, 30)
    proc = subprocess.Popen(tool(study, "build"), env=child_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    left: list[int] = []
    try:
        workers = wait_for(lambda: bool(_children(proc.pid)) or proc.poll() is not None, 30)
        workers = workers and proc.poll() is None
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        wait_for(lambda: not _processes_of(study), 3)
        left = _processes_of(study)
        verdict = Verdict()
        if not workers:
            verdict.category = "harness error"
            verdict.reasons.append("the build started no chart workers: nothing tested")
        elif left:
            verdict.fail("resources", f"{len(left)} chart worker processes still running 3 s "
                         "after the build was killed")
    finally:
        for pid in left:  # the orphans this test made, by id
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    conclude("concurrency-killed-build-workers", "concurrency", verdict)


MARKER = "HUGE-CELL-MARKER"


def huge_cell_workbook(path: Path, size: int) -> None:
    """Make the first Ulsan row's note of an exported workbook hold ``size`` letters.

    The cell holds one repeated letter, streamed into the zip: the .xlsx
    stays about 1 MB on disk (deflate), and this test never holds the string in memory.
    """
    import openpyxl

    book = openpyxl.load_workbook(path)
    ws = _worksheet(book, "ulsan")
    cell = ws.cell(2, _column(ws, "note"))
    cell.value, cell.data_type = MARKER, "s"
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    holder = next(name for name, data in parts.items() if MARKER.encode() in data)
    before, _, after = parts.pop(holder).partition(MARKER.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open(holder, "w", force_zip64=True) as out:
            out.write(before)
            chunk = b"A" * (1 << 20)
            for _ in range(size // len(chunk)):
                out.write(chunk)
            out.write(after)


def test_workbook_huge_cell_memory(tmp_path: Path) -> None:
    """A 16 MiB cell in a small workbook: refused by name, memory not in proportion to it.

    Excel holds at most 32,767 characters in a cell, so such a cell never comes from a
    reviewer; the issue's case was a 1 GiB cell in a 1 MB workbook taking 2 GB.
    """
    study = copy_study(tmp_path / "study")
    assert cli(study, ["sheets", "export"], study).exit_code == 0
    workbook = study / "reports" / "review.xlsx"
    huge_cell_workbook(workbook, 16 * 1024 * 1024)
    measure = textwrap.dedent("""
        import resource, subprocess, sys
        done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(done.returncode, peak)
        sys.stdout.write(done.stdout + done.stderr)
    """)
    ran = subprocess.run([sys.executable, "-c", measure,
                          *tool(study, "sheets", "import", str(workbook))],
                         env=child_env(), capture_output=True, text=True, timeout=300)
    first, _, output = ran.stdout.partition("\n")
    code, peak = (int(v) for v in first.split())
    verdict = Verdict(output=output)
    size_on_disk = workbook.stat().st_size // 1024
    if "Traceback" in output or INTERNAL.search(output):
        verdict.fail("traceback", output.strip().splitlines()[-1])
    if code != 1:
        verdict.fail("silently accepted" if code == 0 else "wrong exit", f"exit {code}")
    if "review.xlsx" not in output:
        verdict.fail("wrong message", "the workbook is not named")
    if peak > 150:
        verdict.fail("resources", f"peak memory {peak} MB for a {size_on_disk} kB workbook")
    conclude("workbook-huge-cell-memory", "workbook", verdict)


def test_readonly_helper_cleans_up(tmp_path: Path) -> None:
    """The read-only setup undoes itself, so that pytest can remove its temporary folders."""
    folder = tmp_path / "ro"
    setup = Setup(tmp_path)
    with contextlib.suppress(pytest.skip.Exception):
        setup.op_readonly({"file": str(folder), "dir": True})
    setup.cleanup()
    (folder / "x").write_text("ok")
    assert stat.S_IMODE(folder.stat().st_mode) & 0o200
