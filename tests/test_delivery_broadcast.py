"""Admin broadcast and chat settings through real Application handlers polling the emulator:
preview, confirm, delivery, report, refusal; /broadcasts, /stats, /quiet, /timezone."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.alerts.sender import Sender
from bot.config import Settings
from bot.services import Services
from handlers import broadcast as broadcast_handlers
from handlers import preferences as preference_handlers
from storage.db import session_scope
from storage.models import Chat, Subscription
from tests.emulator.client import EmulatorClient, buttons
from tests.emulator.fixtures import emulator  # noqa: F401

pytestmark = pytest.mark.e2e

ADMIN = 5001
SYRIA_1, SYRIA_2, UKRAINE = 6001, 6002, 6003


@pytest_asyncio.fixture
async def app(emulator: EmulatorClient, sqlite_engine) -> AsyncIterator[Application]:  # noqa: F811
    settings = Settings(
        telegram_token=emulator.token,
        telegram_api_url=emulator.base_url,
        admin_ids=frozenset({ADMIN}),
    )
    application = (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    application.bot_data["services"] = Services(settings=settings, engine=sqlite_engine)
    broadcast_handlers.register(application)
    preference_handlers.register(application)
    with session_scope(sqlite_engine) as s:
        for chat_id, key in ((SYRIA_1, "SYR"), (SYRIA_2, "SYR:Latakia"), (UKRAINE, "UKR")):
            s.add(Chat(id=chat_id))
            s.flush()
            kind = "country" if ":" not in key else "admin1"
            s.add(Subscription(chat_id=chat_id, kind=kind, key=key, label=key))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        yield application
        await application.updater.stop()
        await application.stop()


async def drain(application: Application) -> None:
    svc: Services = application.bot_data["services"]
    await Sender(svc.engine, application.bot, svc.settings).drain(max_seconds=5)


async def test_an_admin_broadcast_to_a_region_is_previewed_confirmed_delivered_and_reported(
    emulator, app  # noqa: F811
):
    await emulator.block(SYRIA_2)
    await emulator.inject_message(ADMIN, "/broadcast Syria | Office closed & staff safe")
    preview = await emulator.wait_for_message(ADMIN)
    assert "to subscribers of Syria, 2 chat(s)" in preview["text"]
    assert "Office closed & staff safe" in preview["text"]
    assert [text for text, _ in buttons(preview)] == ["Send to 2", "Cancel"]
    assert await emulator.texts(SYRIA_1) == []  # nothing before Confirm

    await emulator.press_button(ADMIN, preview["message_id"], text="Send to 2")
    edited = await emulator.wait_for_edit(ADMIN, preview["message_id"])
    assert "queued for 2 chat(s)" in edited["text"]
    await drain(app)

    assert await emulator.texts(SYRIA_1) == ["📢 Announcement\n\nOffice closed & staff safe"]
    assert await emulator.texts(UKRAINE) == []
    report = await emulator.wait_for_text(ADMIN, "Sent:")
    assert "to subscribers of Syria" in report["text"]
    assert "Sent: 1\nBlocked (chat gone or bot blocked): 1\nFailed: 0" in report["text"]

    await emulator.inject_message(ADMIN, "/broadcasts")
    listing = await emulator.wait_for_text(ADMIN, "Recent broadcasts")
    assert "Syria: 2 chats, 1 sent, 1 blocked, 0 failed, 0 pending (done)" in listing["text"]

    await emulator.inject_message(ADMIN, "/stats")
    stats = await emulator.wait_for_text(ADMIN, "Flood waits")
    assert "Sent in the last hour: 2" in stats["text"]  # the broadcast and the report
    assert "1 inactive" in stats["text"]


async def test_a_broadcast_to_everyone_can_be_cancelled(emulator, app):  # noqa: F811
    await emulator.inject_message(ADMIN, "/broadcast Convoy postponed | new date follows")
    preview = await emulator.wait_for_message(ADMIN)
    assert "I know no country, province or town called" in preview["text"]

    await emulator.inject_message(ADMIN, "/broadcast all | Convoy postponed | new date follows")
    preview = await emulator.wait_for_message(ADMIN, n=2)
    assert "to everyone, 3 chat(s)" in preview["text"]
    assert "Convoy postponed | new date follows" in preview["text"]
    await emulator.press_button(ADMIN, preview["message_id"], text="Cancel")
    edited = await emulator.wait_for_edit(ADMIN, preview["message_id"])
    assert edited["text"] == "Broadcast cancelled; nothing was sent."
    await drain(app)
    assert await emulator.texts(SYRIA_1) == []


async def test_anyone_else_gets_a_plain_refusal(emulator, app):  # noqa: F811
    for command in ("/broadcast Evacuate now", "/broadcasts", "/stats"):
        await emulator.inject_message(SYRIA_1, command)
    await emulator.wait_for_message(SYRIA_1, n=3)
    assert await emulator.texts(SYRIA_1) == ["Only the bot's administrators can do that."] * 3
    await drain(app)
    assert await emulator.texts(UKRAINE) == []


async def test_settings_commands_explain_bad_input_and_show_the_result(
    emulator, app  # noqa: F811
):
    chat = UKRAINE
    await emulator.inject_message(chat, "/quiet 25:00-07:00")
    assert (await emulator.wait_for_message(chat))["text"] == "25:00 is not a time of day."
    await emulator.inject_message(chat, "/timezone Mars/Olympus")
    assert "Unknown time zone" in (await emulator.wait_for_message(chat, n=2))["text"]
    await emulator.inject_message(chat, "/timezone europe/kyiv")
    shown = await emulator.wait_for_message(chat, n=3)
    assert "Time zone: Europe/Kyiv" in shown["text"]
    await emulator.inject_message(chat, "/quiet 22:30-06:00")
    shown = await emulator.wait_for_message(chat, n=4)
    assert "Quiet hours: 22:30–06:00" in shown["text"]

    await emulator.press_button(chat, shown["message_id"], text="Daily digest at 08:00")
    edited = await emulator.wait_for_edit(chat, shown["message_id"])
    assert "Delivery: a daily digest at 08:00" in edited["text"]
    with session_scope(app.bot_data["services"].engine) as s:
        row = s.get(Chat, chat)
        assert (row.timezone, row.quiet_start, row.quiet_end, row.digest_hour) == (
            "Europe/Kyiv",
            22 * 60 + 30,
            6 * 60,
            8,
        )


def test_a_regions_recipients_are_those_who_would_get_an_alert_about_it(sqlite_engine):
    from bot.alerts.broadcast import Region, count_recipients

    follows = {
        1: ("country", "SYR"),
        2: ("admin1", "SYR:Latakia"),
        3: ("town", "SYR:Latakia:Jableh"),
        4: ("admin1", "SYR:Aleppo"),
        5: ("country", "SYRX"),  # a key that merely starts the same
        6: ("admin1", "LBN:North"),
    }
    with session_scope(sqlite_engine) as s:
        for chat_id, (kind, key) in follows.items():
            s.add(Chat(id=chat_id))
            s.flush()
            s.add(Subscription(chat_id=chat_id, kind=kind, key=key, label=key))
        s.add(Chat(id=7, active=False))
        s.flush()
        s.add(Subscription(chat_id=7, kind="country", key="SYR", label="Syria"))
    with session_scope(sqlite_engine) as s:
        assert count_recipients(s, Region("country", "SYR", "Syria")) == 4
        assert count_recipients(s, Region("admin1", "SYR:Latakia", "Latakia")) == 3
        assert count_recipients(s, Region("town", "SYR:Latakia:Jableh", "Jableh")) == 3
        assert count_recipients(s, None) == 6
