"""Telegram tells the bot when it is blocked, kicked or added back: keep Chat.active in step."""

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler, ContextTypes

from handlers.common import chat_kind, in_session
from storage import queries

GONE = {ChatMember.LEFT, ChatMember.BANNED}


async def membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot's own membership in a chat changed."""
    change = update.my_chat_member
    chat_id = change.chat.id
    if change.new_chat_member.status in GONE:
        await in_session(context, queries.mark_chat_inactive, chat_id, "bot removed or blocked")
    elif change.old_chat_member.status in GONE:
        await in_session(context, queries.ensure_chat, chat_id, chat_kind(update))


def register(application: Application) -> None:
    application.add_handler(
        ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
