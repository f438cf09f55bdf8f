"""Test-only routes under /_test/: play the users, read what the bot did, script failures."""

from __future__ import annotations

import base64
import mimetypes
import re
import time
from typing import Any

from aiohttp import web

from tests.emulator.rate_limits import RateLimitConfig
from tests.emulator.state import (
    ChatRecord,
    EmulatorState,
    Fault,
    MessageRecord,
    MessageVersion,
    now_seconds,
)
from tests.emulator.telegram_html import utf16_len

# A command is "/" + up to 32 word characters, optionally "@botname", at a word start.
_COMMAND_RE = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@/])")
_FORBIDDEN = {
    "blocked": "Forbidden: bot was blocked by the user",
    "kicked": "Forbidden: bot was kicked from the group chat",
    "deactivated": "Forbidden: user is deactivated",
}
_FAULT_KINDS = frozenset({"429", "500", "error", "delay", "timeout"})


class ControlError(Exception):
    """A test asked for something impossible; answered as 400 with a readable reason."""


def _error(message: str, status: int = 400) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise ControlError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(f"{name} must be an integer, got {value!r}") from None


def _seconds(value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ControlError(f"seconds must be a number, got {value!r}") from None
    if seconds < 0:
        raise ControlError("seconds must not be negative")
    return seconds


class Control:
    """The /_test/ routes over one EmulatorState."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/_test/reset", self._wrap(self.reset)),
            web.get("/_test/stats", self._wrap(self.stats)),
            web.post("/_test/chats", self._wrap(self.register_chat)),
            web.post("/_test/inject/message", self._wrap(self.inject_message)),
            web.post("/_test/inject/callback_query", self._wrap(self.inject_callback_query)),
            web.post("/_test/inject/document", self._wrap(self.inject_document)),
            web.get("/_test/files/{file_id}", self._wrap(self.file_content)),
            web.get("/_test/chats/{chat_id}/messages", self._wrap(self.chat_messages)),
            web.get("/_test/chats/{chat_id}/wait", self._wrap(self.wait_messages)),
            web.post("/_test/chats/{chat_id}/block", self._wrap(self.block)),
            web.post("/_test/chats/{chat_id}/unblock", self._wrap(self.unblock)),
            web.post("/_test/chats/{chat_id}/migrate", self._wrap(self.migrate)),
            web.post("/_test/faults", self._wrap(self.add_fault)),
            web.get("/_test/faults", self._wrap(self.list_faults)),
            web.delete("/_test/faults", self._wrap(self.clear_faults)),
            web.get("/_test/rate_limits", self._wrap(self.get_rate_limits)),
            web.post("/_test/rate_limits", self._wrap(self.set_rate_limits)),
            web.get("/_test/callback_answers", self._wrap(self.callback_answers)),
            web.get("/_test/commands", self._wrap(self.commands)),
            web.get("/_test/updates", self._wrap(self.pending_updates)),
        ]

    @staticmethod
    def _wrap(handler: Any) -> Any:
        async def route(request: web.Request) -> web.Response:
            try:
                result = await handler(request)
            except ControlError as exc:
                return _error(str(exc))
            if isinstance(result, web.Response):
                return result
            return web.json_response(result)

        return route

    # --- state and counters ----------------------------------------------------------------

    async def reset(self, request: web.Request) -> dict[str, Any]:
        self.state.reset()
        self.state.notify()
        return {"ok": True}

    async def stats(self, request: web.Request) -> dict[str, Any]:
        return self.state.counters.as_dict()

    async def register_chat(self, request: web.Request) -> dict[str, Any]:
        body = await _body(request)
        chat = self._ensure_chat(body, _int(body.get("id"), "id"))
        return chat.as_api()

    def _ensure_chat(self, body: dict[str, Any], chat_id: int) -> ChatRecord:
        chat = self.state.chat(chat_id)
        chat_type = body.get("chat_type") or body.get("type")
        if chat_type:
            if chat_type not in ("private", "group", "supergroup", "channel"):
                raise ControlError(f"unknown chat type {chat_type!r}")
            chat.type = chat_type
        if chat.type == "private":
            chat.title = None
            for key in ("first_name", "last_name", "username"):
                if body.get(key):
                    setattr(chat, key, body[key])
        else:
            chat.first_name = chat.last_name = None
            chat.title = body.get("title") or chat.title or f"Group {chat_id}"
            if body.get("chat_username"):
                chat.username = body["chat_username"]
        return chat

    # --- what users do ---------------------------------------------------------------------

    async def inject_message(self, request: web.Request) -> dict[str, Any]:
        """A user writes `text` in a chat; the bot receives it as a `message` update."""
        body = await _body(request)
        text = body.get("text")
        if not isinstance(text, str) or not text:
            raise ControlError("text must be a non-empty string")
        return self._user_message(body, "text", text, _command_entities(text), {})

    async def inject_document(self, request: web.Request) -> dict[str, Any]:
        """A user sends a file (`content` as text or `content_base64`) with an optional caption."""
        body = await _body(request)
        if isinstance(body.get("content_base64"), str):
            try:
                content = base64.b64decode(body["content_base64"], validate=True)
            except ValueError:
                raise ControlError("content_base64 is not valid base64") from None
        elif isinstance(body.get("content"), str):
            content = body["content"].encode("utf-8")
        else:
            raise ControlError("give the file as content (text) or content_base64")
        file_name = str(body.get("file_name") or "file.bin")
        mime_type = str(body.get("mime_type") or mimetypes.guess_type(file_name)[0]
                        or "application/octet-stream")
        stored = self.state.files.add(content, file_name, mime_type)
        caption = str(body.get("caption") or "")
        extra: dict[str, Any] = {"document": stored.as_document()}
        if caption:
            extra["caption"] = caption
        answer = self._user_message(body, "document", caption, [], extra)
        answer["file_id"] = stored.file_id
        return answer

    def _user_message(self, body: dict[str, Any], kind: str, text: str,
                      entities: list[dict[str, Any]], fields: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(body.get("chat_id"), "chat_id")
        chat = self._ensure_chat(body, chat_id)
        if chat.migrated_to is not None:
            raise ControlError(f"chat {chat_id} was migrated to {chat.migrated_to}")
        user = self._user(body, chat)
        if chat.type == "private" and chat.blocked is not None:
            # Writing to a bot again means the user restarted (unblocked) it.
            self._set_blocked(chat, None, notify=True)
        message: dict[str, Any] = {"message_id": chat.take_message_id(), "from": user,
                                   "chat": chat.as_api(), "date": now_seconds()}
        if kind == "text":
            message["text"] = text
            if entities:
                message["entities"] = entities
        message.update(fields)
        record = MessageRecord(message["message_id"], chat.id, message["date"], user, False,
                               kind, MessageVersion(text, text, None, entities, None,
                                                    message["date"]))
        record.document = fields.get("document")
        reply_to = body.get("reply_to_message_id")
        if reply_to is not None:
            replied = chat.by_id.get(_int(reply_to, "reply_to_message_id"))
            if replied is None:
                raise ControlError(f"no message {reply_to} in chat {chat_id}")
            message["reply_to_message"] = replied.as_api(chat.as_api())
            record.extra["reply_to_message"] = message["reply_to_message"]
        chat.add_message(record)
        update_id = self.state.add_update("message", message)
        return {"update_id": update_id, "message": message}

    async def inject_callback_query(self, request: web.Request) -> dict[str, Any]:
        """A user presses an inline button under a bot message (by `data` or `button_text`)."""
        body = await _body(request)
        chat_id = _int(body.get("chat_id"), "chat_id")
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise ControlError(f"no chat {chat_id}")
        message_id = _int(body.get("message_id"), "message_id")
        record = chat.by_id.get(message_id)
        if record is None or record.deleted or not record.from_bot:
            raise ControlError(f"no bot message {message_id} in chat {chat_id}")
        data = self._button_data(record, body)
        user = self._user(body, chat)
        state = self.state
        query_id = str(4_200_000_000_000_000_000 + state.next_callback_id)
        state.next_callback_id += 1
        state.callback_queries[query_id] = {"chat_id": chat_id, "message_id": message_id,
                                            "data": data, "answered": False}
        query = {
            "id": query_id,
            "from": user,
            "message": record.as_api(chat.as_api()),
            # Telegram gives every chat a stable opaque instance id.
            "chat_instance": str((chat_id * 2654435761) % (1 << 62)),
            "data": data,
        }
        update_id = state.add_update("callback_query", query)
        return {"update_id": update_id, "callback_query_id": query_id, "data": data}

    @staticmethod
    def _button_data(record: MessageRecord, body: dict[str, Any]) -> str:
        markup = record.current.reply_markup or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row
                   if "callback_data" in b]
        wanted_text = body.get("button_text")
        wanted_data = body.get("data")
        for button in buttons:
            if wanted_text is not None and button["text"] == wanted_text:
                return str(button["callback_data"])
            if wanted_text is None and button["callback_data"] == wanted_data:
                return str(wanted_data)
        if body.get("force") and wanted_data is not None:
            return str(wanted_data)  # a stale or forged button press
        shown = [(b["text"], b["callback_data"]) for b in buttons]
        wanted = f"text {wanted_text!r}" if wanted_text is not None else f"data {wanted_data!r}"
        raise ControlError(
            f"message {record.message_id} has no button with {wanted}; its buttons are {shown}"
        )

    def _user(self, body: dict[str, Any], chat: ChatRecord) -> dict[str, Any]:
        default_id = chat.id if chat.type == "private" else 7_000_001
        user: dict[str, Any] = {
            "id": _int(body.get("user_id", default_id), "user_id"),
            "is_bot": False,
            "first_name": body.get("first_name") or chat.first_name or "Test",
        }
        for key in ("last_name", "username", "language_code"):
            value = body.get(key) or (getattr(chat, key, None) if chat.type == "private" else None)
            if value:
                user[key] = value
        return user

    # --- what the bot did ------------------------------------------------------------------

    def _messages(self, chat_id: int, include_users: bool) -> list[dict[str, Any]]:
        chat = self.state.chats.get(chat_id)
        if chat is None:
            return []
        return [m.as_control() for m in chat.messages if include_users or m.from_bot]

    async def chat_messages(self, request: web.Request) -> dict[str, Any]:
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        include_users = request.query.get("all") in ("1", "true")
        chat = self.state.chats.get(chat_id)
        return {
            "chat": chat.as_api() if chat else None,
            "blocked": chat.blocked if chat else None,
            "migrated_to": chat.migrated_to if chat else None,
            "actions": list(chat.actions) if chat else [],
            "messages": self._messages(chat_id, include_users),
        }

    async def wait_messages(self, request: web.Request) -> web.Response:
        """Answer once the chat holds `count` bot messages, or 408 after `timeout` seconds."""
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        count = _int(request.query.get("count", "1"), "count")
        try:
            timeout = float(request.query.get("timeout", "5"))
        except ValueError:
            raise ControlError("timeout must be a number of seconds") from None
        state = self.state
        deadline = time.monotonic() + timeout
        while True:
            event = state.changes.current()
            have = len(state.bot_messages(chat_id))
            remaining = deadline - time.monotonic()
            if have >= count or remaining <= 0:
                break
            await state.changes.wait(event, remaining)
        messages = self._messages(chat_id, include_users=False)
        if have >= count:
            return web.json_response({"messages": messages})
        return web.json_response(
            {"error": f"chat {chat_id} has {have} bot message(s), wanted {count}, after "
                      f"{timeout:g} s", "messages": messages},
            status=408,
        )

    async def file_content(self, request: web.Request) -> web.Response:
        """The bytes of a file the bot or a user sent, by file_id."""
        stored = self.state.files.get(request.match_info["file_id"])
        if stored is None:
            return _error(f"no file {request.match_info['file_id']}", 404)
        return web.Response(body=stored.path.read_bytes(), content_type=stored.mime_type)

    async def callback_answers(self, request: web.Request) -> list[dict[str, Any]]:
        return self.state.callback_answers

    async def commands(self, request: web.Request) -> dict[str, Any]:
        return self.state.commands

    async def pending_updates(self, request: web.Request) -> list[dict[str, Any]]:
        return self.state.updates

    # --- chats the bot can no longer write to ----------------------------------------------

    async def block(self, request: web.Request) -> dict[str, Any]:
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        body = await _body(request)
        reason = body.get("reason") or "blocked"
        if reason not in _FORBIDDEN:
            raise ControlError(f"reason must be one of {sorted(_FORBIDDEN)}")
        chat = self.state.chat(chat_id)
        self._set_blocked(chat, _FORBIDDEN[reason], notify=body.get("notify", True))
        return {"chat_id": chat_id, "description": chat.blocked}

    async def unblock(self, request: web.Request) -> dict[str, Any]:
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        body = await _body(request)
        chat = self.state.chat(chat_id)
        self._set_blocked(chat, None, notify=body.get("notify", True))
        return {"chat_id": chat_id, "description": None}

    def _set_blocked(self, chat: ChatRecord, description: str | None, notify: bool) -> None:
        was_blocked = chat.blocked is not None
        chat.blocked = description
        if not notify or was_blocked == (description is not None):
            return
        if description is not None and "deactivated" in description:
            return  # a deleted account sends no update
        # Telegram tells the bot about its new status in the chat with a my_chat_member update.
        old, new = ("member", "kicked") if description else ("kicked", "member")
        bot = self.state.bot.as_api()
        user = {"id": chat.id if chat.type == "private" else 7_000_001, "is_bot": False,
                "first_name": chat.first_name or "Admin"}
        self.state.add_update("my_chat_member", {
            "chat": chat.as_api(),
            "from": user,
            "date": now_seconds(),
            "old_chat_member": _member(old, bot),
            "new_chat_member": _member(new, bot),
        })

    async def migrate(self, request: web.Request) -> dict[str, Any]:
        """Upgrade a group to a supergroup: sends to the old id then answer migrate_to_chat_id."""
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        body = await _body(request)
        chat = self.state.chat(chat_id)
        if chat.type != "group" or chat.migrated_to is not None:
            raise ControlError(f"chat {chat_id} is a {chat.type}; only a basic group migrates")
        new_id = _int(body.get("new_chat_id", f"-100{abs(chat_id)}"), "new_chat_id")
        if new_id in self.state.chats or not str(new_id).startswith("-100"):
            raise ControlError(f"new_chat_id {new_id} must be a new id starting with -100")
        new_chat = self.state.chat(new_id)
        new_chat.title = chat.title
        chat.migrated_to = new_id
        if body.get("notify", True):
            user = {"id": 7_000_001, "is_bot": False, "first_name": "Admin"}
            for record, extra in ((chat, {"migrate_to_chat_id": new_id}),
                                  (new_chat, {"migrate_from_chat_id": chat_id})):
                self.state.add_update("message", {
                    "message_id": record.take_message_id(), "from": user,
                    "chat": record.as_api(), "date": now_seconds(), **extra,
                })
        return {"chat_id": chat_id, "new_chat_id": new_id}

    # --- faults and limits -----------------------------------------------------------------

    async def add_fault(self, request: web.Request) -> dict[str, Any]:
        body = await _body(request)
        kind = str(body.get("kind", ""))
        if kind not in _FAULT_KINDS:
            raise ControlError(f"kind must be one of {sorted(_FAULT_KINDS)}")
        method = body.get("method")
        if not isinstance(method, str) or not method:
            raise ControlError('method must be a Bot API method name or "*"')
        chat_id = body.get("chat_id")
        state = self.state
        fault = Fault(
            id=state.next_fault_id,
            method=method,
            chat_id=None if chat_id is None else _int(chat_id, "chat_id"),
            kind=kind,
            remaining=_int(body.get("count", 1), "count"),
            retry_after=_int(body.get("retry_after", 1), "retry_after"),
            seconds=_seconds(body.get("seconds", 30.0 if kind == "timeout" else 0.0)),
            status=_int(body.get("status", 500), "status"),
            description=str(body.get("description", "")),
            processed=bool(body.get("processed", False)),
        )
        state.next_fault_id += 1
        state.faults.append(fault)
        return fault.as_dict()

    async def list_faults(self, request: web.Request) -> list[dict[str, Any]]:
        return [fault.as_dict() for fault in self.state.faults]

    async def clear_faults(self, request: web.Request) -> dict[str, Any]:
        self.state.faults.clear()
        return {"ok": True}

    async def get_rate_limits(self, request: web.Request) -> dict[str, object]:
        return self.state.rate_limits.as_dict()

    async def set_rate_limits(self, request: web.Request) -> dict[str, object]:
        body = await _body(request)
        current = self.state.rate_limits.as_dict()
        unknown = set(body) - set(current)
        if unknown:
            raise ControlError(f"unknown rate limit settings {sorted(unknown)}")
        merged = {**current, **body}
        config = RateLimitConfig(
            enabled=bool(merged["enabled"]),
            global_per_second=_int(merged["global_per_second"], "global_per_second"),
            private_per_second=_int(merged["private_per_second"], "private_per_second"),
            group_per_minute=_int(merged["group_per_minute"], "group_per_minute"),
        )
        self.state.set_rate_limits(config)
        return config.as_dict()


def _member(status: str, bot: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": bot}
    if status == "kicked":
        member["until_date"] = 0
    return member


def _command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities as Telegram marks them (offsets in UTF-16 code units)."""
    entities = []
    for match in _COMMAND_RE.finditer(text):
        entities.append({"type": "bot_command", "offset": utf16_len(text[: match.start()]),
                         "length": utf16_len(match.group())})
    return entities
