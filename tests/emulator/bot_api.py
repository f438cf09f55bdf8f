"""The Bot API methods the bot uses, answering as Telegram does (results and error wording)."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.web_request import FileField

from tests.emulator.params import ApiError, Params, bad_request
from tests.emulator.state import (
    DEFAULT_UPDATE_TYPES,
    ChatRecord,
    EmulatorState,
    MessageRecord,
    MessageVersion,
    now_seconds,
)
from tests.emulator.telegram_html import HtmlError, Parsed, parse_html, strip_parsed

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
     "upload_document", "choose_sticker", "find_location", "record_video_note",
     "upload_video_note"}
)
_BUTTON_ACTIONS = frozenset(
    {"callback_data", "url", "web_app", "login_url", "switch_inline_query",
     "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
     "callback_game", "pay"}
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"

Method = Callable[[Params], Awaitable[Any]]


class BotApi:
    """One coroutine per Bot API method; each returns the `result` or raises ApiError."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.methods: dict[str, tuple[str, Method]] = {}
        for name, method in (
            ("getMe", self.get_me),
            ("logOut", self.always_true),
            ("close", self.always_true),
            ("deleteWebhook", self.delete_webhook),
            ("setWebhook", self.set_webhook),
            ("getWebhookInfo", self.get_webhook_info),
            ("getUpdates", self.get_updates),
            ("getChat", self.get_chat),
            ("sendMessage", self.send_message),
            ("sendPhoto", self.send_photo),
            ("sendDocument", self.send_document),
            ("getFile", self.get_file),
            ("editMessageText", self.edit_message_text),
            ("editMessageReplyMarkup", self.edit_message_reply_markup),
            ("deleteMessage", self.delete_message),
            ("answerCallbackQuery", self.answer_callback_query),
            ("setMyCommands", self.set_my_commands),
            ("getMyCommands", self.get_my_commands),
            ("deleteMyCommands", self.delete_my_commands),
            ("sendChatAction", self.send_chat_action),
        ):
            # Telegram matches method names case-insensitively.
            self.methods[name.lower()] = (name, method)

    # --- bot and updates -------------------------------------------------------------------

    async def get_me(self, params: Params) -> dict[str, Any]:
        return {
            **self.state.bot.as_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def always_true(self, params: Params) -> bool:
        return True

    async def delete_webhook(self, params: Params) -> bool:
        self.state.webhook_url = ""
        if params.flag("drop_pending_updates"):
            self.state.updates.clear()
        return True

    async def set_webhook(self, params: Params) -> bool:
        self.state.webhook_url = params.text("url") or ""
        if params.flag("drop_pending_updates"):
            self.state.updates.clear()
        return True

    async def get_webhook_info(self, params: Params) -> dict[str, Any]:
        return {"url": self.state.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self.state.updates)}

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        state = self.state
        if self.state.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = params.integer("offset") or 0
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(params.number("timeout") or 0.0, 0.0)
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            # Telegram remembers the last list given; an empty one means the default types.
            state.allowed_updates = frozenset(allowed) or DEFAULT_UPDATE_TYPES
        self._confirm(offset)
        # A newer getUpdates ends an older one still waiting, with 409, as on Telegram.
        state.poll_generation += 1
        generation = state.poll_generation
        state.notify()
        deadline = time.monotonic() + timeout
        while True:
            event = state.changes.current()
            if generation != state.poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                    "sure that only one bot instance is running")
            ready = self._pending(limit)
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                return ready
            await state.changes.wait(event, remaining)

    def _confirm(self, offset: int) -> None:
        updates = self.state.updates
        if offset > 0:
            self.state.updates = [u for u in updates if u["update_id"] >= offset]
        elif offset < 0:
            self.state.updates = updates[offset:]

    def _pending(self, limit: int) -> list[dict[str, Any]]:
        allowed = self.state.allowed_updates
        # Updates of types the bot did not ask for are dropped, not kept for later.
        kept = [u for u in self.state.updates if _update_type(u) in allowed]
        self.state.updates = kept
        return kept[:limit]

    async def get_chat(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        return {
            **chat.as_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                    "unique_gifts": False, "premium_subscription": False,
                                    "gifts_from_channels": False},
        }

    # --- sending and editing ---------------------------------------------------------------

    async def send_message(self, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(params)
        text = params.text("text")
        if not text:
            raise bad_request("message text is empty")
        version = self._version(params, text, MAX_TEXT, "message is too long")
        if not version.text:
            raise bad_request("message text is empty")
        self._check_rate(chat)
        record = self._new_bot_message(chat, "text", version, params)
        return record.as_api(chat.as_api())

    async def send_photo(self, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(params)
        photo = params.file("photo")
        if photo is None or photo == "":
            raise bad_request("there is no photo in the request")
        caption = params.text("caption") or ""
        version = self._version(params, caption, MAX_CAPTION, "message caption is too long",
                                entities_field="caption_entities")
        self._check_rate(chat)
        record = self._new_bot_message(chat, "photo", version, params)
        record.photo = _photo_sizes(photo, chat.id, record.message_id)
        return record.as_api(chat.as_api())

    async def send_document(self, params: Params) -> dict[str, Any]:
        chat = self._writable_chat(params)
        document = params.file("document")
        if document is None or document == "":
            raise bad_request("there is no document in the request")
        caption = params.text("caption") or ""
        version = self._version(params, caption, MAX_CAPTION, "message caption is too long",
                                entities_field="caption_entities")
        if isinstance(document, FileField):
            stored = self.state.files.add(document.file.read(), document.filename or "file",
                                          document.content_type or "application/octet-stream")
        else:
            stored = self.state.files.get(document)
            if stored is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        self._check_rate(chat)
        record = self._new_bot_message(chat, "document", version, params)
        record.document = stored.as_document()
        return record.as_api(chat.as_api())

    async def get_file(self, params: Params) -> dict[str, Any]:
        stored = self.state.files.get(params.text("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.as_file()

    async def edit_message_text(self, params: Params) -> dict[str, Any]:
        chat, record = self._editable_message(params)
        if record.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text = params.text("text")
        if not text:
            raise bad_request("message text is empty")
        version = self._version(params, text, MAX_TEXT, "message is too long")
        if not version.text:
            raise bad_request("message text is empty")
        self._apply_edit(record, version)
        self.state.notify()
        return record.as_api(chat.as_api())

    async def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        chat, record = self._editable_message(params)
        current = record.current
        version = MessageVersion(current.text, current.sent_text, current.parse_mode,
                                 current.entities, _reply_markup(params), now_seconds())
        self._apply_edit(record, version)
        self.state.notify()
        return record.as_api(chat.as_api())

    async def delete_message(self, params: Params) -> bool:
        chat = self._chat(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        record = chat.by_id.get(message_id)
        if record is None or record.deleted:
            raise bad_request("message to delete not found")
        record.deleted = True
        self.state.notify()
        return True

    async def answer_callback_query(self, params: Params) -> bool:
        query_id = params.text("callback_query_id")
        if not query_id:
            raise bad_request("callback_query_id is empty")
        query = self.state.callback_queries.get(query_id)
        if query is None or query.get("answered"):
            raise bad_request(QUERY_TOO_OLD)
        text = params.text("text") or ""
        if len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.state.callback_answers.append({
            "callback_query_id": query_id,
            "chat_id": query["chat_id"],
            "message_id": query["message_id"],
            "data": query["data"],
            "text": text,
            "show_alert": params.flag("show_alert"),
            "url": params.text("url"),
            "cache_time": params.integer("cache_time") or 0,
        })
        self.state.notify()
        return True

    async def send_chat_action(self, params: Params) -> bool:
        chat = self._writable_chat(params)
        action = params.text("action")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.actions.append(action)
        return True

    # --- command menus ---------------------------------------------------------------------

    async def set_my_commands(self, params: Params) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        cleaned = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = str(item.get("command", "")).removeprefix("/")
            description = str(item.get("description", "")).strip()
            if not _COMMAND_RE.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        self.state.commands[_scope_key(params)] = cleaned
        return True

    async def get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        return self.state.commands.get(_scope_key(params), [])

    async def delete_my_commands(self, params: Params) -> bool:
        self.state.commands.pop(_scope_key(params), None)
        return True

    # --- shared steps ----------------------------------------------------------------------

    def _chat(self, params: Params) -> ChatRecord:
        raw = params.text("chat_id")
        if not raw:
            raise bad_request("chat_id is empty")
        if raw.startswith("@"):
            chat = self.state.find_chat_by_username(raw[1:])
            if chat is None:
                raise bad_request("chat not found")
            return chat
        try:
            chat_id = int(raw)
        except ValueError:
            raise bad_request("chat not found") from None
        if chat_id == 0:
            raise bad_request("chat not found")
        return self.state.chat(chat_id)

    def _writable_chat(self, params: Params) -> ChatRecord:
        """The target chat, or Telegram's answer when the bot may not write there."""
        chat = self._chat(params)
        if chat.migrated_to is not None:
            raise bad_request("group chat was upgraded to a supergroup chat",
                              {"migrate_to_chat_id": chat.migrated_to})
        if chat.blocked is not None:
            self.state.counters.forbidden += 1
            raise ApiError(403, chat.blocked)
        return chat

    def _editable_message(self, params: Params) -> tuple[ChatRecord, MessageRecord]:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._writable_chat(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        record = chat.by_id.get(message_id)
        if record is None or record.deleted:
            raise bad_request("message to edit not found")
        if not record.from_bot:
            raise bad_request("message can't be edited")
        return chat, record

    def _version(
        self,
        params: Params,
        text: str,
        max_length: int,
        too_long: str,
        entities_field: str = "entities",
    ) -> MessageVersion:
        parse_mode = params.text("parse_mode") or None
        parsed = _parse(text, parse_mode, params.json(entities_field))
        parsed = strip_parsed(parsed)
        if len(parsed.text) > max_length:
            raise bad_request(too_long)
        return MessageVersion(parsed.text, text, parse_mode, parsed.entities,
                              _reply_markup(params), now_seconds())

    def _check_rate(self, chat: ChatRecord) -> None:
        state = self.state
        retry_after = state.limiter.retry_after(chat.id, chat.type, time.monotonic())
        if retry_after is not None:
            state.counters.rate_limited += 1
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                           {"retry_after": retry_after})

    def _new_bot_message(
        self, chat: ChatRecord, kind: str, version: MessageVersion, params: Params
    ) -> MessageRecord:
        state = self.state
        state.limiter.record(chat.id, chat.type, time.monotonic())
        record = MessageRecord(chat.take_message_id(), chat.id, version.date,
                               state.bot.as_api(), True, kind, version)
        reply = _reply_to(chat, params)
        if reply is not None:
            record.extra["reply_to_message"] = reply.as_api(chat.as_api())
        chat.add_message(record)
        counters = state.counters
        counters.messages_per_chat[chat.id] += 1
        sent = version.sent_text if kind == "text" else f"[{kind}] {version.sent_text}"
        counters.deliveries[(chat.id, sent)] += 1
        state.notify()
        return record

    def _apply_edit(self, record: MessageRecord, version: MessageVersion) -> None:
        current = record.current
        if (version.text == current.text and version.entities == current.entities
                and version.reply_markup == current.reply_markup):
            raise bad_request(NOT_MODIFIED)
        record.history.append(current)
        record.current = version
        record.edit_date = version.date


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def _parse(text: str, parse_mode: str | None, entities: Any) -> Parsed:
    if parse_mode is None:
        return Parsed(text, entities if isinstance(entities, list) else [])
    mode = parse_mode.lower()
    if mode == "html":
        try:
            return parse_html(text)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    if mode in ("markdown", "markdownv2"):
        # Markdown is not parsed here: the text is kept as sent (the bot uses HTML).
        return Parsed(text, [])
    raise bad_request(f"unsupported parse_mode {parse_mode}")


def _reply_markup(params: Params) -> dict[str, Any] | None:
    try:
        markup = params.json("reply_markup")
    except ApiError:
        raise bad_request("can't parse reply keyboard markup JSON object") from None
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard button: field \"inline_keyboard\" of "
                          "the InlineKeyboardMarkup must be an Array of Arrays")
    for row in rows:
        for button in row:
            _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not button["text"]:
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in button if key in _BUTTON_ACTIONS]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Unsupported URL "
                              "protocol")


def _reply_to(chat: ChatRecord, params: Params) -> MessageRecord | None:
    reply_parameters = params.json("reply_parameters")
    message_id = None
    may_skip = params.flag("allow_sending_without_reply")
    if isinstance(reply_parameters, dict):
        message_id = reply_parameters.get("message_id")
        may_skip = bool(reply_parameters.get("allow_sending_without_reply"))
    elif "reply_to_message_id" in params:
        message_id = params.integer("reply_to_message_id")
    if message_id is None:
        return None
    try:
        record = chat.by_id.get(int(message_id))
    except (TypeError, ValueError):
        raise bad_request("invalid reply_parameters") from None
    if record is None or record.deleted:
        if may_skip:
            return None
        raise bad_request("message to be replied not found")
    return record


def _photo_sizes(photo: FileField | str, chat_id: int, message_id: int) -> list[dict[str, Any]]:
    size = len(photo.file.read()) if isinstance(photo, FileField) else len(photo)
    stem = f"AgAC{abs(chat_id)}x{message_id}"
    return [
        {"file_id": f"{stem}s", "file_unique_id": f"{stem}us", "width": 90, "height": 60,
         "file_size": max(size // 20, 1)},
        {"file_id": f"{stem}m", "file_unique_id": f"{stem}um", "width": 800, "height": 533,
         "file_size": max(size, 1)},
    ]


def _scope_key(params: Params) -> str:
    scope = params.json("scope")
    if not isinstance(scope, dict):
        scope = {"type": "default"}
    parts = [str(scope.get("type", "default"))]
    for key in ("chat_id", "user_id"):
        if key in scope:
            parts.append(f"{key}={scope[key]}")
    language = params.text("language_code") or ""
    return "|".join(parts) + f"|lang={language}"
