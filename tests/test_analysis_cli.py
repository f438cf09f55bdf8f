"""`alertbot extract`: the command-line contract, run as a real process."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess:
    code = "import sys; from bot.analysis.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, capture_output=True, cwd=ROOT,
        timeout=120, check=False,
    )


def test_plain_text_from_stdin() -> None:
    done = run([], b"Twelve people were killed in Jableh, Syria, on Friday.")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["countries"] == ["SYR"]
    assert out["killed"] == {"value": 12, "qualifier": "exact", "reporter": None}
    assert "id" not in out


def test_jsonl_in_order(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    rows = [
        {"id": "a", "text": "Floods displaced 3,000 people in Borno state, Nigeria."},
        {"id": 7, "title": "Quake", "text": "No casualties were reported.",
         "published": "2025-03-08T10:00:00Z", "source": "TUR"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    done = run(["--jsonl", str(path)])
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [line["id"] for line in lines] == ["a", 7]
    assert lines[0]["displaced"] == {"value": 3000, "qualifier": "exact", "reporter": None}
    assert lines[1]["killed"] is None


def test_file_argument(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Au moins 15 personnes ont été tuées à Goma.", encoding="utf-8")
    done = run([str(path)])
    assert done.returncode == 0
    assert json.loads(done.stdout)["lang"] == "fr"


def test_bad_input_gets_a_message_not_a_traceback(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café détruit".encode("latin-1"))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1, "text": "ok"}\n{not json\n', encoding="utf-8")
    no_text = tmp_path / "no_text.jsonl"
    no_text.write_text('{"id": 1}\n', encoding="utf-8")
    cases = [
        ([str(latin1)], b"", "not UTF-8"),
        ([], b"   \n", "empty"),
        (["--jsonl", str(broken)], b"", "line 2: not valid JSON"),
        (["--jsonl", str(no_text)], b"", "'text' is missing"),
        ([str(tmp_path / "absent.txt")], b"", "cannot read"),
    ]
    for args, stdin, message in cases:
        done = run(args, stdin)
        err = done.stderr.decode()
        assert done.returncode == 2, (args, err)
        assert message in err
        assert "Traceback" not in err
        assert done.stdout == b""


def test_an_outlet_name_that_looks_like_a_country_code_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    row = {"id": "voa", "source": "VOA",
           "text": "At least 40 people were killed in an attack on a market in Borno, Nigeria."}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    done = run(["--jsonl", str(path)])
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["countries"][0] == "NGA"
    assert out["killed"] == {"value": 40, "qualifier": "at_least", "reporter": None}
