"""Coding rules as data: the packaged ``analysis/data/rules.toml``, extended by a study's own
``rules.toml`` (same id replaces, new id adds, ``enabled = false`` switches a rule off).

A ``[lexicon]`` table names alternations of words (``strategy = '''추진\\s*전략|…'''``) that
any pattern may use as ``{strategy}``; a study's ``[lexicon]`` entry of the same name replaces
the packaged one, so a researcher adds a word for "strategy" in one place.  A ``[structure]``
table holds the words that tell a document's parts (header labels, 목차).

A broken rule (bad regular expression, unknown kind or element) is a ``Problem`` naming the
file, the line of the rule's id and what to fix, like every other input of the tool.
"""

from __future__ import annotations

import re
import re._constants as re_constants  # type: ignore[import-not-found]
import re._parser as re_parser  # type: ignore[import-not-found]
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from analysis.errors import PolicyReportError, Problem, errors
from analysis.tomlfile import parse_toml, read_toml
from analysis.vocab import RuleKind

# sentence kinds read Kiwi's sentences; line kinds read a document's lines (tables, outline
# items, header fields); "list" reads the outline structure and sentences together
SENTENCE_KINDS = (RuleKind.REGEX, RuleKind.ENTITY, RuleKind.MARKED_LIST,
                  RuleKind.COUNTED_LIST, RuleKind.OBJECT)
LINE_KINDS = (RuleKind.LINE, RuleKind.HEADING, RuleKind.SECTION)
KINDS = (*SENTENCE_KINDS, *LINE_KINDS, RuleKind.LIST)
assert set(KINDS) == set(RuleKind)
LIST_FORMS = ("block", "inline", "counted")
ROLES = ("prose", "outline", "table", "header", "toc", "title")
RULES_NAME = "rules.toml"
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# a heading that names a list: the term with a count, "…별", "와 세부 내용", a note in (…)
DEFAULT_HEADING = (r"^(?:[가-힣]{1,4}의\s+)?(?:\d+\s*[대개]\s*)?(?:[가-힣]{1,3}별\s*|주요\s*)?"
                   r"(?:{term})"
                   # ("전략별 대표 사업", "분야별 예산" list projects and sums, not the layer)
                   r"(?:\s*별\s*(?!(?:대표|주요|세부|핵심|단위)?\s*사업|예산|사업비|성과|실적|"
                   r"(?:추진\s*)?일정|담당|부서)[가-힣]{1,6}(?:\s[가-힣]{1,6})?"
                   r"|\s*(?:와|과|및)\s*(?:세부|주요)?\s*"
                   r"[가-힣]{1,6}(?:\s[가-힣]{1,6})?|\s*\(.*\)"
                   r"|\s*(?:[·,]|와|과|및)?\s*\d+\s*개\s*[가-힣]{1,6}"
                   r"(?:\s[가-힣]{1,6})?){0,2}\s*[:：]?$"
                   # or a heading that counts the list: "세부 추진계획 (4개 중점과제, 15개
                   # 세부사업)", "세부 추진계획 : 3대 추진전략 및 9개 단위과제"
                   r"|^[가-힣·\s]{1,16}?\s*(?:\(|[:：]\s*)(?:총\s*)?\d+\s*[대개]\s*(?:{term})"
                   r"(?:[,·\s]|및|\d+\s*[개대]|[가-힣]){0,24}\)?\s*$"
                   # or a title that ends in the count: "○○구 마음건강 증진 기본계획 3대 전략"
                   r"|^[가-힣·\s]{2,30}\s\d+\s*[대개]\s*(?:{term})\s*$")


@dataclass(frozen=True)
class Suffix:
    """Words that end a name of the rule's element (협의체, 위원회), with their sub-code."""

    words: tuple[str, ...]
    subcode: str
    require: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Rule:
    """One coding rule."""

    id: str
    element: str
    kind: str
    confidence: float
    subcode: str = ""
    pattern: re.Pattern[str] | None = None
    anchor: re.Pattern[str] | None = None
    require: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    exclude: tuple[re.Pattern[str], ...] = ()
    suffixes: tuple[Suffix, ...] = ()
    generic: frozenset[str] = frozenset()
    generic_lead: re.Pattern[str] | None = None
    trim: re.Pattern[str] | None = None  # entity: a leading part cut off a name (시장 직속 …)
    markers: str = ""
    max_chars: int = 40
    min_count: int = 2
    not_followed_by: re.Pattern[str] | None = None
    not_preceded_by: re.Pattern[str] | None = None
    # line and list kinds
    roles: frozenset[str] = frozenset()
    within_first: int = 0
    split: re.Pattern[str] | None = None
    min_chars: int = 2
    # list kind
    form: str = ""
    term: re.Pattern[str] | None = None
    heading: re.Pattern[str] | None = None
    intro: re.Pattern[str] | None = None
    layer: str = ""
    take: str = ""  # list kind: "children", the deeper lines of each item (its projects)
    format: str = ""  # "years": a period written YYYY~YYYY년; "count": a count without 아래, 모두
    min_items: int = 2
    max_items: int = 12
    # object kind
    stop: re.Pattern[str] | None = None
    # a negative rule: what it finds is not coded in that document (nor the same value found
    # by any other rule of its element)
    negative: bool = False
    # searched once over a document's sentences (or lines) joined by newlines: the sentences
    # it touches are the only ones the rule is tried on
    prefilter: re.Pattern[str] | None = None
    # literals of which one occurs in any text the prefilter matches ("위탁", "수탁"): a
    # document holding none of them is not searched at all (None: no such literals known)
    hints: tuple[str, ...] | None = None


@dataclass(frozen=True)
class NoisePattern:
    pattern: re.Pattern[str]
    max_chars: int


@dataclass(frozen=True)
class Structure:
    """Words that tell a document's parts: header fields (문서번호, 담당부서) and the 목차."""

    header: re.Pattern[str] | None = None
    toc: re.Pattern[str] | None = None
    header_lines: int = 40


@dataclass(frozen=True)
class Rules:
    """All active rules, and the noise settings used by ``clean``."""

    rules: tuple[Rule, ...]
    noise: tuple[NoisePattern, ...] = ()
    min_body_chars: int = 30
    min_hangul_ratio: float = 0.3
    sources: tuple[str, ...] = field(default=())
    structure: Structure = field(default_factory=Structure)
    lexicon: tuple[tuple[str, str], ...] = ()

    def of_kind(self, *kinds: str) -> tuple[Rule, ...]:
        """Return the rules of the given kinds, in file order."""
        return tuple(r for r in self.rules if r.kind in kinds)


def packaged_rules_text() -> str:
    """Return the text of the rules shipped with the tool."""
    return resources.files("analysis.data").joinpath(RULES_NAME).read_text(encoding="utf-8")


def load_rules(study_root: Path | None = None, elements: set[str] | None = None) -> Rules:
    """Return the packaged rules extended by ``<study>/rules.toml``; raise listing all problems."""
    problems: list[Problem] = []
    files = [parse_toml(packaged_rules_text(), "analysis/data/rules.toml")]
    if study_root is not None:
        files.append(read_toml(study_root / RULES_NAME, RULES_NAME))
    texts: list[tuple[str, str]] = []
    merged: dict[str, tuple[str, str, dict[str, Any]]] = {}
    noise: dict[str, Any] = {}
    structure: dict[str, Any] = {}
    lexicon: dict[str, str] = {}
    for parsed, found in files:
        problems += errors(found)
        if parsed is None:
            continue
        path, text, data = parsed.rel, parsed.text, parsed.data
        texts.append((path, text))
        noise.update(data.get("noise", {}))
        structure.update(data.get("structure", {}))
        lexicon.update({str(k): str(v) for k, v in data.get("lexicon", {}).items()})
        for raw in data.get("rules", []):
            rid = str(raw.get("id", ""))
            if not rid:
                problems.append(Problem(path, None, "id", "a rule has no id",
                                        'give every [[rules]] an id = "element.name"'))
                continue
            merged[rid] = (path, text, raw)
    rules = []
    for rid, (path, text, raw) in merged.items():
        if raw.get("enabled", True) is False:
            continue
        rule = _rule(rid, raw, _Where(path, text, rid, problems, lexicon), elements)
        if rule is not None:
            rules.append(rule)
    last = texts[-1][0] if texts else RULES_NAME
    noise_patterns = []
    for entry in noise.get("patterns", []):
        compiled = _compile(entry.get("pattern", ""), _Where(last, "", "noise", problems, lexicon),
                            "pattern")
        if compiled is not None:
            noise_patterns.append(NoisePattern(compiled, int(entry.get("max_chars", 80))))
    where = _Where(last, "", "structure", problems, lexicon)
    parts = Structure(
        header=_compile(structure["header"], where, "header") if "header" in structure else None,
        toc=_compile(structure["toc"], where, "toc") if "toc" in structure else None,
        header_lines=int(structure.get("header_lines", 40)))
    if problems:
        raise PolicyReportError(problems)
    return Rules(tuple(rules), tuple(noise_patterns), int(noise.get("min_body_chars", 30)),
                 float(noise.get("min_hangul_ratio", 0.3)), tuple(p for p, _ in texts), parts,
                 tuple(sorted(lexicon.items())))


def min_confidence(items: list[Any], threshold: float) -> list[Any]:
    """Return the suggestions whose confidence is at least ``threshold`` (``code
    --min-confidence``); items without a confidence (a reviewer's rows) are kept."""
    kept = []
    for item in items:
        try:
            value = float(getattr(item, "confidence", "") or "nan")
        except ValueError:
            value = float("nan")
        if value != value or value >= threshold:
            kept.append(item)
    return kept


@dataclass
class _Where:
    path: str
    text: str
    rid: str
    problems: list[Problem]
    lexicon: dict[str, str] = field(default_factory=dict)

    def problem(self, key: str, message: str, hint: str) -> None:
        line = None
        for number, content in enumerate(self.text.splitlines(), start=1):
            if re.match(r'\s*id\s*=\s*"' + re.escape(self.rid) + '"', content):
                line = number
                break
        self.problems.append(Problem(self.path, line, f"rule {self.rid} {key}", message, hint))


def expand(pattern: str, lexicon: dict[str, str], term: str = "") -> str:
    """Return ``pattern`` with ``{name}`` replaced by the lexicon's alternation (and ``{term}``
    by ``term``); an unknown name raises KeyError."""
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "term" and term:
            return "(?:" + term + ")"
        return "(?:" + expand(lexicon[name], lexicon) + ")"

    return PLACEHOLDER.sub(sub, pattern)


def _compile(pattern: Any, where: _Where, key: str, term: str = "") -> re.Pattern[str] | None:
    if not isinstance(pattern, str) or not pattern:
        where.problem(key, "must be a non-empty pattern", f"write {key} = '''…'''")
        return None
    try:
        return re.compile(expand(pattern, where.lexicon, term))
    except KeyError as exc:
        where.problem(key, f"unknown lexicon word {{{exc.args[0]}}}",
                      "name it in [lexicon] (e.g. strategy = '''추진\\s*전략''')")
        return None
    except re.error as exc:
        where.problem(key, f"bad regular expression: {exc}",
                      "check brackets and escapes; test it at the Python prompt with re.compile")
        return None


def required_literals(pattern: re.Pattern[str] | None) -> tuple[str, ...] | None:
    """Return literals of which every match of ``pattern`` contains one (the most selective
    such set found in its parse), or None when the pattern has none (or ignores case)."""
    if pattern is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        found = _literals(re_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):
        return None
    return tuple(dict.fromkeys(found)) if found else None


def _literals(sequence: Any) -> list[str] | None:
    """Return alternatives one of which every match of the parsed ``sequence`` contains."""
    options: list[list[str]] = []
    run = ""
    for op, argument in sequence:
        if op is re_constants.LITERAL:
            run += chr(argument)
            continue
        if run:
            options.append([run])
            run = ""
        found: list[str] | None = None
        if op is re_constants.BRANCH:
            branches = [_literals(branch) for branch in argument[1]]
            if all(branches):
                found = [text for branch in branches if branch for text in branch]
        elif op is re_constants.SUBPATTERN:
            found = _literals(argument[3])
        elif op is re_constants.ATOMIC_GROUP:
            found = _literals(argument)
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT,
                    re_constants.POSSESSIVE_REPEAT) and argument[0] >= 1:
            found = _literals(argument[2])
        if found:
            options.append(found)
    if run:
        options.append([run])
    if not options:
        return None
    # the surest filter: the longest shortest literal, then the fewest alternatives
    return max(options, key=lambda option: (min(len(t) for t in option), -len(option)))


def _lines_pattern(pattern: re.Pattern[str] | None) -> re.Pattern[str] | None:
    """Return ``pattern`` for a text of many sentences or lines joined by newlines: ``^`` and
    ``$`` then match at each one's start and end, so a match inside one of them is a match
    in the joined text (the text is searched once; only what it touches is tried)."""
    return None if pattern is None else re.compile(pattern.pattern, pattern.flags | re.M)


def _rule(rid: str, raw: dict[str, Any], where: _Where, elements: set[str] | None) -> Rule | None:
    kind = raw.get("kind", "")
    element = raw.get("element", "")
    if kind not in KINDS:
        where.problem("kind", f"unknown kind {kind!r}", f"use one of: {', '.join(KINDS)}")
        return None
    if elements is not None and element not in elements:
        where.problem("element", f"unknown element {element!r}",
                      f"use an element of framework.toml: {', '.join(sorted(elements))}")
        return None
    confidence = raw.get("confidence", 0.5)
    if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        where.problem("confidence", f"{confidence!r} is not a number from 0 to 1", "e.g. 0.8")
        return None

    def pattern_of(key: str, term: str = "") -> re.Pattern[str] | None:
        return _compile(raw[key], where, key, term) if key in raw else None

    pattern = pattern_of("pattern")
    anchor = pattern_of("anchor")
    require = pattern_of("require")
    unless = pattern_of("unless")
    after_name = pattern_of("not_followed_by")
    before_name = pattern_of("not_preceded_by")
    split = pattern_of("split")
    stop = pattern_of("stop")
    lead = pattern_of("generic_lead")
    trim = pattern_of("trim")
    exclude = tuple(p for p in (_compile(x, where, "exclude") for x in raw.get("exclude", []))
                    if p is not None)
    roles = frozenset(str(r) for r in raw.get("roles", []))
    if unknown := roles - set(ROLES) - {"any"}:
        where.problem("roles", f"unknown line roles {sorted(unknown)}",
                      f"use some of: {', '.join(ROLES)}")
        return None
    if kind == "regex" and (pattern is None or "value" not in pattern.groupindex):
        where.problem("pattern", "a regex rule needs a pattern with a (?P<value>…) group",
                      "name the part that is the coded value (?P<value>…)")
        return None
    if kind == "line" and (pattern is None or "value" not in pattern.groupindex):
        where.problem("pattern", "a line rule needs a pattern with a (?P<value>…) group",
                      "name the part that is the coded value (?P<value>…)")
        return None
    if kind in ("marked_list", "counted_list", "section", "object") and anchor is None:
        where.problem("anchor", f"a {kind} rule needs an anchor pattern", "add anchor = '''…'''")
        return None
    term_source = ""
    term = heading = intro = None
    form = str(raw.get("form", ""))
    if kind == "list":
        if form not in LIST_FORMS:
            where.problem("form", f"unknown list form {form!r}",
                          f"use one of: {', '.join(LIST_FORMS)}")
            return None
        term = pattern_of("term")
        if term is None:
            where.problem("term", "a list rule needs a term: the words its lists are named "
                          "by", "e.g. term = '''{goal}'''")
            return None
        term_source = term.pattern
        heading = _compile(raw.get("heading", DEFAULT_HEADING), where, "heading", term_source)
        intro = pattern_of("intro", term_source)
    suffixes = []
    for entry in raw.get("suffixes", []):
        words = tuple(str(w) for w in entry.get("words", []))
        if not words:
            where.problem("suffixes", "a suffix entry has no words", 'write words = ["…"]')
            continue
        needs = _compile(entry["require"], where, "require") if "require" in entry else None
        suffixes.append(Suffix(words, str(entry.get("subcode", raw.get("subcode", ""))), needs))
    if kind == "entity" and not suffixes:
        where.problem("suffixes", "an entity rule needs suffixes", 'suffixes = [{ words = ["…"] }]')
        return None
    fmt = str(raw.get("format", ""))
    if fmt not in ("", "years", "count"):
        where.problem("format", f"unknown format {fmt!r}", 'use format = "years" or "count"')
        return None
    prefilter = None
    if require is not None and kind in SENTENCE_KINDS:
        prefilter = _lines_pattern(require)  # a cheap necessary condition of the rule
    elif kind in ("regex", "line"):
        prefilter = _lines_pattern(pattern)
    elif kind == "entity" and prefilter is None:
        prefilter = re.compile("|".join(re.escape(w) for s in suffixes for w in s.words))
    elif kind in ("object", "marked_list", "counted_list") and prefilter is None:
        prefilter = _lines_pattern(anchor)
    elif kind == "list":
        prefilter = term
    return Rule(id=rid, element=element, kind=kind, confidence=float(confidence),
                subcode=str(raw.get("subcode", "")), pattern=pattern, anchor=anchor,
                require=require, unless=unless, exclude=exclude, suffixes=tuple(suffixes),
                generic=frozenset(str(g) for g in raw.get("generic", [])), generic_lead=lead,
                trim=trim,
                markers=str(raw.get("markers", "")), max_chars=int(raw.get("max_chars", 40)),
                min_count=int(raw.get("min_count", 2)), not_followed_by=after_name,
                not_preceded_by=before_name, roles=roles,
                within_first=int(raw.get("within_first", 0)), split=split,
                min_chars=int(raw.get("min_chars", 2)), form=form, term=term, heading=heading,
                intro=intro, layer=str(raw.get("layer", "")), format=fmt,
                take=str(raw.get("take", "")),
                min_items=int(raw.get("min_items", 2)), max_items=int(raw.get("max_items", 12)),
                stop=stop, prefilter=prefilter, negative=bool(raw.get("negative", False)),
                hints=required_literals(prefilter))
