"""Which open incident a report belongs to: an in-memory index by country, time and place.

A report is compared only with incidents of its own country (and incidents whose country is not
known yet) seen in the last JOIN_GAP days, and with older ones only through the towns and
admin1s it names, so a stream of N reports costs about N × (incidents open in one country at
a time), never N × all incidents. A report whose country analysis could not tell is compared
with every recent incident, at a higher bar.

Among the candidates it joins the one whose text is most similar, above a bar that depends on
what else they share (titles and leads compared with rapidfuzz's token set ratio, 0..100):

- places: a shared town (TOWN_BAR), a shared admin1 (ADMIN1_BAR), or one side known only at
  country level (COUNTRY_BAR). Two different sets of places in the same country are two events,
  except for a natural hazard (a storm hits many towns), which then needs DISJOINT_BAR. A town
  named like its admin1 ("Gaza", "Sumy") counts as the admin1 only.
- topics: a shared natural hazard (earthquake, flood, storm …) lowers the bar by HAZARD_BONUS:
  one country rarely has two storms in the same days. Topics of different families (violence,
  each hazard, epidemic …) raise it by TOPIC_PENALTY.
- language: reports in different languages cannot be compared word by word; their similarity
  counts as CROSS_LANGUAGE_SIM, so places and topics decide (never for a late report).
- names: a report that matched nothing gets a second chance before it opens an incident (and
  alerts `new`): it joins the one recent incident of its country that carries a proper name
  it uses (a village, a camp, a storm, an armed group: "Barsalogho", "Zamzam", "Chido") that
  no other recent incident of the country carries (two such names at least). Gazetteers and
  analysis miss such names, and other outlets or languages word the same event differently,
  but they keep its names.
  A storm's own name ("cyclone Chido", "Hurricane Otis") is enough alone for a report that
  gives a toll: storms are named once, and tolls keep coming for weeks (a report that only
  mentions the storm, such as a mourning day or the next storm's warning, needs two names).
- tolls: a report that names no place in its country (an Arabic report about "the Syrian
  coast", a national toll), or whose places the incident shares, joins the one big incident
  (high severity) of its country and kind of event whose killed toll is of the same order
  (TOLL_ORDER either way), when there is exactly one: a large toll there is the big event's,
  even when its wording matches none of the incident's reports (another language than most).
- time: within JOIN_GAP of the incident's last report for a hazard or a high-severity event,
  CONFLICT_GAP for other violence (a strike in the same city two days on is another strike),
  the bars above apply; later, up to LATE_GAP (a UN toll two weeks on), only with a shared
  town, or a shared admin1 and hazard, with LATE_PENALTY more similarity and no hazard bonus,
  and not when it counts under a third of the incident's dead (LATE_TOLL_FACTOR): tolls
  climb, so a far smaller count days later is another attack in the same place.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.analysis.facts import Place
from bot.analysis.place_words import STORM_WORDS

JOIN_GAP = timedelta(days=4)  # the longest silence before a hazard's report is a late one
CONFLICT_GAP = timedelta(days=2)  # the same for violence: a strike two days on is another one
BIG_EVENT = 3  # severity (high) from which violence keeps the longer JOIN_GAP
LATE_GAP = timedelta(days=30)  # the longest silence after which nothing joins any more
MAX_SPAN = timedelta(days=45)  # an incident older than this takes no new reports
TOWN_BAR, ADMIN1_BAR, COUNTRY_BAR, DISJOINT_BAR = 50.0, 55.0, 57.0, 70.0
HAZARD_BONUS = 10.0  # taken off the bar when both sides report the same natural hazard
TOPIC_PENALTY = 5.0  # added to the bar when both sides have topics and share none
LATE_PENALTY = 6.0  # added to the bar after JOIN_GAP
LATE_TOLL_FACTOR = 3.0  # a late report counting under a third of the incident's dead: another
UNKNOWN_COUNTRY_PENALTY = 3.0  # added when the report's country is not known
CROSS_LANGUAGE_SIM = 56.0
MIN_SHARED_WORDS = 3  # fewer shared words than this and texts are not compared at all
HAZARDS = frozenset(
    {
        "earthquake",
        "flood",
        "storm",
        "landslide",
        "epidemic",
        "drought",
        "wildfire",
        "tsunami",
        "volcano",
        "cyclone",
        "heatwave",
        "cold_wave",
    }
)
MAX_TEXTS = 6  # titles/leads kept per incident to compare with
LEAD_CHARS = 300
PRUNE_EVERY = 4096  # reports filed between two sweeps of the place lists
RECENT_SWEEP = timedelta(hours=6)  # stream time between two sweeps of the recent lists

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

# Capitalised words that name no event: days, months and those that open many headlines.
_NOT_NAME_TEXT = """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december people police army government
    president minister ministry officials state forces authorities health news update
    breaking live report reports"""
_NOT_NAMES = frozenset(_NOT_NAME_TEXT.split())
MIN_SHARED_NAMES = 2  # names a report must share with an incident to join it by names
TOLL_ORDER = 3.0  # a placeless report's toll within this factor of a big incident's joins it
MAX_NAME_HOLDERS = 32  # a name carried by more incidents at once is common (an agency): dropped
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?")
_CAPITAL = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽА-ЯЁІЇЄҐ"  # Latin and Cyrillic capitals
_CAPITAL_RUN = re.compile(  # capitalised words in a row, as in "Wharf Jérémie"
    rf"(?<![^\W_])[{_CAPITAL}][^\W_]*(?:['’][^\W\d_]+)?"
    rf"(?:[ \t]+[{_CAPITAL}][^\W_]*(?:['’][^\W\d_]+)?)*"
)
# A storm's name follows its kind in every language analysis reads: "Cyclone Chido",
# "l'ouragan Otis", "el huracán Melissa", "Super Typhoon Yagi" (the same storm words analysis
# keeps out of places; Arabic has no capitals to tell a name). The name is looked ahead at, not
# consumed, so "Super Typhoon Yagi" reaches "Yagi".
_STORM_NAME = re.compile(
    r"(?i:\b(?:" + "|".join(map(re.escape, sorted(STORM_WORDS))) + r"))"
    rf"\s+(?=([{_CAPITAL}][^\W\d_]{{2,}}))"
)
_NOT_STORM_NAMES = frozenset({"center", "centre", "season", "warning", "watch", "alert", "hunters"})
_SENTENCE_MARKS = frozenset('.!?:;»"“”\n')


# Topics that name the same kind of event in different words: a massacre reported by one outlet
# is "armed clashes" for another. Disjoint topics count only across families.
_VIOLENCE = frozenset(
    {
        "armed_conflict",
        "airstrike_shelling",
        "massacre_reprisal",
        "terrorism_bombing",
        "gang_violence",
        "abduction",
        "attack_on_aid",
        "protest_unrest",
    }
)


def _families(topics: set[str]) -> set[str]:
    return {"violence" if t in _VIOLENCE else t for t in topics}


def _same_kind(one: set[str], other: set[str]) -> bool:
    """Whether two topic sets can be one event: unknown on a side, or a family in common."""
    return not one or not other or bool(_families(one) & _families(other))


def match_text(title: str, text: str) -> str:
    """Title and lead, lower case, punctuation and function words dropped."""
    raw = default_process(f"{title} {text[:LEAD_CHARS]}")
    return " ".join(w for w in raw.split() if w not in _STOPWORDS and len(w) > 1)


def _title_case(title: str) -> bool:
    """True for a headline In Which Most Words Are Capitalised: its capitals say nothing."""
    words = [w for w in title.split() if len(w) >= 4 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) * 3 >= len(words) * 2


def name_words(title: str, text: str, places: Iterable[str] = ()) -> frozenset[str]:
    """The proper names a report uses, casefolded: runs of capitalised words (or acronyms)
    that do not open a sentence ("wharf jérémie", "rsf"), minus function words, days, months,
    and the names of the places and countries analysis already placed (matched as places)."""
    chunks = [text[:LEAD_CHARS]]
    if not _title_case(title):
        chunks.append(title)
    placed = {w.casefold() for place in places for w in _WORD.findall(place)}
    stems = {w[:4] for w in placed if len(w) >= 4}  # "Syrian" for Syria, "Haitian" for Haiti
    found: set[str] = set()
    for chunk in chunks:
        for match in _CAPITAL_RUN.finditer(chunk):  # one regex pass: few words reach Python
            words = match.group().split()
            at = match.start() - 1
            while at >= 0 and chunk[at] in " \t":
                at -= 1
            if at < 0 or chunk[at] in _SENTENCE_MARKS:
                words = words[1:]  # a sentence's first word is capitalised anyway
            run: list[str] = []
            for word in [*words, ""]:
                key = _name_key(word, placed, stems)
                if key:
                    run.append(key)
                elif run:
                    found.add(" ".join(run))
                    run = []
    return frozenset(found)


def storm_names(title: str, text: str) -> frozenset[str]:
    """The names of the storms a report names ("Cyclone Chido" -> "chido"), casefolded."""
    found = {m.casefold() for m in _STORM_NAME.findall(f"{title}\n{text[:LEAD_CHARS]}")}
    return frozenset(found - STORM_WORDS - _NOT_STORM_NAMES - _NOT_NAMES)


def _name_key(word: str, placed: set[str], stems: set[str]) -> str | None:
    """The word casefolded if it can be part of a name, else None."""
    if not word:
        return None
    key = word.casefold().removesuffix("'s").removesuffix("’s")
    if len(key) < 3 or (len(key) == 3 and not word.isupper()):
        return None
    if key in _STOPWORDS or key in _NOT_NAMES or key in placed or key[:4] in stems:
        return None
    return key


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
        name = place.name.casefold()
        if place.admin1 and place.admin1.casefold().split()[0] == name.split()[0]:
            continue  # "Gaza" in "Gaza Strip", "Sumy" in Sumy: says no more than its admin1
        towns.add(name)
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
    killed: int = 0  # its current killed figure
    langs: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # every word of its texts, for a quick check
    names: set[str] = field(default_factory=set)  # proper names its reports used (name_words)

    def absorb(
        self,
        at: datetime,
        towns: set[str],
        admin1s: set[str],
        topics: Iterable[str],
        text: str,
        lang: str | None = None,
    ) -> None:
        if lang:
            self.langs.add(lang)
        self.first_seen = min(self.first_seen, at)
        self.last_seen = max(self.last_seen, at)
        self.towns |= towns
        self.admin1s |= admin1s
        self.topics.update(topics)
        self.texts = keep_texts(self.texts, text)
        self.words.update(text.split())


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
    lang: str | None = None
    words: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    killed: int = 0  # the report's killed figure, 0 when it gives none
    storms: frozenset[str] = frozenset()  # the storms it names (storm_names), also in names

    def __post_init__(self) -> None:
        if not self.words:
            self.words = frozenset(self.text.split())


def _bar(entry: Entry, probe: Probe, late: bool) -> float | None:
    """The text similarity needed to join, or None when places, topics or time rule it out."""
    shared_town = bool(entry.towns & probe.towns)
    shared_admin1 = bool(entry.admin1s & probe.admin1s)
    hazard = bool(entry.topics & probe.topics & HAZARDS)
    if late and not (shared_town or (shared_admin1 and hazard)):
        return None
    if late and probe.killed and entry.killed > LATE_TOLL_FACTOR * probe.killed:
        return None  # tolls climb: days on, a far smaller count is another, smaller attack
    if shared_town:
        bar = TOWN_BAR
    elif shared_admin1:
        bar = ADMIN1_BAR
    elif (entry.towns or entry.admin1s) and (probe.towns or probe.admin1s):
        if not hazard:
            return None
        bar = DISJOINT_BAR
    else:
        bar = COUNTRY_BAR
    if hazard and not late:
        bar -= HAZARD_BONUS
    elif not _same_kind(entry.topics, probe.topics):
        bar += TOPIC_PENALTY
    if late:
        bar += LATE_PENALTY
    if not probe.country:
        bar += UNKNOWN_COUNTRY_PENALTY
    return bar


def similarity(entry: Entry, probe: Probe, cutoff: float = 0.0, late: bool = False) -> float:
    """The best token set ratio between the report's and the incident's titles/leads; reports
    in another language than all of the incident's count as CROSS_LANGUAGE_SIM, or nothing
    when late (a late report must be shown to match, not merely not ruled out)."""
    if probe.lang and entry.langs and probe.lang not in entry.langs:
        return 0.0 if late else CROSS_LANGUAGE_SIM
    if not probe.text or not entry.texts:
        return 0.0
    needed = min(MIN_SHARED_WORDS, len(probe.words) // 4 + 1)  # short headlines need fewer
    if len(probe.words & entry.words) < needed:
        return 0.0  # no words in common worth the comparison
    best = process.extractOne(
        probe.text, entry.texts, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=cutoff
    )
    return float(best[1]) if best else 0.0


def _toll_fits(entry: Entry, probe: Probe) -> bool:
    """A big incident the report's toll may belong to: the same kind of event, the report's
    places (if it names any) among the incident's, and tolls within TOLL_ORDER of each other."""
    placeless = not (probe.towns or probe.admin1s)
    return (
        entry.severity >= BIG_EVENT
        and bool(entry.killed)
        and entry.killed <= probe.killed * TOLL_ORDER
        and probe.killed <= entry.killed * TOLL_ORDER
        and (placeless or bool(entry.towns & probe.towns or entry.admin1s & probe.admin1s))
        and _same_kind(entry.topics, probe.topics)
    )


def _storm_holders(holders: Iterable[Entry], probe: Probe) -> dict[int, Entry]:
    """Of the incidents that named a storm, the one a toll report on it joins: a storm is one
    event, so several holders in a country are pieces of it (a mourning day filed apart); the
    most severe, then the oldest, sharing the report's hazard."""
    pieces = [e for e in holders if e.topics & probe.topics & HAZARDS]
    if not pieces:
        return {}
    main = max(pieces, key=lambda e: (e.severity, -e.first_seen.timestamp()))
    return {main.id: main}


class IncidentIndex:
    """Open incidents by country and time, and by country and place.

    Two structures keep a report's comparisons few: per country, the incidents seen within
    JOIN_GAP (scanned in full: any of them may join); and per country and town or admin1, the
    incidents seen within LATE_GAP (only looked up by the report's own places, since a late
    report must share one). Stale entries are swept out as the stream's time moves on.
    """

    def __init__(
        self,
        join_gap: timedelta = JOIN_GAP,
        max_span: timedelta = MAX_SPAN,
        late_gap: timedelta = LATE_GAP,
    ) -> None:
        self.join_gap = join_gap
        self.late_gap = max(late_gap, join_gap)
        self.max_span = max_span
        self._recent: dict[str, list[Entry]] = {}
        self._in_recent: set[int] = set()
        # Parts of the recent lists a report with places needs beyond its places' own lists:
        # incidents known only by country, and incidents of each natural hazard.
        self._placeless: dict[str, list[Entry]] = {}
        self._hazard: dict[tuple[str, str], list[Entry]] = {}
        self._by_place: dict[tuple[str, str], list[Entry]] = {}
        self._by_id: dict[int, Entry] = {}
        self._by_name: dict[str, list[Entry]] = {}
        self._common_names: set[str] = set()
        self._changes = 0
        self._swept_recent: datetime | None = None
        self.watermark: datetime | None = None  # the newest report time seen

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, incident_id: int) -> Entry | None:
        return self._by_id.get(incident_id)

    def add(self, entry: Entry) -> None:
        self._by_id[entry.id] = entry
        if entry.texts:  # a fresh entry is filed by its first absorb, once it has places
            self._file(entry, entry.country, entry.towns, entry.admin1s, entry.topics)
        for name in entry.names:  # an entry rebuilt after a restart
            self._file_name(entry, name)

    def absorb(
        self,
        entry: Entry,
        at: datetime,
        towns: set[str],
        admin1s: set[str],
        topics: Iterable[str],
        text: str,
        lang: str | None = None,
        names: Iterable[str] = (),
    ) -> None:
        """Fold a report into an entry and file it under the places and names it did not have."""
        topics = set(topics)
        new_towns, new_admin1s = towns - entry.towns, admin1s - entry.admin1s
        new_topics = topics - entry.topics
        entry.absorb(at, towns, admin1s, topics, text, lang)
        self._file(entry, entry.country, new_towns, new_admin1s, new_topics)
        for name in names:
            if name not in entry.names:
                entry.names.add(name)
                self._file_name(entry, name)

    def _file_name(self, entry: Entry, name: str) -> None:
        if name in self._common_names:
            return
        bucket = self._by_name.setdefault(name, [])
        bucket.append(entry)
        if len(bucket) > MAX_NAME_HOLDERS:  # it names no one event: stop filing it
            self._common_names.add(name)
            del self._by_name[name]

    def second_chance(self, probe: Probe) -> Entry | None:
        """The incident of the report's country younger than MAX_SPAN (names tell an event apart
        longer than places and words do) that alone carries at least MIN_SHARED_NAMES of the
        report's proper names; the one sharing most, then the newest. Topics of different
        families (a cholera outbreak and an attack in the same camp) rule an incident out."""
        votes: dict[int, int] = {}
        by_id: dict[int, Entry] = {}
        for name in probe.names:
            holders = {
                e.id: e
                for e in self._by_name.get(name, ())
                if (not probe.country or not e.country or e.country == probe.country)
                and e.first_seen <= probe.at + self.join_gap
                and probe.at - e.first_seen <= self.max_span
            }
            storm = name in probe.storms and probe.killed
            if storm:
                holders = _storm_holders(holders.values(), probe)
            if len(holders) != 1:  # nobody's, or several incidents': it tells none apart
                continue
            entry = next(iter(holders.values()))
            if not _same_kind(entry.topics, probe.topics):
                continue
            # A storm's name is its own: enough alone.
            votes[entry.id] = votes.get(entry.id, 0) + (1 + MIN_SHARED_NAMES if storm else 1)
            by_id[entry.id] = entry
        # Two names at least: one alone is often an actor (an armed group, an agency) that
        # many events of a country share over a month.
        best = max(votes, key=lambda i: (votes[i], by_id[i].last_seen), default=None)
        if best is not None and votes[best] >= MIN_SHARED_NAMES:
            return by_id[best]
        return self._toll_chance(probe)

    def _toll_chance(self, probe: Probe) -> Entry | None:
        """The one recent big incident of the report's country and kind of event, in its places
        if it names any, whose killed toll is of the same order, if there is only one."""
        if not probe.country or not probe.killed:
            return None
        found = [
            entry
            for entry, late in self.candidates(probe)
            if not late and entry.country == probe.country and _toll_fits(entry, probe)
        ]
        return found[0] if len(found) == 1 else None

    def remove(self, incident_id: int) -> None:
        """Forget an incident (its transaction rolled back)."""
        entry = self._by_id.pop(incident_id, None)
        if entry is None:
            return
        self._in_recent.discard(incident_id)
        for lists in (self._recent, self._by_place, self._placeless, self._hazard, self._by_name):
            for key, bucket in lists.items():
                if any(e is entry for e in bucket):
                    lists[key] = [e for e in bucket if e is not entry]  # type: ignore[index]

    def settle(self, entry: Entry, country: str) -> None:
        """An incident filed without a country learns it: file it there too."""
        if not entry.country and country:
            entry.country = country
            self._in_recent.discard(entry.id)
            self._file(entry, country, entry.towns, entry.admin1s, entry.topics)

    def _file(
        self, entry: Entry, country: str, towns: set[str], admin1s: set[str], topics: set[str]
    ) -> None:
        if entry.id not in self._in_recent:
            self._in_recent.add(entry.id)
            self._recent.setdefault(country, []).append(entry)
            if not entry.towns and not entry.admin1s:
                self._placeless.setdefault(country, []).append(entry)
            topics = entry.topics
        for hazard in topics & HAZARDS:
            self._hazard.setdefault((country, hazard), []).append(entry)
        for key in towns:
            self._by_place.setdefault((country, key), []).append(entry)
        for key in admin1s:
            self._by_place.setdefault((country, f"admin1:{key}"), []).append(entry)
        self._changes += 1
        if self._changes % PRUNE_EVERY == 0:
            self._sweep()

    def advance(self, at: datetime) -> None:
        if self.watermark is None or at > self.watermark:
            self.watermark = at
            if self._swept_recent is None or at - self._swept_recent >= RECENT_SWEEP:
                self._sweep_recent()
                self._swept_recent = at

    def _fits(self, entry: Entry, probe: Probe) -> bool:
        return (
            entry.last_seen >= probe.at - self.late_gap
            and entry.first_seen <= probe.at + self.join_gap
            and probe.at - entry.first_seen <= self.max_span
        )

    def candidates(self, probe: Probe) -> Iterator[tuple[Entry, bool]]:
        """(entry, late) for the incidents near the report in time (and, late, in place)."""
        countries = [probe.country, ""] if probe.country else list(self._recent)
        if probe.country and (probe.towns or probe.admin1s):
            # Only these can pass _bar besides the ones sharing a place (looked up below).
            pools = [self._recent.get("", ()), self._placeless.get(probe.country, ())]
            pools += [self._hazard.get((probe.country, h), ()) for h in probe.topics & HAZARDS]
        else:
            pools = [self._recent.get(country, ()) for country in countries]
        seen: set[int] = set()
        for pool in pools:
            for entry in pool:
                if entry.id not in seen and self._fits(entry, probe):
                    seen.add(entry.id)
                    yield entry, entry.last_seen < probe.at - self._gap(entry, probe)
        if not probe.country:
            return
        keys = [*probe.towns, *(f"admin1:{a}" for a in probe.admin1s)]
        for country in countries:
            for key in keys:
                for entry in self._by_place.get((country, key), ()):
                    if entry.id not in seen and self._fits(entry, probe):
                        seen.add(entry.id)
                        yield entry, entry.last_seen < probe.at - self._gap(entry, probe)

    def _gap(self, entry: Entry, probe: Probe) -> timedelta:
        if entry.severity >= BIG_EVENT or entry.topics & probe.topics & HAZARDS:
            return self.join_gap  # a disaster or a massacre stays in the news for days
        return min(self.join_gap, CONFLICT_GAP)

    def best_match(self, probe: Probe) -> tuple[Entry, float] | None:
        """The candidate the report joins, with its similarity; None to open a new incident."""
        best: tuple[float, Entry, float] | None = None
        for entry, late in self.candidates(probe):
            bar = _bar(entry, probe, late)
            if bar is None:
                continue
            sim = similarity(entry, probe, cutoff=bar, late=late)
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

    def _sweep_recent(self) -> None:
        """Keep in the recent lists only what JOIN_GAP (and a margin) can still reach."""
        if self.watermark is None:
            return
        horizon = self.watermark - self.join_gap - RECENT_SWEEP
        for country, bucket in self._recent.items():
            keep = []
            for entry in bucket:
                if entry.last_seen >= horizon:
                    keep.append(entry)
                else:
                    self._in_recent.discard(entry.id)
            self._recent[country] = keep
        for lists in (self._placeless, self._hazard):
            for key, bucket in lists.items():
                lists[key] = [e for e in bucket if e.id in self._in_recent]  # type: ignore[index]

    def _sweep(self) -> None:
        """Drop entries too old to be joined from the place lists and the id map (LATE_GAP and
        a day's margin for late arrivals)."""
        if self.watermark is None:
            return
        late_horizon = self.watermark - self.late_gap - timedelta(days=1)
        self._by_place = {
            key: kept
            for key, bucket in self._by_place.items()
            if (kept := [e for e in bucket if e.last_seen >= late_horizon])
        }
        self._by_id = {i: e for i, e in self._by_id.items() if e.last_seen >= late_horizon}
        span_horizon = self.watermark - self.max_span - timedelta(days=1)
        self._by_name = {
            name: kept
            for name, bucket in self._by_name.items()
            if (kept := [e for e in bucket if e.first_seen >= span_horizon])
        }
