"""The sources file, seeding the Source table, OPML import/export, admin source management."""

from pathlib import Path

import pytest
from sqlmodel import select

from bot.sources import manage
from bot.sources.catalogue import (
    export_opml,
    import_opml,
    load_catalogue,
    parse_catalogue,
    seed_from_file,
    seed_sources,
)
from bot.sources.errors import CatalogueError, SourceError
from storage.db import open_database, session_scope
from storage.models import Source

ROOT = Path(__file__).parents[1]


@pytest.fixture
def engine(tmp_path):
    return open_database(f"sqlite:///{tmp_path / 'cat.db'}")


def names(engine) -> dict[str, Source]:
    with session_scope(engine) as s:
        return {x.name: x for x in s.exec(select(Source)).all()}


def test_default_catalogue_is_valid_and_polite():
    entries = load_catalogue(ROOT / "sources.toml")
    assert len(entries) >= 15
    kinds = {e.kind for e in entries}
    assert {"rss", "gdacs", "usgs", "reliefweb"} <= kinds
    assert all(e.interval >= 300 for e in entries), "public services: no hammering"
    assert all(e.url.startswith("https://") for e in entries)


def test_short_intervals_are_honoured():
    (entry,) = parse_catalogue(
        '[[source]]\nname = "Demo"\nurl = "http://127.0.0.1:8/f"\ninterval = 2\n'
    )
    assert entry.interval == 2 and entry.kind == "rss"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[source]]\nname = "A"\nurl = "https://a.example/f"\ninterval = "often"\n',
         "source #1 ('A'): field 'interval' must be a whole number of seconds"),
        ('[[source]]\nname = "A"\nurl = "https://a.example/f"\ninterval = 0\n',
         "source #1 ('A'): field 'interval'"),
        ('[[source]]\nname = "A"\nkind = "rss"\nurl = "https://a.example/f"\n'
         '[[source]]\nname = "B"\nkind = "telex"\nurl = "https://b.example/f"\n',
         "source #2 ('B'): field 'kind' must be one of rss, gdacs"),
        ('[[source]]\nname = "A"\nurl = "ftp://a.example/f"\n', "field 'url' must be an http"),
        ('[[source]]\nurl = "https://a.example/f"\n', "source #1: field 'name'"),
        ('[[source]]\nname = "A"\nurl = "https://a.example/f"\nintervall = 5\n',
         "unknown field 'intervall'"),
        ('[[source]]\nname = "A"\nurl = "https://a.example/f"\n'
         '[[source]]\nname = "a"\nurl = "https://b.example/f"\n', "used twice"),
        ('[[source]\nname = "A"\n', "not valid TOML"),
        ('source = "x"\n', "[[source]] tables"),
    ],
)  # fmt: skip
def test_malformed_file_gives_one_line_naming_entry_and_field(toml, message):
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(toml, "sources.toml")
    assert message in str(err.value)
    assert str(err.value).startswith("sources.toml") and "\n" not in str(err.value)


def test_missing_file_names_the_setting(tmp_path):
    with pytest.raises(CatalogueError, match="ALERTBOT_SOURCES_FILE"):
        load_catalogue(tmp_path / "nope.toml")


def test_seeding_adds_updates_and_never_deletes(engine, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        '[[source]]\nname = "A"\nurl = "https://a.example/f"\ninterval = 60\n'
        '[[source]]\nname = "B"\nkind = "gdacs"\nurl = "https://b.example/f"\n'
    )
    first = seed_from_file(engine, path)
    assert first.added == ["A", "B"]
    manage.add_source(engine, "https://c.example/feed", "rss", 600, "Operator's own")
    manage.set_enabled(engine, "A", False)
    with session_scope(engine) as s:
        a = s.exec(select(Source).where(Source.name == "A")).one()
        a.etag = '"old"'
    path.write_text(
        '[[source]]\nname = "A"\nurl = "https://a.example/moved"\ninterval = 120\n'
        '[[source]]\nname = "B"\nkind = "gdacs"\nurl = "https://b.example/f"\n'
    )
    second = seed_from_file(engine, path)
    assert second.updated == ["A"] and second.unchanged == 1 and second.added == []
    rows = names(engine)
    assert set(rows) == {"A", "B", "Operator's own"}
    assert rows["A"].url.endswith("/moved") and rows["A"].interval == 120
    assert rows["A"].etag is None, "validators of the old URL are dropped"
    assert rows["A"].enabled is False, "an admin's pause survives a restart"


def test_opml_round_trip_keeps_feed_sources_only(engine):
    with session_scope(engine) as s:
        seed_sources(s, parse_catalogue(
            '[[source]]\nname = "News & more"\nurl = "https://n.example/rss?a=1&b=2"\n'
            "interval = 600\n"
            '[[source]]\nname = "Quakes"\nkind = "usgs"\nurl = "https://q.example/x.geojson"\n'
            '[[source]]\nname = "GDACS"\nkind = "gdacs"\nurl = "https://g.example/rss.xml"\n'
        ))  # fmt: skip
    data = manage.opml_export(engine)
    assert data.startswith(b"<?xml") and b"<opml" in data
    entries = import_opml(data)
    assert [(e.name, e.kind, e.url, e.interval) for e in entries] == [
        ("GDACS", "gdacs", "https://g.example/rss.xml", 900),
        ("News & more", "rss", "https://n.example/rss?a=1&b=2", 600),
    ]


def test_opml_import_from_a_reader_export(engine):
    opml = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="World" title="World">
    <outline type="rss" text="UN News Africa"
      xmlUrl="https://news.un.org/feed/subscribe/en/news/region/africa/feed/rss.xml"/>
    <outline type="rss" text="Local radio" xmlUrl="http://radio.example/feed"/>
  </outline>
  <outline text="no feed here"/>
</body></opml>"""
    result = manage.opml_import(engine, opml)
    assert result.added == ["UN News Africa", "Local radio"]
    assert names(engine)["Local radio"].interval == 900


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml at all <", "not well-formed"),
        (b"<rss/>", "not <opml>"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>', "DOCTYPE"),
        (b"<opml><body><outline text='x'/></body></opml>", "no feeds"),
        (b"<opml><body><outline text='x' xmlUrl='javascript:alert(1)'/></body></opml>", "http"),
    ],
)
def test_bad_opml_gives_a_clear_error(engine, data, message):
    with pytest.raises(SourceError, match=message):
        manage.opml_import(engine, data)


def test_pause_resume_remove_by_name_or_id(engine):
    added = manage.add_source(engine, "https://a.example/f", "rss", 600, "Alpha")
    assert manage.set_enabled(engine, "alpha", False).enabled is False
    assert manage.set_enabled(engine, f"#{added.id}", True).enabled is True
    with pytest.raises(SourceError, match="already a source"):
        manage.add_source(engine, "https://a.example/f", "rss", 600)
    second = manage.add_source(engine, "https://a.example/g", "rss", 600, "Alpha")
    assert second.name == "Alpha (2)"
    assert manage.remove_source(engine, str(added.id)) == "Alpha"
    with pytest.raises(SourceError, match="no source named"):
        manage.remove_source(engine, "Beta")
    assert [h.name for h in manage.list_health(engine)] == ["Alpha (2)"]


@pytest.mark.parametrize(
    ("text", "seconds"), [(None, 900), ("900", 900), ("15m", 900), ("2h", 7200)]
)
def test_interval_forms(text, seconds):
    assert manage.parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["5", "often", "-1m", "30d"])
def test_bad_intervals_are_explained(text):
    with pytest.raises(SourceError):
        manage.parse_interval(text)


def test_export_escapes_names():
    from bot.sources.catalogue import CatalogueEntry

    data = export_opml([CatalogueEntry('A "quoted" <name>', "rss", "https://x.example/?a=1&b=2")])
    assert import_opml(data)[0].name == 'A "quoted" <name>'
