"""The sources file (TOML, one [[source]] table per source) and OPML import/export.

Sources live in the database; the file seeds it: new names are inserted, changed ones
updated, and sources an operator added by command are never deleted.

    [[source]]
    name = "GDACS alerts"
    kind = "gdacs"            # rss | gdacs | usgs | reliefweb | acled | gdelt
    url = "https://www.gdacs.org/xml/rss.xml"
    interval = 600            # seconds; short ones such as 2 are honoured
    params = { }              # optional, kind-specific (country, theme, query …)
"""

from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.sources.errors import CatalogueError
from bot.sources.registry import FEED_KINDS, KINDS
from storage.db import session_scope
from storage.models import Source

DEFAULT_INTERVAL = 900
KNOWN_KEYS = {"name", "kind", "url", "interval", "params", "enabled"}


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    name: str
    kind: str
    url: str
    interval: int = DEFAULT_INTERVAL
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


@dataclass(slots=True)
class SeedResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _entry(raw: Any, where: str, default_interval: int = DEFAULT_INTERVAL) -> CatalogueEntry:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: must be a table with name, kind, url, interval")
    name = raw.get("name")
    if isinstance(name, str) and name.strip():
        where = f"{where} ({name.strip()!r})"

    def bad(key: str, need: str) -> CatalogueError:
        return CatalogueError(f"{where}: field '{key}' {need}, got {raw.get(key)!r}")

    unknown = sorted(set(raw) - KNOWN_KEYS)
    if unknown:
        raise CatalogueError(
            f"{where}: unknown field '{unknown[0]}' (allowed: {', '.join(sorted(KNOWN_KEYS))})"
        )
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        raise bad("name", "must be a non-empty text of at most 200 characters")
    kind = raw.get("kind", "rss")
    if kind not in KINDS:
        raise bad("kind", f"must be one of {', '.join(KINDS)}")
    url = raw.get("url")
    if (
        not isinstance(url, str)
        or urlsplit(url.strip()).scheme not in ("http", "https")
        or not (urlsplit(url.strip()).hostname)
    ):
        raise bad("url", "must be an http:// or https:// URL")
    interval = raw.get("interval", default_interval)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        raise bad("interval", "must be a whole number of seconds, at least 1")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise bad("params", "must be a table")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise bad("enabled", "must be true or false")
    return CatalogueEntry(name.strip(), kind, url.strip(), interval, params, enabled)


def parse_catalogue(
    text: str, origin: str = "sources file", default_interval: int = DEFAULT_INTERVAL
) -> list[CatalogueEntry]:
    """Entries of a TOML catalogue; CatalogueError (one line naming entry and field) if bad.
    Entries without `interval` get `default_interval` (ALERTBOT_POLL_INTERVAL)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{origin}: not valid TOML: {exc}") from None
    raw = data.get("source", [])
    if not isinstance(raw, list):
        raise CatalogueError(f"{origin}: 'source' must be written as [[source]] tables")
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        entry = _entry(item, f"{origin}: source #{i}", default_interval)
        if entry.name.casefold() in seen:
            raise CatalogueError(
                f"{origin}: source #{i}: field 'name' {entry.name!r} is used twice"
            )
        seen.add(entry.name.casefold())
        entries.append(entry)
    return entries


def load_catalogue(
    path: Path | str, default_interval: int = DEFAULT_INTERVAL
) -> list[CatalogueEntry]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(
            f"{path}: sources file not found (set ALERTBOT_SOURCES_FILE to its path)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot read the sources file: {exc}") from None
    return parse_catalogue(text, str(path), default_interval)


def seed_sources(session: Session, catalogue: Path | str | list[CatalogueEntry]) -> SeedResult:
    """Insert new names, update changed ones; sources not in the catalogue are left alone.

    `catalogue` is a sources file path or already parsed entries.
    """
    entries = catalogue if isinstance(catalogue, list) else load_catalogue(catalogue)
    result = SeedResult()
    existing = {s.name: s for s in session.exec(select(Source)).all()}
    for e in entries:
        src = existing.get(e.name)
        if src is None:
            session.add(
                Source(name=e.name, kind=e.kind, url=e.url, interval=e.interval,
                       params=dict(e.params), enabled=e.enabled)
            )  # fmt: skip
            result.added.append(e.name)
            continue
        if (src.kind, src.url, src.interval, src.params or {}) == (
            e.kind, e.url, e.interval, e.params
        ):  # fmt: skip
            result.unchanged += 1
            continue
        if (src.kind, src.url) != (e.kind, e.url):  # validators belong to the old URL
            src.etag = src.last_modified = None
            src.next_poll_at = None
        src.kind, src.url, src.interval, src.params = e.kind, e.url, e.interval, dict(e.params)
        result.updated.append(e.name)
    session.flush()
    return result


def seed_from_file(engine: Engine, path: Path | str) -> SeedResult:
    """seed_sources in its own transaction."""
    with session_scope(engine) as session:
        return seed_sources(session, path)


# --- OPML -------------------------------------------------------------------------------


def export_opml(
    sources: list[Source] | list[CatalogueEntry], title: str = "alertbot sources"
) -> bytes:
    """OPML 2.0 listing the feed sources (rss, gdacs) among `sources`."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for s in sources:
        if s.kind not in FEED_KINDS:
            continue
        attrs = {"type": "rss", "text": s.name, "title": s.name, "xmlUrl": s.url}
        if s.kind != "rss":
            attrs["category"] = s.kind
        attrs["interval"] = str(s.interval)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def import_opml(data: bytes, interval: int = DEFAULT_INTERVAL) -> list[CatalogueEntry]:
    """Feed entries of an OPML file (nested folders included); CatalogueError if unreadable."""
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise CatalogueError("OPML file: DOCTYPE/ENTITY declarations are not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise CatalogueError(f"OPML file: not well-formed XML ({exc})") from None
    if root.tag != "opml":
        raise CatalogueError("OPML file: the root element is not <opml>")
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for i, outline in enumerate(root.iter("outline"), start=1):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue  # a folder
        name = (outline.get("title") or outline.get("text") or url).strip()[:200]
        kind = outline.get("category") if outline.get("category") in FEED_KINDS else "rss"
        every = outline.get("interval", "")
        raw = {
            "name": name,
            "kind": kind,
            "url": url,
            "interval": int(every) if every.isdigit() and int(every) > 0 else interval,
        }
        entry = _entry(raw, f"OPML outline #{i}")
        if entry.name.casefold() not in seen:
            seen.add(entry.name.casefold())
            entries.append(entry)
    return entries
