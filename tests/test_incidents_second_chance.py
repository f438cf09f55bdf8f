"""Rules that keep one event one incident where places and wording fail, and keep two events
apart where a shared place misleads: shared proper names, late far smaller tolls, and a
figure set aside after it was alerted."""

from bot.analysis.facts import Facts, Figure, Place
from bot.incidents.engine import IncidentEngine
from bot.incidents.matching import name_words, storm_names
from storage.db import session_scope
from tests.test_incidents_support import BANIYAS, JABLEH, TARTUS, at, facts, report


def _ingest(sqlite_engine, incidents: IncidentEngine, rep, fx, lang: str = "en"):
    fx.lang = lang
    with session_scope(sqlite_engine) as session:
        outcome = incidents.ingest(session, rep, fx)
        session.commit()
        return outcome.decision, outcome.incident.id if outcome.incident else None


# Reports used by several cases: (report, facts) pairs, spread into _ingest's arguments.
def _chido_first() -> tuple:
    rep = report(
        "Cyclone Chido leaves at least 14 dead on the island",
        "Cyclone Chido killed at least 14 people in Mamoudzou and Kawéni, the prefect said.",
        when=at(15, month=12),
        url="https://wire-one.example/chido-14",
    )
    return rep, facts(killed=Figure(14, "at_least"), topics=("storm",), country="MYT")


def _chido_count_on_31_december() -> tuple:
    """Sixteen days on, no town named and no shared wording: only the storm's name links it."""
    rep = report(
        "Official count now 39",
        "The official count after cyclone Chido stands at 39 dead and over 4,000 hurt.",
        when=at(31, month=12),
        url="https://journal.example/chido-39",
    )
    return rep, facts(killed=Figure(39, "exact"), topics=("storm",), country="MYT")


def _coast_340() -> tuple:
    rep = report(
        "340 killed in coastal reprisals",
        "Gunmen killed 340 civilians in villages near Jableh over two days, a monitor said.",
        when=at(8),
        url="https://wire-one.example/coast-340",
    )
    return rep, facts(JABLEH, killed=Figure(340, "exact"), topics=("massacre_reprisal",))


def _arabic_803(day: int) -> tuple:
    """A placeless Arabic report of 803 killed on "the coast"."""
    rep = report(
        "مقتل 803 أشخاص",
        "وثقت الشبكة مقتل 803 أشخاص خلال الهجمات في الساحل.",
        when=at(day),
        url="https://arabic.example/803",
    )
    return rep, facts(killed=Figure(803, "exact"), topics=("massacre_reprisal",))


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


def test_storm_names_follow_the_kind_of_storm_in_each_language():
    assert storm_names("Typhoon Yagi makes landfall", "") == {"yagi"}
    assert storm_names("", "Après le passage du cyclone Chido sur l'archipel") == {"chido"}
    assert storm_names("", "El huracán Melissa tocó tierra; the National Hurricane Center") == {
        "melissa"
    }
    assert storm_names("Storm surge floods the coast", "") == set()


def test_toll_named_by_its_storm_two_weeks_on_joins_the_storm_not_a_new_alert(sqlite_engine):
    incidents = IncidentEngine()
    first = _ingest(sqlite_engine, incidents, *_chido_first())
    later = _ingest(sqlite_engine, incidents, *_chido_count_on_31_december())
    assert first[0] == "new"
    assert later == ("escalation", first[1])


def test_placeless_toll_in_another_language_joins_the_one_big_incident(sqlite_engine):
    incidents = IncidentEngine()
    first = _ingest(sqlite_engine, incidents, *_coast_340())
    small = _ingest(sqlite_engine, incidents, *_arabic_803(day=10), lang="ar")
    assert first[0] == "new"
    assert small == ("escalation", first[1])


def test_placeless_small_toll_is_not_pinned_on_the_big_incident(sqlite_engine):
    incidents = IncidentEngine()
    first = _ingest(sqlite_engine, incidents, *_coast_340())
    other = _ingest(
        sqlite_engine,
        incidents,
        report(
            "مقتل 5 أشخاص بانفجار",
            "قتل 5 أشخاص بانفجار لغم في ريف المحافظة.",
            when=at(9),
            url="https://arabic.example/5",
        ),
        facts(killed=Figure(5, "exact"), topics=("massacre_reprisal",)),
        lang="ar",
    )
    assert other[0] == "new" and other[1] != first[1]


def test_after_a_restart_a_late_toll_still_finds_its_storm(sqlite_engine):
    _ingest(sqlite_engine, IncidentEngine(), *_chido_first())
    restarted = IncidentEngine()
    with session_scope(sqlite_engine) as session:
        restarted.load(session, now=at(31, month=12))
    later = _ingest(sqlite_engine, restarted, *_chido_count_on_31_december())
    assert later[0] == "escalation"


def test_toll_of_the_same_order_in_the_incidents_provinces_joins_whatever_its_wording(
    sqlite_engine,
):
    incidents = IncidentEngine()
    first = _ingest(
        sqlite_engine,
        incidents,
        report(
            "Coastal toll passes 1,000",
            "More than 1,000 people were killed in two days of fighting near Jableh and "
            "Baniyas, the monitor said.",
            when=at(8),
            url="https://wire-one.example/coast-1000",
        ),
        facts(JABLEH, BANIYAS, killed=Figure(1000, "more_than"), topics=("massacre_reprisal",)),
    )
    # An Arabic report already joined, so Arabic wording is compared word by word from now on.
    _ingest(sqlite_engine, incidents, *_arabic_803(day=9), lang="ar")
    later = _ingest(
        sqlite_engine,
        incidents,
        report(
            "ارتفاع الحصيلة إلى 1383",
            "قال المرصد إن عدد القتلى ارتفع إلى 1383 بعد ثلاث مجازر جديدة في طرطوس واللاذقية.",
            when=at(10),
            url="https://arabic.example/1383",
        ),
        facts(JABLEH, TARTUS, killed=Figure(1383, "exact"), topics=("massacre_reprisal",)),
        lang="ar",
    )
    assert first[0] == "new"
    assert later[1] == first[1] and later[0] != "new"


def test_town_placed_once_is_still_a_shared_name_where_analysis_cannot_place_it(sqlite_engine):
    incidents = IncidentEngine()
    barsalogho = Place("Barsalogho", "BFA", "Centre-Nord", None, 13.42, -1.06)
    first = _ingest(
        sqlite_engine,
        incidents,
        report(
            "At least 100 killed in Barsalogho",
            "Fighters of the JNIM group killed at least 100 civilians digging trenches around "
            "Barsalogho in Burkina Faso on Saturday.",
            when=at(26, month=8),
            url="https://wire-one.example/barsalogho-100",
        ),
        facts(barsalogho, killed=Figure(100, "at_least"), country="BFA"),
    )
    # Five weeks on, no country in the text, so analysis placed nothing: the names remain.
    later = _ingest(
        sqlite_engine,
        incidents,
        report(
            "Up to 600 killed, new assessment says",
            "Up to 600 people may have been killed in the August attack on Barsalogho by the "
            "JNIM, a security assessment says.",
            when=at(4, month=10),
            url="https://wire-two.example/barsalogho-600",
        ),
        Facts(countries=[], killed=Figure(600, "up_to"), topics=["armed_conflict"]),
    )
    assert first[0] == "new"
    assert later[1] == first[1] and later[0] != "new"
