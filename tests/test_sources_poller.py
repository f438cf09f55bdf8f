"""poll_due against a real local HTTP server and a real SQLite database."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import Settings
from bot.sources.catalogue import parse_catalogue, seed_sources
from bot.sources.poller import poll_due
from storage.db import session_scope
from storage.models import Alert, Chat, Delivery, Report, Source
from storage.types import utcnow
from tests.sources_server import Recorded, route

DATA = Path(__file__).parent / "data" / "sources"


@pytest.fixture
def engine(any_engine):
    """Each test runs on SQLite and on PostgreSQL (leases use FOR UPDATE SKIP LOCKED there)."""
    return any_engine


@pytest.fixture
def settings():
    return Settings(allow_private_sources=True, admin_ids=frozenset({42}), _env_file=None)


def seed(engine, *entries: tuple[str, str, str, int]) -> None:
    toml = "".join(
        f'[[source]]\nname = "{n}"\nkind = "{k}"\nurl = "{u}"\ninterval = {i}\n\n'
        for n, k, u, i in entries
    )
    with session_scope(engine) as session:
        seed_sources(session, parse_catalogue(toml))


def reports(engine) -> list[Report]:
    with session_scope(engine) as s:
        return list(s.exec(select(Report).order_by(Report.id)).all())


def source(engine, name: str) -> Source:
    with session_scope(engine) as s:
        return s.exec(select(Source).where(Source.name == name)).one()


async def test_new_reports_are_stored_once_and_304_changes_nothing(engine, settings, feed_server):
    url = feed_server.serve("/world.rss", DATA / "news-world.rss", etag='"v1"')
    seed(engine, ("World", "rss", url, 2))

    first = await poll_due(engine, settings)
    stored = reports(engine)
    assert [r.title for r in stored][0] == "Shelling in Latakia kills 12 civilians, rescuers say"
    assert len(stored) == 3 and sorted(first.new_report_ids) == [r.id for r in stored]
    assert stored[0].external_id == "https://news.example.org/articles/lat001#0"
    assert stored[0].published_at.isoformat() == "2025-06-23T16:29:51+00:00"
    assert stored[0].content_hash and len(stored[0].content_hash) == 64
    assert first.outcomes[0].status == "ok" and first.outcomes[0].new == 3

    # Not due yet: nothing is fetched.
    assert (await poll_due(engine, settings)).outcomes == []
    assert feed_server.count("/world.rss") == 1

    later = utcnow() + timedelta(seconds=3)
    second = await poll_due(engine, settings, now=later)
    assert second.outcomes[0].status == "not_modified" and second.new_report_ids == []
    assert feed_server.requests[-1].headers.get("If-None-Match") == '"v1"'
    assert feed_server.requests[-1].headers["User-Agent"].startswith("alertbot/")

    # The feed changes (new item, old ones kept): only the new one is stored.
    body = (DATA / "news-world.rss").read_text().replace("lat001", "lat009")
    feed_server.serve("/world.rss", body, etag='"v2"')
    third = await poll_due(engine, settings, now=later + timedelta(seconds=3))
    assert third.outcomes[0].new == 1 and len(reports(engine)) == 4
    health = source(engine, "World")
    assert health.items_seen == 4 and health.failures == 0 and health.etag == '"v2"'


async def test_failing_source_backs_off_and_admins_hear_once(engine, settings, feed_server):
    with session_scope(engine) as s:
        s.add(Chat(id=42))
    url = feed_server.serve("/down.rss", b"oops", status=500)
    seed(engine, ("Down", "rss", url, 60))
    start = utcnow()
    now, delays = start, []
    for _ in range(6):
        result = await poll_due(engine, settings, now=now)
        assert result.outcomes[0].status == "error"
        assert "HTTP 500" in result.outcomes[0].error
        delays.append(source(engine, "Down").next_poll_at - now)
        now += delays[-1]
    health = source(engine, "Down")
    assert health.failures == 6 and health.failing_since == start
    # Exponential with jitter: the n-th delay lies in [2^n × 60 s / 2, 2^n × 60 s].
    for n, delay in enumerate(delays, start=1):
        assert timedelta(seconds=60 * 2**n / 2) <= delay <= timedelta(seconds=60 * 2**n)
    assert feed_server.count("/down.rss") == 6

    def notices() -> list[str]:
        with session_scope(engine) as s:
            return [
                a.reason
                for a in s.exec(select(Alert).join(Delivery, Delivery.alert_id == Alert.id))
            ]

    assert notices() == []
    day_later = start + timedelta(hours=25)
    await poll_due(engine, settings, now=day_later)
    await poll_due(engine, settings, now=day_later + timedelta(hours=7))
    assert notices() == ["source_down"]

    feed_server.serve("/down.rss", DATA / "news-world.rss")
    ok = await poll_due(engine, settings, now=day_later + timedelta(hours=14))
    assert ok.outcomes[0].status == "ok" and ok.outcomes[0].new == 3
    assert notices() == ["source_down", "source_up"]
    assert source(engine, "Down").failures == 0


async def test_retry_after_and_max_age_push_the_next_poll(engine, settings, feed_server):
    busy = feed_server.serve("/busy.rss", b"", status=429, headers={"Retry-After": "3600"})
    fresh = feed_server.serve(
        "/fresh.rss", DATA / "news-world.rss", headers={"Cache-Control": "public, max-age=1800"}
    )
    seed(engine, ("Busy", "rss", busy, 2), ("Fresh", "rss", fresh, 2))
    now = utcnow()
    await poll_due(engine, settings, now=now)
    assert source(engine, "Busy").next_poll_at - now >= timedelta(seconds=3600)
    assert source(engine, "Fresh").next_poll_at - now == timedelta(seconds=1800)


async def test_two_pollers_never_fetch_the_same_source(engine, settings, feed_server):
    urls = [feed_server.serve(f"/f{i}.rss", DATA / "news-world.rss", delay=0.2) for i in range(6)]
    seed(engine, *[(f"F{i}", "rss", u, 60) for i, u in enumerate(urls)])
    import asyncio

    a, b = await asyncio.gather(poll_due(engine, settings), poll_due(engine, settings))
    names = [o.name for o in a.outcomes] + [o.name for o in b.outcomes]
    assert sorted(names) == sorted(f"F{i}" for i in range(6))
    assert all(feed_server.count(f"/f{i}.rss") == 1 for i in range(6))
    assert len(reports(engine)) == 18


async def test_revised_toll_updates_the_stored_report(engine, settings, feed_server):
    from bot.sources import acled

    acled._tokens.clear()
    settings = settings.model_copy(
        update={"acled_email": "desk@example.org", "acled_password": "pw"}
    )
    from pydantic import SecretStr

    settings.acled_password = SecretStr("pw")
    toll = {"value": "3", "ts": "1718000000"}

    def token(rec: Recorded):
        ok = rec.form().get("grant_type") == "password" and rec.form().get("password") == "pw"
        body = '{"token_type":"Bearer","expires_in":86400,"access_token":"T1","refresh_token":"R1"}'
        return route(body=body, status=200 if ok else 401, content_type="application/json")

    def read(rec: Recorded):
        if rec.headers.get("Authorization") != "Bearer T1":
            return route(body=b'{"message":"unauthorised"}', status=401)
        body = (DATA / "acled-read.json").read_text()
        body = body.replace('"fatalities": "3"', f'"fatalities": "{toll["value"]}"')
        body = body.replace('"timestamp": "1718000000"', f'"timestamp": "{toll["ts"]}"')
        return route(body=body, content_type="application/json")

    feed_server.serve("/oauth/token", responder=token)
    url = feed_server.serve("/api/acled/read", responder=read)
    toml = (
        f'[[source]]\nname = "ACLED Syria"\nkind = "acled"\nurl = "{url}"\ninterval = 60\n'
        f'params = {{ country = "Syria", token_url = "{feed_server.url("/oauth/token")}" }}\n'
    )
    with session_scope(engine) as session:
        seed_sources(session, parse_catalogue(toml))
    first = await poll_due(engine, settings)
    assert first.outcomes[0].status == "ok", first.outcomes[0].error
    n = len(first.new_report_ids)
    assert n >= 2
    toll.update(value="7", ts="1718600000")
    second = await poll_due(engine, settings, now=utcnow() + timedelta(seconds=61))
    assert second.new_report_ids == [] and len(second.revised_report_ids) == 1
    with session_scope(engine) as s:
        revised = s.get(Report, second.revised_report_ids[0])
    assert revised.fields["fatalities"] == 7 and len(reports(engine)) == n
    assert feed_server.count("/oauth/token") == 1  # the token was kept between polls


async def test_gdacs_raised_alert_updates_the_stored_report(engine, settings, feed_server):
    body = (DATA / "gdacs.rss").read_bytes()
    url = feed_server.serve("/gdacs.xml", body)
    seed(engine, ("GDACS", "gdacs", url, 60))
    first = await poll_due(engine, settings)
    assert len(first.new_report_ids) == 2
    raised = body.replace(
        b"<gdacs:alertlevel>Green</gdacs:alertlevel>",
        b"<gdacs:alertlevel>Orange</gdacs:alertlevel>",
    )
    feed_server.serve("/gdacs.xml", raised)
    second = await poll_due(engine, settings, now=utcnow() + timedelta(seconds=61))
    assert second.new_report_ids == [] and len(second.revised_report_ids) == 1
    with session_scope(engine) as s:
        quake = s.get(Report, second.revised_report_ids[0])
    assert quake.external_id == "EQ1455210" and quake.fields["alert_level"] == "orange"


def test_backoff_is_capped_at_six_hours_and_jittered():
    import random

    from bot.sources.poller import backoff

    rng = random.Random(7)
    delays = {backoff(900, 40, rng) for _ in range(50)}
    assert all(timedelta(hours=3) <= d <= timedelta(hours=6) for d in delays)
    assert len(delays) > 40, "jitter spreads retries of sources that failed together"
    assert timedelta(seconds=2) <= backoff(2, 1, rng) <= timedelta(seconds=4)


async def test_syndicated_copies_share_a_content_hash(engine, settings, feed_server):
    body = (DATA / "news-world.rss").read_text()
    copy = body.replace("news.example.org", "wire.example.net").replace(
        "12 civilians were killed and 30 injured", "12  civilians were killed, and 30 injured"
    )
    seed(
        engine,
        ("Outlet", "rss", feed_server.serve("/a.rss", body), 60),
        ("Wire", "rss", feed_server.serve("/b.rss", copy), 60),
    )
    await poll_due(engine, settings)
    stored = reports(engine)
    assert len(stored) == 6, "each source keeps its own copy"
    by_hash: dict[str, set[str]] = {}
    for r in stored:
        by_hash.setdefault(r.content_hash, set()).add(r.source_name)
    assert all(names == {"Outlet", "Wire"} for names in by_hash.values())
