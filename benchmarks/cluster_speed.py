"""How fast the incident stage clusters a stream of reports, and how much memory it holds.

    .venv/bin/python benchmarks/cluster_speed.py [--reports 100000] [--days 60] [--countries 50]

Synthetic but shaped like the real stream: events in 50 countries over 60 days, each reported
1 to 12 times over a few days by different outlets, with climbing tolls, a tenth of the items
syndicated copies, and headlines and leads built from the wording news uses. Facts are built
beforehand (as analysis would give them), so only clustering, reconciling, deciding, rendering
and the incident stage's SQLite writes (a file database, one transaction per 5,000 reports)
are timed; storing the reports themselves, the sources stage's work, is shown apart.
Target: 100,000 reports in ≤ 60 s, peak memory ≤ 500 MB.
"""

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.analysis.facts import Facts, Figure, Place  # noqa: E402
from bot.incidents.engine import IncidentEngine  # noqa: E402
from storage.db import open_database, session_scope  # noqa: E402
from storage.models import Report  # noqa: E402

COMMIT_EVERY = 5000
START = datetime(2025, 1, 1, tzinfo=UTC)
TOPICS = {
    "armed_conflict": ("clashes", "fighting", "gunmen attack", "armed assault"),
    "airstrike_shelling": ("airstrike", "shelling", "drone strike", "artillery fire"),
    "flood": ("floods", "flash floods", "heavy rains", "river overflow"),
    "epidemic": ("cholera outbreak", "measles outbreak", "dengue cases", "mpox cases"),
    "terrorism_bombing": ("car bomb", "suicide bombing", "roadside bomb", "blast"),
    "protest_unrest": ("protests", "riots", "demonstrations", "unrest"),
}
OUTLETS = ("Wire One", "Wire Two", "Gulf Daily", "City Herald", "Radio Nord", "OCHA", "ReliefWeb")
REPORTERS = ("the health ministry", "police", "a war monitor", "local officials", "the UN", None)


def _countries(rng: random.Random, count: int) -> list[tuple[str, list[Place]]]:
    """Invented countries, each with 12 admin1s of 6 towns (names and coordinates)."""
    out = []
    for c in range(count):
        iso3 = f"X{c // 26 % 26 + 65:c}{c % 26 + 65:c}"
        towns = []
        for a in range(12):
            admin1 = f"Province {iso3}-{a}"
            for t in range(6):
                lat, lon = rng.uniform(-30, 50), rng.uniform(-20, 120)
                towns.append(Place(f"Town{c}x{a}x{t}", iso3, admin1, f"{iso3}{a:02}", lat, lon))
        out.append((iso3, towns))
    return out


def _stream(total: int, days: int, countries: int, seed: int = 7) -> Iterator[tuple[Report, Facts]]:
    rng = random.Random(seed)
    world = _countries(rng, countries)
    span = timedelta(days=days).total_seconds()
    events = []
    made = 0
    while made < total:
        iso3, towns = rng.choice(world)
        topic = rng.choice(list(TOPICS))
        where = rng.sample(towns[rng.randrange(0, len(towns), 6) :][:6], k=rng.randint(1, 2))
        start = START + timedelta(seconds=rng.uniform(0, span))
        n = min(rng.randint(1, 12), total - made)
        events.append((start, iso3, topic, where, n))
        made += n
    # Each event has its own details (who, what was hit, which road …) that its reports share
    # and other events do not: pseudo-words drawn from a large vocabulary.
    vocabulary = [
        "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
        for _ in range(5000)
    ]
    details = [" ".join(rng.sample(vocabulary, 10)) for _ in events]
    items = []
    for number, (start, iso3, topic, where, n) in enumerate(events):
        toll = rng.choice((0, 1, 3, 8, 15, 40, 120))
        for k in range(n):
            when = start + timedelta(hours=rng.uniform(0, 72) * (k > 0))
            toll = int(toll * rng.choice((1, 1, 1, 1, 1, 1.1, 1.3, 2)))  # most repeat the toll
            items.append((when, number, k, iso3, topic, where, toll))
    items.sort(key=lambda item: item[0])
    last_text: dict[int, str] = {}
    for when, number, k, iso3, topic, where, toll in items:
        word = rng.choice(TOPICS[topic])
        town = where[0].name
        mine = details[number].split()
        title = f"{word.capitalize()} {' '.join(rng.sample(mine, 3))} {town}"
        lead = " ".join(
            f"{' '.join(rng.sample(mine, 5))} {rng.choice(vocabulary)} {rng.choice(vocabulary)}."
            for _ in range(5)
        )
        text = (
            f"{word.capitalize()} in {town}: {toll} killed. {lead} "
            + "Background paragraph about the region and its past. " * 5
            + f"Said {rng.choice(REPORTERS) or 'witnesses'} in update {k}."
        )
        if number in last_text and rng.random() < 0.1:
            text = last_text[number]  # a syndicated copy of the previous report
        last_text[number] = text
        killed = (
            Figure(
                toll,
                rng.choice(("exact", "at_least", "more_than")),
                rng.choice(REPORTERS),
                cumulative=True,
            )
            if toll
            else None
        )
        facts = Facts(
            lang="en",
            countries=[iso3],
            places=list(where),
            killed=killed,
            topics=[topic],
            escalation=rng.random() < 0.05,
        )
        outlet = rng.choice(OUTLETS)
        url = f"https://{outlet.replace(' ', '').lower()}.example/{number}/{k}"
        yield (
            Report(
                external_id=url,
                url=url,
                title=title,
                text=text,
                source_name=outlet,
                published_at=when,
            ),
            facts,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--countries", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        engine = IncidentEngine()
        decisions: dict[str, int] = {}
        spent = cpu = storing = 0.0
        stream = _stream(args.reports, args.days, args.countries)
        while True:
            batch = [item for _, item in zip(range(COMMIT_EVERY), stream, strict=False)]
            if not batch:
                break
            with session_scope(db) as session:
                began = time.perf_counter()
                session.add_all(report for report, _ in batch)  # the sources stage's work
                session.flush()
                storing += time.perf_counter() - began
                began, began_cpu = time.perf_counter(), time.process_time()
                for report, facts in batch:
                    outcome = engine.ingest(session, report, facts)
                    decisions[outcome.decision] = decisions.get(outcome.decision, 0) + 1
                session.commit()  # the incident stage's writes are part of its time
                spent += time.perf_counter() - began
                cpu += time.process_time() - began_cpu
        db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = sum(decisions.values())
    print(f"reports clustered: {count:,} over {args.days} days in {args.countries} countries")
    print(f"decisions: {', '.join(f'{k} {v:,}' for k, v in sorted(decisions.items()))}")
    print(
        f"incident stage time: {spent:.1f} s wall, {cpu:.1f} s CPU "
        f"({count / spent:,.0f} reports/s) (target <= 60 s)"
    )
    print(f"storing the reports beforehand (not counted): {storing:.1f} s")
    print(f"peak memory of the process: {peak_mb:.0f} MB (target <= 500 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
