"""`alertbot extract`: the analysis as a stable command-line contract.

    alertbot extract [FILE]         one report's plain text (stdin without FILE) -> one JSON object
    alertbot extract --jsonl FILE   objects with id, text, optional title/published/source
                                    -> one JSON object per line, in input order

`source` may carry an ISO3 country code, used to resolve ambiguous place names. Bad input (not
UTF-8, not JSON, empty, missing `text`) gets one clear line on stderr and exit status 2.
"""

import argparse
import json
import sys
from datetime import datetime
from typing import Any, BinaryIO

from bot.analysis.pipeline import analyse

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """Input the command cannot read; the message is shown to the user as is."""


def _read(path: str | None, stdin: BinaryIO) -> str:
    try:
        if path is None or path == "-":
            raw = stdin.read()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"input is not UTF-8 (byte {exc.start} cannot be decoded)") from None
    if not text.strip():
        raise InputError("input is empty")
    return text


def _published(value: Any, line: int) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"line {line}: 'published' is not an ISO 8601 date") from None


def _source_country(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper():
        return value
    return None


def _jsonl(text: str) -> list[dict[str, Any]]:
    out = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {line_no}: not valid JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise InputError(f"line {line_no}: expected a JSON object")
        if not isinstance(item.get("text"), str):
            raise InputError(f"line {line_no}: 'text' is missing or not a string")
        if item.get("title") is not None and not isinstance(item["title"], str):
            raise InputError(f"line {line_no}: 'title' is not a string")
        item["_published"] = _published(item.get("published"), line_no)
        out.append(item)
    if not out:
        raise InputError("input has no JSON objects")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the extract command; returns the exit status (0, or 2 on bad input)."""
    parser = argparse.ArgumentParser(
        prog="alertbot extract",
        description="Read casualty figures, places, topics and escalation cues from reports.",
    )
    parser.add_argument("file", nargs="?", help="plain-text report (default: stdin)")
    parser.add_argument("--jsonl", metavar="FILE", help="JSON Lines file of reports")
    args = parser.parse_args(argv)
    stdout = sys.stdout
    try:
        if args.jsonl:
            if args.file:
                raise InputError("give either FILE or --jsonl FILE, not both")
            items = _jsonl(_read(args.jsonl, sys.stdin.buffer))
            for item in items:
                facts = analyse(
                    item["text"],
                    title=item.get("title"),
                    source_country=_source_country(item.get("source")),
                    published=item["_published"],
                )
                stdout.write(json.dumps(facts.to_dict(item.get("id")), ensure_ascii=False) + "\n")
        else:
            facts = analyse(_read(args.file, sys.stdin.buffer))
            stdout.write(json.dumps(facts.to_dict(), ensure_ascii=False) + "\n")
    except InputError as exc:
        print(f"alertbot extract: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
