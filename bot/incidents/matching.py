"""Which open incident a report belongs to: an in-memory index by country and time.

A report is only compared with incidents of its own main country whose time span lies within
JOIN_GAP of the report, so a stream of N reports costs about N × (incidents open in one
country at a time), never N × all incidents. Within those candidates it joins the best one that
passes both gates:

- place: a shared town, or a shared admin1; an incident or report known only at country level
  needs closer text instead; two different sets of places never join;
- text: the titles and leads compared with rapidfuzz's token set ratio (0..100), with a lower
  bar the closer the places (TOWN_BAR, ADMIN1_BAR, COUNTRY_BAR); disjoint topics raise it.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.analysis.facts import Place

JOIN_GAP = timedelta(days=4)  # the longest silence after which the same place is a new event
MAX_SPAN = timedelta(days=45)  # an incident older than this takes no new reports
TOWN_BAR, ADMIN1_BAR, COUNTRY_BAR = 30.0, 45.0, 60.0
TOPIC_PENALTY = 15.0  # added to the bar when both sides have topics and share none
MAX_TEXTS = 6  # titles/leads kept per incident to compare with
LEAD_CHARS = 300
PRUNE_EVERY = 256  # insertions into one country between sweeps of stale entries

# Words that carry no sense of which event it is, in the languages analysis reads.
_STOPWORD_TEXT = """
    a an the of in on at to and or for with by from as is are was were has have had be been
    it its this that these those said says say after before over into amid than their his her
    they he she we who which while since about more least some other also new
    le la les un une des du de d l et en au aux dans sur par pour avec est sont ont a été qui que
    selon après plus moins
    el los las una uno del al y en por para con es son han ha sido que según tras más menos se
    لا في من على إلى عن مع أن"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def match_text(title: str, text: str) -> str:
    """Title and lead, lower case, punctuation and function words dropped."""
    raw = default_process(f"{title} {text[:LEAD_CHARS]}")
    return " ".join(w for w in raw.split() if w not in _STOPWORDS and len(w) > 1)


def place_keys(places: Iterable[Place], country: str | None) -> tuple[set[str], set[str]]:
    """(town keys, admin1 keys) of the places in `country`. A town has two keys, its name and
    its rounded coordinates, so "Lattakia" and "Latakia" meet when the gazetteer placed both."""
    towns: set[str] = set()
    admin1s: set[str] = set()
    for place in places:
        if country and place.country and place.country != country:
            continue
        if place.kind == "country":
            continue
        if place.admin1:
            admin1s.add(place.admin1.casefold())
        if place.kind == "admin1":
            admin1s.add((place.admin1 or place.name).casefold())
            continue
        towns.add(place.name.casefold())
        if place.lat is not None and place.lon is not None:
            towns.add(f"@{place.lat:.2f},{place.lon:.2f}")
    return towns, admin1s


@dataclass(slots=True)
class Entry:
    """What the index remembers of one incident."""

    id: int
    country: str
    first_seen: datetime
    last_seen: datetime
    towns: set[str] = field(default_factory=set)
    admin1s: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)
    severity: int = 0

    def absorb(
        self, at: datetime, towns: set[str], admin1s: set[str], topics: Iterable[str], text: str
    ) -> None:
        self.first_seen = min(self.first_seen, at)
        self.last_seen = max(self.last_seen, at)
        self.towns |= towns
        self.admin1s |= admin1s
        self.topics.update(topics)
        self.texts = keep_texts(self.texts, text)


def keep_texts(texts: list[str], text: str) -> list[str]:
    """The first two and the newest texts, MAX_TEXTS at most, no repeats."""
    if not text or text in texts:
        return texts
    texts = [*texts, text]
    return texts if len(texts) <= MAX_TEXTS else texts[:2] + texts[-(MAX_TEXTS - 2) :]


@dataclass(slots=True)
class Probe:
    """A report as the index sees it."""

    country: str
    at: datetime
    towns: set[str]
    admin1s: set[str]
    topics: set[str]
    text: str


def _bar(entry: Entry, probe: Probe) -> float | None:
    """The text similarity needed to join, or None when the places rule it out."""
    if entry.towns & probe.towns:
        bar = TOWN_BAR
    elif entry.admin1s & probe.admin1s:
        bar = ADMIN1_BAR
    elif (entry.towns or entry.admin1s) and (probe.towns or probe.admin1s):
        return None
    else:
        bar = COUNTRY_BAR
    if entry.topics and probe.topics and not entry.topics & probe.topics:
        bar += TOPIC_PENALTY
    return bar


def similarity(entry: Entry, text: str) -> float:
    """The best token set ratio between `text` and the incident's titles/leads."""
    if not text or not entry.texts:
        return 0.0
    best = process.extractOne(text, entry.texts, scorer=fuzz.token_set_ratio, processor=None)
    return float(best[1]) if best else 0.0


class IncidentIndex:
    """Open incidents by country, newest last; stale ones are swept out as time moves on."""

    def __init__(self, join_gap: timedelta = JOIN_GAP, max_span: timedelta = MAX_SPAN) -> None:
        self.join_gap = join_gap
        self.max_span = max_span
        self._by_country: dict[str, list[Entry]] = {}
        self._by_id: dict[int, Entry] = {}
        self._inserts: dict[str, int] = {}
        self.watermark: datetime | None = None  # the newest report time seen

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, incident_id: int) -> Entry | None:
        return self._by_id.get(incident_id)

    def add(self, entry: Entry) -> None:
        self._by_country.setdefault(entry.country, []).append(entry)
        self._by_id[entry.id] = entry
        count = self._inserts[entry.country] = self._inserts.get(entry.country, 0) + 1
        if count % PRUNE_EVERY == 0:
            self._sweep(entry.country)

    def advance(self, at: datetime) -> None:
        if self.watermark is None or at > self.watermark:
            self.watermark = at

    def candidates(self, probe: Probe) -> Iterator[Entry]:
        for entry in self._by_country.get(probe.country, ()):
            if (
                entry.last_seen >= probe.at - self.join_gap
                and entry.first_seen <= probe.at + self.join_gap
                and probe.at - entry.first_seen <= self.max_span
            ):
                yield entry

    def best_match(self, probe: Probe) -> tuple[Entry, float] | None:
        """The candidate the report joins, with its similarity; None to open a new incident."""
        best: tuple[float, Entry, float] | None = None
        for entry in self.candidates(probe):
            bar = _bar(entry, probe)
            if bar is None:
                continue
            sim = similarity(entry, probe.text)
            if sim < bar:
                continue
            score = sim - bar  # how far above its own bar: closer places win ties
            if (
                best is None
                or score > best[0]
                or (score == best[0] and entry.last_seen > best[1].last_seen)
            ):
                best = (score, entry, sim)
        return None if best is None else (best[1], best[2])

    def _sweep(self, country: str) -> None:
        if self.watermark is None:
            return
        horizon = self.watermark - self.join_gap - timedelta(days=1)
        keep = []
        for entry in self._by_country.get(country, []):
            if entry.last_seen >= horizon:
                keep.append(entry)
            else:
                self._by_id.pop(entry.id, None)
        self._by_country[country] = keep
