"""`alertbot cluster --jsonl FILE`: how reports group into incidents and which ones alert.

Reads one JSON object per line (`id`, `text`, optional `title`, `published`, `source`, `url`)
in the order given, as if they arrived in that order; runs each through analysis and the
incident stage on a throwaway in-memory database; prints one JSON object per report:
`id`, `incident` (shared by the reports put together), `alert` (new | escalation | update |
duplicate), `severity` (0..4) and `reason`. Bad input is reported on stderr with its line
number before anything runs, and the exit status is 2.
"""

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.cli_input import InputError, json_objects, parse_time, read_text
from bot.incidents.engine import IncidentEngine
from storage.db import open_database, session_scope
from storage.models import Report

COMMIT_EVERY = 500


@dataclass(slots=True)
class Item:
    id: Any
    text: str
    title: str
    published: datetime | None
    source: str
    url: str | None


def _optional_str(obj: dict, key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be a string")
    return value


def parse_item(obj: dict, where: str) -> Item:
    if "id" not in obj:
        raise InputError(f"{where}: missing 'id'")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: 'text' must be a non-empty string")
    return Item(
        id=obj["id"],
        text=text,
        title=_optional_str(obj, "title", where) or "",
        published=parse_time(obj.get("published"), where),
        source=_optional_str(obj, "source", where) or "",
        url=_optional_str(obj, "url", where),
    )


def read_items(path: Path) -> list[Item]:
    items = [parse_item(obj, where) for where, obj in json_objects(read_text(path))]
    if not items:
        raise InputError(f"{path}: no reports in it")
    return items


def run(items: list[Item], out: Any) -> None:
    from bot.analysis import analyse  # loads the gazetteer: only when there is work

    engine = open_database("sqlite://")
    incidents = IncidentEngine()
    for start in range(0, len(items), COMMIT_EVERY):
        with session_scope(engine) as session:
            for item in items[start : start + COMMIT_EVERY]:
                report = Report(
                    external_id=str(item.id)[:500],
                    url=item.url,
                    title=item.title,
                    text=item.text,
                    source_name=item.source[:200],
                    published_at=item.published,
                )
                facts = analyse(item.text, title=item.title, published=item.published)
                report.facts = facts.to_storage()
                outcome = incidents.ingest(session, report, facts)
                record = {
                    "id": item.id,
                    "incident": report.incident_id,
                    "alert": outcome.decision,
                    "severity": outcome.severity,
                    "reason": outcome.reason,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="alertbot cluster", description="Group reports into incidents and decide alerts."
    )
    parser.add_argument("--jsonl", required=True, type=Path, help="one report object per line")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return int(exc.code or 0)
    try:
        items = read_items(args.jsonl)
    except InputError as exc:
        print(f"alertbot cluster: {exc}", file=sys.stderr)
        return 2
    run(items, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
