"""Check the development corpus: corpus.toml, the documents and every gold sheet.

    python tests/corpus/dev/check_gold.py

For each document the text is read the way a reader sees it: .txt as UTF-8 lines, .docx as
its paragraphs and every table cell (python-docx), .html as the visible text (no <head>,
<script>, <style>), one unit per block element, .pdf, .hwp and .hwpx as the lines of the text the project's
own extractor gives (``analysis.documents.extract``: one line per paragraph, a table row as
``label | value``).  Each gold row must have a known element and
a sub-code of that element (framework.toml), and an evidence that is a verbatim substring of
one unit (line, paragraph or table cell) and does not start with - = + @.  Elements that a
case has only once (multiple = false) may appear at most once per sheet.
Exit status 0 when everything holds, 1 with one line per problem otherwise.
"""

from __future__ import annotations

import csv
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
GENRES = {"news", "press", "plan_summary", "plan", "minutes", "pledge", "ordinance", "approval"}
LEVELS = {"특별시", "광역시", "특별자치시", "도", "특별자치도", "시", "군", "구"}
HEADER = ["element", "subcode", "value", "evidence"]
BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "title", "br", "tr", "td", "th",
         "section", "article", "header", "footer", "nav", "aside", "ul", "ol", "address", "main",
         "span", "a", "strong", "small", "form", "button"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._buf: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.units.append(text)
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("head", "script", "style"):
            self._skip += 1
        elif tag in BLOCK and tag not in ("span", "a", "strong", "small"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "script", "style"):
            self._skip -= 1
        elif tag in BLOCK and tag not in ("span", "a", "strong", "small"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)


def units(path: Path) -> list[str]:
    """The document's text units: lines, paragraphs or table cells."""
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".html":
        parser = _Visible()
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        parser._flush()
        return parser.units
    if path.suffix == ".docx":
        from docx import Document
        doc = Document(str(path))
        out = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                for cell in row.cells:
                    out.append(cell.text)
                    out.extend(p.text for p in cell.paragraphs)
        return out
    if path.suffix in (".pdf", ".hwp", ".hwpx"):
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from analysis.documents import extract
        return extract(path.read_bytes(), path.name).text.splitlines()
    raise ValueError(f"unknown document type: {path}")


def main() -> int:
    framework = tomllib.loads((ROOT / "framework.toml").read_text(encoding="utf-8"))
    elements = {e["id"]: e for e in framework["elements"]}
    subcodes = {e["id"]: {s["id"] for s in e.get("subcodes", [])} for e in framework["elements"]}
    corpus = tomllib.loads((HERE / "corpus.toml").read_text(encoding="utf-8"))
    problems: list[str] = []
    seen: set[str] = set()
    for doc in corpus["documents"]:
        did = doc["id"]
        if did in seen:
            problems.append(f"corpus.toml: duplicate id {did}")
        seen.add(did)
        if doc["genre"] not in GENRES:
            problems.append(f"corpus.toml: {did}: unknown genre {doc['genre']}")
        if doc["level"] not in LEVELS:
            problems.append(f"corpus.toml: {did}: unknown level {doc['level']}")
        path = HERE / doc["file"]
        if not path.exists():
            problems.append(f"{doc['file']}: missing")
            continue
        text_units = units(path)
        gold = HERE / "gold" / f"{did}.csv"
        if not gold.exists():
            problems.append(f"gold/{did}.csv: missing")
            continue
        with gold.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        if not rows or rows[0] != HEADER:
            problems.append(f"gold/{did}.csv:1: header must be {','.join(HEADER)}")
            continue
        counts: dict[str, int] = {}
        keys: set[tuple[str, str, str]] = set()
        for n, row in enumerate(rows[1:], start=2):
            where = f"gold/{did}.csv:{n}"
            if len(row) != 4:
                problems.append(f"{where}: {len(row)} columns")
                continue
            element, subcode, value, evidence = row
            if element not in elements:
                problems.append(f"{where}: unknown element {element!r}")
                continue
            if subcodes[element] and subcode not in subcodes[element]:
                problems.append(f"{where}: sub-code {subcode!r} is not one of {element}'s")
            if not subcodes[element] and subcode:
                problems.append(f"{where}: {element} has no sub-codes")
            if not value.strip() or not evidence.strip():
                problems.append(f"{where}: empty value or evidence")
            if evidence[:1] in "-=+@":
                problems.append(f"{where}: evidence starts with {evidence[:1]!r}")
            if not any(evidence in u for u in text_units):
                problems.append(f"{where}: evidence not in one line/paragraph/cell: {evidence!r}")
            if (element, subcode, value) in keys:
                problems.append(f"{where}: duplicate item {element}/{value}")
            keys.add((element, subcode, value))
            counts[element] = counts.get(element, 0) + 1
        for element, k in counts.items():
            if not elements[element].get("multiple", True) and k > 1:
                problems.append(f"gold/{did}.csv: {element} coded {k} times (one per case)")
    extra = {p.stem for p in (HERE / "gold").glob("*.csv")} - seen
    for stem in sorted(extra):
        problems.append(f"gold/{stem}.csv: no such document in corpus.toml")
    for p in problems:
        print(p)
    if not problems:
        print(f"OK: {len(corpus['documents'])} documents, gold evidence all found")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
