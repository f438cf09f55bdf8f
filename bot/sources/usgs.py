"""USGS earthquake GeoJSON summary feeds: magnitude, PAGER alert level, place, tsunami flag."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.sources.base import ParsedReport
from bot.sources.errors import ParseError
from bot.sources.text import clean_text

PAGER_LEVELS = ("green", "yellow", "orange", "red")


def load_json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"{what}: not valid JSON ({exc})") from None


def _feature(feature: dict[str, Any], source_name: str) -> ParsedReport | None:
    props = feature.get("properties") or {}
    event_id = feature.get("id") or props.get("code")
    if not event_id:
        return None
    coords = (feature.get("geometry") or {}).get("coordinates") or []
    fields: dict[str, Any] = {"event_type": "earthquake"}
    if len(coords) >= 2:
        fields["lon"], fields["lat"] = float(coords[0]), float(coords[1])
    if len(coords) >= 3 and coords[2] is not None:
        fields["depth_km"] = float(coords[2])
    if props.get("mag") is not None:
        fields["magnitude"] = float(props["mag"])
    alert = (props.get("alert") or "").lower()
    if alert in PAGER_LEVELS:
        fields["alert_level"] = alert  # PAGER also has yellow, between green and orange
    if props.get("place"):
        fields["location"] = props["place"]
    fields["tsunami"] = bool(props.get("tsunami"))
    if props.get("sig") is not None:
        fields["significance"] = props["sig"]
    published = None
    if isinstance(props.get("time"), int | float):
        published = datetime.fromtimestamp(props["time"] / 1000, tz=UTC)
    title = clean_text(props.get("title") or f"M {props.get('mag')} - {props.get('place')}")
    parts = [title]
    if alert:
        parts.append(f"PAGER alert level: {alert}.")
    if props.get("tsunami"):
        parts.append("A tsunami message was issued.")
    return ParsedReport(
        external_id=str(event_id),
        title=title,
        text=" ".join(parts),
        url=props.get("url"),
        published=published,
        source_name=source_name,
        fields={**fields, "revision": props.get("updated")},
    )


def parse(body: bytes, source_name: str, content_type: str | None = None) -> list[ParsedReport]:  # noqa: ARG001
    """Reports of a USGS GeoJSON FeatureCollection."""
    data = load_json(body, "USGS feed")
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ParseError("USGS feed: not a GeoJSON FeatureCollection")
    reports = [_feature(f, source_name) for f in data.get("features") or []]
    return [r for r in reports if r is not None]
