"""Casualty figures: killed, injured, displaced, missing, each with qualifier and reporter.

A number counts as a casualty figure only when the clause ties it to a casualty word: after it
("12 people were killed", "428 Alawite deaths", "قتيلا") or before it ("killing 12", "the death
toll rose to 30", "مقتل 20"). Years, ages, money, percentages, distances, troops, homes and
resolution numbers are not tied to such words, and are filtered out where they could be.
The headline figure of each kind is the main event's largest current toll: background totals
("since the war began"), superseded counts ("up from 17"), projections ("could reach") and
separate incidents ("Separately, ...") step aside and are kept in `other_figures`.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from bot.analysis.facts import Figure
from bot.analysis.numbers import Quantity, find_numbers, prepare, strip_marks

KINDS = ("killed", "injured", "displaced", "missing")
_W = r"[^\W\d_][\w'\u2019-]*"  # one word
_AR = r"[\u0621-\u064a]+"  # one Arabic word

# Casualty words that follow the number (through a few words: "people were", "civilians").
_AFTER: dict[str, dict[str, str]] = {
    "killed": {
        "en": r"killed|dead|died|die|deaths?|fatalities|fatality|perished|slain|murdered|"
              r"massacred|executed|lost (?:their|his|her) lives|lives (?:were |have been )?lost|"
              r"bodies|corpses|neutrali[sz]ed|drowned|burned to death|were shot",
        "fr": r"morts?|mortes|tues?|tuees?|decedes?|deces|ont peri|a peri|perdu la vie|"
              r"cadavres|corps sans vie|neutralises|noyes|victimes mortelles|sont mortes?",
        "es": r"muertos?|muertas?|fallecidos?|fallecidas?|murieron|muertes|fallecimientos|"
              r"asesinados?|asesinadas?|perdieron la vida|victimas mortales|cadaveres|"
              r"han muerto|han fallecido|ahogados|neutralizados",
        "ar": r"قتيلا|قتيل|قتلي|قتلوا|شهيدا|شهداء|شهيد|ضحيه|ضحايا|لقوا حتفهم|لقي حتفه|"
              r"حالات وفاه|حاله وفاه|وفيات|وفاه|توفوا|مقتولين|جثه|جثث",
    },
    "injured": {
        "en": r"injured|wounded|hurt|injuries|hospitali[sz]ed|maimed",
        "fr": r"blesses?|blessees?|blessures",
        "es": r"heridos?|heridas|lesionados?|lesionadas",
        "ar": r"جريحا|جريح|جرحي|مصابا|مصابين|مصاب|اصابات|اصابه|اصيبوا",
    },
    "displaced": {
        "en": r"displaced|fled|flee|fleeing|uprooted|evacuated|homeless|idps|"
              r"forced (?:from|out of) their homes|sought refuge|sought shelter|in shelters|"
              r"in evacuation cent(?:er|re)s|relocated",
        "fr": r"deplaces?|deplacees?|ont fui|fuient|evacues?|evacuees|sans[- ]abri|sinistres",
        "es": r"desplazados?|desplazadas?|huyeron|han huido|evacuados?|evacuadas?|"
              r"sin hogar|albergados|damnificados",
        "ar": r"نازحا|نازح|نازحين|نازحون|مهجر|مهجرين|شردوا|مشرد|مشردين|اجلاء",
    },
    "missing": {
        "en": r"missing|unaccounted for|disappeared",
        "fr": r"disparus?|disparues?",
        "es": r"desaparecidos?|desaparecidas?",
        "ar": r"مفقودا|مفقود|مفقودين|مفقودون",
    },
}
# Casualty words before the number ("killing 12", "the toll rose to 30").
_BEFORE: dict[str, dict[str, str]] = {
    "killed": {
        "en": r"killing|killed|kills|kill|claim(?:ed|ing)? the lives of|"
              r"death tolls?|tolls?|deaths|dead|fatalities|number of (?:dead|deaths|"
              r"fatalities|people killed|victims)|lives of",
        "fr": r"tuant|tue|bilan|nombre de morts|nombre de victimes|coute la vie a|"
              r"la mort de|la vie de|deces de",
        "es": r"matando a|mato a|mataron a|cifra de (?:muertos|fallecidos|victimas)|"
              r"balance|numero de (?:muertos|fallecidos|victimas)|la vida (?:a|de)|"
              r"muerte de|asesinato de|asesinaron a",
        "ar": r"مقتل|قتل|استشهاد|وفاه|مصرع|حصيله القتلي|حصيله الضحايا|عدد القتلي|بحياه|"
              r"عدد الضحايا|حصيله|عدد الشهداء|حصيله الشهداء|وفيات",
    },
    "injured": {
        "en": r"injuring|wounding|injured|wounded|hurting|injuries to|number of (?:injured|"
              r"wounded)",
        "fr": r"blessant|blesse|nombre de blesses",
        "es": r"hiriendo a|hirio a|hirieron a|numero de heridos|dejando heridos a",
        "ar": r"اصابه|اصابة|جرح|عدد الجرحي|عدد المصابين",
    },
    "displaced": {
        "en": r"displacing|displaced|uprooting|uprooted|evacuating|evacuated|"
              r"number of (?:displaced|people displaced)",
        "fr": r"deplacant|deplace|nombre de deplaces|evacuation de",
        "es": r"desplazando a|desplazo a|numero de desplazados|evacuacion de",
        "ar": r"نزوح|تهجير|تشريد|اجلاء|عدد النازحين",
    },
    "missing": {
        "en": r"number of (?:missing|people missing)",
        "fr": r"nombre de disparus|disparition de",
        "es": r"numero de desaparecidos|desaparicion de",
        "ar": r"فقدان|عدد المفقودين|اختفاء",
    },
}
# Between a "before" word and the number: auxiliaries and toll verbs, a few words at most.
_TOLL_VERBS = {
    "exact": r"rose|risen|rises|climbed|climbs|jumped|reached|reaches|stands at|stood at|"
             r"soared|soars|touched|touches|hits|"
             r"increased|hit|grew|now|is|was|has|have|had|to|at|of|s est alourdi|"
             r"s eleve|est passe|atteint|a|de|se eleva|ascendio|asciende|aumento|alcanzo|"
             r"llega|es de|ارتفع|ارتفعت|الي|بلغ|بلغت|وصل|وصلت",
    "more_than": r"passed|surpassed|topped|exceeded|exceeds|depasse|supera|supero|تجاوز|تجاوزت",
    "about": r"approaching|approche|se acerca|يقترب",
}
_QUALIFIERS: list[tuple[str, str]] = [
    (r"at least|a minimum of|no fewer than|not less than|au moins|pas moins de|au minimum|"
     r"al menos|por lo menos|como minimo|no menos de|ما لا يقل عن|لا يقل عن|علي الاقل", "at_least"),
    (r"more than|over|upwards of|in excess of|above|plus de|mas de|اكثر من|ما يزيد عن|"
     r"ما يزيد علي|يزيد عن|يزيد علي|passed|surpassed|topped|exceeded", "more_than"),
    (r"about|around|some|approximately|roughly|nearly|almost|close to|an estimated|estimated|"
     r"approaching|environ|pres de|quelque|quelques|pratiquement|presque|environ|"
     r"unos|unas|cerca de|alrededor de|aproximadamente|casi|nada menos|نحو|حوالي|قرابه|"
     r"زهاء|ما يقارب|يقارب|قرابة", "about"),
    (r"up to|as many as|jusqu a|hasta|ما قد يصل الي|ما يصل الي|قد يصل الي|حتي", "up_to"),
]
# Words that end the link between a number and a casualty word.
_STOP_WORDS = set(
    [
        "and", "or", "but", "while", "whereas", "than", "after", "before", "when", "since",
        "because", "if", "although", "including", "homes", "houses", "buildings", "shelters",
        "schools", "hospitals", "km", "kilometres", "kilometers", "miles", "metres", "meters",
        "hectares", "acres", "tonnes", "tons", "dollars", "euros", "percent", "per", "years",
        "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes",
        "vehicles", "trucks", "tanks", "rockets", "missiles", "drones", "shells", "strikes",
        "airstrikes", "attacks", "raids", "incidents", "cases", "villages", "towns", "cattle",
        "livestock", "animals", "times", "votes", "seats", "families", "households", "et", "ou",
        "mais", "alors", "que", "apres", "avant", "depuis", "dont", "ans", "annees", "mois",
        "jours", "heures", "maisons", "batiments", "ecoles", "camions", "y", "o", "pero",
        "mientras", "despues", "antes", "desde", "anos", "meses", "dias", "horas", "casas",
        "viviendas", "edificios", "escuelas", "camiones", "ataques", "casos"
    ]
)
_AR_STOP = {"و", "او", "بعد", "قبل", "منذ", "عام", "سنه", "منزل", "منازل", "مبني", "حالات"}
_PERCENT_AFTER = re.compile(r"\s*(?:%|per ?cent|pour ?cent|por ?ciento|بالمئه|في المئه|بالمائه)")
_MONEY_BEFORE = re.compile(r"(?:\$|€|£|us\$|usd|eur|chf)\s*$")
_MONEY_AFTER = re.compile(r"\s*(?:dollars?|euros?|usd|\$|dolares|dollar|دولار)")
_NOT_COUNT_BEFORE = re.compile(
    r"(?:resolution|resolucion|article|articulo|block|bloc|route|highway|phase|level|"
    r"magnitude|magnitud|aged|age of|ages of|age de|edad de|عمر|رقم|القرار|in|en|since|"
    r"depuis|desde|of|de|du|year|annee|ano|عام|سنه|عامي|on|le|el|until|by|from|المرحله|"
    r"the|la|las|los|les)\s+$"
)
_NOT_COUNT_AFTER = re.compile(
    r"(?:-year-old|-year|\s*years? old|\s*ans\b|\s*anos\b|\s*عاما|[-\s]magnitude|\s*km|\s*h\b|"
    r"\s*(?:am|pm|gmt|utc)\b|:\d)"
)
_BACKGROUND = re.compile(
    r"since the (?:start|beginning|outbreak|onset)|since (?:the )?(?:war|conflict|fighting) "
    r"(?:began|started|erupted|broke out)|since (?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d{4})|so far this year|this year|last year|"
    r"in total|throughout the|over the past|across the country|nationwide|whole country|"
    r"(?:the|this) (?:war|conflict) has|the war, which|the conflict, which|"
    r"depuis le debut|depuis (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|"
    r"octobre|novembre|decembre|\d{4})|depuis le declenchement|cette annee|au total|"
    r"desde el inicio|desde el comienzo|desde (?:enero|febrero|marzo|abril|mayo|junio|julio|"
    r"agosto|septiembre|octubre|noviembre|diciembre|\d{4})|en lo que va|en total|este ano|"
    r"منذ بدايه|منذ اندلاع|منذ بدء|منذ مطلع|منذ عام|منذ \d{4}|منذ السابع|منذ بدايه العام"
)
_PROJECTION = re.compile(
    r"\b(?:could|may|might|would|feared|fears|fear|expected to|likely to|risk|projected|"
    r"forecast|estimates? that up to|pourrait|pourraient|risque|craint|podria|podrian|"
    r"se teme|teme|probablemente|probably)\b|(?:^|\s)و?(?:يخشي|يتوقع|رجح|يرجح|المرجح)\s"
)
_SUPERSEDED = re.compile(
    r"(?:up from|down from|from an? (?:earlier|previous|initial) (?:toll|count|figure|tally)|"
    r"(?:earlier|previous|initial|preliminary) (?:toll|count|figure|tally|report)s? "
    r"(?:of|had|was|said|put)|had earlier|initially|au lieu de|contre \s*$|frente a los|"
    r"en lugar de|بعد ان كان|مقابل|first estimates?|earlier (?:count|tally|toll)|"
    r"premieres? estimations?|premier bilan|bilan initial|precedent bilan|primeras estimaciones|"
    r"balance (?:anterior|previo|inicial)|الحصيله السابقه)[^.;]{0,45}$"
)
_SEPARATE = re.compile(
    r"\W*(?:separately|in (?:a |another )?separate|elsewhere|in another|meanwhile|also on|"
    r"earlier (?:this|last)|last (?:week|month|year)|par ailleurs|ailleurs|en outre|"
    r"dans une autre|por otra parte|en otro|ademas|asimismo|en un hecho separado|"
    r"في سياق منفصل|في حادث منفصل|وفي حادث اخر|من جهه اخري|وفي سياق)"
)
_REPORTER_AFTER = re.compile(
    r"(?:according to|citing|selon|d['\u2019 ]apr[eè]s|seg[uú]n|de acuerdo con|بحسب|حسب|وفقا ل|"
    r"نقلا عن)\s+"
    r"((?:[^\W\d_][\w'\u2019.-]*\s*){1,8}?)(?=[,.;:)(]|\s+(?:said|which|who|on|in|as|that)\b|$)"
)
# The same reading as _REPORTER_AFTER, in pieces: the pattern's lazy run of words backtracks
# through every split of every word when no end follows (a long clause, an Arabic comma),
# which costs milliseconds a sentence. _reporter_after() walks the same ends in the same order.
_REPORTER_CUE = re.compile(
    r"(?:according to|citing|selon|d['\u2019 ]apr[eè]s|seg[uú]n|de acuerdo con|بحسب|حسب|وفقا ل|"
    r"نقلا عن)\s+(?=[^\W\d_])"
)
_REPORTER_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_REPORTER_SPACE = re.compile(r"\s*")
_REPORTER_END = re.compile(r"(?=[,.;:)(]|\s+(?:said|which|who|on|in|as|that)\b|$)")
_REPORTER_VERB = re.compile(r"\s+(?:said|says|reported|announced|confirmed|told|stated|put)\b")
# The speaker right before "said": a capitalised name or "the ... ministry/police/...".
_REPORTER_BEFORE = re.compile(  # the gate in front skips mid-word starts at once
    r"(?<![\w'\u2019.-])((?:the\s+)?(?:[A-Z][\w'\u2019.-]*\s+|of\s+|for\s+|and\s+|the\s+|de\s+|la\s+|du\s+|"
    r"des\s+|del\s+){0,7}[A-Z][\w'\u2019.-]*|the\s+(?:\w+\s+){0,3}(?:ministry|agency|office|"
    r"authorities|officials|police|army|military|observatory|organi[sz]ation|mission|"
    r"spokesperson|spokesman|monitor|hospital|medics|rescuers|governor))$"
)
_AT_LEAST_AFTER = re.compile(r"(?:\s+[\u0621-\u064a]+)?\s+(?:علي الاقل|في الاقل)")
_NOMINAL = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
            "tens_of_thousands": 20_000, "hundreds_of_thousands": 200_000,
            "millions": 2_000_000}


# Everything is matched against prepare()d text: fold the Arabic spellings the same way.
for _table in (_AFTER, _BEFORE):
    for _words in _table.values():
        _words["ar"] = prepare(_words["ar"])
# All qualifiers in one pattern, one search per number: only one phrase can end the window.
_QUALIFIER_ANY = re.compile(
    r"(?:^|[\s(])(?:" + "|".join(f"(?P<{q}>{prepare(p)})" for p, q in _QUALIFIERS) + r")\s*$"
)


@dataclass(slots=True)
class Found:
    kind: str
    value: int | None
    qualifier: str
    start: int
    sentence: int
    reporter: str | None = None
    scope: str | None = None
    background: bool = False
    projection: bool = False
    superseded: bool = False
    separate: bool = False
    rising: bool = False
    in_title: bool = False

    @property
    def size(self) -> float:
        return self.value if self.value is not None else _NOMINAL.get(self.qualifier, 10)


@dataclass(slots=True)
class FigureResult:
    headline: dict[str, Figure] = field(default_factory=dict)
    others: list[dict[str, Any]] = field(default_factory=list)
    rising: bool = False


@cache
def _after_re(lang: str) -> re.Pattern[str]:
    kinds = "|".join(
        f"(?P<{kind}>{_AFTER[kind].get(lang, _AFTER[kind]['en'])}"
        f"{'' if lang == 'ar' else '|' + _AFTER[kind]['en']})"
        for kind in KINDS
    )
    gap = (
        rf"(?:\s+(?:of\s+|de\s+|d\s+)?(?:{_W}|{_AR})){{0,5}}?" if lang != "ar"
        else rf"(?:\s+{_AR}){{0,3}}?"
    )
    return re.compile(rf"(?P<gap>{gap})\s*(?:[-\u2013:]\s*)?(?:{kinds})(?![\w\u0621-\u064a])")


@cache
def _before_re(lang: str) -> re.Pattern[str]:
    kinds = "|".join(
        f"(?P<{kind}>{_BEFORE[kind].get(lang, '(?!x)x')}|{_BEFORE[kind]['en']})"
        for kind in KINDS
    )
    verbs = "|".join(_TOLL_VERBS.values())
    return re.compile(
        rf"(?<![\w\u0621-\u064a])(?:[وفبل](?=[\u0621-\u064a]))?(?:{kinds})(?P<link>(?:\s+(?:{verbs}|the|has|have|had|been|"
        rf"officially|reportedly|later|now|so far|further|also|الي|إلى)){{0,5}})\s*$"
    )


@cache
def _term_re(lang: str, table: str) -> re.Pattern[str]:
    """All casualty words of one table, to find where they are in one pass over a text."""
    words = _AFTER if table == "after" else _BEFORE
    parts = []
    for kind in KINDS:
        parts.append(words[kind]["en"])
        if lang in words[kind]:
            parts.append(words[kind][lang])
    return re.compile(r"(?<![\w\u0621-\u064a])(?:[وفبل])?(?:" + "|".join(parts) + ")")


def _near(positions: list[int], low: int, high: int) -> bool:
    """Whether a position falls in [low, high)."""
    at = bisect_left(positions, low)
    return at < len(positions) and positions[at] < high


# "death toll in Gaza from the attacks rises to 25,900": a toll and its verb a few words apart.
_TOLL_PHRASE = re.compile(
    r"(?:death toll|toll|number of (?:dead|deaths|people killed)|bilan|cifra de muertos|"
    r"balance de muertos|حصيله|عدد القتلي)\b[^.;:]{0,60}?\s(?P<verb>rises|rose|risen|climbs|"
    r"climbed|jumps|jumped|soars|soared|reaches|reached|hits|hit|tops|topped|passes|passed|"
    r"surpasses|surpassed|exceeds|exceeded|stands at|stood at|touches|touched|s est alourdi a|"
    r"s eleve a|atteint|se eleva a|asciende a|ascendio a|ارتفع[ت]? الي|بلغ[ت]?|تجاوز[ت]?)"
    r"(?:\s+(?:to|at|a))?\s*$"
)
_ACTIVE_AFTER = re.compile(
    r"\s+(?:at least |more than |about |some |nearly |over |around |up to |au moins |plus de |"
    r"al menos |mas de )?(?:\d|a |an |the |two |three |four |five |six |seven |eight |nine |ten |"
    r"dozens|hundreds|scores|thousands|his |her |their |one |several |many |deux |trois |"
    r"des |plusieurs |dos |tres |a \d|a dos|a tres|a un|a una|a mas|a al menos)"
)


def _windows(after_at: list[int], before_at: list[int], size: int) -> list[tuple[int, int]]:
    """Stretches of text where a number could be tied to a casualty word (a margin past the
    reach of the checks below, for numbers of several words), merged and in order."""
    spans = sorted([(max(0, a - 100), a) for a in after_at]
                   + [(b, min(size, b + 140)) for b in before_at])
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _qualifier_before(work: str, start: int) -> tuple[str | None, int]:
    window = work[max(0, start - 30) : start]
    match = _QUALIFIER_ANY.search(window)
    if match is None:
        return None, start
    return str(match.lastgroup), start - (len(window) - match.start())


def _is_not_count(work: str, q: Quantity) -> bool:
    after = work[q.end : q.end + 25]
    before = work[max(0, q.start - 25) : q.start]
    if _PERCENT_AFTER.match(after) or _MONEY_AFTER.match(after) or _MONEY_BEFORE.search(before):
        return True
    if q.qualifier == "decimal":
        return True
    if _NOT_COUNT_AFTER.match(after):
        return True
    if q.digits and q.value is not None and 1900 <= q.value <= 2100 and "," not in work[
        q.start : q.end
    ]:
        return True  # a year; tolls of 1,900 and up are written with a separator
    return bool(q.digits and _NOT_COUNT_BEFORE.search(before) and q.value is not None
                and q.value < 100 and re.search(r"(?:resolution|resolucion|القرار|block|"
                                                r"aged|age of|magnitude)\s+$", before))


def _gap_ok(gap: str, lang: str) -> bool:
    words = gap.split()
    if lang == "ar":
        return not any(w in _AR_STOP for w in words)
    return not any(w in _STOP_WORDS for w in words)


_REPORTER_CUES = (
    "said", "says", "reported", "announced", "confirmed", "told", "stated", "according",
    "citing", "selon", "apres", "après", "según", "segun", "de acuerdo", "بحسب", "حسب",
    "وفقا", "نقلا", " put",
)


_AFTER_CUES = ("according to", "citing", "selon", "apres", "après", "segun", "según",
               "de acuerdo con", "حسب", "وفقا ل", "نقلا عن")


def _reporter_after(sentence: str) -> str | None:
    """Group 1 of _REPORTER_AFTER.search(sentence), without its backtracking. The lazy run
    first tries each whole word with its trailing spaces, up to eight words; then, from the
    last word back to the first, each shorter end. Whether a name may end somewhere depends
    on that place alone, so the first such end in this order is the pattern's answer."""
    pos = 0
    while (cue := _REPORTER_CUE.search(sentence, pos)) is not None:
        start = at = cue.end()
        words: list[tuple[int, int]] = []
        for _word in range(8):
            word = _REPORTER_WORD.match(sentence, at)
            if word is None:
                break
            spaces = _REPORTER_SPACE.match(sentence, word.end()).end()
            if _REPORTER_END.match(sentence, spaces):
                return sentence[start:spaces]
            words.append((at, spaces))
            if spaces == word.end():
                break  # no space after the word: nothing more can join the name
            at = spaces
        for at, spaces in reversed(words):
            for end in range(spaces - 1, at, -1):
                if _REPORTER_END.match(sentence, end):
                    return sentence[start:end]
        pos = cue.start() + 1
    return None


def _reporter(sentence: str) -> str | None:
    if not any(cue in sentence for cue in _REPORTER_CUES):
        return None
    candidates = []
    # A substring test first: the regex alternation is slow over a sentence with none.
    lowered = sentence.lower()
    after = _reporter_after(sentence) if any(cue in lowered for cue in _AFTER_CUES) else None
    if after is not None:
        candidates.append(after)
    for verb in _REPORTER_VERB.finditer(sentence):
        # Only the few words before the verb: a short window keeps the search cheap.
        window = sentence[max(0, verb.start() - 90) : verb.start()]
        before = _REPORTER_BEFORE.search(window)
        if before:
            candidates.append(before.group(1))
    for who in candidates:
        who = who.strip(" ,.;:")
        who = re.sub(r"^(?:the|le|la|les|el|los|las)\s+", "", who, flags=re.IGNORECASE)
        if 2 <= len(who) <= 80 and who.lower() not in ("it", "he", "she", "they", "we"):
            return who
    return None


_BREAK = re.compile(r"(?<=[.!?؟])\s+|\n+")
_ABBREVIATION = re.compile(r"(?:\b\w\.|\bmr\.|\bdr\.|\bst\.|\bno\.)$")
_LINK_QUALIFIERS = {
    name: re.compile(rf"(?:^|\s)(?:{verbs})\s*$") for name, verbs in _TOLL_VERBS.items()
    if name != "exact"
}
_RISING = re.compile(r"rose|risen|climbed|jumped|increased|soared|alourdi|eleva|ascendi|"
                     r"aument|ارتفع")


def _sentences(work: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _BREAK.finditer(work):
        # "Mr. Smith", "U.N. said": a dot after a short or capital-only word is not an end
        before = work[max(start, match.start() - 4) : match.start()]
        if before.endswith(".") and _ABBREVIATION.search(before):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(work)))
    return spans


def _extract(original: str, lang: str, in_title: bool) -> list[Found]:
    text = strip_marks(original)
    work = prepare(text)
    sentences = _sentences(work)
    found: list[Found] = []
    after_re, before_re = _after_re(lang), _before_re(lang)
    separate_from = None
    for index, (s_start, s_end) in enumerate(sentences):
        if separate_from is None and index > 0 and _SEPARATE.match(work, s_start, s_end):
            separate_from = index
    reporters: dict[int, str | None] = {}
    starts = [a for a, _b in sentences]
    # Where casualty words are, found once: most numbers have none near and are skipped fast.
    after_at = [m.start() for m in _term_re(lang, "after").finditer(work)]
    before_at = [m.end() for m in _term_re(lang, "before").finditer(work)]
    if not after_at and not before_at:
        return found  # no casualty word at all: nothing can be a figure
    for q in find_numbers(work, lang, _windows(after_at, before_at, len(work))):
        if not _near(after_at, q.end, q.end + 60) and not _near(before_at, q.start - 100, q.start):
            continue
        if _is_not_count(work, q):
            continue
        index = max(0, bisect_left(starts, q.start + 1) - 1)
        s_start, s_end = sentences[index]
        kind, gap_text, link = None, "", ""
        match = after_re.match(work, q.end, s_end)
        if match and _gap_ok(match.group("gap"), lang):
            kind = next(k for k in KINDS if match.group(k))
            active = _ACTIVE_AFTER.match(work, match.end())
            if active and kind in ("killed", "injured", "displaced"):
                kind = None  # "100 fighters killed 20 civilians": the subject, not the victims
            gap_text = text[q.end : match.start(kind)].strip() if kind else ""
        qualifier, q_start = _qualifier_before(work, q.start)
        if qualifier is None and _AT_LEAST_AFTER.match(work, q.end):
            qualifier = "at_least"  # "8 اشخاص علي الاقل": Arabic puts "at least" after
        if kind is None:
            # The trigger sits within a few words of the number: search only that window.
            back = before_re.search(work, max(s_start, q_start - 90), q_start)
            if back:
                kind = next(k for k in KINDS if back.group(k))
                link = back.group("link")
            else:
                toll = _TOLL_PHRASE.search(work, max(s_start, q_start - 120), q_start)
                if toll:
                    kind, link = "killed", " " + toll.group("verb")
        if kind is None:
            continue
        if qualifier is None:
            qualifier = q.qualifier
            for name, verbs in _LINK_QUALIFIERS.items():
                if name != "exact" and link and verbs.search(link):
                    qualifier = name
        elif q.value is None:
            qualifier = q.qualifier
        sentence = work[s_start:s_end]
        clause = work[max(s_start, q_start - 80) : q_start]
        found.append(
            Found(
                kind=kind, value=q.value, qualifier=qualifier, start=q.start, sentence=index,
                reporter=reporters[index] if index in reporters else reporters.setdefault(
                    index, _reporter(text[s_start:s_end])),
                scope=gap_text or None,
                background=bool(_BACKGROUND.search(sentence)),
                projection=bool(_PROJECTION.search(clause[-60:])
                                or _PROJECTION.search(work[q.end : q.end + len(gap_text) + 25])),
                superseded=bool(_SUPERSEDED.search(work[max(s_start, q_start - 60) : q_start])),
                separate=separate_from is not None and index >= separate_from,
                rising=bool(link and _RISING.search(link)),
                in_title=in_title,
            )
        )
    return found


def _headline(candidates: list[Found], epidemic: bool) -> Found | None:
    pool = [f for f in candidates if not f.projection and not f.superseded]
    if not pool:
        return None
    current = [f for f in pool if not f.separate] or pool
    if not epidemic:
        current = [f for f in current if not f.background] or current
    best = max(current, key=lambda f: (f.size, f.value is not None, -f.start))
    # "more than 1,400 ... 1,411 dead": the precise count of the same toll wins.
    if best.value and best.qualifier in ("more_than", "about", "at_least"):
        precise = [
            f for f in current
            if f.qualifier == "exact" and f.value and f.value != best.value
            and abs(f.value - best.value) <= 0.1 * best.value
        ]
        if precise:
            best = max(precise, key=lambda f: f.size)
    return best


def find_figures(
    text: str, title: str | None = None, lang: str = "en", epidemic: bool = False
) -> FigureResult:
    """Casualty figures of a report: one headline per kind, the rest in `others`."""
    found = _extract(text, lang, in_title=False)
    if title:
        found += _extract(title, lang, in_title=True)
    result = FigureResult(rising=any(f.rising for f in found))
    for kind in KINDS:
        candidates = [f for f in found if f.kind == kind]
        body = [f for f in candidates if not f.in_title]
        titled = _headline([f for f in candidates if f.in_title], epidemic=True)
        best = _headline(body, epidemic)
        if titled is not None:
            # A headline states the main event's toll; the body may give it more precisely.
            same = [f for f in body if f.value == titled.value and f.value is not None]
            if best is None or not (best.value and titled.value and titled.qualifier != "exact"
                                    and 0 < best.value - titled.value <= 0.1 * titled.value):
                best = same[0] if same else titled
        if best is not None:
            result.headline[kind] = Figure(
                value=best.value, qualifier=best.qualifier, reporter=best.reporter,
                scope=best.scope, cumulative=best.background,
            )
        for f in candidates:
            if f is best:
                continue
            result.others.append({
                "kind": kind, "value": f.value, "qualifier": f.qualifier,
                "reporter": f.reporter, "scope": f.scope, "background": f.background,
                "superseded": f.superseded, "projection": f.projection,
            })
    return result
