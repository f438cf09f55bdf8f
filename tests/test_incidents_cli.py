"""`alertbot cluster --jsonl FILE`: the stable command-line contract and its error messages."""

import json

import pytest

from bot.incidents.cli import main


def _write(tmp_path, lines: list[str] | bytes):
    path = tmp_path / "reports.jsonl"
    if isinstance(lines, bytes):
        path.write_bytes(lines)
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (['{"id": 1, "text": "ok"}', "{not json"], "line 2: not valid JSON"),
        (['{"text": "no id"}'], "line 1: missing 'id'"),
        (['{"id": 1, "text": ""}'], "line 1: 'text' must be a non-empty string"),
        (["[1, 2]"], "line 1: expected a JSON object"),
        (['{"id": 1, "text": "x", "published": "last Tuesday"}'], "'published' is not an ISO"),
        (b'{"id": 1, "text": "caf\xe9"}\n', "not UTF-8"),
        ([], "no reports in it"),
    ],
)
def test_bad_input_is_a_clear_message_and_status_2(tmp_path, capsys, content, message):
    assert main(["--jsonl", str(_write(tmp_path, content))]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_missing_file_and_missing_option(tmp_path, capsys):
    assert main(["--jsonl", str(tmp_path / "absent.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main([]) == 2
    assert "--jsonl" in capsys.readouterr().err


def test_reports_are_grouped_and_decided_in_arrival_order(tmp_path, capsys):
    pytest.importorskip("bot.analysis", reason="analysis stage not present")
    from bot import analysis

    if not hasattr(analysis, "analyse"):
        pytest.skip("bot.analysis.analyse is not available yet")
    lead = (
        "Clashes in the Syrian coastal city of Jableh killed {n} people on {day}, "
        "the Syrian Observatory for Human Rights said."
    )
    rows = [
        {
            "id": "a",
            "title": "Clashes in Jableh kill 200",
            "text": lead.format(n=200, day="Friday"),
            "published": "2025-03-07T10:00:00Z",
            "source": "Wire One",
            "url": "https://wire-one.example/1",
        },
        {
            "id": "b",
            "title": "Syria: clashes in Jableh",
            "text": lead.format(n=200, day="Friday"),
            "published": "2025-03-07T12:00:00Z",
            "source": "Local Paper",
            "url": "https://paper.example/2",
        },
        {
            "id": "c",
            "title": "Jableh toll climbs to 745",
            "text": lead.format(n=745, day="Saturday"),
            "published": "2025-03-08T10:00:00Z",
            "source": "Gulf Daily",
            "url": "https://gulf-daily.example/3",
        },
    ]
    path = _write(tmp_path, [json.dumps(r) for r in rows])
    assert main(["--jsonl", str(path)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert [o["alert"] for o in out] == ["new", "duplicate", "escalation"]
    assert len({o["incident"] for o in out}) == 1
    assert all(set(o) == {"id", "incident", "alert", "severity", "reason"} for o in out)
