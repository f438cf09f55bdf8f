"""Queries the Telegram side needs, kept here so that handlers hold no SQL."""

from collections.abc import Sequence

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from storage.models import Alert, Chat, Delivery, Subscription


def ensure_chat(
    session: Session, chat_id: int, kind: str, timezone: str | None = None
) -> Chat:
    """The chat's row, created on first contact (in `timezone`, the operator's default, until
    the chat picks its own); a chat that comes back is active again."""
    chat = session.get(Chat, chat_id)
    if chat is None:
        chat = Chat(id=chat_id, kind=kind, timezone=timezone or "UTC")
        session.add(chat)
    elif not chat.active or chat.kind != kind:
        chat.active = True
        chat.inactive_reason = None
        chat.kind = kind
        session.add(chat)
    session.flush()
    return chat


def add_subscription(
    session: Session, chat_id: int, kind: str, key: str, label: str
) -> tuple[Subscription, bool]:
    """Subscribe the chat; returns (subscription, created). Subscribing twice is harmless."""
    existing = session.exec(
        select(Subscription).where(
            Subscription.chat_id == chat_id, Subscription.kind == kind, Subscription.key == key
        )
    ).first()
    if existing is not None:
        return existing, False
    sub = Subscription(chat_id=chat_id, kind=kind, key=key, label=label)
    session.add(sub)
    session.flush()
    return sub, True


def chat_subscriptions(session: Session, chat_id: int) -> Sequence[Subscription]:
    return session.exec(
        select(Subscription)
        .where(Subscription.chat_id == chat_id)
        .order_by(col(Subscription.created_at), col(Subscription.id))
    ).all()


def remove_subscription(
    session: Session, chat_id: int, subscription_id: int
) -> Subscription | None:
    """Remove one of the chat's subscriptions (never another chat's); returns what was removed."""
    sub = session.get(Subscription, subscription_id)
    if sub is None or sub.chat_id != chat_id:
        return None
    session.delete(sub)
    return sub


def latest_alerts_for_chat(session: Session, chat_id: int, limit: int = 5) -> Sequence[Alert]:
    """The newest incident alerts queued for this chat (sent or waiting), newest first."""
    return session.exec(
        select(Alert)
        .join(Delivery, col(Delivery.alert_id) == col(Alert.id))
        .where(Delivery.chat_id == chat_id, col(Alert.kind).in_(("new", "escalation")))
        .order_by(col(Alert.created_at).desc(), col(Alert.id).desc())
        .limit(limit)
    ).all()


def forget_chat(session: Session, chat_id: int) -> int:
    """Delete everything kept about the chat; returns how many subscriptions went with it."""
    count = session.exec(
        select(func.count()).select_from(Subscription).where(Subscription.chat_id == chat_id)
    ).one()
    session.exec(delete(Delivery).where(col(Delivery.chat_id) == chat_id))  # type: ignore[call-overload]
    session.exec(delete(Subscription).where(col(Subscription.chat_id) == chat_id))  # type: ignore[call-overload]
    session.exec(delete(Chat).where(col(Chat.id) == chat_id))  # type: ignore[call-overload]
    return int(count)


def mark_chat_inactive(session: Session, chat_id: int, reason: str) -> None:
    """The bot was blocked or removed: stop sending, keep the subscriptions for a comeback."""
    chat = session.get(Chat, chat_id)
    if chat is not None and chat.active:
        chat.active = False
        chat.inactive_reason = reason[:200]
        session.add(chat)
