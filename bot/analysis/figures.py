"""Casualty figures: killed, injured, displaced, missing, each with qualifier and reporter.

A number counts as a casualty figure only when the clause ties it to a casualty word: after it
("12 people were killed", "428 Alawite deaths", "قتيلا") or before it ("killing 12", "the death
toll rose to 30", "مقتل 20"). Years, ages, money, percentages, distances, troops, homes and
resolution numbers are not tied to such words, and are filtered out where they could be.
The headline figure of each kind is the main event's largest current toll: background totals
("since the war began"), superseded counts ("up from 17"), projections ("could reach") and
separate incidents ("Separately, ...", "an earlier raid") step aside and are kept in
`other_figures`. A title's toll wins unless the body states it more precisely ("Hundreds
killed" / "more than 450 were killed"). Injured, displaced and missing figures are measured
against the toll: those told beside it share its scope, while a nationwide total or the count
of one part of the event ("In Joun, 15 killed and 12 wounded") is not the event's.

The word lists are in `casualty_words`, the cues that set a figure apart in `figure_cues`,
the reporter rules in `reporters`.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from bot.analysis.casualty_words import (
    AFTER,
    AR_STOP,
    BEFORE,
    COUNT_NOUNS,
    COUNT_VERBS,
    KINDS,
    QUALIFIERS,
    STOP_WORDS,
    TOLL_VERBS,
)
from bot.analysis.facts import Figure
from bot.analysis.figure_cues import (
    BACKGROUND,
    NATIONWIDE,
    PRIOR,
    PROJECTION,
    SEPARATE,
    SUBSET,
    SUPERLATIVE,
    SUPERSEDED,
    TOTAL,
)
from bot.analysis.numbers import Quantity, find_numbers, prepare, strip_marks
from bot.analysis.patterns import by_first_letter
from bot.analysis.reporters import find_reporter

_W = r"[^\W\d_][\w'\u2019-]*"  # one word
_AR = r"[\u0621-\u064a]+"  # one Arabic word

_MONEY_BEFORE = re.compile(r"(?:\$|€|£|us\$|usd|eur|chf)\s*$")
# Before a small number: a resolution, a block, an age or a magnitude, not a count.
_LABEL_BEFORE = re.compile(r"(?:resolution|resolucion|القرار|block|aged|age of|magnitude)\s+$")
# Spans of time ("two days of fighting", "خلال 48 ساعة") and dates ("18 March", "منذ 18 آذار").
_TIME_UNITS = (
    r"days?|weeks?|months?|years?|hours?|minutes?|decades?|nights?|jours|semaines|mois|annees|"
    r"heures|dias|semanas|meses|horas|ايام|يوما|يومين|اسابيع|اشهر|شهور|سنوات|ساعات|ساعه|دقائق"
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|janvier|fevrier|mars|avril|mai|juin|juillet|"
    r"aout|septembre|octobre|novembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|"
    r"agosto|septiembre|setiembre|octubre|noviembre|diciembre|يناير|فبراير|مارس|ابريل|مايو|"
    r"يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|"
    r"اب|ايلول|تشرين"
)
# Households, not people: "20,746 families" is no count of the displaced.
_FAMILIES = r"(?:families|households|familles|menages|familias|hogares|اسره|اسر|عائله|عائلات)"
# After the number: a share, money, an age, a distance, a time of day, a span of time, a date.
_NOT_COUNT_AFTER = re.compile(
    r"(?:\s*(?:%|per ?cent|pour ?cent|por ?ciento|بالمئه|في المئه|بالمائه)|"
    r"\s*(?:dollars?|euros?|usd|\$|dolares|dollar|دولار)|-year-old|-year|\s*years? old|"
    r"\s*ans\b|\s*anos\b|\s*عاما|[-\s]magnitude|\s*km|\s*h\b|\s+" + _FAMILIES + r"\b|"
    rf"\s*(?:am|pm|gmt|utc)\b|:\d|\s+(?:{_TIME_UNITS}|(?:de\s+)?(?:{_MONTHS}))(?![\w\u0621-\u064a]))"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$")
_CLAUSE_END = re.compile(r"[,;\u060c]")
# "More than 200 people, including women and children, were killed": an aside naming some
# of the victims may stand between the number and its casualty word.
_ASIDE = re.compile(
    r"(?P<lead>(?:\s+[^\W\d_][\w'\u2019-]*){0,2}?)\s*[,\u060c]\s*"
    r"(?=[^,.;:\u060c]{0,60}?(?<![\w\u0621-\u064a])(?:including|among|of them|of whom|mostly|"
    r"dont|parmi|y compris|entre ellos|entre ellas|incluid|incluyendo|la mayoria|la plupart|"
    r"بينهم|منهم|معظمهم|اغلبهم))"
    r"[^,.;:\u060c]{1,60}[,\u060c]"
)
# "between 200 and 400 dead", "entre 200 et 400 morts", "two or three people"
_RANGE_BEFORE = re.compile(r"(?:between|entre|بين)\s+$")
_RANGE_JOIN = re.compile(r"\s*(?:and|et|y|to|a|à|or|ou|o|و|-|–)\s*")
_RANGE_JOIN_BARE = re.compile(r"\s+(?:or|ou|o)\s+")  # not "from 20 to 35": a change
_AT_LEAST_AFTER = re.compile(r"(?:\s+[\u0621-\u064a]+)?\s+(?:علي الاقل|في الاقل)")
_NOMINAL = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
            "tens_of_thousands": 20_000, "hundreds_of_thousands": 200_000,
            "millions": 2_000_000}


# All qualifiers in one pattern, one search per number: only one phrase can end the window.
_QUALIFIER_ANY = re.compile(
    r"(?:^|[\s(])(?:" + "|".join(f"(?P<{q}>{prepare(p)})" for p, q in QUALIFIERS)
    + r")(?:\s+a)?\s*$"  # "mataron al menos a 6.000"
)


def _qualifier_ends() -> tuple[str, ...]:
    """The words a qualifier can end with ("least", "than", "about", the "a" above): a window
    ending in none of them holds none, told by one endswith instead of a search at every
    position. Just "", which every window ends with, if a qualifier ends in regex syntax."""
    ends = {"a"}
    for pattern, _q in QUALIFIERS:
        for alternative in prepare(pattern).split("|"):
            last = alternative.rsplit(" ", 1)[-1]
            if not last or any(char in "\\()[]{}|?*+.^$" for char in last):
                return ("",)
            ends.add(last)
    return tuple(sorted(ends))


_QUALIFIER_ENDS = _qualifier_ends()


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
    nationwide: bool = False  # a total for the whole country or the whole war
    total: bool = False  # told as a running total ("bringing the number of injured to")
    subset: bool = False  # some of a toll told elsewhere ("four women were among the dead")

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
    # "عشرات القتلى": the word may take the article; "مئات النازحين" with it names people
    # displaced before (camps, shelters), not this event's, so displaced words go without.
    article = {kind: "(?:ال)?" if lang == "ar" and kind != "displaced" else "" for kind in KINDS}
    english = lang != "ar"  # Arabic text has no English casualty words after its numbers
    kinds = "|".join(
        f"(?P<{kind}>{article[kind]}(?:{by_first_letter(_words(AFTER, kind, lang, english))}))"
        for kind in KINDS
    )
    gap = (
        rf"(?:\s+(?:of\s+|de\s+|d\s+)?(?:{_W}|{_AR})(?![\w\u0621-\u064a])){{0,5}}?"
        if lang != "ar" else rf"(?:\s+{_AR}(?![\u0621-\u064a])){{0,3}}?"  # whole words only
    )
    return re.compile(rf"(?P<gap>{gap})\s*(?:[-\u2013:]\s*)?(?:{kinds})(?![\w\u0621-\u064a])")


def _words(table: dict[str, dict[str, str]], kind: str, lang: str, english: bool) -> list[str]:
    """One kind's words for a language: its own, and English ones (common in every language's
    news) when `english`."""
    own = [table[kind][lang]] if lang in table[kind] else []
    return own + [table[kind]["en"]] if english or not own else own


@cache
def _before_re(lang: str) -> re.Pattern[str]:
    kinds = "|".join(
        f"(?P<{kind}>{by_first_letter(_words(BEFORE, kind, lang, True))})" for kind in KINDS
    )
    verbs = "|".join(TOLL_VERBS.values())
    return re.compile(
        rf"(?<![\w\u0621-\u064a])(?:[وفبل](?=[\u0621-\u064a]))?(?:{kinds})(?P<link>(?:\s+(?:{verbs}|the|has|have|had|been|"
        rf"officially|reportedly|later|now|so far|further|also|number|numbered|total|totalled|"
        rf"numbered in the|numbering in the|"
        rf"numbers in the|ran into the|run into the|running into the|الي|إلى|"
        # "evacuated 20,746 families, or 81,610 people": the people count is the figure
        rf"\d[\d,.]*\s+{_FAMILIES}\s*,?\s+(?:or|soit|o sea|اي|about|some|nearly|environ)"
        rf")){{0,5}})\s*$"
    )


@cache
def _term_re(lang: str, table: str) -> re.Pattern[str]:
    """All casualty words of one table, to find where they are in one pass over a text."""
    words = AFTER if table == "after" else BEFORE
    parts = []
    for kind in KINDS:
        parts.append(words[kind]["en"])
        if lang in words[kind]:
            parts.append(words[kind][lang])
    if table == "before":  # "the number of people who have fled ... passed three million"
        parts += [prepare(nouns) for nouns in COUNT_NOUNS.values()]
    prefix = "(?:[وفبل])?(?:ال)?" if lang == "ar" else ""  # "والقتلى": and + the + word
    return re.compile(r"(?<![\w\u0621-\u064a])" + prefix + "(?:" + by_first_letter(parts) + ")")


def _near(positions: list[int], low: int, high: int) -> bool:
    """Whether a position falls in [low, high)."""
    at = bisect_left(positions, low)
    return at < len(positions) and positions[at] < high


_TOLL_PHRASE = re.compile(
    "(?<![\\w\u0621-\u064a])(?:"
    + "|".join(f"(?P<{kind}>{prepare(nouns)})" for kind, nouns in COUNT_NOUNS.items())
    + f")\\b[^.;:\u060c]{{0,60}}?\\s(?P<verb>{prepare(COUNT_VERBS)})(?:\\s+(?:to|at|a))?\\s*$"
)
# Arabic puts the verb first: "بلغ عدد النازحين المسجلين منذ مطلع الشهر 816 ألفاً".
_COUNT_VERB_FIRST = re.compile(
    r"(?<![\w\u0621-\u064a])(?P<verb>(?:و|ف)?(?:ارتفع|ارتفعت|بلغ|بلغت|تجاوز|تجاوزت|وصل|وصلت))"
    r"\s+(?:"
    + "|".join(f"(?P<{kind}>{prepare(nouns)})" for kind, nouns in COUNT_NOUNS.items())
    + ")(?:\\s+[\u0621-\u064a]+){0,6}\\s*$"
)
# "the monitor put the toll of two days of fighting at more than 1,000"
_PUT_TOLL = re.compile(
    r"\b(?:put|puts|putting|placed|places|estimated|estimates|set|sets|gave|gives)\s+"
    r"(?:the|its|their|a|an)\s+(?:overall\s+|total\s+|death\s+|new\s+)*toll\b"
    r"[^.;:]{0,80}?\sat\s*$"
)
_ACTIVE_OBJECTS = (
    r"\s+(?:at least |more than |about |some |nearly |over |around |up to |au moins |plus de |"
    r"al menos |mas de )?(?:\d|{articles}two |three |four |five |six |seven |eight |nine |ten |"
    r"dozens|hundreds|scores|thousands|his |her |their |one |several |many |deux |trois |"
    r"des |plusieurs |dos |tres |a \d|a dos|a tres|a un|a una|a mas|a al menos)"
    rf"(?![\d,.]*\s*(?:{_TIME_UNITS})\b)"  # "200 injured over two days" is no subject
)


@cache
def _active_after(lang: str) -> re.Pattern[str]:
    """An object after the casualty word ("100 fighters killed 20 civilians"). A bare "a" is
    the English article only: "treize morts à Mozogo", "muertos a causa de" are places, causes."""
    articles = "a |an |the " if lang == "en" else ""
    return re.compile(_ACTIVE_OBJECTS.replace("{articles}", articles + "|" if articles else ""))


# Words every count noun above contains: a substring test skips the patterns when none is near.
_COUNT_CUES = ("toll", "number of", "nombre de", "bilan", "cifra de", "balance de", "numero de",
               "حصيله", "عدد")


def _count_phrase(work: str, low: int, high: int) -> tuple[str | None, str]:
    """The kind and verb of a count noun that ends at `high` ("the toll ... rose to")."""
    if not any(work.find(cue, low, high) >= 0 for cue in _COUNT_CUES):
        return None, ""
    for pattern in (_TOLL_PHRASE, _COUNT_VERB_FIRST):
        match = pattern.search(work, low, high)
        if match:
            kind = next(k for k in KINDS if match.group(k))
            return kind, " " + match.group("verb")
    if _PUT_TOLL.search(work, low, high):
        return "killed", ""
    return None, ""


def _clause_after(work: str, end: int, gap: str, reach: int) -> str:
    """The words after a number up to `reach` past its casualty word, within its clause."""
    after = work[end : end + len(gap) + reach]
    cut = _CLAUSE_END.search(after)
    return after if cut is None else after[: cut.start()]


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
    if not window.rstrip().endswith(_QUALIFIER_ENDS):
        return None, start
    match = _QUALIFIER_ANY.search(window)
    if match is None:
        return None, start
    return str(match.lastgroup), start - (len(window) - match.start())


def _is_not_count(work: str, q: Quantity) -> bool:
    if q.qualifier == "decimal" or _NOT_COUNT_AFTER.match(work, q.end, q.end + 25):
        return True
    low = max(0, q.start - 25)
    if _MONEY_BEFORE.search(work, low, q.start):
        return True
    if not q.digits or q.value is None:
        return False
    if 1900 <= q.value <= 2100 and work[q.start : q.end].isdigit():
        return True  # a year; tolls of 1,900 and up are written with a separator
    if q.value <= 31 and _MONTH_BEFORE.search(work, low, q.start):
        return True  # "March 18"
    return q.value < 100 and _LABEL_BEFORE.search(work, low, q.start) is not None


# "460 patients and their companions were killed": "and" joins the victims, not a new count.
_JOINED_VICTIMS = {"their", "his", "her", "other", "leurs", "leur", "ses", "autres", "sus",
                   "otros", "otras"}


def _gap_ok(gap: str, lang: str) -> bool:
    words = gap.split()
    if lang == "ar":
        return not any(w in AR_STOP for w in words)
    return not any(
        w in STOP_WORDS
        and not (w in ("and", "et", "y") and i + 1 < len(words) and words[i + 1] in _JOINED_VICTIMS)
        for i, w in enumerate(words)
    )


# Sentence breaks, "[.!?؟]\s+|\n+", one pattern per stop: a pattern led by a literal is
# found by a fast character search, where one alternation is tried at every position.
_BREAKS = [re.compile(p) for p in (r"\.\s+", r"!\s+", r"\?\s+", "\u061f\\s+", r"\n+")]
_ABBREVIATION = re.compile(r"(?:\b\w\.|\bmr\.|\bdr\.|\bst\.|\bno\.)$")
_LINK_QUALIFIERS = {
    name: re.compile(rf"(?:^|\s)(?:{verbs})\s*$") for name, verbs in TOLL_VERBS.items()
    if name != "exact"
}
_RISING = re.compile(r"rose|risen|climbed|jumped|increased|soared|alourdi|eleva|ascendi|"
                     r"aument|ارتفع")


def _breaks(work: str) -> list[tuple[int, int]]:
    """Where sentences break, left to right and without overlaps, as one scan would find
    them (a run of newlines inside ".\n\n" belongs to the stop before it)."""
    out = []
    last = 0
    for start, end in sorted(m.span() for p in _BREAKS for m in p.finditer(work)):
        if start >= last:
            out.append((start, end))
            last = end
    return out


def _sentences(work: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for stop, stop_end in _breaks(work):
        end = stop + (work[stop] in ".!?؟")  # the stop stays in its sentence
        # "Mr. Smith", "U.N. said": a dot after a short or capital-only word is not an end
        before = work[max(start, end - 4) : end]
        if before.endswith(".") and _ABBREVIATION.search(before):
            continue
        spans.append((start, end))
        start = stop_end
    spans.append((start, len(work)))
    return spans


def _read_after(
    work: str, after_re: re.Pattern[str], lang: str, span: tuple[int, int], s_end: int
) -> tuple[str | None, int, int]:
    """The casualty word after a number (`span`: where it starts and ends): its kind and where
    the words between start and end. An aside may come first ("200 people, including women,
    were killed")."""
    start, at = span
    match = after_re.match(work, at, s_end)
    if match is None or not _gap_ok(match.group("gap"), lang):
        comma = work.find(",", at, at + 40) >= 0 or work.find("\u060c", at, at + 40) >= 0
        aside = _ASIDE.match(work, at, s_end) if comma else None
        if aside is None or not _gap_ok(aside.group("lead"), lang):
            return None, at, at
        match = after_re.match(work, aside.end(), s_end)
        if match is None or not _gap_ok(match.group("gap"), lang):
            return None, at, at
    kind = next(k for k in KINDS if match.group(k))
    if kind != "missing" and _active_after(lang).match(work, match.end()):
        return None, at, at  # "100 fighters killed 20 civilians": the subject, not the victims
    if work[start:at] in _ARTICLES and not _one_victim(match.group("gap")):
        return None, at, at  # "un camp de déplacés" is a camp, not one displaced person
    if kind != "killed":
        # "five displaced people were killed", "20 wounded died": the last word tells
        later = after_re.match(work, match.end(), s_end)
        if later and later.group("killed") and len(later.group("gap").split()) <= 3 and (
            _gap_ok(later.group("gap"), lang)
        ):
            return "killed", at, later.start("killed")
    return kind, at, match.start(kind)


# Number words that are also the indefinite article: "un", "une", "una", "uno".
_ARTICLES = {"un", "une", "una", "uno"}


def _one_victim(gap: str) -> bool:
    """Whether an article-like "un" is one victim: "un soldat tué", not "un camp de déplacés"."""
    words = gap.split()
    return len(words) <= 2 and not any(w in ("de", "del", "d", "des") for w in words)


def _range_end(work: str, q: Quantity, following: Quantity | None) -> int | None:
    """Where "between 200 and 400" ends when `q` is its first number: the range is read as
    at least its low end, and its high end is not read again."""
    if following is None or following.value is None or q.value is None:
        return None
    if following.value <= q.value or not _RANGE_JOIN.fullmatch(work, q.end, following.start):
        return None
    return following.end


def _extract(original: str, lang: str, in_title: bool) -> list[Found]:
    text = strip_marks(original)
    work = prepare(text)
    sentences = _sentences(work)
    found: list[Found] = []
    after_re, before_re = _after_re(lang), _before_re(lang)
    separate_from = None
    for index, (s_start, s_end) in enumerate(sentences):
        if separate_from is None and index > 0 and SEPARATE.match(work, s_start, s_end):
            separate_from = index
    reporters: dict[int, str | None] = {}
    starts = [a for a, _b in sentences]
    # Where casualty words are, found once: most numbers have none near and are skipped fast.
    after_at = [m.start() for m in _term_re(lang, "after").finditer(work)]
    before_at = [m.end() for m in _term_re(lang, "before").finditer(work)]
    if not after_at and not before_at:
        return found  # no casualty word at all: nothing can be a figure
    numbers = find_numbers(work, lang, _windows(after_at, before_at, len(work)))
    skip_to = -1
    for position, q in enumerate(numbers):
        if q.start < skip_to:
            continue  # the high end of a range already read
        if not _near(after_at, q.end, q.end + 130) and not _near(before_at, q.start - 100, q.start):
            continue
        if _is_not_count(work, q):
            continue
        index = max(0, bisect_left(starts, q.start + 1) - 1)
        s_start, s_end = sentences[index]
        qualifier, q_start = _qualifier_before(work, q.start)
        end = q.end
        low_end = None
        if _RANGE_BEFORE.search(work, max(s_start, q_start - 12), q_start) or (
            position + 1 < len(numbers) and _RANGE_JOIN_BARE.match(work, q.end)
        ):
            low_end = _range_end(work, q, numbers[position + 1] if position + 1 < len(numbers)
                                 else None)
            if low_end is not None:
                end = skip_to = low_end
                qualifier = qualifier or "at_least"
        kind, gap_start, gap_end = _read_after(work, after_re, lang, (q.start, end), s_end)
        gap_text = text[gap_start:gap_end].strip()
        if qualifier is None and _AT_LEAST_AFTER.match(work, end):
            qualifier = "at_least"  # "8 اشخاص علي الاقل": Arabic puts "at least" after
        link = ""
        if kind is None:
            # The trigger sits within a few words of the number: search only that window.
            back = before_re.search(work, max(s_start, q_start - 90), q_start)
            if back:
                kind = next(k for k in KINDS if back.group(k))
                link = back.group("link")
            else:
                kind, link = _count_phrase(work, max(s_start, q_start - 120), q_start)
        if kind is None:
            continue
        if qualifier is None:
            qualifier = q.qualifier
            for name, verbs in _LINK_QUALIFIERS.items():
                if link and verbs.search(link):
                    qualifier = name
        elif q.value is None:
            qualifier = q.qualifier
        if index not in reporters:
            reporters[index] = find_reporter(text[s_start:s_end])
        found.append(
            Found(
                kind=kind, value=q.value, qualifier=qualifier, start=q.start, sentence=index,
                reporter=reporters[index], scope=gap_text or None, rising=bool(
                    link and _RISING.search(link)), in_title=in_title,
            )
        )
        _flag(found[-1], work, (s_start, q_start, end, s_end), gap_text,
              separate_from is not None and index >= separate_from)
    return found


def _flag(f: Found, work: str, where: tuple[int, int, int, int], gap: str, later: bool) -> None:
    """Mark a figure that is not the main event's current toll: a total since some date, a
    projection, an earlier count, or another (earlier, elsewhere, historical) event."""
    s_start, q_start, end, s_end = where
    lead = work[max(s_start, q_start - 300) : q_start]  # capped: a run-on text stays linear
    clause = lead[-80:]
    # The words of the number's own clause: an aside after a comma speaks of something else.
    own = clause[_last_break(clause):]
    after = _clause_after(work, end, gap, 25)
    # Words before and after the number are searched in one go, joined by a mark no cue spans.
    f.background = _background(lead, after)
    f.projection = bool(PROJECTION.search(f"{own[-60:]} | {after}"))
    f.superseded = bool(SUPERSEDED.search(work, max(s_start, q_start - 100), q_start))
    # The scope marks below serve one side each: tolls are split in parts, the other kinds
    # are measured against the toll.
    if f.kind == "killed":
        f.subset = bool(SUBSET.search(f"{own[-30:]} | {after}"))
    else:
        # "100,000 have fled their homes in the south since the fighting began in 2023": a
        # displacement figure's date may close its clause.
        clause_end = _CLAUSE_END.search(work, end, min(s_end, end + 200))
        rest = work[end : clause_end.start() if clause_end else min(s_end, end + 200)]
        if f.kind == "displaced" and not f.background and _background(lead, rest):
            f.background = True
        f.nationwide = f.background and bool(NATIONWIDE.search(f"{lead} | {rest}"))
        f.total = bool(TOTAL.search(own))
    f.separate = later or bool(
        PRIOR.search(f"{clause} | {_clause_after(work, end, gap, 40)}")
    )


def _background(lead: str, after: str) -> bool:
    """A "since the war began" before the figure in its sentence, or right after it unless it
    only dates a comparison ("killing 30 in the deadliest attack since the war began")."""
    cue = BACKGROUND.search(f"{lead} | {after}")
    if cue is None or cue.start() < len(lead):
        return cue is not None
    return not SUPERLATIVE.search(after, 0, cue.start() - len(lead) - 3)


def _last_break(clause: str) -> int:
    """Where the last clause of `clause` starts (after its last comma or semicolon)."""
    return max(clause.rfind(","), clause.rfind(";"), clause.rfind("\u060c")) + 1


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


# The least a vague amount means: a body count at or above it says the same, more precisely.
_VAGUE_FLOOR = {"dozens": 20, "scores": 20, "hundreds": 100, "thousands": 1000,
                "tens_of_thousands": 10_000, "hundreds_of_thousands": 100_000,
                "millions": 1_000_000}


def _title_or_body(titled: Found, best: Found | None, body: list[Found]) -> Found:
    """A headline states the main event's toll; the body may give the same toll precisely."""
    same = [f for f in body if f.value == titled.value and f.value is not None]
    if best is None or (best.background and not titled.background):
        return same[0] if same else titled
    if titled.value is None:  # "Hundreds killed" over "more than 450 were killed"
        floor = _VAGUE_FLOOR.get(titled.qualifier)
        return best if floor and best.value and best.value >= floor else titled
    if best.value is not None or best.qualifier in _VAGUE_FLOOR:
        if titled.qualifier in ("at_least", "more_than") and (
            titled.value < best.size <= 2 * titled.value
        ):
            return best  # "kills at least 34" and, in the body, "43 people were killed"
        if titled.qualifier != "exact" and best.value and (
            abs(best.value - titled.value) <= 0.1 * titled.value
        ):
            return best  # "près de 160 morts" and "159 personnes"
    return same[0] if same else titled


def _beside(anchor: Found | None, body: list[Found]) -> Found | None:
    """The figure told in the same sentence as the headline toll ("62,064 killed and 156,573
    injured"): it has the toll's scope, where other sentences break it down or add to it."""
    if anchor is None or anchor.in_title:
        return None
    near = [f for f in body if f.sentence == anchor.sentence
            and not f.projection and not f.superseded]
    return max(near, key=lambda f: (f.size, -f.start)) if near else None


# One death told without a number: "A school-age child ... has died", "Un déplacé a été tué",
# "Child dies in outbreak". Read only when the report gives no killed figure at all.
# People, by what they are: age and kin, trade, uniform, role in the event.
_VICTIMS = (
    r"child|boy|girl|baby|infant|toddler|teenager|youth|man|woman|person|civilian|resident|"
    r"villager|citizen|national|mother|father|son|daughter|brother|sister|husband|wife|"
    r"grandmother|grandfather|journalist|reporter|photographer|cameraman|worker|staff member|"
    r"staffer|employee|contractor|official|teacher|student|pupil|doctor|nurse|medic|paramedic|"
    r"patient|health worker|aid worker|volunteer|rescuer|firefighter|farmer|herder|fisherman|"
    r"miner|labou?rer|driver|passenger|pedestrian|cyclist|motorcyclist|climber|hiker|swimmer|"
    r"tourist|pilgrim|migrant|refugee|asylum seeker|priest|imam|monk|nun|lawyer|judge|mayor|"
    r"politician|lawmaker|activist|protester|demonstrator|leader|commander|soldier|trooper|"
    r"officer|policeman|policewoman|police officer|guard|peacekeeper|ranger|sailor|marine|"
    r"pilot|crew member|fighter|militant|gunman|rebel|suspect|attacker|bomber|hostage|"
    r"prisoner|detainee|inmate|victim"
)
_VICTIMS_FR = (
    r"enfant|fille|garcon|bebe|adolescente?|jeune|homme|femme|personne|civile?|habitante?|"
    r"villageoise?|mere|pere|fils|frere|soeur|mari|epouse|journaliste|photographe|travailleur|"
    r"travailleuse|employee?|agent|fonctionnaire|enseignante?|eleve|etudiante?|medecin|"
    r"infirmiere?|patiente?|humanitaire|secouriste|pompier|agriculteur|agricultrice|eleveur|"
    r"pecheur|mineur|chauffeur|passagere?|pietonne?|touriste|pelerin|migrante?|deplacee?|"
    r"refugiee?|pretre|imam|religieuse|avocate?|juge|maire|elue?|militante?|manifestante?|"
    r"chef|commandant|soldat|militaire|policier|policiere|gendarme|garde|casque bleu|pilote|"
    r"combattant|assaillant|suspect|otage|prisonniere?|detenue?|victime"
)
_VICTIMS_ES = (
    r"nino|nina|bebe|joven|adolescente|hombre|mujer|persona|civil|vecin[oa]|habitante|"
    r"madre|padre|hij[oa]|herman[oa]|espos[oa]|periodista|fotografo|trabajador|trabajadora|"
    r"emplead[oa]|funcionari[oa]|maestr[oa]|profesor|profesora|estudiante|alumn[oa]|medico|"
    r"medica|enfermer[oa]|paciente|socorrista|bombero|campesin[oa]|agricultor|pescador|"
    r"minero|conductor|pasajer[oa]|peaton|turista|peregrin[oa]|migrante|desplazad[oa]|"
    r"refugiad[oa]|sacerdote|cura|monja|abogad[oa]|juez|jueza|alcalde|alcaldesa|concejal|"
    r"lider social|lideresa|activista|manifestante|comandante|soldado|militar|policia|"
    r"agente|guardia|piloto|combatiente|guerrillero|atacante|sospechos[oa]|rehen|pres[oa]|"
    r"detenid[oa]|recluso|victima"
)
# "a", a few words, the verb: a violent death only befalls someone ("an international staff
# member of the UN was killed"), while "died" needs a person named ("a school-age child who had
# not been vaccinated has died"; "a new law died" is no death).
_ONE_KILLED = (
    r"(?:^|(?<=[.;:!?] )|(?<=, )){article}\s+(?:(?!{stop})[\w'-]+,?\s+){{0,8}}?(?:{verbs})\b"
)
_ONE_DIED = (
    r"(?:^|(?<=[.;:!?] )|(?<=, )){article}\s+(?:(?!{stop})[a-z][\w'-]*,?\s+){{0,4}}?"
    r"(?:{victims})s?\b(?:,?\s+(?!{stop})[a-z][\w'-]*){{0,8}}?,?\s+(?:{verbs})\b"
)


def _one_pattern(article: str, stop: str, victims: str, killed: str, died: str) -> str:
    # Victims grouped by first letter: a word start then tries one group, not every word.
    # Only where a match starts is read, and regrouping the words does not move it.
    return (_ONE_KILLED.format(article=article, stop=stop, verbs=killed) + "|"
            + _ONE_DIED.format(article=article, stop=stop, victims=by_first_letter([victims]),
                               verbs=died))


_ONE_DEATH = {
    "en": re.compile(
        _one_pattern("(?:a|an|one)", "and |or |were |are ", _VICTIMS,
                     "(?:was|has been|had been|is) (?:killed|shot dead|stabbed to death|"
                     "beaten to death|found dead)", "died|has died|dies")
        # a headline's "Child dies in ...", not "the man killed his neighbour"
        + rf"|\b(?:{by_first_letter([_VICTIMS])})\s+(?:dies|died|killed)(?=\s+(?:in|by|as|"
        r"after|near|when|at|on|during|while)\b|\s*[,.:;]|\s*$)"
    ),
    "fr": re.compile(_one_pattern(
        "(?:un|une)", "et |ou |sont |ont ", _VICTIMS_FR,
        "a ete (?:tuee?|abattue?|assassinee?)", "est morte?|a peri|a perdu la vie|est decedee?")),
    "es": re.compile(_one_pattern(
        "(?:un|una)", "y |o |fueron |han ", _VICTIMS_ES,
        "fue asesinad[oa]|fue abatid[oa]", "murio|fallecio|perdio la vida|resulto muert[oa]")),
    "ar": re.compile(
        r"(?<![\u0621-\u064a])و?(?:مقتل|قتل|استشهاد|وفاه|مصرع) (?:شخص|طفل|طفله|امراه|رجل|"
        r"جندي|مدني|صحفي|شاب|فتي|فتاه|مسعف|عامل|موظف)(?![\u0621-\u064a])"
    ),
}


def _one_death(text: str, lang: str, in_title: bool) -> Found | None:
    """One death told without a number, with the reporter of its sentence."""
    pattern = _ONE_DEATH.get(lang)
    plain = strip_marks(text)
    work = prepare(plain)
    match = pattern.search(work) if pattern else None
    if match is None:
        return None
    sentences = _sentences(work)
    index = max(0, bisect_left([a for a, _b in sentences], match.start() + 1) - 1)
    s_start, s_end = sentences[index]
    return Found(kind="killed", value=1, qualifier="exact", start=match.start(), sentence=index,
                 reporter=None if in_title else find_reporter(plain[s_start:s_end]),
                 in_title=in_title)


def _of_the_event(body: list[Found], anchor: Found | None, killed: list[Found]) -> list[Found]:
    """The injured, displaced or missing figures that can be the main event's, once its toll
    is known: not a total for the whole country or war ("over 15 million displaced since
    2023") when the toll is a new event's, and not a count for one part of the event (a
    sentence whose own toll is smaller than the headline: "In Joun, 15 killed and 12 wounded")
    unless it is told as a running total, nor another incident's."""
    if anchor is None:
        return body
    if not anchor.background:
        body = [f for f in body if not f.nationwide]
    if not anchor.separate:
        body = [f for f in body if not f.separate]
    if anchor.value:
        own = -1 if anchor.in_title else anchor.sentence
        parts = {f.sentence for f in killed if f.value is not None and f.value < anchor.value
                 and f.sentence != own and f is not anchor and not f.subset}
        body = [f for f in body if f.total or f.sentence not in parts]
    return body


def find_figures(
    text: str, title: str | None = None, lang: str = "en", epidemic: bool = False
) -> FigureResult:
    """Casualty figures of a report: one headline per kind, the rest in `others`."""
    found = _extract(text, lang, in_title=False)
    if title:
        found += _extract(title, lang, in_title=True)
    if not any(f.kind == "killed" for f in found):
        one = _one_death(text, lang, False) or (title and _one_death(title, lang, True))
        if one:
            found.append(one)
    result = FigureResult(rising=any(f.rising for f in found))
    anchor: Found | None = None
    killed = [f for f in found if f.kind == "killed" and not f.in_title]
    for kind in KINDS:
        candidates = [f for f in found if f.kind == kind]
        body = [f for f in candidates if not f.in_title]
        if kind != "killed":
            body = _of_the_event(body, anchor, killed)
        titled = _headline([f for f in candidates if f.in_title], epidemic=True)
        best = _headline(body, epidemic)
        beside = _beside(anchor, body) if kind != "killed" else None
        if beside is not None:
            best = _title_or_body(beside, best, body)
        if titled is not None:
            best = _title_or_body(titled, best, body)
        if kind == "killed":
            anchor = best
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
