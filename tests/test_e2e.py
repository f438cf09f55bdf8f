"""The bot end to end: the real `alertbot run` process, a local Telegram Bot API emulator and a
local feed server. Users type commands; a feed publishes a report; the alert arrives."""

import pytest

from tests.auxil.bot_process import running_bot, write_sources
from tests.auxil.feeds import DARFUR, IDLIB, LATAKIA, rss
from tests.emulator.client import EmulatorError, buttons

pytestmark = pytest.mark.e2e

ADMIN = 9001
ALICE, BOB, CAROL = 101, 102, 103
ALERT_WAIT = 30.0


@pytest.fixture
async def bot(emulator, feed_server, tmp_path):
    feed_server.serve("/feed.xml", rss())
    sources = write_sources(tmp_path / "sources.toml", feed_server.url("/feed.xml"))
    async with running_bot(
        emulator, tmp_path, sources, admin_ids=str(ADMIN), default_timezone="Asia/Damascus"
    ) as process:
        yield process
    print(process.log()[-5000:])  # shown by pytest when the test failed
    assert emulator.token not in process.log(), "the token leaked into the bot's log"


async def say(emulator, chat_id: int, text: str, **kwargs) -> dict:
    """A user sends `text`; returns the bot's reply (the next message in that chat)."""
    before = len(await emulator.messages(chat_id))
    await emulator.inject_message(chat_id, text, user_id=kwargs.pop("user_id", chat_id), **kwargs)
    return await emulator.wait_for_message(chat_id, before + 1, timeout=15)


async def test_subscribe_alert_and_unsubscribe(emulator, feed_server, bot):
    start = await say(emulator, ALICE, "/start")
    assert "/subscribe Syria" in start["text"]
    assert "Subscribed to Syria" in (await say(emulator, ALICE, "/subscribe Syria"))["text"]
    assert "Subscribed to Syria" in (await say(emulator, BOB, "/subscribe syria"))["text"]
    assert "Syria" in (await say(emulator, ALICE, "/mysubs"))["text"]

    feed_server.serve("/feed.xml", rss(LATAKIA))
    alert = await emulator.wait_for_text(ALICE, "Jableh", timeout=ALERT_WAIT)
    assert "70" in alert["text"]
    assert alert["text"].rstrip().endswith("+03")  # when, in the operator's default zone
    assert alert["parse_mode"] == "HTML"
    await emulator.wait_for_text(BOB, "Jableh", timeout=ALERT_WAIT)

    menu = await say(emulator, ALICE, "/unsubscribe")
    [(label, data)] = buttons(menu)
    assert "Syria" in label
    await emulator.press_button(ALICE, menu["message_id"], data=data, user_id=ALICE)
    edited = await emulator.wait_for_edit(ALICE, menu["message_id"])
    assert "Unsubscribed from Syria" in edited["text"]

    feed_server.serve("/feed.xml", rss(IDLIB, LATAKIA))
    await emulator.wait_for_text(BOB, "Idlib", timeout=ALERT_WAIT)
    assert not [t for t in await emulator.texts(ALICE) if "Idlib" in t]

    stats = await emulator.stats()
    assert stats["duplicates"] == 0


async def test_status_and_latest_answer_from_stored_data(emulator, feed_server, bot):
    await say(emulator, ALICE, "/subscribe Sudan")
    feed_server.serve("/feed.xml", rss(DARFUR))
    await emulator.wait_for_text(ALICE, "Zamzam", timeout=ALERT_WAIT)

    status = await say(emulator, CAROL, "/status Sudan")
    assert "Sudan" in status["text"] and "100" in status["text"]
    quiet = await say(emulator, CAROL, "/status Norway")
    assert "No incidents" in quiet["text"]
    latest = await say(emulator, ALICE, "/latest")
    assert "Zamzam" in latest["text"]
    unknown = await say(emulator, CAROL, "/status Qwxzvbnm")
    assert "don't know" in unknown["text"]


async def test_ambiguous_and_unknown_places_get_buttons_not_guesses(emulator, bot):
    reply = await say(emulator, ALICE, "/subscribe Tripoli")
    labels = [label for label, _ in buttons(reply)]
    assert any("Libya" in label for label in labels)
    assert any("Lebanon" in label for label in labels)
    assert "Subscribed" not in reply["text"]
    libya = next(data for label, data in buttons(reply) if "Libya" in label)
    await emulator.press_button(ALICE, reply["message_id"], data=libya, user_id=ALICE)
    edited = await emulator.wait_for_edit(ALICE, reply["message_id"])
    assert "Subscribed to" in edited["text"] and "Libya" in edited["text"]

    unknown = await say(emulator, ALICE, "/subscribe Qwxzvbnm")
    assert "don't know" in unknown["text"] and not buttons(unknown)
    hostile = await say(emulator, ALICE, "/subscribe <b>Qwx</b>")
    assert "<b>Qwx</b>" in hostile["text"]  # shown as typed, not as markup


async def test_group_commands_addressed_to_the_bot(emulator, bot):
    group = -4001
    reply = await say(
        emulator, group, f"/subscribe@{emulator.bot_username} epidemics",
        user_id=ALICE, chat_type="group", title="Field team",
    )
    assert "Subscribed to" in reply["text"]
    subs = await say(emulator, group, f"/mysubs@{emulator.bot_username}", user_id=BOB,
                     chat_type="group", title="Field team")
    assert "pidemic" in subs["text"]


async def test_broadcast_needs_an_admin_and_a_confirmation(emulator, bot):
    for chat in (ALICE, BOB):
        await say(emulator, chat, "/start")
    refused = await say(emulator, ALICE, "/broadcast Evacuate now")
    assert "administrators" in refused["text"]

    preview = await say(emulator, ADMIN, "/broadcast Road to the airport closed until 18:00")
    assert "Road to the airport closed" in preview["text"]
    confirm = next(data for label, data in buttons(preview) if label.startswith("Send"))
    before = {chat: len(await emulator.messages(chat)) for chat in (ALICE, BOB)}
    await emulator.press_button(ADMIN, preview["message_id"], data=confirm, user_id=ADMIN)
    for chat in (ALICE, BOB):
        message = await emulator.wait_for_message(chat, before[chat] + 1, timeout=ALERT_WAIT)
        assert "Road to the airport closed" in message["text"]
    assert not [t for t in await emulator.texts(ALICE) if "Evacuate now" in t]


async def test_a_blocked_user_does_not_stop_delivery_to_others(emulator, feed_server, bot):
    for chat in (ALICE, BOB, CAROL):
        await say(emulator, chat, "/subscribe Syria")
    await emulator.block(BOB)
    feed_server.serve("/feed.xml", rss(LATAKIA))
    for chat in (ALICE, CAROL):
        await emulator.wait_for_text(chat, "Jableh", timeout=ALERT_WAIT)
    with pytest.raises(EmulatorError):
        await emulator.wait_for_text(BOB, "Jableh", timeout=1)
    # The bot still answers everyone else.
    assert "Syria" in (await say(emulator, CAROL, "/mysubs"))["text"]


async def test_forget_deletes_the_chats_data_after_confirmation(emulator, bot):
    await say(emulator, ALICE, "/subscribe Haiti")
    ask = await say(emulator, ALICE, "/forget")
    yes = next(data for label, data in buttons(ask) if "Delete" in label)
    await emulator.press_button(ALICE, ask["message_id"], data=yes, user_id=ALICE)
    done = await emulator.wait_for_edit(ALICE, ask["message_id"])
    assert "deleted (1 subscription" in done["text"]
    assert "follows nothing" in (await say(emulator, ALICE, "/mysubs"))["text"]


async def test_command_menu_is_set(emulator, bot):
    menus = await emulator.commands()
    names = {c["command"] for menu in menus.values() for c in menu}
    assert {"start", "subscribe", "unsubscribe", "mysubs", "status", "latest", "forget"} <= names
