"""Casualty figures: what counts, its qualifier, its reporter, and the headline toll."""

import pytest

from bot.analysis.figures import find_figures

SEED = (
    "Since Thursday, more than 1,000 people have been killed, according to the Syrian "
    "Observatory for Human Rights. Clashes in the coastal area of Jableh escalated to death "
    "tolls of over 200, and the monitor counted at least 428 Alawite deaths."
)


def headline(text: str, kind: str = "killed", lang: str = "en", title: str | None = None):
    fig = find_figures(text, title=title, lang=lang).headline.get(kind)
    return None if fig is None else (fig.value, fig.qualifier)


def test_seed_headline_and_reporter() -> None:
    result = find_figures(SEED)
    killed = result.headline["killed"]
    assert (killed.value, killed.qualifier) == (1000, "more_than")
    assert killed.reporter == "Syrian Observatory for Human Rights"
    others = {(o["value"], o["qualifier"]) for o in result.others}
    assert (428, "at_least") in others
    assert (200, "more_than") in others


@pytest.mark.parametrize(
    "text",
    [
        "In 2023 the army sent 1,000 troops to the province.",
        "Fire destroyed 300 homes and the council approved $5 million in aid.",
        "The council adopted Resolution 2254 by 14 votes.",
        "A 7.8 magnitude quake struck at a depth of 10 km; 40 percent of homes were damaged.",
        "The girl, aged 12, and a 45-year-old man were among those rescued.",
        "Officials said 12 aid trucks reached the camp on Monday.",
    ],
)
def test_numbers_that_are_not_casualties(text: str) -> None:
    assert find_figures(text).headline == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hundreds of people were killed in the assault.", (None, "hundreds")),
        ("Dozens were killed when the building collapsed.", (None, "dozens")),
        ("Two dozen people died in the fire.", (24, "about")),
        ("Twenty-five civilians were killed in the raid.", (25, "exact")),
        ("The strike killed at least 14 people.", (14, "at_least")),
        ("Nearly 60 people died in the floods.", (60, "about")),
        ("Up to 30 villagers were killed.", (30, "up_to")),
        ("The death toll has climbed to 112, officials said.", (112, "exact")),
        ("The toll passed 500 on Sunday.", (500, "more_than")),
    ],
)
def test_qualifiers_and_words_for_numbers(text: str, expected: tuple) -> None:
    assert headline(text) == expected


def test_several_kinds_in_one_sentence() -> None:
    result = find_figures(
        "The blast killed 12 people and wounded 40 others, while 3 remain missing and "
        "5,000 residents have been displaced."
    )
    got = {kind: (f.value, f.qualifier) for kind, f in result.headline.items()}
    assert got == {
        "killed": (12, "exact"), "injured": (40, "exact"), "missing": (3, "exact"),
        "displaced": (5000, "exact"),
    }


def test_active_subject_is_not_the_toll() -> None:
    assert headline("About 200 fighters killed 15 villagers in the raid.") == (15, "exact")


def test_background_total_steps_aside_for_the_new_incident() -> None:
    text = (
        "An airstrike on a market killed 23 people on Tuesday. Since the war began in 2023, "
        "more than 40,000 people have been killed, according to the health ministry."
    )
    assert headline(text) == (23, "exact")


def test_superseded_toll_and_projection_are_not_the_headline() -> None:
    text = (
        "The toll rose to 57, up from 41 reported on Friday. Officials fear the number "
        "could reach 300 as rescuers dig."
    )
    assert headline(text) == (57, "exact")
    assert find_figures(text).rising


def test_separate_incident_is_kept_aside() -> None:
    text = (
        "A car bomb killed 9 people in the capital. Separately, 30 people were killed in "
        "clashes in the north."
    )
    result = find_figures(text)
    assert (result.headline["killed"].value, result.headline["killed"].qualifier) == (9, "exact")
    assert any(o["value"] == 30 for o in result.others)


def test_title_gives_the_headline() -> None:
    text = "Rescuers said 112 bodies were recovered. On Monday 40 more people were found dead."
    assert headline(text, title="Flood death toll rises to 152") == (152, "exact")


@pytest.mark.parametrize(
    ("text", "lang", "kind", "expected"),
    [
        ("Les combats ont fait au moins douze morts et des dizaines de blessés.", "fr", "killed",
         (12, "at_least")),
        ("Les combats ont fait au moins douze morts et des dizaines de blessés.", "fr",
         "injured", (None, "dozens")),
        ("Une vingtaine de villageois ont été tués.", "fr", "killed", (20, "about")),
        ("Al menos treinta y dos personas murieron y más de 1.500 fueron desplazadas.", "es",
         "killed", (32, "at_least")),
        ("Al menos treinta y dos personas murieron y más de 1.500 fueron desplazadas.", "es",
         "displaced", (1500, "more_than")),
        ("مقتل 20 شخصا وإصابة خمسة وعشرين آخرين في القصف", "ar", "killed", (20, "exact")),
        ("مقتل 20 شخصا وإصابة خمسة وعشرين آخرين في القصف", "ar", "injured", (25, "exact")),
        ("ارتفعت حصيلة القتلى إلى 62 ألفا و64 قتيلا", "ar", "killed", (62064, "exact")),
    ],
)
def test_french_spanish_arabic(text: str, lang: str, kind: str, expected: tuple) -> None:
    assert headline(text, kind=kind, lang=lang) == expected


def test_toll_and_its_verb_a_few_words_apart() -> None:
    title = "Quake death toll in the southern provinces rises to 2,310"
    assert headline("Rescue work went on through the night.", title=title) == (2310, "exact")


def test_arabic_at_least_after_the_number_and_claimed_lives() -> None:
    assert headline("مقتل 8 أشخاص على الأقل في السيول", lang="ar") == (8, "at_least")
    assert headline("أودى الحريق بحياة ما لا يقل عن مئة شخص", lang="ar") == (100, "at_least")


@pytest.mark.parametrize(
    ("text", "lang", "reporter"),
    [
        ("Al menos 12 personas murieron en Cúcuta, según la Defensoría del Pueblo.", "es",
         "Defensoría del Pueblo"),
        ("Au moins 30 personnes ont été tuées, d'après la Croix-Rouge.", "fr", "Croix-Rouge"),
    ],
)
def test_reporter_after_an_accented_cue(text: str, lang: str, reporter: str) -> None:
    killed = find_figures(text, lang=lang).headline["killed"]
    assert killed.reporter == reporter


def test_figure_late_in_a_long_report_is_found() -> None:
    filler = "The 2019 plan covered 300 schools and 45 clinics in 12 districts. " * 30
    text = filler + "On Sunday, gunmen killed 17 villagers near the market, officials said."
    assert headline(text) == (17, "exact")
