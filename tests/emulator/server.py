"""A local Telegram Bot API emulator for tests and benchmarks.

What it covers
--------------
python-telegram-bot talks to it unmodified: ``Bot(token, base_url=f"{url}/bot")``. It serves
``/bot<token>/<method>`` (GET or POST; query string, urlencoded or multipart form with
JSON-encoded nested values, or a JSON body) and answers exactly as Telegram does:
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": "...",
"parameters": {...}}`` with HTTP status N. A wrong token gets 401 ``Unauthorized``, an unknown
method 404 ``Not Found``. Dates are in seconds; message ids count per chat.

Methods: getMe, getUpdates (offset confirms, limit, real long polling on ``timeout``,
allowed_updates remembered, a newer call ends an older one with 409), deleteWebhook,
setWebhook, getWebhookInfo, getChat, sendMessage, sendPhoto, sendDocument, getFile,
editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction,
setMyCommands, getMyCommands, deleteMyCommands (per scope and language), logOut, close.
getFile answers with an absolute local ``file_path``, as the official server does in
``--local`` mode, so python-telegram-bot reads the file from disk (no file URL to set up).

sendMessage checks Telegram HTML (documented tags only, well nested, only ``&lt; &gt; &amp;
&quot;`` and numeric entities; a stray ``&`` is refused, which Telegram would let through, to
catch unescaped outside text), trims surrounding whitespace, refuses empty text and more than
4096 visible characters (1024 for captions), returns the plain text with entities (UTF-16
offsets) and keeps inline keyboards (callback_data at most 64 bytes). Markdown is accepted but
not parsed. A chat id never seen before is a new chat: positive = private, ``-100…`` =
supergroup, other negative = group.

Where it knowingly differs from Telegram: a stray ``&`` is refused (see above); lengths are
counted in code points; only sendMessage, sendPhoto and sendDocument count against the flood
limits (edits, actions and callback answers do not), and the limits are strict sliding windows
with no burst allowance, so they err on the strict side; inline mode,
payments, media groups, webhooks (setWebhook is only remembered) and Markdown parsing are not
emulated.

Control routes (JSON in, JSON out; ``tests/emulator/client.py`` wraps each one)
---------------------------------------------------------------------------------
- ``POST /_test/reset``: forget chats, messages, updates, faults and counters; limits back
  to launch settings.
- ``GET /_test/stats``: calls per method, ``answered_429`` (rate limits + injected),
  ``rate_limited``, ``faults_injected``, ``forbidden``, ``messages_total``,
  ``messages_per_chat``, ``duplicates`` (same chat and same text sent more than once).
- ``POST /_test/chats``: declare a chat ``{id, type, title | first_name, username}``.
- ``POST /_test/inject/message``: a user writes ``{chat_id, text, user_id?, chat_type?,
  first_name?, username?, title?, reply_to_message_id?}``; commands get ``bot_command``
  entities (``/cmd`` and ``/cmd@botname``). Writing to a bot one blocked unblocks it.
- ``POST /_test/inject/document``: a user sends a file ``{chat_id, file_name, content |
  content_base64, caption?, mime_type?, user_id?}``; ``GET /_test/files/{file_id}`` gives
  back the bytes of any file sent either way.
- ``POST /_test/inject/callback_query``: a user presses a button ``{chat_id, message_id,
  data | button_text, user_id?}``; the button must exist unless ``force`` is true.
- ``GET /_test/chats/{id}/messages[?all=1]``: the bot's messages (visible ``text``,
  ``sent_text``, ``parse_mode``, ``entities``, ``reply_markup``, ``edits``, ``deleted``) plus
  the chat's ``actions``, ``blocked`` and ``migrated_to``; ``all=1`` adds the users' messages.
- ``GET /_test/chats/{id}/wait?count=N&timeout=S``: waits for the N-th bot message (408 and
  the messages so far on timeout).
- ``POST /_test/chats/{id}/block`` ``{reason: blocked | kicked | deactivated}`` and
  ``/unblock``: sends get 403; a ``my_chat_member`` update tells the bot, as Telegram does.
- ``POST /_test/chats/{id}/migrate`` ``{new_chat_id?}``: the group becomes a supergroup;
  sends to the old id get 400 with ``parameters.migrate_to_chat_id``.
- ``POST /_test/faults`` ``{method | "*", chat_id?, kind, count, retry_after?, seconds?,
  status?, description?, processed?}``; kinds: ``429`` (with retry_after), ``500``, ``error``
  (any status/description), ``delay`` (answer normally after ``seconds``), ``timeout`` (no
  answer for ``seconds``, default 30, then 504; with ``processed`` the call takes effect
  anyway, as when Telegram delivered but the answer was lost).
  ``GET`` lists them with what remains, ``DELETE`` clears them.
- ``GET|POST /_test/rate_limits`` ``{enabled, global_per_second, private_per_second,
  group_per_minute}``: Telegram's limits over sliding windows (30 per second overall, 1 per
  second per private chat, 20 per minute per group or channel), off unless enabled; beyond them
  sends get 429 ``Too Many Requests: retry after N`` with ``parameters.retry_after``.
- ``GET /_test/callback_answers``, ``GET /_test/commands``, ``GET /_test/updates``.

Running it
----------
``python -m tests.emulator --token T [--host 127.0.0.1] [--port 0] [--bot-username NAME]
[--rate-limits] [--global-per-second 30] [--private-per-second 1] [--group-per-minute 20]``
prints ``READY <port>`` once listening and stops on SIGTERM. In pytest: ``pytest_plugins =
["tests.emulator.fixtures"]`` (or import ``emulator``) for the ``emulator`` client fixture and
``emulator_bot`` (an initialized ``telegram.Bot``); in scripts: ``async with
tests.emulator.process.running_emulator(rate_limits=True) as emulator: ...``.
``python -m tests.emulator.throughput`` prints how fast it answers (about 0.3 ms of CPU per
sendMessage, over 3,000 calls per CPU-second), far above Telegram's 30 messages/s.

Nothing is logged: request paths carry the token, and message texts are the users' business.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import traceback
from typing import Any

from aiohttp import web

from tests.emulator.bot_api import BotApi
from tests.emulator.control import Control
from tests.emulator.params import ApiError, Params, read_params
from tests.emulator.state import EmulatorState, Fault

_UNAUTHORIZED = ApiError(401, "Unauthorized")
_NOT_FOUND = ApiError(404, "Not Found")


class BotApiRoutes:
    """Dispatches /bot<token>/<method> to BotApi, applying scripted faults first."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.api = BotApi(state)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        state = self.state
        if request.match_info["token"] != state.token:
            return _UNAUTHORIZED.response()
        entry = self.api.methods.get(request.match_info["method"].lower())
        if entry is None:
            return _NOT_FOUND.response()
        name, method = entry
        state.counters.calls[name] += 1
        try:
            params = await read_params(request)
            fault = state.take_fault(name, _chat_id(params)) if state.faults else None
            if fault is not None:
                return await self._faulted(fault, method, params)
            return _ok(await method(params))
        except ApiError as exc:
            if exc.code == 429:
                state.counters.answered_429 += 1
            return exc.response()
        except Exception as exc:
            # A bug in the emulator must show up in the test output, not as a hang.
            traceback.print_exc(file=sys.stderr)
            return ApiError(500, f"Internal Server Error: emulator failed in {name}: "
                                 f"{type(exc).__name__}").response()

    async def _faulted(self, fault: Fault, method: Any, params: Params) -> web.StreamResponse:
        counters = self.state.counters
        counters.faults_injected += 1
        if fault.kind == "429":
            counters.answered_429 += 1
            return ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                            {"retry_after": fault.retry_after}).response()
        if fault.kind == "500":
            return ApiError(500, fault.description or "Internal Server Error").response()
        if fault.kind == "error":
            return ApiError(fault.status, fault.description or "Internal Server Error").response()
        if fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
            return _ok(await method(params))
        # "timeout": hold the answer longer than the client waits, optionally after acting.
        if fault.processed:
            with contextlib.suppress(ApiError):
                await method(params)
        await asyncio.sleep(fault.seconds)
        return ApiError(504, "Gateway Timeout").response()


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _chat_id(params: Params) -> int | None:
    raw = params.text("chat_id")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def build_app(state: EmulatorState) -> web.Application:
    app = web.Application(client_max_size=60 * 1024 * 1024)
    routes = BotApiRoutes(state)
    app.router.add_route("*", r"/bot{token}/{method}", routes.handle)
    app.router.add_routes(Control(state).routes())
    app["state"] = state
    return app
