"""What /subscribe makes of what people type: one target, or choices, never a silent guess."""

import pytest

from bot.subscriptions import place_query, resolve


@pytest.mark.parametrize(
    ("typed", "kind", "key"),
    [
        ("Syria", "country", "SYR"),
        ("syria", "country", "SYR"),
        ("  Sudan ", "country", "SDN"),
        ("epidemics", "topic", "epidemic"),
        ("airstrikes", "topic", "airstrike_shelling"),
    ],
)
def test_one_obvious_target_is_taken_at_once(typed, kind, key):
    resolution = resolve(typed)
    assert resolution.target is not None, resolution.choices
    assert (resolution.target.kind, resolution.target.key) == (kind, key)


def test_an_ambiguous_town_offers_each_country():
    resolution = resolve("Tripoli")
    assert resolution.target is None
    countries = {c.key.split(":")[0] for c in resolution.choices}
    assert {"LBY", "LBN"} <= countries


@pytest.mark.parametrize("typed", ["Lattakia", "Latakia", "Al-Ladhiqiyah"])
def test_spellings_of_latakia_lead_to_syria(typed):
    resolution = resolve(typed)
    targets = [resolution.target] if resolution.target else list(resolution.choices)
    assert targets and all(t.key.startswith("SYR") for t in targets[:2])
    assert any("Latakia" in t.label for t in targets)


@pytest.mark.parametrize("typed", ["", "   ", "Qwxzvbnm"])
def test_nothing_known_gives_no_target_and_no_choices(typed):
    resolution = resolve(typed)
    assert resolution.target is None and resolution.choices == ()


def test_status_filters_come_from_the_key():
    resolution = resolve("Syria")
    place = place_query(resolution.target)
    assert (place.country, place.admin1, place.town) == ("SYR", None, None)
    assert place_query(resolve("epidemics").target) is None
