"""Keys that spot exact duplicates before clustering: the same URL, or the same text.

A syndicated copy (a wire story republished by several outlets) has its own URL and often its
own headline, but the same body: the text hash ignores case, whitespace, punctuation and the
title. A short text (a headline-only feed item) is hashed with its title instead, so two
different headlines with an empty body are not taken for one.
"""

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MIN_BODY = 60  # characters of normalised body below which the title is hashed with it
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ocid$|cmpid$|at_)", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def url_key(url: str | None) -> str | None:
    """The URL without scheme, "www.", fragment, tracking parameters or trailing slash."""
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = ""
    if parts.query:
        query = urlencode(
            sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k))
        )
    return urlunsplit(("", host, parts.path.rstrip("/") or "/", query, "")).removeprefix("//")


def normalise(text: str) -> str:
    """Lower case, accents kept, every run of punctuation and space made one space."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def text_hash(title: str, text: str) -> str | None:
    """SHA-256 of the normalised body (and title when the body is short); None when empty."""
    body = normalise(text)
    if len(body) < MIN_BODY:
        body = f"{normalise(title)} | {body}"
    if len(body) < 8:
        return None
    return hashlib.sha256(body.encode()).hexdigest()
