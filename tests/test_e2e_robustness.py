"""The whole bot under trouble, as its users and operators meet it: broken, failing, hanging
and oversized sources next to a healthy one; hostile strings in feeds; 429 floods; a user who
blocks the bot and comes back; the same report published twice; absurd commands.

Every test runs the real `alertbot run` process against the local Bot API emulator and a local
feed server. The emulator refuses malformed Telegram HTML and texts over 4096 characters with
400, so an alert that arrives proves it was escaped and short enough. The feed items are
written for these tests from public reporting (Syrian coast, March 2025; Idlib, December 2024;
North Darfur, April 2025), dated "now" so that the bot reads them as fresh news.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.auxil.bot_process import BotProcess, running_bot
from tests.auxil.feeds import DARFUR, IDLIB, LATAKIA, rss
from tests.emulator.client import EmulatorClient, EmulatorError, buttons
from tests.sources_server import FeedServer

pytestmark = pytest.mark.e2e

ADMIN = 9001
ALICE, BOB, CAROL = 201, 202, 203
ALERT_WAIT = 30.0
# The fetcher gives up on a silent server after its 20 s read timeout; a cycle that holds a
# hanging source ends only then, so alerts of that cycle may come that much later.
HANG_WAIT = 50.0
MESSAGE_MAX = 4096
CRASH_SIGNS = ("Traceback", 'File "')

# --- sources files ----------------------------------------------------------------------------


def write_sources(path: Path, sources: list[tuple[str, str, int]]) -> Path:
    """A sources file with one [[source]] per (name, url, interval); JSON strings are valid
    TOML basic strings, so names with quotes or markup stay intact."""
    path.write_text(
        "".join(
            f"[[source]]\nname = {json.dumps(name)}\nkind = \"rss\"\nurl = {json.dumps(url)}\n"
            f"interval = {interval}\n\n"
            for name, url, interval in sources
        ),
        encoding="utf-8",
    )
    return path


# --- running the bot and checking what users saw ----------------------------------------------


@contextlib.asynccontextmanager
async def bot_with(
    emulator: EmulatorClient, tmp_path: Path, sources: list[tuple[str, str, int]]
) -> AsyncIterator[BotProcess]:
    """The bot with these sources; afterwards its log is shown (pytest prints it on failure)
    and checked for the token."""
    sources_file = write_sources(tmp_path / "sources.toml", sources)
    log_path = tmp_path / "bot.log"
    try:
        async with running_bot(emulator, tmp_path, sources_file, admin_ids=str(ADMIN)) as bot:
            yield bot
            assert bot.process.returncode is None, "the bot died during the test"
    finally:
        if log_path.exists():
            print(log_path.read_text(errors="replace")[-6000:])
    assert emulator.token not in log_path.read_text(errors="replace"), "the token was logged"


async def say(emulator: EmulatorClient, chat_id: int, text: str) -> dict[str, Any]:
    """A user sends `text`; returns the bot's reply (the next message in that chat)."""
    before = len(await emulator.messages(chat_id))
    await emulator.inject_message(chat_id, text, user_id=chat_id)
    return await emulator.wait_for_message(chat_id, before + 1, timeout=15)


async def all_bot_messages(emulator: EmulatorClient) -> list[dict[str, Any]]:
    """Every message the bot sent to any chat, in every version (edits included)."""
    stats = await emulator.stats()
    found = []
    for chat_id in stats["messages_per_chat"]:
        for message in await emulator.messages(int(chat_id)):
            found.append(message)
            found.extend(message.get("edits") or [])
    return found


async def assert_users_saw_no_crash(emulator: EmulatorClient) -> None:
    """No stack trace or raw exception text ever reached a chat, and nothing was too long."""
    for message in await all_bot_messages(emulator):
        text = message.get("text") or ""
        assert not any(sign in text for sign in CRASH_SIGNS), f"crash text sent: {text[:300]!r}"
        assert len(text) <= MESSAGE_MAX
    answers = await emulator.callback_answers()
    for answer in answers:
        text = answer.get("text") or ""
        assert not any(sign in text for sign in CRASH_SIGNS), f"crash text sent: {text!r}"


async def alerts_containing(emulator: EmulatorClient, chat_id: int, needle: str) -> list[str]:
    return [t for t in await emulator.texts(chat_id) if needle in t]


async def wait_for_fetches(feed_server: FeedServer, path: str, more_than: int,
                           timeout: float = HANG_WAIT) -> None:
    """Until the bot has fetched `path` more than `more_than` times."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while feed_server.count(path) <= more_than:
        if loop.time() > deadline:
            raise AssertionError(f"{path} was not fetched again within {timeout:g} s")
        await asyncio.sleep(0.1)


# --- sources in trouble -----------------------------------------------------------------------


async def test_broken_sources_do_not_stop_a_healthy_one(emulator, feed_server, tmp_path):
    """A malformed feed (then fixed), a 500 and a 10 MB body, all in the same sources file as a
    healthy feed: the healthy feed's alert arrives, the fixed feed's later item arrives, the
    admin sees which sources fail, and the bot keeps running."""
    feed_server.serve("/healthy.xml", rss())
    # Not XML at all: a proxy's error page answered with 200 and the feed's content type.
    feed_server.serve("/broken.xml", "<html><body><h1>Bad gateway</h1><p>upstream & down")
    feed_server.serve("/failing.xml", "upstream exploded", status=500, content_type="text/plain")
    feed_server.serve("/huge.xml", huge=10 * 1024 * 1024)
    sources = [
        ("Healthy wire", feed_server.url("/healthy.xml"), 1),
        ("Broken feed", feed_server.url("/broken.xml"), 1),
        ("Failing server", feed_server.url("/failing.xml"), 1),
        ("Huge feed", feed_server.url("/huge.xml"), 1),
    ]
    async with bot_with(emulator, tmp_path, sources) as process:
        assert "Subscribed to Syria" in (await say(emulator, ALICE, "/subscribe Syria"))["text"]
        assert "Subscribed to Sudan" in (await say(emulator, BOB, "/subscribe Sudan"))["text"]
        feed_server.serve("/healthy.xml", rss(LATAKIA))
        alert = await emulator.wait_for_text(ALICE, "Jableh", timeout=ALERT_WAIT)
        assert "70" in alert["text"]

        # A second fetch of each bad source means the first one's outcome is recorded.
        for path in ("/broken.xml", "/failing.xml", "/huge.xml"):
            await wait_for_fetches(feed_server, path, 1)
        failing = await failing_sources(emulator)
        assert {"Broken feed", "Failing server", "Huge feed"} <= failing
        assert "Healthy wire" not in failing

        feed_server.serve("/broken.xml", rss(DARFUR))  # the publisher fixes the feed
        fixed = await emulator.wait_for_text(BOB, "Zamzam", timeout=ALERT_WAIT)
        assert "100" in fixed["text"]
        assert "Broken feed" not in await failing_sources(emulator), "the fixed feed still fails"

        await asyncio.sleep(1)
        assert len(await alerts_containing(emulator, ALICE, "Jableh")) == 1
        assert len(await alerts_containing(emulator, BOB, "Zamzam")) == 1
        assert process.process.returncode is None
        await assert_users_saw_no_crash(emulator)


async def test_a_hanging_source_does_not_hold_back_a_healthy_ones_alert(
    emulator, feed_server, tmp_path
):
    feed_server.serve("/healthy.xml", rss())
    # A server of its own, so that its in_flight counts only the hanging request.
    async with FeedServer() as silent:
        silent.serve("/hanging.xml", rss(), delay=600)
        sources = [
            ("Healthy wire", feed_server.url("/healthy.xml"), 1),
            # Real catalogues poll every few minutes: one try of the hanging server here.
            ("Hanging server", silent.url("/hanging.xml"), 600),
        ]
        async with bot_with(emulator, tmp_path, sources):
            await say(emulator, ALICE, "/subscribe Syria")
            feed_server.serve("/healthy.xml", rss(LATAKIA))
            await emulator.wait_for_text(ALICE, "Jableh", timeout=HANG_WAIT)
            # Delivered, but only the order tells whether the hanging server held it back.
            assert silent.in_flight > 0, "the alert came only after the hanging fetch gave up"
            await assert_users_saw_no_crash(emulator)


async def failing_sources(emulator: EmulatorClient) -> set[str]:
    """The names of the sources that the admin's /sources shows as failing."""
    text = (await say(emulator, ADMIN, "/sources"))["text"]
    heads = [block.split("\n", 1)[0] for block in text.split("\n\n")]
    return {
        head.split(" ", 1)[1].split(" · ", 1)[0]
        for head in heads
        if head.startswith("#") and "failing" in head
    }


# --- hostile text in feeds --------------------------------------------------------------------

HOSTILE_TITLE = "Syria: shelling of Jableh & Baniyas kills 30 <script>alert(1)</script></b>"
# In RSS a description is HTML: "&lt;script&gt;" there is the text "<script>", which the
# publisher meant to show and the bot must escape again; "</b>" there is markup to drop.
HOSTILE_LEAD = (
    "Shelling of Jableh & Baniyas in Latakia province killed 30 people on Friday, "
    "according to the Syrian Observatory for Human Rights </b>&lt;/b&gt;"
    "&lt;script&gt;alert('x')&lt;/script&gt;. "
)
# Many more sentences than fit: the alert must be cut, not refused for being too long.
FILLER = "Residents said the roads <i>towards</i> the coast & the hills stayed closed. "


async def test_hostile_feed_strings_reach_subscribers_escaped_and_short(
    emulator, feed_server, tmp_path
):
    description = (HOSTILE_LEAD + FILLER * 80)[:5000]
    assert len(description) == 5000
    feed_server.serve("/feed.xml", rss())
    sources = [('Wire <b>"News"</b> & Co', feed_server.url("/feed.xml"), 1)]
    async with bot_with(emulator, tmp_path, sources) as process:
        await say(emulator, ALICE, "/subscribe Syria")
        unplaceable = ("nowhere-1", "Flooding in Qwxzvbnm kills 12", "Floods in Qwxzvbnm "
                       "killed 12 people, officials said.")
        feed_server.serve(
            "/feed.xml",
            rss(unplaceable, ("hostile-1", HOSTILE_TITLE, description), link="javascript:alert(1)"),
        )
        alert = await emulator.wait_for_text(ALICE, "Jableh", timeout=ALERT_WAIT)
        assert alert["parse_mode"] == "HTML"
        assert len(alert["text"]) <= MESSAGE_MAX
        assert "30" in alert["text"]
        # Whatever of the outside text is shown, it is shown as text, never as markup ...
        assert "<script" not in alert["sent_text"].lower()
        assert "javascript:" not in alert["sent_text"].lower()
        for entity in alert.get("entities") or []:
            assert not str(entity.get("url", "")).lower().startswith("javascript")
        # ... and escaped once: the reader sees "&", not "&amp;".
        assert "Jableh & Baniyas" in alert["text"]
        assert "&amp;" not in alert["text"] and "&lt;" not in alert["text"]

        # A second item whose link tries to break out of the href attribute.
        feed_server.serve(
            "/feed.xml",
            rss(IDLIB, link='https://example.org/idlib" onclick="steal()'),
        )
        second = await emulator.wait_for_text(ALICE, "Idlib", timeout=ALERT_WAIT)
        assert len(second["text"]) <= MESSAGE_MAX
        assert 'Wire <b>"News"</b> & Co' in second["text"]  # the source's name, as written
        assert 'onclick="' not in second["sent_text"]

        assert not await alerts_containing(emulator, ALICE, "Qwxzvbnm")
        assert "Residents said the roads" not in process.log(), "alert text in the log"

        latest = await say(emulator, ALICE, "/latest")
        assert "Jableh" in latest["text"] or "Idlib" in latest["text"]
        assert len(latest["text"]) <= MESSAGE_MAX
        await assert_users_saw_no_crash(emulator)


# --- Telegram pushes back ---------------------------------------------------------------------


async def test_429_floods_and_server_errors_delay_the_alert_but_send_it_once(
    emulator, feed_server, tmp_path
):
    feed_server.serve("/feed.xml", rss())
    async with bot_with(emulator, tmp_path, [("Test feed", feed_server.url("/feed.xml"), 1)]):
        for chat in (ALICE, BOB):
            await say(emulator, chat, "/subscribe Syria")
        # Alice's chat is refused four times in a row, then every chat twice more.
        await emulator.add_fault("sendMessage", "429", count=4, chat_id=ALICE, retry_after=1)
        await emulator.add_fault("sendMessage", "429", count=2, retry_after=1)
        # Bob's first try meets a Telegram server error instead.
        await emulator.add_fault("sendMessage", "500", count=1, chat_id=BOB)
        feed_server.serve("/feed.xml", rss(LATAKIA))

        for chat in (ALICE, BOB):
            await emulator.wait_for_text(chat, "Jableh", timeout=ALERT_WAIT)
        assert not await emulator.faults() or all(
            f.get("remaining", 0) == 0 for f in await emulator.faults()
        ), "the bot gave up before the flood was over"
        await asyncio.sleep(2)  # a retry that was still queued would show up now
        for chat in (ALICE, BOB):
            assert len(await alerts_containing(emulator, chat, "Jableh")) == 1
        stats = await emulator.stats()
        assert stats["answered_429"] >= 6
        assert stats["duplicates"] == 0
        await assert_users_saw_no_crash(emulator)


async def test_a_user_who_blocked_the_bot_comes_back_with_subscriptions_kept(
    emulator, feed_server, tmp_path
):
    feed_server.serve("/feed.xml", rss())
    async with bot_with(emulator, tmp_path, [("Test feed", feed_server.url("/feed.xml"), 1)]):
        for chat in (ALICE, BOB, CAROL):
            await say(emulator, chat, "/subscribe Syria")
        # Alice blocks silently (the bot learns it from a 403 when it writes); Carol's block
        # comes with Telegram's membership update.
        await emulator.block(ALICE, notify=False)
        await emulator.block(CAROL)
        feed_server.serve("/feed.xml", rss(LATAKIA))
        await emulator.wait_for_text(BOB, "Jableh", timeout=ALERT_WAIT)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while (await emulator.stats()).get("forbidden", 0) < 1 and loop.time() < deadline:
            await asyncio.sleep(0.1)
        assert (await emulator.stats())["forbidden"] >= 1, "the bot never tried Alice's chat"

        # Writing to the bot unblocks it (as in Telegram); Carol also unblocks explicitly.
        await emulator.unblock(CAROL)
        for chat in (ALICE, CAROL):
            welcome = await say(emulator, chat, "/start")
            assert "/subscribe" in welcome["text"]
            assert "Syria" in (await say(emulator, chat, "/mysubs"))["text"]

        feed_server.serve("/feed.xml", rss(IDLIB, LATAKIA))
        for chat in (ALICE, BOB, CAROL):
            await emulator.wait_for_text(chat, "Idlib", timeout=ALERT_WAIT)
        await asyncio.sleep(1)
        for chat in (ALICE, BOB, CAROL):
            assert len(await alerts_containing(emulator, chat, "Idlib")) == 1
        assert len(await alerts_containing(emulator, BOB, "Jableh")) == 1
        assert (await emulator.stats())["duplicates"] == 0
        await assert_users_saw_no_crash(emulator)


# --- the same news twice ----------------------------------------------------------------------


async def test_republished_and_syndicated_reports_alert_once(emulator, feed_server, tmp_path):
    feed_server.serve("/feed.xml", rss())
    feed_server.serve("/wire.xml", rss())
    sources = [
        ("Test feed", feed_server.url("/feed.xml"), 1),
        ("Wire copy", feed_server.url("/wire.xml"), 1),
    ]
    async with bot_with(emulator, tmp_path, sources):
        for chat in (ALICE, BOB):
            await say(emulator, chat, "/subscribe Syria")
        feed_server.serve("/feed.xml", rss(LATAKIA, age=5))
        for chat in (ALICE, BOB):
            await emulator.wait_for_text(chat, "Jableh", timeout=ALERT_WAIT)

        # The same guid published again (newer date), the same text under a new guid on the
        # same feed, and a syndicated copy on another source with its own guid and link.
        _, title, text = LATAKIA
        feed_server.serve("/feed.xml", rss(LATAKIA, ("latakia-clashes-copy", title, text)))
        feed_server.serve(
            "/wire.xml", rss(("wire-88412", title, text), link="https://wire.example.net/88412")
        )
        # Two more fetches of each: the cycle that read the copies has been processed.
        seen = feed_server.count("/feed.xml"), feed_server.count("/wire.xml")
        await wait_for_fetches(feed_server, "/feed.xml", seen[0] + 1, timeout=ALERT_WAIT)
        await wait_for_fetches(feed_server, "/wire.xml", seen[1] + 1, timeout=ALERT_WAIT)
        # A different incident afterwards shows that the bot is still alerting.
        feed_server.serve("/wire.xml", rss(IDLIB, ("wire-88412", title, text)))
        for chat in (ALICE, BOB):
            await emulator.wait_for_text(chat, "Idlib", timeout=ALERT_WAIT)
        await asyncio.sleep(1)
        for chat in (ALICE, BOB):
            jableh = await alerts_containing(emulator, chat, "Jableh")
            assert len(jableh) == 1, f"chat {chat} got the Latakia report {len(jableh)} times"
        assert (await emulator.stats())["duplicates"] == 0


# --- absurd commands --------------------------------------------------------------------------

LONG_MARKER = "Zyxwvutsrq"


async def test_absurd_commands_get_clear_replies_and_leave_no_trace_in_the_log(
    emulator, feed_server, tmp_path
):
    feed_server.serve("/feed.xml", rss())
    async with bot_with(emulator, tmp_path, [("Test feed", feed_server.url("/feed.xml"), 1)]) as (
        process
    ):
        long_query = (LONG_MARKER + " <b>&amp; " * 500)[:5000]
        long_reply = await say(emulator, ALICE, f"/subscribe {long_query}")
        assert "don't know" in long_reply["text"] or buttons(long_reply)
        assert f"{LONG_MARKER} <b>&amp;" in long_reply["text"]  # shown as typed, not as markup
        assert "Subscribed" not in long_reply["text"]
        assert len(long_reply["text"]) <= MESSAGE_MAX

        emoji = await say(emulator, ALICE, "/status 🔥🌍🙂")
        assert "don't know" in emoji["text"] or "Which" in emoji["text"]
        assert "went wrong" not in emoji["text"]

        nothing = await say(emulator, ALICE, "/unsubscribe")
        assert "follows nothing" in nothing["text"]
        assert not buttons(nothing)

        # Buttons from before /forget, pressed after it.
        ambiguous = await say(emulator, ALICE, "/subscribe Tripoli")
        assert buttons(ambiguous)
        await say(emulator, ALICE, "/subscribe Syria")
        menu = await say(emulator, ALICE, "/unsubscribe")
        [(_, unsub_data)] = buttons(menu)
        ask = await say(emulator, ALICE, "/forget")
        yes = next(data for label, data in buttons(ask) if "Delete" in label)
        await emulator.press_button(ALICE, ask["message_id"], data=yes, user_id=ALICE)
        done = await emulator.wait_for_edit(ALICE, ask["message_id"])
        assert "deleted" in done["text"]

        await emulator.press_button(ALICE, menu["message_id"], data=unsub_data, user_id=ALICE)
        stale = await emulator.wait_for_edit(ALICE, menu["message_id"])
        assert "already removed" in stale["text"]

        _, choice = buttons(ambiguous)[0]
        await emulator.press_button(ALICE, ambiguous["message_id"], data=choice, user_id=ALICE)
        answer = await wait_for_callback_answer(emulator, choice)
        assert "expired" in (answer.get("text") or "")
        assert "follows nothing" in (await say(emulator, ALICE, "/mysubs"))["text"]

        # The confirm button of /forget pressed again (a double tap, or a second device that
        # still shows it): still a calm answer.
        before = len(await emulator.messages(ALICE))
        await emulator.press_button(ALICE, ask["message_id"], data=yes, user_id=ALICE, force=True)
        await wait_for_callback_answer(emulator, yes, count=2)
        await asyncio.sleep(1)
        later = await emulator.messages(ALICE)
        assert not [m for m in later[before:] if "went wrong" in m["text"]], (
            "a second press of the /forget button made the bot apologise for a failure"
        )
        assert "follows nothing" in (await say(emulator, ALICE, "/mysubs"))["text"]

        await assert_users_saw_no_crash(emulator)
        log = process.log()
        assert LONG_MARKER not in log, "a user's message text was written to the log"
        assert "🔥🌍🙂" not in log, "a user's message text was written to the log"


async def wait_for_callback_answer(
    emulator: EmulatorClient, data: str, count: int = 1, timeout: float = 10
) -> dict[str, Any]:
    """The `count`-th answer the bot gave to a press of the button with this data."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        answers = [a for a in await emulator.callback_answers() if a.get("data") == data]
        if len(answers) >= count:
            return answers[count - 1]
        if loop.time() > deadline:
            raise EmulatorError(f"no answer #{count} to the button {data!r}: {answers}")
        await asyncio.sleep(0.05)


# --- what the operator reads ------------------------------------------------------------------


async def test_a_slow_source_does_not_fill_the_log_with_warnings(emulator, feed_server, tmp_path):
    # Three seconds is slow but ordinary for a large feed on a busy server.
    feed_server.serve("/slow.xml", rss(LATAKIA), delay=3)
    async with bot_with(emulator, tmp_path, [("Slow feed", feed_server.url("/slow.xml"), 1)]) as (
        process
    ):
        await wait_for_fetches(feed_server, "/slow.xml", 1, timeout=ALERT_WAIT)
        warnings = [line for line in process.log().splitlines() if " WARNING " in line]
        assert not warnings, f"{len(warnings)} warnings, the first: {warnings[0]}"
