"""Admin broadcasts: who receives one, queueing it, and what became of it.

A broadcast is an Alert of kind "broadcast" (priority 2, after every alert) with one Delivery per
recipient: every active chat, or the active chats following one region (its country, the region
itself, or a place inside it, i.e. those who would get an alert about it). When none of its
deliveries is open any more, the admin who sent it gets a report (sent, blocked, failed).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session

from bot.alerts import clock
from bot.alerts.fanout import write_deliveries
from storage.models import Alert, Chat, Delivery, Subscription
from storage.types import utcnow

BROADCAST_PRIORITY = 2
REPORT_PRIORITY = 2
MAX_TEXT = 3500  # leaves room for the heading within Telegram's 4096
EVERYONE = "everyone"

D = Delivery.__table__.c  # type: ignore[attr-defined]
C = Chat.__table__.c  # type: ignore[attr-defined]
S = Subscription.__table__.c  # type: ignore[attr-defined]
A = Alert.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Region:
    """A place broadcasts can target; kind and key as in Subscription."""

    kind: str  # country | admin1 | town
    key: str  # "SYR" | "SYR:Latakia" | "SYR:Latakia:Jableh"
    label: str


@dataclass(frozen=True, slots=True)
class BroadcastReport:
    alert_id: int
    created_at: datetime
    target: str
    recipients: int
    sent: int
    blocked: int
    failed: int
    pending: int

    @property
    def done(self) -> bool:
        return self.pending == 0


def resolve_region(query: str, limit: int = 5) -> list[Region]:
    """Places matching what the admin typed, best first (empty when nothing matches)."""
    from bot.analysis import gazetteer  # built alongside; imported when first needed

    found = gazetteer.search(query, limit=limit)
    return [
        Region(p.kind, p.key, p.label) for p in found if p.kind in ("country", "admin1", "town")
    ]


def _under(prefix: str) -> tuple[Any, Any]:
    """Keys inside `prefix` ("SYR" → "SYR:…"), as an index range (':' + 1 is ';')."""
    return S.key >= f"{prefix}:", S.key < f"{prefix};"


def _region_condition(region: Region) -> Any:
    """Subscriptions whose chats would receive an alert about `region`."""
    parts = region.key.split(":")
    country = parts[0]
    cond = [and_(S.kind == "country", S.key == country)]
    if region.kind == "country":
        cond.append(and_(S.kind.in_(("admin1", "town")), *_under(country)))
    elif region.kind == "admin1":
        cond.append(and_(S.kind == "admin1", S.key == region.key))
        cond.append(and_(S.kind == "town", *_under(region.key)))
    else:
        cond.append(and_(S.kind == "admin1", S.key == ":".join(parts[:2])))
        cond.append(and_(S.kind == "town", S.key == region.key))
    return or_(*cond)


def _recipients_query(region: Region | None):
    if region is None:
        return select(C.id, C.timezone, C.quiet_start, C.quiet_end).where(C.active.is_(True))
    chat_ids = select(S.chat_id).where(_region_condition(region))
    return select(C.id, C.timezone, C.quiet_start, C.quiet_end).where(
        C.id.in_(chat_ids), C.active.is_(True)
    )


def count_recipients(session: Session, region: Region | None) -> int:
    """How many active chats a broadcast to `region` (None: everyone) would reach."""
    sub = _recipients_query(region).subquery()
    return session.execute(select(func.count()).select_from(sub)).scalar_one()


def body_html(text: str) -> str:
    return f"📢 <b>Announcement</b>\n\n{escape(text.strip())}"


def create(
    session: Session,
    admin_id: int,
    text: str,
    region: Region | None,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Queue a broadcast of `text` (plain text, escaped here). Returns (alert id, recipients).
    Non-critical, so chats in quiet hours get it when their quiet hours end."""
    now = now or utcnow()
    alert = Alert(
        kind="broadcast",
        priority=BROADCAST_PRIORITY,
        body_html=body_html(text),
        reason=region.label if region else EVERYONE,
        country=region.key.split(":")[0] if region else None,
        admin1s=[region.key] if region and region.kind != "country" else [],
        created_by=admin_id,
    )
    session.add(alert)
    session.flush()
    rows = [
        {
            "alert_id": alert.id,
            "chat_id": chat_id,
            "status": "pending",
            "priority": BROADCAST_PRIORITY,
            "not_before": clock.quiet_until(tz, q_start, q_end, now),
            "attempts": 0,
            "created_at": now,
        }
        for chat_id, tz, q_start, q_end in session.execute(_recipients_query(region))
    ]
    queued = write_deliveries(session, rows)
    if not queued:  # nobody to send to: done at once, the admin is told in the preview
        alert.completed_at = now
        session.add(alert)
    return alert.id, queued  # type: ignore[return-value]


def _reports(session: Session, alerts: list[Alert]) -> list[BroadcastReport]:
    ids = [a.id for a in alerts]
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}  # type: ignore[misc]
    if ids:
        for alert_id, status, n in session.execute(
            select(D.alert_id, D.status, func.count())
            .where(D.alert_id.in_(ids))
            .group_by(D.alert_id, D.status)
        ):
            counts[alert_id][status] = n
    out = []
    for a in alerts:
        c = counts[a.id]  # type: ignore[index]
        out.append(
            BroadcastReport(
                alert_id=a.id,  # type: ignore[arg-type]
                created_at=a.created_at,
                target=a.reason,
                recipients=sum(c.values()),
                sent=c.get("sent", 0),
                blocked=c.get("blocked", 0),
                failed=c.get("failed", 0),
                pending=c.get("pending", 0) + c.get("sending", 0),
            )
        )
    return out


def recent(session: Session, limit: int = 10) -> list[BroadcastReport]:
    """The latest broadcasts, newest first, with how their deliveries went."""
    alerts = list(
        session.execute(
            select(Alert).where(A.kind == "broadcast").order_by(A.id.desc()).limit(limit)
        ).scalars()
    )
    return _reports(session, alerts)


def report(session: Session, alert_id: int) -> BroadcastReport | None:
    alert = session.get(Alert, alert_id)
    if alert is None or alert.kind != "broadcast":
        return None
    return _reports(session, [alert])[0]


def report_html(rep: BroadcastReport) -> str:
    target = "everyone" if rep.target == EVERYONE else f"subscribers of {rep.target}"
    return (
        f"<b>Broadcast #{rep.alert_id} delivered</b> to {escape(target)}\n"
        f"Sent: {rep.sent}\nBlocked (chat gone or bot blocked): {rep.blocked}\n"
        f"Failed: {rep.failed}"
    )


def settle_finished(session: Session, now: datetime | None = None) -> int:
    """Mark broadcasts whose deliveries are all settled as completed and queue the report to the
    admin who sent them. Returns how many reports were queued."""
    now = now or utcnow()
    open_ids = select(D.alert_id).where(D.status.in_(("pending", "sending")))
    finished = list(
        session.execute(
            select(Alert).where(
                A.kind == "broadcast",
                A.completed_at.is_(None),
                A.id.not_in(open_ids),
                A.created_at > now - timedelta(days=30),
            )
        ).scalars()
    )
    queued = 0
    for rep, alert in zip(_reports(session, finished), finished, strict=True):
        alert.completed_at = now
        session.add(alert)
        if alert.created_by is None or session.get(Chat, alert.created_by) is None:
            continue
        notice = Alert(
            kind="notice",
            priority=REPORT_PRIORITY,
            reason=f"report of broadcast {alert.id}",
            body_html=report_html(rep),
        )
        session.add(notice)
        session.flush()
        session.add(
            Delivery(alert_id=notice.id, chat_id=alert.created_by, priority=REPORT_PRIORITY)
        )
        queued += 1
    return queued


def ensure_admin_chat(session: Session, admin_id: int) -> None:
    """The admin's private chat row, so the delivery report has somewhere to go."""
    if session.get(Chat, admin_id) is None:
        session.add(Chat(id=admin_id, kind="private"))
        session.flush()
    else:
        session.execute(update(Chat.__table__).where(C.id == admin_id).values(active=True))


def queue(session: Session, admin_id: int, text: str, region: Region | None) -> tuple[int, int]:
    """What the confirm button does: the admin's chat row (for the report), then the broadcast.
    Returns (broadcast id, recipients)."""
    ensure_admin_chat(session, admin_id)
    return create(session, admin_id, text, region)


def recent_html(reports: list[BroadcastReport], tz_name: str = "UTC") -> str:
    if not reports:
        return "No broadcasts yet."
    lines = ["<b>Recent broadcasts</b>"]
    for rep in reports:
        target = "everyone" if rep.target == EVERYONE else rep.target
        state = "delivering" if not rep.done else "done"
        lines.append(
            f"#{rep.alert_id} · {escape(clock.local_stamp(rep.created_at, tz_name))} · "
            f"{escape(target)}: {rep.recipients} chats, {rep.sent} sent, {rep.blocked} blocked, "
            f"{rep.failed} failed, {rep.pending} pending ({state})"
        )
    return "\n".join(lines)


def parse_command(arg: str) -> tuple[str | None, str]:
    """Split '/broadcast' arguments into (region name or None for everyone, text).

    Syntax: `<text>` goes to everyone; `<region> | <text>` to that region's subscribers, where
    the region is what stands before the first '|' on the first line; `all | <text>` is
    everyone too (for a text that itself contains '|')."""
    first, _, rest = arg.partition("\n")
    if "|" not in first:
        return None, arg.strip()
    region, _, text = first.partition("|")
    text = (text + ("\n" + rest if rest else "")).strip()
    region = " ".join(region.split())
    if region.casefold() in ("all", "everyone", "*"):
        return None, text
    return region, text
