"""RSS 0.9x / 1.0 / 2.0 and Atom feeds (feedparser), GeoRSS points, namespaced dates.

Plain RSS 2.0 goes through a fast path (fastrss.py); everything else through feedparser.
Encodings are feedparser's job (declared, HTTP charset, BOM, Latin-1 fallback); we add the
repair of a doubly encoded BOM and read dates ourselves, because a lenient date parser turns
"2020/1/10 14:33:00" into 1 November: a time with no stated zone is reported as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import feedparser

from bot.sources import fastrss
from bot.sources.base import ParsedReport
from bot.sources.errors import ParseError
from bot.sources.text import clean_text, external_id, parse_date

# A UTF-8 BOM that was UTF-8-encoded a second time ("ï»¿" before "<?xml").
DOUBLE_BOM = b"\xc3\xaf\xc2\xbb\xc2\xbf"
DATE_KEYS = ("published", "pubdate", "updated", "created", "issued", "modified", "date")


def repair(body: bytes) -> bytes:
    """Undo byte-level damage seen on real feeds before parsing."""
    while body.startswith(DOUBLE_BOM):
        body = body[len(DOUBLE_BOM) :]
    return body


@dataclass(slots=True)
class Feed:
    title: str
    entries: list[Any]  # feedparser entries, or dicts shaped like them (fastrss)


def parse_feed(body: bytes, content_type: str | None = None, *, fast_path: bool = True) -> Feed:
    """The entries of `body`; ParseError when nothing usable is in it."""
    body = repair(body)
    fast = fastrss.read(body) if fast_path else None
    if fast is not None:
        return Feed(*fast)
    headers = {"content-type": content_type} if content_type and "charset" in content_type else {}
    # sanitize_html is off: nh3 cleans the text later, once.
    feed = feedparser.parse(
        body, sanitize_html=False, resolve_relative_uris=False, response_headers=headers
    )
    if not feed.entries and feed.get("bozo"):
        raise ParseError(f"malformed feed: {feed.get('bozo_exception')}")
    if not feed.entries and not feed.get("version"):
        raise ParseError("not an RSS or Atom feed")
    return Feed(feed.feed.get("title", ""), feed.entries)


def entry_date(entry: Any) -> tuple[Any, str | None]:
    """(aware UTC time or None, the raw string it came from)."""
    plain = dict(entry)  # plain dict access: no feedparser key aliasing (and its warnings)
    candidates: list[str] = [plain[k] for k in DATE_KEYS if plain.get(k)]
    # Namespaced dates: ercc:pubDate arrives as "ercc_pubdate", dc:date as "updated" …
    candidates += [v for k, v in plain.items() if k.endswith(("_pubdate", "_date")) and v]
    for raw in candidates:
        if isinstance(raw, str):
            when = parse_date(raw)
            if when is not None:
                return when, raw
    first = next((c for c in candidates if isinstance(c, str)), None)
    return None, first


def entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "")
    return clean_text(best if len(best) >= len(summary) else summary)


def geo_fields(entry: Any) -> dict[str, Any]:
    where = entry.get("where")
    if where and where.get("type") == "Point":
        lon, lat = where["coordinates"][:2]
        return {"lat": float(lat), "lon": float(lon)}
    try:
        return {"lat": float(entry["geo_lat"]), "lon": float(entry["geo_long"])}
    except (KeyError, TypeError, ValueError):
        return {}


def country_fields(entry: Any) -> dict[str, Any]:
    """ISO3 codes that feeds state in namespaced elements (ercc:countries, …:iso3)."""
    out: dict[str, Any] = {}
    codes: list[str] = []
    for key, value in entry.items():
        if not isinstance(value, str) or "_" not in key:
            continue
        name = key.split("_", 1)[1]
        if name in ("countries", "iso3", "maincountry"):
            found = [c.strip().upper() for c in value.replace(";", ",").split(",")]
            found = [c for c in found if len(c) == 3 and c.isalpha()]
            if name == "maincountry" and found:
                out["country"] = found[0]
            codes += [c for c in found if c not in codes]
    if codes:
        out["countries"] = codes
        out.setdefault("country", codes[0])
    return out


def entry_report(entry: Any, source_name: str) -> ParsedReport:
    title = clean_text(entry.get("title", ""))
    link = entry.get("link") or None
    published, raw_date = entry_date(entry)
    fields: dict[str, Any] = {**geo_fields(entry), **country_fields(entry)}
    if published is None and raw_date:
        fields["published_raw"] = raw_date  # stated, but without a zone: kept, not guessed
    tags = [t.get("term") for t in entry.get("tags", []) if t.get("term")]
    if tags:
        fields["categories"] = tags
    return ParsedReport(
        external_id=external_id(entry.get("id"), link, title),
        title=title,
        text=entry_text(entry),
        url=link,
        published=published,
        source_name=source_name,
        fields=fields,
    )


def parse(body: bytes, source_name: str, content_type: str | None = None) -> list[ParsedReport]:
    """Reports of an RSS or Atom payload."""
    feed = parse_feed(body, content_type)
    return [entry_report(e, source_name) for e in feed.entries]
