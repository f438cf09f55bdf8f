"""API kinds (ReliefWeb, GDELT, USGS) and `alertbot check-source` against a local server."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.sources.check import main as check_main
from bot.sources.check import preview_source
from bot.sources.errors import SourceError
from bot.sources.fetcher import Fetcher
from bot.sources.registry import poll_source
from bot.sources.spec import SourceSpec
from tests.sources_server import FeedServer, Recorded, route, running_in_thread

DATA = Path(__file__).parent / "data" / "sources"


@pytest.fixture
def settings():
    return Settings(allow_private_sources=True, reliefweb_appname="alertbot-tests", _env_file=None)


async def poll(settings, spec):
    async with Fetcher(settings) as f:
        return await poll_source(spec, f, settings)


async def test_reliefweb_posts_filters_with_the_appname_and_pages(settings, feed_server):
    page = json.loads((DATA / "reliefweb-v1-full.json").read_text())

    def answer(rec: Recorded):
        offset = rec.json()["offset"]
        data = dict(page, data=page["data"] if offset == 0 else page["data"][:1])
        return route(body=json.dumps(data), content_type="application/json")

    url = feed_server.serve("/v2/reports", responder=answer)
    since = datetime(2025, 3, 1, tzinfo=UTC)
    spec = SourceSpec(
        "RW",
        "reliefweb",
        url,
        {"country": ["SYR", "lbn"], "theme": "Health", "disaster_type": "Flood", "limit": 2},
        since=since,
    )
    result = await poll(settings, spec)
    assert result.status == "ok" and len(result.reports) == 3
    first = feed_server.requests[0]
    assert first.method == "POST" and first.query == {"appname": "alertbot-tests"}
    body = first.json()
    conditions = {c["field"]: c["value"] for c in body["filter"]["conditions"]}
    assert conditions == {
        "country.iso3": ["syr", "lbn"],
        "theme.name": ["Health"],
        "disaster_type.name": ["Flood"],
        "date.created": {"from": "2025-03-01T00:00:00+00:00"},
    }
    assert [r.json()["offset"] for r in feed_server.requests] == [0, 2]
    assert result.reports[0].fields["country"] == "TCD"


async def test_reliefweb_403_says_an_approved_appname_is_needed(settings, feed_server):
    url = feed_server.serve("/v2/reports", b'{"status":403}', status=403)
    result = await poll(settings, SourceSpec("RW", "reliefweb", url))
    assert result.status == "error"
    assert "approved appname" in result.error and "ALERTBOT_RELIEFWEB_APPNAME" in result.error
    unset = settings.model_copy(update={"reliefweb_appname": None})
    result = await poll(unset, SourceSpec("RW", "reliefweb", url))
    assert "ALERTBOT_RELIEFWEB_APPNAME" in result.error
    assert feed_server.count("/v2/reports") == 1, "no request is made without an appname"


async def test_reliefweb_disasters_endpoint(settings, feed_server):
    data = {
        "totalCount": 1,
        "count": 1,
        "data": [
            {
                "id": "52001",
                "fields": {
                    "name": "Mozambique: Tropical Cyclone Jude - Mar 2025",
                    "glide": "TC-2025-000030-MOZ",
                    "status": "ongoing",
                    "primary_country": {"iso3": "moz", "name": "Mozambique"},
                    "type": [{"name": "Tropical Cyclone"}],
                    "description-html": "<p>The cyclone made landfall on 10 March.</p>",
                    "url": "https://reliefweb.int/node/52001",
                    "date": {"created": "2025-03-09T10:00:00+00:00"},
                },
            }
        ],
    }
    url = feed_server.serve_json("/v2/disasters", data)
    result = await poll(
        settings, SourceSpec("RW disasters", "reliefweb", url, {"disaster_type": "Flood"})
    )
    (report,) = result.reports
    assert report.title == "Mozambique: Tropical Cyclone Jude - Mar 2025"
    assert report.text == "The cyclone made landfall on 10 March."
    assert report.fields["glide"] == "TC-2025-000030-MOZ" and report.fields["country"] == "MOZ"
    conditions = feed_server.requests[0].json()["filter"]["conditions"]
    assert {"field": "type.name", "value": ["Flood"]} in conditions


async def test_gdelt_query_parameters(settings, feed_server):
    url = feed_server.serve(
        "/api/v2/doc/doc", DATA / "gdelt-artlist.json", content_type="application/json"
    )
    spec = SourceSpec("GDELT", "gdelt", url, {"query": "(killed OR displaced) sourcecountry:SY"})
    result = await poll(settings, spec)
    assert result.status == "ok" and len(result.reports) == 2
    q = feed_server.requests[0].query
    assert q["query"] == "(killed OR displaced) sourcecountry:SY"
    assert q["mode"] == "ArtList" and q["format"] == "json"
    missing = await poll(settings, SourceSpec("GDELT", "gdelt", url))
    assert missing.status == "error" and "params.query" in missing.error


async def test_usgs_feed_through_the_registry(settings, feed_server):
    url = feed_server.serve(
        "/significant_day.geojson", DATA / "usgs.geojson", content_type="application/json"
    )
    result = await poll(settings, SourceSpec("USGS", "usgs", url))
    assert [r.fields.get("alert_level") for r in result.reports] == ["red", None, "green"]
    assert result.reports[2].fields["tsunami"] is True


async def test_preview_reads_the_feed_title(settings, feed_server):
    url = feed_server.serve("/world.rss", DATA / "news-world.rss")
    preview = await preview_source(url, "rss", settings)
    assert preview.title == "Example News - World" and len(preview.reports) == 3
    feed_server.serve("/page.html", b"<html><body>Hello</body></html>", content_type="text/html")
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        await preview_source(feed_server.url("/page.html"), "rss", settings)
    with pytest.raises(SourceError, match="unknown kind"):
        await preview_source(url, "telex", settings)


def test_check_source_cli_prints_reports(monkeypatch, capsys):
    monkeypatch.setenv("ALERTBOT_ALLOW_PRIVATE_SOURCES", "true")
    with running_in_thread(FeedServer()) as server:
        url = server.serve("/gdacs.rss", DATA / "gdacs.rss")
        code = check_main([url, "--kind", "gdacs", "--limit", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert "2 report(s) as gdacs" in out
    assert "Orange alert for tropical cyclone KELANI-25" in out
    assert '"alert_level": "orange"' in out and "analysis:" in out
    assert "… and 1 more" in out


def test_check_source_cli_explains_refusals(monkeypatch, capsys):
    monkeypatch.setenv("ALERTBOT_ALLOW_PRIVATE_SOURCES", "false")
    code = check_main(["http://127.0.0.1:9/feed"])
    err = capsys.readouterr().err
    assert code == 1 and "loopback" in err and "Traceback" not in err


async def test_acled_logs_in_pages_and_logs_in_again_when_the_token_is_refused(feed_server):
    from pydantic import SecretStr

    from bot.sources import acled

    acled._tokens.clear()
    settings = Settings(
        allow_private_sources=True,
        acled_email="desk@example.org",
        acled_password=SecretStr("s3cret"),
        _env_file=None,
    )
    rows = json.loads((DATA / "acled-read.json").read_text())["data"]
    state = {"token": "T1", "logins": 0}

    def token(rec: Recorded):
        form = rec.form()
        if form.get("grant_type") != "password" or form.get("password") != "s3cret":
            return route(body=b'{"error":"invalid_grant"}', status=400)
        state["logins"] += 1
        body = {"access_token": state["token"], "expires_in": 3600, "token_type": "Bearer"}
        return route(body=json.dumps(body), content_type="application/json")

    def read(rec: Recorded):
        if rec.headers.get("Authorization") != f"Bearer {state['token']}":
            return route(body=b'{"message":"expired"}', status=401)
        page = int(rec.query["page"])
        data = rows[(page - 1) * 2 : page * 2]
        body = {"status": 200, "success": True, "count": len(data), "data": data}
        return route(body=json.dumps(body), content_type="application/json")

    feed_server.serve("/oauth/token", responder=token)
    url = feed_server.serve("/api/acled/read", responder=read)
    params = {
        "country": ["Syria", "Lebanon"],
        "limit": 2,
        "token_url": feed_server.url("/oauth/token"),
    }
    spec = SourceSpec("ACLED", "acled", url, params)
    result = await poll(settings, spec)
    assert result.status == "ok" and [r.external_id for r in result.reports] == [
        "acled:SYR140001", "acled:SYR140002", "acled:SYR140003"
    ]  # fmt: skip
    reads = [r for r in feed_server.requests if r.path == "/api/acled/read"]
    assert [r.query["page"] for r in reads] == ["1", "2"]
    assert reads[0].query["country"] == "Syria:OR:country=Lebanon"
    assert reads[0].query["event_date_where"] == "BETWEEN"
    assert state["logins"] == 1

    state["token"] = "T2"  # the server revoked T1: one new login, then the read succeeds
    again = await poll(settings, spec)
    assert again.status == "ok" and state["logins"] == 2

    wrong = settings.model_copy(update={"acled_password": SecretStr("nope")})
    acled._tokens.clear()
    refused = await poll(wrong, spec)
    assert refused.status == "error" and "ALERTBOT_ACLED_PASSWORD" in refused.error
    missing = await poll(Settings(allow_private_sources=True, _env_file=None), spec)
    assert "ALERTBOT_ACLED_EMAIL" in missing.error
