"""Admin commands: /broadcast (preview, confirm, queue), /broadcasts, /stats.

Syntax, in a private chat with the bot:
  /broadcast <text>               to every active chat
  /broadcast <region> | <text>    to the subscribers of a country, province or town
  /broadcast all | <text>         to everyone, for a text that itself contains '|'
The preview names the recipients and their number; nothing is sent before Confirm. The admin
gets a report (sent, blocked, failed) once every delivery is settled. Anyone who is not an
admin gets a plain refusal.
"""

import secrets
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.alerts import broadcast, stats
from bot.services import services
from handlers.common import after_command, in_session

COMMANDS: list[tuple[str, str]] = []
ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("broadcast", "Send a message to everyone, or /broadcast Syria | text to a region"),
    ("broadcasts", "Past broadcasts and how they were delivered"),
    ("stats", "Delivery queue, throughput and flood waits"),
]

REFUSAL = "Only the bot's administrators can do that."
USAGE = (
    "<b>Broadcast</b>\n"
    "<code>/broadcast text</code> to every chat\n"
    "<code>/broadcast Syria | text</code> to the subscribers of a region\n"
    "<code>/broadcast all | text</code> to everyone, when the text contains |"
)
DRAFTS = "broadcast_drafts"


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return services(context).is_admin(user.id if user else None)


async def broadcast_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Preview a broadcast with its recipient count and Confirm / Cancel buttons."""
    message = update.effective_message
    if not _is_admin(update, context):
        await message.reply_text(REFUSAL)
        return
    if update.effective_chat.type != "private":
        await message.reply_text("Use /broadcast in a private chat with me.")
        return
    region_name, text = broadcast.parse_command(after_command(message.text))
    if not text:
        await message.reply_text(USAGE)
        return
    if len(text) > broadcast.MAX_TEXT:
        await message.reply_text(
            f"The text is {len(text)} characters; a broadcast holds at most {broadcast.MAX_TEXT}."
        )
        return
    region = None
    if region_name is not None:
        found = broadcast.resolve_region(region_name)
        if not found:
            await message.reply_text(
                f"I know no country, province or town called <b>{escape(region_name)}</b>. "
                "To send a text containing | to everyone, start with <code>all |</code>."
            )
            return
        region = found[0]
    count = await in_session(context, broadcast.count_recipients, region)
    nonce = secrets.token_hex(4)
    context.user_data.setdefault(DRAFTS, {})[nonce] = (text, region)  # type: ignore[union-attr]
    target = "everyone" if region is None else f"subscribers of {region.label}"
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(f"Send to {count}", callback_data=f"bc:ok:{nonce}"),
                InlineKeyboardButton("Cancel", callback_data=f"bc:no:{nonce}"),
            ]
        ]
    )
    await message.reply_text(
        f"<b>Preview</b>: to {escape(target)}, {count} chat(s)\n\n{broadcast.body_html(text)}",
        reply_markup=keyboard,
    )


async def broadcast_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm or Cancel under a preview."""
    query = update.callback_query
    if not _is_admin(update, context):
        await query.answer(REFUSAL, show_alert=True)
        return
    parts = (query.data or "").split(":")
    choice, nonce = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
    draft = (context.user_data or {}).get(DRAFTS, {}).pop(nonce, None)
    if draft is None:
        await query.answer("This preview has expired.")
        await query.edit_message_reply_markup(None)
        return
    if choice != "ok":
        await query.answer("Cancelled.")
        await query.edit_message_text("Broadcast cancelled; nothing was sent.")
        return
    text, region = draft
    alert_id, queued = await in_session(
        context, broadcast.queue, update.effective_user.id, text, region
    )
    await query.answer("Queued.")
    await query.edit_message_text(
        f"Broadcast #{alert_id} queued for {queued} chat(s). "
        "You will get a report once it is delivered."
    )


async def broadcasts_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the latest broadcasts with their delivery counts."""
    if not _is_admin(update, context):
        await update.effective_message.reply_text(REFUSAL)
        return
    reports = await in_session(context, broadcast.recent)
    tz = services(context).settings.default_timezone
    await update.effective_message.reply_text(broadcast.recent_html(reports, tz))


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delivery figures for admins."""
    if not _is_admin(update, context):
        await update.effective_message.reply_text(REFUSAL)
        return
    figures = await in_session(context, stats.delivery_stats)
    await update.effective_message.reply_text(stats.stats_html(figures))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("broadcast", broadcast_command))
    application.add_handler(CommandHandler("broadcasts", broadcasts_command))
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(CallbackQueryHandler(broadcast_button, pattern=r"^bc:"))
