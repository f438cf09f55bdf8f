"""Helpers every handler module shares: database work off the event loop, chat kinds."""

import asyncio
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import services
from storage.db import session_scope

T = TypeVar("T")


async def in_session(
    context: ContextTypes.DEFAULT_TYPE, work: Callable[..., T], *args: Any
) -> T:
    """Run `work(session, *args)` in one transaction on a worker thread, so a busy database
    never stalls the bot's event loop."""
    engine = services(context).engine

    def run() -> T:
        with session_scope(engine) as session:
            return work(session, *args)

    return await asyncio.to_thread(run)


def chat_kind(update: Update) -> str:
    chat = update.effective_chat
    return chat.type if chat is not None else "private"


def remember_choices(context: ContextTypes.DEFAULT_TYPE, slot: str, items: list) -> str:
    """Keep a short list the user will pick from with a button; returns a nonce for the
    callback data (Telegram allows only 64 bytes there, so the items stay server-side)."""
    nonce = secrets.token_hex(3)
    context.chat_data[slot] = (nonce, items)  # type: ignore[index]
    return nonce


def recall_choice(context: ContextTypes.DEFAULT_TYPE, slot: str, nonce: str, index: str) -> Any:
    """The item a button points at, or None when the list is stale (bot restarted, newer list)."""
    stored = (context.chat_data or {}).get(slot)
    if not stored or stored[0] != nonce or not index.isdigit():
        return None
    items = stored[1]
    i = int(index)
    return items[i] if i < len(items) else None


def after_command(text: str | None) -> str:
    """The arguments of a command message: everything after `/cmd` or `/cmd@botname`."""
    if not text:
        return ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""
