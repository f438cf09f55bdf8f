"""The fast RSS 2.0 path gives exactly the reports feedparser's path gives."""

import os
from pathlib import Path

import pytest

from bot.sources import fastrss, rss

DATA = Path(__file__).parent / "data" / "sources"
REAL = Path(os.environ.get("ALERTBOT_REAL_FEEDS", "/work/shared/feeds"))
PAYLOADS = sorted(p for p in DATA.iterdir() if p.suffix in (".rss", ".rdf", ".atom", ".xml"))
if REAL.is_dir():
    PAYLOADS += sorted(REAL.glob("*.xml"))


FAST = [p for p in PAYLOADS if fastrss.read(rss.repair(p.read_bytes())) is not None]


def reports(body: bytes, fast_path: bool):
    feed = rss.parse_feed(body, fast_path=fast_path)
    return feed.title, [rss.entry_report(e, "S") for e in feed.entries]


@pytest.mark.parametrize("payload", FAST, ids=lambda p: p.name)
def test_both_paths_agree(payload: Path) -> None:
    body = rss.repair(payload.read_bytes())
    assert reports(body, True) == reports(body, False)


def test_fast_path_takes_plain_news_feeds_and_leaves_the_rest():
    taken = {p.name for p in FAST}
    assert "news-world.rss" in taken and "html-descriptions.rss" in taken
    for odd in ("gdacs.rss", "ercc-nodate.rss", "rss1.rdf", "atom-xhtml.atom", "gb2312.rss",
                "latin1-nodecl.rss"):  # fmt: skip
        assert odd not in taken


def test_guid_permalink_stands_for_a_missing_link():
    body = b'<rss version="2.0"><channel><title>T</title><item><title>A</title>' \
           b"<guid>https://x.example/a</guid></item><item><title>B</title>" \
           b'<guid isPermaLink="false">b-1</guid></item></channel></rss>'  # fmt: skip
    fast, slow = reports(body, True), reports(body, False)
    assert fast == slow
    assert [r.url for r in fast[1]] == ["https://x.example/a", None]
