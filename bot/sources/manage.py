"""What the admin commands do to sources: list health, add, pause, resume, remove, OPML.

Synchronous database work (handlers run it with asyncio.to_thread); every failure an admin
can cause is a SourceError whose message is fit to show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.sources.catalogue import (
    DEFAULT_INTERVAL,
    CatalogueEntry,
    SeedResult,
    export_opml,
    import_opml,
    seed_sources,
)
from bot.sources.errors import SourceError
from bot.sources.registry import KINDS
from storage.db import session_scope
from storage.models import Source

MIN_INTERVAL = 60  # what an admin may set by command; the sources file may go lower


@dataclass(frozen=True, slots=True)
class SourceHealth:
    id: int
    name: str
    kind: str
    url: str
    interval: int
    enabled: bool
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    failures: int
    items_seen: int
    next_poll_at: datetime | None

    @property
    def failing(self) -> bool:
        return self.failures > 0


def _health(s: Source) -> SourceHealth:
    return SourceHealth(
        s.id or 0, s.name, s.kind, s.url, s.interval, s.enabled, s.last_success_at,
        s.last_error, s.last_error_at, s.failures, s.items_seen, s.next_poll_at,
    )  # fmt: skip


def list_health(engine: Engine) -> list[SourceHealth]:
    with session_scope(engine) as session:
        return [_health(s) for s in session.exec(select(Source).order_by(Source.name)).all()]


def _find(session: Session, ref: str) -> Source:
    ref = ref.strip()
    source = None
    if ref.lstrip("#").isdigit():
        source = session.get(Source, int(ref.lstrip("#")))
    if source is None:
        source = session.exec(select(Source).where(Source.name == ref)).first()
    if source is None:
        matches = [
            s for s in session.exec(select(Source)).all() if s.name.casefold() == ref.casefold()
        ]
        source = matches[0] if len(matches) == 1 else None
    if source is None:
        raise SourceError(f"no source named or numbered {ref!r}; /sources lists them")
    return source


def set_enabled(engine: Engine, ref: str, enabled: bool) -> SourceHealth:
    """Pause (enabled=False) or resume a source; resuming polls it at the next tick."""
    with session_scope(engine) as session:
        source = _find(session, ref)
        source.enabled = enabled
        if enabled:
            source.next_poll_at = None
            source.failures = 0
        return _health(source)


def remove_source(engine: Engine, ref: str) -> str:
    """Delete a source (its stored reports stay, detached); returns its name."""
    with session_scope(engine) as session:
        source = _find(session, ref)
        name = source.name
        session.delete(source)
        return name


def parse_interval(text: str | None) -> int:
    """Seconds from "900", "15m", "2h"; SourceError with the accepted forms otherwise."""
    if not text:
        return DEFAULT_INTERVAL
    text = text.strip().lower()
    factor = {"s": 1, "m": 60, "h": 3600}.get(text[-1:], 1)
    digits = text[:-1] if text[-1:] in "smh" else text
    if not digits.isdigit():
        raise SourceError(f"interval {text!r} is not understood: write 900, 15m or 2h")
    seconds = int(digits) * factor
    if not MIN_INTERVAL <= seconds <= 7 * 86400:
        raise SourceError(f"interval must be between {MIN_INTERVAL} s and 7 days")
    return seconds


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError("give an http:// or https:// address, e.g. /addsource https://… 15m")
    return url


def unique_name(session: Session, wanted: str) -> str:
    taken = {n.casefold() for n in session.exec(select(Source.name)).all()}
    base = (wanted.strip() or "Source")[:190]
    name, n = base, 2
    while name.casefold() in taken:
        name, n = f"{base} ({n})", n + 1
    return name


def add_source(
    engine: Engine, url: str, kind: str, interval: int, name: str | None = None
) -> SourceHealth:
    """Store a new source (checked by a preview first); polled at the next tick."""
    if kind not in KINDS:
        raise SourceError(f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
    url = check_url(url)
    with session_scope(engine) as session:
        if session.exec(select(Source).where(Source.url == url, Source.kind == kind)).first():
            raise SourceError("this address is already a source; /sources lists them")
        source = Source(
            name=unique_name(session, name or urlsplit(url).hostname or "Source"),
            kind=kind,
            url=url,
            interval=interval,
        )
        session.add(source)
        session.flush()
        return _health(source)


def opml_export(engine: Engine) -> bytes:
    with session_scope(engine) as session:
        return export_opml(list(session.exec(select(Source).order_by(Source.name)).all()))


def opml_import(engine: Engine, data: bytes) -> SeedResult:
    """Add the OPML file's feeds; existing names are updated, nothing is deleted."""
    entries: list[CatalogueEntry] = import_opml(data)
    if not entries:
        raise SourceError("the OPML file lists no feeds (outlines with an xmlUrl)")
    with session_scope(engine) as session:
        return seed_sources(session, entries)
