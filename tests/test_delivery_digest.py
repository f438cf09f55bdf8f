"""Quiet hours and daily digests, end to end: fan-out, the digest job, the sender, the emulator."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import select
from telegram import Bot

from bot.alerts import clock, digest, fanout, preferences
from bot.alerts.sender import Sender
from bot.config import Settings
from storage.db import session_scope
from storage.models import Alert, Chat, Delivery, Incident, Subscription
from storage.types import utcnow
from tests.emulator.client import EmulatorClient
from tests.emulator.fixtures import emulator  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture
async def bot(emulator: EmulatorClient) -> AsyncIterator[Bot]:  # noqa: F811
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:
        yield bot


def sender(engine, bot: Bot, emu: EmulatorClient, **kwargs) -> Sender:
    settings = Settings(telegram_token=emu.token, telegram_api_url=emu.base_url)
    return Sender(engine, bot, settings, **kwargs)


def add_alert(session, country: str, text: str, priority: int = 1, **fields) -> Alert:
    alert = Alert(
        kind=fields.pop("kind", "new"),
        severity=3,
        priority=priority,
        body_html=text,
        country=country,
        **fields,
    )
    session.add(alert)
    session.flush()
    fanout.enqueue(session, alert)
    return alert


async def test_quiet_hours_hold_an_alert_until_they_end_but_not_a_critical_one(
    emulator, bot, sqlite_engine  # noqa: F811
):
    # Quiet hours around the current local time in Khartoum, ending an hour from now.
    local = utcnow().astimezone(clock.zone("Africa/Khartoum"))
    minute = local.hour * 60 + local.minute
    window = ((minute - 60) % 1440, (minute + 60) % 1440)
    with session_scope(sqlite_engine) as s:
        s.add(Chat(id=11, timezone="Africa/Khartoum"))
        s.flush()
        s.add(Subscription(chat_id=11, kind="country", key="SDN", label="Sudan"))
        preferences.set_quiet(s, 11, "private", window)
        add_alert(s, "SDN", "Fighting in Omdurman")
        add_alert(s, "SDN", "Hospital hit in El Fasher", priority=0)

    await sender(sqlite_engine, bot, emulator).drain()
    assert await emulator.texts(11) == ["Hospital hit in El Fasher"]
    with session_scope(sqlite_engine) as s:
        held = s.exec(select(Delivery).where(Delivery.status == "pending")).scalars().one()
        released_at = held.not_before.astimezone(clock.zone("Africa/Khartoum"))
        assert released_at.hour * 60 + released_at.minute == window[1]

    # Two hours later the quiet hours are over and the held alert goes out.
    later = sender(sqlite_engine, bot, emulator, clock=lambda: utcnow() + timedelta(hours=2))
    await later.drain()
    assert await emulator.texts(11) == ["Hospital hit in El Fasher", "Fighting in Omdurman"]


async def test_a_daily_digest_groups_the_days_incidents_by_region_at_the_chats_hour(
    emulator, bot, sqlite_engine  # noqa: F811
):
    day = datetime(2026, 1, 15, tzinfo=UTC)
    with session_scope(sqlite_engine) as s:
        s.add(Chat(id=21))
        s.flush()
        preferences.set_timezone(s, 21, "private", "Asia/Damascus")  # UTC+3
        preferences.set_digest(s, 21, "private", 8, now=day + timedelta(hours=2))
        for key in ("SYR", "UKR"):
            s.add(Subscription(chat_id=21, kind="country", key=key, label=key))
        latakia = Incident(
            country="SYR", title="Clashes in Jableh", admin1s=["Latakia"], killed=12, injured=30
        )
        aleppo = Incident(country="SYR", title="Families flee Afrin", admin1s=["Aleppo"])
        aleppo.displaced = 2000
        kharkiv = Incident(country="UKR", title="Strike on <power> plant", admin1s=["Kharkiv"])
        s.add_all([latakia, aleppo, kharkiv])
        s.flush()
        add_alert(s, "SYR", "<b>Clashes in Jableh</b>\n8 killed", incident_id=latakia.id)
        add_alert(s, "SYR", "<b>Jableh toll rises</b>", incident_id=latakia.id, kind="escalation")
        add_alert(s, "SYR", "<b>Families flee Afrin</b>", incident_id=aleppo.id)
        add_alert(s, "UKR", "<b>Strike on power plant</b>", incident_id=kharkiv.id)
        # Not digested: critical alerts go at once.
        add_alert(s, "UKR", "Dam breached", priority=0)

    with session_scope(sqlite_engine) as s:
        assert digest.queue_due_digests(s, day + timedelta(hours=4, minutes=59)) == 0  # 07:59
        assert digest.queue_due_digests(s, day + timedelta(hours=5)) == 1  # 08:00 in Damascus
        assert digest.queue_due_digests(s, day + timedelta(hours=5, minutes=30)) == 0

    await sender(sqlite_engine, bot, emulator).drain()

    texts = await emulator.texts(21)
    assert texts[0] == "Dam breached"
    assert texts[1] == (
        "Daily digest · 15 Jan 2026\n\n"
        "Syria\n"
        "• Aleppo: Families flee Afrin (2,000 displaced)\n"
        "• Latakia: Clashes in Jableh (12 killed, 30 injured) ⬆\n\n"
        "Ukraine\n"
        "• Kharkiv: Strike on <power> plant"
    )
    with session_scope(sqlite_engine) as s:
        kinds = s.exec(select(Delivery.status)).scalars().all()
        assert sorted(kinds) == ["digested"] * 4 + ["sent"] * 2

    # The next day, with nothing new, the digest says so.
    with session_scope(sqlite_engine) as s:
        assert digest.queue_due_digests(s, day + timedelta(days=1, hours=5, minutes=1)) == 1
    await sender(sqlite_engine, bot, emulator).drain()
    assert "No new incidents" in (await emulator.texts(21))[2]
