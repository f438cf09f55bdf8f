"""One poll cycle: claim due sources, fetch them concurrently, store new reports once.

Replicas share the work through a lease on each Source row (lease_owner / lease_until, taken
with a conditional UPDATE, and FOR UPDATE SKIP LOCKED on PostgreSQL), so a source is fetched
by one replica per interval. Database work is synchronous SQLModel run in a worker thread by
one writer, in batches of sources, so the event loop keeps serving Telegram while a cycle runs
and SQLite sees one writer and few commits.
"""

from __future__ import annotations

import asyncio
import html
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import insert, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.alerts.notices import notify_admins
from bot.config import Settings
from bot.sources.base import ParsedReport
from bot.sources.fetcher import Fetcher
from bot.sources.registry import poll_source
from bot.sources.spec import Poll, SourceSpec
from bot.sources.text import content_hash
from storage.db import session_scope
from storage.models import Report, Source
from storage.types import utcnow

log = logging.getLogger(__name__)

BACKOFF_CAP = timedelta(hours=6)
DOWN_AFTER = timedelta(hours=24)  # admins hear about a failing source once, after a day
LEASE = timedelta(minutes=10)
CONCURRENCY = 64  # sources fetched at once per replica
IN_CHUNK = 500  # ids per IN (...) list
BATCH = 100  # sources stored per transaction


@dataclass(slots=True)
class SourceOutcome:
    source_id: int
    name: str
    status: Literal["ok", "not_modified", "error"]
    new: int = 0
    revised: int = 0
    error: str | None = None
    next_poll_at: datetime | None = None


@dataclass(slots=True)
class PollResult:
    new_report_ids: list[int] = field(default_factory=list)
    revised_report_ids: list[int] = field(default_factory=list)
    outcomes: list[SourceOutcome] = field(default_factory=list)


def backoff(interval: int, failures: int, rng: random.Random | None = None) -> timedelta:
    """Delay before the next try: exponential in consecutive failures, jittered, capped at 6 h."""
    ceiling = min(BACKOFF_CAP.total_seconds(), interval * 2 ** min(failures, 30))
    low = min(float(interval), ceiling)
    return timedelta(seconds=(rng or random).uniform(max(low, ceiling / 2), ceiling))


def claim_due(engine: Engine, now: datetime, owner: str, limit: int | None) -> list[SourceSpec]:
    """Lease the enabled sources whose next poll is due; returns what fetching needs."""
    free = or_(Source.lease_until.is_(None), Source.lease_until < now)  # type: ignore[union-attr]
    due = or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now)  # type: ignore[union-attr]
    with session_scope(engine) as session:
        stmt = (
            select(Source.id)
            .where(Source.enabled, due, free)
            .order_by(Source.next_poll_at.asc().nulls_first())  # type: ignore[union-attr]
        )
        if limit:
            stmt = stmt.limit(limit)
        if engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list(session.exec(stmt).all())
        for start in range(0, len(ids), IN_CHUNK):
            session.execute(
                update(Source)
                .where(Source.id.in_(ids[start : start + IN_CHUNK]), free)  # type: ignore[union-attr]
                .values(lease_owner=owner, lease_until=now + LEASE)
            )
    with session_scope(engine) as session:
        rows = session.exec(select(Source).where(Source.lease_owner == owner)).all()
        return [
            SourceSpec(
                name=s.name,
                kind=s.kind,
                url=s.url,
                params=dict(s.params or {}),
                id=s.id,
                etag=s.etag,
                last_modified=s.last_modified,
                since=s.last_success_at,
            )
            for s in rows
        ]


def _existing(session: Session, source_id: int, ext_ids: list[str]) -> dict[str, tuple[int, Any]]:
    """external_id → (report id, stored revision) for the ids already stored."""
    found: dict[str, tuple[int, Any]] = {}
    for start in range(0, len(ext_ids), IN_CHUNK):
        chunk = ext_ids[start : start + IN_CHUNK]
        rows = session.exec(
            select(Report.external_id, Report.id, Report.fields).where(
                Report.source_id == source_id,
                Report.external_id.in_(chunk),  # type: ignore[attr-defined]
            )
        ).all()
        for ext, rid, fields in rows:
            found[ext] = (rid, (fields or {}).get("revision"))
    return found


def _ids(session: Session, source_id: int, ext_ids: list[str]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(ext_ids), IN_CHUNK):
        ids += session.exec(
            select(Report.id).where(
                Report.source_id == source_id,
                Report.external_id.in_(ext_ids[start : start + IN_CHUNK]),  # type: ignore[attr-defined]
            )
        ).all()
    return sorted(ids)


def _row(spec: SourceSpec, r: ParsedReport, now: datetime) -> dict[str, Any]:
    return {
        "source_id": spec.id,
        "external_id": r.external_id[:500],
        "url": r.url,
        "title": r.title,
        "text": r.text,
        "source_name": (r.source_name or spec.name)[:200],
        "published_at": r.published,
        "fetched_at": now,
        "content_hash": content_hash(r.title, r.text),
        "fields": r.fields,
        "facts": None,
    }


def store_reports(
    session: Session, spec: SourceSpec, reports: list[ParsedReport], now: datetime
) -> tuple[list[int], list[int]]:
    """Insert the reports not stored yet; update in place those whose revision changed."""
    unique: dict[str, ParsedReport] = {}
    for r in reports:
        unique.setdefault(r.external_id[:500], r)  # a feed listing an item twice stores it once
    existing = _existing(session, spec.id or 0, list(unique))
    new_rows, revised = [], []
    for ext, r in unique.items():
        if ext not in existing:
            new_rows.append(_row(spec, r, now))
            continue
        rid, stored_rev = existing[ext]
        rev = r.fields.get("revision")
        if rev is not None and str(rev) != str(stored_rev):
            row = _row(spec, r, now)
            del row["source_id"], row["external_id"]
            session.execute(update(Report).where(Report.id == rid).values(**row))
            revised.append(rid)
    new_ids: list[int] = []
    if new_rows:
        # A plain executemany is the fastest bulk insert; the ids are read back after.
        session.execute(insert(Report.__table__), new_rows)  # type: ignore[arg-type]
        new_ids = _ids(session, spec.id or 0, [r["external_id"] for r in new_rows])
    return new_ids, revised


def _down_notice(source: Source) -> str:
    return (
        f"⚠️ Source <b>{html.escape(source.name)}</b> has failed for a day "
        f"({source.failures} tries).\nLast error: {html.escape(source.last_error or 'unknown')}\n"
        "It keeps being retried; /sources shows its health."
    )


def _up_notice(source: Source) -> str:
    return f"✅ Source <b>{html.escape(source.name)}</b> works again."


def record(
    session: Session, settings: Settings, spec: SourceSpec, poll: Poll, now: datetime
) -> tuple[SourceOutcome, list[int], list[int]]:
    """Store one source's reports and its health, and release its lease."""
    new_ids: list[int] = []
    revised: list[int] = []
    source = session.get(Source, spec.id)
    if source is None:  # removed while it was being fetched
        return SourceOutcome(spec.id or 0, spec.name, poll.status, error=poll.error), [], []
    source.last_polled_at = now
    if poll.status == "error":
        source.failures += 1
        source.failing_since = source.failing_since or now
        source.last_error = (poll.error or "unknown error")[:1000]
        source.last_error_at = now
        delay = backoff(source.interval, source.failures)
        if poll.retry_after:
            delay = max(delay, min(timedelta(seconds=poll.retry_after), BACKOFF_CAP))
        if not source.down_notified and now - source.failing_since >= DOWN_AFTER:
            notify_admins(session, settings, _down_notice(source), reason="source_down")
            source.down_notified = True
    else:
        if poll.reports:
            new_ids, revised = store_reports(session, spec, poll.reports, now)
        if source.down_notified:
            notify_admins(session, settings, _up_notice(source), reason="source_up")
        source.down_notified = False
        source.failures = 0
        source.failing_since = None
        source.last_success_at = now
        source.items_seen += len(new_ids)
        source.etag = poll.etag
        source.last_modified = (poll.last_modified or "")[:100] or None
        delay = timedelta(seconds=source.interval)
        if poll.max_age:
            delay = max(delay, min(timedelta(seconds=poll.max_age), BACKOFF_CAP))
    source.next_poll_at = now + delay
    source.lease_owner = None
    source.lease_until = None
    outcome = SourceOutcome(
        source.id or 0,
        source.name,
        poll.status,
        new=len(new_ids),
        revised=len(revised),
        error=poll.error,
        next_poll_at=source.next_poll_at,
    )
    return outcome, new_ids, revised


def record_batch(
    engine: Engine, settings: Settings, batch: list[tuple[SourceSpec, Poll]], now: datetime
) -> list[tuple[SourceOutcome, list[int], list[int]]]:
    """Several sources' polls in one transaction (a savepoint each, so one failure stays
    with its source: its lease then expires and it is polled again)."""
    done = []
    with session_scope(engine) as session:
        for spec, poll in batch:
            try:
                with session.begin_nested():
                    done.append(record(session, settings, spec, poll, now))
            except Exception:
                log.exception("source %s: storing the poll failed", spec.id)
    return done


async def poll_due(
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
    limit: int | None = None,
    *,
    fetcher: Fetcher | None = None,
    concurrency: int = CONCURRENCY,
    on_stored: Callable[[list[int]], Awaitable[None]] | None = None,
) -> PollResult:
    """Poll every due, enabled source once; never raises for a source's own trouble.

    `on_stored` gets the ids of new and revised reports as each batch is stored, so that one
    slow source does not hold back the alerts of the others until the cycle ends.

    Fetching is concurrent; one writer stores what arrives, in batches (one transaction per
    batch), so SQLite sees a single writer and few commits.
    """
    now = now or utcnow()
    owner = f"poller-{uuid.uuid4().hex[:12]}"
    specs = await asyncio.to_thread(claim_due, engine, now, owner, limit)
    result = PollResult()
    if not specs:
        return result
    gate = asyncio.Semaphore(concurrency)
    polled: asyncio.Queue[tuple[SourceSpec, Poll] | None] = asyncio.Queue()

    async def one(spec: SourceSpec, f: Fetcher) -> None:
        async with gate:
            poll = await poll_source(spec, f, settings)
        await polled.put((spec, poll))

    async def writer() -> None:
        finished = False
        while not finished:
            first = await polled.get()
            batch = [] if first is None else [first]
            finished = first is None
            while not finished and len(batch) < BATCH and not polled.empty():
                item = polled.get_nowait()
                if item is None:
                    finished = True
                else:
                    batch.append(item)
            if not batch:
                continue
            stored: list[int] = []
            for outcome, new_ids, revised in await asyncio.to_thread(
                record_batch, engine, settings, batch, now
            ):
                result.outcomes.append(outcome)
                result.new_report_ids += new_ids
                result.revised_report_ids += revised
                stored += [*new_ids, *revised]
            if stored and on_stored is not None:
                await on_stored(stored)

    async def fetch_all(f: Fetcher) -> None:
        await asyncio.gather(*(one(s, f) for s in specs))
        await polled.put(None)

    async def run(f: Fetcher) -> None:
        await asyncio.gather(fetch_all(f), writer())

    if fetcher is not None:
        await run(fetcher)
    else:
        async with Fetcher(settings) as own:
            await run(own)
    log.info(
        "polled %d sources: %d new reports, %d revised, %d failed",
        len(result.outcomes),
        len(result.new_report_ids),
        len(result.revised_report_ids),
        sum(o.status == "error" for o in result.outcomes),
    )
    return result
