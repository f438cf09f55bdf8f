"""What the emulator remembers: chats, messages, pending updates, faults and counters."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.emulator.files import FileStore
from tests.emulator.rate_limits import RateLimitConfig, RateLimiter

DEFAULT_UPDATE_TYPES = frozenset(
    {"message", "edited_message", "callback_query", "my_chat_member", "channel_post"}
)


def now_seconds() -> int:
    return int(time.time())


class Changes:
    """Wakes every waiter when something changes; waiters re-check their own condition.

    Take `current()` before checking the condition, then `wait(event, ...)` on it: a change
    in between has already set that event, so nothing is missed.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def current(self) -> asyncio.Event:
        return self._event

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    @staticmethod
    async def wait(event: asyncio.Event, timeout: float) -> None:
        """Wait for the change or the timeout, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)


@dataclass
class BotUser:
    id: int
    first_name: str
    username: str

    def as_api(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": True, "first_name": self.first_name,
                "username": self.username}


@dataclass
class MessageVersion:
    """One version of a bot message: what was sent and what Telegram made of it."""

    text: str  # visible text after parsing
    sent_text: str  # as the bot sent it (HTML source when parse_mode is HTML)
    parse_mode: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    date: int

    def as_control(self) -> dict[str, Any]:
        return {"text": self.text, "sent_text": self.sent_text, "parse_mode": self.parse_mode,
                "entities": self.entities, "reply_markup": self.reply_markup, "date": self.date}


@dataclass
class MessageRecord:
    message_id: int
    chat_id: int
    date: int
    from_user: dict[str, Any]
    from_bot: bool
    kind: str  # "text", "photo" or "document"
    current: MessageVersion
    history: list[MessageVersion] = field(default_factory=list)  # earlier versions, oldest first
    edit_date: int | None = None
    deleted: bool = False
    photo: list[dict[str, Any]] | None = None
    document: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. reply_to_message, service fields

    def as_api(self, chat: dict[str, Any]) -> dict[str, Any]:
        """The Message object as the Bot API returns it."""
        message: dict[str, Any] = {"message_id": self.message_id, "from": self.from_user,
                                   "chat": chat, "date": self.date}
        version = self.current
        if self.kind in ("photo", "document"):
            message[self.kind] = self.photo if self.kind == "photo" else self.document
            if version.text:
                message["caption"] = version.text
                if version.entities:
                    message["caption_entities"] = version.entities
        elif self.kind == "text":
            message["text"] = version.text
            if version.entities:
                message["entities"] = version.entities
        if version.reply_markup and version.reply_markup.get("inline_keyboard"):
            message["reply_markup"] = version.reply_markup
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        message.update(self.extra)
        return message

    def as_control(self) -> dict[str, Any]:
        """The message as tests read it: the current version plus its edit history."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "from_bot": self.from_bot,
            "from": self.from_user,
            "kind": self.kind,
            "photo": self.photo,
            "document": self.document,
            **self.current.as_control(),
            "date": self.date,
            "edit_date": self.edit_date,
            "edits": [v.as_control() for v in self.history],
            "deleted": self.deleted,
        }


@dataclass
class ChatRecord:
    id: int
    type: str  # private, group, supergroup, channel
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    next_message_id: int = 1
    blocked: str | None = None  # the 403 description while the bot cannot write here
    migrated_to: int | None = None
    messages: list[MessageRecord] = field(default_factory=list)
    by_id: dict[int, MessageRecord] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)

    @classmethod
    def implicit(cls, chat_id: int) -> ChatRecord:
        """A chat first seen in a bot call: its type follows from the id, as on Telegram."""
        if chat_id > 0:
            return cls(chat_id, "private", first_name=f"User {chat_id}")
        if str(chat_id).startswith("-100"):
            return cls(chat_id, "supergroup", title=f"Supergroup {chat_id}")
        return cls(chat_id, "group", title=f"Group {chat_id}")

    def as_api(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "last_name", "username"):
            value = getattr(self, key)
            if value is not None:
                chat[key] = value
        return chat

    def add_message(self, record: MessageRecord) -> None:
        self.messages.append(record)
        self.by_id[record.message_id] = record

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class Fault:
    """A scripted answer for the next `remaining` calls of a method (optionally in one chat)."""

    id: int
    method: str  # a Bot API method name, or "*" for all
    chat_id: int | None
    kind: str  # "429", "500", "error", "delay", "timeout"
    remaining: int
    retry_after: int = 1
    seconds: float = 0.0
    status: int = 500
    description: str = ""
    processed: bool = False  # for "timeout": carry the call out although no answer comes

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.remaining <= 0 or self.method not in (method, "*"):
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


@dataclass
class Counters:
    calls: Counter[str] = field(default_factory=Counter)
    answered_429: int = 0
    rate_limited: int = 0
    faults_injected: int = 0
    forbidden: int = 0
    messages_per_chat: Counter[int] = field(default_factory=Counter)
    deliveries: Counter[tuple[int, str]] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        duplicates = {key: n for key, n in self.deliveries.items() if n > 1}
        return {
            "calls": dict(self.calls),
            "answered_429": self.answered_429,
            "rate_limited": self.rate_limited,
            "faults_injected": self.faults_injected,
            "forbidden": self.forbidden,
            "messages_total": sum(self.messages_per_chat.values()),
            "messages_per_chat": {str(k): v for k, v in self.messages_per_chat.items()},
            "duplicates": sum(n - 1 for n in duplicates.values()),
            "duplicate_messages": [
                {"chat_id": chat_id, "text": text, "times": n}
                for (chat_id, text), n in list(duplicates.items())[:100]
            ],
        }


class EmulatorState:
    """Everything one bot token sees; one instance per emulator process."""

    def __init__(
        self, token: str, rate_limits: RateLimitConfig, bot_username: str = "alert_test_bot"
    ) -> None:
        self.token = token
        self.launch_rate_limits = rate_limits
        bot_id = token.split(":", 1)[0]
        # Telegram's bot id is the token's numeric prefix.
        self.bot = BotUser(int(bot_id) if bot_id.isdigit() else 1000001, "Alert Test Bot",
                           bot_username)
        self.changes = Changes()  # fired on new updates and on anything the bot does
        self.files = FileStore()
        # Kept across reset(): a bot still polling confirms by update id, which must only grow.
        self.next_update_id = 100001
        self.poll_generation = 0
        self.reset()

    def reset(self) -> None:
        self.chats: dict[int, ChatRecord] = {}
        self.updates: list[dict[str, Any]] = []
        self.webhook_url = ""
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.next_callback_id = 1
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.faults: list[Fault] = []
        self.next_fault_id = 1
        self.counters = Counters()
        self.rate_limits = RateLimitConfig(**self.launch_rate_limits.as_dict())
        self.limiter = RateLimiter(self.rate_limits)

    def set_rate_limits(self, config: RateLimitConfig) -> None:
        self.rate_limits = config
        self.limiter.config = config

    def chat(self, chat_id: int) -> ChatRecord:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = ChatRecord.implicit(chat_id)
        return chat

    def find_chat_by_username(self, username: str) -> ChatRecord | None:
        for chat in self.chats.values():
            if chat.username and chat.username.lower() == username.lower():
                return chat
        return None

    def notify(self) -> None:
        self.changes.fire()

    def add_update(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, kind: payload})
        self.notify()
        return update_id

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, chat_id):
                fault.remaining -= 1
                return fault
        return None

    def bot_messages(self, chat_id: int) -> list[MessageRecord]:
        chat = self.chats.get(chat_id)
        return [m for m in chat.messages if m.from_bot] if chat else []
