"""The sender against the local Bot API emulator: what users receive when Telegram answers with
429s, 403s, 500s, timeouts and migrations, and that a kill -9 loses nothing."""

import asyncio
import os
import signal
import sys
import textwrap
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import func, insert, select
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.alerts import fanout
from bot.alerts.sender import Sender, reactivate_chat
from bot.config import Settings
from storage.db import session_scope
from storage.models import Alert, Chat, Delivery, FloodWait, Subscription
from storage.types import utcnow
from tests.emulator.client import EmulatorClient
from tests.emulator.fixtures import emulator  # noqa: F401
from tests.emulator.process import REPO_ROOT

pytestmark = pytest.mark.e2e


def settings_for(emu: EmulatorClient, rate: float = 30.0) -> Settings:
    return Settings(telegram_token=emu.token, telegram_api_url=emu.base_url, send_rate=rate)


@pytest_asyncio.fixture
async def bot(emulator: EmulatorClient) -> AsyncIterator[Bot]:  # noqa: F811
    request = HTTPXRequest(connection_pool_size=32, read_timeout=1.5)
    async with Bot(emulator.token, base_url=emulator.base_url, request=request) as bot:
        yield bot


def seed(engine, chats: list[tuple[int, str]], key: str = "SYR", **chat_fields) -> None:
    now = utcnow()
    with session_scope(engine) as s:
        s.execute(
            insert(Chat.__table__),
            [
                {"id": i, "kind": kind, "active": True, "timezone": "UTC", "created_at": now}
                | chat_fields
                for i, kind in chats
            ],
        )
        s.execute(
            insert(Subscription.__table__),
            [
                {"chat_id": i, "kind": "country", "key": key, "label": key, "min_severity": 0}
                | {"created_at": now}
                for i, _ in chats
            ],
        )


def queue_alert(engine, text: str, priority: int = 1, **fields) -> int:
    with session_scope(engine) as s:
        values = {"country": "SYR", "severity": 3} | fields
        alert = Alert(kind="new", priority=priority, body_html=text, **values)
        s.add(alert)
        s.flush()
        fanout.enqueue(s, alert)
        return alert.id


def statuses(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        query = select(Delivery.status, func.count()).group_by(Delivery.status)
        return dict(s.execute(query).all())


async def test_each_chat_gets_the_alert_once_with_the_time_in_its_zone(
    emulator, bot, any_engine  # noqa: F811
):
    seed(any_engine, [(101, "private"), (102, "private")])
    with session_scope(any_engine) as s:
        s.get(Chat, 102).timezone = "Asia/Damascus"
    event = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    queue_alert(any_engine, "<b>Clashes</b> in Jableh &amp; Baniyas", event_at=event)

    stats = await Sender(any_engine, bot, settings_for(emulator)).drain()

    assert stats.sent == 2
    first = (await emulator.messages(101))[0]
    assert first["text"] == "Clashes in Jableh & Baniyas\n\n15 Jan 2026, 12:00 UTC"
    assert (await emulator.texts(102))[0].endswith("15 Jan 2026, 15:00 +03")
    with session_scope(any_engine) as s:
        row = s.exec(select(Delivery).where(Delivery.chat_id == 101)).scalars().one()
        assert row.status == "sent" and row.message_id == first["message_id"]
    assert (await emulator.stats())["duplicates"] == 0


async def test_a_429_pauses_that_chat_for_retry_after_then_delivers(
    emulator, bot, sqlite_engine  # noqa: F811
):
    seed(sqlite_engine, [(201, "private"), (202, "private"), (203, "private")])
    await emulator.add_fault("sendMessage", "429", chat_id=202, retry_after=2)
    queue_alert(sqlite_engine, "Flooding in Kassala")

    stats = await Sender(sqlite_engine, bot, settings_for(emulator)).drain(max_seconds=10)

    assert stats.sent == 3 and stats.rate_limited == 1
    for chat_id in (201, 202, 203):
        assert await emulator.texts(chat_id) == ["Flooding in Kassala"]
    with session_scope(sqlite_engine) as s:
        wait = s.exec(select(FloodWait)).scalars().one()
        assert (wait.chat_id, wait.retry_after, wait.scope) == (202, 2.0, "chat")


async def test_a_chat_that_blocked_the_bot_goes_inactive_and_keeps_its_subscriptions(
    emulator, bot, any_engine  # noqa: F811
):
    seed(any_engine, [(301, "private"), (302, "private"), (303, "private")])
    await emulator.block(302)
    queue_alert(any_engine, "Shelling near Kherson")
    queue_alert(any_engine, "Shelling near Kherson, second report")
    sender = Sender(any_engine, bot, settings_for(emulator))

    stats = await sender.drain()

    assert stats.sent == 4 and stats.blocked == 2
    assert await emulator.texts(302) == []
    with session_scope(any_engine) as s:
        chat = s.get(Chat, 302)
        assert not chat.active and "blocked" in chat.inactive_reason
        subs = s.exec(select(Subscription).where(Subscription.chat_id == 302)).scalars().all()
        assert len(subs) == 1
    assert statuses(any_engine) == {"sent": 4, "blocked": 2}

    # The user comes back (/start): the old subscription works again.
    await emulator.unblock(302)
    with session_scope(any_engine) as s:
        assert reactivate_chat(s, 302)
    queue_alert(any_engine, "Shelling near Kherson has stopped")
    await sender.drain()
    assert await emulator.texts(302) == ["Shelling near Kherson has stopped"]


async def test_server_errors_are_retried_and_after_five_attempts_fail_visibly(
    emulator, bot, sqlite_engine  # noqa: F811
):
    seed(sqlite_engine, [(401, "private"), (402, "private")])
    await emulator.add_fault("sendMessage", "500", chat_id=401, count=2)
    await emulator.add_fault("sendMessage", "500", chat_id=402, count=50)
    queue_alert(sqlite_engine, "Cholera cases rise in Aden")
    sender = Sender(sqlite_engine, bot, settings_for(emulator), backoff=0.05)

    stats = await sender.drain(max_seconds=15)

    assert await emulator.texts(401) == ["Cholera cases rise in Aden"]
    assert await emulator.texts(402) == []
    assert stats.sent == 1 and stats.failed == 1
    with session_scope(sqlite_engine) as s:
        failed = s.exec(select(Delivery).where(Delivery.chat_id == 402)).scalars().one()
        assert failed.status == "failed" and failed.attempts == 5
        assert "Internal Server Error" in failed.last_error


async def test_a_timed_out_send_is_retried(emulator, bot, sqlite_engine):  # noqa: F811
    seed(sqlite_engine, [(501, "private")])
    await emulator.add_fault("sendMessage", "timeout", chat_id=501, seconds=3)
    queue_alert(sqlite_engine, "Landslide in Sindhupalchok")

    stats = await Sender(sqlite_engine, bot, settings_for(emulator), backoff=0.05).drain(
        max_seconds=10
    )

    assert stats.retried == 1 and stats.sent == 1
    assert await emulator.texts(501) == ["Landslide in Sindhupalchok"]


async def test_a_group_that_became_a_supergroup_keeps_its_subscriptions(
    emulator, bot, any_engine  # noqa: F811
):
    await emulator.add_chat(-601, "group", title="Field office")
    new_id = await emulator.migrate(-601)
    seed(any_engine, [(-601, "group")], key="SDN")
    queue_alert(any_engine, "Displacement from El Fasher", country="SDN")

    stats = await Sender(any_engine, bot, settings_for(emulator)).drain(max_seconds=5)

    assert stats.migrated == 1 and stats.sent == 1
    assert await emulator.texts(new_id) == ["Displacement from El Fasher"]
    with session_scope(any_engine) as s:
        sub = s.exec(select(Subscription)).scalars().one()
        assert sub.chat_id == new_id
        assert not s.get(Chat, -601).active
        assert s.get(Chat, new_id).kind == "supergroup"
    queue_alert(any_engine, "More displacement from El Fasher", country="SDN")
    await Sender(any_engine, bot, settings_for(emulator)).drain()
    assert len(await emulator.texts(new_id)) == 2


async def test_a_critical_alert_overtakes_a_big_broadcast(
    emulator, bot, sqlite_engine  # noqa: F811
):
    from bot.alerts import broadcast

    chats = [(7000 + i, "private") for i in range(150)]
    seed(sqlite_engine, chats)
    with session_scope(sqlite_engine) as s:
        broadcast.create(s, admin_id=1, text="Office closed on Friday", region=None)
    sender = Sender(sqlite_engine, bot, settings_for(emulator, rate=50))
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await emulator.wait_for_message(7000, timeout=10)
    queue_alert(sqlite_engine, "Airstrike on Idlib market", priority=0, severity=4)
    last = chats[-1][0]
    await emulator.wait_for_message(last, n=2, timeout=30)
    stop.set()
    await task

    with session_scope(sqlite_engine) as s:
        rows = s.exec(select(Delivery).where(Delivery.chat_id == last)).scalars().all()
    by_priority = {r.priority: r for r in rows}
    # The last chat in the broadcast got the critical alert first.
    assert by_priority[0].sent_at < by_priority[2].sent_at
    assert (await emulator.texts(last))[0] == "Airstrike on Idlib market"


SENDER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from telegram import Bot
    from telegram.request import HTTPXRequest
    from bot.alerts.sender import Sender
    from bot.config import Settings
    from storage.db import make_engine

    async def main(db, base_url, token):
        settings = Settings(telegram_token=token, telegram_api_url=base_url)
        request = HTTPXRequest(connection_pool_size=32)
        async with Bot(token, base_url=base_url, request=request) as bot:
            await Sender(make_engine(db), bot, settings).run(asyncio.Event())

    asyncio.run(main(*sys.argv[1:]))
    """
)


async def test_kill_9_mid_run_loses_nothing_and_repeats_at_most_the_rows_in_flight(
    emulator, bot, sqlite_engine, tmp_path  # noqa: F811
):
    await emulator.set_rate_limits(True)
    total = 240
    chats = [(9000 + i, "private") for i in range(total)]
    seed(sqlite_engine, chats)
    queue_alert(sqlite_engine, "Evacuation order for Rafah")
    db_url = str(sqlite_engine.url)
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SENDER_SCRIPT, db_url, emulator.base_url, emulator.token,
        cwd=REPO_ROOT, env=os.environ | {"PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        while (await emulator.stats())["messages_total"] < total // 2:
            await asyncio.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
    in_flight = statuses(sqlite_engine).get("sending", 0)
    delivered_before = (await emulator.stats())["messages_total"]
    assert 0 < delivered_before < total

    sender = Sender(sqlite_engine, bot, settings_for(emulator))
    await sender.drain(max_seconds=30)

    stats = await emulator.stats()
    per_chat = stats["messages_per_chat"]
    assert all(per_chat.get(str(chat_id), 0) >= 1 for chat_id, _ in chats)  # nothing lost
    assert statuses(sqlite_engine) == {"sent": total}
    duplicates = stats["messages_total"] - total
    assert duplicates <= in_flight <= sender.claim_size
    assert stats["answered_429"] < total * 0.05


def test_a_long_retry_after_is_requeued_in_the_database(sqlite_engine):
    """A flood wait longer than the sender keeps in memory goes back to the outbox with its
    not_before, so a restart honours it too (no network needed for this part)."""
    from bot.alerts.outbox import Outcomes, record

    seed(sqlite_engine, [(1, "private")])
    queue_alert(sqlite_engine, "x")
    later = utcnow() + timedelta(minutes=5)
    with session_scope(sqlite_engine) as s:
        row_id = s.exec(select(Delivery.id)).scalars().one()
    out = Outcomes()
    out.requeued.append(
        {"b_id": row_id, "b_not_before": later, "b_attempts": 0, "b_last_error": "429"}
    )
    out.rows = 1
    record(sqlite_engine, out)
    with session_scope(sqlite_engine) as s:
        row = s.get(Delivery, row_id)
        assert row.status == "pending" and abs((row.not_before - later).total_seconds()) < 1


async def test_a_busy_group_and_a_private_chat_are_paced_without_a_single_429(
    emulator, bot, sqlite_engine  # noqa: F811
):
    await emulator.set_rate_limits(True)
    await emulator.add_chat(-801, "group", title="Coordination cell")
    seed(sqlite_engine, [(-801, "group"), (802, "private")])
    for n in range(3):
        queue_alert(sqlite_engine, f"Aftershock report {n + 1} from Herat")

    stats = await Sender(sqlite_engine, bot, settings_for(emulator)).drain(max_seconds=20)

    assert stats.sent == 6 and stats.rate_limited == 0
    assert await emulator.texts(-801) == [f"Aftershock report {n} from Herat" for n in (1, 2, 3)]
    assert (await emulator.stats())["answered_429"] == 0
