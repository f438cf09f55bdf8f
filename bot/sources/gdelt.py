"""GDELT DOC 2.0 API, ArtList mode as JSON: news articles matching a keyword query.

params: query (required, GDELT syntax, e.g. '(killed OR displaced) sourcecountry:SY'),
timespan (default "1d"), maxrecords (default 75, GDELT's maximum is 250).
GDELT answers some query errors with a plain-text line instead of JSON: that line is shown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.sources.base import ParsedReport
from bot.sources.errors import ParseError, SourceError
from bot.sources.fetcher import Fetcher, FetchRequest
from bot.sources.spec import Poll, SourceSpec, fetch_and_parse
from bot.sources.text import clean_text, external_id
from bot.sources.usgs import load_json

DEFAULT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"


def _seendate(raw: Any) -> datetime | None:
    try:
        return datetime.strptime(str(raw), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def parse(body: bytes, source_name: str, content_type: str | None = None) -> list[ParsedReport]:  # noqa: ARG001
    """Reports of an ArtList JSON answer (title and metadata only: GDELT gives no body)."""
    if not body.strip():
        return []  # GDELT sends an empty body when nothing matched
    if not body.lstrip().startswith(b"{"):
        raise ParseError(f"GDELT answered: {clean_text(body[:200].decode('utf-8', 'replace'))}")
    data = load_json(body, "GDELT answer")
    reports = []
    for art in data.get("articles") or []:
        url = art.get("url")
        title = clean_text(art.get("title"))
        if not url and not title:
            continue
        fields = {k: art[k] for k in ("domain", "language") if art.get(k)}
        if art.get("sourcecountry"):
            fields["source_country"] = art["sourcecountry"]  # the publisher's, not the event's
        reports.append(
            ParsedReport(
                external_id=external_id(url, title),
                title=title,
                text=title,
                url=url,
                published=_seendate(art.get("seendate")),
                source_name=source_name,
                fields=fields,
            )
        )
    return reports


def request(spec: SourceSpec) -> FetchRequest:
    params = dict(spec.params)
    query = params.pop("query", None)
    if not query:
        raise SourceError(f"source {spec.name!r}: GDELT needs params.query (the keyword query)")
    params = {
        "query": query,
        "mode": "ArtList",
        "format": "json",
        "sort": "DateDesc",
        "timespan": str(params.get("timespan", "1d")),
        "maxrecords": str(min(int(params.get("maxrecords", 75)), 250)),
    }
    return FetchRequest(spec.url or DEFAULT_URL, params=params)


async def fetch(spec: SourceSpec, fetcher: Fetcher, settings: Settings) -> Poll:  # noqa: ARG001
    return await fetch_and_parse(spec, fetcher, parse, request(spec))
