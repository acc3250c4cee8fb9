"""Extracted text kept on disk, keyed by the source's bytes, the page range and the
extractor's version, so ``code``, ``validate`` and ``build`` never extract a source twice."""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from analysis.documents.model import Document, Span
from analysis.errors import PolicyReportError
from analysis.fsio import atomic_write

# Raise when extraction gives different text for the same bytes: old cache entries are then
# ignored (and left to be cleaned), never read.
EXTRACTOR_VERSION = "6"  # 2: DOCX list numbers; 3: HWP/HWPX heads; 4: web <dl>; 5-6: web fields
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
    store(doc, data, cache_dir, pages)
    return doc


def store(doc: Document, data: bytes, cache_dir: Path,
          pages: tuple[int, int] | None = None) -> None:
    """Keep ``doc`` (extracted from ``data`` with ``pages``) in ``cache_dir``."""
    payload = json.dumps(to_json(doc), ensure_ascii=False, separators=(",", ":"))
    with contextlib.suppress(PolicyReportError):  # an unwritable cache only costs time
        atomic_write(cache_dir / f"{cache_key(data, pages)}.json", payload.encode("utf-8"))


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
