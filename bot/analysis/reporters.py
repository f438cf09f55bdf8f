"""Who gave a figure: "according to the health ministry", "the army said", "بحسب المرصد"."""

import re

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


# Arabic: "بحسب المرصد", "وفقاً لبيان ...", and the speaker after the verb, which comes first
# ("أعلنت وزارة الصحة اللبنانية، الاثنين، ..."): a few words up to a comma or "that"/"in"/a day.
_AR_NAME = r"((?:[\u0621-\u064a]+\s+){0,6}?[\u0621-\u064a]+)"
_AR_NAME_END = (
    r"(?=\s*[\u060c,.:«»()]|\s+(?:أن|إن|ان|بأن|في|التي|الذي|يوم|اليوم|مساء|صباح|فجر|أمس|"
    r"الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)(?![\u0621-\u064a])|\s*$)"
)
_AR_REPORTER = re.compile(
    r"(?<![\u0621-\u064a])(?:و|ف)?(?:(?:وفقا ل|وفق ل)\s*|(?:بحسب|حسب|وفق|نقلا عن|قالت|قال|"
    r"أعلنت|أعلن|اعلنت|اعلن|أفادت|أفاد|افادت|افاد|ذكرت|ذكر|أكدت|أكد|اكدت|اكد|أوضحت|أوضح)"
    r"(?:\s+(?:ما|به|بها))*\s+)" + _AR_NAME + _AR_NAME_END
)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


# Words that stand before "said"/"reported" without being anyone: "Hundreds reported killed".
_NOT_REPORTERS = {"it", "he", "she", "they", "we", "hundreds", "dozens", "thousands", "scores",
                  "millions", "many", "some", "several", "others", "residents"}


def find_reporter(sentence: str) -> str | None:
    """Who gave the figures of one sentence, or None: the name after "according to" (and its
    French, Spanish, Arabic forms) or the speaker of "said" (in Arabic, after the verb)."""
    if _ARABIC_LETTER.search(sentence):
        match = _AR_REPORTER.search(sentence)
        return match.group(1) if match else None
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
        if 2 <= len(who) <= 80 and who.lower() not in _NOT_REPORTERS:
            return who
    return None
