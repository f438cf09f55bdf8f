"""Try a source before adding it: fetch once, show the reports it would produce.

    alertbot check-source URL [--kind rss|gdacs|usgs|reliefweb|acled|gdelt] [--limit N]

prints each report (title, time, url, structured fields) and what analysis reads from it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings, SettingsError, load_settings
from bot.sources import rss
from bot.sources.base import ParsedReport
from bot.sources.errors import SourceError
from bot.sources.fetcher import Fetcher, FetchRequest
from bot.sources.registry import FEED_KINDS, get_kind
from bot.sources.spec import SourceSpec


@dataclass(slots=True)
class Preview:
    """What one fetch of a candidate source gave."""

    url: str
    kind: str
    title: str | None = None  # the feed's own title, a good default name
    reports: list[ParsedReport] = field(default_factory=list)


async def preview_source(url: str, kind: str, settings: Settings) -> Preview:
    """Fetch and parse `url` once; SourceError (one clear line) when that fails."""
    source_kind = get_kind(kind)
    async with Fetcher(settings) as fetcher:
        if kind not in FEED_KINDS:
            spec = SourceSpec(name="check", kind=kind, url=url)
            poll = await source_kind.fetch(spec, fetcher, settings)
            if poll.status == "error":
                raise SourceError(poll.error or "fetch failed")
            return Preview(url, kind, None, poll.reports)
        result = await fetcher.fetch(FetchRequest(url))
    if result.status == "error":
        raise SourceError(result.error or "fetch failed")
    reports = await asyncio.to_thread(source_kind.parse, result.body, "check", result.content_type)
    feed = await asyncio.to_thread(rss.parse_feed, result.body, result.content_type)
    title = rss.clean_text(feed.title) or None
    return Preview(url, kind, title, reports)


async def check_source(
    url: str, kind: str = "rss", settings: Settings | None = None
) -> list[ParsedReport]:
    """The reports `url` would produce now (SourceError when it cannot be read)."""
    return (await preview_source(url, kind, settings or load_settings())).reports


def analyse_report(report: ParsedReport) -> dict[str, Any] | str:
    """What analysis reads from a report, or why it could not run."""
    try:
        from bot.analysis import analyse  # built alongside; imported late on purpose
    except ImportError as exc:
        return f"analysis unavailable ({exc})"
    try:
        return analyse(report.text, title=report.title).to_dict()
    except Exception as exc:  # show the problem, keep printing the other reports
        return f"analysis failed: {type(exc).__name__}: {exc}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def render(report: ParsedReport, index: int) -> str:
    when = report.published.isoformat() if report.published else "unknown"
    lines = [
        f"[{index}] {report.title or '(no title)'}",
        f"    id: {report.external_id}",
        f"    published: {when}",
        f"    url: {report.url or '-'}",
    ]
    if report.fields:
        lines.append(f"    fields: {_json(report.fields)}")
    text = report.text.replace("\n", " ")
    lines.append(f"    text: {text[:300]}{'…' if len(text) > 300 else ''}")
    lines.append(f"    analysis: {_json(analyse_report(report))}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="alertbot check-source", description="Fetch a source once and show its reports."
    )
    parser.add_argument("url")
    parser.add_argument("--kind", default="rss", help="rss (default), gdacs, usgs, reliefweb …")
    parser.add_argument("--limit", type=int, default=20, help="reports to print (default 20)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        preview = asyncio.run(preview_source(args.url, args.kind, settings))
    except (SettingsError, SourceError) as exc:
        print(f"alertbot check-source: {exc}", file=sys.stderr)
        return 1
    title = f" ({preview.title})" if preview.title else ""
    print(f"{preview.url}{title}: {len(preview.reports)} report(s) as {preview.kind}")
    for i, report in enumerate(preview.reports[: max(0, args.limit)], start=1):
        print(render(report, i))
    if len(preview.reports) > args.limit:
        print(f"… and {len(preview.reports) - args.limit} more")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
