"""The offline gazetteer: countries (ISO3) -> admin1 -> towns, with the names people write.

Data comes from data/gazetteer.json.gz, built by `python -m bot.analysis.build_gazetteer` from
installed packages and the hand-kept files of data/ (see the builder). Admin2 units and camps
are town-kind entries carrying their admin1. It is loaded once, lazily, on first use.
`search()` serves /subscribe (what a user typed); `candidates()` serves the text analyser.
"""

import base64
import gzip
import json
import re
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.analysis.text import name_key

DATA_FILE = Path(__file__).parent / "data" / "gazetteer.json.gz"
_KIND_RANK = {"country": 0, "admin1": 1, "town": 2}
# Trailing words a user may add to a name: "Latakia governorate", "Nord-Kivu province".
_ADMIN_SUFFIX = re.compile(
    r"\s+(governorate|province|state|region|oblast|department|district|prefecture|county|"
    r"gouvernorat|provincia|departamento|estado|region|wilaya)$"
)


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    kind: str  # "country" | "admin1" | "town"
    name: str  # display name
    country: str  # ISO3
    country_name: str
    admin1: str | None
    pcode: str | None  # the P-code of the admin1 (of an admin1, or of the one a town is in)
    lat: float | None
    lon: float | None
    population: int | None
    key: str  # Subscription key: "SYR", "SYR:Latakia", "SYR:Latakia:Jablah"
    label: str  # "Latakia (Syria)"


class Gazetteer:
    """Entries by id (countries, then admin1, then towns) and a name-key index over them."""

    def __init__(self, data: dict) -> None:
        self.country_names: dict[str, str] = {}
        self.iso2_to_iso3: dict[str, str] = {}
        self.neighbours: dict[str, frozenset[str]] = {}
        self.demonyms: dict[str, str] = data["demonyms"]
        ids = array("i")
        ids.frombytes(base64.b64decode(data["ids"]))
        self.index: dict[str, int] = dict(zip(data["keys"].split("\n"), ids, strict=True))
        self._multi: list[list[int]] = data["multi"]
        self._towns: list[str] = data["towns"].split("\n")
        self.entries: list[PlaceEntry | None] = []

        for iso3, iso2, name, pop, neighbours in data["countries"]:
            self.country_names[iso3] = name
            self.iso2_to_iso3[iso2] = iso3
            self.neighbours[iso3] = frozenset(neighbours)
            self.entries.append(
                PlaceEntry("country", name, iso3, name, None, None, None, None, pop, iso3, name)
            )
        self._admin1_pcodes: dict[tuple[str, str], str] = {}  # for the towns in each admin1
        for iso3, name, pcode, lat, lon, pop in data["admin1"]:
            cname = self.country_names.get(iso3, iso3)
            if pcode:
                self._admin1_pcodes[(iso3, name)] = pcode
            self.entries.append(PlaceEntry(
                "admin1", name, iso3, cname, name, pcode, lat, lon, pop,
                f"{iso3}:{name}", f"{name} ({cname})",
            ))
        self.town_base = len(self.entries)
        self.entries.extend([None] * len(self._towns))
        self.country_keys: frozenset[str] = frozenset(
            name_key(entry.name) for entry in self.entries if entry and entry.kind == "country"
        )
        # First word of every name: most capitalised words of a report start none, and the
        # text scan drops them with one set lookup instead of trying every longer run.
        # It also gives the most words such a name has, so no longer run is tried.
        self.first_words: dict[str, int] = {}
        most = self.first_words
        for key in (*self.index, *self.demonyms):
            head, _, rest = key.partition(" ")
            count = rest.count(" ") + 2 if rest else 1
            if most.get(head, 0) < count:
                most[head] = count

    def entry(self, at: int) -> PlaceEntry:
        found = self.entries[at]
        if found is None:
            iso3, admin1, name, lat_s, lon_s, pop_s = self._towns[at - self.town_base].split("\t")
            lat, lon, pop = float(lat_s), float(lon_s), int(pop_s)
            cname = self.country_names.get(iso3, iso3)
            where = f"{admin1}, {cname}" if admin1 else cname
            found = PlaceEntry(
                "town", name, iso3, cname, admin1 or None,
                self._admin1_pcodes.get((iso3, admin1)), lat, lon, pop,
                f"{iso3}:{admin1}:{name}", f"{name} ({where})",
            )
            self.entries[at] = found
        return found

    def candidates(self, key: str) -> list[PlaceEntry]:
        """Every entry one of whose names has this key (see text.name_key)."""
        return [self.entry(at) for at in self.ids(key)]

    def ids(self, key: str) -> list[int]:
        at = self.index.get(key)
        if at is None:
            return []
        return [at] if at >= 0 else self._multi[-1 - at]

    def town_population(self, at: int) -> int:
        return int(self._towns[at - self.town_base].rsplit("\t", 1)[1])

    @property
    def fuzzy_choices(self) -> dict[str, str]:
        """Keys of countries, admin1 and towns of 15,000+ people, for typo-tolerant search."""
        return _fuzzy_choices(self)


@cache
def _fuzzy_choices(gaz: Gazetteer) -> dict[str, str]:
    wanted: dict[str, str] = {}
    for key in gaz.index:
        for at in gaz.ids(key):
            if at < gaz.town_base or gaz.town_population(at) >= 15000:
                wanted[key] = key
                break
    return wanted


@cache
def load() -> Gazetteer:
    """The gazetteer, read from disk on first call and kept for the life of the process."""
    with gzip.open(DATA_FILE, "rb") as fh:
        return Gazetteer(json.loads(fh.read()))


def country_name(iso3: str) -> str:
    """Display name of a country ("SYR" -> "Syria"); the code itself when unknown."""
    return load().country_names.get(iso3.upper(), iso3)


def _rank(entry: PlaceEntry) -> tuple[int, int]:
    return (_KIND_RANK[entry.kind], -(entry.population or 0))


def _dedupe(entries: list[PlaceEntry]) -> list[PlaceEntry]:
    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            out.append(entry)
    return out


def _exact(gaz: Gazetteer, key: str) -> list[PlaceEntry]:
    found = gaz.candidates(key)
    if not found and _ADMIN_SUFFIX.search(key):
        found = [e for e in gaz.candidates(_ADMIN_SUFFIX.sub("", key)) if e.kind == "admin1"]
    if not found:
        for article in ("al ", "el ", "ad ", "ar ", "as ", "ash ", "az ", "an ", "at "):
            if key.startswith(article):
                found = gaz.candidates(key[len(article) :])
                break
    # Drop villages that share a name with a real candidate elsewhere: "Tripoli, Iowa".
    # A population of 0 is unknown, not small (camps, districts): such entries stay.
    if found:
        top = max(e.population or 0 for e in found)
        found = [
            e for e in found
            if e.kind != "town" or not e.population or e.population >= min(top / 50, 5000)
        ]
    return sorted(found, key=_rank)


def search(query: str, limit: int = 8) -> list[PlaceEntry]:
    """Places matching what a user typed, best first: exact names before fuzzy ones.

    "syria" -> [Syria]; "Tripoli" -> the Libyan and the Lebanese city; "Jableh, Syria" keeps
    Syrian candidates only; gibberish -> [].
    """
    gaz = load()
    text = query.strip()
    if not text:
        return []
    within: str | None = None
    if "," in text:  # "Jableh, Syria" or "Latakia, SYR": the part after the comma narrows it
        head, _, tail = text.partition(",")
        country = _country_of(gaz, tail.strip())
        if country:
            text, within = head.strip(), country
    code = text.upper()
    if len(text) in (2, 3) and text.isalpha() and text.isupper():
        iso3 = code if code in gaz.country_names else gaz.iso2_to_iso3.get(code)
        if iso3:
            return [gaz.entry(gaz.ids(name_key(gaz.country_names[iso3]))[0])][:limit]
    key = name_key(text)
    if not key:
        return []
    found = _exact(gaz, key)
    if not found and len(key) >= 4:
        matches = process.extract(
            key, gaz.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=80, limit=limit * 3
        )
        fuzzy: list[PlaceEntry] = []
        for choice, _score, _ in matches:
            fuzzy.extend(sorted(gaz.candidates(choice), key=_rank)[:3])
        found = found + fuzzy
    if within:
        found = [e for e in found if e.country == within]
    return _dedupe(found)[:limit]


def _country_of(gaz: Gazetteer, text: str) -> str | None:
    if text.upper() in gaz.country_names:
        return text.upper()
    if len(text) == 2 and text.upper() in gaz.iso2_to_iso3:
        return gaz.iso2_to_iso3[text.upper()]
    for entry in gaz.candidates(name_key(text)):
        if entry.kind == "country":
            return entry.country
    return None
