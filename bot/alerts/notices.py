"""Operational notices to the admins (a source down, back up …), sent through the outbox."""

from sqlmodel import Session, select

from bot.config import Settings
from storage.models import Alert, Chat, Delivery

NOTICE_PRIORITY = 2  # with broadcasts and digests: after every incident alert


def notify_admins(session: Session, settings: Settings, body_html: str, reason: str = "") -> int:
    """Queue `body_html` (already escaped Telegram HTML) for every admin who has a chat with the
    bot. Returns how many deliveries were queued; admins who never opened the bot get none."""
    if not settings.admin_ids:
        return 0
    chat_ids = session.exec(
        select(Chat.id).where(Chat.id.in_(settings.admin_ids), Chat.active)  # type: ignore[attr-defined]
    ).all()
    if not chat_ids:
        return 0
    alert = Alert(kind="notice", priority=NOTICE_PRIORITY, reason=reason, body_html=body_html)
    session.add(alert)
    session.flush()
    for chat_id in chat_ids:
        session.add(Delivery(alert_id=alert.id, chat_id=chat_id, priority=NOTICE_PRIORITY))
    return len(chat_ids)
