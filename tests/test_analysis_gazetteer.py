"""The gazetteer behind /subscribe: what a user types -> candidate places, best first."""

import pytest

from bot.analysis.gazetteer import PlaceEntry, country_name, search


def keys(query: str) -> list[str]:
    return [entry.key for entry in search(query)]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("syria", "SYR"),
        ("RDC", "COD"),
        ("Côte d'Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("ساحل العاج", "CIV"),
        ("SYR", "SYR"),
    ],
)
def test_country_names_codes_and_other_languages(query: str, key: str) -> None:
    assert keys(query)[0] == key


@pytest.mark.parametrize("query", ["Latakia", "Lattakia", "Al-Ladhiqiyah", "Latakia governorate"])
def test_transliterations_of_one_governorate(query: str) -> None:
    assert "SYR:Latakia" in keys(query)[:2]


def test_town_key_carries_its_admin1() -> None:
    top = search("Jableh")[0]
    assert top.kind == "town"
    assert top.key == "SYR:Latakia:Jablah"
    assert top.label == "Jablah (Latakia, Syria)"
    assert top.country_name == "Syria"
    assert top.lat is not None and top.population and top.population > 10_000


def test_region_spanning_states() -> None:
    top = search("Darfur")[0]
    assert (top.kind, top.country, top.key, top.label) == (
        "admin1", "SDN", "SDN:Darfur", "Darfur (Sudan)"
    )


def test_ambiguous_name_returns_each_candidate() -> None:
    countries = {entry.country for entry in search("Tripoli")}
    assert {"LBY", "LBN"} <= countries


def test_comma_narrows_to_a_country() -> None:
    assert {e.country for e in search("Tripoli, Lebanon")} == {"LBN"}


def test_exact_match_ranks_above_fuzzy() -> None:
    found = search("Homs")
    assert found[0].key == "SYR:Homs"
    assert found[0].kind == "admin1"


def test_typo_still_finds_the_place() -> None:
    assert "SYR:Latakia" in keys("Lattakya")


def test_gibberish_and_blank_give_nothing() -> None:
    assert search("xqzvbnmw") == []
    assert search("   ") == []


def test_entries_are_frozen() -> None:
    entry = search("syria")[0]
    assert isinstance(entry, PlaceEntry)
    with pytest.raises(AttributeError):
        entry.name = "x"  # type: ignore[misc]


def test_country_name() -> None:
    assert country_name("SYR") == "Syria"
    assert country_name("COD") == "DR Congo"
    assert country_name("XXX") == "XXX"
