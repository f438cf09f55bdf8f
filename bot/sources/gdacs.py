"""GDACS RSS/GeoRSS: alert level (green/orange/red), event type, severity, population, country.

feedparser keeps the attributes of gdacs:severity / gdacs:population but drops their text
("Magnitude 6.37", "121 killed and 2400 displaced"), so a second, plain XML pass reads it.
Trap kept in mind: for floods the population `value` is the killed count.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from bot.sources import rss
from bot.sources.base import ParsedReport

GDACS_NS = "{http://www.gdacs.org}"
LEVELS = {"green": "green", "orange": "orange", "red": "red"}
_KILLED = re.compile(r"(\d[\d,]*)\s+killed", re.I)
_DISPLACED = re.compile(r"(\d[\d,]*)\s+displaced", re.I)


def _number(value: Any) -> float | int | None:
    try:
        num = float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None
    return int(num) if num.is_integer() else num


def _element_texts(body: bytes) -> dict[str, dict[str, str]]:
    """guid → {"severity": text, "population": text} read straight from the XML."""
    try:
        root = ET.fromstring(rss.repair(body).lstrip(b"\xef\xbb\xbf"))
    except ET.ParseError:
        return {}
    out: dict[str, dict[str, str]] = {}
    for item in root.iter("item"):
        guid = (item.findtext("guid") or "").strip()
        texts = {}
        for name in ("severity", "population"):
            el = item.find(f"{GDACS_NS}{name}")
            if el is not None and el.text and el.text.strip():
                texts[name] = el.text.strip()
        if guid:
            out[guid] = texts
    return out


def _toll(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, pattern in (("fatalities", _KILLED), ("displaced", _DISPLACED)):
        m = pattern.search(text)
        if m:
            out[key] = int(m.group(1).replace(",", ""))
    return out


def gdacs_fields(entry: Any, texts: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    level = LEVELS.get(str(entry.get("gdacs_alertlevel", "")).strip().lower())
    if level:
        fields["alert_level"] = level
    for key in ("eventtype", "eventid", "episodeid", "glide"):
        value = str(entry.get(f"gdacs_{key}", "")).strip()
        if value:
            fields["event_type" if key == "eventtype" else key] = value
    severity = entry.get("gdacs_severity")
    if isinstance(severity, dict):
        fields["severity_value"] = _number(severity.get("value"))
        fields["severity_unit"] = severity.get("unit") or None
        if severity.get("unit") == "M":
            fields["magnitude"] = _number(severity.get("value"))
    if texts.get("severity"):
        fields["severity"] = texts["severity"]
    population = entry.get("gdacs_population")
    if isinstance(population, dict):
        fields["population"] = _number(population.get("value"))
        fields["population_unit"] = population.get("unit") or None
    if texts.get("population"):
        fields["population_text"] = texts["population"]
        toll = _toll(texts["population"])
        if toll:  # floods: the population value is the killed count, not people exposed
            fields.pop("population", None)
            fields.update(toll)
    country = str(entry.get("gdacs_country", "")).strip()
    if country:
        fields["country_name"] = country
    # GDACS keeps the guid while an event evolves (new episode, raised alert level): a change
    # of either is a revision, so the stored report is updated rather than left stale.
    fields["revision"] = f"{fields.get('episodeid', '')}:{level or ''}"
    iso3 = str(entry.get("gdacs_iso3", "")).strip().upper()
    if len(iso3) == 3:
        fields["country"] = iso3
        fields["countries"] = [iso3]
    return fields


def parse(body: bytes, source_name: str, content_type: str | None = None) -> list[ParsedReport]:
    """Reports of a GDACS feed, each with its structured alert fields."""
    feed = rss.parse_feed(body, content_type)
    texts = _element_texts(body)
    reports = []
    for entry in feed.entries:
        report = rss.entry_report(entry, source_name)
        report.fields.pop("categories", None)
        report.fields.update(gdacs_fields(entry, texts.get(entry.get("id", ""), {})))
        if "fatalities" not in report.fields:
            report.fields.update(_toll(report.text))
        reports.append(report)
    return reports
