"""ACLED API: OAuth (account email + password), paged /api/acled/read, revisions in place.

The key-and-email method was retired in 2025: the bot logs in at the token endpoint with the
password grant (Settings.acled_email / acled_password), keeps the bearer token until it expires,
refreshes it with the refresh token, and logs in again if that fails. ACLED publishes weekly and
revises tolls in place on the same event id, so `fields.revision` carries the event's timestamp:
the poller updates the stored Report when it changes instead of adding one.

Source url: the read endpoint (https://acleddata.com/api/acled/read). params (optional):
country (name or list), lookback_days (default 30), limit (per page, default 5000),
max_pages (default 5), token_url (default ACLED's), filters (extra query parameters).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pycountry

from bot.config import Settings
from bot.sources.base import ParsedReport
from bot.sources.errors import ParseError
from bot.sources.fetcher import Fetcher, FetchRequest, FetchResult
from bot.sources.spec import Poll, SourceSpec
from bot.sources.text import clean_text
from bot.sources.usgs import load_json

TOKEN_URL = "https://acleddata.com/oauth/token"
CLIENT_ID = "acled"
CREDENTIALS_HELP = "ACLED needs an account: set ALERTBOT_ACLED_EMAIL and ALERTBOT_ACLED_PASSWORD"


@dataclass(slots=True)
class Token:
    access: str
    refresh: str | None
    expires_at: float  # time.monotonic()


_tokens: dict[tuple[str, str], Token] = {}  # (token url, email) → token; per process


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _iso3(row: dict[str, Any]) -> str | None:
    """ACLED gives the ISO 3166 numeric code ("760"); alerts speak ISO3 ("SYR")."""
    code = str(row.get("iso3") or "").upper()
    if len(code) == 3 and code.isalpha():
        return code
    numeric = _int(row.get("iso"))
    country = pycountry.countries.get(numeric=f"{numeric:03d}") if numeric else None
    return country.alpha_3 if country else None


def _event(row: dict[str, Any], source_name: str) -> ParsedReport | None:
    event_id = str(row.get("event_id_cnty") or "").strip()
    if not event_id:
        return None
    fatalities = _int(row.get("fatalities"))
    location = row.get("location") or ""
    admin1 = row.get("admin1") or ""
    country = row.get("country") or ""
    sub_type = row.get("sub_event_type") or row.get("event_type") or "Event"
    where = ", ".join(p for p in (location, admin1, country) if p)
    title = f"{sub_type} in {where}" if where else sub_type
    if fatalities:
        title += f": {fatalities} fatalities"
    notes = clean_text(row.get("notes"))
    fields: dict[str, Any] = {
        "event_type": row.get("event_type"),
        "sub_event_type": row.get("sub_event_type"),
        "admin1": admin1 or None,
        "admin2": row.get("admin2") or None,
        "location": location or None,
        "country_name": country or None,
        "fatalities": fatalities,
        "actors": [a for a in (row.get("actor1"), row.get("actor2")) if a],
        "reported_by": row.get("source") or None,
        "notes": notes or None,
        "revision": str(row.get("timestamp") or fatalities),
    }
    iso3 = _iso3(row)
    if iso3:
        fields["country"] = iso3
    with contextlib.suppress(KeyError, TypeError, ValueError):
        fields["lat"], fields["lon"] = float(row["latitude"]), float(row["longitude"])
    published = None
    with contextlib.suppress(ValueError):
        published = datetime.strptime(str(row.get("event_date")), "%Y-%m-%d").replace(tzinfo=UTC)
    return ParsedReport(
        external_id=f"acled:{event_id}",
        title=title,
        text=notes or title,
        url=None,
        published=published,
        source_name=source_name,
        fields={k: v for k, v in fields.items() if v not in (None, [], "")},
    )


def parse(body: bytes, source_name: str, content_type: str | None = None) -> list[ParsedReport]:  # noqa: ARG001
    """Reports of one /acled/read page."""
    data = load_json(body, "ACLED answer")
    if not isinstance(data, dict):
        raise ParseError("ACLED answer: not a JSON object")
    if data.get("success") is False:
        raise ParseError(f"ACLED refused the query: {clean_text(str(data.get('error')))[:300]}")
    rows = data.get("data")
    if not isinstance(rows, list):
        raise ParseError("ACLED answer: no 'data' list in it")
    events = [_event(r, source_name) for r in rows if isinstance(r, dict)]
    return [e for e in events if e is not None]


async def _token_request(fetcher: Fetcher, url: str, form: dict[str, str]) -> Token | str:
    result = await fetcher.fetch(FetchRequest(url, method="POST", data=form))
    if result.status != "ok":
        if result.http_status in (400, 401, 403):
            return "ACLED login refused: check ALERTBOT_ACLED_EMAIL and ALERTBOT_ACLED_PASSWORD"
        return f"ACLED login failed: {result.error}"
    try:
        data = load_json(result.body, "ACLED token answer")
        return Token(
            data["access_token"],
            data.get("refresh_token"),
            time.monotonic() + float(data.get("expires_in", 3600)) - 60,
        )
    except (ParseError, KeyError, TypeError, ValueError):
        return "ACLED login failed: the token endpoint gave no access_token"


async def bearer(
    fetcher: Fetcher, settings: Settings, token_url: str, *, renew: bool = False
) -> str | Token:
    """A valid token (cached, refreshed or new), or an error line."""
    if not settings.acled_email or settings.acled_password is None:
        return CREDENTIALS_HELP
    key = (token_url, settings.acled_email)
    token = _tokens.get(key)
    if token and not renew and token.expires_at > time.monotonic():
        return token
    fresh: Token | str = "no token"
    if token and token.refresh:
        fresh = await _token_request(
            fetcher,
            token_url,
            {"grant_type": "refresh_token", "refresh_token": token.refresh, "client_id": CLIENT_ID},
        )
    if not isinstance(fresh, Token):
        fresh = await _token_request(
            fetcher,
            token_url,
            {
                "grant_type": "password",
                "username": settings.acled_email,
                "password": settings.acled_password.get_secret_value(),
                "client_id": CLIENT_ID,
            },
        )
    if isinstance(fresh, Token):
        _tokens[key] = fresh
    return fresh


def _query(spec: SourceSpec, page: int, limit: int) -> dict[str, str]:
    p = spec.params
    days = int(p.get("lookback_days", 30))
    start = (datetime.now(UTC) - timedelta(days=days)).date().isoformat()
    end = datetime.now(UTC).date().isoformat()
    query = {
        "_format": "json",
        "limit": str(limit),
        "page": str(page),
        "event_date": f"{start}|{end}",
        "event_date_where": "BETWEEN",
    }
    countries = p.get("country")
    if countries:
        # ACLED's OR syntax: country=A:OR:country=B
        names = countries if isinstance(countries, list) else [countries]
        query["country"] = ":OR:country=".join(str(c) for c in names)
    query.update({str(k): str(v) for k, v in (p.get("filters") or {}).items()})
    return query


async def _read(
    fetcher: Fetcher, spec: SourceSpec, token: Token, query: dict[str, str]
) -> FetchResult:
    return await fetcher.fetch(
        FetchRequest(spec.url, params=query, headers={"Authorization": f"Bearer {token.access}"})
    )


async def fetch(spec: SourceSpec, fetcher: Fetcher, settings: Settings) -> Poll:
    token_url = str(spec.params.get("token_url") or TOKEN_URL)
    token = await bearer(fetcher, settings, token_url)
    if not isinstance(token, Token):
        return Poll.failed(token)
    limit = int(spec.params.get("limit", 5000))
    reports: list[ParsedReport] = []
    for page in range(1, max(1, int(spec.params.get("max_pages", 5))) + 1):
        query = _query(spec, page, limit)
        result = await _read(fetcher, spec, token, query)
        if result.http_status == 401:  # expired early or revoked: one new login
            token = await bearer(fetcher, settings, token_url, renew=True)
            if not isinstance(token, Token):
                return Poll.failed(token)
            result = await _read(fetcher, spec, token, query)
        if result.status == "error":
            return Poll.failed(f"ACLED: {result.error}", result)
        batch = parse(result.body, spec.name)
        reports += batch
        if len(batch) < limit:
            break
    return Poll("ok", reports=reports, http_status=200)
