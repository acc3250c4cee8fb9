"""What a saved web page says about itself: title, date, publisher, author and address, from
Open Graph and ``article:`` tags, JSON-LD, ``<time>``, a Korean notice board's labelled
header (제목, 등록일, 담당부서) and the ``<title>``'s site suffix."""

from __future__ import annotations

import json
import re
from typing import Any

from analysis.documents.text import clean_block

_DATE = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?"
                   r"(?:[T\s]*(?:오전|오후|AM|PM)?\s*(\d{1,2})\s*[:시]\s*(\d{2}))?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})\d{0,2})?$")

def page_meta(page: Any) -> dict[str, str]:
    """Return title, date, publisher, author and url, as the page itself states them."""
    props: dict[str, str] = {}
    for el in page.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = clean_block(el.get("content") or "")
        if key and value and key not in props:
            props[key] = value
    ld = _json_ld(page)
    board = _board_fields(page)
    meta: dict[str, str] = {}
    title = (props.get("og:title") or props.get("twitter:title") or _ld_text(ld, "headline")
             or board.get("제목") or _first_text(page, "h1") or _title_tag(page))
    if title:
        meta["title"] = title
    for raw in (props.get("article:published_time"), _ld_text(ld, "datePublished"),
                props.get("datepublished"), props.get("og:regdate"), props.get("pubdate"),
                props.get("publishdate"), props.get("date"), props.get("dc.date"),
                props.get("dcterms.created"), _time(page), board.get("등록일"),
                board.get("작성일"), board.get("게시일")):
        date = _date(raw or "")
        if date:
            meta["date"] = date
            break
    publisher = (props.get("og:site_name") or _ld_name(ld, "publisher")
                 or props.get("publisher") or _title_suffix(_title_tag(page)))
    if publisher:
        meta["publisher"] = publisher
    author = (props.get("author") or _ld_name(ld, "author") or props.get("article:author")
              or board.get("작성자") or board.get("담당부서"))
    if author and not author.startswith("http"):
        meta["author"] = author
    url = props.get("og:url") or next((el.get("href") for el in page.iter("link")
                                       if (el.get("rel") or "").lower() == "canonical"), None)
    if url:
        meta["url"] = url.strip()
    return meta


BOARD_LABELS = ("제목", "등록일", "작성일", "게시일", "작성자", "담당부서")


def _board_fields(page: Any) -> dict[str, str]:
    """Return the labelled fields of a Korean notice board's header (``<th>제목</th><td>…``,
    ``<dt>등록일</dt><dd>…``)."""
    out: dict[str, str] = {}
    for el in page.iter("th", "dt"):
        label = "".join(el.text_content().split())
        if label in BOARD_LABELS and label not in out:
            value = el.getnext()
            if value is not None and value.tag in ("td", "dd"):
                text = clean_block(value.text_content())
                if text:
                    out[label] = " ".join(text.split())
    return out


def _title_suffix(title: str) -> str:
    """Return the site name a ``<title>`` ends with (``기사 제목 | 한빛일보``), or ''."""
    parts = re.split(r"\s+[|:–—-]\s+", title)
    return parts[-1] if len(parts) > 1 and len(parts[-1]) <= 30 else ""


def _json_ld(page: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for el in page.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(el.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return out


def _ld_text(ld: list[dict[str, Any]], key: str) -> str:
    for item in ld:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return clean_block(value)
    return ""


def _ld_name(ld: list[dict[str, Any]], key: str) -> str:
    for item in ld:
        value = item.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return clean_block(value["name"])
        if isinstance(value, str) and value.strip():
            return clean_block(value)
    return ""


def _first_text(page: Any, tag: str) -> str:
    el = next(page.iter(tag), None)
    return clean_block(el.text_content()) if el is not None else ""


def _title_tag(page: Any) -> str:
    el = next(page.iter("title"), None)
    return clean_block(el.text_content()) if el is not None else ""


def _time(page: Any) -> str:
    el = next(page.iter("time"), None)
    if el is None:
        return ""
    return str(el.get("datetime") or el.text_content())


def _date(raw: str) -> str:
    """Return ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` from a date as pages write it."""
    raw = raw.strip()
    match = _COMPACT_DATE.match(raw) or _DATE.search(raw)
    if not match:
        return ""
    year, month, day, hour, minute = match.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return ""
    date = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if hour is not None and minute is not None:
        afternoon = ("오후" in raw or "PM" in raw.upper()) and int(hour) < 12
        h = int(hour) + (12 if afternoon else 0)
        date += f" {h % 24:02d}:{int(minute):02d}"
    return date
