"""Report → Facts → Incident → Alert → Delivery rows, one report per transaction.

The sources stage stores reports and hands over their ids; everything downstream runs here, in
one direction. Each report is analysed and clustered in its own transaction together with the
alert it causes and that alert's fan-out, so a crash leaves either all of it or none.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from bot.alerts import fanout
from bot.analysis import analyse
from bot.incidents.engine import IncidentEngine
from storage.db import session_scope
from storage.models import Alert, Report

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PipelineResult:
    reports: int = 0
    alerts: list[int] = field(default_factory=list)
    deliveries: int = 0
    failed: int = 0


class Pipeline:
    """Holds the incident index across calls; build one per process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.incidents = IncidentEngine()

    def process(self, report_ids: Iterable[int]) -> PipelineResult:
        result = PipelineResult()
        for report_id in report_ids:
            try:
                done = self._process_one(report_id)
            except Exception:  # one bad report must not stop the others
                log.exception("report %s could not be processed", report_id)
                result.failed += 1
                continue
            if done is None:  # deleted meanwhile (e.g. its source was removed)
                continue
            alert, queued = done
            result.reports += 1
            if alert is not None:
                result.alerts.append(alert)
                result.deliveries += queued
        return result

    def _process_one(self, report_id: int) -> tuple[int | None, int] | None:
        """(alert id or None, deliveries queued), or None when the report is gone."""
        with session_scope(self.engine) as session:
            report = session.get(Report, report_id)
            if report is None:
                return None
            facts = analyse(
                report.text,
                title=report.title,
                source_country=(report.fields or {}).get("country"),
                published=report.published_at,
            )
            report.facts = facts.to_storage()
            session.add(report)
            outcome = self.incidents.ingest(session, report, facts)
            alert: Alert | None = outcome.alert
            if alert is None:
                return None, 0
            session.flush()
            queued = fanout.enqueue(session, alert)
            return alert.id, queued
