"""The gazetteer behind /subscribe: what a user types -> candidate places, best first."""

from pathlib import Path

import pytest

from bot.analysis.gazetteer import PlaceEntry, country_name, load, search
from bot.analysis.places import find_places
from bot.analysis.text import arabic_latin_variants, ayn_as_long_vowel, name_key


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


@pytest.mark.parametrize(
    ("text", "pcodes"),
    [
        ("Gunmen killed 52 people near Jableh, in Syria.", [("Jableh", "SY06")]),
        ("Strikes on Kharkiv oblast killed 3, Ukraine said.", [("Kharkiv", "UA63")]),
        ("Floods hit Hadramawt in Yemen.", [("Hadramawt", "YE19")]),
        # Where no P-code list is kept, the field stays empty rather than guessed.
        ("Floods hit Maiduguri in Nigeria.", [("Maiduguri", None)]),
    ],
)
def test_places_carry_their_admin1_pcode(text: str, pcodes: list) -> None:
    found = find_places(text).places
    assert [(p.name, p.pcode) for p in found if p.kind != "country"] == pcodes


def test_every_kept_pcode_names_a_built_admin1() -> None:
    data = Path(__file__).resolve().parents[1] / "bot/analysis/data"
    rows = (data / "admin1_pcodes.tsv").read_text(encoding="utf-8").splitlines()
    wanted = {tuple(r.split("\t")) for r in rows if r and not r.startswith("#")}
    built = {
        (e.country, e.name, e.pcode) for e in load().entries if e and e.kind == "admin1"
    }
    assert wanted <= built


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


# --- Admin2 units, hand-kept names and sites, transliteration variants -------------------

DATA = Path(__file__).parent.parent / "bot" / "analysis" / "data"


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Pangasinan", "PHL:Ilocos:Pangasinan"),  # a province under a Philippine region
        ("Gaines County", "USA:Texas:Gaines"),  # a US county, by its full name
        ("Buner District", "PAK:Khyber Pakhtunkhwa:Buner"),  # the district answers to its town
    ],
)
def test_admin2_units_carry_country_and_admin1(query: str, key: str) -> None:
    top = search(query)[0]
    assert top.kind == "town"
    assert top.key == key
    assert top.lat is not None and top.lon is not None


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Chouf", "LBN:Mount Lebanon:Chouf"),  # a Lebanese district (hand-kept admin2.tsv)
        ("الشوف", "LBN:Mount Lebanon:Chouf"),
        ("Gorkha", "NPL:Gandaki:Gorkha"),  # a Nepali district
        ("North Wollo", "ETH:Amhara:North Wollo"),  # an Ethiopian zone
        ("Mayo-Tsanaga", "CMR:Far North:Mayo-Tsanaga"),  # a Cameroonian department
        ("Kavre", "NPL:Bagmati:Kavrepalanchok"),  # a short name joins the district's entry
    ],
)
def test_hand_kept_admin2_units(query: str, key: str) -> None:
    assert search(query)[0].key == key


def test_unknown_population_is_not_dropped_as_a_village() -> None:
    # Mozambique's Palma (a district, population unknown here) stays beside Spain's city.
    assert "MOZ:Cabo Delgado:Palma" in keys("Palma")


def test_bare_us_county_name_is_not_a_place() -> None:
    # "Lincoln", "Gaines": a person more often than a county; only "X County" is indexed.
    assert all(e.key != "USA:Texas:Gaines" for e in load().candidates("gaines"))


def test_generic_admin2_names_are_not_indexed() -> None:
    # "West Coast" is a phrase of any report, not South Africa's district of that name.
    assert all(e.country != "ZAF" for e in load().candidates(name_key("West Coast")))


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("حضرموت", "YEM:Hadramawt"),
        ("شبوة", "YEM:Shabwah"),
        ("نينوى", "IRQ:Nineveh"),
        ("الأنبار", "IRQ:Al Anbar"),
        ("شمال دارفور", "SDN:North Darfur"),
        ("الجبل الأخضر", "LBY:Jabal al Akhdar"),
        ("القنيطرة", "SYR:Quneitra"),
        ("Alep", "SYR:Aleppo"),
        ("Damasco", "SYR:Damascus"),
    ],
)
def test_admin1_names_in_arabic_french_spanish(query: str, key: str) -> None:
    assert search(query)[0].key == key


def test_admin1_arabic_words_that_are_common_nouns_are_left_out() -> None:
    # "معسكر" (camp) is also an Algerian wilaya, "العصابة" (the gang) a Mauritanian region.
    gaz = load()
    assert all(e.kind != "admin1" for e in gaz.candidates(name_key("معسكر")))
    assert all(e.kind != "admin1" for e in gaz.candidates(name_key("العصابة")))


@pytest.mark.parametrize(
    ("written", "country"),
    [
        ("Deir al-Balah", "PSE"),  # GeoNames: Dayr al Balah
        ("Deir el-Balah", "PSE"),
        ("Beit Lahia", "PSE"),  # Bayt Lahya
        ("Al-Sheikh Miskin", "SYR"),  # Shaykh Miskin
        ("Tell Abyad", "SYR"),  # Tall Abyad
        ("Ain al-Arab", "SYR"),  # 'Ayn al 'Arab
        ("Raqqa", "SYR"),  # Ar Raqqah
        ("Ras al-Ain", "SYR"),  # Ra's al 'Ayn: every word is a common one, the name is not
    ],
)
def test_report_spellings_of_arabic_names(written: str, country: str) -> None:
    assert country in {e.country for e in load().candidates(name_key(written))}


def test_variants_of_one_key() -> None:
    found = arabic_latin_variants("dayr al balah")
    assert {"deir al balah", "deir el balah"} <= set(found)
    assert "dayr al balah" not in found
    assert "jableh" in arabic_latin_variants("jablah")
    assert "khan younis" in arabic_latin_variants("khan yunis")


def test_variants_never_reduce_a_name_to_a_common_word() -> None:
    # "El Oued" must not make "wadi" or "oued" a place on their own.
    assert not {"wadi", "oued", "al", "el"} & set(arabic_latin_variants("el oued"))


def test_ayn_before_a_is_written_as_a_long_vowel() -> None:
    assert ayn_as_long_vowel("Tall Rif\u2018at") == "Tall Rifaat"
    assert ayn_as_long_vowel("Sa\u2018dah") is None  # after a vowel the mark just goes
    assert search("Tell Rifaat")[0].country == "SYR"


def test_typographic_apostrophe_keys_like_ascii() -> None:
    assert name_key("Cox\u2019s Bazar") == name_key("Cox's Bazar")
    assert search("Cox's Bazar")[0].country == "BGD"
    assert search("Cox\u2019s Bazar")[0].country == "BGD"


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Zamzam", "SDN:North Darfur:Zamzam"),
        ("Abu Shouk", "SDN:North Darfur:Abu Shouk"),
        ("أبو شوك", "SDN:North Darfur:Abu Shouk"),
        ("Al-Mawasi", "PSE:Gaza Strip:Al-Mawasi"),
        ("Kutupalong", "BGD:Chittagong:Kutupalong"),
        ("Bhasan Char", "BGD:Chittagong:Bhasan Char"),
        ("Zaatari", "JOR:Mafraq:Zaatari"),
        ("Ain el-Hilweh", "LBN:South Lebanon:Ain al-Hilweh"),
        ("Bidibidi", "UGA:Northern:Bidibidi"),
        ("Minawao", "CMR:Far North:Minawao"),
    ],
)
def test_camps_and_sites(query: str, key: str) -> None:
    assert search(query)[0].key == key


def _admin2_rows() -> list[list[str]]:
    return [row for path in sorted(DATA.glob("admin2*.tsv")) for row in _rows(path.name)]


def test_hand_kept_rows_name_admin1_units_that_exist() -> None:
    gaz = load()
    admin1 = {(e.country, e.name) for e in gaz.entries if e is not None and e.kind == "admin1"}
    for row in _rows("admin1_names.tsv") + _admin2_rows():
        assert (row[0], row[1]) in admin1, row[:2]
    for iso3, site_admin1, *_ in _rows("sites.tsv"):
        assert iso3 in gaz.country_names, iso3
        assert not site_admin1 or (iso3, site_admin1) in admin1, (iso3, site_admin1)


def test_sites_have_coordinates_in_range() -> None:
    for row in _rows("sites.tsv"):
        assert len(row) == 6, row
        lat, lon = float(row[4]), float(row[5])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, row


@pytest.mark.parametrize(
    ("text", "place", "country"),
    [
        ("Shelling hit Zamzam camp, south of El Fasher, killing twelve people on Friday.",
         "Zamzam", "SDN"),
        ("Strikes on Deir el-Balah in the central Gaza Strip killed nine overnight.",
         "Deir el-Balah", "PSE"),
        ("Floods displaced thousands in Pangasinan province, in the north of the Philippines.",
         "Pangasinan", "PHL"),
        ("قتل خمسة أشخاص في قصف طال مناطق في حضرموت شرقي اليمن.", "حضرموت", "YEM"),
        ("Measles cases in Gaines County, Texas, passed 200, health officials said.",
         "Gaines County", "USA"),
    ],
)
def test_reports_name_the_new_places(text: str, place: str, country: str) -> None:
    found = {(p.name, p.country) for p in find_places(text).places}
    assert (place, country) in found


def test_yemen_west_coast_is_not_south_africa() -> None:
    found = find_places("Yemen: displacement caused by escalation on the West Coast.")
    assert "ZAF" not in {p.country for p in found.places}


# --- Second pass: admin2/admin3 lists of the countries most aid reports cover -------------


def test_admin2_rows_are_well_formed_and_listed_once() -> None:
    seen: set[tuple[str, str, str]] = set()
    for row in _admin2_rows():
        assert len(row) in (3, 4) and all(cell.strip() == cell and cell for cell in row), row
        key = (row[0], row[1], name_key(row[2]))  # two "North Shewa" zones: two regions
        assert key not in seen, row
        seen.add(key)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Gwer West", "NGA:Benue:Gwer West"),  # a Nigerian local government area
        ("Gwoza", "NGA:Borno:Gwoza"),
        ("Barsalogho", "BFA:Centre-Nord:Barsalogho"),  # a Burkinabe commune
        ("Bourasso", "BFA:Boucle du Mouhoun:Bourasso"),
        ("Tillia", "NER:Tahoua:Tillia"),  # a Nigerien department
        ("Mozogo", "CMR:Far North:Mozogo"),  # a commune of Cameroon's Far North
        ("Bani Matar", "YEM:Sanaa:Bani Matar"),  # a Yemeni district
        ("بني مطر", "YEM:Sanaa:Bani Matar"),
        ("Jabal Sam'an", "SYR:Aleppo:Jabal Sam'an"),  # a Syrian district
        ("الحمدانية", "IRQ:Nineveh:Al-Hamdaniya"),  # an Iraqi district
        ("Kutum", "SDN:North Darfur:Kutum"),  # a Sudanese locality
        ("الكاملين", "SDN:Gezira:Al Kamlin"),
        ("Mayendit", "SSD:Unity:Mayendit"),  # a South Sudanese county
        ("Beledweyne", "SOM:Hiiraan:Beledweyne"),  # a Somali district
        ("Dera Bugti", "PAK:Balochistan:Dera Bugti"),  # a Pakistani district
        ("Kwamouth", "COD:Mai-Ndombe:Kwamouth"),  # a Congolese territory
        ("Bangassou", "CAF:Mbomou:Bangassou"),  # a Central African sub-prefecture
        ("Erati", "MOZ:Nampula:Erati"),  # a Mozambican district
        ("Paletwa", "MMR:Chin:Paletwa"),  # a Myanmar township
        ("Zinda Jan", "AFG:Herat:Zinda Jan"),  # an Afghan district
        ("Pont-Sondé", "HTI:Artibonite:Pont-Sondé"),  # a Haitian locality
    ],
)
def test_second_pass_admin2_and_admin3_units(query: str, key: str) -> None:
    assert search(query)[0].key == key


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Extrême-Nord", "CMR:Far North"),
        ("Sud-Ouest", "BFA:Sud-Ouest"),  # also Cameroon's: both are candidates
        ("Sud-Ouest", "CMR:South-West"),
        ("Nord-Ouest", "CMR:North-West"),
        ("Haut-Nil", "SSD:Upper Nile"),
        ("Kasaï-Oriental", "COD:East Kasai"),
        ("Kongo-Central", "COD:Bas-Congo"),
        ("Ouaddaï", "TCD:Ouadaï"),
        ("تمبكتو", "MLI:Tombouctou"),
        ("الأرض الفلسطينية المحتلة", "PSE"),
    ],
)
def test_french_and_arabic_names_of_admin1_units_and_countries(query: str, key: str) -> None:
    assert key in keys(query)[:3]


@pytest.mark.parametrize(
    "phrase",
    ["الشمال الغربي", "الجنوب الغربي", "شرق الجزيرة", "المدينة", "الوحدة", "التحرير"],
)
def test_arabic_phrases_that_are_common_words_are_no_admin_unit(phrase: str) -> None:
    # "in the north-west", "east of Gezira", "the city", "unity": phrases of any Arabic text.
    found = load().candidates(name_key(phrase))
    assert all(e.country not in {"CMR", "SDN", "YEM", "SSD"} for e in found), found


def test_hand_kept_units_carry_no_common_word_as_a_name() -> None:
    # "Song" and "Logo" (Nigerian LGAs), "Crater" (Aden), "Hub" (Balochistan), "Kale" (Sagaing):
    # a hand-kept name is only worth its place when reports do not use it as a word.
    words = {"song", "logo", "crater", "hub", "tank", "kale", "abba", "sole", "dire", "say",
             "san", "obi", "awe", "machina", "pale", "saw", "muse", "rambo", "samba", "midi"}
    for row in _admin2_rows():
        names = [row[2], *(row[3].split("|") if len(row) > 3 else [])]
        assert not {name_key(n) for n in names} & words, row


@pytest.mark.parametrize(
    ("text", "place", "country"),
    [
        ("Gunmen killed 20 people in Guma local government area of Benue State on Sunday.",
         "Guma", "NGA"),
        ("Des hommes armés ont tué douze civils à Barsalogho, au Burkina Faso.",
         "Barsalogho", "BFA"),
        ("قتل خمسة مدنيين في قصف استهدف مدينة الكاملين بولاية الجزيرة.", "الكاملين", "SDN"),
        ("Airstrikes hit Bani Matar district, west of the capital Sanaa, killing four.",
         "Bani Matar", "YEM"),
        ("Fighting displaced 3,000 people in Paletwa township of Chin State.", "Paletwa", "MMR"),
        ("Les violences dans l'Extrême-Nord du Cameroun ont fait neuf morts.",
         "Extrême-Nord", "CMR"),
    ],
)
def test_reports_name_the_second_pass_places(text: str, place: str, country: str) -> None:
    found = {(p.name, p.country) for p in find_places(text).places}
    assert (place, country) in found


def test_occupied_palestinian_territory_in_arabic_is_the_country() -> None:
    text = "قالت الأمم المتحدة إن الوضع الإنساني في الأرض الفلسطينية المحتلة يتدهور."
    assert find_places(text).countries == ["PSE"]
