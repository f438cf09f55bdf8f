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


# Which country leads: where things happen, not who acts.


def test_the_country_where_fighting_happens_leads_not_the_one_whose_forces_act() -> None:
    text = (
        "Clashes in Yemen grew worse this week, the government said. The rebels accuse Saudi "
        "forces of dozens of air raids, and rebel drones set off sirens in Saudi Arabia."
    )
    assert find_places(text).countries[:2] == ["YEM", "SAU"]


def test_a_state_ordered_to_stop_is_not_where_the_war_is() -> None:
    text = (
        "Judges ordered Russia to halt the offensive it launched in Ukraine last month, by a "
        "vote of 13 to 2."
    )
    assert find_places(text).countries[:2] == ["UKR", "RUS"]


def test_upper_case_acronym_of_a_country_counts() -> None:
    countries = find_places("US air strikes on a house in Sanaa killed four people.").countries
    assert countries[0] == "YEM" and "USA" in countries


def test_shared_country_name_follows_the_other_places() -> None:
    text = "Rebels attacked a church in east Congo, in Ituri province, killing 34 people."
    assert find_places(text).countries[0] == "COD"


# A capital standing for its government is no place where something happened.


def test_capital_as_the_subject_of_a_statement_is_not_a_place() -> None:
    text = (
        "Ahead of the US president's visit, Washington wants allies to raise defence spending. "
        "Kyiv meanwhile carried out a long "
        "range drone attack, and Kinshasa, which had pressed for the mission to end, asked "
        "for it to stay."
    )
    result = find_places(text)
    assert places(text) == []
    assert {"USA", "UKR", "COD"} <= set(result.countries)


def test_capital_possessive_of_a_campaign_is_not_a_place() -> None:
    text = "Strikes on Hodeidah marked a new phase of Washington's campaign against the group."
    assert [name for name, *_ in places(text)] == ["Hodeidah"]


def test_capital_where_something_happens_stays_a_place() -> None:
    hit = places("Drones hit Kyiv overnight, Ukrainian officials said.")
    assert [name for name, *_ in hit] == ["Kyiv"]
    said = places("Officials in Kyiv said the strikes had stopped.")
    assert [name for name, *_ in said] == ["Kyiv"]


# Names that are not places although some town bears them.


def test_storm_names_are_not_towns_even_where_used_alone() -> None:
    text = (
        "Searching for the missing in Acapulco after Otis. The toll of Hurricane Otis in "
        "Guerrero stands at 45; Otis came ashore as a category 5 storm."
    )
    found = places(text)
    assert [name for name, *_ in found] == ["Acapulco", "Guerrero"]
    assert ("Guerrero", "MEX", "Guerrero", "admin1") in found


def test_cyclone_name_is_not_a_town_and_possessive_names_are_read() -> None:
    found = places("Cyclone Mora battered Cox's Bazar in south-eastern Bangladesh.")
    assert [(name, country) for name, country, *_ in found] == [("Cox's Bazar", "BGD")]


def test_climate_phase_and_groups_of_countries_are_not_places() -> None:
    result = find_places(
        "OCHA presents its outlook on El Niño for Latin America and the Caribbean, and on "
        "América Latina y el Caribe."
    )
    assert result.places == [] and result.countries == []


def test_spanish_common_words_are_not_towns() -> None:
    text = (
        "La Defensoría del Pueblo condenó el atentado en Balboa, Cauca. Solo en las últimas "
        "horas hubo otros dos ataques en el departamento."
    )
    assert [(name, country) for name, country, *_ in places(text)] == [
        ("Balboa", "COL"),
        ("Cauca", "COL"),
    ]
    assert find_places(text).countries == ["COL"]


def test_place_inside_a_larger_institution_name_is_skipped() -> None:
    assert places("The Saudi Maternity Hospital in El Fasher was shelled.")[0][1] == "SDN"


# Arabic: no capitals, so a one-word name needs a cue or a known country around it.


def test_arabic_common_words_are_not_places() -> None:
    text = (
        "هاجمت قوات الدعم السريع قرية في ولاية الجزيرة وسط السودان، ما أدى إلى مقتل عشرات، "
        "ودان والي الجزيرة الهجوم، وقالت لجان المقاومة إن العدد سيرتفع."
    )
    found = places(text)
    assert [(name, country) for name, country, *_ in found] == [("الجزيرة", "SDN")]


def test_arabic_word_for_floods_is_not_seoul() -> None:
    result = find_places("مقتل ثمانية أشخاص في سيول باليمن، وغرق اثنان في محافظة شبوة")
    assert result.countries == ["YEM"]
    assert all(p.country == "YEM" for p in result.places)


def test_big_arabic_place_beside_a_country_the_text_speaks_of() -> None:
    result = find_places("ارتفاع عدد القتلى في غزة جراء الغارات الإسرائيلية إلى 60")
    assert [(p.name, p.country) for p in result.places] == [("غزة", "PSE")]
    assert result.countries[0] == "PSE"


def test_arabic_dateline_before_the_agency_is_read() -> None:
    result = find_places("دمشق-سانا: توقعت الأرصاد أمطاراً غزيرة على سوريا غداً")
    assert [(p.name, p.country) for p in result.places] == [("دمشق", "SYR")]


# Admin-unit phrases resolve to the unit, keeping the name as written.


def test_generic_word_names_a_unit_only_with_an_admin_word() -> None:
    nigeria = places("Gunmen killed 40 people in neighbouring Plateau state, Nigeria.")
    assert ("Plateau", "NGA", "Plateau", "admin1") in nigeria
    assert places("The plateau above the town was flooded in Nigeria.") == []


def test_french_admin_phrases_name_the_unit() -> None:
    text = (
        "En Haïti, les départements du Centre et de l'Artibonite, ainsi que le département "
        "de l'Ouest, comptent la plupart des déplacés."
    )
    found = {(name, country, kind) for name, country, _a, kind in places(text)}
    assert {("Centre", "HTI", "admin1"), ("Artibonite", "HTI", "admin1"),
            ("Ouest", "HTI", "admin1")} <= found


def test_township_and_region_words() -> None:
    text = (
        "Eleven bodies were found in Taungoo Township in Bago Region, Myanmar, and six more "
        "in southern Shan State; Bago was under a state of emergency."
    )
    names = [name for name, *_ in places(text)]
    assert names == ["Taungoo Township", "Bago Region", "Shan State"]


def test_compass_word_is_kept_for_a_town_and_not_for_a_unit() -> None:
    assert [name for name, *_ in places("Shelling hit northern Gaza again, Israel said.")] == [
        "northern Gaza"
    ]


def test_city_and_governorate_of_one_name_are_two_places() -> None:
    text = "Famine is occurring in Gaza Governorate, which includes Gaza City."
    assert [name for name, *_ in places(text)] == ["Gaza Governorate", "Gaza City"]


def test_first_level_unit_stands_alone_after_in() -> None:
    text = (
        "Hotel owners in Kashmir say bookings collapsed after gunmen attacked visitors near "
        "the town of Pahalgam."
    )
    result = find_places(text)
    assert result.countries == ["IND"]
    assert {p.name for p in result.places} == {"Kashmir", "Pahalgam"}


def test_transliterated_article_in_lower_case_starts_a_name() -> None:
    text = "Strikes hit a building in the al-Mansouriyah district of Hodeidah, in Yemen."
    assert ("al-Mansouriyah", "YEM") in [(name, country) for name, country, *_ in places(text)]


def test_capitalised_article_is_part_of_the_name_as_written() -> None:
    text = "Armed groups fight over mining in El Patía, Cauca, Colombia."
    assert ("El Patía", "COL") in [(name, country) for name, country, *_ in places(text)]


def test_place_naming_a_body_is_not_where_things_happen() -> None:
    text = (
        "The Wad Madani Resistance Committee said fighters stormed a village in Gezira State, "
        "Sudan."
    )
    assert [name for name, *_ in places(text)] == ["Gezira State"]


def test_country_acting_on_another_is_not_the_main_country() -> None:
    text = "Iran launched a wave of missiles at Israel overnight, the army said."
    assert find_places(text).countries[:2] == ["ISR", "IRN"]


def test_dateline_in_capitals_is_read_but_acronyms_are_not_towns() -> None:
    found = places("GOMA, Democratic Republic of Congo - MSF and WFP teams reached the camps.")
    assert [(name, country) for name, country, *_ in found] == [("GOMA", "COD")]


def test_people_with_particles_or_roles_are_not_towns() -> None:
    text = (
        "Zverev beat Van de Zandschulp to reach the US Open semi-finals, security analyst "
        "Gordon Corera said."
    )
    assert places(text) == []


def test_sentence_start_word_written_lower_case_elsewhere_is_a_common_word() -> None:
    text = "Time to end the war in Ukraine, the chief said: it is time for talks with Russia."
    assert places(text) == []
    assert find_places(text).countries[0] == "UKR"


def test_a_hamlet_across_the_border_needs_more_than_a_neighbour() -> None:
    # "German" is also a hamlet in Mexico, next to the United States named here.
    assert places("The German, who plays in the US Open, won in straight sets.") == []


def test_a_name_repeated_does_not_confirm_itself() -> None:
    assert places("Clashes in Tripoli went on. Later in Tripoli the city centre closed.") == []


def test_capital_in_a_passive_headline_is_a_place() -> None:
    assert [name for name, *_ in places("Beirut hit by Israeli strikes, Lebanon says.")] == [
        "Beirut"
    ]
    assert [name for name, *_ in places("Beirut strikes kill five in Lebanon.")] == ["Beirut"]
