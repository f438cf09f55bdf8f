"""`alertbot scan`: one poll cycle without Telegram, printing the alerts it would send.

Sources whose `url` is a local path (relative to the sources file) are served from a loopback
HTTP server for the length of the scan, so the real fetcher, parsers and pipeline run on them
with no network and no token.
"""

import argparse
import asyncio
import functools
import html
import re
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from sqlmodel import select

from bot.config import SettingsError, load_settings
from bot.pipeline import Pipeline
from bot.sources.catalogue import load_catalogue, seed_sources
from bot.sources.errors import CatalogueError
from bot.sources.poller import poll_due
from storage.db import open_database, session_scope
from storage.models import Alert

SEVERITY_NAMES = ("info", "low", "medium", "high", "critical")
_TAG = re.compile(r"<[^>]+>")


def _plain(body_html: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", body_html))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _local_paths(catalogue: dict) -> bool:
    return any("://" not in s.get("url", "") for s in catalogue.get("source", []))


def _rewrite(catalogue_file: Path, base_url: str) -> str:
    """The catalogue with local paths turned into URLs on the loopback server, as TOML."""
    lines = []
    with catalogue_file.open("rb") as fh:
        catalogue = tomllib.load(fh)
    for source in catalogue.get("source", []):
        lines.append("[[source]]")
        for key, value in source.items():
            if key == "url" and "://" not in value:
                value = base_url + quote(value)
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _scan(catalogue_file: Path, settings) -> int:
    engine = open_database("sqlite://")
    with catalogue_file.open("rb") as fh:
        local = _local_paths(tomllib.load(fh))
    server = _serve(catalogue_file.parent) if local else _no_server()
    with server as base_url, tempfile.TemporaryDirectory() as tmp:
        seeded = catalogue_file
        if local:
            seeded = Path(tmp) / "sources.toml"
            seeded.write_text(_rewrite(catalogue_file, base_url), encoding="utf-8")
            settings = settings.model_copy(update={"allow_private_sources": True})
        with session_scope(engine) as session:
            seed_sources(session, load_catalogue(seeded, settings.poll_interval))
        polled = asyncio.run(poll_due(engine, settings))
    report_ids = [*polled.new_report_ids, *polled.revised_report_ids]
    result = Pipeline(engine).process(report_ids)
    with session_scope(engine) as session:
        alerts = session.exec(select(Alert).where(Alert.id.in_(result.alerts))).all()  # type: ignore[union-attr]
        for alert in alerts:
            severity = SEVERITY_NAMES[max(0, min(alert.severity, 4))]
            print(f"=== {alert.kind} alert · severity {severity} · {alert.reason}")
            print(_plain(alert.body_html).strip())
            print()
    for outcome in polled.outcomes:
        if outcome.error:
            print(f"source {outcome.name!r} failed: {outcome.error}", file=sys.stderr)
    print(f"{len(report_ids)} report(s) read, {len(result.alerts)} alert(s) would be sent.")
    return 0


@contextmanager
def _no_server() -> Iterator[str]:
    yield ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="alertbot scan", description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, help="sources file (default: the setting)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"alertbot: {exc}", file=sys.stderr)
        return 2
    catalogue_file = args.sources or settings.sources_file
    if not catalogue_file.is_file():
        print(f"alertbot: sources file {catalogue_file} not found", file=sys.stderr)
        return 2
    try:
        return _scan(catalogue_file, settings)
    except CatalogueError as exc:
        print(f"alertbot: {exc}", file=sys.stderr)
        return 2
