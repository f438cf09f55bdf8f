"""Delivery figures for admins (/stats): queue depth, throughput, flood waits, inactive chats."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from storage.models import Chat, Delivery, FloodWait
from storage.types import utcnow

D = Delivery.__table__.c  # type: ignore[attr-defined]
F = FloodWait.__table__.c  # type: ignore[attr-defined]
C = Chat.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    pending: int  # waiting to be sent (including quiet hours and retries)
    due_now: int
    sending: int
    held_for_digest: int
    sent_last_hour: int
    failed_last_day: int
    floods_last_hour: int
    longest_retry_after_day: float | None
    inactive_chats: int
    active_chats: int


def delivery_stats(session: Session, now: datetime | None = None) -> DeliveryStats:
    now = now or utcnow()
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    by_status = dict(
        session.execute(
            select(D.status, func.count())
            .where(D.status.in_(("pending", "sending", "digest")))
            .group_by(D.status)
        ).all()
    )
    due_now = session.execute(
        select(func.count()).where(
            D.status == "pending", (D.not_before.is_(None)) | (D.not_before <= now)
        )
    ).scalar_one()
    sent = session.execute(
        select(func.count()).where(D.status == "sent", D.sent_at >= hour_ago)
    ).scalar_one()
    failed = session.execute(
        select(func.count()).where(D.status == "failed", D.created_at >= day_ago)
    ).scalar_one()
    floods = session.execute(select(func.count()).where(F.at >= hour_ago)).scalar_one()
    longest = session.execute(select(func.max(F.retry_after)).where(F.at >= day_ago)).scalar()
    chats = dict(session.execute(select(C.active, func.count()).group_by(C.active)).all())
    return DeliveryStats(
        pending=by_status.get("pending", 0),
        due_now=due_now,
        sending=by_status.get("sending", 0),
        held_for_digest=by_status.get("digest", 0),
        sent_last_hour=sent,
        failed_last_day=failed,
        floods_last_hour=floods,
        longest_retry_after_day=longest,
        inactive_chats=chats.get(False, 0),
        active_chats=chats.get(True, 0),
    )


def stats_html(s: DeliveryStats) -> str:
    longest = "none" if s.longest_retry_after_day is None else f"{s.longest_retry_after_day:g} s"
    return (
        "<b>Delivery</b>\n"
        f"Queue: {s.pending} pending ({s.due_now} due now), {s.sending} being sent, "
        f"{s.held_for_digest} held for digests\n"
        f"Sent in the last hour: {s.sent_last_hour}\n"
        f"Failed in the last day: {s.failed_last_day}\n"
        f"Flood waits (429) in the last hour: {s.floods_last_hour}; "
        f"longest in the last day: {longest}\n"
        f"Chats: {s.active_chats} active, {s.inactive_chats} inactive (blocked, left or migrated)"
    )
