"""Source kinds: `kind` name → how to fetch it and how to parse what comes back."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.sources import acled, gdacs, gdelt, reliefweb, rss, usgs
from bot.sources.errors import SourceError
from bot.sources.fetcher import Fetcher
from bot.sources.spec import ParseFn, Poll, SourceSpec, fetch_and_parse

log = logging.getLogger(__name__)

FEED_KINDS = ("rss", "gdacs")  # XML feeds: OPML carries them, they have a title
FetchFn = Callable[[SourceSpec, Fetcher, Settings], Awaitable[Poll]]


def _feed(parse: ParseFn) -> FetchFn:
    async def fetch(spec: SourceSpec, fetcher: Fetcher, settings: Settings) -> Poll:  # noqa: ARG001
        return await fetch_and_parse(spec, fetcher, parse)

    return fetch


@dataclass(frozen=True, slots=True)
class SourceKind:
    name: str
    description: str
    parse: ParseFn
    fetch: FetchFn


KINDS: dict[str, SourceKind] = {
    k.name: k
    for k in (
        SourceKind("rss", "RSS 0.9x/1.0/2.0 or Atom feed", rss.parse, _feed(rss.parse)),
        SourceKind("gdacs", "GDACS RSS with alert levels", gdacs.parse, _feed(gdacs.parse)),
        SourceKind("usgs", "USGS earthquake GeoJSON feed", usgs.parse, _feed(usgs.parse)),
        SourceKind("gdelt", "GDELT DOC 2.0 article list", gdelt.parse, gdelt.fetch),
        SourceKind("reliefweb", "ReliefWeb API v2", reliefweb.parse, reliefweb.fetch),
        SourceKind("acled", "ACLED API (OAuth account)", acled.parse, acled.fetch),
    )
}


def get_kind(name: str) -> SourceKind:
    try:
        return KINDS[name]
    except KeyError:
        raise SourceError(f"unknown kind {name!r}; known kinds: {', '.join(KINDS)}") from None


async def poll_source(spec: SourceSpec, fetcher: Fetcher, settings: Settings) -> Poll:
    """Fetch and parse one source; every failure comes back as Poll(status="error")."""
    try:
        kind = get_kind(spec.kind)
        return await kind.fetch(spec, fetcher, settings)
    except SourceError as exc:
        return Poll.failed(str(exc))
    except Exception as exc:  # a parser bug must not stop the other sources
        log.warning("source %s: %s while parsing", spec.id, type(exc).__name__, exc_info=True)
        return Poll.failed(f"could not parse the payload ({type(exc).__name__}: {exc})"[:500])
