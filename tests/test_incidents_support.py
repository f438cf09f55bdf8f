"""Builders shared by the incident tests: reports and hand-built Facts, as analysis would give."""

from datetime import UTC, datetime

from bot.analysis.facts import Facts, Figure, Place
from storage.models import Report

JABLEH = Place("Jableh", "SYR", "Latakia", "SY0602", 35.36, 35.93)
BANIYAS = Place("Baniyas", "SYR", "Tartus", "SY1002", 35.18, 35.95)
LATAKIA_CITY = Place("Latakia", "SYR", "Latakia", "SY0600", 35.52, 35.79)
ALEPPO = Place("Aleppo", "SYR", "Aleppo", "SY0200", 36.2, 37.16)
TARTUS = Place("Tartus", "SYR", "Tartus", "SY1000", None, None, kind="admin1")


def at(day: int, hour: int = 12, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


def report(
    title: str,
    text: str,
    *,
    when: datetime,
    source: str = "Example Wire",
    url: str | None = None,
    fields: dict | None = None,
) -> Report:
    return Report(
        external_id=url or title,
        url=url,
        title=title,
        text=text,
        source_name=source,
        published_at=when,
        fields=fields or {},
    )


def facts(
    *places: Place,
    killed: Figure | None = None,
    displaced: Figure | None = None,
    topics: tuple[str, ...] = ("armed_conflict",),
    country: str = "SYR",
    escalation: bool = False,
) -> Facts:
    return Facts(
        countries=[country],
        places=list(places),
        killed=killed,
        displaced=displaced,
        topics=list(topics),
        escalation=escalation,
    )
