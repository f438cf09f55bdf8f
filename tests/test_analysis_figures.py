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


# Arabic reporting patterns: "and" written on the digits, passive and active verbs, counts
# with the verb first, "in the count of the missing", today's toll beside a running total.
@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("ارتفعت حصيلة القصف على البلدة إلى 52 قتيلا و83 جريحا", "injured", (83, "exact")),
        ("قتل 12 شخصا وأصيب أكثر من 30 آخرين في الانفجار", "injured", (30, "more_than")),
        ("قالت مصادر محلية إن المسلحين أصابوا 19 شخصا خلال الهجوم", "injured", (19, "exact")),
        ("بلغ عدد النازحين المسجلين منذ بداية الشهر 412 ألفا و300 شخص", "displaced",
         (412300, "exact")),
        ("قال الهلال الأحمر إن عدد المفقودين بسبب السيول تجاوز 5000", "missing",
         (5000, "more_than")),
        ("وبات المئات في عداد المفقودين بعد انهيار السد", "missing", (None, "hundreds")),
        ("لقي أكثر من 70 شخصا حتفهم في الفيضانات", "killed", (70, "more_than")),
    ],
)
def test_arabic_patterns(text: str, kind: str, expected: tuple) -> None:
    assert headline(text, kind=kind, lang="ar") == expected


def test_arabic_title_with_a_verbal_noun_and_an_active_verb() -> None:
    body = "وقالت الوزارة إن المستشفيات استقبلت 15 قتيلا خلال اليوم الأخير."
    assert headline(body, lang="ar", title="ارتفاع عدد القتلى في المدينة إلى 1200") == (
        1200, "exact")
    assert headline("وقع الهجوم فجرا.", lang="ar", title="مسلحون يقتلون 9 مدنيين في قرية") == (
        9, "exact")


def test_arabic_projection_stops_at_the_clause() -> None:
    text = ("قال المرصد إن الحصيلة ارتفعت إلى 215 قتيلا من المدنيين، ورجح أن يتجاوز العدد "
            "500 قتيل. وقتل 40 مدنيا في المدينة وحدها.")
    assert headline(text, lang="ar") == (215, "exact")


def test_arabic_meanwhile_and_an_earlier_attack_are_other_events() -> None:
    text = ("قتل 11 شخصا على الأقل في هجوم على القرية. وفي الأثناء قتل ما يزيد على 300 شخص "
            "في بلدة مجاورة محاصرة.")
    assert headline(text, lang="ar") == (11, "at_least")
    text = ("وقال المكتب إن أكثر من 25 مدنيا قتلوا في المخيم، وهو الهجوم الثاني خلال أيام، إذ "
            "سبقه هجوم أودى بحياة 60 مدنيا.")
    assert headline(text, lang="ar") == (25, "more_than")


def test_figures_told_with_the_headline_toll_share_its_scope() -> None:
    text = (
        "The ministry said 48,200 people had been killed and 111,300 injured since the war "
        "began. In the past day hospitals received 41 dead and 150 injured. Since the ceasefire "
        "ended, 9,100 people have been killed and 30,700 injured."
    )
    result = find_figures(text, title="Death toll in the enclave rises to 48,200")
    got = {kind: (f.value, f.qualifier) for kind, f in result.headline.items()}
    assert got == {"killed": (48200, "exact"), "injured": (111300, "exact")}


def test_an_earlier_raid_is_another_event() -> None:
    text = ("Gunmen killed 21 people at a church on Sunday. Four more people died in an earlier "
            "raid on a nearby farm, and 60 were killed in another attack last month.")
    assert headline(text) == (21, "exact")


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # a vague headline and a precise count in the body
        ("Hundreds reported killed at a field hospital",
         "Health officials said more than 310 people were killed at the hospital.",
         (310, "more_than")),
        # the body's count in the range of the vague headline, not a past disaster's
        ("Storms leave dozens dead",
         "The storms killed at least 57 people. The region recalls the flood of 1987, when "
         "more than 400 people died.", (57, "at_least")),
        # a lower bound in the headline, a higher count from another source in the body
        ("Raid on a village kills at least 20",
         "Local leaders put the toll at 20; a radio station citing hospital staff said 26 "
         "people were killed.", (26, "exact")),
        # "about" in the headline, the exact count in the body
        ("Les pluies font près de 90 morts",
         "La saison des pluies a tué 88 personnes, selon la protection civile.", (88, "exact")),
        # a round threshold in the headline, the exact count in the body
        ("Landslide death toll passes 60",
         "The toll has passed 60, with 64 bodies recovered so far, officials said.",
         (64, "exact")),
    ],
)
def test_title_and_body_together(title: str, text: str, expected: tuple) -> None:
    lang = "fr" if title.startswith("Les") else "en"
    assert headline(text, lang=lang, title=title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quake death toll surpasses 9,000", (9000, "more_than")),
        ("The monitor put the toll of three days of clashes in the two provinces at more than "
         "700.", (700, "more_than")),
        ("Some 150 people were injured over two days of protests.", None),
        ("The toll since 18 March has risen to 230.", (230, "exact")),
        ("At least 27 people, nine children among them, were killed in the shelling.",
         (27, "at_least")),
        ("More than 90 people, including women and children, were killed in the raids.",
         (90, "more_than")),
        ("The attack left between 150 and 300 dead, according to local groups.",
         (150, "at_least")),
        ("Medics first said 40 had died, then said later that the dead numbered in the "
         "hundreds.", (None, "hundreds")),
        ("The agency estimates that 380 patients and their relatives were killed.",
         (380, "about")),
        ("In May, 12 people were killed in a landslide near the town.", (12, "exact")),
        ("Aid agencies warned the toll could rise sharply, after officials said more than 900 "
         "people had died.", (900, "more_than")),
    ],
)
def test_english_toll_phrasing(text: str, expected: tuple | None) -> None:
    assert headline(text) == expected


def test_a_span_of_time_is_no_victim_count() -> None:
    result = find_figures("Some 150 people were injured over two days of protests.")
    assert (result.headline["injured"].value, result.headline["injured"].qualifier) == (
        150, "about")


def test_a_since_in_an_aside_or_a_comparison_is_no_background() -> None:
    text = ("Strikes killed more than 300 people on Tuesday, the health authorities said. The "
            "ministry later put the toll at 326, one of the highest for a single day since the "
            "war began.")
    assert headline(text, title="Strikes kill more than 300") == (326, "exact")
    text = ("Shelling killed 31 people in the deadliest attack since the war began. Since the "
            "war began, more than 20,000 people have been killed.")
    assert headline(text) == (31, "exact")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Un rapport porte à plus de 140 le nombre de personnes exécutées par le gang.", "fr",
         (140, "more_than")),
        ("Sept personnes, dont deux enseignants, ont été tuées dans la nuit.", "fr",
         (7, "exact")),
        ("L'attaque a fait entre 60 et 90 morts selon les sources locales.", "fr",
         (60, "at_least")),
        ("Un attentat fait onze morts à Kolofata", "fr", (11, "exact")),
        ("Le cyclone a fait au moins 9 morts, mais le préfet redoute plusieurs centaines de "
         "morts.", "fr", (9, "at_least")),
        ("Los atacantes mataron al menos a 1.200 personas en tres días.", "es",
         (1200, "at_least")),
        ("En los combates murió un soldado del Ejército.", "es", (1, "exact")),
    ],
)
def test_french_and_spanish_phrasing(text: str, lang: str, expected: tuple) -> None:
    assert headline(text, lang=lang) == expected


def test_the_figures_of_one_part_of_the_event_are_not_its_totals() -> None:
    text = (
        "Strikes on three villages killed at least 19 people on Sunday, the ministry said. In "
        "the first village, seven people died and 12 were wounded. A strike on the second "
        "killed five and wounded 9."
    )
    assert find_figures(text).headline.get("injured") is None
    text = (
        "A drone strike on a market killed 22 people. Six women and nine children were among "
        "the dead, and 31 other people were taken to hospital."
    )
    result = find_figures(text)
    assert (result.headline["injured"].value, result.headline["injured"].qualifier) == (
        31, "exact")


def test_a_running_total_beside_todays_count_is_kept() -> None:
    text = (
        "Attacks have killed 31,200 people since the war began, the ministry said. In the past "
        "day 90 people were killed and 140 wounded, bringing the number of injured to at least "
        "73,000."
    )
    result = find_figures(text, title="Death toll rises to 31,200")
    assert (result.headline["injured"].value, result.headline["injured"].qualifier) == (
        73000, "at_least")


def test_a_national_displacement_total_is_context_for_a_new_attack() -> None:
    text = (
        "Gunmen killed 12 villagers on Monday, the governor said. Violence since 2016 has left "
        "thousands dead and 2.1 million people displaced across the country."
    )
    assert find_figures(text).headline.get("displaced") is None


def test_another_incident_the_same_day_gives_no_figure_of_its_own_kind() -> None:
    text = (
        "Clashes killed three soldiers near the border. On the same day, a car bomb outside the "
        "town hall of another city wounded 27 people."
    )
    assert find_figures(text).headline.get("injured") is None


def test_a_reminder_of_an_earlier_total_is_background() -> None:
    text = (
        "Les frappes ont tué 130 personnes lundi, et plus de 600 blessés ont été soignés. Le "
        "ministre a rappelé que près de 3 000 personnes avaient été blessées en une semaine."
    )
    assert headline(text, kind="injured", lang="fr") == (600, "more_than")


@pytest.mark.parametrize(
    ("text", "lang", "kind", "expected"),
    [
        ("Close to 4,100 people have left their homes since gangs attacked the town.", "en",
         "displaced", (4100, "about")),
        ("Evacuees now number 212,400 people across four regions.", "en", "displaced",
         (212400, "exact")),
        ("The number of people who have fled the country has now passed two million.", "en",
         "displaced", (2000000, "more_than")),
        ("Authorities evacuated 5,120 families, or 21,300 people, from the valley.", "en",
         "displaced", (21300, "exact")),
        ("Some 1,300 people went to shelters as the storm came ashore.", "en", "displaced",
         (1300, "about")),
        ("Miles de campesinos huyen de los combates hacia la ciudad.", "es", "displaced",
         (None, "thousands")),
        ("Más de 3.000 desplazados por los combates en la región", "es", "displaced",
         (3000, "more_than")),
        ("La Defensoría informó del desplazamiento masivo de más de 1.500 personas.", "es",
         "displaced", (1500, "more_than")),
        ("Les pluies ont fait 40 morts et 90 000 sinistrés.", "fr", "displaced", None),
        ("Quelque 300 déplacés ont été tués dans l'attaque du camp.", "fr", "killed",
         (300, "about")),
        ("Un camp de déplacés a été attaqué dans la nuit.", "fr", "displaced", None),
        ("Seventeen wounded people died in hospital overnight.", "en", "killed", (17, "exact")),
    ],
)
def test_displacement_and_other_phrasing(text: str, lang: str, kind: str, expected) -> None:
    assert headline(text, kind=kind, lang=lang) == expected


@pytest.mark.parametrize(
    ("text", "title", "lang"),
    [
        ("A nurse who had treated patients in the ward has died of the virus, officials said.",
         None, "en"),
        ("Nothing else was reported.", "Aid worker killed in strike on convoy", "en"),
        ("Un déplacé a été tué et huit autres personnes ont été blessées.", None, "fr"),
        ("وأعلنت الوزارة مقتل صحفي في القصف على المدينة.", None, "ar"),
    ],
)
def test_one_death_told_without_a_number(text: str, title: str | None, lang: str) -> None:
    assert headline(text, lang=lang, title=title) == (1, "exact")


def test_one_death_is_only_read_when_no_toll_is_given() -> None:
    text = "A soldier was killed on Monday. In all, 14 people were killed in the fighting."
    assert headline(text) == (14, "exact")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Le préfet redoute plusieurs centaines, voire quelques milliers de morts, après au "
         "moins 11 morts confirmés.", "fr", (11, "at_least")),
        ("Loss models put the likely number of deaths at 5,000 or more.", "en", None),
    ],
)
def test_fears_and_models_are_not_tolls(text: str, lang: str, expected) -> None:
    assert headline(text, lang=lang) == expected


def test_a_thousands_group_word_is_thousands() -> None:
    fig = find_figures("Quelques milliers de personnes ont été déplacées.", lang="fr")
    assert (fig.headline["displaced"].value, fig.headline["displaced"].qualifier) == (
        None, "thousands")


@pytest.mark.parametrize(
    ("text", "reporter"),
    [
        ("أعلنت وزارة الصحة، الثلاثاء، مقتل 12 شخصا في الغارة.", "وزارة الصحة"),
        ("قتل 7 مدنيين على الأقل بحسب المرصد السوري، في قصف على البلدة.", "المرصد السوري"),
        ("وقال الدفاع المدني إن 9 أشخاص لقوا حتفهم في الحريق.", "الدفاع المدني"),
    ],
)
def test_arabic_reporter(text: str, reporter: str) -> None:
    assert find_figures(text, lang="ar").headline["killed"].reporter == reporter


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Rescuers recovered the bodies of 11 miners on Sunday.", "en"),
        ("Les secours ont retrouvé les corps de 11 mineurs dimanche.", "fr"),
        ("Los rescatistas recuperaron los cuerpos de 11 mineros el domingo.", "es"),
    ],
)
def test_bodies_recovered_are_deaths(text: str, lang: str) -> None:
    assert headline(text, lang=lang) == (11, "exact")


def test_a_vague_word_before_reported_is_no_reporter() -> None:
    result = find_figures("The hospital was stormed on Tuesday.", title="Hundreds reported killed")
    assert result.headline["killed"].reporter is None


def test_displacement_since_an_old_start_is_context_for_a_new_strike() -> None:
    text = (
        "A strike on a house killed 10 people on Saturday, the news agency said. About 90,000 "
        "people have fled their homes in the south since the fighting began in October 2023."
    )
    assert find_figures(text).headline.get("displaced") is None


def test_an_earlier_count_told_in_the_past_perfect_is_superseded() -> None:
    text = ("أعلنت الوزارة تعديل حصيلة الغارة إلى 31 قتيلا. وكانت الوزارة قد أعلنت مقتل 40 شخصا "
            "في حصيلة أولى.")
    assert headline(text, lang="ar") == (31, "exact")
    text = ("La pluie a fait 75 morts. Le bilan précédent, arrêté la semaine dernière, faisait "
            "état de 90 morts.")
    assert headline(text, lang="fr") == (75, "exact")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("A new law died in parliament on Tuesday.", "en"),
        ("The man killed his neighbour, police said.", "en"),
        ("Un projet de loi est mort au Sénat.", "fr"),
        ("Un proyecto murió en el congreso.", "es"),
    ],
)
def test_a_death_of_words_is_no_death(text: str, lang: str) -> None:
    assert find_figures(text, lang=lang).headline == {}
