"""A chat's delivery preferences: quiet hours, daily digest, time zone. Parsing what the user
typed (with a clear message when it is wrong) and storing it on the Chat row."""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlmodel import Session

from bot.alerts import clock
from storage import queries
from storage.types import utcnow

_WINDOW = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–—]\s*(\d{1,2})(?::(\d{2}))?\s*$")
OFF_WORDS = frozenset({"off", "none", "no", "stop", "instant"})


class PreferenceError(ValueError):
    """What the user typed is not a valid setting; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class ChatPrefs:
    timezone: str
    quiet_start: int | None
    quiet_end: int | None
    digest_hour: int | None


def _minute(hours: str, minutes: str | None) -> int:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise PreferenceError(f"{h:02d}:{m:02d} is not a time of day.")
    return (h * 60 + m) % clock.MINUTES_PER_DAY


def parse_quiet(text: str) -> tuple[int, int] | None:
    """'22:00-07:00' → (1320, 420); 'off' → None."""
    text = text.strip()
    if text.lower() in OFF_WORDS:
        return None
    found = _WINDOW.match(text)
    if not found:
        raise PreferenceError(
            "Write quiet hours as HH:MM-HH:MM, e.g. /quiet 22:00-07:00, or /quiet off."
        )
    start, end = _minute(*found.group(1, 2)), _minute(*found.group(3, 4))
    if start == end:
        raise PreferenceError("Quiet hours must start and end at different times.")
    return start, end


def parse_digest_hour(text: str) -> int | None:
    """'8', '08', '08:00' → 8; 'off' → None (instant alerts)."""
    text = text.strip().lower()
    if text in OFF_WORDS:
        return None
    found = re.fullmatch(r"(\d{1,2})(?::00)?", text)
    if not found or int(found.group(1)) > 23:
        raise PreferenceError(
            "Write the digest hour as a number from 0 to 23, e.g. /digest 8, or /digest off."
        )
    return int(found.group(1))


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {z.casefold(): z for z in available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA zone name, any letter case ('europe/zurich' → 'Europe/Zurich')."""
    name = text.strip().replace(" ", "_")
    exact = _zones_by_folded_name().get(name.casefold())
    if exact is None:
        raise PreferenceError(
            "Unknown time zone. Write it as Area/City, e.g. /timezone Africa/Khartoum "
            "or /timezone Asia/Damascus."
        )
    try:
        ZoneInfo(exact)
    except (ZoneInfoNotFoundError, ValueError):
        raise PreferenceError("That time zone is not available on this server.") from None
    return exact


def _prefs(chat) -> ChatPrefs:
    return ChatPrefs(chat.timezone, chat.quiet_start, chat.quiet_end, chat.digest_hour)


def get(session: Session, chat_id: int, kind: str) -> ChatPrefs:
    return _prefs(queries.ensure_chat(session, chat_id, kind))


def set_quiet(
    session: Session, chat_id: int, kind: str, window: tuple[int, int] | None
) -> ChatPrefs:
    chat = queries.ensure_chat(session, chat_id, kind)
    chat.quiet_start, chat.quiet_end = window if window else (None, None)
    session.add(chat)
    return _prefs(chat)


def set_digest(
    session: Session, chat_id: int, kind: str, hour: int | None, now: datetime | None = None
) -> ChatPrefs:
    """Choose a daily digest at `hour` (local) or instant alerts (None). The first digest comes
    at the next stroke of that hour, not at once."""
    chat = queries.ensure_chat(session, chat_id, kind)
    chat.digest_hour = hour
    chat.last_digest_at = (now or utcnow()) if hour is not None else None
    session.add(chat)
    return _prefs(chat)


def set_timezone(session: Session, chat_id: int, kind: str, tz: str) -> ChatPrefs:
    chat = queries.ensure_chat(session, chat_id, kind)
    chat.timezone = tz
    session.add(chat)
    return _prefs(chat)


def describe(prefs: ChatPrefs) -> str:
    """The chat's settings as Telegram HTML."""
    if prefs.quiet_start is None or prefs.quiet_end is None:
        quiet = "off"
    else:
        quiet = f"{clock.format_minute(prefs.quiet_start)}–{clock.format_minute(prefs.quiet_end)}"
    delivery = (
        "instant alerts"
        if prefs.digest_hour is None
        else f"a daily digest at {prefs.digest_hour:02d}:00 (critical alerts still come at once)"
    )
    return (
        "<b>Settings for this chat</b>\n"
        f"Time zone: {escape(prefs.timezone)}\n"
        f"Quiet hours: {quiet} (critical alerts still come at once)\n"
        f"Delivery: {delivery}\n\n"
        "Change with /quiet 22:00-07:00 | off, /digest 8 | off, /timezone Area/City."
    )
