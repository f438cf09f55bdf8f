"""What /status asks of the incidents: the recent ones in a place, one escaped line each."""

import html

from sqlmodel import Session, col, select

from bot.incidents import figures as fig
from bot.incidents import severity as sev
from bot.incidents.summary import country_name, towns_of
from storage.models import Incident

SCAN = 200  # newest incidents of the country read to filter by admin1/town in Python


def recent_incidents(
    session: Session,
    country: str | None = None,
    admin1: str | None = None,
    town: str | None = None,
    limit: int = 5,
) -> list[Incident]:
    """The newest incidents (by last report) in a country, optionally one admin1 and town."""
    query = select(Incident).order_by(col(Incident.last_seen).desc().nulls_last())
    if country:
        query = query.where(Incident.country == country.upper())
    if not admin1 and not town:
        return list(session.exec(query.limit(limit)))
    found = []
    for incident in session.exec(query.limit(SCAN)):
        if admin1 and admin1.casefold() not in {a.casefold() for a in incident.admin1s or []}:
            continue
        if town and town.casefold() not in {t.casefold() for t in towns_of(incident)}:
            continue
        found.append(incident)
        if len(found) == limit:
            break
    return found


def render_status_line(incident: Incident) -> str:
    """'🔴 Syria · Latakia · killed more than 1,000 (SOHR; the ministry: 745) · 4 reports'."""
    parts = [f"{sev.MARKS[incident.severity]} <b>{html.escape(country_name(incident.country))}</b>"]
    if incident.admin1s:
        parts.append(html.escape(", ".join(incident.admin1s[:2])))
    for kind in ("killed", "injured", "displaced", "missing"):
        claims = [fig.Claim.from_json(c) for c in (incident.figures or {}).get(kind, [])]
        current = fig.current(claims)
        if current is None:
            continue
        said = html.escape(current.credited)
        others = [c for c in fig.conflicts(claims) if c.who != current.who][:2]
        if others:
            said += "; " + "; ".join(
                f"{html.escape(c.credited)}: {html.escape(fig.claim_phrase(c))}" for c in others
            )
        parts.append(f"{kind} {html.escape(fig.claim_phrase(current))} ({said})")
    if not any(
        (incident.figures or {}).get(k) for k in ("killed", "injured", "displaced", "missing")
    ):
        parts.append(html.escape(incident.title[:120]))
    count = incident.report_count
    parts.append(f"{count} report{'s' if count != 1 else ''}")
    return " · ".join(parts)
