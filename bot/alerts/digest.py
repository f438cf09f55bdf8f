"""Daily digests: chats that chose one get the day's non-critical alerts in one message at the
hour they picked, in their time zone, grouped by region with each incident's figures.

The fan-out holds those alerts as Delivery rows with status "digest"; at the chat's hour they
become one Alert of kind "digest" (priority 2) for that chat, and the held rows "digested".
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from html import escape, unescape

import pycountry
from sqlalchemy import select, update
from sqlmodel import Session

from bot.alerts import clock
from storage.models import Alert, Chat, Delivery, Incident
from storage.types import utcnow

DIGEST_PRIORITY = 2
MAX_BODY = 3900  # under Telegram's 4096, with room for the "and N more" line
FIGURES = ("killed", "injured", "displaced", "missing")
_TAG = re.compile(r"<[^>]+>")

D = Delivery.__table__.c  # type: ignore[attr-defined]


@dataclass(slots=True)
class DigestItem:
    title: str  # plain text
    country: str | None
    admin1: str | None
    figures: dict[str, int] = field(default_factory=dict)
    escalated: bool = False


def country_name(iso3: str | None) -> str:
    if not iso3:
        return "Other"
    found = pycountry.countries.get(alpha_3=iso3.upper())
    if found is None:
        return iso3
    name = getattr(found, "common_name", None) or found.name
    if ", " in name:  # ISO's "Congo, The Democratic Republic of the" reads better turned round
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    return name


def _first_line(body_html: str) -> str:
    """The first line of an alert's HTML as plain text (its headline)."""
    line = next((ln for ln in body_html.splitlines() if ln.strip()), "")
    return unescape(_TAG.sub("", line)).strip()


def _admin1(names: list) -> str | None:
    if not names:
        return None
    first = str(names[0])
    return first.split(":")[-1] if ":" in first else first


def collect(session: Session, chat_id: int) -> tuple[list[DigestItem], list[int]]:
    """The chat's held alerts as digest items (one per incident, latest figures), and the ids
    of the Delivery rows they came from."""
    rows = session.execute(
        select(Delivery.id, Alert, Incident)
        .join(Alert, Delivery.alert_id == Alert.id)
        .outerjoin(Incident, Alert.incident_id == Incident.id)
        .where(Delivery.chat_id == chat_id, Delivery.status == "digest")
        .order_by(Alert.id)
    ).all()
    items: dict[object, DigestItem] = {}
    for _, alert, incident in rows:
        key = ("incident", incident.id) if incident is not None else ("alert", alert.id)
        item = items.get(key)
        if item is None:
            if incident is not None:
                item = DigestItem(
                    title=incident.title or _first_line(alert.body_html),
                    country=incident.country or alert.country,
                    admin1=_admin1(incident.admin1s) or _admin1(alert.admin1s),
                    figures={
                        k: v for k in FIGURES if (v := getattr(incident, k)) is not None and v > 0
                    },
                )
            else:
                item = DigestItem(
                    _first_line(alert.body_html), alert.country, _admin1(alert.admin1s)
                )
            items[key] = item
        item.escalated = item.escalated or alert.kind == "escalation"
    return list(items.values()), [r[0] for r in rows]


def _figures_text(figures: dict[str, int]) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in figures.items())


def render(items: list[DigestItem], chat_tz: str, now: datetime) -> str:
    """The digest message: a heading, then each country, each incident under its region."""
    day = now.astimezone(clock.zone(chat_tz))
    head = f"<b>Daily digest</b> · {day:%d %b %Y}"
    if not items:
        return f"{head}\n\nNo new incidents in the places you follow since the last digest."
    by_country: dict[str, list[DigestItem]] = defaultdict(list)
    for item in items:
        by_country[country_name(item.country)].append(item)
    lines = [head]
    shown = 0
    for country in sorted(by_country):
        block = [f"\n<b>{escape(country)}</b>"]
        for item in sorted(by_country[country], key=lambda i: (i.admin1 or "", i.title)):
            where = f"{escape(item.admin1)}: " if item.admin1 else ""
            figures = _figures_text(item.figures)
            tail = f" ({figures})" if figures else ""
            mark = " ⬆" if item.escalated else ""
            block.append(f"• {where}{escape(item.title)}{escape(tail)}{mark}")
        for line in block:
            if len("\n".join(lines)) + len(line) > MAX_BODY:
                lines.append(f"\n… and {len(items) - shown} more")
                return "\n".join(lines)
            lines.append(line)
            if line.startswith("•"):
                shown += 1
    return "\n".join(lines)


def build(session: Session, chat: Chat, now: datetime) -> int:
    """Queue the chat's digest now; returns the digest Alert's id."""
    items, delivery_ids = collect(session, chat.id)
    alert = Alert(
        kind="digest",
        priority=DIGEST_PRIORITY,
        reason="daily digest",
        body_html=render(items, chat.timezone, now),
    )
    session.add(alert)
    session.flush()
    session.add(Delivery(alert_id=alert.id, chat_id=chat.id, priority=DIGEST_PRIORITY))
    if delivery_ids:
        session.execute(
            update(Delivery.__table__).where(D.id.in_(delivery_ids)).values(status="digested")  # type: ignore[attr-defined]
        )
    chat.last_digest_at = now
    session.add(chat)
    return alert.id  # type: ignore[return-value]


def queue_due_digests(session: Session, now: datetime | None = None) -> int:
    """Queue every digest whose hour has struck since the chat's last one (the scheduler calls
    this every minute). Returns how many were queued."""
    now = now or utcnow()
    chats = session.execute(
        select(Chat).where(Chat.digest_hour.is_not(None), Chat.active.is_(True))  # type: ignore[union-attr,attr-defined]
    ).scalars()
    queued = 0
    for chat in chats:
        due = clock.digest_due_since(chat.timezone, chat.digest_hour, now)  # type: ignore[arg-type]
        if chat.last_digest_at is not None and chat.last_digest_at >= due:
            continue
        build(session, chat, now)
        queued += 1
    return queued
