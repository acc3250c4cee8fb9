"""Jinja2 templates → the report's line markup (see ``markup``).

Templates come from the study's ``templates/`` folder, falling back to the ones shipped with
the tool.  They run in Jinja2's sandbox with ``StrictUndefined``: a misspelt name is an
error naming the template file and line, never an empty string in the report.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import os
import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import jinja2
import jinja2.bccache
from jinja2.environment import TemplateModule
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from analysis.errors import PolicyReportError, Problem, errors
from analysis.fsio import atomic_write
from analysis.report.markup import protect, unprotect
from analysis.textio import read_utf8
from analysis.tomlfile import read_toml

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "_templates"
REPO_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def template_dirs(study_templates: Path) -> list[Path]:
    """Return the folders templates are looked up in: the study's, then the tool's own."""
    dirs = [d for d in (study_templates, PACKAGE_TEMPLATES, REPO_TEMPLATES) if d.is_dir()]
    return list(dict.fromkeys(d.resolve() for d in dirs))


def find_file(dirs: list[Path], name: str) -> Path | None:
    """Return the first ``name`` in ``dirs``."""
    return next((d / name for d in dirs if (d / name).is_file()), None)


def load_labels(dirs: list[Path]) -> dict[str, Any]:
    """Return ``labels.toml`` (the words of tables and charts), or raise naming the problem."""
    path = find_file(dirs, "labels.toml")
    if path is None:
        raise PolicyReportError(Problem("templates/labels.toml", None, None, "missing",
                                        "copy templates/labels.toml from the repository"))
    parsed, problems = read_toml(path, where(str(path), dirs))
    if parsed is None or errors(problems):
        raise PolicyReportError(problems)
    for key, value in parsed.data.items():
        if key == "traits":
            problems += _trait_problems(value, parsed.rel, parsed.line(key))
            continue
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            problems.append(Problem(parsed.rel, parsed.line(key), key,
                                    "must be a table of words", f"write [{key}] and below it "
                                    'lines like name = "낱말"'))
    if errors(problems):
        raise PolicyReportError(problems)
    return parsed.data


TRAIT_LISTS = {"office": ("endings", "level"), "committee": ("endings",),
               "operation": ("words",)}


def _trait_problems(value: Any, rel: str, line: int | None) -> list[Problem]:
    """Return what is wrong with ``[traits]``: word lists and classes of names."""
    hint = ("see the [traits] section of the shipped templates/labels.toml: "
            'area_words = ["분야"], and [[traits.office]] tables with label, level, endings')
    if not isinstance(value, dict):
        return [Problem(rel, line, "traits", "must be a table", hint)]
    problems = []
    words = value.get("area_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        problems.append(Problem(rel, line, "traits.area_words", "must be a list of words", hint))
    for key, entries in value.items():
        if key == "area_words":
            continue
        if key not in TRAIT_LISTS:
            problems.append(Problem(rel, line, f"traits.{key}", "unknown class of names",
                                    f"use {', '.join(TRAIT_LISTS)}"))
            continue
        if not isinstance(entries, list):
            problems.append(Problem(rel, line, f"traits.{key}", "must be [[traits." + key
                                    + "]] tables", hint))
            continue
        for n, entry in enumerate(entries, 1):
            lists = [k for k in TRAIT_LISTS[key] if k != "level"]
            ok = (isinstance(entry, dict) and isinstance(entry.get("label"), str)
                  and all(isinstance(entry.get(k, []), list)
                          and all(isinstance(w, str) for w in entry.get(k, []))
                          for k in lists)
                  and isinstance(entry.get("level", 9), int))
            if not ok:
                problems.append(Problem(rel, line, f"traits.{key} #{n}",
                                        f"needs label = \"…\" and {' '.join(lists)} = [\"…\"]"
                                        + (" and level = 1" if "level" in TRAIT_LISTS[key]
                                           else ""), hint))
    return problems


DIRECTIVE = re.compile(r"^\s*@([\w-]+)\s*([^\s|{:]*)")
# a particle written right after a printed value: its form depends on the value
BARE_PARTICLE = re.compile(r"(?:\}\}|~\s*[\"'])"
                           r"(을|를|은|는|이|가|과|와|으로|로|이라는|라는|이다|다)(?![가-힣])")
JOSA_PAIRS = {"을": "을를", "를": "을를", "은": "은는", "는": "은는", "이": "이가", "가": "이가",
              "과": "과와", "와": "과와", "으로": "으로로", "로": "으로로", "이라는": "이라는라는",
              "라는": "이라는라는", "이다": "이다다", "다": "이다다"}


_PARSED: dict[str, tuple[int, str] | None] = {}


def _syntax_error(env: jinja2.Environment, text: str) -> tuple[int, str] | None:
    """Return the (line, message) of a template's syntax error (remembered by content)."""
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if key not in _PARSED:
        try:
            env.parse(text)
            _PARSED[key] = None
        except jinja2.TemplateSyntaxError as exc:
            _PARSED[key] = (exc.lineno, exc.message or "")
    return _PARSED[key]


def ending(stem: str, tail: str) -> str:
    """Return a verb ``stem`` with ``tail``; tail "ㅁ" makes the 개조식 noun ending:
    ending("참여하", "ㅁ") → "참여함", ending("두", "ㅁ") → "둠", ending("맡", "ㅁ") → "맡음"."""
    if tail != "ㅁ":
        return stem + tail
    code = ord(stem[-1]) - 0xAC00 if stem else -1
    if 0 <= code < 11172 and code % 28 == 0:  # no final consonant yet: add ㅁ (index 16)
        return stem[:-1] + chr(ord(stem[-1]) + 16)
    return stem + "음"


def check_templates(folder: Path) -> list[Problem]:
    """Return the problems of the study's own templates, each with its file and line.

    Every ``.j2`` must be UTF-8 and valid Jinja2; every markup directive must be known, and
    a ``@table`` or ``@figure`` whose key is written out must name a known table or figure.
    """
    from analysis.report.markup import SIMPLE, TEXTUAL
    from analysis.vocab import TABLE_KEYS, ChartKind

    problems: list[Problem] = []
    if not folder.is_dir():
        return problems
    env = jinja2.Environment()
    known = {"table": TABLE_KEYS, "figure": tuple(ChartKind)}
    directives = (*SIMPLE, *TEXTUAL, "table", "figure", "narrative", "box", "box-end")
    for path in sorted(folder.glob("*.j2")):
        rel = f"templates/{path.name}"
        if not path.resolve().is_relative_to(folder.resolve()):
            problems.append(Problem(rel, None, None,
                                    f"links to a file outside the templates folder "
                                    f"({path.resolve()})",
                                    "copy the template into templates/ instead of linking"))
            continue
        text = read_utf8(path, rel, problems)
        if text is None:
            continue
        error = _syntax_error(env, text)
        if error is not None:
            problems.append(Problem(rel, error[0], None, f"template syntax error: {error[1]}",
                                    "fix the {% %} or {{ }} on that line"))
        for number, line in enumerate(text.splitlines(), start=1):
            for bare in BARE_PARTICLE.finditer(line):
                particle = bare.group(1)
                problems.append(Problem(
                    rel, number, None, f"the particle {particle!r} is written after a value",
                    f"let the value choose it: {{{{ … | josa(\"{JOSA_PAIRS[particle]}\") }}}}"))
            match = DIRECTIVE.match(line)
            if not match:
                continue
            name, key = match.group(1), match.group(2)
            if name not in directives:
                close = difflib.get_close_matches(name, directives, n=1)
                problems.append(Problem(rel, number, None, f"unknown directive @{name}"
                                        + (f" (did you mean @{close[0]}?)" if close else ""),
                                        f"directives: @{', @'.join(directives)}"))
            elif name in known and key and key not in known[name]:
                problems.append(Problem(rel, number, None, f"unknown {name} {key!r}",
                                        f"{name}s: {', '.join(known[name])}"))
    return problems


_TRAILING_REMARK = re.compile(r"\s*\([^()]*\)$")


def josa(word: str, pair: str) -> str:
    """Return ``word`` with the right form of a particle: josa("전주시", "은는") → "전주시는"."""
    if not word:
        return word
    with_final, without = {"은는": ("은", "는"), "이가": ("이", "가"), "을를": ("을", "를"),
                           "과와": ("과", "와"), "으로로": ("으로", "로"),
                           "이라는라는": ("이라는", "라는"), "이며며": ("이며", "며"),
                           "이다다": ("이다", "다")}.get(pair, (pair, pair))
    plain = unprotect(word).rstrip()
    bare = _TRAILING_REMARK.sub("", plain)  # 조직(지원단)이: the word before the bracket
    last = bare.rstrip("'\"’”)]」』 ") or plain.rstrip("'\"’”)]」』 ") or plain or " "
    code = ord(last[-1]) - 0xAC00
    if not 0 <= code < 11172:  # not Hangul: decide by digits' reading
        final = last[-1] in "013678"
    else:
        final = code % 28 != 0
        if pair == "으로로" and code % 28 == 8:  # ㄹ받침 takes 로
            final = False
    return word + (with_final if final else without)


Case = dict[str, Any]


def names(cases: Iterable[Case]) -> str:
    """Return "전주시, 울산광역시" for cases."""
    return ", ".join(str(c["name"]) for c in cases)


def having(cases: Iterable[Case], role: str, sub: str | None = None) -> list[Case]:
    """Return the cases with at least one shown value of ``role`` (or of sub-role ``sub``)."""
    return [c for c in cases if (c["sub"].get(sub) if sub else c["found"].get(role))]


def lacking(cases: Iterable[Case], role: str) -> list[Case]:
    """Return the cases with no shown value of ``role``."""
    return [c for c in cases if not c["found"].get(role)]


def quoted(values: Iterable[str], limit: int = 0) -> str:
    """Return "'A', 'B'" (at most ``limit`` values when limit > 0)."""
    values = list(values)
    shown = values[:limit] if limit else values
    return ", ".join(f"'{v}'" for v in shown)


def listing(values: Iterable[str], limit: int = 0) -> str:
    """Return "A, B, C" (at most ``limit`` values when limit > 0)."""
    values = list(values)
    return ", ".join(values[:limit] if limit else values)


_PLAIN = (str, int, float, bool, type(None), dict, list, tuple)
_RUNTIME = (LoopContext, Namespace, Cycler, Joiner, TemplateModule, Macro)


class _Loader(jinja2.FileSystemLoader):
    """Jinja2's file loader, refusing a template that resolves outside its folders (a
    symbolic link to another place)."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(d).resolve()) for d in self.searchpath):
            raise jinja2.TemplateNotFound(f"{template} (links outside the templates folder)")
        return source, filename, uptodate


_SAFE_ATTRIBUTES: dict[tuple[type, str], bool] = {}


class PlainSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, narrowed to plain data.

    A template may read the attributes and call the harmless methods of strings, numbers,
    lists and dicts (not change them) and use Jinja's own loop, namespace and macro objects;
    any other object, and any name starting with ``_``, is refused.  Nothing a template can
    reach writes a file.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # the answer depends on the object's type and the name only (Jinja's checks look at
        # isinstance and the name), so it is worked out once per pair
        key = (type(obj), attr)
        safe = _SAFE_ATTRIBUTES.get(key)
        if safe is None:
            safe = _SAFE_ATTRIBUTES[key] = (
                not attr.startswith("_") and isinstance(obj, _PLAIN + _RUNTIME)
                and bool(super().is_safe_attribute(obj, attr, value)))
        return safe

    def is_safe_callable(self, obj: Any) -> bool:
        owner = getattr(obj, "__self__", None)
        if owner is not None and not isinstance(owner, _PLAIN + _RUNTIME) \
                and not isinstance(owner, type(self)):
            return False
        return bool(super().is_safe_callable(obj))


def environment(dirs: list[Path], cache: Path | None = None) -> PlainSandbox:
    """Return the sandboxed Jinja2 environment the report's templates run in (one per set of
    template folders: compiled templates are reused while their files are unchanged, in this
    process and, with a ``cache`` folder, in the next one).

    Compiled templates are Python code that runs outside the sandbox, so ``cache`` must be a
    folder of this user's (see :func:`user_cache`), never one inside a study that may come
    from someone else.
    """
    return _environment(tuple(dirs), cache)


def user_cache() -> Path | None:
    """Return this user's cache folder for compiled templates, or None when
    POLICY_REPORT_NO_CACHE is set."""
    if os.environ.get("POLICY_REPORT_NO_CACHE"):
        return None
    import platformdirs

    return Path(platformdirs.user_cache_dir("policy-report", appauthor=False)) / "templates"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept by name and source checksum, so that a template compiled once
    is not compiled again: in memory (for any study folder of this process) and, when given a
    folder, on disk for the next build (Jinja's bucket checks its Python and Jinja version)."""

    memory: ClassVar[dict[str, bytes]] = {}

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return filename or name

    def _file(self, key: str) -> Path | None:
        # one file per template file: the bucket in it names the source checksum it was
        # compiled from, and Jinja compiles again when the template has changed
        if self.directory is None:
            return None
        return self.directory / (hashlib.sha1(key.encode("utf-8")).hexdigest() + ".jinja")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = f"{Path(bucket.key).name}:{bucket.checksum}"
        data = self.memory.get(key)
        if data is None and (file := self._file(bucket.key)) is not None:
            with contextlib.suppress(OSError):
                data = file.read_bytes()
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # a damaged cache file: compile again
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = f"{Path(bucket.key).name}:{bucket.checksum}"
        data = self.memory[key] = bucket.bytecode_to_string()
        if (file := self._file(bucket.key)) is not None:
            with contextlib.suppress(OSError, PolicyReportError):
                atomic_write(file, data)


@functools.lru_cache(maxsize=16)
def _environment(dirs: tuple[Path, ...], cache: Path | None) -> PlainSandbox:
    env = PlainSandbox(
        bytecode_cache=_CompiledTemplates(cache),
        loader=_Loader([str(d) for d in dirs]),
        undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False, finalize=protect)
    env.filters["josa"] = josa
    env.filters["ending"] = ending
    helpers: dict[str, Callable[..., Any]] = {
        "names": names, "having": having, "lacking": lacking, "quoted": quoted,
        "listing": listing}
    env.globals.update(helpers)
    env.tests["containing"] = lambda value, part: part in str(value)
    return env


def render(env: PlainSandbox, name: str, context: dict[str, Any],
           dirs: list[Path]) -> str:
    """Render template ``name``; raise a ``PolicyReportError`` naming template and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        place = where(exc.filename or exc.name or name, dirs)
        raise PolicyReportError(Problem(place, exc.lineno, None,
                                        f"template syntax error: {exc.message}",
                                        "fix the {% %} or {{ }} on that line")) from exc
    except jinja2.TemplateNotFound as exc:
        file, line = _template_frame(exc, dirs)
        raise PolicyReportError(Problem(file or f"templates/{exc.name}", line, None,
                                        f"template {exc.name!r} not found",
                                        "a template can include only templates in the study's "
                                        "templates/ folder or the tool's own")) from exc
    except Exception as exc:  # an error raised while the template ran
        file, line = _template_frame(exc, dirs)
        kind = "undefined name" if isinstance(exc, jinja2.UndefinedError) else type(exc).__name__
        raise PolicyReportError(Problem(file or f"templates/{name}", line, None,
                                        f"{kind}: {exc}",
                                        "check the names used there against the template "
                                        "guide in README.md")) from exc


def where(filename: str, dirs: list[Path]) -> str:
    """Return a template file's name as messages give it: ``templates/NAME``."""
    path = Path(filename)
    for d in dirs:
        try:
            return f"templates/{path.resolve().relative_to(d).as_posix()}"
        except ValueError:
            continue
    return filename


def _template_frame(exc: BaseException, dirs: list[Path]) -> tuple[str | None, int | None]:
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (where(frame.filename, dirs), frame.lineno)
    return found
