"""Places in a report: hierarchy, spellings, demonyms, and ambiguity resolved by context."""

from bot.analysis.places import find_places


def places(text: str, source_country: str | None = None) -> list[tuple]:
    result = find_places(text, source_country=source_country)
    return [(p.name, p.country, p.admin1, p.kind) for p in result.places]


def test_seed_places_with_their_governorates() -> None:
    text = (
        "Clashes in the coastal area of Jableh spread to Baniyas and the outskirts of "
        "Latakia, the Syrian monitor said."
    )
    result = find_places(text)
    assert result.countries == ["SYR"]
    assert places(text) == [
        ("Jableh", "SYR", "Latakia", "town"),
        ("Baniyas", "SYR", "Tartus", "town"),
        ("Latakia", "SYR", "Latakia", "town"),
    ]


def test_tripoli_follows_the_other_places() -> None:
    lebanon = places("Gunfire was heard in Tripoli, north of Beirut, the Lebanese army said.")
    libya = places("Militias clashed in Tripoli and in Misrata, in western Libya.")
    assert ("Tripoli", "LBN", "North Lebanon", "town") in lebanon
    assert ("Tripoli", "LBY", "Tripoli", "town") in libya


def test_source_country_breaks_a_tie() -> None:
    assert places("Clashes in Tripoli left the city centre closed.", source_country="LBN") == [
        ("Tripoli", "LBN", "North Lebanon", "town")
    ]


def test_ambiguous_name_without_context_is_not_guessed() -> None:
    assert places("Clashes in Tripoli left the city centre closed.") == []


def test_lower_case_admin_word_is_left_out_of_the_name() -> None:
    found = places("Gunmen attacked villages in Benue state, Nigeria.")
    assert found == [("Benue", "NGA", "Benue", "admin1")]


def test_demonym_gives_the_country() -> None:
    assert find_places("Sudanese troops shelled the market.").countries == ["SDN"]


def test_region_and_state_names() -> None:
    found = places("Fighting in Darfur reached El Fasher, capital of North Darfur, Sudan.")
    names = {(name, country) for name, country, _a, _k in found}
    assert {("Darfur", "SDN"), ("El Fasher", "SDN"), ("North Darfur", "SDN")} <= names


def test_french_and_arabic_names() -> None:
    assert ("Goma", "COD", "North Kivu", "town") in places(
        "Des combats ont éclaté près de Goma, dans le Nord-Kivu, en RDC."
    )
    arabic = find_places("قتل 20 شخصا في غارة على مدينة الفاشر في شمال دارفور بالسودان")
    assert arabic.countries[0] == "SDN"
    assert arabic.places[0].country == "SDN" and arabic.places[0].admin1 == "North Darfur"


def test_capitalised_words_are_not_towns() -> None:
    text = (
        "Police said the Rapid Support Forces attacked on Monday. Officials from the Ministry "
        "of Health met Mr Said in Victoria Hall."
    )
    assert places(text) == []


def test_possessive_is_read() -> None:
    assert find_places("Zambia's Eastern Province was hit by floods.").countries == ["ZMB"]


def test_french_elision_is_read_from_the_name_on() -> None:
    found = places("Les pluies ont inondé plusieurs quartiers de l'Artibonite, en Haïti.")
    assert ("Artibonite", "HTI", "Artibonite", "admin1") in found


def test_a_word_after_a_title_is_a_person_not_a_place() -> None:
    found = places("President Kinshasa spoke in Goma, in the Democratic Republic of Congo.")
    assert [name for name, *_ in found] == ["Goma"]


def test_attacking_state_does_not_take_the_main_country() -> None:
    assert find_places("Russian strikes on Kharkiv killed five people.").countries[0] == "UKR"
