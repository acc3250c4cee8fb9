"""Make a .docx reproducible: fixed zip entry times and order, pinned document dates."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

FIXED = (1980, 1, 1, 0, 0, 0)
# deflate level for XML parts: level 6 (zlib's default) costs twice the time of level 3 for a
# file 3 % smaller
LEVEL = 3


def normalise(data: bytes, stamp: str) -> bytes:
    """Return ``data`` (a .docx) rewritten with fixed entry dates/order and core dates ``stamp``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return _zip(((name, source.read(name)) for name in source.namelist()), stamp)


def document_bytes(document: Any, stamp: str) -> bytes:
    """Return a python-docx ``document`` as .docx bytes, reproducible as :func:`normalise`
    makes them, without zipping the parts once in python-docx's way and again in ours."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    entries = [(CONTENT_TYPES_URI.membername, types.blob),
               (PACKAGE_URI.rels_uri.membername, package.rels.xml)]
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    return _zip(entries, stamp)


def _zip(entries: Iterable[tuple[str, bytes]], stamp: str) -> bytes:
    content = dict(entries)
    order = ["[Content_Types].xml", *sorted(n for n in content if n != "[Content_Types].xml")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order:
            data = content[name]
            if name == "docProps/core.xml":
                data = _pin_core(data, stamp)
            info = zipfile.ZipInfo(name, date_time=FIXED)
            # PNG and JPEG are compressed already: deflating them again only costs time
            stored = name.lower().endswith((".png", ".jpg", ".jpeg"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data, compresslevel=LEVEL)
    return out.getvalue()


def _pin_core(content: bytes, stamp: str) -> bytes:
    text = content.decode("utf-8")
    for tag in ("dcterms:created", "dcterms:modified"):
        text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
    text = re.sub(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>", "", text)
    return text.encode("utf-8")
