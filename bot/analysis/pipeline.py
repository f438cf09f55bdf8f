"""analyse(): one report's text in, Facts out. Pure: no I/O beyond the cached gazetteer."""

from datetime import datetime

from bot.analysis.escalation import has_escalation
from bot.analysis.facts import Facts
from bot.analysis.figures import find_figures
from bot.analysis.language import detect_language
from bot.analysis.places import find_places
from bot.analysis.text import normalise
from bot.analysis.topics import detect_topics


def analyse(
    text: str,
    title: str | None = None,
    source_country: str | None = None,
    published: datetime | None = None,
) -> Facts:
    """Read a report like an analyst: language, places, casualty figures, topics, escalation.

    `source_country` (ISO3) breaks ties between places of the same name; `published` is kept
    for callers that date figures and does not change what is read.
    """
    del published  # accepted for a stable signature; figures are not dated yet
    title = (title or "").strip()
    body = text or ""
    full = f"{title}.\n{body}" if title else body
    lang = detect_language(full)
    where = find_places(full, source_country=source_country)
    figures = find_figures(body, title=title, lang=lang)
    folded = normalise(full)
    return Facts(
        lang=lang,
        countries=where.countries,
        places=where.places,
        killed=figures.headline.get("killed"),
        injured=figures.headline.get("injured"),
        displaced=figures.headline.get("displaced"),
        missing=figures.headline.get("missing"),
        other_figures=figures.others,
        topics=detect_topics(full, folded),
        escalation=has_escalation(full, folded) or figures.rising,
    )
