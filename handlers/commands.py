"""The everyday commands: /start, /help, /subscribe, /unsubscribe, /mysubs, /status, /latest,
/forget. Each handler parses the input, calls the domain, renders Telegram HTML."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import subscriptions
from bot.services import services
from handlers.common import after_command, chat_kind, in_session, recall_choice, remember_choices
from storage import queries

COMMANDS: list[tuple[str, str]] = [
    ("start", "What this bot does and how to subscribe"),
    ("subscribe", "Follow a country, province, town or topic"),
    ("unsubscribe", "Stop following something"),
    ("mysubs", "What this chat follows"),
    ("status", "Latest incidents and figures for a place"),
    ("latest", "Newest alerts for this chat's subscriptions"),
    ("forget", "Delete everything this bot keeps about this chat"),
    ("help", "How to use the bot"),
]

START_TEXT = (
    "<b>Crisis alerts for humanitarian staff</b>\n\n"
    "I watch trusted sources (ReliefWeb, GDACS, UN News, USGS and news feeds), read who was "
    "killed, injured or displaced, where and according to whom, merge reports about the same "
    "incident and alert you when something new or worse happens.\n\n"
    "Follow a place or a topic:\n"
    "<code>/subscribe Syria</code>\n<code>/subscribe Latakia</code>\n"
    "<code>/subscribe epidemics</code>\n\n"
    "Then <code>/status Sudan</code> for the current picture. /help lists every command."
)

HELP_TEXT = (
    "<b>Commands</b>\n"
    "/subscribe &lt;place or topic&gt; follow a country, province, town, or a topic such as "
    "airstrikes, floods, epidemics, displacement\n"
    "/unsubscribe stop following something\n"
    "/mysubs what this chat follows\n"
    "/status &lt;place&gt; latest incidents and figures there\n"
    "/latest newest alerts sent to this chat\n"
    "/settings quiet hours, daily digest, time zone\n"
    "/forget delete this chat's data\n\n"
    "Every figure says who reported it. In groups, address me as /command@{bot}."
)


def _zone(context: ContextTypes.DEFAULT_TYPE) -> str:
    """Time zone of a chat met for the first time: the operator's default."""
    return services(context).settings.default_timezone


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Register the chat (or welcome it back) and explain the bot."""
    await in_session(
        context, queries.ensure_chat, update.effective_chat.id, chat_kind(update), _zone(context)
    )
    await update.effective_message.reply_text(START_TEXT)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands."""
    await update.effective_message.reply_text(HELP_TEXT.format(bot=escape(context.bot.username)))


def _choice_keyboard(prefix: str, nonce: str, targets: tuple) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(t.label[:60], callback_data=f"{prefix}:{nonce}:{i}")]
        for i, t in enumerate(targets)
    ]
    return InlineKeyboardMarkup(rows)


def _subscribed_text(target: subscriptions.Target, created: bool) -> str:
    if not created:
        return f"This chat already follows <b>{escape(target.label)}</b>."
    return (
        f"Subscribed to <b>{escape(target.label)}</b>. You will get an alert when a monitored "
        "source reports a new or worsening incident there."
    )


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow a place or topic; ambiguous or unknown input gets buttons, never a guess."""
    message = update.effective_message
    query = after_command(message.text)
    if not query:
        await message.reply_text(
            "Tell me what to follow, e.g. <code>/subscribe Syria</code>, "
            "<code>/subscribe Latakia</code> or <code>/subscribe epidemics</code>."
        )
        return
    resolution = subscriptions.resolve(query)
    if resolution.target is not None:
        created = await in_session(
            context,
            subscriptions.subscribe,
            update.effective_chat.id,
            chat_kind(update),
            resolution.target,
            _zone(context),
        )
        await message.reply_text(_subscribed_text(resolution.target, created))
        return
    if not resolution.choices:
        await message.reply_text(
            f"I don't know a place or topic called <b>{escape(query[:100])}</b>. Try a country, "
            "province or town name, or a topic such as airstrikes, floods, epidemics."
        )
        return
    nonce = remember_choices(context, "sub", list(resolution.choices))
    await message.reply_text(
        f"Which one do you mean by <b>{escape(query[:100])}</b>?",
        reply_markup=_choice_keyboard("sub", nonce, resolution.choices),
    )


async def subscribe_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from /subscribe's suggestions."""
    callback = update.callback_query
    _, nonce, index = callback.data.split(":", 2)
    target = recall_choice(context, "sub", nonce, index)
    if target is None:
        await callback.answer("These buttons have expired: send /subscribe again.")
        return
    created = await in_session(
        context,
        subscriptions.subscribe,
        update.effective_chat.id,
        chat_kind(update),
        target,
        _zone(context),
    )
    await callback.answer()
    await callback.edit_message_text(_subscribed_text(target, created))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons listing the chat's subscriptions; a press removes one."""
    subs = await in_session(context, queries.chat_subscriptions, update.effective_chat.id)
    if not subs:
        await update.effective_message.reply_text("This chat follows nothing yet: try /subscribe.")
        return
    rows = [
        [InlineKeyboardButton(f"✖ {s.label}"[:60], callback_data=f"unsub:{s.id}")] for s in subs
    ]
    await update.effective_message.reply_text(
        "Tap what to stop following:", reply_markup=InlineKeyboardMarkup(rows)
    )


async def unsubscribe_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from /unsubscribe."""
    callback = update.callback_query
    sub_id = callback.data.removeprefix("unsub:")
    removed = None
    if sub_id.isdigit():
        removed = await in_session(
            context, queries.remove_subscription, update.effective_chat.id, int(sub_id)
        )
    await callback.answer()
    if removed is None:
        await callback.edit_message_text("That subscription was already removed.")
    else:
        await callback.edit_message_text(f"Unsubscribed from <b>{escape(removed.label)}</b>.")


async def mysubs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What this chat follows."""
    subs = await in_session(context, queries.chat_subscriptions, update.effective_chat.id)
    if not subs:
        await update.effective_message.reply_text("This chat follows nothing yet: try /subscribe.")
        return
    lines = [f"• {escape(s.label)}" for s in subs]
    await update.effective_message.reply_text("<b>This chat follows</b>\n" + "\n".join(lines))


async def _reply_status(update: Update, context, target: subscriptions.Target, edit: bool) -> None:
    place = subscriptions.place_query(target)
    if place is None:
        text = "/status takes a place, e.g. <code>/status Sudan</code>."
    else:
        text = await in_session(context, subscriptions.status_text, place)
    if edit:
        await update.callback_query.edit_message_text(text, disable_web_page_preview=True)
    else:
        await update.effective_message.reply_text(text, disable_web_page_preview=True)


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The latest incidents and figures for a place, from stored data."""
    message = update.effective_message
    query = after_command(message.text)
    if not query:
        await message.reply_text("Which place? e.g. <code>/status Sudan</code>.")
        return
    resolution = subscriptions.resolve(query)
    places = tuple(t for t in resolution.choices if t.kind != "topic")
    if resolution.target is not None and resolution.target.kind != "topic":
        await _reply_status(update, context, resolution.target, edit=False)
    elif places:
        nonce = remember_choices(context, "status", list(places))
        await message.reply_text(
            f"Which one do you mean by <b>{escape(query[:100])}</b>?",
            reply_markup=_choice_keyboard("status", nonce, places),
        )
    else:
        await message.reply_text(
            f"I don't know a place called <b>{escape(query[:100])}</b>. "
            "Try a country, province or town name."
        )


async def status_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from /status's suggestions."""
    callback = update.callback_query
    _, nonce, index = callback.data.split(":", 2)
    target = recall_choice(context, "status", nonce, index)
    await callback.answer()
    if target is None:
        await callback.edit_message_text("These buttons have expired: send /status again.")
        return
    await _reply_status(update, context, target, edit=True)


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The newest alerts queued for this chat."""
    alerts = await in_session(context, queries.latest_alerts_for_chat, update.effective_chat.id)
    if not alerts:
        await update.effective_message.reply_text(
            "No alerts for this chat yet. /mysubs shows what it follows."
        )
        return
    # Each body is already escaped Telegram HTML, made by the incident summary.
    text = "\n\n—\n\n".join(a.body_html for a in alerts)
    while len(text) > 4000 and len(alerts) > 1:
        alerts = alerts[:-1]
        text = "\n\n—\n\n".join(a.body_html for a in alerts)
    await update.effective_message.reply_text(text, disable_web_page_preview=True)


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask before deleting the chat's data."""
    asker = update.effective_user.id if update.effective_user else 0
    keyboard = InlineKeyboardMarkup(
        [[
            InlineKeyboardButton("Delete my data", callback_data=f"forget:yes:{asker}"),
            InlineKeyboardButton("Cancel", callback_data=f"forget:no:{asker}"),
        ]]
    )
    await update.effective_message.reply_text(
        "This deletes this chat's subscriptions, settings and pending alerts. Continue?",
        reply_markup=keyboard,
    )


async def forget_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The confirm or cancel button of /forget."""
    callback = update.callback_query
    _, answer, asker = callback.data.split(":", 2)
    if str(update.effective_user.id) != asker:  # in a group, only who asked may confirm
        await callback.answer("Only the person who sent /forget can confirm it.")
        return
    await callback.answer()
    if answer != "yes":
        await callback.edit_message_text("Nothing was deleted.")
        return
    count = await in_session(context, queries.forget_chat, update.effective_chat.id)
    context.chat_data.clear()
    await callback.edit_message_text(
        f"Done: this chat's data is deleted ({count} subscription(s)). "
        "Send /start if you want alerts again."
    )


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("subscribe", subscribe))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe))
    application.add_handler(CommandHandler("mysubs", mysubs))
    application.add_handler(CommandHandler("status", status))
    application.add_handler(CommandHandler("latest", latest))
    application.add_handler(CommandHandler("forget", forget))
    application.add_handler(CallbackQueryHandler(subscribe_choice, pattern=r"^sub:"))
    application.add_handler(CallbackQueryHandler(unsubscribe_choice, pattern=r"^unsub:"))
    application.add_handler(CallbackQueryHandler(status_choice, pattern=r"^status:"))
    application.add_handler(CallbackQueryHandler(forget_choice, pattern=r"^forget:"))
