"""Text helpers shared by the analysers: name keys, tokens, sentences."""

import re
import unicodedata
from functools import lru_cache

# Arabic short vowels, tatweel and the like: dropped so that vowelled and bare spellings meet.
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}
)
# Apostrophes and ayn/hamza letters of transliterations vanish: Ma'arrat = Maarrat.
_QUOTES = re.compile("[\u0027\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4]")
_ARABIC = re.compile("[\u0600-\u06ff]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_./,()]+")

@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The lookup key of a place name: case, accents, apostrophes and hyphens folded."""
    return normalise(name)


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise(name: str) -> str:
    """Case, accents, Arabic vowel marks, apostrophes and separators folded; words kept."""
    if name.isascii():
        text = name
    else:
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", name))
        if _ARABIC.search(text):  # the Arabic folds are slow over text that has none
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


_LETTER = re.compile(r"[^\W\d_]")


def is_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


def arabic_share(text: str) -> float:
    """Share of Arabic letters among the letters of the text."""
    letters = len(_LETTER.findall(text))
    return len(_ARABIC.findall(text)) / letters if letters else 0.0
