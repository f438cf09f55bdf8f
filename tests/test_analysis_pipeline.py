"""analyse(): the seed passage of issue 4 read end to end, and the extract contract."""

from bot.analysis import Facts, analyse

SEED = (
    "Since Thursday, more than 1,000 people have been killed, according to the Syrian "
    "Observatory for Human Rights. Clashes in the coastal area of Jableh escalated to death "
    "tolls of over 200, and fighting reached Latakia and Baniyas, where gunmen carried out "
    "summary executions. The monitor recorded at least 428 Alawite deaths. Some 1,000 troops "
    "were sent to the area, 300 homes burned, and Resolution 2254 was quoted by envoys who "
    "pledged $5 million in aid."
)


def test_seed_passage() -> None:
    facts = analyse(SEED)
    assert isinstance(facts, Facts)
    assert facts.lang == "en"
    assert facts.countries[0] == "SYR"
    names = {(p.name, p.country, p.admin1) for p in facts.places}
    assert {("Jableh", "SYR", "Latakia"), ("Latakia", "SYR", "Latakia"),
            ("Baniyas", "SYR", "Tartus")} <= names
    assert facts.killed is not None
    assert (facts.killed.value, facts.killed.qualifier) == (1000, "more_than")
    assert facts.killed.reporter == "Syrian Observatory for Human Rights"
    assert facts.injured is None and facts.displaced is None and facts.missing is None
    assert {"armed_conflict", "massacre_reprisal"} <= set(facts.topics)
    assert facts.escalation is True


def test_contract_fields() -> None:
    out = analyse(SEED).to_dict("r1")
    assert list(out) == [
        "id", "lang", "countries", "places", "killed", "injured", "displaced", "missing",
        "other_figures", "topics", "escalation",
    ]
    assert set(out["places"][0]) == {"name", "country", "admin1", "pcode", "lat", "lon"}
    assert set(out["killed"]) == {"value", "qualifier", "reporter"}


def test_report_without_figures() -> None:
    facts = analyse(
        "The Security Council renewed the mission's mandate for 12 months on Tuesday, with "
        "13 votes in favour.",
        title="Council renews Mali mission mandate",
    )
    assert (facts.killed, facts.injured, facts.displaced, facts.missing) == (None,) * 4
    assert facts.escalation is False


def test_title_and_languages() -> None:
    fr = analyse("Au moins 15 personnes ont été tuées dans l'attaque du village, selon l'armée.")
    assert fr.lang == "fr"
    assert fr.killed is not None and (fr.killed.value, fr.killed.qualifier) == (15, "at_least")
    empty = analyse("")
    assert empty.countries == [] and empty.killed is None
