"""Escalation cues: a rising toll, "deadliest", "escalated", a new front, a spread."""

import re

from bot.analysis.text import normalise

_CUES = [
    # English
    r"(?:has|have|had) (?:climbed|risen|rose|jumped|increased|soared|surged|grown) to",
    r"\b(?:climbed|rose|jumped|soared|surged) to", r"toll (?:has )?(?:risen|rises|climbs)",
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
_PATTERN = re.compile("|".join(_CUES))
# Every cue holds one of these literals; a plain substring test over them rules out most
# texts far faster than the regex alternation, which tries every cue at every position.
_LITERALS = (
    "climb", "rose", "risen", "jump", "increas", "soar", "surg", "grown", "toll", "deadliest",
    "escalat", "new front", "spread", "intensif", "worst", "sharp", "expanded", "renewed",
    "flare", "alourdi", "escalade", "meurtri", "nouveau front", "etendu", "recrudes",
    "grimpe", "est passe", "elev", "ascendi", "aument", "escalada", "mortifer", "nuevo frente",
    "recrudec", "extendi", "ارتفع", "ارتفاع", "تصعيد", "دمويه", "جبهه جديده", "تصاعد", "امتد",
)


def has_escalation(text: str, normalised: str | None = None) -> bool:
    """True when the text says a toll rose, violence escalated or spread, or is the worst.

    `normalised` is text.normalise(text) when the caller already has it.
    """
    folded = normalised if normalised is not None else normalise(text)
    if not any(literal in folded for literal in _LITERALS):
        return False
    return bool(_PATTERN.search(folded))
