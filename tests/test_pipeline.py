"""Report → incident → alert → deliveries, as the bot runs it after each poll."""

from datetime import UTC, datetime

from sqlmodel import select

from bot.pipeline import Pipeline
from storage import queries
from storage.db import session_scope
from storage.models import Alert, Delivery, Incident, Report


def _store(engine, **fields) -> int:
    with session_scope(engine) as session:
        report = Report(source_name="Test wire", **fields)
        session.add(report)
        session.flush()
        return report.id


def test_a_report_becomes_an_incident_an_alert_and_a_delivery(sqlite_engine):
    with session_scope(sqlite_engine) as session:
        queries.ensure_chat(session, 11, "private")
        queries.add_subscription(session, 11, "country", "SYR", "Syria")
        queries.ensure_chat(session, 12, "private")
        queries.add_subscription(session, 12, "country", "SDN", "Sudan")
    report_id = _store(
        sqlite_engine,
        external_id="a",
        url="https://example.org/a",
        title="Syria: clashes near Jableh kill more than 70",
        text="Clashes near Jableh in Latakia province killed more than 70 people, according "
        "to the Syrian Observatory for Human Rights.",
        published_at=datetime(2025, 3, 7, 9, tzinfo=UTC),
    )
    result = Pipeline(sqlite_engine).process([report_id])
    assert (result.reports, len(result.alerts), result.deliveries) == (1, 1, 1)
    with session_scope(sqlite_engine) as session:
        report = session.get(Report, report_id)
        incident = session.get(Incident, report.incident_id)
        assert incident is not None and incident.country == "SYR"
        assert report.facts["countries"][0] == "SYR"
        alert = session.exec(select(Alert)).one()
        assert alert.incident_id == incident.id and "Jableh" in alert.body_html
        assert session.exec(select(Delivery.chat_id)).all() == [11]


def test_a_missing_report_id_is_skipped(sqlite_engine):
    result = Pipeline(sqlite_engine).process([12345])
    assert (result.reports, result.alerts, result.failed) == (0, [], 0)
