"""Admin source commands through the real bot process and the local Telegram emulator."""

import asyncio
from pathlib import Path

import pytest

from tests.auxil.bot_process import running_bot, write_sources
from tests.emulator.client import buttons

pytestmark = pytest.mark.e2e

ADMIN, USER = 9001, 101
DATA = Path(__file__).parent / "data" / "sources"


@pytest.fixture
async def bot(emulator, feed_server, tmp_path):
    feed_server.serve("/feed.xml", DATA / "news-world.rss")
    sources = write_sources(tmp_path / "sources.toml", feed_server.url("/feed.xml"), interval=60)
    async with running_bot(emulator, tmp_path, sources, admin_ids=str(ADMIN)) as process:
        yield process


async def say(emulator, chat_id: int, text: str, replies: int = 1) -> dict:
    before = len(await emulator.messages(chat_id))
    await emulator.inject_message(chat_id, text, user_id=chat_id)
    return await emulator.wait_for_message(chat_id, before + replies, timeout=15)


async def press(emulator, chat_id: int, message: dict, label_start: str) -> dict:
    data = next(d for label, d in buttons(message) if label.startswith(label_start))
    await emulator.press_button(chat_id, message["message_id"], data=data, user_id=chat_id)
    return await emulator.wait_for_edit(chat_id, message["message_id"])


async def test_only_admins_manage_sources(emulator, bot):
    for command in ("/sources", "/addsource https://x.example/f", "/removesource 1"):
        assert "administrators" in (await say(emulator, USER, command))["text"]


async def test_sources_shows_health(emulator, feed_server, bot):
    for _ in range(100):  # the seeded feed is polled within a tick of start-up
        if feed_server.count("/feed.xml"):
            break
        await asyncio.sleep(0.1)
    listing = await say(emulator, ADMIN, "/sources")
    assert "Test feed" in listing["text"] and "items seen" in listing["text"]
    assert "next poll" in listing["text"]


async def test_add_preview_confirm_pause_resume_remove(emulator, feed_server, bot):
    hostile = (
        (DATA / "news-world.rss")
        .read_text()
        .replace("<![CDATA[Example News - World]]>", "<![CDATA[<b>Desk</b> & co: 5 < 7]]>")
    )
    url = feed_server.serve("/new.xml", hostile)
    preview = await say(emulator, ADMIN, f"/addsource {url} 15m", replies=2)
    assert "3 report(s)" in preview["text"] and "Shelling in Latakia" in preview["text"]
    # Tags in an outside title are dropped, the rest is escaped and shown as typed.
    assert "Desk & co: 5 < 7 (rss" in preview["text"]
    added = await press(emulator, ADMIN, preview, "Add")
    assert "Added" in added["text"] and "every 15 min" in added["text"]
    listing = await say(emulator, ADMIN, "/sources")
    assert "Desk & co: 5 < 7" in listing["text"]

    paused = await say(emulator, ADMIN, "/pausesource Desk & co: 5 < 7")
    assert "paused" in paused["text"]
    menu = await say(emulator, ADMIN, "/resumesource")
    resumed = await press(emulator, ADMIN, menu, "#")
    assert "resumed" in resumed["text"]

    ask = await say(emulator, ADMIN, "/removesource desk & co: 5 < 7")
    done = await press(emulator, ADMIN, ask, "Delete")
    assert "Deleted" in done["text"]
    assert "Desk" not in (await say(emulator, ADMIN, "/sources"))["text"]


async def test_addsource_explains_what_went_wrong(emulator, feed_server, bot):
    usage = await say(emulator, ADMIN, "/addsource")
    assert "/addsource URL" in usage["text"]
    bad = await say(emulator, ADMIN, "/addsource not-a-url")
    assert "http" in bad["text"]
    page = feed_server.serve(
        "/page.html", b"<html><body>hi</body></html>", content_type="text/html"
    )
    failed = await say(emulator, ADMIN, f"/addsource {page}", replies=2)
    assert "could not read" in failed["text"] and "not an RSS or Atom feed" in failed["text"]


async def test_opml_export_and_import(emulator, feed_server, bot):
    exported = await say(emulator, ADMIN, "/exportsources")
    opml = await emulator.file_content(exported["document"]["file_id"])
    assert b"<opml" in opml and feed_server.url("/feed.xml").encode() in opml
    mine = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline type="rss" text="Radio Field" xmlUrl="https://radio.example/feed"/>'
        b"</body></opml>"
    )
    before = len(await emulator.messages(ADMIN))
    await emulator.inject_document(ADMIN, mine, "feeds.opml", user_id=ADMIN)
    reply = await emulator.wait_for_message(ADMIN, before + 1, timeout=15)
    assert "1 new source(s) (Radio Field)" in reply["text"]
