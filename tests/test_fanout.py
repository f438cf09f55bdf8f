"""Fan-out: which chats an alert reaches, and when (quiet hours, digests), on real databases."""

from datetime import UTC, datetime

from sqlalchemy import select

from bot.alerts import fanout
from storage.db import session_scope
from storage.models import Alert, Chat, Delivery, Subscription

# 23:30 in Damascus (UTC+3) on a winter evening.
EVENING = datetime(2026, 1, 15, 20, 30, tzinfo=UTC)


def _chat(session, chat_id, **fields):
    session.add(Chat(id=chat_id, **fields))
    session.flush()


def _sub(session, chat_id, kind, key, **fields):
    session.add(Subscription(chat_id=chat_id, kind=kind, key=key, label=key, **fields))
    session.flush()


def _alert(session, **fields) -> Alert:
    values = {"kind": "new", "severity": 3, "priority": 1, "body_html": "<b>Clashes</b>"}
    alert = Alert(**(values | fields))
    session.add(alert)
    session.flush()
    return alert


def _deliveries(engine, alert_id: int) -> dict[int, Delivery]:
    with session_scope(engine) as session:
        rows = session.exec(select(Delivery).where(Delivery.alert_id == alert_id)).scalars()
        return {d.chat_id: d for d in rows}


def test_an_alert_reaches_each_matching_chat_once(any_engine):
    with session_scope(any_engine) as s:
        for chat_id in (1, 2, 3, 4, 5, 6, 7):
            _chat(s, chat_id)
        _sub(s, 1, "country", "SYR")
        _sub(s, 1, "admin1", "SYR:Latakia")  # matches twice, still one message
        _sub(s, 2, "admin1", "SYR:Latakia")
        _sub(s, 3, "town", "SYR:Latakia:Jableh")
        _sub(s, 4, "topic", "epidemic")
        _sub(s, 5, "admin1", "SYR:Aleppo")  # another province
        _sub(s, 6, "country", "LBN")  # another country
        _sub(s, 7, "town", "SYR:Latakia:Baniyas")  # another town
        alert = _alert(
            s, country="SYR", admin1s=["Latakia"], towns=["Jableh"], topics=["epidemic"]
        )
        assert fanout.enqueue(s, alert, now=EVENING) == 4
        alert_id = alert.id
    rows = _deliveries(any_engine, alert_id)
    assert sorted(rows) == [1, 2, 3, 4]
    assert {d.status for d in rows.values()} == {"pending"}
    assert {d.priority for d in rows.values()} == {1}


def test_keys_given_in_full_match_the_same_chats(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        _chat(s, 1)
        _chat(s, 2)
        _sub(s, 1, "admin1", "SYR:Latakia")
        _sub(s, 2, "town", "SYR:Latakia:Jableh")
        alert = _alert(s, country="SYR", admin1s=["SYR:Latakia"], towns=["SYR:Latakia:Jableh"])
        assert fanout.enqueue(s, alert) == 2


def test_severity_floor_mute_and_inactive_chats_are_respected(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        for chat_id in (1, 2, 3, 4, 5):
            _chat(s, chat_id, active=chat_id != 4)
        _sub(s, 1, "country", "SDN", min_severity=4)  # only critical-severity news
        _sub(s, 2, "country", "SDN", muted_until=datetime(2026, 1, 16, tzinfo=UTC))
        _sub(s, 3, "country", "SDN", muted_until=datetime(2026, 1, 14, tzinfo=UTC))  # expired
        _sub(s, 4, "country", "SDN")  # blocked the bot
        _sub(s, 5, "country", "SDN", min_severity=3)
        alert = _alert(s, country="SDN", severity=3)
        assert fanout.enqueue(s, alert, now=EVENING) == 2
        alert_id = alert.id
    assert sorted(_deliveries(sqlite_engine, alert_id)) == [3, 5]


def test_quiet_hours_hold_non_critical_alerts_until_they_end_in_the_chats_zone(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        # 22:00-07:00 in Damascus (UTC+3): 23:30 local is inside, the window ends 04:00 UTC.
        _chat(s, 1, timezone="Asia/Damascus", quiet_start=22 * 60, quiet_end=7 * 60)
        # The same hours in UTC: 20:30 UTC is outside.
        _chat(s, 2, timezone="UTC", quiet_start=22 * 60, quiet_end=7 * 60)
        for chat_id in (1, 2):
            _sub(s, chat_id, "country", "SYR")
        ordinary = _alert(s, country="SYR", priority=1)
        critical = _alert(s, country="SYR", priority=0, severity=4)
        fanout.enqueue(s, ordinary, now=EVENING)
        fanout.enqueue(s, critical, now=EVENING)
        ids = ordinary.id, critical.id
    held = _deliveries(sqlite_engine, ids[0])
    assert held[1].not_before == datetime(2026, 1, 16, 4, 0, tzinfo=UTC)
    assert held[2].not_before is None
    urgent = _deliveries(sqlite_engine, ids[1])
    assert urgent[1].not_before is None and urgent[1].priority == 0


def test_digest_chats_get_critical_alerts_at_once_and_the_rest_in_their_digest(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        _chat(s, 1, digest_hour=8)
        _sub(s, 1, "country", "UKR")
        ordinary = _alert(s, country="UKR")
        critical = _alert(s, country="UKR", priority=0, severity=4)
        fanout.enqueue(s, ordinary)
        fanout.enqueue(s, critical)
        ids = ordinary.id, critical.id
    assert _deliveries(sqlite_engine, ids[0])[1].status == "digest"
    assert _deliveries(sqlite_engine, ids[1])[1].status == "pending"


def test_enqueueing_twice_adds_nothing(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        _chat(s, 1)
        _sub(s, 1, "topic", "flood")
        alert = _alert(s, topics=["flood"])
        assert fanout.enqueue(s, alert) == 1
        assert fanout.enqueue(s, alert) == 0
        alert_id = alert.id
    assert len(_deliveries(sqlite_engine, alert_id)) == 1


def test_an_alert_about_nowhere_reaches_no_one(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        _chat(s, 1)
        _sub(s, 1, "country", "SYR")
        assert fanout.enqueue(s, _alert(s)) == 0


def test_a_bare_town_name_reaches_that_towns_followers_in_whatever_province(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        for chat_id in (1, 2, 3):
            _chat(s, chat_id)
        _sub(s, 1, "town", "SYR:Latakia:Jableh")
        _sub(s, 2, "town", "SYR:Latakia:Jableh_2")  # '_' is not a wildcard here
        _sub(s, 3, "town", "LBN:North:Jableh")  # same name, another country
        alert = _alert(s, country="SYR", admin1s=[], towns=["Jableh"])
        assert fanout.enqueue(s, alert) == 1
        alert_id = alert.id
    assert sorted(_deliveries(sqlite_engine, alert_id)) == [1]
