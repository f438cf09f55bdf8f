"""The schema as migrations build it, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage import queries
from storage.db import session_scope
from storage.models import Alert, Chat, Delivery, Subscription

SUPERGROUP = -1001234567890  # Telegram supergroup ids do not fit in 32 bits


def test_migrations_create_every_table(any_engine):
    tables = set(inspect(any_engine).get_table_names())
    assert {"chat", "subscription", "source", "report", "incident", "alert", "delivery"} <= tables
    assert "alembic_version" in tables


def test_migrating_twice_is_harmless(any_engine):
    from storage.db import migrate

    migrate(any_engine)
    assert "chat" in inspect(any_engine).get_table_names()


def test_large_chat_ids_and_utc_times_round_trip(any_engine):
    when = datetime(2025, 3, 8, 23, 30, tzinfo=UTC)
    with session_scope(any_engine) as session:
        chat = queries.ensure_chat(session, SUPERGROUP, "supergroup")
        chat.last_digest_at = when
    with session_scope(any_engine) as session:
        chat = session.get(Chat, SUPERGROUP)
        assert chat.kind == "supergroup"
        assert chat.last_digest_at == when
        assert chat.last_digest_at.tzinfo is not None


def test_naive_datetimes_are_refused(any_engine):
    with pytest.raises(Exception, match="naive"), session_scope(any_engine) as session:
        session.add(Chat(id=1, last_digest_at=datetime(2025, 1, 1)))


def test_one_delivery_per_alert_and_chat(any_engine):
    with session_scope(any_engine) as session:
        queries.ensure_chat(session, 42, "private")
        alert = Alert(kind="new", body_html="<b>x</b>")
        session.add(alert)
        session.flush()
        alert_id = alert.id
        session.add(Delivery(alert_id=alert_id, chat_id=42))
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        session.add(Delivery(alert_id=alert_id, chat_id=42))


def test_subscribing_twice_keeps_one_row(any_engine):
    with session_scope(any_engine) as session:
        queries.ensure_chat(session, 7, "private")
        _, first = queries.add_subscription(session, 7, "country", "SYR", "Syria")
        _, second = queries.add_subscription(session, 7, "country", "SYR", "Syria")
    assert (first, second) == (True, False)
    with session_scope(any_engine) as session:
        assert len(queries.chat_subscriptions(session, 7)) == 1


def test_a_chat_cannot_remove_another_chats_subscription(any_engine):
    with session_scope(any_engine) as session:
        for chat_id in (1, 2):
            queries.ensure_chat(session, chat_id, "private")
        sub, _ = queries.add_subscription(session, 1, "topic", "epidemic", "Epidemics")
        sub_id = sub.id
    with session_scope(any_engine) as session:
        assert queries.remove_subscription(session, 2, sub_id) is None
    with session_scope(any_engine) as session:
        assert queries.remove_subscription(session, 1, sub_id).label == "Epidemics"
        session.flush()
        assert queries.chat_subscriptions(session, 1) == []


def test_forget_deletes_the_chat_and_everything_about_it(any_engine):
    with session_scope(any_engine) as session:
        for chat_id in (1, 2):
            queries.ensure_chat(session, chat_id, "private")
            queries.add_subscription(session, chat_id, "country", "SDN", "Sudan")
        alert = Alert(kind="new", body_html="x")
        session.add(alert)
        session.flush()
        session.add(Delivery(alert_id=alert.id, chat_id=1))
        session.add(Delivery(alert_id=alert.id, chat_id=2))
    with session_scope(any_engine) as session:
        assert queries.forget_chat(session, 1) == 1
    with session_scope(any_engine) as session:
        assert session.get(Chat, 1) is None
        assert session.exec(select(Subscription.chat_id)).all() == [2]
        assert session.exec(select(Delivery.chat_id)).all() == [2]


def test_a_returning_chat_is_active_again(any_engine):
    with session_scope(any_engine) as session:
        chat = queries.ensure_chat(session, 5, "private")
        chat.active = False
        chat.inactive_reason = "blocked"
        queries.add_subscription(session, 5, "country", "HTI", "Haiti")
    with session_scope(any_engine) as session:
        chat = queries.ensure_chat(session, 5, "private")
        assert chat.active and chat.inactive_reason is None
        assert [s.key for s in queries.chat_subscriptions(session, 5)] == ["HTI"]


def test_latest_alerts_are_the_chats_own_newest_first(any_engine):
    now = datetime.now(UTC)
    with session_scope(any_engine) as session:
        for chat_id in (1, 2):
            queries.ensure_chat(session, chat_id, "private")
        for i, chat_id in enumerate((1, 1, 2)):
            alert = Alert(kind="new", body_html=f"alert {i}", created_at=now + timedelta(seconds=i))
            session.add(alert)
            session.flush()
            session.add(Delivery(alert_id=alert.id, chat_id=chat_id))
    with session_scope(any_engine) as session:
        bodies = [a.body_html for a in queries.latest_alerts_for_chat(session, 1)]
    assert bodies == ["alert 1", "alert 0"]
