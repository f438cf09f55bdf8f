"""How fast one poll cycle reads 1,000 feeds, and whether bad feeds hold the others back.

    .venv/bin/python benchmarks/poll_sources.py [--feeds 1000] [--bad 100]

A local HTTP server (tests/sources_server.FeedServer, in a child process so its memory is not
counted) serves distinct generated RSS feeds of 20-200 items each, with ETags, on 50 loopback
ports (distinct host:port origins, as real feeds sit on many hosts). Three runs:
1. first cycle: every feed answers 200, all items parsed and stored;
2. second cycle: every feed answers 304;
3. a fresh database where `--bad` feeds hang, answer 500 or send 50 MB, the others are normal.
Targets (issue 5): run 1 ≤ 30 s and ≤ 300 MB peak; run 2 ≤ 5 s; run 3 within the same bounds,
with nothing stored twice.
"""

import argparse
import asyncio
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.sources.catalogue import CatalogueEntry, seed_sources  # noqa: E402
from bot.sources.fetcher import Fetcher  # noqa: E402
from bot.sources.poller import poll_due  # noqa: E402
from storage.db import open_database, session_scope  # noqa: E402
from storage.models import Report  # noqa: E402

PORTS = 50
HANG_SECONDS = 120
BIG_BYTES = 50 * 1024 * 1024
PLACES = ["Latakia", "Jableh", "El Fasher", "Goma", "Khan Younis", "Kharkiv", "Mogadishu",
          "Port-au-Prince", "Sittwe", "Maiduguri", "Tawila", "Bunia", "Kherson"]  # fmt: skip
EVENTS = ["shelling", "an air strike", "clashes", "flooding", "a landslide", "a drone attack"]
START = datetime(2025, 1, 1, tzinfo=UTC)


def make_feed(n: int) -> bytes:
    """Feed number n: 20-200 items, distinct ids, HTML descriptions (deterministic)."""
    rng = random.Random(n)
    items = []
    for i in range(rng.randint(20, 200)):
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        killed, injured = rng.randint(0, 80), rng.randint(0, 200)
        when = (START + timedelta(minutes=n * 7 + i * 13)).strftime("%a, %d %b %Y %H:%M:%S GMT")
        items.append(
            f"<item><title>{event.capitalize()} in {place} kills {killed}, officials say</title>"
            f"<link>https://feed{n}.example.org/news/{n}-{i}</link>"
            f'<guid isPermaLink="false">feed{n}-item{i}</guid><pubDate>{when}</pubDate>'
            f"<description>&lt;p&gt;At least {killed} people were killed and {injured} injured "
            f"in {event} in {place} on Tuesday, local officials and rescue workers said. "
            f"&lt;a href='https://feed{n}.example.org/news/{n}-{i}'&gt;More&lt;/a&gt;&lt;/p&gt;"
            f"</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Generated feed {n}</title><link>https://feed{n}.example.org/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def bad_kind(n: int, bad: set[int]) -> str | None:
    if n not in bad:
        return None
    return ("hang", "error", "huge")[n % 3]


def serve(feeds: int, bad: list[int], conn) -> None:  # runs in the child process
    from tests.sources_server import FeedServer, Route

    bodies = {n: make_feed(n) for n in range(feeds)}
    bad_set = set(bad)

    def fallback(path: str) -> Route | None:
        if not path.startswith("/feed/"):
            return None
        n = int(path.removeprefix("/feed/").removesuffix(".xml"))
        kind = bad_kind(n, bad_set)
        if kind == "hang":
            return Route(body=bodies[n], delay=HANG_SECONDS)
        if kind == "error":
            return Route(body=b"internal error", status=500)
        if kind == "huge":
            return Route(huge=BIG_BYTES)
        return Route(body=bodies[n], etag=f'"feed-{n}-v1"')

    async def main() -> None:
        server = FeedServer(sites=PORTS)
        server.log_requests = False
        server.fallback = fallback
        await server.start()
        conn.send(server.ports)
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # wait for "stop"
        await server.close()

    asyncio.run(main())


def expected_items(feeds: int, skip: set[int]) -> int:
    return sum(len(make_feed(n).split(b"<item>")) - 1 for n in range(feeds) if n not in skip)


def stored(engine) -> tuple[int, int]:
    """(reports stored, (source, external id) pairs stored more than once)."""
    with session_scope(engine) as s:
        total = s.exec(select(func.count()).select_from(Report)).one()
        twice = s.exec(
            select(func.count()).select_from(
                select(Report.source_id, Report.external_id)
                .group_by(Report.source_id, Report.external_id)
                .having(func.count() > 1)
                .subquery()
            )
        ).one()
    return total, twice


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def cycle(engine, settings, now: datetime) -> tuple[float, object]:
    fetcher = Fetcher(settings, per_host=4, connect_timeout=5, read_timeout=8, total_timeout=10)
    started = time.perf_counter()
    async with fetcher:
        result = await poll_due(engine, settings, now=now, fetcher=fetcher, concurrency=64)
    return time.perf_counter() - started, result


def run(feeds: int, bad: list[int], tmp: Path, label: str, cycles: int) -> None:
    parent, child = mp.Pipe()
    proc = mp.get_context("fork").Process(target=serve, args=(feeds, bad, child), daemon=True)
    proc.start()
    ports = parent.recv()
    try:
        engine = open_database(f"sqlite:///{tmp / f'{label}.db'}")
        entries = [
            CatalogueEntry(
                f"feed {n}", "rss", f"http://127.0.0.1:{ports[n % PORTS]}/feed/{n}.xml", 60
            )
            for n in range(feeds)
        ]
        with session_scope(engine) as s:
            seed_sources(s, entries)
        settings = Settings(allow_private_sources=True, _env_file=None)
        now = datetime.now(UTC)
        for c in range(1, cycles + 1):
            seconds, result = asyncio.run(cycle(engine, settings, now))
            total, twice = stored(engine)
            ok = sum(o.status == "ok" for o in result.outcomes)
            same = sum(o.status == "not_modified" for o in result.outcomes)
            failed = [o for o in result.outcomes if o.status == "error"]
            print(
                f"{label} cycle {c}: {seconds:.1f} s, {len(result.outcomes)} sources "
                f"({ok} new content, {same} not modified, {len(failed)} failed), "
                f"{len(result.new_report_ids)} new reports; stored {total}; "
                f"stored twice: {twice}; peak memory {peak_mb():.0f} MB"
            )
            if failed:
                reasons: dict[str, int] = {}
                for o in failed:
                    key = (o.error or "")[:60]
                    reasons[key] = reasons.get(key, 0) + 1
                for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
                    print(f"    {count} × {reason}")
            now += timedelta(seconds=61)
        want = expected_items(feeds, set(bad))
        print(f"{label}: expected {want} reports from the healthy feeds, stored {total}")
    finally:
        parent.send("stop")
        proc.join(10)
        if proc.is_alive():
            proc.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--bad", type=int, default=100)
    parser.add_argument("--skip-bad-run", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(args.feeds, [], Path(tmp), "all healthy", cycles=2)
        if not args.skip_bad_run and args.bad:
            step = max(1, args.feeds // args.bad)
            bad = list(range(0, args.feeds, step))[: args.bad]
            run(args.feeds, bad, Path(tmp), f"{len(bad)} bad", cycles=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
