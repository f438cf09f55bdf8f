"""The shared fetcher against a real local HTTP server."""

import asyncio
import ipaddress
from pathlib import Path

import pytest

from bot.config import Settings
from bot.sources.fetcher import (
    Fetcher,
    FetchError,
    FetchRequest,
    address_refusal,
    check_host,
    parse_max_age,
    parse_retry_after,
)
from tests import sources_server

DATA = Path(__file__).parent / "data" / "sources"
FEED = (DATA / "news-world.rss").read_bytes()


@pytest.fixture
def settings():
    return Settings(allow_private_sources=True, _env_file=None)


async def fetch(settings, url, **options):
    async with Fetcher(settings, **options) as f:
        return await f.fetch(FetchRequest(url))


async def test_conditional_get_by_etag_and_last_modified(settings, feed_server):
    lm = "Mon, 23 Jun 2025 16:59:28 GMT"
    url = feed_server.serve("/f.rss", FEED, etag='"abc"', last_modified=lm)
    async with Fetcher(settings) as f:
        first = await f.fetch(FetchRequest(url))
        assert first.ok and first.body == FEED and first.etag == '"abc"'
        assert first.last_modified == lm
        by_etag = await f.fetch(FetchRequest(url, etag='"abc"'))
        by_date = await f.fetch(FetchRequest(url, last_modified=lm))
        stale = await f.fetch(FetchRequest(url, etag='"old"'))
    assert by_etag.status == "not_modified" and by_etag.body == b""
    assert by_date.status == "not_modified"
    assert stale.status == "ok"
    ua = feed_server.requests[0].headers["User-Agent"]
    assert ua.startswith("alertbot/") and "(+http" in ua


async def test_gzip_body_is_decoded(settings, feed_server):
    url = feed_server.serve("/gz.rss", FEED, gzip=True)
    result = await fetch(settings, url)
    assert result.ok and result.body == FEED


async def test_body_over_the_cap_is_refused(settings, feed_server):
    url = feed_server.serve("/huge", huge=3 * 1024 * 1024)
    result = await fetch(settings, url, max_bytes=1024 * 1024)
    assert result.status == "error" and "cap" in result.error


async def test_gzip_bomb_stops_at_the_cap_of_decoded_bytes(settings, feed_server):
    url = feed_server.serve("/bomb", huge=200 * 1024 * 1024, gzip=True)
    result = await fetch(settings, url, max_bytes=5 * 1024 * 1024)
    assert result.status == "error" and "cap" in result.error and "decoded" in result.error


async def test_declared_length_over_the_cap_is_refused_before_reading(settings, feed_server):
    url = feed_server.serve("/big", b"x" * 200_000)
    result = await fetch(settings, url, max_bytes=100_000)
    assert result.status == "error" and "200,000 bytes" in result.error


async def test_redirects_are_followed_up_to_five(settings, feed_server):
    feed_server.serve("/final.rss", FEED)
    for i in range(6):
        feed_server.serve(f"/r{i}", redirect_to=f"/r{i + 1}" if i < 5 else "/final.rss", status=301)
    ok = await fetch(settings, feed_server.url("/r1"))  # five hops
    too_many = await fetch(settings, feed_server.url("/r0"))  # six hops
    assert ok.ok and ok.body == FEED and ok.url.endswith("/final.rss")
    assert too_many.status == "error" and "more than 5 redirects" in too_many.error


async def test_private_addresses_are_refused_unless_allowed(feed_server):
    url = feed_server.serve("/f.rss", FEED)
    strict = Settings(allow_private_sources=False, _env_file=None)
    result = await fetch(strict, url)
    assert result.status == "error"
    assert "loopback" in result.error and "ALERTBOT_ALLOW_PRIVATE_SOURCES" in result.error
    assert feed_server.requests == []  # refused before connecting


async def test_every_redirect_hop_is_checked():
    server = sources_server.FeedServer(sites=2)
    async with server:
        server.serve("/hop", redirect_to=server.url("/f.rss", site=1))
        server.serve("/f.rss", FEED)
        strict = Settings(allow_private_sources=False, _env_file=None)
        trusted = frozenset({f"127.0.0.1:{server.ports[0]}"})  # only the first origin
        result = await fetch(strict, server.url("/hop"), trusted_origins=trusted)
    assert result.status == "error" and "loopback" in result.error
    assert [r.path for r in server.requests] == ["/hop"]


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "224.0.0.1", "0.0.0.0", "240.0.0.1", "::1", "fd00:ec2::254", "fe80::1",
     "::ffff:127.0.0.1", "::ffff:10.0.0.1"],
)  # fmt: skip
def test_non_public_addresses_have_a_reason(address):
    assert address_refusal(ipaddress.ip_address(address))


def test_public_addresses_pass():
    assert address_refusal(ipaddress.ip_address("8.8.8.8")) is None
    assert address_refusal(ipaddress.ip_address("2001:4860:4860::8888")) is None


@pytest.mark.parametrize("host", ["localhost", "metadata.google.internal", "[::1]", "127.0.0.1"])
async def test_local_and_metadata_names_are_refused(host):
    with pytest.raises(FetchError, match="refused"):
        await check_host(host, 80)


async def test_errors_come_back_as_results_not_exceptions(settings, feed_server):
    url = feed_server.serve("/boom", b"server trouble", status=500)
    result = await fetch(settings, url)
    assert result.status == "error" and result.error.startswith("HTTP 500")
    # A port nobody listens on: connection refused, still a result.
    closed = await fetch(settings, "http://127.0.0.1:9/none")
    assert closed.status == "error" and "could not connect" in closed.error
    not_http = await fetch(settings, "file:///etc/passwd")
    assert not_http.status == "error" and "http" in not_http.error


async def test_hanging_server_times_out(settings, feed_server):
    url = feed_server.serve("/hang", FEED, delay=30)
    result = await fetch(settings, url, read_timeout=0.3, total_timeout=5)
    assert result.status == "error" and "stopped answering" in result.error
    slow = await fetch(settings, url, read_timeout=10, total_timeout=0.5)
    assert slow.status == "error" and "0.5 s" in slow.error


async def test_per_host_concurrency_is_limited(settings, feed_server):
    url = feed_server.serve("/slow", FEED, delay=0.2)
    async with Fetcher(settings, per_host=2) as f:
        results = await asyncio.gather(*(f.fetch(FetchRequest(url)) for _ in range(6)))
    assert all(r.ok for r in results)
    assert feed_server.max_in_flight == 2


async def test_retry_after_and_cache_control_are_reported(settings, feed_server):
    url = feed_server.serve(
        "/limited", b"", status=429, headers={"Retry-After": "120", "Cache-Control": "max-age=60"}
    )
    result = await fetch(settings, url)
    assert result.status == "error" and result.retry_after == 120 and result.max_age == 60


def test_header_parsing():
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Wed, 21 Oct 2099 07:28:00 GMT") > 1e9
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert parse_retry_after("soon") is None
    assert parse_max_age("public, max-age=300") == 300
    assert parse_max_age("no-cache, max-age=300") is None
    assert parse_max_age(None) is None


async def test_connections_are_checked_at_connect_time_too(feed_server):
    """DNS may change between the URL check and the connection (rebinding): the socket itself
    only ever connects to a checked public address."""
    import httpcore
    import httpx

    from bot.sources.fetcher import GuardedBackend

    url = feed_server.serve("/f.rss", FEED)
    port = feed_server.ports[0]
    with pytest.raises(httpcore.ConnectError, match="loopback"):
        await GuardedBackend().connect_tcp("127.0.0.1", port)
    with pytest.raises(httpcore.ConnectError, match="local or metadata"):
        await GuardedBackend().connect_tcp("localhost", port)
    stream = await GuardedBackend(frozenset({f"127.0.0.1:{port}"})).connect_tcp("127.0.0.1", port)
    await stream.aclose()
    strict = Settings(allow_private_sources=False, _env_file=None)
    async with Fetcher(strict) as f:
        with pytest.raises(httpx.ConnectError, match="loopback"):
            await f._client.get(url)  # straight to the client, past the URL check
    assert feed_server.requests == []
