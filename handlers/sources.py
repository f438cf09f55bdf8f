"""Admin commands for monitored sources: health, add (preview + confirm), pause, resume,
remove, and OPML export / import (send an .opml file to the bot in a private chat).

Each handler parses, calls bot.sources (manage, check) and renders; no SQL or HTTP here.
"""

import asyncio
import secrets
from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.services import services
from bot.sources import manage
from bot.sources.check import preview_source
from bot.sources.errors import SourceError
from bot.sources.registry import KINDS
from handlers.common import after_command
from storage.types import utcnow

ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("sources", "Monitored sources and their health"),
    ("addsource", "Add a source: /addsource URL [interval] [kind]"),
    ("pausesource", "Stop polling a source for now"),
    ("resumesource", "Poll a paused source again"),
    ("removesource", "Delete a source"),
    ("exportsources", "Download the feed sources as OPML (send an .opml file to import)"),
]

REFUSAL = "Only the bot's administrators can do that."
MAX_MESSAGE = 3900  # under Telegram's 4096, with room for markup
MAX_OPML_BYTES = 1024 * 1024
DRAFTS = "source_drafts"
ADD_USAGE = (
    "<b>Add a source</b>\n<code>/addsource URL [interval] [kind]</code>\n"
    "interval: 900, 15m or 2h (default 15m); kind: " + ", ".join(KINDS) + " (default rss)"
)


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return services(context).is_admin(user.id if user else None)


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = int((now - when).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 90:
        text = f"{seconds} s"
    elif seconds < 5400:
        text = f"{seconds // 60} min"
    elif seconds < 172800:
        text = f"{seconds // 3600} h"
    else:
        text = f"{seconds // 86400} d"
    return f"in {text}" if future else f"{text} ago"


def _health_html(h: manage.SourceHealth, now: datetime) -> str:
    state = "⏸ paused" if not h.enabled else ("⚠️ failing" if h.failing else "✅ ok")
    lines = [
        f"<b>#{h.id} {escape(h.name)}</b> · {escape(h.kind)} · {state}",
        f"last success {_ago(h.last_success_at, now)} · {h.items_seen} items seen"
        f" · next poll {_ago(h.next_poll_at, now) if h.enabled else '-'}",
    ]
    if h.last_error:
        lines.append(
            f"last error {_ago(h.last_error_at, now)}"
            f"{f' ({h.failures} in a row)' if h.failures else ''}: "
            f"<i>{escape(h.last_error[:200])}</i>"
        )
    return "\n".join(lines)


def _pack(blocks: list[str]) -> list[str]:
    """Join blocks into messages that each stay under Telegram's length limit."""
    messages, current = [], ""
    for block in blocks:
        if current and len(current) + len(block) + 2 > MAX_MESSAGE:
            messages.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    if current:
        messages.append(current)
    return messages


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every source with its health: last success, last error, items seen, next poll."""
    message = update.effective_message
    if not _is_admin(update, context):
        await message.reply_text(REFUSAL)
        return
    health = await asyncio.to_thread(manage.list_health, services(context).engine)
    if not health:
        await message.reply_text("No sources yet. Add one with /addsource URL.")
        return
    now = utcnow()
    failing = sum(h.enabled and h.failing for h in health)
    head = f"<b>{len(health)} source(s)</b>, {failing} failing"
    for text in _pack([head, *(_health_html(h, now) for h in health)]):
        await message.reply_text(text, disable_web_page_preview=True)


def _parse_add(args: str) -> tuple[str, int, str]:
    parts = args.split()
    if not parts:
        raise SourceError("")
    url, interval, kind = manage.check_url(parts[0]), None, "rss"
    for part in parts[1:]:
        if part.lower() in KINDS:
            kind = part.lower()
        else:
            interval = part
    return url, manage.parse_interval(interval), kind


async def addsource_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Fetch and parse the address once, show what it found, ask to confirm."""
    message = update.effective_message
    if not _is_admin(update, context):
        await message.reply_text(REFUSAL)
        return
    try:
        url, interval, kind = _parse_add(after_command(message.text))
    except SourceError as exc:
        await message.reply_text(f"{escape(str(exc))}\n\n{ADD_USAGE}" if str(exc) else ADD_USAGE)
        return
    await message.reply_text(f"Fetching {escape(url)} …", disable_web_page_preview=True)
    try:
        preview = await preview_source(url, kind, services(context).settings)
    except SourceError as exc:
        await message.reply_text(f"I could not read that source: {escape(str(exc))}")
        return
    nonce = secrets.token_hex(4)
    name = preview.title or None
    context.user_data.setdefault(DRAFTS, {})[nonce] = (url, kind, interval, name)  # type: ignore[union-attr]
    lines = [
        f"<b>{escape(name or url)}</b> ({escape(kind)}, every {interval // 60} min): "
        f"{len(preview.reports)} report(s) now."
    ]
    for r in preview.reports[:5]:
        when = r.published.strftime("%Y-%m-%d %H:%M UTC") if r.published else "date unknown"
        lines.append(f"• {escape(r.title[:150] or '(no title)')} <i>({when})</i>")
    if not preview.reports:
        lines.append("It is readable but empty right now.")
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Add this source", callback_data=f"src:add:{nonce}"),
                InlineKeyboardButton("Cancel", callback_data=f"src:no:{nonce}"),
            ]
        ]
    )
    await message.reply_text("\n".join(lines), reply_markup=keyboard, disable_web_page_preview=True)


def _pick_keyboard(action: str, health: list[manage.SourceHealth]) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(f"#{h.id} {h.name}"[:60], callback_data=f"src:{action}:{h.id}")]
        for h in health[:30]
    ]
    return InlineKeyboardMarkup(rows)


async def _by_ref_or_buttons(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, want_enabled: bool | None
) -> str | None:
    """The source reference typed after the command, or None after offering buttons."""
    message = update.effective_message
    ref = after_command(message.text)
    if ref:
        return ref
    health = await asyncio.to_thread(manage.list_health, services(context).engine)
    if want_enabled is not None:
        health = [h for h in health if h.enabled == want_enabled]
    if not health:
        await message.reply_text("No source to choose from.")
        return None
    await message.reply_text("Which source?", reply_markup=_pick_keyboard(action, health))
    return None


async def _set_enabled(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ref: str, on: bool
) -> str:
    try:
        h = await asyncio.to_thread(manage.set_enabled, services(context).engine, ref, on)
    except SourceError as exc:
        return escape(str(exc))
    verb = "resumed: it is polled at the next tick" if on else "paused"
    return f"<b>{escape(h.name)}</b> {verb}."


async def pausesource_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop polling a source (by name or #id, or chosen with a button)."""
    if not _is_admin(update, context):
        await update.effective_message.reply_text(REFUSAL)
        return
    ref = await _by_ref_or_buttons(update, context, "pause", want_enabled=True)
    if ref:
        await update.effective_message.reply_text(await _set_enabled(update, context, ref, False))


async def resumesource_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Poll a paused source again."""
    if not _is_admin(update, context):
        await update.effective_message.reply_text(REFUSAL)
        return
    ref = await _by_ref_or_buttons(update, context, "resume", want_enabled=False)
    if ref:
        await update.effective_message.reply_text(await _set_enabled(update, context, ref, True))


def _confirm_remove(source_id: int, name: str) -> tuple[str, InlineKeyboardMarkup]:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Delete it", callback_data=f"src:rmok:{source_id}"),
                InlineKeyboardButton("Keep it", callback_data="src:no:-"),
            ]
        ]
    )
    return f"Delete the source <b>{escape(name)}</b>? Its stored reports stay.", keyboard


async def removesource_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete a source after a confirm button."""
    message = update.effective_message
    if not _is_admin(update, context):
        await message.reply_text(REFUSAL)
        return
    ref = await _by_ref_or_buttons(update, context, "rm", want_enabled=None)
    if not ref:
        return
    health = await asyncio.to_thread(manage.list_health, services(context).engine)
    match = [
        h for h in health if ref.lstrip("#") == str(h.id) or h.name.casefold() == ref.casefold()
    ]
    if not match:
        await message.reply_text(f"No source named or numbered {escape(ref)}; /sources lists them.")
        return
    text, keyboard = _confirm_remove(match[0].id, match[0].name)
    await message.reply_text(text, reply_markup=keyboard)


async def exportsources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the feed sources as an OPML document."""
    if not _is_admin(update, context):
        await update.effective_message.reply_text(REFUSAL)
        return
    data = await asyncio.to_thread(manage.opml_export, services(context).engine)
    await update.effective_message.reply_document(
        InputFile(data, filename="alertbot-sources.opml"),
        caption="Feed sources (RSS, GDACS) as OPML. Send an .opml file back to import one.",
    )


async def opml_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An .opml file sent by an admin: add its feeds."""
    message = update.effective_message
    if not _is_admin(update, context):
        return  # files from others are not our business; say nothing
    doc = message.document
    if doc.file_size and doc.file_size > MAX_OPML_BYTES:
        await message.reply_text("That OPML file is over 1 MB; I did not read it.")
        return
    tg_file = await doc.get_file()
    data = bytes(await tg_file.download_as_bytearray())
    try:
        result = await asyncio.to_thread(manage.opml_import, services(context).engine, data)
    except SourceError as exc:
        await message.reply_text(f"I could not import it: {escape(str(exc))}")
        return
    added = ", ".join(escape(n) for n in result.added[:20]) or "none"
    more = f" and {len(result.added) - 20} more" if len(result.added) > 20 else ""
    await message.reply_text(
        f"Imported: {len(result.added)} new source(s) ({added}{more}), "
        f"{len(result.updated)} updated, {result.unchanged} unchanged."
    )


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons under /addsource, /pausesource, /resumesource and /removesource."""
    query = update.callback_query
    if not _is_admin(update, context):
        await query.answer(REFUSAL, show_alert=True)
        return
    parts = (query.data or "").split(":", 2)
    action, arg = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
    engine = services(context).engine
    if action == "no":
        (context.user_data or {}).get(DRAFTS, {}).pop(arg, None)
        await query.answer("Cancelled.")
        await query.edit_message_text("Cancelled; nothing was changed.")
        return
    if action == "add":
        draft = (context.user_data or {}).get(DRAFTS, {}).pop(arg, None)
        if draft is None:
            await query.answer("This preview has expired.")
            await query.edit_message_reply_markup(None)
            return
        url, kind, interval, name = draft
        try:
            h = await asyncio.to_thread(manage.add_source, engine, url, kind, interval, name)
        except SourceError as exc:
            await query.answer()
            await query.edit_message_text(f"Not added: {escape(str(exc))}")
            return
        await query.answer("Added.")
        await query.edit_message_text(
            f"Added <b>#{h.id} {escape(h.name)}</b>; it is polled every {h.interval // 60} min."
        )
        return
    if action in ("pause", "resume"):
        await query.answer()
        await query.edit_message_text(await _set_enabled(update, context, arg, action == "resume"))
        return
    if action == "rm":
        health = await asyncio.to_thread(manage.list_health, engine)
        match = [h for h in health if str(h.id) == arg]
        await query.answer()
        if not match:
            await query.edit_message_text("That source no longer exists.")
            return
        text, keyboard = _confirm_remove(match[0].id, match[0].name)
        await query.edit_message_text(text, reply_markup=keyboard)
        return
    if action == "rmok":
        try:
            name = await asyncio.to_thread(manage.remove_source, engine, arg)
        except SourceError as exc:
            await query.answer()
            await query.edit_message_text(escape(str(exc)))
            return
        await query.answer("Deleted.")
        await query.edit_message_text(f"Deleted the source <b>{escape(name)}</b>.")
        return
    await query.answer()


def register(application: Application) -> None:
    application.add_handler(CommandHandler("sources", sources_command))
    application.add_handler(CommandHandler("addsource", addsource_command))
    application.add_handler(CommandHandler("pausesource", pausesource_command))
    application.add_handler(CommandHandler("resumesource", resumesource_command))
    application.add_handler(CommandHandler("removesource", removesource_command))
    application.add_handler(CommandHandler("exportsources", exportsources_command))
    application.add_handler(CallbackQueryHandler(source_button, pattern=r"^src:"))
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.Document.FileExtension("opml"), opml_document
        )
    )
