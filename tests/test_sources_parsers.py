"""Every payload in tests/data/sources/ parsed by its kind, against its .expected.json.

Adding a case is adding two files: the payload and `<payload>.expected.json` (kind, count,
and the first reports' values; fields listed there must match, others may be present).
"""

import json
from pathlib import Path

import pytest

from bot.sources.errors import ParseError
from bot.sources.registry import KINDS

DATA = Path(__file__).parent / "data" / "sources"
CASES = sorted(p for p in DATA.iterdir() if p.name.endswith(".expected.json"))


@pytest.mark.parametrize(
    "expected_file", CASES, ids=lambda p: p.name.removesuffix(".expected.json")
)
def test_payload_parses_as_expected(expected_file: Path) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    payload = expected_file.with_name(expected_file.name.removesuffix(".expected.json"))
    reports = KINDS[expected["kind"]].parse(payload.read_bytes(), "Test source", None)
    assert len(reports) == expected["count"]
    for want, got in zip(expected["reports"], reports, strict=False):
        if "external_id" in want:
            assert got.external_id == want["external_id"]
        assert got.title == want["title"]
        assert got.url == want["url"]
        assert (got.published.isoformat() if got.published else None) == want["published"]
        assert got.text.startswith(want["text_starts"])
        assert "<" not in got.text or "<" in want["text_starts"]  # no HTML tags left
        assert got.source_name == "Test source"
        for key, value in want["fields"].items():
            assert got.fields.get(key) == value, key
    ids = [r.external_id for r in reports]
    assert len(set(ids)) == len(ids), "external ids must be unique within a payload"
    again = KINDS[expected["kind"]].parse(payload.read_bytes(), "Test source", None)
    assert [r.external_id for r in again] == ids, "external ids must be stable"


def test_every_payload_has_an_expectation() -> None:
    payloads = {p.name for p in DATA.iterdir() if not p.name.endswith((".expected.json", ".md"))}
    assert payloads == {p.name.removesuffix(".expected.json") for p in CASES}


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("rss", b"<html><body>not a feed</body></html>"),
        ("rss", b"\x00\x01binary"),
        ("usgs", b"{not json"),
        ("usgs", b'{"type": "Feature"}'),
        ("reliefweb", b'{"error": "x"}'),
        ("acled", b'{"success": false, "error": ["Access denied"]}'),
        ("gdelt", b"Your query was too short or too long."),
    ],
)
def test_bad_payloads_give_a_clear_error(kind: str, body: bytes) -> None:
    with pytest.raises(ParseError) as err:
        KINDS[kind].parse(body, "Test source", None)
    assert str(err.value) and "\n" not in str(err.value)


def test_items_without_guid_get_distinct_ids_from_link_and_title() -> None:
    body = (DATA / "latin1.rss").read_bytes()
    reports = KINDS["rss"].parse(body, "JN", None)
    assert all(r.external_id.startswith("h:") for r in reports)
    retitled = body.replace("Cheias".encode("latin-1"), b"Chuvas")
    changed = KINDS["rss"].parse(retitled, "JN", None)
    assert changed[0].external_id == reports[0].external_id
    assert changed[1].external_id != reports[1].external_id
