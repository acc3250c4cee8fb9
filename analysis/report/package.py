"""Make a .docx reproducible: fixed zip entry times and order, pinned document dates."""

from __future__ import annotations

import io
import re
import zipfile

FIXED = (1980, 1, 1, 0, 0, 0)


def normalise(data: bytes, stamp: str) -> bytes:
    """Return ``data`` (a .docx) rewritten with fixed entry dates/order and core dates ``stamp``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    order = ["[Content_Types].xml", *sorted(n for n in names if n != "[Content_Types].xml")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order:
            content = source.read(name)
            if name == "docProps/core.xml":
                content = _pin_core(content, stamp)
            info = zipfile.ZipInfo(name, date_time=FIXED)
            # PNG and JPEG are compressed already: deflating them again only costs time
            stored = name.lower().endswith((".png", ".jpg", ".jpeg"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


def _pin_core(content: bytes, stamp: str) -> bytes:
    text = content.decode("utf-8")
    for tag in ("dcterms:created", "dcterms:modified"):
        text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
    text = re.sub(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>", "", text)
    return text.encode("utf-8")
