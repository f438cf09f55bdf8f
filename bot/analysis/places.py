"""Places named in a report: country -> admin1 -> town, ambiguity resolved by context.

A name is looked up as written (up to five words), then each mention picks the candidate whose
country the rest of the text supports: countries named outright, demonyms ("Syrian forces"),
the source's country, other unambiguous places, and their neighbours. A small town is kept only
when its country has such support; a big city may stand alone. Never first match.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from bot.analysis.facts import Place
from bot.analysis.gazetteer import Gazetteer, PlaceEntry, load
from bot.analysis.text import name_key

# Words, with inner apostrophes and hyphens ("d'Ivoire", "Port-au-Prince") but without the
# possessive: "Zambia's" reads as "Zambia".
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-](?![sS]\b)[^\W\d_]+)*")
_MAX_WORDS = 5
_AR_PREFIXES = ("و", "ب", "ل", "ف", "ك", "وب", "ول", "وال", "بال", "لل")
# Words after a name that say it is an admin unit: "Latakia governorate", "Borno State".
_ADMIN_AFTER = {
    "governorate", "province", "state", "region", "oblast", "department", "district",
    "prefecture", "county", "gouvernorat", "provincia", "departamento", "estado", "wilaya",
    "territory", "division", "municipality",
}
# Admin words before a name: "province of Idlib", "la province du Nord-Kivu".
_ADMIN_BEFORE = {"province", "governorate", "gouvernorat", "provincia", "departamento", "state"}
# Single words that are admin1 names somewhere but mostly just words in news text.
_GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "nord", "sud", "est", "ouest", "centro", "norte", "sur", "oeste", "este",
    "capital", "coast", "lakes", "upper", "lower", "delta", "plateau", "rivers", "bay", "sahel",
    "littoral", "mountain", "highlands", "islands", "border", "lake", "river", "island",
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
}
_ELISIONS = {"l'", "d'", "l\u2019", "d\u2019", "L'", "D'", "L\u2019", "D\u2019"}
_BIG_CITY = 200_000
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


@dataclass(slots=True)
class PlaceResult:
    places: list[Place] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def _arabic_word(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def _capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() or "\u0600" <= first <= "\u06ff"


def _scan(text: str, gaz: Gazetteer) -> tuple[list[Mention], list[tuple[int, str]]]:
    """Longest-first lookup of capitalised word runs; returns mentions and demonym hits."""
    words = [(*m.span(), m.group()) for m in _WORD.finditer(text)]
    mentions: list[Mention] = []
    demonyms: list[tuple[int, str]] = []
    lowercase_demonyms = gaz.demonyms
    first_words = gaz.first_words
    free = 0
    for i, (start, _end, word) in enumerate(words):
        if i < free:
            continue
        if word[:2] in _ELISIONS and len(word) > 3 and word[2].isupper():
            # French elision: "l'Artibonite", "d'Alep" are read from the name on.
            start, word = start + 2, word[2:]
            words[i] = (start, words[i][1], word)
        first = word[0]
        if not (first.isupper() or "\u0600" <= first <= "\u06ff"):
            # French and Spanish write demonyms in lower case: "les forces syriennes".
            key = word if word.isascii() else name_key(word)
            if key in lowercase_demonyms:
                demonyms.append((start, lowercase_demonyms[key]))
            continue
        head = name_key(word).split(" ", 1)[0]
        if first <= "\u007f" or not "\u0600" <= first <= "\u06ff":
            most = first_words.get(head, 0)
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
    return mentions, demonyms


def _run_end(text: str, words: list, i: int) -> int:
    """Last index of the run of words from i joined by single spaces, at most _MAX_WORDS."""
    last = i
    while last + 1 < len(words) and last - i + 1 < _MAX_WORDS:
        if text[words[last][1] : words[last + 1][0]] not in (" ", "\u00a0"):
            break
        last += 1
    return last


def _match_at(
    text: str, words: list, i: int, gaz: Gazetteer, mentions: list[Mention], demonyms: list,
    most: int = _MAX_WORDS,
) -> int | None:
    """Look up the longest name starting at word i, of at most `most` words; the index of its
    last word, or None."""
    start, _end, word = words[i]
    for j in range(min(_run_end(text, words, i), i + most - 1), i - 1, -1):
        if j > i and not _capitalised(words[j][2]):
            continue
        span = text[start : words[j][1]]
        key = name_key(span)
        if key in gaz.demonyms:
            demonyms.append((start, gaz.demonyms[key]))
            return j
        if key in gaz.index and _plausible(key, word, j == i) and not (
            j == i and i > 0 and words[i - 1][2].lower() in _PERSON_BEFORE
            and name_key(word) not in gaz.country_keys
        ):
            candidates = gaz.candidates(key)
            if j == i and _inside_proper_name(text, words, i, gaz) and not any(
                c.kind == "country" for c in candidates
            ):
                return None
            mentions.append(_mention(text, words, i, j, candidates))
            return j
        if j == i and _arabic_word(word):
            hit = _arabic_lookup(word, gaz)
            if hit:
                cut, key = hit
                if key in gaz.demonyms:
                    demonyms.append((start, gaz.demonyms[key]))
                else:
                    mentions.append(Mention(start + cut, words[j][1], word[cut:],
                                            gaz.candidates(key)))
                return j
    return None


def _inside_proper_name(text: str, words: list, i: int, gaz: Gazetteer) -> bool:
    """A one-word name glued to other capitalised words is part of another name: "Rapid
    Support Forces", "Hamar Weyne", "President Said"."""
    if i + 1 < len(words) and text[words[i][1] : words[i + 1][0]] == " ":
        nxt = words[i + 1][2]
        if (_capitalised(nxt) and not _arabic_word(nxt) and nxt.lower() not in _ADMIN_AFTER
                and name_key(nxt) not in gaz.index):
            return True
    if i > 0 and text[words[i - 1][1] : words[i][0]] == " ":
        prev = words[i - 1][2]
        head = text[: words[i - 1][0]].rstrip()
        sentence_start = not head or head[-1] in ".!?\n\"“:"
        if (_capitalised(prev) and not _arabic_word(prev) and not sentence_start
                and prev.lower() not in _COMPASS and name_key(prev) not in gaz.index
                and name_key(prev) not in gaz.demonyms):
            return True
    return False


def _mention(text: str, words: list, i: int, j: int, candidates: list[PlaceEntry]) -> Mention:
    """The name as written: "Benue state" -> "Benue", "Gezira State" kept whole,
    "northern Gaza" keeps its compass word."""
    start, end = words[i][0], words[j][1]
    admin_hint = False
    if j + 1 < len(words) and text[end : words[j + 1][0]] == " ":
        after = words[j + 1][2]
        if after.lower() in _ADMIN_AFTER:
            admin_hint = True
            if after[0].isupper():
                end = words[j + 1][1]
    if j > i and words[j][2].lower() in _ADMIN_AFTER and words[j][2][0].islower():
        end = words[j - 1][1]  # an alias ending in a lower-case admin word
        admin_hint = True
    before = words[i - 1][2].lower() if i > 0 else ""
    before2 = words[i - 2][2].lower() if i > 1 else ""
    if before in _ADMIN_BEFORE or before2 in _ADMIN_BEFORE:
        admin_hint = True
    if before in _COMPASS and text[words[i - 1][1] : start] == " ":
        start = words[i - 1][0]
    return Mention(start, end, text[start:end], candidates, admin_hint)


def _plausible(key: str, word: str, single: bool) -> bool:
    if not single:
        return True
    if key in _NOT_PLACES or key in _GENERIC or len(key) < 3:
        return False
    return not (_arabic_word(word) and word in _AR_STOP)


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
    for _pos, iso3 in demonyms:
        weight[iso3] += 1
    for mention in mentions:
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


def _choose(mention: Mention, support: dict, gaz: Gazetteer) -> PlaceEntry | None:
    kind_pref = {"country": 3, "admin1": 2 if mention.admin_hint else 0, "town": 1}

    def score(entry: PlaceEntry) -> tuple[float, int, int]:
        near = support.get(entry.country, 0) - (1 if entry.country == mention.own else 0)
        if not near:
            near = 0.5 * sum(
                1 for other in gaz.neighbours.get(entry.country, ()) if support.get(other)
            )
        return (near, kind_pref[entry.kind], entry.population or 0)

    ranked = sorted(mention.candidates, key=score, reverse=True)
    best = ranked[0]
    near, _, population = score(best)
    if best.kind == "country":
        return best
    if near > 0:
        return best
    # No support: only a big, distinctive name stands alone.
    # Compare like with like: an admin1's population is a sum over its towns.
    others = [c.population or 0 for c in ranked[1:]
              if c.country != best.country and c.kind == best.kind]
    if population >= _BIG_CITY and all(p * 10 <= population for p in others):
        return best
    return None


def find_places(text: str, source_country: str | None = None) -> PlaceResult:
    """Places and countries of one text (title and body joined), main country first."""
    gaz = load()
    if source_country not in gaz.country_names:  # e.g. an outlet's initials such as "VOA"
        source_country = None
    mentions, demonyms = _scan(text, gaz)
    support = _support(mentions, demonyms, source_country)
    for _round in range(2):  # a second round lets places found in the first support others
        for mention in mentions:
            mention.chosen = _choose(mention, support, gaz)
        for mention in mentions:
            if mention.chosen and mention.chosen.kind != "country":
                support[mention.chosen.country] = max(support.get(mention.chosen.country, 0),
                                                      1.5 if mention.own else 0.5)
    return _result(mentions, demonyms, source_country)


def _result(mentions: list[Mention], demonyms: list, source_country: str | None) -> PlaceResult:
    result = PlaceResult()
    score: dict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    seen: set[str] = set()
    for mention in mentions:
        entry = mention.chosen
        if entry is None:
            continue
        score[entry.country] += 3 if entry.kind == "country" else 2.5
        first_seen.setdefault(entry.country, mention.start)
        if entry.kind == "country" or entry.key in seen:
            continue
        seen.add(entry.key)
        result.places.append(
            Place(mention.text, entry.country, entry.admin1, entry.pcode, entry.lat, entry.lon,
                  entry.kind)
        )
    for pos, iso3 in demonyms:
        score[iso3] += 1
        first_seen.setdefault(iso3, pos)
    if source_country and score:
        score[source_country] += 0.5
    elif source_country:
        score[source_country] += 1
        first_seen.setdefault(source_country, 1 << 30)
    result.countries = sorted(score, key=lambda c: (-score[c], first_seen[c]))
    return result
