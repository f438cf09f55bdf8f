"""The incident stage: each analysed report becomes a duplicate, joins an incident or opens one,
and the decision (new / escalation / update / duplicate) is stored with its reason.

Decisions, in order:
- duplicate: the same text as a report already seen (a syndicated copy), or the same URL with
  the same text. The same URL with a changed text is a revision: it updates its incident.
- new: the first report that puts an incident at or above level 1 (low). An incident opened
  below it is stored for /status (decision update) and alerts as new once it reaches low.
- escalation, against what subscribers last heard: the killed or displaced figure rose by at
  least 25 % and at least 10 people; the severity level went up; the incident spread to an
  admin1 it was not in; or the country's 30-day toll became its highest in a year or in three
  years (bot.incidents.baseline). A figure subscribers heard that other outlets have since
  put far lower (set aside as an outlier) stops being the yardstick: rises count from the
  current figure.
- before opening an incident, a report that joined none gets a second chance by the proper
  names it shares with one recent incident of its country, by the storm it names, or, naming
  no place, by a toll of the same order as its country's one big incident
  (matching.IncidentIndex.second_chance).
- update: anything else (it goes to /status and digests, never to a push).

One IncidentEngine per process: it keeps the index of recent incidents in memory and rebuilds
it from the database at start-up (`load`, run by the first `ingest`). It follows the caller's
transaction: the decision log is written just before the commit, and a rollback takes back
what the index learnt from it. Several replicas each keep their own index; the pipeline should
run the incident stage in one of them at a time: the engine re-attaches the incidents it
committed itself to the next transaction instead of reading them again.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_attribute, set_committed_value
from sqlmodel import Session, select

from bot.analysis.facts import FIGURE_KINDS, Facts, Figure, Place
from bot.incidents import figures as fig
from bot.incidents import severity as sev
from bot.incidents.baseline import THREE_YEARS, WINDOW, CountryTolls
from bot.incidents.dedupe import text_hash, url_key
from bot.incidents.matching import (
    HAZARDS,
    JOIN_GAP,
    MAX_SPAN,
    Entry,
    IncidentIndex,
    Probe,
    keep_texts,
    match_text,
    name_words,
    place_keys,
    storm_names,
)
from bot.incidents.rows import build
from bot.incidents.summary import DEFAULT_LIMIT, country_name, render_alert, towns_of
from storage.models import Alert, Incident, IncidentDecision, Report
from storage.types import utcnow

log = logging.getLogger(__name__)

MAX_KEPT_NAMES = 12  # proper names kept per incident for the index after a restart

NEW, ESCALATION, UPDATE, DUPLICATE = "new", "escalation", "update", "duplicate"
MATERIAL_SHARE, MATERIAL_PEOPLE = 0.25, 10  # a rise is material at +25 % and +10 people
DEDUPE_WINDOW = timedelta(days=30)
MAX_PLACES, MAX_ADMIN1S, MAX_SOURCES = 30, 20, 5
WARM_INCIDENTS = 5000  # incidents kept between transactions


@dataclass(slots=True)
class Outcome:
    decision: str  # new | escalation | update | duplicate
    incident: Incident | None  # None for a duplicate
    severity: int
    reason: str
    alert: Alert | None  # added to the session; None when nobody is paged


@dataclass(slots=True)
class _Seen:
    incident_id: int
    text_hash: str | None
    at: datetime


class IncidentEngine:
    def __init__(
        self,
        *,
        join_gap: timedelta = JOIN_GAP,
        max_span: timedelta = MAX_SPAN,
        summary_limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.index = IncidentIndex(join_gap=join_gap, max_span=max_span)
        self.tolls = CountryTolls()
        self.summary_limit = summary_limit
        self._by_url: dict[str, _Seen] = {}
        self._by_hash: dict[str, _Seen] = {}
        self._ingested = 0
        self._loaded = False
        # Incidents this process committed lately, re-attached to the next session instead of
        # read again: this process is the only writer of incidents (see the module docstring).
        self._warm: dict[int, Incident] = {}

    # ── start-up ────────────────────────────────────────────────────────────────────────────

    def load(self, session: Session, now: datetime | None = None) -> None:
        """Rebuild the index from the database: incidents still open, duplicate keys of the
        last 30 days, and the killed deltas of three years for the country baselines."""
        self._loaded = True
        now = now or utcnow()
        # Everything a report may still join: late ones by place, and by name up to MAX_SPAN.
        horizon = now - max(self.index.late_gap, self.index.max_span) - timedelta(days=1)
        for incident in session.exec(select(Incident).where(Incident.last_seen >= horizon)):
            self.index.add(_entry_of(incident))
        rows = session.exec(
            select(IncidentDecision).where(IncidentDecision.at >= now - DEDUPE_WINDOW)
        )
        for row in rows:
            if row.incident_id is not None:
                self._remember(None, row.url_key, row.text_hash, row.incident_id, row.at)
        since = now - timedelta(days=THREE_YEARS + WINDOW)
        first = session.exec(select(IncidentDecision.at).order_by(IncidentDecision.at).limit(1))
        start = first.first()
        deltas = session.exec(
            select(
                IncidentDecision.country, IncidentDecision.at, IncidentDecision.killed_delta
            ).where(IncidentDecision.at >= since, IncidentDecision.killed_delta != 0)
        )
        for country, at, delta in deltas:
            if country:
                self.tolls.add(country, at.date(), delta)
        if start is not None:
            self.tolls.history_start = start.date()
        log.info("incident index rebuilt: %d open incidents", len(self.index))

    # ── the stage ───────────────────────────────────────────────────────────────────────────

    def ingest(self, session: Session, report: Report, facts: Facts) -> Outcome:
        """Decide what `report` is (see the module docstring). Adds rows to `session` (a new
        incident is inserted at once for its id), never commits: the caller commits with the
        alert's fan-out; the IncidentDecision row and the report's incident_id are written at
        that commit."""
        if not self._loaded:  # the first report after start-up rebuilds the index
            self.load(session)
        session.info[_WARM] = self._warm
        at = report.published_at or report.fetched_at or utcnow()
        self.index.advance(at)
        self._ingested += 1
        if self._ingested % 4096 == 0:
            self._forget_old_keys()
        if report.id is None:
            session.add(report)
            session.flush()
        ukey, thash = url_key(report.url), text_hash(report.title, report.text)

        duplicate = self._duplicate_of(ukey, thash)
        if duplicate is not None:
            return self._duplicate(session, report, duplicate, ukey, thash, at)

        text = match_text(report.title, report.text)
        storms = frozenset()
        if HAZARDS & set(facts.topics):
            storms = storm_names(report.title, report.text)
        names = _names(report, facts) | storms
        entry, country, probes = self._revised(ukey), None, {}
        countries = _countries(facts, report)
        for country in countries:
            probe = probes[country] = self._probe(facts, country, at, text, names, storms)
            entry = entry or self._match(probe)
            if entry is not None:
                break
        if entry is None:  # before opening an incident: one of its country that shares a name
            for country in countries:
                entry = self.index.second_chance(probes[country])
                if entry is not None:
                    break
        if entry is None:
            country = countries[0]
        incident = _load(session, entry.id) if entry is not None else None
        created = incident is None
        if incident is None:
            incident = _open(session, country, report.title, at)
            entry = Entry(incident.id, country or "", at, at)
            self.index.add(entry)
            _journal(session).append(lambda i=incident.id: self.index.remove(i))
        elif incident.country:
            country = incident.country
        elif country:
            self.index.settle(entry, country)
        known = probes.get(country)
        towns, admin1s = (
            (known.towns, known.admin1s) if known else place_keys(facts.places, country)
        )

        before_killed = incident.killed or 0
        new_admin1s, currents = _merge(incident, report, facts, country, at, text, names)
        killed_delta = (incident.killed or 0) - before_killed
        reasons = self._baseline(incident, country, at, killed_delta)
        values = {kind: getattr(incident, kind) for kind in FIGURE_KINDS}
        set_attribute(
            incident, "severity", sev.compute(values, set(incident.topics), incident.signals)
        )
        decision, reason = _decide(incident, currents, created, new_admin1s, reasons)

        alert = None
        if decision in (NEW, ESCALATION):
            alert = self._alert(session, incident, currents, report, decision, reason, at)
        known_names = names | _town_names(facts, country)
        self.index.absorb(entry, at, towns, admin1s, facts.topics, text, facts.lang, known_names)
        entry.severity, entry.killed = incident.severity, incident.killed or 0
        self._remember(session, ukey, thash, incident.id, at)
        _link(report, incident.id)
        _log(
            session,
            report_id=report.id,
            incident_id=incident.id,
            decision=decision,
            reason=reason,
            severity=incident.severity,
            country=country,
            killed_delta=killed_delta,
            url_key=ukey,
            text_hash=thash,
            at=at,
        )
        return Outcome(decision, incident, incident.severity, reason, alert)

    # ── parts ───────────────────────────────────────────────────────────────────────────────

    def _duplicate_of(self, ukey: str | None, thash: str | None) -> _Seen | None:
        if thash is not None and thash in self._by_hash:
            return self._by_hash[thash]
        seen = self._by_url.get(ukey) if ukey else None
        if seen is not None and (thash is None or seen.text_hash == thash):
            return seen
        return None

    def _revised(self, ukey: str | None) -> Entry | None:
        """The incident a report with this URL joined before (the source revised it in place)."""
        seen = self._by_url.get(ukey) if ukey else None
        return self.index.get(seen.incident_id) if seen is not None else None

    def _probe(
        self,
        facts: Facts,
        country: str | None,
        at: datetime,
        text: str,
        names: frozenset[str],
        storms: frozenset[str],
    ) -> Probe:
        towns, admin1s = place_keys(facts.places, country)
        killed = facts.killed.value if facts.killed is not None and facts.killed.value else 0
        return Probe(
            country or "",
            at,
            towns,
            admin1s,
            set(facts.topics),
            text,
            facts.lang,
            names=names,
            killed=killed,
            storms=storms,
        )

    def _match(self, probe: Probe) -> Entry | None:
        found = self.index.best_match(probe)
        return found[0] if found else None

    def _duplicate(
        self,
        session: Session,
        report: Report,
        seen: _Seen,
        ukey: str | None,
        thash: str | None,
        at: datetime,
    ) -> Outcome:
        incident = _load(session, seen.incident_id)
        level = incident.severity if incident is not None else 0
        same_url = ukey is not None and self._by_url.get(ukey) is seen
        reason = (
            f"same URL and text as a report of incident {seen.incident_id}"
            if same_url
            else f"same text as a report of incident {seen.incident_id} (syndicated copy)"
        )
        if incident is not None:
            _link(report, incident.id)
        _log(
            session,
            report_id=report.id,
            incident_id=report.incident_id,
            decision=DUPLICATE,
            reason=reason,
            severity=level,
            country=incident.country if incident else None,
            killed_delta=0,
            url_key=ukey,
            text_hash=thash,
            at=at,
        )
        return Outcome(DUPLICATE, None, level, reason, None)

    def _baseline(
        self, incident: Incident, country: str | None, at: datetime, killed_delta: int
    ) -> list[str]:
        if not country or not killed_delta:
            return []
        self.tolls.add(country, at.date(), killed_delta)
        if killed_delta < 0:
            return []
        signal = self.tolls.check(country, at.date())
        if signal is None:
            return []
        signals = dict(incident.signals or {})
        signals["baseline"] = max(int(signals.get("baseline") or 0), signal.level)
        set_attribute(incident, "signals", signals)
        return [signal.reason(country_name(country))]

    def _alert(
        self,
        session: Session,
        incident: Incident,
        currents: dict[str, fig.Claim],
        report: Report,
        decision: str,
        reason: str,
        at: datetime,
    ) -> Alert:
        body = render_alert(
            incident,
            report,
            reason=reason,
            escalation=decision == ESCALATION,
            limit=self.summary_limit,
        )
        alert = build(
            Alert,
            incident_id=incident.id,
            kind=decision,
            severity=incident.severity,
            priority=0 if incident.severity >= sev.CRITICAL else 1,
            reason=reason,
            body_html=body,
            country=incident.country,
            admin1s=list(incident.admin1s or []),
            towns=towns_of(incident),
            topics=list(incident.topics or []),
            event_at=at,
            created_at=utcnow(),
            id=None,
            created_by=None,
            completed_at=None,
        )
        session.add(alert)
        heard = {kind: [c.value, c.qualifier, c.number] for kind, c in currents.items()}
        set_attribute(incident, "alerted_severity", incident.severity)
        set_attribute(incident, "alerted_figures", heard)
        set_attribute(incident, "alerted_admin1s", list(incident.admin1s or []))
        set_attribute(incident, "last_alert_at", at)
        return alert

    def _remember(
        self,
        session: Session | None,
        ukey: str | None,
        thash: str | None,
        incident_id: int,
        at: datetime,
    ) -> None:
        """Keep the report's duplicate keys; forgotten again if the transaction rolls back,
        so a report retried after a failure is not taken for its own duplicate."""
        seen = _Seen(incident_id, thash, at)
        if ukey:
            before = self._by_url.get(ukey)
            self._by_url[ukey] = seen
            if session is not None:
                _journal(session).append(lambda: self._restore(self._by_url, ukey, before))
        if thash and thash not in self._by_hash:
            self._by_hash[thash] = seen
            if session is not None:
                _journal(session).append(lambda: self._restore(self._by_hash, thash, None))

    @staticmethod
    def _restore(keys: dict[str, _Seen], key: str, before: _Seen | None) -> None:
        if before is None:
            keys.pop(key, None)
        else:
            keys[key] = before

    def _forget_old_keys(self) -> None:
        if self.index.watermark is None:
            return
        horizon = self.index.watermark - DEDUPE_WINDOW
        self._by_url = {k: v for k, v in self._by_url.items() if v.at >= horizon}
        self._by_hash = {k: v for k, v in self._by_hash.items() if v.at >= horizon}


def _held(session: Session) -> dict[int, Incident]:
    """Incidents this session has touched, held by strong references: the session's own
    identity map is weak and would drop a flushed incident, to load it again for the next
    report of the same transaction."""
    return session.info.setdefault("alertbot.incidents", {})


def _open(session: Session, country: str | None, title: str, at: datetime) -> Incident:
    """A new incident row, inserted at once for its id. A plain INSERT on the session's
    connection instead of a flush: a flush would also write everything pending, once per new
    incident, where one write at commit is enough."""
    row = {
        "country": country,
        "title": title[:500],
        "first_seen": at,
        "last_seen": at,
        "severity": 0,
        "report_count": 0,
        "admin1s": [],
        "places": [],
        "topics": [],
        "figures": {},
        "signals": {},
        "match_text": [],
        "sources": [],
        "alerted_figures": {},
        "alerted_admin1s": [],
    }
    table = Incident.__table__  # type: ignore[attr-defined]
    result = session.connection().execute(table.insert(), row)
    unset = {"killed": None, "injured": None, "displaced": None, "missing": None}
    incident = build(
        Incident,
        id=result.inserted_primary_key[0],
        **row,
        **unset,
        alerted_severity=None,
        last_alert_at=None,
    )
    make_transient_to_detached(incident)  # the row exists: attach it as loaded, no SELECT
    session.add(incident)
    _held(session)[incident.id] = incident
    session.info.get(_WARM, {})[incident.id] = incident
    return incident


_PENDING, _JOURNAL, _WATCHED = "alertbot.decisions", "alertbot.undo", "alertbot.watched"
_WARM = "alertbot.warm"  # the engine's recently used incidents, lent to each session


def _watch(session: Session) -> None:
    """Follow the caller's transaction: write the queued decisions just before it commits;
    on rollback drop them and undo what the in-memory index learnt from it."""
    if not session.info.get(_WATCHED):
        session.info[_WATCHED] = True
        event.listen(session, "before_commit", _write_decisions)
        event.listen(session, "after_commit", _forget_journal)
        event.listen(session, "after_rollback", _roll_back)


def _journal(session: Session) -> list[Callable[[], None]]:
    _watch(session)
    return session.info.setdefault(_JOURNAL, [])


def _log(session: Session, **row: object) -> None:
    """Queue one IncidentDecision row; all of a transaction's rows are written in one
    executemany just before it commits (a model object and an INSERT per report cost more
    than the clustering itself). Visible once the caller commits."""
    _watch(session)
    row["created_at"] = utcnow()
    session.info.setdefault(_PENDING, []).append(row)


def _link(report: Report, incident_id: int) -> None:
    """Point the report at its incident in memory only: the column is written with the
    decision rows, in one executemany at commit, not by the session's per-object flush."""
    set_committed_value(report, "incident_id", incident_id)


def _write_decisions(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.flush()  # the reports and incidents they point at first
        table = IncidentDecision.__table__  # type: ignore[attr-defined]
        session.connection().execute(table.insert(), rows)
        links = [
            {"report": row["report_id"], "incident": row["incident_id"]}
            for row in rows
            if row["incident_id"] is not None
        ]
        if links:
            session.connection().execute(_LINK_REPORTS, links)


_REPORTS = Report.__table__  # type: ignore[attr-defined]
_LINK_REPORTS = (
    _REPORTS.update()
    .where(_REPORTS.c.id == bindparam("report"))
    .values(incident_id=bindparam("incident"))
)


def _forget_journal(session: Session) -> None:
    session.info.pop(_JOURNAL, None)


def _roll_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop("alertbot.incidents", None)
    session.info.get(_WARM, {}).clear()  # their state may hold what was rolled back
    for undo in reversed(session.info.pop(_JOURNAL, [])):
        undo()


def _load(session: Session, incident_id: int) -> Incident | None:
    held = _held(session)
    incident = held.get(incident_id)
    if incident is None:
        warm: dict[int, Incident] = session.info.get(_WARM, {})
        kept = warm.pop(incident_id, None)
        if kept is not None and sa_inspect(kept).detached:
            session.add(kept)  # as it was committed by this process: no SELECT
            incident = kept
        else:
            with session.no_autoflush:  # the writes gather into one flush at commit
                incident = session.get(Incident, incident_id)
        if incident is not None:
            held[incident_id] = incident
            warm[incident_id] = incident  # newest last
            while len(warm) > WARM_INCIDENTS:
                del warm[next(iter(warm))]
    return incident


# ── merging one report into its incident ────────────────────────────────────────────────────


def _countries(facts: Facts, report: Report) -> list[str | None]:
    """The countries to look for the report's incident in: the one the source states, else
    analysis's main country and, when the text names a place in it, its runner-up (a place
    name can mislead analysis); [None] when nothing is known."""
    stated = (report.fields or {}).get("country")
    if isinstance(stated, str) and len(stated) == 3:
        return [stated.upper()]
    if not facts.countries:
        return [None]
    found: list[str | None] = [facts.countries[0]]
    placed = {p.country for p in facts.places if p.kind != "country"}
    if len(facts.countries) > 1 and facts.countries[1] in placed:
        found.append(facts.countries[1])  # only when the text names a place in it
    return found


def _town_names(facts: Facts, country: str | None) -> frozenset[str]:
    """The towns the report placed, as names: another report that could not place the same
    town (no country named beside it) still shares it as a proper name."""
    return frozenset(
        p.name.casefold()
        for p in facts.places
        if p.kind not in ("country", "admin1") and (not country or p.country == country)
    )


def _names(report: Report, facts: Facts) -> frozenset[str]:
    """The report's proper names beyond the places and countries analysis found."""
    placed = [p.name for p in facts.places] + [p.admin1 for p in facts.places if p.admin1]
    placed += [country_name(c) for c in facts.countries]
    return name_words(report.title, report.text, placed)


# Parsed claims of the incidents met lately, keyed by incident id and valid while the incident
# still holds the very figures object they were parsed from (every change assigns a new one).
_PARSED: dict[int, tuple[object, dict[str, list[fig.Claim]]]] = {}
_PARSED_MAX = 20_000


def _claims(incident: Incident, kind: str) -> list[fig.Claim]:
    figures = incident.figures or {}
    cached = _PARSED.get(incident.id) if incident.id is not None else None
    if cached is None or cached[0] is not figures:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        cached = (figures, {})
        if incident.id is not None:
            _PARSED[incident.id] = cached
    parsed = cached[1]
    if kind not in parsed:
        parsed[kind] = [fig.Claim.from_json(c) for c in figures.get(kind, [])]
    return list(parsed[kind])


def _store_claims(incident: Incident, figures: dict, parsed: dict[str, list[fig.Claim]]) -> None:
    """Assign new figures and remember them parsed."""
    _set(incident, "figures", figures)
    if incident.id is not None:
        _PARSED[incident.id] = (incident.figures, parsed)


def _report_figures(report: Report, facts: Facts) -> dict[str, Figure]:
    """The report's figures, with a source's structured fatalities (ACLED) when the text has
    no killed figure."""
    found = {kind: f for kind in FIGURE_KINDS if (f := getattr(facts, kind)) is not None}
    fatalities = (report.fields or {}).get("fatalities")
    if "killed" not in found and isinstance(fatalities, int) and fatalities > 0:
        found["killed"] = Figure(fatalities, "exact", report.source_name or None)
    return found


def _set(incident: Incident, name: str, value: object) -> None:
    """Assign only what changed, through SQLAlchemy directly: an unchanged column is not
    rewritten, and the model's own validation layer has nothing to check on these types."""
    if getattr(incident, name) != value:
        set_attribute(incident, name, value)


def _merge(
    incident: Incident,
    report: Report,
    facts: Facts,
    country: str | None,
    at: datetime,
    text: str,
    names: frozenset[str] = frozenset(),
) -> tuple[list[str], dict[str, fig.Claim]]:
    """Fold the report into the incident; returns the admin1s it added and the current
    figure of each kind."""
    stored = incident.figures or {}
    figures = dict(stored)
    parsed: dict[str, list[fig.Claim]] = {}
    currents: dict[str, fig.Claim] = {}
    reported = _report_figures(report, facts)
    for kind in FIGURE_KINDS:
        if kind not in reported and kind not in stored:
            _set(incident, kind, None)
            continue
        claims = _claims(incident, kind)
        if kind in reported:
            claims.append(
                fig.Claim.from_figure(
                    reported[kind], source=report.source_name, url=report.url, at=at
                )
            )
        current = fig.current(claims)
        if kind in reported:
            claims = fig.trim(claims, current)
            figures[kind] = [c.to_json() for c in claims]
        parsed[kind] = claims
        if current is not None:
            currents[kind] = current
        _set(incident, kind, current.number if current is not None else None)
    if reported:
        _store_claims(incident, figures, parsed)

    # Lists are replaced, never changed in place: the JSON columns see only assignments.
    places = incident.places or []
    known = {(p.get("name", "").casefold(), p.get("admin1")) for p in places}
    fresh = []
    for place in facts.places:
        key = (place.name.casefold(), place.admin1)
        if key not in known and len(places) + len(fresh) < MAX_PLACES:
            fresh.append(_place_json(place))
            known.add(key)
    if fresh:
        _set(incident, "places", [*places, *fresh])

    admin1s = incident.admin1s or []
    added: list[str] = []
    for place in facts.places:
        name = place.admin1 or (place.name if place.kind == "admin1" else None)
        in_country = not country or place.country in (None, country)
        if (
            name
            and in_country
            and name not in admin1s
            and name not in added
            and len(admin1s) + len(added) < MAX_ADMIN1S
        ):
            added.append(name)
    if added:
        _set(incident, "admin1s", [*admin1s, *added])
    topics = incident.topics or []
    if not set(facts.topics) <= set(topics):
        _set(incident, "topics", list(dict.fromkeys([*topics, *facts.topics])))
    texts = incident.match_text or []
    if text and text not in texts:
        _set(incident, "match_text", keep_texts(list(texts), text))
    sources = [s for s in incident.sources or [] if s.get("url") != report.url or not report.url]
    sources.append(
        {
            "source": report.source_name,
            "url": report.url,
            "title": report.title[:150],
            "at": at.isoformat(),
        }
    )
    _set(incident, "sources", sources[-MAX_SOURCES:])
    _set(incident, "signals", _signals(incident.signals or {}, report, facts, names))
    _set(incident, "first_seen", min(incident.first_seen, at) if incident.first_seen else at)
    _set(incident, "last_seen", max(incident.last_seen, at) if incident.last_seen else at)
    _set(incident, "report_count", (incident.report_count or 0) + 1)
    if not incident.country and country:
        _set(incident, "country", country)
    return added, currents


def _signals(signals: dict, report: Report, facts: Facts, names: frozenset[str]) -> dict:
    out = dict(signals)
    fields = report.fields or {}
    level = fields.get("alert_level")
    if level and sev.alert_level_rank(level) >= sev.alert_level_rank(out.get("alert_level")):
        out["alert_level"] = str(level).lower()
    fatalities = fields.get("fatalities")
    if isinstance(fatalities, int) and fatalities > int(out.get("fatalities") or 0):
        out["fatalities"] = fatalities
    if facts.escalation:
        out["escalation"] = True
    if facts.lang and facts.lang not in out.get("langs", []):
        out["langs"] = [*out.get("langs", []), facts.lang]  # for the index after a restart
    kept = out.get("names", [])
    if len(kept) < MAX_KEPT_NAMES and (fresh := sorted(names.difference(kept))):
        out["names"] = [*kept, *fresh][:MAX_KEPT_NAMES]  # second chances after a restart
    return out


def _place_json(place: Place) -> dict:
    data = place.to_dict()
    data["kind"] = place.kind
    return data


def _entry_of(incident: Incident) -> Entry:
    """An index entry rebuilt from a stored incident."""
    places = [
        Place(
            **{k: p.get(k) for k in ("name", "country", "admin1", "pcode", "lat", "lon")},
            kind=p.get("kind") or "town",
        )
        for p in incident.places or []
    ]
    towns, admin1s = place_keys(places, incident.country)
    at = incident.last_seen or incident.first_seen
    return Entry(
        id=incident.id,
        country=incident.country or "",
        first_seen=incident.first_seen,
        last_seen=at,
        towns=towns,
        admin1s=admin1s,
        topics=set(incident.topics or []),
        texts=list(incident.match_text or []),
        words={w for t in incident.match_text or [] for w in t.split()},
        severity=incident.severity,
        killed=incident.killed or 0,
        langs=set((incident.signals or {}).get("langs", [])),
        names=set((incident.signals or {}).get("names", [])),
    )


# ── the decision ────────────────────────────────────────────────────────────────────────────


def _rise(incident: Incident, kind: str, current: fig.Claim | None) -> str | None:
    """'toll up from 200 to more than 1,000' when the figure rose materially since the alert."""
    if current is None:
        return None
    before = (incident.alerted_figures or {}).get(kind)
    prev_number = int(before[2]) if before else 0
    rise = current.number - prev_number
    if rise < MATERIAL_PEOPLE or (prev_number and rise < MATERIAL_SHARE * prev_number):
        return None
    label = "toll" if kind == "killed" else kind
    now = fig.claim_phrase(current)
    if not before:
        return f"{label} now {now}"
    return f"{label} up from {fig.phrase(before[0], before[1])} to {now}"


def _rebase(incident: Incident, currents: dict[str, fig.Claim]) -> None:
    """A figure subscribers heard that is now far above the current one (set aside as an outlier
    once other outlets reported far lower ones, like a loss model's estimate) stops being the
    yardstick (a small downward revision keeps it):
    rises are measured from the current figure, or a toll climbing back would never alert."""
    heard = incident.alerted_figures or {}
    lower = {
        kind: [c.value, c.qualifier, c.number]
        for kind, c in currents.items()
        if kind in heard and c.number * fig.OUTLIER_FACTOR < int(heard[kind][2])
    }
    if lower:
        _set(incident, "alerted_figures", {**heard, **lower})


def _decide(
    incident: Incident,
    currents: dict[str, fig.Claim],
    created: bool,
    new_admin1s: list[str],
    baseline: list[str],
) -> tuple[str, str]:
    level = incident.severity
    if incident.alerted_severity is None:
        if level >= sev.LOW:
            return NEW, _first_reason(incident, currents, created)
        what = "new incident" if created else "incident"
        return UPDATE, f"{what} below the alert floor ({sev.name(level)})"
    _rebase(incident, currents)
    reasons = [
        r for kind in ("killed", "displaced") if (r := _rise(incident, kind, currents.get(kind)))
    ]
    if level > incident.alerted_severity:
        reasons.append(
            f"severity up from {sev.name(incident.alerted_severity)} to {sev.name(level)}"
        )
    spread = [a for a in new_admin1s if a not in (incident.alerted_admin1s or [])]
    if spread and incident.alerted_admin1s:
        reasons.append(f"spread to {', '.join(spread)}")
    reasons += baseline
    if reasons:
        return ESCALATION, "; ".join(reasons)
    return UPDATE, "no material change since the last alert"


def _first_reason(incident: Incident, currents: dict[str, fig.Claim], created: bool) -> str:
    head = "first report" if created else "now reached the alert floor"
    parts = [
        f"{fig.claim_phrase(currents[kind])} {kind}"
        for kind in ("killed", "displaced")
        if kind in currents
    ]
    detail = f": {', '.join(parts)}" if parts else ""
    return f"{head} ({sev.name(incident.severity)}){detail}"
