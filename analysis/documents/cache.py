"""Extracted text kept on disk, keyed by the source's bytes, the page range and the
extractor's version, so ``code``, ``validate`` and ``build`` never extract a source twice."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from analysis.documents.model import Document, Span

# Raise when extraction gives different text for the same bytes: old cache entries are then
# ignored (and left to be cleaned), never read.
EXTRACTOR_VERSION = "1"
_SPAN_FIELDS = tuple(f.name for f in fields(Span))


def cache_key(data: bytes, pages: tuple[int, int] | None = None) -> str:
    """Return the cache key of ``data`` read with ``pages``: a sha256 hex digest."""
    digest = hashlib.sha256(data).hexdigest()
    extra = f"{digest}|{pages[0]}-{pages[1]}" if pages else digest
    return hashlib.sha256(f"{extra}|v{EXTRACTOR_VERSION}".encode()).hexdigest()


def cached_extract(data: bytes, cache_dir: Path, name: str = "",
                   pages: tuple[int, int] | None = None) -> Document:
    """Return ``extract(data, name, pages)``, read from ``cache_dir`` when it was extracted
    before; a new extraction is written there atomically (temporary file, then rename)."""
    from analysis.documents.reading import extract

    path = cache_dir / f"{cache_key(data, pages)}.json"
    if path.is_file():
        try:
            return from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # unreadable or from a different layout: extract again and overwrite
    doc = extract(data, name, pages)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(to_json(doc), handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return doc


def to_json(doc: Document) -> dict[str, Any]:
    """Return ``doc`` as JSON-ready data (spans as compact lists)."""
    data = asdict(doc)
    data["spans"] = [[getattr(s, f) for f in _SPAN_FIELDS] for s in doc.spans]
    data["version"] = EXTRACTOR_VERSION
    return data


def from_json(data: dict[str, Any]) -> Document:
    """Return the ``Document`` that ``to_json`` wrote; raise ``ValueError`` if it is not one."""
    if data.get("version") != EXTRACTOR_VERSION:
        raise ValueError("cache entry from another extractor version")
    spans = tuple(Span(*values) for values in data["spans"])
    return Document(str(data["text"]), spans, str(data["format"]), data["pages"],
                    {str(k): str(v) for k, v in data["meta"].items()})
