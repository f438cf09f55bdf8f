"""Numbers as news writes them: digits, words in en/fr/es/ar, and vague amounts.

`find_numbers(work, lang)` scans a prepared text (see `prepare`) and yields Quantity spans:
"1,000" -> 1000; "4.3 million" -> 4300000; "twenty-five" -> 25; "two dozen" -> about 24;
"hundreds" -> value None, qualifier "hundreds"; "une vingtaine" -> about 20.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.analysis.patterns import by_first_letter

_AR_DIGIT_PAIRS = list(zip("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.", strict=True))
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")  # marks, letters and both digit sets


def strip_marks(text: str) -> str:
    """The text without Arabic vowel marks and with Western digits (offsets then stay fixed)."""
    if text.isascii() or _ARABIC_SCRIPT.search(text) is None:
        return text  # nothing to strip: translating every character costs more than this test
    text = _AR_MARKS.sub("", text)
    # A replace per digit present beats translate, which looks up every character.
    for digit, western in _AR_DIGIT_PAIRS:
        if digit in text:
            text = text.replace(digit, western)
    return text


class _FoldTable(dict):
    """str.translate table built as characters are met: accents dropped, one char for one."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        kept = [c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)]
        value = kept[0] if len(kept) == 1 else ch
        value = value.translate(_AR_FOLD)
        self[code] = value
        return value


_FOLD = _FoldTable()
_ARABIC = re.compile("[\u0600-\u06ff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def prepare(text: str) -> str:
    """Lower case, Latin accents and Arabic letter variants folded, one char for one char."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: keep offsets
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    if lowered.isascii():
        return lowered
    if _ARABIC.search(lowered):
        return lowered.translate(_FOLD)
    # A few accented letters in Latin text: replacing just those beats translating it all.
    return _NON_ASCII.sub(lambda m: _FOLD[ord(m.group())], lowered)


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    value: int | None
    qualifier: str  # exact | about | dozens | hundreds | thousands | ... (a leading "at least"
    # and the like are read by the figure rules, not here)
    digits: bool  # written with digits (years, ages, codes are digits too)


# Words per language: value, or a multiplier for "hundred"/"thousand"/"million".
_UNITS: dict[str, dict[str, int]] = {
    "en": {
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90,
    },
    "fr": {
        "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
        "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
        "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
        "cinquante": 50, "soixante": 60, "quatre-vingt": 80, "quatre-vingts": 80,
    },
    "es": {
        "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
        "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
        "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
        "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiun": 21, "veintidos": 22,
        "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26,
        "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
        "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
        "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300,
        "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500,
        "quinientas": 500, "seiscientos": 600, "seiscientas": 600, "setecientos": 700,
        "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900,
        "novecientas": 900,
    },
    "ar": {
        "واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4,
        "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمانيه": 8,
        "ثمان": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10, "عشرون": 20, "عشرين": 20,
        "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
        "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80,
        "تسعون": 90, "تسعين": 90, "مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200,
        "مائتين": 200, "ثلاثمئه": 300, "ثلاثمائه": 300, "اربعمئه": 400, "اربعمائه": 400,
        "خمسمئه": 500, "خمسمائه": 500,
    },
}
_SCALES: dict[str, dict[str, int]] = {
    "en": {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000},
    "fr": {"cent": 100, "cents": 100, "mille": 1000, "million": 1_000_000,
           "millions": 1_000_000, "milliard": 1_000_000_000},
    "es": {"mil": 1000, "millon": 1_000_000, "millones": 1_000_000},
    "ar": {"الف": 1000, "الاف": 1000, "مليون": 1_000_000, "ملايين": 1_000_000},
}
_JOINERS = {"en": {"and"}, "fr": {"et"}, "es": {"y"}, "ar": {"و"}}
# "a dozen" = about 12; "une vingtaine" = about 20 (approximate group nouns).
_GROUPS: dict[str, dict[str, int]] = {
    "en": {"dozen": 12},
    "fr": {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
           "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
           "millier": 1000},
    "es": {"docena": 12, "decena": 10, "veintena": 20, "treintena": 30, "cuarentena": 40,
           "centenar": 100, "millar": 1000},
    "ar": {},
}
# Vague amounts: value None, the qualifier names the order of magnitude.
_VAGUE: list[tuple[str, str]] = [
    (r"tens of thousands|des dizaines de milliers|decenas de miles|عشرات الالاف|عشرات الاف",
     "tens_of_thousands"),
    (r"hundreds of thousands|des centaines de milliers|cientos de miles|centenares de miles|"
     r"مئات الالاف|مئات الاف", "hundreds_of_thousands"),
    (r"millions|des millions|millones", "millions"),
    (r"dozens|(?:des|plusieurs) dizaines|decenas|عشرات", "dozens"),
    (r"scores", "scores"),
    (r"hundreds|(?:des|plusieurs) centaines|cientos|centenares|مئات|المئات", "hundreds"),
    (r"thousands|(?:des|plusieurs) milliers|miles|millares|الاف|الالاف", "thousands"),
]
# The tables are matched against prepare()d text: fold their Arabic spellings the same way
# ("مئة" is read as "ميه" once the hamza seat is folded).
_UNITS = {lang: {prepare(k): v for k, v in table.items()} for lang, table in _UNITS.items()}
_SCALES = {lang: {prepare(k): v for k, v in table.items()} for lang, table in _SCALES.items()}
_VAGUE = [(prepare(pattern), qualifier) for pattern, qualifier in _VAGUE]
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+(?![.,]?\d)"
    r"|\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])"
)
# Where a number may start. In Arabic a digit run may follow the "and" written on it
# ("و70 جريحا"); that second test costs time at every position, so only Arabic pays it.
_GATE = {
    "digits": r"(?<![\w.,])",
    "digits_ar": r"(?<![.,])(?:(?<!\w)|(?<=(?<!\w)و))",
    "any": r"(?<![\w\u0621-\u064a])",
    "any_ar": r"(?:(?<![\w\u0621-\u064a])|(?<=(?<!\w)و)(?=\d))",
}
_SCALE_AFTER = re.compile(
    r"\s*(million|millions|mn|m\b|billion|milliards?|millon|millones|mil\b|مليون|ملايين|"
    r"الفا|الاف|الف)(?:\s*و\s*(\d{1,3})(?!\d))?"
)


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    words = set(_UNITS.get(lang, {})) | set(_SCALES.get(lang, {}))
    if lang != "en":  # English number words are common in every language's news
        words |= set(_UNITS["en"]) | set(_SCALES["en"])
    word_alt = by_first_letter([re.escape(w) for w in sorted(words, key=len, reverse=True)])
    joiners = "|".join(_JOINERS.get(lang, set()) | {"and"})
    word_run = rf"(?:{word_alt})(?:(?:[\s-]+(?:(?:{joiners})\s+)?|\s*و)(?:{word_alt}))*"
    groups = {g for g in _GROUPS.get(lang, {})} | {"dozen"}
    group_alt = "|".join(sorted(groups, key=len, reverse=True))
    vague = "|".join(f"(?P<v{i}>{p})" for i, (p, _) in enumerate(_VAGUE))
    arabic = "_ar" if lang == "ar" else ""
    count_words = "a|an|one|two|three|four|five|six|une|un|una|plusieurs|quelques"
    # The words any alternative starts with, grouped by first letter: at a word start that
    # begins no number ("the", "said") one short test fails and the alternatives are skipped.
    heads = by_first_letter([rf"(?:{count_words})\s", *(p for p, _q in _VAGUE), word_alt])
    # One look-behind gate for all alternatives, then the heads: the engine skips mid-word
    # positions and most word starts at once.
    return re.compile(
        rf"{_GATE['any' + arabic]}(?=[0-9]|{heads})(?:"
        rf"(?P<digits>{_GATE['digits' + arabic]}{_DIGITS})"
        rf"|(?P<group>(?:(?:{count_words})\s+)"
        rf"(?:{group_alt})s?)\b"
        rf"|(?:{vague})(?![\w\u0621-\u064a])"
        rf"|(?P<words>{word_run})(?![\w\u0621-\u064a]))"
    )


_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _parse_digits(raw: str) -> float:
    raw = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if _THOUSANDS_COMMA.fullmatch(raw):
        return int(raw.replace(",", ""))
    if _THOUSANDS_DOT.fullmatch(raw):
        return int(raw.replace(".", ""))
    return float(raw.replace(",", ".")) if ("." in raw or "," in raw) else int(raw)


@cache
def _word_values(lang: str) -> tuple[dict[str, int], dict[str, int]]:
    """Units and scales of a language over the English ones, merged once per language."""
    return {**_UNITS["en"], **_UNITS.get(lang, {})}, {**_SCALES["en"], **_SCALES.get(lang, {})}


def _parse_words(raw: str, lang: str) -> int | None:
    units, scales = _word_values(lang)
    raw = raw.replace("quatre-vingt", "quatre_vingt").replace("quatre_vingts", "quatre_vingt")
    tokens = re.split(r"[\s-]+", raw)
    total = current = 0
    seen = False
    for token in tokens:
        token = token.replace("quatre_vingt", "quatre-vingt")
        if token.startswith("و") and token[1:] in units:
            token = token[1:]
        if token in units:
            current += units[token]
            seen = True
        elif token in scales:
            scale = scales[token]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
            seen = True
    return total + current if seen else None


def find_numbers(
    work: str, lang: str, windows: list[tuple[int, int]] | None = None
) -> list[Quantity]:
    """Every number-like span of a prepared text, left to right; only those starting inside
    `windows` (sorted, non-overlapping (start, end) pairs) when given."""
    pattern = _pattern(lang if lang in _UNITS else "en")
    if windows is None:
        matches = pattern.finditer(work)
    else:
        # The look-behind gate sees text before a window's start, so no number is cut.
        matches = (m for lo, hi in windows for m in pattern.finditer(work, lo, hi))
    return _quantities(work, lang, matches)


def _quantities(work: str, lang: str, matches: Iterable[re.Match[str]]) -> list[Quantity]:
    out: list[Quantity] = []
    for match in matches:
        start, end = match.span()
        if out and start < out[-1].end:
            continue  # the scale word of "4.3 million", already read
        if match.group("digits"):
            value = _parse_digits(match.group("digits"))
            scale = _SCALE_AFTER.match(work, end)
            if scale:
                word = scale.group(1)
                factor = 1000 if word in ("mil", "الف", "الفا", "الاف") else (
                    1_000_000_000 if word.startswith(("billion", "milliard")) else 1_000_000)
                if word in ("mil",) and lang != "es":
                    factor = 0
                if factor:
                    value = value * factor + int(scale.group(2) or 0)  # "62 الفا و64"
                    end = scale.end()
            if isinstance(value, float) and not value.is_integer():
                out.append(Quantity(start, end, None, "decimal", True))
                continue
            out.append(Quantity(start, end, int(value), "exact", True))
        elif match.group("group"):
            text = match.group("group")
            count_word, _, group = text.rpartition(" ")
            group = group.rstrip("s")
            size = _GROUPS.get(lang, {}).get(group) or _GROUPS["en"].get(group, 12)
            if count_word in ("plusieurs", "quelques"):  # "quelques milliers": thousands
                vague = "dozens" if size < 100 else "hundreds" if size < 1000 else "thousands"
                out.append(Quantity(start, end, None, vague, False))
                continue
            count = _parse_words(count_word, lang) if count_word not in ("a", "an") else 1
            out.append(Quantity(start, end, (count or 1) * size, "about", False))
        elif match.group("words"):
            value = _parse_words(match.group("words"), lang)
            if value is not None:
                out.append(Quantity(start, end, value, "exact", False))
        else:
            for i, (_p, qualifier) in enumerate(_VAGUE):
                if match.group(f"v{i}"):
                    out.append(Quantity(start, end, None, qualifier, False))
                    break
    return out
