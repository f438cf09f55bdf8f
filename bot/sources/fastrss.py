"""A fast path for the most common payload: well-formed RSS 2.0 with plain items.

feedparser spends about 0.4 ms per item in pure-Python SAX callbacks, too slow for a
thousand feeds a cycle on two cores. The standard library's C XML parser reads a plain RSS 2.0
document 30 times faster. It produces entries shaped like feedparser's (same keys), so the rest
of rss.py does not know which path ran; anything unusual (not RSS 2.0, not well-formed, an
encoding expat lacks, HTML entities, item elements in namespaces we do not map such as
gdacs:, georss: or ercc:) returns None and feedparser reads the document instead.
tests/test_sources_fastrss.py checks both paths give the same reports on every payload.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
# Item children in these namespaces carry nothing we read (or only dc:date / content:encoded).
KNOWN_NS = (DC, CONTENT, "{http://www.w3.org/2005/Atom}", "{http://search.yahoo.com/mrss/}")


def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _entry(item: ET.Element) -> dict[str, Any] | None:
    entry: dict[str, Any] = {}
    tags: list[dict[str, Any]] = []
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a comment
        if tag.startswith("{"):
            if not tag.startswith(KNOWN_NS):
                return None
            if tag == f"{DC}date":
                entry.setdefault("updated", _text(child))
            elif tag == f"{CONTENT}encoded":
                entry["content"] = [{"value": child.text or ""}]
            elif tag == f"{DC}subject" and _text(child):
                tags.append({"term": _text(child)})
            continue
        if len(child):  # nested markup in a plain RSS element: not a plain item
            return None
        if tag == "title":
            entry["title"] = _text(child)
        elif tag == "link":
            entry["link"] = _text(child)
        elif tag == "description":
            entry["summary"] = child.text or ""
        elif tag == "guid":
            entry["id"] = _text(child)
            entry["_permalink"] = child.get("isPermaLink", "true").lower() != "false"
        elif tag == "pubDate":
            entry["published"] = _text(child)
        elif tag == "category" and _text(child):
            tags.append({"term": _text(child)})
    if "link" not in entry and entry.get("id") and entry.get("_permalink"):
        entry["link"] = entry["id"]  # as feedparser: a permalink guid stands for the link
    entry.pop("_permalink", None)
    if tags:
        entry["tags"] = tags
    return entry


def read(body: bytes) -> tuple[str, list[dict[str, Any]]] | None:
    """(channel title, feedparser-shaped entries), or None to let feedparser read it."""
    if b"<rss" not in body[:1024]:
        return None
    try:
        root = ET.fromstring(body)
    except (ET.ParseError, ValueError, LookupError):
        return None
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None or not root.get("version", "").startswith("2."):
        return None
    entries = []
    for item in channel.iterfind("item"):
        entry = _entry(item)
        if entry is None:
            return None
        entries.append(entry)
    return _text(channel.find("title")), entries
