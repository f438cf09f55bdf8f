"""Text helpers every parser shares: HTML to plain text, dates, stable ids, content hashes."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import nh3

_BLOCK = re.compile(r"<\s*(?:br|/p|p|/div|div|li|/li|tr|h[1-6]|/h[1-6])\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")
_WRAP = re.compile(r"(?<=\S)[ \t]*\n(?![ \t]*(?:\n|[-*•]\s|\d+[.)]\s))[ \t]*")


def clean_text(value: str | None) -> str:
    """Plain text from (possibly HTML) `value`: tags dropped, entities decoded, spaces tidied."""
    if not value:
        return ""
    # A line break inside a paragraph is mostly the feed's wrapping (and whitespace in HTML):
    # joined, so that sentences read whole; blank lines and list items keep their breaks.
    value = _WRAP.sub(" ", value.replace("\r\n", "\n"))
    if "<" in value:
        value = _BLOCK.sub("\n", value)
        # nh3 (a real HTML parser) drops every tag but keeps text; script/style content goes.
        value = nh3.clean(value, tags=set(), attributes={})
    value = html.unescape(value) if "&" in value else value
    lines = (_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


# Day and month names other than English that feeds put in RFC-822 dates.
_MONTHS = {
    "jan": "Jan", "janv": "Jan", "ene": "Jan", "gen": "Jan",
    "fev": "Feb", "fév": "Feb", "févr": "Feb", "feb": "Feb",
    "mar": "Mar", "mars": "Mar", "mär": "Mar", "marz": "Mar",
    "abr": "Apr", "avr": "Apr", "apr": "Apr",
    "mai": "May", "may": "May", "mag": "May",
    "jun": "Jun", "juin": "Jun", "giu": "Jun",
    "jul": "Jul", "juil": "Jul", "lug": "Jul",
    "ago": "Aug", "aoû": "Aug", "août": "Aug", "aug": "Aug",
    "set": "Sep", "sep": "Sep", "sept": "Sep",
    "out": "Oct", "oct": "Oct", "okt": "Oct", "ott": "Oct",
    "nov": "Nov",
    "dez": "Dec", "dic": "Dec", "déc": "Dec", "dec": "Dec",
}  # fmt: skip
_RFC822ISH = re.compile(
    r"^\s*(?:[^\W\d]+\.?,?\s+)?(\d{1,2})\s+([^\W\d]+)\.?\s+(\d{2,4})\s+(\d{1,2}:\d{2}(?::\d{2})?)"
    r"\s*(.*)$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(raw: str | None) -> datetime | None:
    """Aware UTC time from an RFC-822 (any common language) or ISO-8601 string.

    A time without a stated zone is *unknown* (None), never guessed; a bare date is midnight UTC.
    """
    if not raw or not raw.strip():
        return None
    raw = raw.strip()
    when = None
    if raw[:4].isdigit() and raw[4:5] == "-":  # ISO 8601 (checked first: no exception cost)
        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    if when is not None:
        if when.tzinfo is None:
            if not _ISO_DATE.match(raw):
                return None
            when = when.replace(tzinfo=UTC)
        return when.astimezone(UTC)
    m = _RFC822ISH.match(raw)
    if not m:
        return None
    day, month, year, clock, zone = m.groups()
    month_en = _MONTHS.get(month.lower()[:4]) or _MONTHS.get(month.lower()[:3])
    if month_en is None:
        return None
    zone = zone.strip() or ""
    if not zone:
        return None
    try:
        when = parsedate_to_datetime(f"{day} {month_en} {year} {clock} {zone}")
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC by RFC 5322
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def stable_id(*parts: str | None) -> str:
    """An id that stays the same while the parts do (items without a guid: link + title)."""
    joined = "\n".join(p or "" for p in parts)
    return "h:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:40]


def external_id(value: str | None, *fallback: str | None) -> str:
    """The source's own id when it has one (hashed when too long), else a stable_id."""
    value = (value or "").strip()
    if not value:
        return stable_id(*fallback)
    return value if len(value) <= 400 else stable_id(value)


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def content_hash(title: str, text: str) -> str:
    """Hash of the normalised title + text, equal for syndicated copies of one story."""
    norm = unicodedata.normalize("NFKC", f"{title} {text}").casefold()
    norm = _NON_WORD.sub(" ", norm).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()
