"""What every source kind produces: ParsedReport, before it is stored as a storage.models.Report."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class ParsedReport:
    """One item read from a source payload.

    external_id is stable across polls (guid, API id, event id); `fields` holds what the source
    states outright, with these keys where known: country (ISO3), countries (ISO3 list), admin1,
    location, lat, lon, fatalities, event_type, sub_event_type, alert_level (green|orange|red),
    severity (text), magnitude, population, revision (int/str, changes when the source revises
    the item in place, e.g. an ACLED toll).
    """

    external_id: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None  # aware UTC
    source_name: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
