"""Text helpers shared by the analysers: name keys, tokens, sentences."""

import re
import unicodedata
from functools import lru_cache

# Arabic short vowels, tatweel and the like: dropped so that vowelled and bare spellings meet.
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
# Apostrophes and ayn/hamza letters of transliterations vanish: Ma'arrat = Maarrat.
_QUOTES = re.compile("[\u0027\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_./,()]+")

TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*|\d[\d,.\u00a0\u202f\u066b\u066c]*\d|\d", re.UNICODE)
SENTENCE_RE = re.compile(r"(?<=[.!?؟])\s+(?=[\"'“«(]?[A-ZÀ-ÖØ-Þ\u0600-\u06ff\d])|\n+")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The lookup key of a place name: case, accents, apostrophes and hyphens folded."""
    return normalise(name)


def normalise(name: str) -> str:
    """Case, accents, Arabic vowel marks, apostrophes and separators folded; words kept."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _AR_MARKS.sub("", text).translate(_AR_FOLD)
    text = _QUOTES.sub("", text.casefold())
    return _SEPARATORS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case without accents, same length as the input so offsets still line up."""
    out = []
    for ch in text.lower():
        if ord(ch) < 128:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch)
        kept = [c for c in base if not unicodedata.combining(c)]
        out.append(kept[0] if len(kept) == 1 else ch)
    return "".join(out)


def is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets; a rough split that is good enough for clause rules."""
    out: list[tuple[int, str]] = []
    start = 0
    for match in SENTENCE_RE.finditer(text):
        if match.start() > start:
            out.append((start, text[start : match.start()]))
        start = match.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out
