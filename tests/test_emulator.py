"""The Bot API emulator, driven by python-telegram-bot's real Bot and Application."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.emulator.client import EmulatorClient, EmulatorError, buttons
from tests.emulator.process import running_emulator
from tests.emulator.telegram_html import parse_html, strip_parsed

# Loaded as a plugin rather than imported, so the fixture names do not shadow imports.
pytest_plugins = ["tests.emulator.fixtures"]
pytestmark = pytest.mark.e2e

USER = 501
GROUP = -4001


@asynccontextmanager
async def polling_app(emulator: EmulatorClient, *handlers: object) -> AsyncIterator[Application]:
    """A real Application polling the emulator, as the bot runs in production."""
    app = Application.builder().token(emulator.token).base_url(emulator.base_url).build()
    for handler in handlers:
        app.add_handler(handler)  # type: ignore[arg-type]
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets with the user's name escaped, as the bot does."""
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_html(
        f"Hello <b>{update.effective_user.first_name}</b> &amp; welcome",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Subscribe", callback_data="sub:SYR")]]
        ),
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the button and edits the message to confirm."""
    query = update.callback_query
    assert query is not None
    await query.answer("Done")
    await query.edit_message_text(f"Subscribed to <i>{query.data}</i>", parse_mode=ParseMode.HTML)


async def test_get_me_describes_the_bot(emulator_bot: Bot, emulator: EmulatorClient) -> None:
    me = await emulator_bot.get_me()
    assert me.is_bot
    assert me.id == int(emulator.token.split(":")[0])
    assert me.username == emulator.bot_username
    assert me.can_join_groups is True


async def test_a_wrong_token_is_unauthorized(emulator: EmulatorClient) -> None:
    bot = Bot("1:wrong", base_url=emulator.base_url)
    try:
        with pytest.raises(InvalidToken, match="rejected"):
            await bot.initialize()
    finally:
        await bot.shutdown()


async def test_an_unknown_method_is_not_found(emulator: EmulatorClient) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{emulator.base_url}{emulator.token}/sendTelepathy")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_start_command_gets_a_readable_reply(emulator: EmulatorClient) -> None:
    async with polling_app(emulator, CommandHandler("start", start)):
        await emulator.inject_message(USER, "/start", first_name="Amal")
        reply = await emulator.wait_for_message(USER)
    assert reply["text"] == "Hello Amal & welcome"
    assert reply["parse_mode"] == "HTML"
    assert reply["sent_text"] == "Hello <b>Amal</b> &amp; welcome"
    assert buttons(reply) == [("Subscribe", "sub:SYR")]


async def test_group_command_addressed_to_the_bot_is_handled(emulator: EmulatorClient) -> None:
    async with polling_app(emulator, CommandHandler("start", start)):
        await emulator.inject_message(GROUP, f"/start@{emulator.bot_username}", user_id=USER,
                                      first_name="Omar", title="Field team")
        # A command for another bot in the same group must not reach ours.
        await emulator.inject_message(GROUP, "/start@some_other_bot", user_id=USER)
        reply = await emulator.wait_for_message(GROUP)
        await emulator.inject_message(GROUP, "/start", user_id=USER, first_name="Lina")
        await emulator.wait_for_message(GROUP, 2)
    assert [m["text"] for m in await emulator.messages(GROUP)] == [
        "Hello Omar & welcome", "Hello Lina & welcome"]
    assert reply["chat_id"] == GROUP


async def test_button_press_reaches_the_callback_handler(emulator: EmulatorClient) -> None:
    async with polling_app(emulator, CommandHandler("start", start),
                           CallbackQueryHandler(pressed)):
        await emulator.inject_message(USER, "/start")
        greeting = await emulator.wait_for_message(USER)
        query_id = await emulator.press_button(USER, greeting["message_id"], text="Subscribe")
        edited = await emulator.wait_for_edit(USER, greeting["message_id"])
    assert edited["text"] == "Subscribed to sub:SYR"
    assert [e["text"] for e in edited["edits"]] == [f"Hello User {USER} & welcome"]
    assert edited["reply_markup"] is None  # editing the text without a keyboard removes it
    answers = await emulator.callback_answers()
    assert [(a["callback_query_id"], a["text"]) for a in answers] == [(query_id, "Done")]


async def test_pressing_a_button_that_is_not_there_is_refused(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    sent = await emulator_bot.send_message(USER, "No buttons here")
    with pytest.raises(EmulatorError, match="no button"):
        await emulator.press_button(USER, sent.message_id, data="sub:SYR")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>unclosed", 'can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>crossed</b></i>", "unmatched end tag"),
        ("<div>block</div>", 'unsupported start tag "div"'),
        ("Floods & landslides", 'unescaped "&"'),
        ("caf&eacute;", "unsupported html entity"),
        ("<span>x</span>", "tg-spoiler"),
        ("a < b", 'unsupported start tag ""'),
    ],
)
async def test_malformed_html_is_a_bad_request(emulator_bot: Bot, text: str, reason: str) -> None:
    with pytest.raises(BadRequest) as caught:
        await emulator_bot.send_message(USER, text, parse_mode=ParseMode.HTML)
    message = caught.value.message.lower()
    assert message.startswith("can't parse entities: ")
    assert reason.lower() in message


async def test_supported_html_comes_back_as_entities(emulator_bot: Bot) -> None:
    text = ('<b>5 killed</b> in <a href="https://example.org/r?a=1&amp;b=2">Latakia</a> '
            '&lt;3 <tg-spoiler>s</tg-spoiler> <pre><code class="language-text">x</code></pre>'
            ' &#128680;')
    message = await emulator_bot.send_message(USER, text, parse_mode=ParseMode.HTML)
    assert message.text == "5 killed in Latakia <3 s x \U0001f6a8"
    kinds = [(e.type, e.offset, e.length) for e in message.entities]
    assert kinds == [("bold", 0, 8), ("text_link", 12, 7), ("spoiler", 23, 1), ("pre", 25, 1)]
    assert message.entities[1].url == "https://example.org/r?a=1&b=2"
    assert message.text_html.startswith("<b>5 killed</b> in <a href=")


async def test_visible_length_counts_after_parsing(emulator_bot: Bot) -> None:
    accepted = await emulator_bot.send_message(USER, f"<b>{'x' * 4096}</b>",
                                               parse_mode=ParseMode.HTML)
    assert len(accepted.text) == 4096
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await emulator_bot.send_message(USER, f"<b>{'x' * 4097}</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await emulator_bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)


async def test_injected_429_surfaces_as_retry_after(
    emulator: EmulatorClient, emulator_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    await emulator.add_fault("sendMessage", "429", retry_after=7, chat_id=USER)
    other = await emulator_bot.send_message(USER + 1, "other chats are not affected")
    with pytest.raises(RetryAfter) as caught:
        await emulator_bot.send_message(USER, "first try")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    await emulator_bot.send_message(USER, "second try")
    assert await emulator.texts(USER) == ["second try"]
    stats = await emulator.stats()
    assert other.text == "other chats are not affected"
    assert (stats["answered_429"], stats["faults_injected"]) == (1, 1)


async def test_server_errors_and_delays(emulator: EmulatorClient, emulator_bot: Bot) -> None:
    await emulator.add_fault("sendMessage", "500", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await emulator_bot.send_message(USER, "lost")
    await emulator.add_fault("sendMessage", "delay", seconds=0.2)
    await emulator_bot.send_message(USER, "late but delivered")
    assert await emulator.texts(USER) == ["late but delivered"]
    assert all(f["remaining"] == 0 for f in await emulator.faults())


async def test_a_timeout_can_still_deliver(emulator: EmulatorClient, emulator_bot: Bot) -> None:
    await emulator.add_fault("sendMessage", "timeout", seconds=5, processed=True)
    with pytest.raises(NetworkError):  # PTB reports its read timeout as TimedOut
        await emulator_bot.send_message(USER, "sent twice", read_timeout=0.3)
    await emulator_bot.send_message(USER, "sent twice")
    assert (await emulator.stats())["duplicates"] == 1


async def test_blocked_chat_is_forbidden_until_unblocked(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    await emulator.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await emulator_bot.send_message(USER, "alert")
    updates = await emulator_bot.get_updates()
    status = updates[-1].my_chat_member
    assert status is not None and status.new_chat_member.status == "kicked"
    await emulator.unblock(USER)
    await emulator_bot.send_message(USER, "welcome back")
    assert await emulator.texts(USER) == ["welcome back"]
    assert (await emulator.stats())["forbidden"] == 1


async def test_migrated_group_answers_with_the_new_id(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    await emulator.add_chat(GROUP, "group", title="Coordination")
    new_id = await emulator.migrate(GROUP)
    with pytest.raises(ChatMigrated) as caught:
        await emulator_bot.send_message(GROUP, "alert")
    assert caught.value.new_chat_id == new_id
    message = await emulator_bot.send_message(new_id, "alert")
    assert message.chat.type == "supergroup" and message.chat.title == "Coordination"


async def test_rate_limits_answer_429_like_telegram(
    emulator: EmulatorClient, emulator_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    await emulator.set_rate_limits(global_per_second=3, group_per_minute=2)
    await emulator_bot.send_message(USER, "one")
    with pytest.raises(RetryAfter) as per_chat:  # 1 per second in a private chat
        await emulator_bot.send_message(USER, "two")
    assert per_chat.value.retry_after == dtm.timedelta(seconds=1)
    await emulator_bot.send_message(GROUP, "g1")
    await emulator_bot.send_message(USER + 1, "three")
    with pytest.raises(RetryAfter):  # 3 per second over all chats
        await emulator_bot.send_message(USER + 2, "four")
    await emulator.set_rate_limits(global_per_second=100, group_per_minute=2)
    await emulator_bot.send_message(GROUP, "g2")
    with pytest.raises(RetryAfter) as per_group:  # 2 per minute in a group
        await emulator_bot.send_message(GROUP, "g3")
    assert dtm.timedelta(seconds=1) <= per_group.value.retry_after <= dtm.timedelta(seconds=60)
    stats = await emulator.stats()
    assert (stats["answered_429"], stats["rate_limited"]) == (3, 3)
    assert stats["messages_total"] == 4
    await emulator.set_rate_limits(enabled=False)
    await emulator_bot.send_message(GROUP, "g3")


async def test_counters_and_duplicates(emulator: EmulatorClient, emulator_bot: Bot) -> None:
    for chat_id, text in [(USER, "a"), (USER, "a"), (USER, "a"), (USER, "b"), (GROUP, "a")]:
        await emulator_bot.send_message(chat_id, text)
    await emulator_bot.send_chat_action(USER, "typing")
    stats = await emulator.stats()
    assert stats["calls"]["sendMessage"] == 5
    assert stats["calls"]["sendChatAction"] == 1
    assert stats["messages_per_chat"] == {str(USER): 4, str(GROUP): 1}
    assert stats["duplicates"] == 2
    assert stats["duplicate_messages"] == [{"chat_id": USER, "text": "a", "times": 3}]
    await emulator.reset()
    assert (await emulator.stats())["messages_total"] == 0


async def test_get_updates_confirms_with_offset_and_long_polls(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    await emulator.inject_message(USER, "first")
    await emulator.inject_message(USER, "second")
    updates = await emulator_bot.get_updates()
    assert [u.message.text for u in updates] == ["first", "second"]
    assert [u.message.text for u in await emulator_bot.get_updates(limit=1)] == ["first"]
    remaining = await emulator_bot.get_updates(offset=updates[0].update_id + 1)
    assert [u.message.text for u in remaining] == ["second"]
    # A long poll with nothing pending returns as soon as something arrives.
    waiting = asyncio.create_task(
        emulator_bot.get_updates(offset=updates[1].update_id + 1, timeout=30))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await emulator.inject_message(USER, "third")
    third = await asyncio.wait_for(waiting, 10)
    assert [u.message.text for u in third] == ["third"]


async def test_edit_delete_and_keyboard_changes(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Confirm", callback_data="ok")]])
    sent = await emulator_bot.send_message(USER, "Broadcast to 2 chats?", reply_markup=keyboard)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await emulator_bot.edit_message_text("Broadcast to 2 chats?", USER, sent.message_id,
                                             reply_markup=keyboard)
    await emulator_bot.edit_message_reply_markup(USER, sent.message_id)
    [stored] = await emulator.messages(USER)
    assert stored["reply_markup"] is None and buttons(stored["edits"][0]) == [("Confirm", "ok")]
    assert await emulator_bot.delete_message(USER, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await emulator_bot.edit_message_text("gone", USER, sent.message_id)
    too_long = InlineKeyboardButton("x", callback_data="d" * 65)
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await emulator_bot.send_message(USER, "x", reply_markup=InlineKeyboardMarkup([[too_long]]))


async def test_command_menus_per_scope(emulator_bot: Bot) -> None:
    await emulator_bot.set_my_commands([BotCommand("start", "What the bot does")])
    await emulator_bot.set_my_commands([BotCommand("status", "Latest figures")],
                                       scope=BotCommandScopeAllGroupChats())
    assert [c.command for c in await emulator_bot.get_my_commands()] == ["start"]
    groups = await emulator_bot.get_my_commands(scope=BotCommandScopeAllGroupChats())
    assert [c.command for c in groups] == ["status"]
    await emulator_bot.delete_my_commands()
    assert await emulator_bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await emulator_bot.set_my_commands([BotCommand("Bad Command", "x")])


async def test_send_photo_with_caption(emulator: EmulatorClient, emulator_bot: Bot) -> None:
    message = await emulator_bot.send_photo(USER, b"\x89PNG fake image bytes",
                                            caption="<b>Map</b> of Latakia",
                                            parse_mode=ParseMode.HTML)
    assert message.caption == "Map of Latakia" and message.photo
    [stored] = await emulator.messages(USER)
    assert (stored["kind"], stored["text"]) == ("photo", "Map of Latakia")
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await emulator_bot.send_photo(USER, "file-id", caption="x" * 1025)


async def test_migration_and_blocking_tell_the_bot_through_updates(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    await emulator.add_chat(GROUP, "group", title="Coordination")
    new_id = await emulator.migrate(GROUP)
    updates = await emulator_bot.get_updates()
    service = [(u.message.chat.id, u.message.migrate_to_chat_id, u.message.migrate_from_chat_id)
               for u in updates]
    assert service == [(GROUP, new_id, None), (new_id, None, GROUP)]


async def test_commands_inside_text_get_entities(emulator: EmulatorClient) -> None:
    message = await emulator.inject_message(GROUP, "please run /status@alert_test_bot now",
                                            user_id=USER, title="Team")
    assert message["entities"] == [{"type": "bot_command", "offset": 11, "length": 22}]
    assert message["chat"] == {"id": GROUP, "type": "group", "title": "Team"}
    plain = await emulator.inject_message(USER, "no commands, just a/path")
    assert "entities" not in plain


async def test_unknown_username_and_bad_chat_ids(emulator_bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await emulator_bot.send_message("@nobody_here", "hello")


async def test_waiting_for_a_message_that_never_comes_fails_clearly(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    await emulator_bot.send_message(USER, "only one")
    with pytest.raises(EmulatorError, match=r"has 1 bot message\(s\), wanted 2.*only one"):
        await emulator.wait_for_message(USER, 2, timeout=0.2)


async def test_rate_limits_can_be_on_from_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with running_emulator(rate_limits=True, bot_username="field_alerts_bot") as emulator:
        assert (await emulator.rate_limits())["enabled"] is True
        async with Bot(emulator.token, base_url=emulator.base_url) as bot:
            assert bot.username == "field_alerts_bot"
            await bot.send_message(USER, "one")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "two")


async def test_documents_both_ways(emulator: EmulatorClient) -> None:
    async def echo_size(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Downloads the user's file and replies with it, renamed."""
        message = update.effective_message
        assert message is not None and message.document is not None
        data = await (await message.document.get_file()).download_as_bytearray()
        await message.reply_document(InputFile(bytes(data).upper(), filename="back.opml"),
                                     caption=f"{len(data)} bytes from {message.document.file_name}")

    async with polling_app(emulator, MessageHandler(filters.Document.ALL, echo_size)):
        await emulator.inject_document(USER, "<opml>feeds</opml>", "sources.opml")
        reply = await emulator.wait_for_message(USER)
    assert reply["kind"] == "document"
    assert reply["text"] == "18 bytes from sources.opml"
    assert reply["document"]["file_name"] == "back.opml"
    assert await emulator.file_content(reply["document"]["file_id"]) == b"<OPML>FEEDS</OPML>"


@pytest.mark.parametrize("chat_id", [USER, USER + 1])
async def test_the_shared_emulator_starts_each_test_blank(
    shared_emulator: EmulatorClient, chat_id: int
) -> None:
    assert (await shared_emulator.stats())["messages_total"] == 0
    async with Bot(shared_emulator.token, base_url=shared_emulator.base_url) as bot:
        await bot.send_message(chat_id, "left behind on purpose")
    assert await shared_emulator.texts(chat_id) == ["left behind on purpose"]


async def test_updates_of_types_not_asked_for_are_dropped(
    emulator: EmulatorClient, emulator_bot: Bot
) -> None:
    sent = await emulator_bot.send_message(
        USER, "Pick", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("A", callback_data="a")]]))
    await emulator.press_button(USER, sent.message_id, data="a")
    await emulator.inject_message(USER, "hello")
    updates = await emulator_bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates] == ["hello"]
    assert len(await emulator.pending_updates()) == 1  # the button press is gone for good


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        # Offsets count UTF-16 code units: the emoji before the bold word takes two.
        ("\U0001f6a8 <b>Alert</b>", "\U0001f6a8 Alert",
         [{"type": "bold", "offset": 3, "length": 5}]),
        # Surrounding whitespace is trimmed and entities move with the text.
        ("  \n<i>Idlib</i> ", "Idlib", [{"type": "italic", "offset": 0, "length": 5}]),
        # Nothing is formatted inside code; pre takes its language from the inner code tag.
        ('<code>a<b>b</b></code> <pre><code class="language-py">x</code></pre>', "ab x",
         [{"type": "code", "offset": 0, "length": 2},
          {"type": "pre", "language": "py", "offset": 3, "length": 1}]),
        ("<B>caps</B> &#x27;q&#39; a > b", "caps 'q' a > b",
         [{"type": "bold", "offset": 0, "length": 4}]),
        ("<blockquote expandable>long</blockquote>", "long",
         [{"type": "expandable_blockquote", "offset": 0, "length": 4}]),
    ],
)
def test_telegram_html_parsing(html: str, text: str, entities: list[dict[str, object]]) -> None:
    parsed = strip_parsed(parse_html(html))
    assert (parsed.text, parsed.entities) == (text, entities)
