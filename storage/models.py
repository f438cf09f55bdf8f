"""The tables, named as in DESIGN.md: Chat, Subscription, Source, Report, Incident, Alert,
Delivery.

Every timestamp is aware UTC (see storage.types.UTCDateTime). Telegram chat ids exceed 32 bits,
so they are BIGINT everywhere. Schema changes go through Alembic (storage/migrations).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), index=index, nullable=nullable))


def _created() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


def _json(default: Any = None) -> Any:
    factory = (lambda: None) if default is None else (lambda: type(default)())
    return Field(default_factory=factory, sa_column=Column(JSON, nullable=default is None))


class Chat(SQLModel, table=True):
    """A Telegram chat (private, group, supergroup or channel) that talks to the bot."""

    # On SQLite an INTEGER primary key is the rowid (64-bit too): one B-tree read per chat
    # instead of two, which the fan-out does for every recipient.
    id: int = Field(
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
        )
    )
    kind: str = Field(default="private", max_length=16)  # private | group | supergroup | channel
    active: bool = Field(default=True, index=True)  # false after 403 (blocked, kicked)
    inactive_reason: str | None = Field(default=None, max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    quiet_start: int | None = None  # minute of the day, local time; None = no quiet hours
    quiet_end: int | None = None
    digest_hour: int | None = None  # None = instant alerts; else local hour of the daily digest
    last_digest_at: datetime | None = _ts()
    created_at: datetime = _created()


class Subscription(SQLModel, table=True):
    """One chat following one place or topic.

    kind/key: country → ISO3 ("SYR"); admin1 → "ISO3:admin1 name" ("SYR:Latakia");
    town → "ISO3:admin1:town" ("SYR:Latakia:Jableh"); topic → topic id ("epidemic").
    """

    __table_args__ = (
        UniqueConstraint("chat_id", "kind", "key", name="uq_subscription_chat_kind_key"),
        # Covers the fan-out lookup: (kind, key) → chat, severity floor, mute, no table reads.
        Index("ix_subscription_kind_key", "kind", "key", "min_severity", "muted_until", "chat_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("chat.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(max_length=16)
    key: str = Field(max_length=200)
    label: str = Field(max_length=200)  # what the user sees: "Latakia (Syria)"
    min_severity: int = Field(default=1)  # floor, see bot.incidents severity levels
    muted_until: datetime | None = _ts()
    created_at: datetime = _created()


class Source(SQLModel, table=True):
    """A monitored source and its polling health."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=32)  # rss | reliefweb | gdacs | acled | usgs | gdelt
    url: str = Field(sa_column=Column(Text, nullable=False))
    interval: int = Field(default=900)  # seconds between polls
    params: dict = _json({})  # kind-specific query (country, theme …)
    enabled: bool = Field(default=True)
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, max_length=100)
    next_poll_at: datetime | None = _ts(index=True)
    last_polled_at: datetime | None = _ts()
    last_success_at: datetime | None = _ts()
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_error_at: datetime | None = _ts()
    failures: int = Field(default=0)  # consecutive
    failing_since: datetime | None = _ts()
    down_notified: bool = Field(default=False)  # admins told it is down (once)
    items_seen: int = Field(default=0)
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = _ts()
    created_at: datetime = _created()


class Report(SQLModel, table=True):
    """One item read from a source, stored once, with what analysis read from it."""

    __table_args__ = (UniqueConstraint("source_id", "external_id", name="uq_report_source_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("source.id", ondelete="SET NULL"), nullable=True),
    )
    external_id: str = Field(max_length=500)
    url: str | None = Field(default=None, sa_column=Column(Text))
    title: str = Field(default="", sa_column=Column(Text, nullable=False))
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    source_name: str = Field(default="", max_length=200)
    published_at: datetime | None = _ts(index=True)
    fetched_at: datetime = _created()
    content_hash: str | None = Field(default=None, max_length=64, index=True)
    fields: dict = _json({})  # structured fields the source states (country, fatalities …)
    facts: dict | None = _json()  # analysis output (the extract contract)
    incident_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("incident.id", ondelete="SET NULL"), index=True),
    )


class Incident(SQLModel, table=True):
    """Reports about one event, merged, with reconciled figures and their provenance."""

    id: int | None = Field(default=None, primary_key=True)
    country: str | None = Field(default=None, max_length=3, index=True)  # ISO3
    title: str = Field(default="", sa_column=Column(Text, nullable=False))
    admin1s: list = _json([])
    places: list = _json([])  # place objects as in the extract contract
    topics: list = _json([])
    figures: dict = _json({})  # kind -> list of {value, qualifier, reporter, source, url, at}
    killed: int | None = None  # current reconciled figures
    injured: int | None = None
    displaced: int | None = None
    missing: int | None = None
    severity: int = Field(default=0)
    first_seen: datetime = _created()
    last_seen: datetime | None = _ts(index=True)
    report_count: int = Field(default=0)
    signals: dict = _json({})  # structured source levels and cues: alert_level, fatalities …
    match_text: list = _json([])  # a few titles/leads the clustering compares new reports with
    sources: list = _json([])  # up to 5 {source, url, title, at}, newest last
    alerted_severity: int | None = None  # what subscribers last heard (None: never alerted)
    alerted_figures: dict = _json({})  # kind -> value at the last alert
    alerted_admin1s: list = _json([])
    last_alert_at: datetime | None = _ts()


class Alert(SQLModel, table=True):
    """A message decided once and fanned out to every matching chat (one Delivery each)."""

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("incident.id", ondelete="SET NULL"), index=True),
    )
    kind: str = Field(max_length=16)  # new | escalation | broadcast | digest
    severity: int = Field(default=0)
    priority: int = Field(default=1)  # 0 critical, 1 alert, 2 broadcast/digest
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))  # Telegram HTML, escaped
    country: str | None = Field(default=None, max_length=3)
    admin1s: list = _json([])
    towns: list = _json([])
    topics: list = _json([])
    event_at: datetime | None = _ts()  # when it happened, shown in the chat's time zone
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))  # broadcasts
    created_at: datetime = _created()
    completed_at: datetime | None = _ts()  # broadcasts: every delivery settled, admin told


class Delivery(SQLModel, table=True):
    """Outbox row: one alert for one chat, written with the fan-out, drained by the sender."""

    __table_args__ = (
        UniqueConstraint("alert_id", "chat_id", name="uq_delivery_alert_chat"),
        Index("ix_delivery_due", "status", "priority", "not_before"),
        Index("ix_delivery_alert_status", "alert_id", "status"),
        Index("ix_delivery_status_sent", "status", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(
        sa_column=Column(ForeignKey("alert.id", ondelete="CASCADE"), nullable=False)
    )
    chat_id: int = Field(
        sa_column=Column(
            BigInteger, ForeignKey("chat.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # pending|sending|sent|blocked|failed; digest (held for the chat's digest) → digested
    status: str = Field(default="pending", max_length=16)
    priority: int = Field(default=1)
    not_before: datetime | None = _ts()  # quiet hours, digest hour, retry backoff
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    claimed_at: datetime | None = _ts()
    sent_at: datetime | None = _ts()
    created_at: datetime = _created()


class FloodWait(SQLModel, table=True):
    """A 429 the sender met: how long Telegram asked it to wait, for /stats and the logs."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), index=True))
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    scope: str = Field(default="chat", max_length=8)  # chat | global
    retry_after: float = Field(default=0.0)


class IncidentDecision(SQLModel, table=True):
    """Why each report was treated as it was (new, escalation, update, duplicate): the decision log.

    Also what the clustering index is rebuilt from at start-up (URL keys, text hashes) and what
    a country's rolling toll is summed from (killed_delta: how much the report moved the
    incident's current killed figure)."""

    __table_args__ = (Index("ix_incidentdecision_country_at", "country", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("report.id", ondelete="SET NULL"), index=True),
    )
    incident_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("incident.id", ondelete="SET NULL"), index=True),
    )
    decision: str = Field(max_length=16)  # new | escalation | update | duplicate
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    severity: int = Field(default=0)
    country: str | None = Field(default=None, max_length=3)
    killed_delta: int = Field(default=0)
    url_key: str | None = Field(default=None, sa_column=Column(Text))
    text_hash: str | None = Field(default=None, max_length=64)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    created_at: datetime = _created()
