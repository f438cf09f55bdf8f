"""Rules that keep one event one incident where places and wording fail, and keep two events
apart where a shared place misleads: shared proper names, late far smaller tolls, and a
figure set aside after it was alerted."""

from bot.analysis.facts import Figure
from bot.incidents.engine import IncidentEngine
from bot.incidents.matching import name_words
from storage.db import session_scope
from tests.test_incidents_support import JABLEH, at, facts, report


def _ingest(sqlite_engine, incidents: IncidentEngine, rep, fx, lang: str = "en"):
    fx.lang = lang
    with session_scope(sqlite_engine) as session:
        outcome = incidents.ingest(session, rep, fx)
        session.commit()
        return outcome.decision, outcome.incident.id if outcome.incident else None


def test_names_are_capitalised_runs_not_sentence_openers_days_or_placed_countries():
    names = name_words(
        "Gunmen kill dozens in Haiti",
        "On Friday gunmen of the Wharf Jérémie gang killed dozens in Cité Soleil, Haitian "
        "officials and the RSF said. Police arrived late.",
        places=["Haiti"],
    )
    assert names == {"wharf jérémie", "cité soleil", "rsf"}


def test_report_in_another_language_without_places_joins_by_two_shared_names(sqlite_engine):
    incidents = IncidentEngine()
    first = _ingest(
        sqlite_engine,
        incidents,
        report(
            "Gang massacre in the capital's port district",
            "Gang members killed at least 110 older residents in Wharf Jérémie, a slum of "
            "Cité Soleil, over the weekend, rights groups said.",
            when=at(9),
            url="https://wire-one.example/haiti-110",
        ),
        facts(killed=Figure(110, "at_least"), country="HTI"),
    )
    later = _ingest(
        sqlite_engine,
        incidents,
        report(
            "Au moins 184 morts dans un quartier du bord de mer",
            "Au moins 184 personnes ont été tuées à Wharf Jérémie, dans la commune de Cité "
            "Soleil, par le chef de gang du quartier.",
            when=at(10),
            url="https://journal.example/haiti-184",
        ),
        facts(killed=Figure(184, "at_least"), country="HTI"),
        lang="fr",
    )
    assert first[0] == "new"
    assert later == ("escalation", first[1])  # the same incident, alerted as worse, not new


def test_one_shared_actor_name_does_not_merge_two_attacks(sqlite_engine):
    incidents = IncidentEngine()
    first = _ingest(
        sqlite_engine,
        incidents,
        report(
            "Paramilitary assault on a displacement camp",
            "The RSF stormed Zamzam camp and killed at least 300 people, the United Nations said.",
            when=at(11),
            url="https://wire-one.example/zamzam",
        ),
        facts(killed=Figure(300, "at_least"), country="SDN"),
    )
    other = _ingest(
        sqlite_engine,
        incidents,
        report(
            "Drone strike on a market in the east",
            "An RSF drone hit a crowded market in the morning, killing 12 traders, local "
            "medics reported.",
            when=at(13),
            url="https://wire-two.example/market",
        ),
        facts(killed=Figure(12, "exact"), country="SDN"),
    )
    assert other[0] == "new" and other[1] != first[1]


def test_far_smaller_toll_in_the_same_town_days_later_is_another_attack(sqlite_engine):
    incidents = IncidentEngine()
    lead = "Militiamen attacked villages near Jableh at night and killed {n} civilians."
    first = _ingest(
        sqlite_engine,
        incidents,
        report("52 killed near Jableh", lead.format(n=52), when=at(1)),
        facts(JABLEH, killed=Figure(52, "exact")),
    )
    later = _ingest(
        sqlite_engine,
        incidents,
        report(
            "7 killed near Jableh",
            lead.format(n=7),
            when=at(12),
            url="https://wire-two.example/jableh-7",
        ),
        facts(JABLEH, killed=Figure(7, "exact")),
    )
    assert later[1] != first[1] and later[0] == "new"


def test_toll_climbing_after_an_estimate_was_set_aside_alerts_again(sqlite_engine):
    incidents = IncidentEngine()
    lead = "The earthquake near Jableh has killed {n} people, the authorities said."
    steps = [
        ("Quake toll could top 10,000, loss models say", 10000, "Model Watch", 7),
        ("Quake death toll rises to 1,644", 1644, "Wire One", 8),
        ("Quake death toll passes 1,700", 1700, "Wire Two", 9),
        ("Quake death toll reaches 3,085", 3085, "Wire Three", 10),
    ]
    decisions = []
    for title, n, source, day in steps:
        decision, _ = _ingest(
            sqlite_engine,
            incidents,
            report(
                title,
                lead.format(n=f"{n:,}"),
                when=at(day),
                source=source,
                url=f"https://{source.replace(' ', '-').lower()}.example/{n}",
            ),
            facts(JABLEH, killed=Figure(n, "exact"), topics=("earthquake",)),
        )
        decisions.append(decision)
    assert decisions == ["new", "update", "update", "escalation"]
