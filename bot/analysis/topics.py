"""Topics a report is about, and what a user may type to subscribe to one.

The topic list (id -> label), each matched by keywords in English, French, Spanish and Arabic:

- armed_conflict: fighting between armed forces or groups, armed gangs included (clashes,
  offensives, battles); implied by airstrike_shelling.
- airstrike_shelling: air and drone strikes, shelling, artillery, missile and rocket fire.
- massacre_reprisal: massacres, summary executions, reprisal or sectarian killings.
- terrorism_bombing: bombings, suicide attacks, explosive devices, attacks called terrorist.
- protest_unrest: protests, riots, crackdowns on demonstrators, civil unrest.
- abduction: kidnappings and mass abductions.
- attack_on_aid: attacks on aid workers, convoys, hospitals and health staff.
- earthquake, flood, storm, landslide, drought, wildfire, volcano: natural hazards.
- epidemic: disease outbreaks (cholera, measles, Ebola, mpox, dengue ...).
- food_insecurity: famine, hunger, malnutrition, IPC phases.
- displacement: people forced from their homes, refugees, displaced camps.
"""

import re
from functools import cache

from bot.analysis.patterns import bmp_class, in_bmp
from bot.analysis.text import normalise

TOPICS: dict[str, str] = {
    "armed_conflict": "Armed conflict",
    "airstrike_shelling": "Airstrikes and shelling",
    "massacre_reprisal": "Massacres and reprisal killings",
    "terrorism_bombing": "Terrorism and bombings",
    "protest_unrest": "Protests and unrest",
    "abduction": "Kidnappings and abductions",
    "attack_on_aid": "Attacks on aid workers and health care",
    "earthquake": "Earthquakes",
    "flood": "Floods",
    "storm": "Storms and cyclones",
    "landslide": "Landslides",
    "drought": "Drought",
    "wildfire": "Wildfires",
    "volcano": "Volcanic eruptions",
    "epidemic": "Epidemics and disease outbreaks",
    "food_insecurity": "Food insecurity and famine",
    "displacement": "Displacement",
}

# Keyword stems on normalised text (lower case, no accents, Arabic letters folded): a stem
# matches at a word start ("clash" -> "clashes"); "word=" matches the word or its plural only
# ("storm=" is not "stormed"). Arabic stems match anywhere, as prefixes glue to words there.
_KEYWORDS: dict[str, list[str]] = {
    "armed_conflict": [
        "clash", "fighting", "fighters", "offensive", "battle", "militia", "rebel", "armed group",
        "insurgen", "gunmen", "gunfire", "troops", "paramilitar", "hostilities", "ceasefire",
        "rapid support forces", "armed forces", "war=", "combat",
        "affrontement", "combats", "combattants", "milice", "rebelle", "groupe arme",
        "hommes armes", "enfrentamiento", "combates", "milicia", "grupo armado",
        "hombres armados", "guerrilla", "disidencia", "اشتباك", "معارك", "مسلح", "قتال",
        "gang=", "gangs armes", "pandilla", "bandits", "عصابات", "assaillant", "assailant",
        "armed men", "groupes armes", "grupos armados", "attaque armee", "ataque armado",
        "jihadist", "djihadist", "yihadista",
    ],
    "airstrike_shelling": [
        "airstrike", "air strike", "air raid", "drone strike", "drone attack", "shelling",
        "shelled", "bombard", "artillery", "missile", "rocket", "mortar", "strikes on",
        "strike on", "israeli strike", "frappe", "bombardement", "tirs d artillerie", "obus",
        "drone", "bombardeo", "ataque aereo", "misil", "cohete", "غاره", "غارات", "قصف",
        "صاروخ", "مسيره", "طائره مسيره",
    ],
    "massacre_reprisal": [
        "massacre", "reprisal", "summary execution", "executions", "executed", "revenge killing",
        "sectarian killing", "ethnic cleansing", "mass killing", "mass grave", "tuerie",
        "represaille", "execution sommaire", "masacre", "represalia", "ejecucion", "fosa comun",
        "مجزره", "مذبحه", "اعدامات", "انتقام", "تطهير عرقي",
        # Civilians killed on purpose in an attack, as French and Spanish reports put it.
        "civils tues", "civils desarmes", "feu sur des civils", "civiles asesinados",
        "asesinato de civiles", "fuego contra civiles",
    ],
    "terrorism_bombing": [
        "suicide bomb", "suicide attack", "car bomb", "bomb blast", "bombing", "explosive device",
        "ied=", "terroris", "jihadist", "islamic state", "al shabaab", "al-shabaab", "boko haram",
        "attentat", "kamikaze", "engin explosif", "voiture piegee", "jihadiste", "atentado",
        "coche bomba", "explosivo", "terrorista", "تفجير", "انتحاري", "عبوه ناسفه", "ارهاب",
        "سياره مفخخه",
    ],
    "protest_unrest": [
        "protest", "demonstrat", "riot", "unrest", "tear gas", "crackdown", "manifestation",
        "manifestant", "emeute", "gaz lacrymogene", "protesta", "manifestante", "disturbio",
        "gases lacrimogenos", "احتجاج", "متظاهر", "مظاهرات", "تظاهر",
    ],
    "abduction": [
        "kidnap", "abduct", "hostage", "enlev", "otage", "secuestr", "rehen", "اختطاف", "خطف",
        "رهائن",
    ],
    "attack_on_aid": [
        "aid worker", "humanitarian worker", "humanitarian staff", "aid convoy",
        "humanitarian convoy", "attack on hospital", "attacks on health", "health worker",
        "medical staff", "travailleurs humanitaires", "humanitaires tues", "convoi humanitaire",
        "trabajadores humanitarios", "cooperantes", "عمال الاغاثه", "عاملين في المجال الانساني",
    ],
    "earthquake": [
        "earthquake", "quake", "tremor", "aftershock", "seismic", "seisme",
        "tremblement de terre", "sismo", "terremoto", "temblor", "زلزال", "هزه ارضيه",
    ],
    "flood": [
        "flood", "flash flood", "inundat", "deluge", "torrential rain", "heavy rain",
        "inondation", "crue=", "pluies torrentielles", "fortes pluies", "inundacion", "riada",
        "lluvias torrenciales", "crecida", "فيضان", "سيول", "امطار غزيره", "intemperies",
        "pluies diluviennes", "fuertes lluvias", "lluvias intensas",
    ],
    "storm": [
        "cyclone", "hurricane", "typhoon", "tropical storm", "storm=", "ouragan", "tempete",
        "huracan", "tormenta", "tifon", "اعصار", "عاصفه",
    ],
    "landslide": [
        "landslide", "mudslide", "glissement de terrain", "coulee de boue", "deslizamiento",
        "derrumbe", "alud=", "انهيار ارضي", "انزلاق",
    ],
    "drought": ["drought", "secheresse", "sequia", "جفاف"],
    "wildfire": [
        "wildfire", "forest fire", "bushfire", "incendie de foret", "feux de foret",
        "incendio forestal", "حرائق الغابات", "حريق غابات",
    ],
    "volcano": ["volcan", "eruption", "erupcion", "بركان", "ثوران"],
    "epidemic": [
        "outbreak", "epidemic", "cholera", "measles", "ebola", "mpox", "monkeypox", "dengue",
        "meningitis", "diphtheria", "polio", "marburg", "lassa", "plague", "anthrax",
        "yellow fever", "epidemie", "choler", "rougeole", "meningite", "diphterie", "peste=",
        "brote", "epidemia", "colera", "sarampion", "fiebre amarilla", "وباء", "تفشي",
        "كوليرا", "الحصبه", "حمي الضنك",
    ],
    "food_insecurity": [
        "famine", "hunger", "food insecurity", "malnutrition", "malnourished", "starvation",
        "ipc phase", "food crisis", "faim", "insecurite alimentaire", "hambruna", "hambre",
        "inseguridad alimentaria", "desnutricion", "مجاعه", "انعدام الامن الغذائي",
        "سوء التغذيه", "الجوع", "crise alimentaire", "crisis alimentaria",
    ],
    "displacement": [
        "displaced", "displacement", "fled their homes", "forced to flee", "have fled",
        "had fled", "refugee", "idp", "evacuat", "homeless", "deplace", "refugie", "exode",
        "ont fui", "desplazad", "refugiad", "huyeron", "نازح", "نزوح", "لاجئ", "تهجير", "شرد",
    ],
}

# What users type that is not a keyword above: plural forms are handled by the stem rule.
_SYNONYMS: dict[str, list[str]] = {
    "armed_conflict": ["conflict", "war", "conflict and war", "armed violence", "insecurity"],
    "airstrike_shelling": ["airstrikes", "air strikes", "bombing raids", "drones", "shelling"],
    "massacre_reprisal": ["massacres", "atrocities", "killings"],
    "terrorism_bombing": ["terrorism", "terror attacks", "bombings", "explosions", "ied"],
    "protest_unrest": ["protests", "demonstrations", "riots", "civil unrest", "unrest"],
    "abduction": ["kidnapping", "kidnappings", "abductions", "hostages"],
    "attack_on_aid": ["aid workers", "aid worker safety", "humanitarian access", "health care"],
    "earthquake": ["earthquakes", "quakes", "seismic"],
    "flood": ["floods", "flooding"],
    "storm": ["storms", "cyclones", "hurricanes", "typhoons"],
    "landslide": ["landslides", "mudslides"],
    "drought": ["droughts"],
    "wildfire": ["wildfires", "fires", "forest fires"],
    "volcano": ["volcanoes", "eruptions", "volcanic"],
    "epidemic": ["epidemics", "disease outbreak", "disease outbreaks", "disease", "health",
                 "outbreaks", "pandemic"],
    "food_insecurity": ["famine", "hunger", "food", "food security", "nutrition"],
    "displacement": ["displacement", "refugees", "idps", "migration"],
}


def _arabic(stem: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in stem)


_WORD = re.compile(r"\w+")
_WORD_BMP = re.compile(bmp_class(r"\w") + "+")
_EXACT_TAIL = re.compile(r"(?:s|es)?\b")


@cache
def _index() -> dict[str, list[tuple[str, str, bool]]]:
    """One-word keyword stems by their first three letters (`stem`, topic, exact)."""
    index: dict[str, list[tuple[str, str, bool]]] = {}
    for topic, stems in _KEYWORDS.items():
        for raw in stems:
            stem = normalise(raw.rstrip("="))
            if " " not in stem:
                index.setdefault(stem[:3], []).append((stem, topic, raw.endswith("=")))
    return index


@cache
def _phrases() -> dict[str, list[tuple[str, str, bool]]]:
    """Keywords of several words by their first word: (phrase, topic, exact)."""
    phrases: dict[str, list[tuple[str, str, bool]]] = {}
    for topic, stems in _KEYWORDS.items():
        for raw in stems:
            stem = normalise(raw.rstrip("="))
            if " " in stem:
                phrases.setdefault(stem.split(" ", 1)[0], []).append(
                    (stem, topic, raw.endswith("=")))
    return phrases


_WordHits = tuple[tuple[str, ...], tuple[tuple[str, str, bool], ...]]
# Words already read with what each hits, and those that hit something: news repeats its
# vocabulary, so most words of a report are sorted by one set operation instead of a Python
# loop. Replaced whole (never cleared) past a bound, so a call in flight keeps its view.
_VOCABULARY: tuple[dict[str, _WordHits], set[str]] = ({}, set())
_VOCABULARY_LIMIT = 50_000


def _word_hits(word: str) -> _WordHits:
    """The topics one word's stems hit (once per stem) and the phrases it may start."""
    index, phrases = _index(), _phrases()
    topics: list[str] = []
    wanted: list[tuple[str, str, bool]] = []
    # Arabic glues "and", "in", "the" to the word: try the stem after such a prefix too.
    offsets = range(min(4, len(word) - 2)) if "\u0600" <= word[0] <= "\u06ff" else (0,)
    for offset in offsets:
        for stem, topic, exact in index.get(word[offset : offset + 3], ()):
            if word.startswith(stem, offset) and (
                not exact or word[offset + len(stem) :] in ("", "s", "es")
            ):
                topics.append(topic)
        wanted.extend(phrases.get(word[offset:], ()))
    return tuple(topics), tuple(wanted)


def _vocabulary() -> tuple[dict[str, _WordHits], set[str]]:
    global _VOCABULARY
    if len(_VOCABULARY[0]) > _VOCABULARY_LIMIT:
        _VOCABULARY = ({}, set())
    return _VOCABULARY


def _hits(folded: str) -> dict[str, int]:
    """Topic -> mentions; exact for displacement, the one topic that needs two, and at least
    one for the others (counting those would cost a pass over the words each)."""
    hits: dict[str, int] = {}
    wanted: set[tuple[str, str, bool]] = set()
    words = (_WORD_BMP if in_bmp(folded) else _WORD).findall(folded)
    distinct = set(words)
    known, hitting = _vocabulary()
    for word in distinct.difference(known):
        found = known[word] = _word_hits(word)
        if found[0] or found[1]:
            hitting.add(word)
    for word in distinct & hitting:
        topics, phrases = known[word]
        if topics:
            count = words.count(word) if "displacement" in topics else 1
            for topic in topics:
                hits[topic] = hits.get(topic, 0) + count
        wanted.update(phrases)
    # Phrases only when their first word occurs: a substring count each.
    for phrase, topic, exact in wanted:
        at = folded.find(phrase)
        while at >= 0:
            if not exact or _EXACT_TAIL.match(folded, at + len(phrase)):
                hits[topic] = hits.get(topic, 0) + 1
            at = folded.find(phrase, at + len(phrase))
    return hits


def detect_topics(text: str, normalised: str | None = None) -> list[str]:
    """Topic ids whose keywords occur in the text, in TOPICS order.

    Displacement needs two mentions (one is often background); airstrikes and shelling are
    acts of armed conflict, so they bring armed_conflict along. `normalised` is
    text.normalise(text) when the caller already has it.
    """
    hits = _hits(normalised if normalised is not None else normalise(text))
    found = {t for t, n in hits.items() if n >= (2 if t == "displacement" else 1)}
    if "airstrike_shelling" in found:
        found.add("armed_conflict")
    return [topic for topic in TOPICS if topic in found]


def match_topic(query: str) -> list[str]:
    """Topic ids for what a user typed: "epidemics", "cholera" -> ["epidemic"]; [] if none."""
    key = normalise(query)
    if not key:
        return []
    if key in TOPICS or key.replace(" ", "_") in TOPICS:
        return [key.replace(" ", "_")]
    exact = [
        topic for topic in TOPICS
        if key == normalise(TOPICS[topic]) or key in (normalise(s) for s in _SYNONYMS[topic])
    ]
    if exact:
        return exact
    # Otherwise the query is read like a report: "cholera in Yemen" -> epidemic.
    return detect_topics(query)
