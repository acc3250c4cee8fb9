"""Reading the study's TOML files (study.toml, cases.toml, framework.toml, rules.toml,
labels.toml) the same way everywhere, with line numbers for every problem.

``read_toml`` refuses what would trip a later stage and says where: a file that is missing or
a folder, not UTF-8 (CP949 from Korean Windows named as such), not TOML (with the line), or
holding a control character Word cannot store (with the key and line).  Decomposed Hangul
(NFD, as macOS saves it) is normalised to NFC and reported as a note, not an error.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import Problem
from analysis.textio import forbidden_chars, looks_utf16

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


@dataclass(frozen=True)
class TomlFile:
    """A parsed TOML file: where it is (for messages), its text and its data."""

    rel: str
    text: str
    data: dict[str, Any]

    def line(self, *path: str | int) -> int | None:
        """Return the 1-based line of the table or key at ``path`` (e.g. "cases", "ulsan")."""
        return key_line(self.text, path)


def _unquote(name: str) -> str:
    name = name.strip()
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'" else name


def _split(dotted: str) -> list[str]:
    return [_unquote(p) for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', dotted)]


def key_line(text: str, path: KeyPath) -> int | None:
    """Return the line of ``path`` in TOML ``text``: the key's line, else its table's header.

    Arrays of tables count from 0: ``("elements", 2, "label_ko")`` is ``label_ko`` in the
    third ``[[elements]]``.
    """
    counts: dict[tuple[str | int, ...], int] = {}
    current: tuple[str | int, ...] = ()
    best: tuple[int, int] | None = None  # (matched length, line)
    target = tuple(path)

    def consider(found: tuple[str | int, ...], number: int) -> None:
        nonlocal best
        if target[:len(found)] == found and (best is None or len(found) > best[0]):
            best = (len(found), number)

    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            parts = _split(header.group(2))
            resolved: list[str | int] = []
            for i, part in enumerate(parts):
                resolved.append(part)
                prefix = tuple(resolved)
                last = i == len(parts) - 1
                if last and header.group(1) == "[[":
                    counts[prefix] = counts.get(prefix, -1) + 1
                    resolved.append(counts[prefix])
                elif prefix in counts:  # a sub-table of the latest entry of an array
                    resolved.append(counts[prefix])
            current = tuple(resolved)
            consider(current, number)
            continue
        key = _KEY.match(line)
        if key:
            consider((*current, *_split(key.group(1))), number)
    return best[1] if best else None


def toml_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    """Return the line a ``tomllib`` error names."""
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def strings(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Yield every string value in ``data`` with its key path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*path, index))


def dotted(path: KeyPath) -> str:
    """Return a key path as TOML writes it: ``cases.ulsan.name``, ``elements[2].id``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def parse_toml(text: str, rel: str) -> tuple[TomlFile | None, list[Problem]]:
    """Return the parsed ``text`` and its problems (NFD is normalised, with a note)."""
    problems: list[Problem] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        problems.append(Problem(rel, None, None,
                                "decomposed Hangul (NFD, as macOS saves it) was read as NFC",
                                "nothing to do; save the file again to store it as NFC",
                                level="note"))
        text = nfc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, [*problems, Problem(rel, toml_error_line(exc), None,
                                         f"not valid TOML: {message}",
                                         "fix the quoting, brackets or '=' on that line")]
    for path, value in strings(data):
        bad = forbidden_chars(value)
        if bad:
            problems.append(Problem(rel, key_line(text, path), dotted(path),
                                    f"control character {', '.join(bad)} in the value",
                                    "delete it: Word cannot store control characters"))
    return TomlFile(rel, text, data), problems


def read_toml(path: Path, rel: str, missing: tuple[str, str] | None = None
              ) -> tuple[TomlFile | None, list[Problem]]:
    """Return the TOML file at ``path`` and its problems.

    ``missing`` is the (message, hint) for an absent file; without it an absent file is no
    problem and gives ``None``.
    """
    if not path.exists():
        return None, ([Problem(rel, None, None, *missing)] if missing else [])
    if not path.is_file():
        return None, [Problem(rel, None, None, "is a directory (folder), not a file",
                              "remove the folder and restore the file")]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, None, None, f"cannot be read: {exc.strerror or exc}",
                              "check the file's permissions")]
    if looks_utf16(raw):
        return None, [Problem(rel, None, None,
                              "saved as UTF-16 (Windows 'Unicode'), not UTF-8",
                              "save it again as UTF-8 (메모장: 다른 이름으로 저장 → 인코딩 "
                              "UTF-8)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            raw.decode("cp949")
            how = "saved as CP949/EUC-KR, not UTF-8"
        except UnicodeDecodeError:
            how = f"not UTF-8 text (byte {exc.start})"
        return None, [Problem(rel, None, None, how,
                              "save it as UTF-8 (메모장: 다른 이름으로 저장 → 인코딩 UTF-8)")]
    return parse_toml(text, rel)
