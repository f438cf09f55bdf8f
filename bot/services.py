"""What handlers and jobs share at run time, kept in Application.bot_data["services"]."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings


@dataclass(slots=True)
class Services:
    settings: Settings
    engine: Engine

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids


def services(context: Any) -> Services:
    """The Services of a handler's or job's context (typed access to bot_data)."""
    return context.application.bot_data["services"]
