"""Delivery preferences: /quiet, /digest, /timezone and /settings (with quick-choice buttons).

Each handler parses the argument, stores it through bot.alerts.preferences, and answers with
the chat's settings; a malformed argument gets one line saying what is expected.
"""

from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.alerts import preferences
from bot.alerts.preferences import PreferenceError
from handlers.common import after_command, chat_kind, in_session

COMMANDS: list[tuple[str, str]] = [
    ("settings", "Quiet hours, daily digest and time zone"),
    ("quiet", "Quiet hours, e.g. /quiet 22:00-07:00 or /quiet off"),
    ("digest", "Daily digest at an hour, e.g. /digest 8, or /digest off"),
    ("timezone", "This chat's time zone, e.g. /timezone Asia/Damascus"),
]

QUIET_PRESET = "22:00-07:00"
DIGEST_PRESET = 8


def _keyboard(prefs: preferences.ChatPrefs) -> InlineKeyboardMarkup:
    quiet = (
        InlineKeyboardButton("Quiet hours off", callback_data="prefs:quiet:off")
        if prefs.quiet_start is not None
        else InlineKeyboardButton(
            f"Quiet {QUIET_PRESET}", callback_data=f"prefs:quiet:{QUIET_PRESET}"
        )
    )
    digest = (
        InlineKeyboardButton("Instant alerts", callback_data="prefs:digest:off")
        if prefs.digest_hour is not None
        else InlineKeyboardButton(
            f"Daily digest at {DIGEST_PRESET:02d}:00", callback_data=f"prefs:digest:{DIGEST_PRESET}"
        )
    )
    return InlineKeyboardMarkup([[quiet, digest]])


async def _answer(update: Update, prefs: preferences.ChatPrefs) -> None:
    await update.effective_message.reply_text(
        preferences.describe(prefs), reply_markup=_keyboard(prefs)
    )


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show this chat's delivery settings."""
    prefs = await in_session(context, preferences.get, update.effective_chat.id, chat_kind(update))
    await _answer(update, prefs)


async def _change(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    usage: str | None,
    parse: Callable[[str], Any],
    apply: Callable[..., Any],
) -> None:
    """Parse the command's argument, store it for this chat, show the settings."""
    arg = after_command(update.effective_message.text)
    if not arg and usage:
        await update.effective_message.reply_text(usage)
        return
    try:
        value = parse(arg)
    except PreferenceError as exc:
        await update.effective_message.reply_text(str(exc), parse_mode=None)
        return
    prefs = await in_session(context, apply, update.effective_chat.id, chat_kind(update), value)
    await _answer(update, prefs)


async def quiet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quiet HH:MM-HH:MM | off"""
    usage = "Write quiet hours as /quiet 22:00-07:00 (this chat's time zone), or /quiet off."
    await _change(update, context, usage, preferences.parse_quiet, preferences.set_quiet)


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest HH | off"""
    usage = (
        "Write /digest 8 for a daily digest at 08:00 (this chat's time zone), or /digest off "
        "for instant alerts."
    )
    await _change(update, context, usage, preferences.parse_digest_hour, preferences.set_digest)


async def timezone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timezone Area/City"""
    await _change(update, context, None, preferences.parse_timezone, preferences.set_timezone)


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A quick-choice button under /settings."""
    query = update.callback_query
    parts = (query.data or "").split(":", 2)
    what, value = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
    chat_id, kind = update.effective_chat.id, chat_kind(update)
    try:
        if what == "quiet":
            prefs = await in_session(
                context, preferences.set_quiet, chat_id, kind, preferences.parse_quiet(value)
            )
        elif what == "digest":
            prefs = await in_session(
                context, preferences.set_digest, chat_id, kind, preferences.parse_digest_hour(value)
            )
        else:
            await query.answer("This button is out of date.")
            return
    except PreferenceError:
        await query.answer("This button is out of date.")
        return
    await query.answer("Saved.")
    await query.edit_message_text(preferences.describe(prefs), reply_markup=_keyboard(prefs))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("settings", settings_command))
    application.add_handler(CommandHandler("quiet", quiet))
    application.add_handler(CommandHandler("digest", digest))
    application.add_handler(CommandHandler("timezone", timezone))
    application.add_handler(CallbackQueryHandler(settings_button, pattern=r"^prefs:"))
