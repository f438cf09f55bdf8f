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
from typing import Any

from bot.analysis.pipeline import analyse
from bot.cli_input import InputError, json_objects, parse_time, read_text

EXIT_BAD_INPUT = 2


def _source_country(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper():
        return value
    return None


def _jsonl(text: str) -> list[dict[str, Any]]:
    out = []
    for where, item in json_objects(text):
        if not isinstance(item.get("text"), str):
            raise InputError(f"{where}: 'text' is missing or not a string")
        if item.get("title") is not None and not isinstance(item["title"], str):
            raise InputError(f"{where}: 'title' is not a string")
        item["_published"] = parse_time(item.get("published"), where)
        out.append(item)
    if not out:
        raise InputError("input has no JSON objects")
    return out


def _plain(path: str | None) -> str:
    text = read_text(path, sys.stdin.buffer)
    if not text.strip():
        raise InputError("input is empty")
    return text


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
            items = _jsonl(_plain(args.jsonl))
            for item in items:
                facts = analyse(
                    item["text"],
                    title=item.get("title"),
                    source_country=_source_country(item.get("source")),
                    published=item["_published"],
                )
                stdout.write(json.dumps(facts.to_dict(item.get("id")), ensure_ascii=False) + "\n")
        else:
            facts = analyse(_plain(args.file))
            stdout.write(json.dumps(facts.to_dict(), ensure_ascii=False) + "\n")
    except InputError as exc:
        print(f"alertbot extract: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
