"""An async client for the emulator's /_test/ routes, so tests read like what users do."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Any

import httpx

DEFAULT_TOKEN = "7000000001:TEST-emulator-token-not-a-real-one"


class EmulatorError(AssertionError):
    """The emulator refused a control call, or what a test waited for did not happen."""


def buttons(message: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(text, callback_data) of every inline button under a message, row by row."""
    markup = message.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data")) for row in markup.get("inline_keyboard", [])
            for b in row]


class EmulatorClient:
    """Talks to one running emulator: `base_url` and `token` are what the bot needs."""

    def __init__(self, url: str, token: str = DEFAULT_TOKEN) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.base_url = f"{self.url}/bot"  # python-telegram-bot appends the token
        self.bot_username = "alert_test_bot"
        self.pid: int | None = None  # the emulator process, when started by running_emulator
        self._http = httpx.AsyncClient(base_url=self.url, timeout=30.0)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _call(self, verb: str, path: str, body: dict[str, Any] | None = None,
                    params: dict[str, Any] | None = None, timeout: float = 30.0) -> Any:
        response = await self._http.request(verb, path, json=body, params=params,
                                            timeout=timeout)
        if response.status_code != 200:
            raise EmulatorError(f"{verb} {path}: {response.status_code} {response.text}")
        return response.json()

    # --- state and counters ----------------------------------------------------------------

    async def reset(self) -> None:
        """Forget chats, messages, updates, faults and counters."""
        await self._call("POST", "/_test/reset")

    async def stats(self) -> dict[str, Any]:
        """Calls per method, answered_429, rate_limited, messages_per_chat, duplicates, ..."""
        return await self._call("GET", "/_test/stats")

    async def add_chat(self, chat_id: int, chat_type: str = "private", **names: str) -> dict:
        """Declare a chat (names: title, first_name, last_name, username)."""
        return await self._call("POST", "/_test/chats", {"id": chat_id, "type": chat_type,
                                                         **names})

    # --- what users do ---------------------------------------------------------------------

    async def inject_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        title: str | None = None,
        language_code: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """A user writes `text` in the chat; returns the Message the bot will receive."""
        body = {"chat_id": chat_id, "text": text, "user_id": user_id, "chat_type": chat_type,
                "first_name": first_name, "last_name": last_name, "username": username,
                "title": title, "language_code": language_code,
                "reply_to_message_id": reply_to_message_id}
        answer = await self._call("POST", "/_test/inject/message",
                                  {k: v for k, v in body.items() if v is not None})
        return answer["message"]

    async def inject_document(
        self,
        chat_id: int,
        content: bytes | str,
        file_name: str,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        user_id: int | None = None,
        first_name: str | None = None,
        chat_type: str | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """A user sends a file; returns the Message (its `document` has the file_id).

        The bot can fetch it with getFile, which answers with a local absolute path."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        body: dict[str, Any] = {"chat_id": chat_id, "file_name": file_name,
                                "content_base64": base64.b64encode(data).decode("ascii")}
        for key, value in (("caption", caption), ("mime_type", mime_type),
                           ("user_id", user_id), ("first_name", first_name),
                           ("chat_type", chat_type), ("title", title)):
            if value is not None:
                body[key] = value
        answer = await self._call("POST", "/_test/inject/document", body)
        return answer["message"]

    async def file_content(self, file_id: str) -> bytes:
        """The bytes of a file the bot sent (message["document"]["file_id"]) or a user sent."""
        response = await self._http.get(f"/_test/files/{file_id}")
        if response.status_code != 200:
            raise EmulatorError(f"file {file_id}: {response.status_code} {response.text}")
        return response.content

    async def press_button(
        self,
        chat_id: int,
        message_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        user_id: int | None = None,
        first_name: str | None = None,
        force: bool = False,
    ) -> str:
        """A user presses the button with this callback `data` (or label `text`); returns the
        callback query id. The button must be on the message unless `force` is true."""
        body: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "force": force}
        for key, value in (("data", data), ("button_text", text), ("user_id", user_id),
                           ("first_name", first_name)):
            if value is not None:
                body[key] = value
        answer = await self._call("POST", "/_test/inject/callback_query", body)
        return answer["callback_query_id"]

    # --- what the bot did ------------------------------------------------------------------

    async def chat(self, chat_id: int, include_users: bool = False) -> dict[str, Any]:
        """The chat as the emulator knows it: messages, actions, blocked, migrated_to."""
        params = {"all": "1"} if include_users else None
        return await self._call("GET", f"/_test/chats/{chat_id}/messages", params=params)

    async def messages(self, chat_id: int, include_users: bool = False) -> list[dict[str, Any]]:
        """The bot's messages in the chat, oldest first, each with its edit history."""
        return (await self.chat(chat_id, include_users))["messages"]

    async def texts(self, chat_id: int) -> list[str]:
        """The visible text (or caption) of each bot message in the chat."""
        return [m["text"] for m in await self.messages(chat_id)]

    async def wait_for_message(self, chat_id: int, n: int = 1,
                               timeout: float = 5.0) -> dict[str, Any]:
        """The n-th bot message in the chat (1-based), waiting up to `timeout` seconds."""
        response = await self._http.get(f"/_test/chats/{chat_id}/wait",
                                        params={"count": n, "timeout": timeout},
                                        timeout=timeout + 10)
        answer = response.json()
        if response.status_code != 200:
            texts = [m["text"] for m in answer.get("messages", [])]
            raise EmulatorError(f"{answer.get('error', response.text)}; so far: {texts}")
        return answer["messages"][n - 1]

    async def wait_for_text(self, chat_id: int, contains: str,
                            timeout: float = 5.0) -> dict[str, Any]:
        """The first bot message in the chat whose visible text contains `contains`."""
        deadline = time.monotonic() + timeout
        while True:
            messages = await self.messages(chat_id)
            for message in messages:
                if contains in message["text"]:
                    return message
            if time.monotonic() >= deadline:
                texts = [m["text"] for m in messages]
                raise EmulatorError(f"no bot message in chat {chat_id} contains {contains!r} "
                                    f"after {timeout:g} s; so far: {texts}")
            await asyncio.sleep(0.02)

    async def wait_for_edit(self, chat_id: int, message_id: int, edits: int = 1,
                            timeout: float = 5.0) -> dict[str, Any]:
        """The message once it has been edited `edits` times (or deleted)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in await self.messages(chat_id) if m["message_id"] == message_id]
            if found and (len(found[0]["edits"]) >= edits or found[0]["deleted"]):
                return found[0]
            if time.monotonic() >= deadline:
                raise EmulatorError(f"message {message_id} in chat {chat_id} was not edited "
                                    f"{edits} time(s) within {timeout:g} s: {found}")
            await asyncio.sleep(0.02)

    async def callback_answers(self) -> list[dict[str, Any]]:
        """Every answerCallbackQuery the bot made (text, show_alert, data, chat_id, ...)."""
        return await self._call("GET", "/_test/callback_answers")

    async def commands(self) -> dict[str, list[dict[str, str]]]:
        """Command menus set with setMyCommands, by scope key ('default|lang=', ...)."""
        return await self._call("GET", "/_test/commands")

    async def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot."""
        return await self._call("GET", "/_test/updates")

    # --- chats the bot can no longer write to ----------------------------------------------

    async def block(self, chat_id: int, reason: str = "blocked", notify: bool = True) -> None:
        """From now on sends to the chat get 403 (reason: blocked, kicked or deactivated)."""
        await self._call("POST", f"/_test/chats/{chat_id}/block",
                         {"reason": reason, "notify": notify})

    async def unblock(self, chat_id: int, notify: bool = True) -> None:
        await self._call("POST", f"/_test/chats/{chat_id}/unblock", {"notify": notify})

    async def migrate(self, chat_id: int, new_chat_id: int | None = None,
                      notify: bool = True) -> int:
        """Upgrade a group to a supergroup; returns the supergroup's id."""
        body: dict[str, Any] = {"notify": notify}
        if new_chat_id is not None:
            body["new_chat_id"] = new_chat_id
        answer = await self._call("POST", f"/_test/chats/{chat_id}/migrate", body)
        return answer["new_chat_id"]

    # --- faults and limits -----------------------------------------------------------------

    async def add_fault(
        self,
        method: str,
        kind: str,
        *,
        count: int = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
        seconds: float | None = None,
        status: int | None = None,
        description: str | None = None,
        processed: bool = False,
    ) -> dict[str, Any]:
        """The next `count` calls of `method` ("*" for any), optionally only for one chat,
        get a scripted answer. kind: "429", "500", "error", "delay" or "timeout"."""
        body: dict[str, Any] = {"method": method, "kind": kind, "count": count,
                                "retry_after": retry_after, "processed": processed}
        for key, value in (("chat_id", chat_id), ("seconds", seconds), ("status", status),
                           ("description", description)):
            if value is not None:
                body[key] = value
        return await self._call("POST", "/_test/faults", body)

    async def faults(self) -> list[dict[str, Any]]:
        return await self._call("GET", "/_test/faults")

    async def clear_faults(self) -> None:
        await self._call("DELETE", "/_test/faults")

    async def set_rate_limits(
        self,
        enabled: bool = True,
        *,
        global_per_second: int | None = None,
        private_per_second: int | None = None,
        group_per_minute: int | None = None,
    ) -> dict[str, Any]:
        """Turn Telegram's flood limits on (or off) and optionally change them."""
        body: dict[str, Any] = {"enabled": enabled}
        for key, value in (("global_per_second", global_per_second),
                           ("private_per_second", private_per_second),
                           ("group_per_minute", group_per_minute)):
            if value is not None:
                body[key] = value
        return await self._call("POST", "/_test/rate_limits", body)

    async def rate_limits(self) -> dict[str, Any]:
        return await self._call("GET", "/_test/rate_limits")
