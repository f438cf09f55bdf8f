"""What a user can follow, and how typed input becomes one: a place or a topic, never a guess."""

import unicodedata
from dataclasses import dataclass
from html import escape

from sqlmodel import Session

from bot.analysis import gazetteer, topics
from bot.incidents import queries as incident_queries
from storage import queries

MAX_CHOICES = 6


@dataclass(frozen=True, slots=True)
class Target:
    """Something a chat can subscribe to; kind and key as stored in Subscription."""

    kind: str  # country | admin1 | town | topic
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """`target` when the input names exactly one thing; otherwise `choices` (maybe empty)."""

    target: Target | None
    choices: tuple[Target, ...] = ()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("-", " ").strip()


def resolve(query: str) -> Resolution:
    """Turn what the user typed into one target, or the candidates to choose from."""
    query = " ".join(query.split())
    if not query:
        return Resolution(None)
    topic_targets = [Target("topic", t, topics.TOPICS[t]) for t in topics.match_topic(query)]
    places = gazetteer.search(query, limit=MAX_CHOICES)
    place_targets = [Target(p.kind, p.key, p.label) for p in places]
    candidates = list(dict.fromkeys(topic_targets + place_targets))[:MAX_CHOICES]
    if len(candidates) == 1:
        return Resolution(candidates[0])
    # One place spelled exactly as typed, and nothing else of that name: no need to ask.
    same_name = [p for p in places if _fold(p.name) == _fold(query)]
    if not topic_targets and len(same_name) == 1 and same_name[0] is places[0]:
        return Resolution(place_targets[0])
    return Resolution(None, tuple(candidates))


@dataclass(frozen=True, slots=True)
class PlaceQuery:
    """A resolved place for /status: the filters recent_incidents() takes."""

    label: str
    country: str
    admin1: str | None
    town: str | None


def place_query(target: Target) -> PlaceQuery | None:
    """The /status filters for a place target (topics have none)."""
    if target.kind == "topic":
        return None
    parts = target.key.split(":")
    country = parts[0]
    admin1 = parts[1] or None if len(parts) > 1 else None
    town = parts[2] if len(parts) > 2 else None
    return PlaceQuery(target.label, country, admin1, town)


def subscribe(
    session: Session, chat_id: int, chat_kind: str, target: Target, timezone: str | None = None
) -> bool:
    """Subscribe the chat (registering it if new); False when it already followed the target."""
    queries.ensure_chat(session, chat_id, chat_kind, timezone)
    _, created = queries.add_subscription(session, chat_id, target.kind, target.key, target.label)
    return created


def status_text(session: Session, place: PlaceQuery, limit: int = 5) -> str:
    """The /status answer: the latest incidents there with their figures and reporters."""
    incidents = incident_queries.recent_incidents(
        session, place.country, place.admin1, place.town, limit=limit
    )
    if not incidents:
        return f"No incidents recorded for <b>{escape(place.label)}</b> in the monitored sources."
    lines = [incident_queries.render_status_line(i) for i in incidents]
    return f"<b>Latest in {escape(place.label)}</b>\n\n" + "\n\n".join(lines)
