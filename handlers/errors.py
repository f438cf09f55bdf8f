"""The last resort: log the failure without message text, tell the user something useful."""

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error type (not the update, which holds message text) and apologise."""
    error = context.error
    if isinstance(error, NetworkError | Forbidden):
        log.warning("telegram call failed: %s", type(error).__name__)
        return
    log.error("handler failed", exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(
                "Sorry, something went wrong on our side. Please try again in a minute."
            )
        except Exception:  # noqa: BLE001 - nothing more to do if even the apology fails
            log.warning("could not send the error notice")
