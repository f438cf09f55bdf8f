"""Fan-out: which chats one alert reaches, written as outbox rows (one Delivery per chat).

Matching is a handful of indexed (kind, key) lookups, one per place or topic the alert names,
never a scan of every chat. The rows are written in the caller's transaction, so the alert and
its deliveries exist together or not at all.

Alert place fields: `country` is ISO3; `admin1s` holds admin1 names ("Latakia") or keys
("SYR:Latakia"); `towns` holds town keys ("SYR:Latakia:Jableh") or bare names ("Jableh"),
which match that town in any province of the alert's country.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select
from sqlmodel import Session

from bot.alerts import clock
from storage.models import Alert, Chat, Delivery, Subscription
from storage.types import utcnow

CRITICAL = 0


@dataclass(frozen=True, slots=True)
class Recipient:
    chat_id: int
    timezone: str
    quiet_start: int | None
    quiet_end: int | None
    digest_hour: int | None


def subscription_keys(alert: Alert) -> tuple[dict[str, set[str]], set[str]]:
    """The Subscription keys, by kind, that an alert about these places and topics matches,
    and the bare town names whose province the alert does not say."""
    keys: dict[str, set[str]] = {"country": set(), "admin1": set(), "town": set(), "topic": set()}
    bare_towns: set[str] = set()
    country = (alert.country or "").upper()
    if country:
        keys["country"].add(country)
    admin1s = [a.split(":", 1)[1] if ":" in a else a for a in alert.admin1s or [] if a]
    if country:
        keys["admin1"].update(f"{country}:{a}" for a in admin1s)
    for town in alert.towns or []:
        if not town:
            continue
        if town.count(":") >= 2:
            keys["town"].add(town)
        elif country:
            bare_towns.add(town)
    keys["topic"].update(t for t in alert.topics or [] if t)
    return {kind: found for kind, found in keys.items() if found}, bare_towns


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def match(session: Session, alert: Alert, now: datetime | None = None) -> list[Recipient]:
    """Active chats with an unmuted subscription that matches the alert at its severity."""
    keys, bare_towns = subscription_keys(alert)
    if not keys and not bare_towns:
        return []
    now = now or utcnow()
    sub = Subscription.__table__.c  # type: ignore[attr-defined]
    chat = Chat.__table__.c  # type: ignore[attr-defined]
    conditions = [and_(sub.kind == kind, sub.key.in_(sorted(v))) for kind, v in keys.items()]
    # A bare town name matches "ISO3:<any province>:<town>": a range scan of that country's
    # town keys in the index, filtered by their ending.
    country = (alert.country or "").upper()
    conditions += [
        and_(
            sub.kind == "town",
            sub.key >= f"{country}:",
            sub.key < f"{country};",
            sub.key.like(f"%:{_like_escape(town)}", escape="\\"),
        )
        for town in sorted(bare_towns)
    ]
    by_key = or_(*conditions)
    # Chat.active is read, not filtered on: with it in the WHERE clause SQLite's planner walks
    # every active chat (its index) instead of the few subscription keys.
    query = (
        select(
            sub.chat_id,
            chat.active,
            chat.timezone,
            chat.quiet_start,
            chat.quiet_end,
            chat.digest_hour,
        )
        .join_from(Subscription.__table__, Chat.__table__, sub.chat_id == chat.id)
        .where(
            by_key,
            sub.min_severity <= alert.severity,
            or_(sub.muted_until.is_(None), sub.muted_until <= now),
        )
    )
    seen: dict[int, Recipient] = {}
    # .all() fetches in one call; iterating the result would fetch row by row.
    for chat_id, active, tz, q_start, q_end, digest_hour in session.execute(query).all():
        if active and chat_id not in seen:
            seen[chat_id] = Recipient(chat_id, tz, q_start, q_end, digest_hour)
    return list(seen.values())


def placement(alert: Alert, recipient: Recipient, now: datetime) -> tuple[str, datetime | None]:
    """(status, not_before) of the alert's row for one chat: critical alerts go at once; others
    wait out quiet hours, or go to the daily digest when the chat chose one."""
    if alert.priority == CRITICAL:
        return "pending", None
    if recipient.digest_hour is not None:
        return "digest", None
    release = clock.quiet_until(recipient.timezone, recipient.quiet_start, recipient.quiet_end, now)
    return "pending", release


def write_deliveries(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Insert outbox rows in one statement; a (alert, chat) pair already there is skipped."""
    rows = list(rows)
    if not rows:
        return 0
    table = Delivery.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:  # pragma: no cover - other backends get a plain insert
        session.execute(insert(table), rows)
        return len(rows)
    stmt = dialect_insert(table).on_conflict_do_nothing(index_elements=["alert_id", "chat_id"])
    session.execute(stmt, rows)
    return len(rows)


def enqueue(session: Session, alert: Alert, now: datetime | None = None) -> int:
    """Write one Delivery per matching chat for `alert`, in the caller's transaction.
    Returns how many were queued (for the digest or to send). Calling it twice adds nothing."""
    now = now or utcnow()
    if alert.id is None:
        session.flush()
    recipients = match(session, alert, now)
    if not recipients:
        return 0
    d = Delivery.__table__.c  # type: ignore[attr-defined]
    already = set(session.execute(select(d.chat_id).where(d.alert_id == alert.id)).scalars())
    rows = []
    for recipient in recipients:
        if recipient.chat_id in already:
            continue
        status, not_before = placement(alert, recipient, now)
        rows.append(
            {
                "alert_id": alert.id,
                "chat_id": recipient.chat_id,
                "status": status,
                "priority": alert.priority,
                "not_before": not_before,
                "attempts": 0,
                "created_at": now,
            }
        )
    return write_deliveries(session, rows)
