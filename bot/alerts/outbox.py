"""The outbox side of delivery: claim due rows, record what Telegram answered. Sync SQL only.

A Delivery moves pending → sending (claimed) → sent | blocked | failed, or back to pending with
a later not_before (retry, flood wait, chat pacing). Every function is one short transaction
that handles many rows at once; the sender runs them on a worker thread.

The crash bound: a row is marked sent only after Telegram answered, and a sender never holds
more than `limit` rows in 'sending'. A sender that starts puts every 'sending' row claimed
before it started back to pending (there is one sender per bot token, so those belonged to a
dead one). So after a kill -9, nothing is lost, and the rows sent twice are at most the rows in
'sending' at the crash.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storage.db import session_scope
from storage.models import Alert, Chat, Delivery, FloodWait, Subscription

D = Delivery.__table__.c  # type: ignore[attr-defined]
C = Chat.__table__.c  # type: ignore[attr-defined]
A = Alert.__table__.c  # type: ignore[attr-defined]
S = Subscription.__table__.c  # type: ignore[attr-defined]
DELIVERY = Delivery.__table__  # type: ignore[attr-defined]

OPEN_STATUSES = ("pending", "sending")


@dataclass(slots=True)
class Job:
    """A claimed row with what sending it needs."""

    delivery_id: int
    alert_id: int
    chat_id: int
    chat_kind: str
    chat_active: bool
    timezone: str
    priority: int
    attempts: int
    body_html: str
    event_at: datetime | None
    alert_kind: str


def reclaim(engine: Engine, claimed_before: datetime) -> int:
    """Put rows a previous sender claimed and never settled back in the queue."""
    with session_scope(engine) as session:
        result = session.execute(
            update(DELIVERY)
            .where(
                D.status == "sending", or_(D.claimed_at.is_(None), D.claimed_at < claimed_before)
            )
            .values(status="pending", claimed_at=None)
        )
        return result.rowcount or 0


def claim(engine: Engine, now: datetime, limit: int) -> list[Job]:
    """Mark up to `limit` due rows as sending, most urgent first, and return them."""
    if limit <= 0:
        return []
    with session_scope(engine) as session:
        due = (
            select(D.id)
            .where(D.status == "pending", or_(D.not_before.is_(None), D.not_before <= now))
            .order_by(D.priority, D.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(
            session.execute(
                update(DELIVERY)
                .where(D.id.in_(due.scalar_subquery()))
                .values(status="sending", claimed_at=now)
                .returning(D.id)
            ).scalars()
        )
        if not ids:
            return []
        rows = session.execute(
            select(
                D.id,
                D.alert_id,
                D.chat_id,
                C.kind,
                C.active,
                C.timezone,
                D.priority,
                D.attempts,
                A.body_html,
                A.event_at,
                A.kind,
            )
            .join_from(DELIVERY, Chat.__table__, D.chat_id == C.id)
            .join(Alert.__table__, D.alert_id == A.id)
            .where(D.id.in_(ids))
            .order_by(D.priority, D.id)
        ).all()
        return [Job(*row) for row in rows]


def next_due(engine: Engine) -> datetime | None:
    """When the earliest pending row becomes due (None: nothing pending)."""
    with session_scope(engine) as session:
        return session.execute(
            select(func.min(func.coalesce(D.not_before, D.created_at))).where(D.status == "pending")
        ).scalar()


@dataclass(slots=True)
class Outcomes:
    """What happened to claimed rows since the last write, written in one transaction."""

    # dicts keyed b_id, b_message_id, b_sent_at / b_not_before, b_attempts, b_last_error
    sent: list[dict] = field(default_factory=list)
    requeued: list[dict] = field(default_factory=list)  # retry, flood wait, chat pacing
    failed: list[dict] = field(default_factory=list)
    blocked_chats: dict[int, str] = field(default_factory=dict)  # chat id → reason (403)
    blocked_rows: list[dict] = field(default_factory=list)  # rows of chats already inactive
    floods: list[dict] = field(default_factory=list)
    rows: int = 0  # claimed rows these outcomes settle (the sender's in-flight count)

    @classmethod
    def empty(cls) -> "Outcomes":
        return cls()

    def any(self) -> bool:
        return bool(self.rows or self.floods or self.blocked_chats)

    def merge(self, other: "Outcomes") -> None:
        self.sent += other.sent
        self.requeued += other.requeued
        self.failed += other.failed
        self.blocked_rows += other.blocked_rows
        self.floods += other.floods
        for chat_id, reason in other.blocked_chats.items():
            self.blocked_chats.setdefault(chat_id, reason)
        self.rows += other.rows


def _b(name: str) -> Any:
    """A per-row value of an executemany batch (rows carry it as "b_<name>")."""
    return bindparam(f"b_{name}")


def _update_rows(session: Session, rows: list[dict[str, Any]], **values: Any) -> None:
    """One executemany UPDATE of the outbox rows whose ids ("b_id") are in `rows`; every
    settled row gives up its claim."""
    if rows:
        session.execute(
            update(DELIVERY).where(D.id == _b("id")).values(**values, claimed_at=None), rows
        )


def record(engine: Engine, out: Outcomes) -> None:
    """Write a batch of outcomes. Rows of a chat that blocked the bot become 'blocked', its
    subscriptions stay (a returning user gets them back)."""
    with session_scope(engine) as session:
        _update_rows(session, out.sent, status="sent", message_id=_b("message_id"),
                     sent_at=_b("sent_at"))
        _update_rows(session, out.requeued, status="pending", not_before=_b("not_before"),
                     attempts=_b("attempts"), last_error=_b("last_error"))
        _update_rows(session, out.failed, status="failed", attempts=_b("attempts"),
                     last_error=_b("last_error"))
        _update_rows(session, out.blocked_rows, status="blocked", last_error="chat inactive")
        for chat_id, reason in out.blocked_chats.items():
            session.execute(
                update(Chat.__table__)
                .where(C.id == chat_id)
                .values(active=False, inactive_reason=reason[:200])
            )
            session.execute(
                update(DELIVERY)
                .where(D.chat_id == chat_id, D.status.in_(OPEN_STATUSES))
                .values(status="blocked", last_error=reason, claimed_at=None)
            )
        if out.floods:
            session.execute(insert(FloodWait.__table__), out.floods)  # type: ignore[attr-defined]


def release(engine: Engine, rows: Sequence[tuple[int, datetime | None]]) -> None:
    """Give claimed rows back unsent (shutdown, or a chat that is not ready for a while)."""
    if not rows:
        return
    with session_scope(engine) as session:
        session.execute(
            update(DELIVERY)
            .where(D.id == bindparam("b_id"), D.status == "sending")
            .values(status="pending", not_before=bindparam("b_not_before"), claimed_at=None),
            [{"b_id": i, "b_not_before": nb} for i, nb in rows],
        )


def migrate_chat(engine: Engine, old_id: int, new_id: int) -> None:
    """A group became a supergroup: the new chat id takes over its settings, subscriptions and
    open deliveries; the old id is kept inactive, pointing at the new one."""
    with session_scope(engine) as session:
        old = session.get(Chat, old_id)
        new = session.get(Chat, new_id)
        if new is None:
            new = Chat(id=new_id, kind="supergroup")
            if old is not None:
                new.timezone, new.digest_hour = old.timezone, old.digest_hour
                new.quiet_start, new.quiet_end = old.quiet_start, old.quiet_end
            session.add(new)
            session.flush()
        _move_rows(session, S, Subscription.__table__, old_id, new_id, ("kind", "key"))
        _move_rows(session, D, DELIVERY, old_id, new_id, ("alert_id",), D.status.in_(OPEN_STATUSES))
        session.execute(
            update(DELIVERY)
            .where(D.chat_id == new_id, D.status == "sending")
            .values(status="pending", claimed_at=None)
        )
        if old is not None:
            old.active = False
            old.inactive_reason = f"migrated to {new_id}"
            session.add(old)


def _move_rows(session, cols, table, old_id: int, new_id: int, unique: tuple[str, ...], *extra):
    """Re-point rows from old_id to new_id, dropping those the new chat already has."""
    taken = {
        tuple(r)
        for r in session.execute(select(*(cols[u] for u in unique)).where(cols.chat_id == new_id))
    }
    rows = session.execute(
        select(cols.id, *(cols[u] for u in unique)).where(cols.chat_id == old_id, *extra)
    ).all()
    dupes = [r[0] for r in rows if tuple(r[1:]) in taken]
    move = [r[0] for r in rows if tuple(r[1:]) not in taken]
    if dupes:
        session.execute(table.delete().where(cols.id.in_(dupes)))
    if move:
        session.execute(update(table).where(cols.id.in_(move)).values(chat_id=new_id))


def reactivate_chat(session, chat_id: int) -> bool:
    """A chat that blocked the bot came back (/start): active again, subscriptions as they were.
    Returns whether it had been inactive."""
    chat = session.get(Chat, chat_id)
    if chat is None or chat.active:
        return False
    chat.active = True
    chat.inactive_reason = None
    session.add(chat)
    return True


def count_by_status(engine: Engine, alert_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    ids = list(alert_ids)
    out: dict[int, dict[str, int]] = {i: {} for i in ids}
    if not ids:
        return out
    with session_scope(engine) as session:
        for alert_id, status, n in session.execute(
            select(D.alert_id, D.status, func.count())
            .where(D.alert_id.in_(ids))
            .group_by(D.alert_id, D.status)
        ):
            out[alert_id][status] = n
    return out
