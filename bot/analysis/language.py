"""Language of a report: Arabic by script, en/fr/es/pt/de/it by function words.

Function words decide almost every news paragraph at no cost; only a text where they do not
(very short, or another language) goes to py3langid, whose model loads on first such use.
"""

import re
from functools import cache

from bot.analysis.patterns import bmp_class, in_bmp
from bot.analysis.text import arabic_share

_WORDS = re.compile(r"[^\W\d_]+")
_WORDS_BMP = re.compile(bmp_class(r"[^\W\d_]") + "+")
_ANY_ARABIC = re.compile("[\u0600-\u06ff]")
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is was were have has been by with that for from on at which "
        "said after people killed according this are",
        "fr": "le la les des du de et est sont ont dans pour par sur une selon qui été avec au "
        "aux ce cette personnes",
        "es": "el la los las del de y en que por con para una según fue han sido al se personas "
        "murieron este esta",
        "pt": "o os as do da dos das e em que por com para uma segundo foi foram ao pessoas",
        "de": "der die das und ist sind wurden nach mit von zu im den dem ein eine nicht",
        "it": "il lo gli della delle dei di e è sono stati nel per con una secondo persone",
    }.items()
}

_LANGS_OF: dict[str, list[str]] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _word in _words:
        _LANGS_OF.setdefault(_word, []).append(_lang)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("en" when there is nothing to go on)."""
    lead = text[:1000]
    if _ANY_ARABIC.search(lead) and arabic_share(lead) > 0.3:
        return "ar"
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    lead = text[:1200].lower()  # the lead is enough and keeps it fast
    words = (_WORDS_BMP if in_bmp(lead) else _WORDS).findall(lead)
    total = len(words)
    for word in words:
        for lang in _LANGS_OF.get(word, ()):
            counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_second, runner) = ranked[0], ranked[1]
    if top >= 3 and top >= 1.5 * runner and top >= 0.08 * total:
        return best
    if not total:
        return "en"
    return _model_language(text)


# Languages of the regions the bot covers; a narrower set makes short texts less random.
_MODEL_LANGUAGES = [
    "en", "fr", "es", "ar", "pt", "de", "it", "ru", "uk", "tr", "fa", "ur", "sw", "am", "so",
    "ha", "id", "nl", "pl", "zh", "hi", "bn", "my", "ps",
]


@cache
def _identifier():  # noqa: ANN202 - py3langid has no public type for it
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages(_MODEL_LANGUAGES)
    return identifier


def _model_language(text: str) -> str:
    return str(_identifier().classify(text)[0])
