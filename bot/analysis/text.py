"""Text helpers shared by the analysers: name keys, tokens, sentences."""

import re
import unicodedata
from functools import lru_cache

# Arabic short vowels, tatweel and the like: dropped so that vowelled and bare spellings meet.
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ؤ", "و"),
            ("ئ", "ي"))
# Apostrophes and ayn/hamza letters of transliterations vanish: Ma'arrat = Maarrat.
_QUOTES = "\u0027\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4"
_ARABIC = re.compile("[\u0600-\u06ff]")
# Separators read as a space; runs of them and of whitespace fold to one space.
_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2015_./,()"

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
            text = _AR_MARKS.sub("", text)
            for variant, letter in _AR_FOLD:  # a replace per letter present beats translate
                if variant in text:
                    text = text.replace(variant, letter)
    text = text.casefold()
    # A few substring tests and replaces, and one split, beat regex substitutions that try
    # every position.
    for quote in _QUOTES:
        if quote in text:
            text = text.replace(quote, "")
    for separator in _SEPARATORS:
        if separator in text:
            text = text.replace(separator, " ")
    return " ".join(text.split())


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


# Runs, not single letters: their lengths add up to the same counts with far fewer objects.
_LETTERS = re.compile(r"[^\W\d_]+")
_ARABIC_RUNS = re.compile("[\u0600-\u06ff]+")


def is_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


def arabic_share(text: str) -> float:
    """Share of Arabic letters among the letters of the text."""
    letters = sum(map(len, _LETTERS.findall(text)))
    return sum(map(len, _ARABIC_RUNS.findall(text))) / letters if letters else 0.0


# Latin spellings of Arabic names: GeoNames uses one romanisation ("Dayr al Balah", "Tall",
# "Ash Shaykh"), news and aid reports another ("Deir al-Balah", "Tell", "al-Sheikh"). These
# tables give the usual report spellings of a key's words, used at build time so that the
# runtime lookup stays one dict hit. Keys are name_key() forms (lower case, no apostrophes).
_AR_ARTICLES = {"al", "el", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed", "es",
                "esh", "et", "er", "ez", "en"}
_AR_WORDS = {
    "dayr": ("deir", "dair"), "deir": ("dayr",), "bayt": ("beit",), "beit": ("bayt",),
    "tall": ("tell", "tal", "tel"), "tal": ("tell", "tel"), "tell": ("tal",),
    "jabal": ("jebel", "jabel"), "jebel": ("jabal",), "shaykh": ("sheikh", "shaikh", "cheikh"),
    "sheikh": ("shaykh", "cheikh"), "ayn": ("ain", "ein"), "ain": ("ayn", "ein"),
    "kafr": ("kfar", "kafar"), "kfar": ("kafr",), "khirbat": ("khirbet",),
    "khirbet": ("khirbat",), "qaryat": ("qaryet",), "madinat": ("madinet",),
    "bani": ("beni",), "beni": ("bani",), "abu": ("abou",), "abou": ("abu",),
    "suq": ("souk", "souq"), "souk": ("suq",), "burj": ("borj", "bourj"), "bordj": ("burj",),
    "umm": ("um", "oum"), "oum": ("umm",), "hayy": ("hay", "hai"), "qasr": ("kasr",),
    "sidi": ("sidi",), "wadi": ("oued",), "oued": ("wadi",), "ras": ("ras",),
    "marj": ("merj",), "nahr": ("nahr",), "majdal": ("majdel",), "zawiyat": ("zawiyet",),
    "mazraat": ("mazraa",), "jisr": ("jisr",), "bir": ("bir", "beer"), "khan": ("khan",),
}
_VARIANT_LIMIT = 24
# Words that name no place alone ("Wadi", "Jebel"): a variant that is one of them is dropped.
_AR_GENERIC = _AR_ARTICLES | set(_AR_WORDS) | {f for forms in _AR_WORDS.values() for f in forms}


def _word_forms(word: str, index: int, last: int) -> list[str]:
    """Report spellings of one word of an Arabic-derived name (the word itself first)."""
    forms = [word]
    if word in _AR_ARTICLES:
        forms += ["al", "el"]
    forms += _AR_WORDS.get(word, ())
    if index == last and len(word) >= 5 and word.endswith("ah"):
        forms += [word[:-1], word[:-2] + "eh"]  # Raqqah -> Raqqa, Jablah -> Jableh
    if len(word) >= 4 and "u" in word and "ou" not in word and word not in _AR_WORDS:
        forms += [form.replace("u", "ou") for form in forms[:3]]  # Yunis -> Younis
    return list(dict.fromkeys(forms))


def arabic_latin_variants(key: str) -> list[str]:
    """Other usual Latin spellings of an Arabic-derived name key, the key itself excluded.

    "dayr al balah" -> "deir al balah", "deir el balah", ...; "ash shaykh miskin" ->
    "al sheikh miskin"; "al qaim" -> "qaim" too (reports often drop a leading article).
    """
    words = key.split(" ")
    if not words or not all(words):
        return []
    last = len(words) - 1
    variants = [""]
    for i, word in enumerate(words):
        forms = _word_forms(word, i, last)
        variants = [f"{head} {form}".strip() for head in variants for form in forms]
        if len(variants) > _VARIANT_LIMIT:
            variants = variants[:_VARIANT_LIMIT]
    if len(words) > 1 and words[0] in _AR_ARTICLES and len(" ".join(words[1:])) >= 4:
        variants += [v.split(" ", 1)[1] for v in variants[:4]]
    return [v for v in dict.fromkeys(variants) if v != key and not _generic(v)]


def _generic(key: str) -> bool:
    """One common word, with or without its article: "wadi", "al jabal" (not "ras al ayn")."""
    words = [word for word in key.split(" ") if word not in _AR_ARTICLES]
    return len(words) <= 1 and all(word in _AR_GENERIC for word in words)


_AYN_A = re.compile("(?<=[b-df-hj-np-tv-z])[\u0027\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060]a")


def ayn_as_long_vowel(name: str) -> str | None:
    """The name with an ayn or hamza before "a" written as "aa", as reports do:
    "Tall Rif‘at" -> "Tall Rifaat", "Dar‘a" -> "Daraa"; None when there is no such mark."""
    folded = _AYN_A.sub("aa", name)
    return folded if folded != name else None
