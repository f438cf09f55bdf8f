"""What /status shows: recent incidents of a place, one escaped line each with its reporters."""

from bot.analysis.facts import Figure
from bot.incidents.engine import IncidentEngine
from bot.incidents.queries import recent_incidents, render_status_line
from storage.db import session_scope
from tests.test_incidents_support import ALEPPO, BANIYAS, JABLEH, at, facts, report


def _fill(engine) -> None:
    incidents = IncidentEngine()
    rows = [
        (
            report(
                "Clashes kill 30 in Jableh",
                "Clashes in Jableh killed 30 people.",
                when=at(7),
                url="https://a.example/1",
                source="Wire One",
            ),
            facts(JABLEH, killed=Figure(30, "exact", "the ministry")),
        ),
        (
            report(
                "Jableh clashes: monitor says 41 dead",
                "Clashes in Jableh killed 41 people, according to a war monitor.",
                when=at(7, 16),
                url="https://a.example/2",
                source="Gulf Daily",
            ),
            facts(JABLEH, killed=Figure(41, "exact", "<SOHR>")),
        ),
        (
            report(
                "Shelling kills 4 in Aleppo",
                "Shelling killed four people near Aleppo.",
                when=at(8),
                url="https://a.example/3",
            ),
            facts(ALEPPO, killed=Figure(4, "exact")),
        ),
        (
            report(
                "Quake felt in Baniyas",
                "A light earthquake shook Baniyas, no damage reported.",
                when=at(9),
                url="https://a.example/4",
            ),
            facts(BANIYAS, topics=("earthquake",)),
        ),
    ]
    with session_scope(engine) as session:
        for rep, fa in rows:
            incidents.ingest(session, rep, fa)


def test_recent_incidents_filter_by_country_admin1_and_town(sqlite_engine):
    _fill(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        assert len(recent_incidents(session, "SYR")) == 3
        assert len(recent_incidents(session, "SYR", limit=2)) == 2
        assert [i.country for i in recent_incidents(session, "syr", "latakia")] == ["SYR"]
        assert recent_incidents(session, "SYR", None, "Aleppo")[0].killed == 4
        assert recent_incidents(session, "SDN") == []
        newest_first = [i.last_seen for i in recent_incidents(session, None)]
        assert newest_first == sorted(newest_first, reverse=True)


def test_status_line_shows_figures_reporters_and_disagreement_escaped(sqlite_engine):
    _fill(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        jableh = recent_incidents(session, "SYR", "Latakia")[0]
        line = render_status_line(jableh)
    assert "<b>Syria</b>" in line and "Latakia" in line
    assert "killed 41 (&lt;SOHR&gt;, via Gulf Daily; the ministry, via Wire One: 30)" in line
    assert "2 reports" in line
