"""ReliefWeb API v2: /v2/reports and /v2/disasters, queried by POST with filters and paging.

Since November 2025 ReliefWeb answers 403 unless `appname` is an approved one; it comes from
Settings.reliefweb_appname (ALERTBOT_RELIEFWEB_APPNAME). Source params (all optional):
country (ISO3 or list), theme (name or list), disaster_type (name or list), limit (per page,
≤ 1000, default 100), max_pages (default 3), preset (default "latest"). Only items created
after the last successful poll are asked for (a date.created filter).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.sources.base import ParsedReport
from bot.sources.errors import ParseError
from bot.sources.fetcher import Fetcher, FetchRequest
from bot.sources.spec import Poll, SourceSpec
from bot.sources.text import clean_text, parse_date
from bot.sources.usgs import load_json

REPORT_FIELDS = [
    "title", "url", "url_alias", "date.created", "date.original", "primary_country", "country",
    "source", "disaster", "disaster_type", "theme", "format", "body", "body-html",
]  # fmt: skip
DISASTER_FIELDS = [
    "name", "url", "url_alias", "date.created", "date.event", "primary_country", "country",
    "type", "glide", "status", "description", "description-html",
]  # fmt: skip
NOT_COUNTRIES = {"", "WLD"}  # ReliefWeb's "World" pseudo-country
APPNAME_HELP = (
    "ReliefWeb refused the request (HTTP 403): it needs an approved appname. Request one from "
    "ReliefWeb and set ALERTBOT_RELIEFWEB_APPNAME to it."
)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _is_disasters(url: str) -> bool:
    return url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] == "disasters"


def query(spec: SourceSpec, offset: int, since: datetime | None) -> dict[str, Any]:
    """The POST body for one page."""
    p = spec.params
    disasters = _is_disasters(spec.url)
    conditions: list[dict[str, Any]] = []
    if countries := _as_list(p.get("country")):
        conditions.append({"field": "country.iso3", "value": [c.lower() for c in countries]})
    if themes := _as_list(p.get("theme")):
        conditions.append({"field": "theme.name", "value": themes})
    if types := _as_list(p.get("disaster_type")):
        conditions.append(
            {"field": "type.name" if disasters else "disaster_type.name", "value": types}
        )
    if since is not None:
        stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        conditions.append({"field": "date.created", "value": {"from": stamp}})
    body: dict[str, Any] = {
        "offset": offset,
        "limit": min(int(p.get("limit", 100)), 1000),
        "preset": p.get("preset", "latest"),
        "fields": {"include": DISASTER_FIELDS if disasters else REPORT_FIELDS},
        "sort": ["date.created:desc"],
    }
    if conditions:
        body["filter"] = {"operator": "AND", "conditions": conditions}
    return body


def _names(items: Any, key: str = "name") -> list[str]:
    return [i[key] for i in _as_list(items) if isinstance(i, dict) and i.get(key)]


def _item(item: dict[str, Any], source_name: str) -> ParsedReport | None:
    f = item.get("fields") or {}
    item_id = str(item.get("id") or f.get("id") or "")
    if not item_id:
        return None
    title = clean_text(f.get("title") or f.get("name") or "")
    body = f.get("body-html") or f.get("body") or f.get("description-html") or f.get("description")
    text = clean_text(body) or title
    fields: dict[str, Any] = {"reliefweb_id": item_id}
    primary = f.get("primary_country") or {}
    countries = [
        c.upper() for c in _names(f.get("country"), "iso3") if c.upper() not in NOT_COUNTRIES
    ]
    if isinstance(primary, dict) and str(primary.get("iso3", "")).upper() not in NOT_COUNTRIES:
        fields["country"] = primary["iso3"].upper()
        countries = [fields["country"]] + [c for c in countries if c != fields["country"]]
        if primary.get("shortname") or primary.get("name"):
            fields["country_name"] = primary.get("shortname") or primary["name"]
    if countries:
        fields["countries"] = countries
    if sources := _names(f.get("source"), "shortname") or _names(f.get("source")):
        fields["publishers"] = sources
    if types := _names(f.get("disaster_type")) or _names(f.get("type")):
        fields["disaster_types"] = types
        fields["event_type"] = types[0]
    if themes := _names(f.get("theme")):
        fields["themes"] = themes
    if disasters := _names(f.get("disaster")):
        fields["disasters"] = disasters
    if glides := _names(f.get("disaster"), "glide") or ([f["glide"]] if f.get("glide") else []):
        fields["glide"] = glides[0]
    if formats := _names(f.get("format")):
        fields["format"] = formats[0]
    dates = f.get("date") or {}
    published = parse_date(dates.get("original") or dates.get("event") or dates.get("created"))
    return ParsedReport(
        external_id=f"rw:{item_id}",
        title=title,
        text=text,
        url=f.get("url") or f.get("url_alias") or item.get("href"),
        published=published,
        source_name=source_name,
        fields=fields,
    )


def parse(body: bytes, source_name: str, content_type: str | None = None) -> list[ParsedReport]:  # noqa: ARG001
    """Reports of one ReliefWeb API answer page (v2, and v1 which has the same shape)."""
    data = load_json(body, "ReliefWeb answer")
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ParseError("ReliefWeb answer: no 'data' list in it")
    reports = [_item(i, source_name) for i in data["data"] if isinstance(i, dict)]
    return [r for r in reports if r is not None]


async def fetch(spec: SourceSpec, fetcher: Fetcher, settings: Settings) -> Poll:
    """Every page of new items (up to max_pages), newest first."""
    appname = settings.reliefweb_appname
    if not appname:
        return Poll.failed("ReliefWeb needs an approved appname: set ALERTBOT_RELIEFWEB_APPNAME")
    # First poll: the last day only, not the whole archive.
    since = spec.since or datetime.now(UTC) - timedelta(days=1)
    limit = min(int(spec.params.get("limit", 100)), 1000)
    reports: list[ParsedReport] = []
    for page in range(max(1, int(spec.params.get("max_pages", 3)))):
        req = FetchRequest(
            spec.url,
            method="POST",
            params={"appname": appname},
            json=query(spec, page * limit, since),
        )
        result = await fetcher.fetch(req)
        if result.http_status == 403:
            return Poll.failed(APPNAME_HELP, result)
        if result.status == "error":
            return Poll.failed(result.error or "fetch failed", result)
        data = load_json(result.body, "ReliefWeb answer")
        batch = parse(result.body, spec.name)
        reports += batch
        if len(batch) < limit or offset_done(data, (page + 1) * limit):
            break
    return Poll("ok", reports=reports, http_status=200)


def offset_done(data: dict[str, Any], fetched: int) -> bool:
    total = data.get("totalCount")
    return isinstance(total, int) and fetched >= total
