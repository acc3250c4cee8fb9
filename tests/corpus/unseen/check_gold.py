"""Check the unseen part: every document listed, every gold row's element and subcode known in
framework.toml, every evidence a verbatim substring of one paragraph/line or one table cell of
the document's visible text.  Run:  python tests/corpus/unseen/check_gold.py  (exit 1 on errors)
"""

from __future__ import annotations

import csv
import sys
import tomllib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "br",
         "article", "section", "header", "footer", "nav", "aside", "ul", "ol", "address",
         "span_block", "title"}
HIDDEN = {"head", "script", "style", "noscript", "template"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.cur: list[str] = []
        self.hidden = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.cur).split())
        if text:
            self.blocks.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        if tag in BLOCK:
            self._flush()

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1
        if tag in BLOCK:
            self._flush()

    def handle_data(self, data):
        if not self.hidden:
            self.cur.append(data)


def blocks(path: Path) -> list[str]:
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8").splitlines()
    if path.suffix in {".html", ".htm"}:
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        parser._flush()
        return parser.blocks
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
    raise ValueError(f"unknown document type: {path}")


def main() -> int:
    framework = tomllib.loads((ROOT / "framework.toml").read_text(encoding="utf-8"))
    subcodes = {e["id"]: {s["id"] for s in e.get("subcodes", [])} for e in framework["elements"]}
    corpus = tomllib.loads((HERE / "corpus.toml").read_text(encoding="utf-8"))
    errors: list[str] = []
    by_element: Counter[str] = Counter()
    ids = set()
    for doc in corpus["documents"]:
        ids.add(doc["id"])
        path = HERE / doc["file"]
        if not path.exists():
            errors.append(f"{doc['id']}: missing {doc['file']}")
            continue
        texts = blocks(path)
        gold = HERE / "gold" / f"{doc['id']}.csv"
        if not gold.exists():
            errors.append(f"{doc['id']}: missing gold/{gold.name}")
            continue
        raw = gold.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            errors.append(f"{gold.name}: has a BOM")
        with gold.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != ["element", "subcode", "value", "evidence"]:
                errors.append(f"{gold.name}: header {reader.fieldnames}")
                continue
            seen = set()
            for n, row in enumerate(reader, start=2):
                where = f"{gold.name}:{n}"
                el, sub, val, ev = row["element"], row["subcode"], row["value"], row["evidence"]
                if el not in subcodes:
                    errors.append(f"{where}: unknown element {el!r}")
                    continue
                if subcodes[el] and sub not in subcodes[el]:
                    errors.append(f"{where}: subcode {sub!r} not one of {sorted(subcodes[el])}")
                if not subcodes[el] and sub:
                    errors.append(f"{where}: element {el} has no subcodes, got {sub!r}")
                if not val.strip() or not ev.strip():
                    errors.append(f"{where}: empty value or evidence")
                for cell in (val, ev):
                    if cell[:1] in "-=+@":
                        errors.append(f"{where}: cell starts with {cell[:1]!r}")
                if not any(ev in t for t in texts):
                    errors.append(f"{where}: evidence not found in one block: {ev!r}")
                if (el, sub, val) in seen:
                    errors.append(f"{where}: duplicate item")
                seen.add((el, sub, val))
                by_element[f"{el}/{sub}" if sub else el] += 1
    for gold in (HERE / "gold").glob("*.csv"):
        if gold.stem not in ids:
            errors.append(f"{gold.name}: not listed in corpus.toml")
    for e in errors:
        print(e)
    print(f"{len(ids)} documents, {sum(by_element.values())} gold items")
    for k in sorted(by_element):
        print(f"  {k}: {by_element[k]}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
