"""The alert body in Telegram HTML: short, sourced, every outside string escaped.

Layout (no time line: the sender adds the time in each chat's time zone from Alert.event_at):

    🔴 High · Syria · Latakia: Jableh, Baniyas · more than 1,000 killed      ← headline
    Toll up from 200 to more than 1,000.                                     ← escalations only
    Killed: more than 1,000 (SOHR) · Displaced: 5,000 (UNHCR)               ← who said each figure
    Figures differ: SOHR: more than 1,000; the ministry: 745                 ← when they do
    One or two sentences taken word for word from the report.                ← extractive
    Sources: Al Jazeera · Reuters · AP                                       ← up to 3 links

At most `limit` visible characters (1,000 by default) and never more than 4,096 characters of
HTML: sentences are shortened first, then links dropped.
"""

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

import pycountry

from bot.incidents import figures as fig
from bot.incidents import severity as sev
from storage.models import Incident, Report

TELEGRAM_MAX = 4096
DEFAULT_LIMIT = 1000
MAX_LINKS = 3
MAX_SENTENCES = 2
MAX_TOWNS = 4
_SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s+")
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=512)
def country_name(iso3: str | None) -> str:
    if not iso3:
        return "Unknown country"
    found = pycountry.countries.get(alpha_3=iso3.upper())
    if found is None:
        return iso3.upper()
    return getattr(found, "common_name", None) or found.name


def visible_length(body_html: str) -> int:
    """What Telegram counts against the caption/text limit: text without tags, entities decoded."""
    return len(html.unescape(_TAG.sub("", body_html)))


def safe_link(url: str | None) -> str | None:
    """The URL if it is http(s) with a host, else None (javascript:, data:, relative …)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url


_LAST: list = [None, {}]  # the figures object last read and what was read from it


def _read(incident: Incident) -> dict[str, tuple[list[fig.Claim], fig.Claim | None]]:
    """kind -> (claims, current figure), read once per figures object (a render asks often)."""
    figures = incident.figures or {}
    if _LAST[0] is not figures:
        read = {}
        for kind in ("killed", "injured", "displaced", "missing"):
            claims = [fig.Claim.from_json(c) for c in figures.get(kind, [])]
            read[kind] = (claims, fig.current(claims))
        _LAST[0], _LAST[1] = figures, read
    return _LAST[1]


def _claims(incident: Incident, kind: str) -> list[fig.Claim]:
    return list(_read(incident)[kind][0])


def _current(incident: Incident, kind: str) -> fig.Claim | None:
    return _read(incident)[kind][1]


def towns_of(incident: Incident) -> list[str]:
    names: list[str] = []
    for place in incident.places or []:
        if place.get("kind", "town") == "town" and place.get("country") in (None, incident.country):
            name = place.get("name") or ""
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def headline(incident: Incident) -> str:
    level = incident.severity
    parts = [f"{sev.MARKS[level]} <b>{sev.name(level).capitalize()}</b>"]
    parts.append(f"<b>{html.escape(country_name(incident.country))}</b>")
    admin1s, towns = incident.admin1s or [], towns_of(incident)[:MAX_TOWNS]
    if admin1s or towns:
        where = ", ".join(admin1s[:2])
        if towns:
            where = f"{where}: {', '.join(towns)}" if where else ", ".join(towns)
        parts.append(html.escape(where))
    main = _main_figure(incident)
    if main:
        parts.append(f"<b>{html.escape(main)}</b>")
    return " · ".join(parts)


def _main_figure(incident: Incident) -> str | None:
    for kind in ("killed", "displaced", "missing", "injured"):
        current = _current(incident, kind)
        if current is not None:
            return f"{fig.claim_phrase(current)} {kind}"
    return None


def figures_line(incident: Incident) -> str | None:
    """'Killed: more than 1,000 (SOHR) · Injured: 300 (the ministry)'."""
    items = []
    for kind in ("killed", "injured", "displaced", "missing"):
        current = _current(incident, kind)
        if current is not None:
            items.append(
                f"{kind.capitalize()}: {html.escape(fig.claim_phrase(current))} "
                f"({html.escape(current.credited)})"
            )
    return " · ".join(items) or None


def conflicts_line(incident: Incident) -> str | None:
    for kind in ("killed", "displaced"):
        differing = fig.conflicts(_claims(incident, kind))[:3]
        if differing:
            said = "; ".join(
                f"{html.escape(c.credited)}: {html.escape(fig.claim_phrase(c))}" for c in differing
            )
            return f"Figures differ ({kind}): {said}"
    return None


def _number_forms(incident: Incident) -> list[str]:
    forms = []
    for kind in ("killed", "injured", "displaced", "missing"):
        current = _current(incident, kind)
        if current is not None and current.value is not None:
            forms += [
                f"{current.value:,}",
                str(current.value),
                f"{current.value:,}".replace(",", " "),
            ]
    return forms


def key_sentences(incident: Incident, report: Report, count: int = MAX_SENTENCES) -> list[str]:
    """The report's sentences that carry the figures and places, in their order (plain text)."""
    text = " ".join((report.text or "").split())
    sentences = [s for s in _SENTENCE_END.split(text) if len(s) > 20]
    if not sentences:
        return [report.title.strip()] if report.title.strip() else []
    numbers = _number_forms(incident)
    places = [p.get("name", "") for p in incident.places or [] if p.get("name")]
    places += list(incident.admin1s or [])

    def score(sentence: str) -> int:
        hits = 3 * any(n in sentence for n in numbers)
        return hits + sum(2 for p in places if p and p in sentence)

    scores = [score(s) for s in sentences]
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    chosen = sorted(i for i in ranked[:count] if scores[i] > 0) or [0]
    return [sentences[i] for i in chosen]


def sources_line(incident: Incident, report: Report, links: int = MAX_LINKS) -> str | None:
    """Links to the newest reports of distinct outlets, the current report first."""
    seen: set[str] = set()
    items: list[str] = []
    newest_first = [{"source": report.source_name, "url": report.url}]
    newest_first += list(reversed(incident.sources or []))
    for src in newest_first:
        url = safe_link(src.get("url"))
        if url is None:
            continue
        label = src.get("source") or urlsplit(url).netloc
        if label.casefold() in seen:
            continue
        seen.add(label.casefold())
        items.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>')
        if len(items) == links:
            break
    return f"Sources: {' · '.join(items)}" if items else None


def _shorten(sentence: str, room: int) -> str | None:
    if room < 40:
        return None
    if len(sentence) <= room:
        return sentence
    cut = sentence[: room - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def render_alert(
    incident: Incident,
    report: Report,
    *,
    reason: str = "",
    escalation: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> str:
    """The alert body for `incident` as of `report` (see the module docstring for the layout)."""
    head = [headline(incident)]
    if escalation and reason:
        head.append(f"<i>{html.escape(reason[0].upper() + reason[1:])}.</i>")
    head += [line for line in (figures_line(incident), conflicts_line(incident)) if line]
    for links in range(MAX_LINKS, -1, -1):
        tail = [line for line in (sources_line(incident, report, links),) if line and links]
        fixed = "\n".join(head + tail)
        if len(fixed) <= TELEGRAM_MAX - 200:
            break
    room = limit - visible_length(fixed) - 2
    quoted: list[str] = []
    for sentence in key_sentences(incident, report):
        short = _shorten(sentence, room - 1)
        if short is None:
            break
        quoted.append(short)
        room -= len(short) + 1
    body = head + ([html.escape(" ".join(quoted))] if quoted else []) + tail
    out = "\n".join(body)
    if len(out) > TELEGRAM_MAX:  # only a pathological headline gets here
        out = html.escape(html.unescape(_TAG.sub("", out))[: TELEGRAM_MAX // 6])
    return out
