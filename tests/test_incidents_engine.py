"""The incident stage on a real SQLite database: one alert per incident, more only when it
gets materially worse, duplicates dropped, decisions stored with their reasons."""

from sqlmodel import select

from bot.analysis.facts import Figure
from bot.incidents import severity as sev
from bot.incidents.engine import IncidentEngine
from storage.db import session_scope
from storage.models import Alert, Incident, IncidentDecision
from tests.test_incidents_support import (
    ALEPPO,
    BANIYAS,
    JABLEH,
    LATAKIA_CITY,
    TARTUS,
    at,
    facts,
    report,
)

LEAD_1 = (
    "Fighting between government security forces and gunmen loyal to the former regime spread "
    "through the coastal towns of Jableh and Baniyas, and more than 200 people were killed, a "
    "war monitor said on Friday."
)
LEAD_2 = (
    "The number of people killed in the violence on the Syrian coast around Jableh and Baniyas "
    "has climbed to 745 civilians, the Syrian Observatory for Human Rights said on Saturday."
)
LEAD_3 = (
    "More than 1,000 people have been killed in two days of clashes and revenge killings on the "
    "Syrian coast, in Jableh, Baniyas and Latakia, the Syrian Observatory for Human Rights said."
)


def _syrian_coast(engine, incidents: IncidentEngine):
    steps = [
        (
            report(
                "Over 200 killed as clashes spread on Syria's coast",
                LEAD_1,
                when=at(7),
                source="Wire One",
                url="https://wire-one.example/syria-coast-200",
            ),
            facts(
                JABLEH, BANIYAS, killed=Figure(200, "more_than", "a war monitor", cumulative=True)
            ),
        ),
        (
            report(
                "Syria coast violence: death toll climbs to 745",
                LEAD_2,
                when=at(8),
                source="Gulf Daily",
                url="https://gulf-daily.example/news/745",
            ),
            facts(
                JABLEH,
                BANIYAS,
                killed=Figure(745, "exact", "SOHR", cumulative=True),
                topics=("armed_conflict", "massacre_reprisal"),
            ),
        ),
        (
            report(
                "More than 1,000 killed in Syria's coastal clashes, monitor says",
                LEAD_3,
                when=at(9),
                source="Wire Two",
                url="https://wire-two.example/a/1000",
            ),
            facts(
                JABLEH,
                BANIYAS,
                LATAKIA_CITY,
                killed=Figure(1000, "more_than", "SOHR", cumulative=True),
                topics=("armed_conflict", "massacre_reprisal"),
                escalation=True,
            ),
        ),
    ]
    outcomes = []
    for rep, fa in steps:
        with session_scope(engine) as session:
            outcomes.append(incidents.ingest(session, rep, fa))
    return outcomes


def test_climbing_toll_is_one_new_alert_then_two_escalations(sqlite_engine):
    outcomes = _syrian_coast(sqlite_engine, IncidentEngine())

    assert [o.decision for o in outcomes] == ["new", "escalation", "escalation"]
    assert len({o.incident.id for o in outcomes}) == 1
    assert "up from more than 200 to 745" in outcomes[1].reason
    assert "up from 745 to more than 1,000" in outcomes[2].reason
    assert outcomes[2].severity == sev.CRITICAL
    with session_scope(sqlite_engine) as session:
        alerts = session.exec(select(Alert).order_by(Alert.id)).all()
        assert [a.kind for a in alerts] == ["new", "escalation", "escalation"]
        assert alerts[2].priority == 0 and alerts[0].priority == 1
        assert "more than 1,000" in alerts[2].body_html
        assert "Toll up from 745 to more than 1,000" in alerts[2].body_html
        assert alerts[2].country == "SYR" and "Jableh" in alerts[2].towns
        incident = session.get(Incident, outcomes[0].incident.id)
        assert incident.killed == 1000 and incident.report_count == 3
        decisions = session.exec(select(IncidentDecision)).all()
        assert [d.decision for d in decisions] == ["new", "escalation", "escalation"]
        assert sum(d.killed_delta for d in decisions) == 1000


def test_syndicated_copy_is_a_duplicate_and_pages_nobody(sqlite_engine):
    incidents = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        first = incidents.ingest(
            session,
            report(
                "Over 200 killed on Syria's coast",
                LEAD_1,
                when=at(7),
                source="Wire One",
                url="https://wire-one.example/a",
            ),
            facts(JABLEH, killed=Figure(200, "more_than", "a war monitor")),
        )
    with session_scope(sqlite_engine) as session:
        copy = report(
            "Syria: deadly clashes on the coast",
            LEAD_1.replace(",", " ,"),
            when=at(7, 15),
            source="Local Paper",
            url="https://paper.example/x?id=9",
        )
        again = incidents.ingest(
            session, copy, facts(JABLEH, killed=Figure(200, "more_than", "a war monitor"))
        )
        assert again.decision == "duplicate" and again.alert is None and again.incident is None
        assert copy.incident_id == first.incident.id
        assert "syndicated" in again.reason
    with session_scope(sqlite_engine) as session:
        assert len(session.exec(select(Alert)).all()) == 1


def test_same_url_seen_again_is_a_duplicate_but_a_revision_updates(sqlite_engine):
    incidents = IncidentEngine()
    url = "https://acled.example/event/SYR123"
    with session_scope(sqlite_engine) as session:
        first = incidents.ingest(
            session,
            report(
                "Clashes in Jableh",
                "Armed clashes in Jableh left 12 people dead.",
                when=at(7),
                url=url,
                source="ACLED",
                fields={"fatalities": 12},
            ),
            facts(JABLEH, killed=None),
        )
        assert first.decision == "new" and first.severity == sev.MEDIUM
    with session_scope(sqlite_engine) as session:
        same = incidents.ingest(
            session,
            report(
                "Clashes in Jableh",
                "Armed clashes in Jableh left 12 people dead.",
                when=at(7, 13),
                url=url + "/",
                source="ACLED",
                fields={"fatalities": 12},
            ),
            facts(JABLEH),
        )
        assert same.decision == "duplicate"
    with session_scope(sqlite_engine) as session:
        revised = incidents.ingest(
            session,
            report(
                "Clashes in Jableh",
                "Armed clashes in Jableh left 14 people dead.",
                when=at(8),
                url=url,
                source="ACLED",
                fields={"fatalities": 14, "revision": 2},
            ),
            facts(JABLEH),
        )
        assert revised.decision == "update"
        assert revised.incident.id == first.incident.id and revised.incident.killed == 14


def test_same_city_weeks_apart_is_a_new_incident(sqlite_engine):
    incidents = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        march = incidents.ingest(
            session,
            report(
                "Over 200 killed on Syria's coast", LEAD_1, when=at(7), url="https://a.example/1"
            ),
            facts(JABLEH, killed=Figure(200, "more_than", "a war monitor")),
        )
    with session_scope(sqlite_engine) as session:
        april = incidents.ingest(
            session,
            report(
                "Car bomb kills 9 in Jableh market",
                "A car bomb exploded in the market of Jableh on Tuesday, killing nine people "
                "and wounding dozens, the local health directorate said.",
                when=at(1, month=4),
                url="https://a.example/2",
            ),
            facts(
                JABLEH,
                killed=Figure(9, "exact", "the health directorate"),
                topics=("terrorism_bombing",),
            ),
        )
    assert april.decision == "new" and april.incident.id != march.incident.id
    assert april.severity == sev.MEDIUM  # a bombing with deaths is at least medium


def test_other_place_same_day_is_another_incident(sqlite_engine):
    incidents = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        coast = incidents.ingest(
            session,
            report(
                "Over 200 killed on Syria's coast", LEAD_1, when=at(7), url="https://a.example/1"
            ),
            facts(JABLEH, BANIYAS, killed=Figure(200, "more_than", "a war monitor")),
        )
        north = incidents.ingest(
            session,
            report(
                "Shelling kills 4 in Aleppo countryside",
                "Artillery shells hit villages west of Aleppo, killing four people.",
                when=at(7, 14),
                url="https://a.example/2",
            ),
            facts(ALEPPO, killed=Figure(4, "exact"), topics=("airstrike_shelling",)),
        )
    assert north.decision == "new" and north.incident.id != coast.incident.id


def test_spread_to_a_new_admin1_is_an_escalation(sqlite_engine):
    incidents = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        incidents.ingest(
            session,
            report(
                "Clashes kill 30 in Jableh",
                "Clashes in Jableh killed 30 people on Friday.",
                when=at(7),
                url="https://a.example/1",
            ),
            facts(JABLEH, killed=Figure(30, "exact")),
        )
        spread = incidents.ingest(
            session,
            report(
                "Clashes in Jableh spread south to Tartus province",
                "The clashes that began in Jableh spread to Tartus province, where gunmen "
                "attacked checkpoints; the toll stays at 30.",
                when=at(7, 20),
                url="https://a.example/2",
            ),
            facts(JABLEH, TARTUS, killed=Figure(30, "exact")),
        )
    assert spread.decision == "escalation" and "spread to Tartus" in spread.reason


def test_small_rise_is_an_update_for_status_not_a_push(sqlite_engine):
    incidents = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        incidents.ingest(
            session,
            report(
                "Clashes kill 30 in Jableh",
                "Clashes in Jableh killed 30 people on Friday.",
                when=at(7),
                url="https://a.example/1",
            ),
            facts(JABLEH, killed=Figure(30, "exact")),
        )
        small = incidents.ingest(
            session,
            report(
                "Jableh clashes toll rises to 34",
                "The toll of the Jableh clashes rose to 34.",
                when=at(8),
                url="https://a.example/2",
            ),
            facts(JABLEH, killed=Figure(34, "exact")),
        )
    assert small.decision == "update" and small.alert is None
    assert small.incident.killed == 34


def test_incident_below_the_floor_is_stored_then_alerts_once_it_matters(sqlite_engine):
    incidents = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        quiet = incidents.ingest(
            session,
            report(
                "Protest in Jableh over power cuts",
                "Hundreds of residents of Jableh protested over power cuts on Friday.",
                when=at(7),
                url="https://a.example/1",
            ),
            facts(JABLEH, topics=("protest_unrest",)),
        )
        assert quiet.decision == "update" and quiet.severity == sev.INFO and quiet.alert is None
        worse = incidents.ingest(
            session,
            report(
                "Two killed as Jableh protest over power cuts turns violent",
                "Two residents of Jableh were killed when the protest over power cuts turned "
                "violent on Friday evening.",
                when=at(7, 20),
                url="https://a.example/2",
            ),
            facts(JABLEH, killed=Figure(2, "exact"), topics=("protest_unrest",)),
        )
    assert worse.decision == "new" and worse.incident.id == quiet.incident.id
    assert worse.alert is not None and worse.alert.kind == "new"


def test_index_is_rebuilt_from_the_database_at_start_up(sqlite_engine):
    first_process = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        opened = first_process.ingest(
            session,
            report(
                "Over 200 killed on Syria's coast",
                LEAD_1,
                when=at(7),
                url="https://wire-one.example/a",
            ),
            facts(JABLEH, BANIYAS, killed=Figure(200, "more_than", "a war monitor")),
        )
    restarted = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        restarted.load(session, now=at(8))
        later = restarted.ingest(
            session,
            report(
                "Syria coast violence: death toll climbs to 745",
                LEAD_2,
                when=at(8),
                url="https://gulf-daily.example/news/745",
            ),
            facts(JABLEH, BANIYAS, killed=Figure(745, "exact", "SOHR")),
        )
        copy = restarted.ingest(
            session,
            report("Over 200 killed", LEAD_1, when=at(8, 13), url="https://other.example/b"),
            facts(JABLEH, killed=Figure(200, "more_than")),
        )
    assert later.decision == "escalation" and later.incident.id == opened.incident.id
    assert copy.decision == "duplicate"


def test_gdacs_red_alert_is_critical_on_its_own(sqlite_engine):
    incidents = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        quake = incidents.ingest(
            session,
            report(
                "Red earthquake alert (M 7.7) in Myanmar",
                "An earthquake of magnitude 7.7 struck central Myanmar near Mandalay.",
                when=at(28),
                source="GDACS",
                url="https://gdacs.example/eq/1",
                fields={"alert_level": "Red"},
            ),
            facts(topics=("earthquake",), country="MMR"),
        )
    assert quake.decision == "new" and quake.severity == sev.CRITICAL
    assert quake.alert.priority == 0


def test_a_rolled_back_report_is_not_its_own_duplicate_when_retried(sqlite_engine):
    incidents = IncidentEngine()
    first = report(
        "Over 200 killed on Syria's coast", LEAD_1, when=at(7), url="https://a.example/1"
    )
    try:
        with session_scope(sqlite_engine) as session:
            incidents.ingest(session, first, facts(JABLEH, killed=Figure(200, "more_than")))
            raise RuntimeError("the fan-out failed")
    except RuntimeError:
        pass
    retry = report(
        "Over 200 killed on Syria's coast", LEAD_1, when=at(7), url="https://a.example/1"
    )
    with session_scope(sqlite_engine) as session:
        again = incidents.ingest(session, retry, facts(JABLEH, killed=Figure(200, "more_than")))
        assert again.decision == "new" and again.alert is not None
    with session_scope(sqlite_engine) as session:
        assert len(session.exec(select(Incident)).all()) == 1
        assert [d.decision for d in session.exec(select(IncidentDecision))] == ["new"]
