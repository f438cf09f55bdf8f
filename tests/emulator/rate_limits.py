"""Telegram's flood limits as sliding windows: one global window and one per chat."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import asdict, dataclass


@dataclass
class RateLimitConfig:
    enabled: bool = False
    global_per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class _Window:
    """Timestamps of accepted sends inside the last `seconds`."""

    __slots__ = ("seconds", "times")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.times: deque[float] = deque()

    def _forget_before(self, now: float) -> None:
        times = self.times
        while times and times[0] <= now - self.seconds:
            times.popleft()

    def retry_after(self, now: float, limit: int) -> int | None:
        """Whole seconds until one more send fits (Telegram rounds up, at least 1), or None."""
        self._forget_before(now)
        times = self.times
        if len(times) < limit:
            return None
        if limit <= 0:
            return math.ceil(self.seconds)
        return max(1, math.ceil(times[len(times) - limit] + self.seconds - now))

    def record(self, now: float) -> None:
        self._forget_before(now)
        self.times.append(now)


class RateLimiter:
    """Answers whether a message to a chat is over a limit right now, and records accepted ones.

    Sends are recorded even while limits are off, so that turning them on (or changing them)
    judges the next send by what really happened just before.
    """

    def __init__(self, config: RateLimitConfig) -> None:
        self.config = config
        self._global = _Window(1.0)
        self._chats: dict[int, _Window] = {}

    def _chat_window(self, chat_id: int, chat_type: str) -> _Window:
        window = self._chats.get(chat_id)
        if window is None:
            window = _Window(1.0 if chat_type == "private" else 60.0)
            self._chats[chat_id] = window
        return window

    def _chat_limit(self, chat_type: str) -> int:
        if chat_type == "private":
            return self.config.private_per_second
        return self.config.group_per_minute

    def retry_after(self, chat_id: int, chat_type: str, now: float) -> int | None:
        """Seconds to wait if sending now would break a limit, else None."""
        if not self.config.enabled:
            return None
        global_wait = self._global.retry_after(now, self.config.global_per_second)
        chat_wait = self._chat_window(chat_id, chat_type).retry_after(
            now, self._chat_limit(chat_type)
        )
        waits = [w for w in (global_wait, chat_wait) if w is not None]
        return max(waits) if waits else None

    def record(self, chat_id: int, chat_type: str, now: float) -> None:
        self._global.record(now)
        self._chat_window(chat_id, chat_type).record(now)
