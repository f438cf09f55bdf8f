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
from bot.analysis.text import is_arabic, name_key

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
_MAX_WORDS = 5
_AR_PREFIXES = ("و", "ب", "ل", "ف", "ك", "وب", "ول", "وال", "بال", "لل")
# Words after a name that say it is an admin unit: "Latakia governorate", "Borno State".
_ADMIN_AFTER = {
    "governorate", "province", "state", "region", "oblast", "department", "district",
    "prefecture", "county", "gouvernorat", "provincia", "departamento", "estado", "wilaya",
    "region", "territory", "division", "municipality",
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
    """the a an in on at as by of to for and or but if it he she we they this that these those
    his her its their our there here since more most many some several all any no not one two
    three after before during while when where who what which with without within from into
    according police army president minister ministry government health aid officials
    official spokesman spokesperson reuters afp monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december mr mrs ms dr general prime king queen prince sheikh imam pope un us eu
    new old great red white black green blue said says told added god allah university
    hospital council court security forces national international world global mission
    union media news people children women men rescue relief human rights watch amnesty
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre le la les un une des du de et au aux
    selon lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo
    junio julio agosto septiembre octubre noviembre diciembre el los las del según por para
    victoria mercedes florida regina salvador santiago jesus christian hope liberty union
    hassan ali mohammed muhammad ahmed said abbas khan bin ibn abu amin obama trump biden
    putin harris rafael marcos omar tony""".split()
)
_AR_STOP = set(
    """في من على إلى الى عن مع بعد قبل بين حتى أن إن ما لا هذا هذه التي الذي قال وقال منذ عدد
    أكثر أقل نحو حوالي كما أو ثم قد كان كانت يوم اليوم الأحد الاثنين الثلاثاء الأربعاء الخميس
    الجمعة السبت مدينة قرية منطقة محافظة ولاية شمال جنوب شرق غرب وسط الشرق الغرب""".split()
)
_BIG_CITY = 200_000


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    candidates: list[PlaceEntry]
    admin_hint: bool = False
    chosen: PlaceEntry | None = None


@dataclass(slots=True)
class PlaceResult:
    places: list[Place] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def _capitalised(word: str) -> bool:
    return word[0].isupper() or is_arabic(word)


def _scan(text: str, gaz: Gazetteer) -> tuple[list[Mention], list[tuple[int, str]]]:
    """Longest-first lookup of capitalised word runs; returns mentions and demonym hits."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    mentions: list[Mention] = []
    demonyms: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        start, _end, word = words[i]
        found = False
        last = i
        # The run of words joined by single spaces, at most _MAX_WORDS long.
        while last + 1 < len(words) and last - i + 1 < _MAX_WORDS:
            gap = text[words[last][1] : words[last + 1][0]]
            if gap not in (" ", "\u00a0"):
                break
            last += 1
        for j in range(last, i - 1, -1):
            span = text[start : words[j][1]]
            if j == i and not _capitalised(word):
                key = name_key(span)
                if key in gaz.demonyms:
                    demonyms.append((start, gaz.demonyms[key]))
                    found = True
                break
            if j > i and not _capitalised(word) and not _capitalised(words[j][2]):
                continue
            key = name_key(span)
            if key in gaz.demonyms:
                demonyms.append((start, gaz.demonyms[key]))
                found = True
            elif key in gaz.index and _plausible(key, word, j == i):
                candidates = gaz.candidates(key)
                mentions.append(Mention(start, words[j][1], span, candidates))
                found = True
            elif j == i and is_arabic(word):
                hit = _arabic_lookup(word, gaz)
                if hit:
                    cut, key = hit
                    if key in gaz.demonyms:
                        demonyms.append((start, gaz.demonyms[key]))
                    else:
                        mentions.append(Mention(start + cut, words[j][1], word[cut:],
                                                gaz.candidates(key)))
                    found = True
            if found:
                _mark_admin_hint(text, words, i, j, mentions)
                i = j + 1
                break
        if not found:
            i += 1
    return mentions, demonyms


def _plausible(key: str, word: str, single: bool) -> bool:
    if not single:
        return True
    if key in _NOT_PLACES or key in _GENERIC or len(key) < 3:
        return False
    return not (is_arabic(word) and word in _AR_STOP)


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


def _mark_admin_hint(text: str, words: list, i: int, j: int, mentions: list[Mention]) -> None:
    if not mentions or mentions[-1].start < words[i][0]:
        return
    after = words[j + 1][2].lower() if j + 1 < len(words) else ""
    before = words[i - 1][2].lower() if i > 0 else ""
    before2 = words[i - 2][2].lower() if i > 1 else ""
    if after in _ADMIN_AFTER or before in _ADMIN_BEFORE or before2 in _ADMIN_BEFORE:
        mentions[-1].admin_hint = True


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
            weight[next(iter(countries))] += 1
    if source_country:
        weight[source_country] += 1.5
    return weight


def _choose(mention: Mention, support: dict, gaz: Gazetteer) -> PlaceEntry | None:
    def score(entry: PlaceEntry) -> tuple[float, int, int]:
        near = support.get(entry.country, 0)
        if not near:
            near = 0.5 * sum(
                1 for other in gaz.neighbours.get(entry.country, ()) if support.get(other)
            )
        kind_pref = {"country": 3, "admin1": 2 if mention.admin_hint else 0, "town": 1}
        return (near, kind_pref[entry.kind], entry.population or 0)

    ranked = sorted(mention.candidates, key=score, reverse=True)
    best = ranked[0]
    near, _, population = score(best)
    if best.kind == "country":
        return best
    if near > 0:
        return best
    # No support: only a big, distinctive name stands alone.
    others = [c.population or 0 for c in ranked[1:] if c.country != best.country]
    if population >= _BIG_CITY and all(p * 10 <= population for p in others):
        return best
    return None


def find_places(text: str, source_country: str | None = None) -> PlaceResult:
    """Places and countries of one text (title and body joined), main country first."""
    gaz = load()
    mentions, demonyms = _scan(text, gaz)
    support = _support(mentions, demonyms, source_country)
    for _round in range(2):  # a second round lets places found in the first support others
        for mention in mentions:
            mention.chosen = _choose(mention, support, gaz)
        for mention in mentions:
            if mention.chosen and mention.chosen.kind != "country":
                support.setdefault(mention.chosen.country, 0.5)
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
