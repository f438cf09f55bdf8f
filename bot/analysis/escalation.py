"""Escalation cues: a rising toll, "deadliest", "escalated", a new front, a spread."""

import re

from bot.analysis.text import normalise

# Each cue starts with a literal, so each compiled alone is found by the engine's fast
# literal scan: the forty-odd scans cost a quarter of one alternation tried at every position.
# "c(?<!\w.)limbed" is "\bclimbed" written so that the literal comes first.
_CUES = [
    # English
    r"(?:has|have|had) (?:climbed|risen|rose|jumped|increased|soared|surged|grown) to",
    *(rf"{verb[0]}(?<!\w.){verb[1:]} to" for verb in ("climbed", "rose", "jumped", "soared",
                                                      "surged")),
    r"toll (?:has )?(?:risen|rises|climbs)",
    r"death toll (?:rose|climbed|increased|jumped)", r"deadliest", r"escalat", r"new front",
    r"spread(?:ing|s)? to", r"intensif", r"worst (?:\w+ ){0,3}(?:in|since)",
    r"sharp (?:rise|increase|escalation)", r"surge in (?:violence|fighting|attacks)",
    r"expanded (?:its|their) offensive", r"renewed fighting", r"flare[ds]? up", r"flare-up",
    # French
    r"s est alourdi", r"alourdi", r"escalade", r"le plus meurtrier", r"la plus meurtriere",
    r"nouveau front", r"s est etendu", r"recrudescence", r"a grimpe a", r"est passe a",
    # Spanish
    r"se elev[oa] a", r"ascendi[oa] a", r"aument[oa] a", r"escalada", r"mas mortifer",
    r"nuevo frente", r"recrudec", r"se extendi",
    # Arabic
    r"ارتفع", r"ارتفاع حصيله", r"تصعيد", r"الاكثر دمويه", r"جبهه جديده", r"تصاعد", r"امتد",
]
_PATTERNS = [re.compile(cue) for cue in _CUES]


def has_escalation(text: str, normalised: str | None = None) -> bool:
    """True when the text says a toll rose, violence escalated or spread, or is the worst.

    `normalised` is text.normalise(text) when the caller already has it.
    """
    folded = normalised if normalised is not None else normalise(text)
    return any(pattern.search(folded) for pattern in _PATTERNS)
