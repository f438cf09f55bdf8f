# ruff: noqa: E501  (a table of expected values, one recorded item per line)
"""The parsers against real recorded payloads (../shared/feeds, not part of the project).

The expected values are those the folder's README says a correct parser must read. The
payloads are not copied here; the test skips, saying why, when the folder is absent.
"""

import os
from datetime import datetime
from pathlib import Path

import pytest

from bot.sources.errors import ParseError
from bot.sources.registry import KINDS

FEEDS = Path(os.environ.get("ALERTBOT_REAL_FEEDS", Path(__file__).parents[2] / "shared" / "feeds"))
if not FEEDS.is_dir():
    FEEDS = Path("/work/shared/feeds")
pytestmark = pytest.mark.skipif(
    not FEEDS.is_dir(),
    reason=f"real recorded feeds not found at {FEEDS} (set ALERTBOT_REAL_FEEDS to their folder)",
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# file, kind, item count, {item index: expected values}
CASES = [
    ("gdacs.xml", "gdacs", 4, {
        0: {"id": "TC1000643", "published": "2019-12-29T12:00:00Z", "alert_level": "green",
            "event_type": "TC", "country": "MUS", "lat": -19.4, "lon": 59.8,
            "severity": "Tropical Storm (maximum wind speed of 93 km/h)", "population": 0,
            "url": "http://www.gdacs.org/report.aspx?eventtype=TC&eventid=1000643",
            "title": "Green alert for tropical cyclone CALVINIA-19. Population affected by "
                     "Category 1 (120 km/h) wind speeds or higher is 0."},
        1: {"id": "EQ1199929", "published": "2019-12-28T15:36:35Z", "alert_level": "green",
            "event_type": "EQ", "country": "ZAF", "magnitude": 5.5, "lat": -44.5653, "lon": 37.087},
    }),
    ("gdacs-archive-orange.xml", "gdacs", 100, {
        0: {"id": "FL4339", "title": "Orange flood alert in Pakistan", "alert_level": "orange",
            "published": "2016-03-25T23:59:59Z", "event_type": "FL", "fatalities": 121,
            "displaced": 2400, "country_name": "Pakistan", "lat": 33.054, "lon": 71.779},
        1: {"id": "EQ1082314", "published": "2016-03-12T04:00:27Z", "alert_level": "orange",
            "magnitude": 5.6, "population": 1406316, "country_name": "Luzon, Philippines"},
    }),
    ("odd-gdacs-mangled-bom.xml", "gdacs", 2, {
        0: {"id": "EQ1457082", "published": "2024-12-10T18:09:57Z", "alert_level": "green",
            "magnitude": 5.8, "population": 204, "country": "USA"},
        1: {"id": "EQ1456937", "published": "2024-12-09T23:11:39Z", "population": 372},
    }),
    ("usgs.geojson", "usgs", 18, {
        0: {"id": "us6000len8", "title": "M 6.3 - western Afghanistan",
            "published": "2023-10-11T00:41:56.160Z", "magnitude": 6.3, "alert_level": "red",
            "location": "western Afghanistan", "tsunami": False, "lon": 62.0449, "lat": 34.5565,
            "url": "https://earthquake.usgs.gov/earthquakes/eventpage/us6000len8"},
        1: {"id": "us6000lec2", "published": "2023-10-09T18:23:09.360Z", "magnitude": 5.0,
            "alert_level": None, "location": "Poland-Slovakia border region"},
    }),
    ("reliefweb-reports.json", "reliefweb", 150, {
        0: {"id": "rw:4232495", "published": "2026-10-04T09:21:03Z", "country": "BGD",
            "title": "Bangladesh: ICCG Meeting Notes - 23 September 2026 [Meeting Minutes]",
            "url": "https://reliefweb.int/node/4232495"},
        1: {"id": "rw:4232491", "published": "2026-10-04T07:36:30Z", "country": "SYR",
            "country_name": "Syria", "url": "https://reliefweb.int/node/4232491"},
    }),
    ("reliefweb-reports-full.json", "reliefweb", 2, {
        0: {"id": "rw:8", "title": "Afghanistan: District Population Per Health Facility",
            "published": "2002-11-15T05:00:00Z", "country": "AFG", "url": "http://reliefweb.int/node/8",
            "text": "Source: National Health Resources Assessment, September 2002 MoPH and USAID/AHSEP"},
        1: {"id": "rw:9", "published": "2003-05-19T04:00:00Z", "country": "KEN",
            "publishers": ["OCHA"], "glide": "FL-2003-0204-KEN", "event_type": "Flood",
            "text": "Prepared by UNDP Disaster MGT Unit & OCHA RSO-CEA - May 2003"},
    }),
    ("news-bbc-world.xml", "rss", 28, {
        0: {"id": "https://www.bbc.com/news/articles/cp8621gnknjo#0",
            "url": "https://www.bbc.com/news/articles/cp8621gnknjo",
            "title": "Israel says it struck Tehran's Evin prison and Fordo access routes",
            "published": "2025-06-23T16:29:51Z"},
        1: {"id": "https://www.bbc.com/news/articles/cp8m3861637o#0", "published": "2025-06-23T13:01:31Z"},
    }),
    ("news-un-europe.xml", "rss", 30, {
        0: {"id": "https://news.un.org/feed/view/en/story/2022/04/1115242",
            "title": "First Person: ‘I fear I will never see my husband again’",
            "published": "2022-04-01T04:01:55Z"},
        1: {"title": "Ukraine: Second UN convoy reaches Sumy, Mariupol access thwarted",
            "published": "2022-03-31T20:46:28Z"},
        4: {"text": "At least 1,100 civilians have been killed in a month of fighting in Ukraine"},
    }),
    ("news-aljazeera.xml", "rss", 25, {
        0: {"id": "https://www.aljazeera.com/?t=1789019882", "published": "2026-09-10T07:57:23Z",
            "title": "‘Gone in a blink’: Nepal floods sweep away Indian workers who built hotels"},
        1: {"id": "https://www.aljazeera.com/?t=1789019489", "published": "2026-09-10T07:52:33Z"},
    }),
    ("news-aktuality-sk.xml", "rss", 30, {
        0: {"url": "https://www.aktuality.sk/clanok/856577/analytici-goldman-sachs-zvysili-odhad-rastu-ekonomiky-usa/",
            "title": "Analytici Goldman Sachs zvýšili odhad rastu ekonomiky USA",
            "published": "2021-01-17T18:27:00Z"},
        1: {"published": "2021-01-17T18:25:00Z"},
    }),
    ("odd-html-descriptions.xml", "rss", 55, {
        0: {"title": "Trump State of the Union address promised unity but emphasized discord",
            "published": "2018-01-31T07:26:05Z",
            "text": "The president’s ‘new American moment’ speech stirred Republican applause"},
        1: {"published": "2018-01-31T15:46:36Z"},
    }),
    ("odd-latin1.xml", "rss", 40, {
        0: {"title": "Mãe de utente é a nova presidente da Raríssimas", "published": "2018-01-03T13:47:00Z",
            "url": "http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html"},
        1: {"title": "Reações dos partidos ao veto de Marcelo", "published": "2018-01-03T13:48:00Z"},
    }),
    ("odd-nodecl-localdates.xml", "rss", 15, {
        0: {"title": "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
            "published": "2018-09-24T22:42:40Z"},
        1: {"title": "Promotoria abre inquérito para apurar suspeita de improbidade de Skaf no Sebrae-SP",
            "published": "2018-09-24T22:38:00Z"},
    }),
    ("odd-gb2312.xml", "rss", 20, {
        0: {"title": "建国35周年纪念，华表，和平鸽", "published": None,
            "url": "http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164257&Page=1",
            "published_raw": "2020/1/10 14:33:00"},
        1: {"title": "出南京泰山5盒，原盒看图", "published": None},
    }),
    ("odd-bom.xml", "rss", 10, {
        0: {"title": "Skipping Around", "published": "2019-05-24T07:00:00Z",
            "url": "https://donthitsave.com/comic/2019/05/24/skipping-around"},
        1: {"title": "Budgets", "published": "2019-05-17T07:00:00Z"},
    }),
    ("odd-rss1-rdf.xml", "rss", 30, {
        0: {"id": "http://biorxiv.org/cgi/content/short/743294v1?rss=1", "published": "2019-08-27T00:00:00Z"},
        1: {"id": "http://biorxiv.org/cgi/content/short/746628v1?rss=1", "published": "2019-08-24T00:00:00Z",
            "title": "Natural variation in the Arabidopsis AGO2 gene is associated with susceptibility to potato virus X"},
    }),
    ("odd-atom-xhtml.xml", "rss", 43, {
        0: {"id": "tag:typepad.com,2003:post-6a017d3e79c482970c01bb098db7b9970d",
            "title": "Advances and Testing in Vestibular Pathology", "published": "2017-04-07T01:50:50Z"},
        1: {"title": "Advanced Cochlear Implantation", "published": "2017-03-21T05:28:51Z"},
    }),
    ("odd-nodate-ercc.xml", "rss", 10, {
        0: {"id": "ERCC_Map_5804", "title": "ECHO Daily Map of 02 October 2026",
            "text": "rescEU Capacities – October 2026", "published": "2026-10-02T17:02:24Z"},
        1: {"id": "ERCC_Map_5801", "published": "2026-10-01T15:47:43Z", "countries": ["MDA", "UKR"],
            "text": "Ukraine, Moldova | DG ECHO-funded humanitarian assistance update"},
    }),
]  # fmt: skip

REPORT_ATTRS = {"id": "external_id", "title": "title", "url": "url", "text": "text"}


@pytest.mark.parametrize(("name", "kind", "count", "items"), CASES, ids=[c[0] for c in CASES])
def test_real_payload(name: str, kind: str, count: int, items: dict) -> None:
    reports = KINDS[kind].parse((FEEDS / name).read_bytes(), "Real", None)
    assert len(reports) == count
    assert len({r.external_id for r in reports}) == count
    for index, want in items.items():
        got = reports[index]
        for key, value in want.items():
            if key == "published":
                assert got.published == (utc(value) if value else None), key
            elif key == "text":
                # line breaks of the HTML body become newlines: compare words in order
                assert " ".join(got.text.split()).startswith(value), got.text[:200]
                assert "<" not in got.text
            elif key in REPORT_ATTRS:
                assert getattr(got, REPORT_ATTRS[key]) == value, key
            else:
                assert got.fields.get(key) == value, key


def test_no_published_time_is_ever_in_the_future_or_made_up() -> None:
    for name, kind, *_ in CASES:
        for r in KINDS[kind].parse((FEEDS / name).read_bytes(), "Real", None):
            assert r.published is None or r.published.year < 2027, (name, r.title)
            assert r.published is None or r.published.utcoffset().total_seconds() == 0


def test_unrepaired_double_bom_would_be_malformed() -> None:
    """The repair matters: without it the payload is not a feed at all."""
    import feedparser

    raw = (FEEDS / "odd-gdacs-mangled-bom.xml").read_bytes()
    assert raw.startswith(b"\xc3\xaf\xc2\xbb\xc2\xbf")
    assert feedparser.parse(raw).bozo
    with pytest.raises(ParseError):
        KINDS["rss"].parse(b"\xc3\xaf\xc2\xbb\xc2\xbf<rss", "Real", None)
