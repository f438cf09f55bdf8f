"""Telegram's flood limits, kept on our side so that a 429 is the exception, not the pace.

Times are the event loop's monotonic clock (seconds). Limits: one global rate for the bot
token, 1 message/s per private chat, 20/min per group or channel. Each is spread evenly rather
than sent in bursts, with a small margin below the limit, because the server counts arrival
times in sliding windows and a burst at a window's edge would be refused.
"""

from collections import deque
from dataclasses import dataclass, field

GLOBAL_MARGIN = 0.98  # send at 98 % of the configured rate
PRIVATE_INTERVAL = 1.1  # seconds between two messages to one private chat
GROUP_INTERVAL = 3.1  # 20/min → 3 s, plus margin
FLOOD_WINDOW = 1.0  # 429s for this many different chats within this window → bot-wide flood
FLOOD_CHATS = 3


def chat_interval(kind: str) -> float:
    return PRIVATE_INTERVAL if kind == "private" else GROUP_INTERVAL


@dataclass(slots=True)
class Pacer:
    rate: float  # messages per second for the whole bot
    next_global: float = 0.0
    paused_until: float = 0.0  # bot-wide flood wait
    chat_ready: dict[int, float] = field(default_factory=dict)
    recent_floods: deque = field(default_factory=deque)  # (time, chat id)
    recent_sends: deque = field(default_factory=deque)  # times of the last `burst` sends

    @property
    def interval(self) -> float:
        return 1.0 / (self.rate * GLOBAL_MARGIN)

    @property
    def burst(self) -> int:
        """Sends counted by the window check: as many as the server allows per second."""
        return max(1, int(self.rate))

    def global_wait(self, now: float) -> float:
        """Seconds until the next message may go, whatever chat it is for. Besides the even
        spacing, any `burst` + 1 consecutive sends span at least `burst` intervals, so catching
        up after a late timer never crowds the server's one-second window."""
        wait = max(0.0, self.next_global - now, self.paused_until - now)
        if len(self.recent_sends) >= self.burst:
            wait = max(wait, self.recent_sends[0] + self.burst * self.interval - now)
        return wait

    def ready_at(self, chat_id: int) -> float:
        return self.chat_ready.get(chat_id, 0.0)

    def take(self, chat_id: int, kind: str, now: float) -> None:
        """Book one message to `chat_id` at `now`."""
        # Keep to the schedule when a send starts a little late (timer and loop overhead), so
        # those small delays do not add up to a slower pace; after a real gap, start afresh.
        behind = now - self.next_global
        start = self.next_global if 0 <= behind < self.interval else max(self.next_global, now)
        self.next_global = start + self.interval
        self.recent_sends.append(now)
        if len(self.recent_sends) > self.burst:
            self.recent_sends.popleft()
        self.chat_ready[chat_id] = now + chat_interval(kind)

    def flood(self, chat_id: int, retry_after: float, now: float) -> str:
        """Telegram answered 429 for `chat_id`: pause that chat, or the whole bot when several
        chats were refused at once (the answer itself does not say which limit was hit).
        Returns the scope paused: "chat" or "global"."""
        self.chat_ready[chat_id] = max(self.ready_at(chat_id), now + retry_after)
        floods = self.recent_floods
        floods.append((now, chat_id))
        while floods and floods[0][0] < now - FLOOD_WINDOW:
            floods.popleft()
        if len({c for _, c in floods}) >= FLOOD_CHATS:
            self.paused_until = max(self.paused_until, now + retry_after)
            return "global"
        return "chat"

    def forget_idle(self, now: float) -> None:
        """Drop chats whose pacing no longer matters (keeps memory flat over long runs)."""
        if len(self.chat_ready) > 10_000:
            self.chat_ready = {c: t for c, t in self.chat_ready.items() if t > now}
