"""Jinja2 templates → the report's line markup (see ``markup``).

Templates come from the study's ``templates/`` folder, falling back to the ones shipped with
the tool.  They run in Jinja2's sandbox with ``StrictUndefined``: a misspelt name is an
error naming the template file and line, never an empty string in the report.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from analysis.errors import PolicyReportError, Problem, errors
from analysis.report.markup import protect, unprotect
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
    parsed, problems = read_toml(path, _where(str(path), dirs))
    if parsed is None or errors(problems):
        raise PolicyReportError(problems)
    return parsed.data


def josa(word: str, pair: str) -> str:
    """Return ``word`` with the right form of a particle: josa("전주시", "은는") → "전주시는"."""
    if not word:
        return word
    with_final, without = {"은는": ("은", "는"), "이가": ("이", "가"), "을를": ("을", "를"),
                           "과와": ("과", "와"), "으로로": ("으로", "로"),
                           "이라는라는": ("이라는", "라는"), "이며며": ("이며", "며"),
                           "이다다": ("이다", "다")}.get(pair, (pair, pair))
    last = unprotect(word).rstrip("'\"’”)]」』 ") or unprotect(word) or " "
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


class PlainSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, narrowed to plain data.

    A template may read the attributes and call the harmless methods of strings, numbers,
    lists and dicts (not change them) and use Jinja's own loop, namespace and macro objects;
    any other object, and any name starting with ``_``, is refused.  Nothing a template can
    reach writes a file.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if not isinstance(obj, _PLAIN + _RUNTIME):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def is_safe_callable(self, obj: Any) -> bool:
        owner = getattr(obj, "__self__", None)
        if owner is not None and not isinstance(owner, _PLAIN + _RUNTIME) \
                and not isinstance(owner, type(self)):
            return False
        return bool(super().is_safe_callable(obj))


def environment(dirs: list[Path]) -> PlainSandbox:
    """Return the sandboxed Jinja2 environment the report's templates run in."""
    env = PlainSandbox(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False, finalize=protect)
    env.filters["josa"] = josa
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
        where = _where(exc.filename or exc.name or name, dirs)
        raise PolicyReportError(Problem(where, exc.lineno, None,
                                        f"template syntax error: {exc.message}",
                                        "fix the {% %} or {{ }} on that line")) from exc
    except jinja2.TemplateNotFound as exc:
        raise PolicyReportError(Problem(f"templates/{exc.name}", None, None,
                                        "template not found",
                                        "restore it from the repository's templates/")) from exc
    except Exception as exc:  # an error raised while the template ran
        file, line = _template_frame(exc, dirs)
        kind = "undefined name" if isinstance(exc, jinja2.UndefinedError) else type(exc).__name__
        raise PolicyReportError(Problem(file or f"templates/{name}", line, None,
                                        f"{kind}: {exc}",
                                        "check the names used there against the template "
                                        "guide in README.md")) from exc


def _where(filename: str, dirs: list[Path]) -> str:
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
            found = (_where(frame.filename, dirs), frame.lineno)
    return found
