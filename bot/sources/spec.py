"""What one poll of one source needs (SourceSpec) and what it yields (Poll).

SourceSpec is detached from the database so fetching never holds a session open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.sources.base import ParsedReport
from bot.sources.fetcher import Fetcher, FetchRequest, FetchResult

ParseFn = Callable[[bytes, str, str | None], list[ParsedReport]]  # body, source name, content type


@dataclass(frozen=True, slots=True)
class SourceSpec:
    name: str
    kind: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    since: datetime | None = None  # last success: API kinds ask only for what is newer


@dataclass(slots=True)
class Poll:
    """One source's fetched and parsed outcome."""

    status: Literal["ok", "not_modified", "error"]
    reports: list[ParsedReport] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: float | None = None
    max_age: float | None = None
    http_status: int | None = None

    @classmethod
    def failed(cls, error: str, result: FetchResult | None = None) -> Poll:
        poll = cls("error", error=error)
        if result is not None:
            poll.retry_after, poll.http_status = result.retry_after, result.http_status
        return poll


async def fetch_and_parse(
    spec: SourceSpec, fetcher: Fetcher, parse: ParseFn, request: FetchRequest | None = None
) -> Poll:
    """One conditional GET (or the given request), parsed off the event loop."""
    req = request or FetchRequest(spec.url, etag=spec.etag, last_modified=spec.last_modified)
    result = await fetcher.fetch(req)
    if result.status == "error":
        return Poll.failed(result.error or "fetch failed", result)
    poll = Poll(
        result.status,
        etag=result.etag or spec.etag,
        last_modified=result.last_modified or spec.last_modified,
        max_age=result.max_age,
        http_status=result.http_status,
    )
    if result.status == "ok":
        poll.reports = await asyncio.to_thread(parse, result.body, spec.name, result.content_type)
    return poll
