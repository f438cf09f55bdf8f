"""A tiny local HTTP server for tests that need a real feed/API on loopback.

    async def test_x(feed_server):
        feed_server.serve("/feed.xml", Path("tests/data/sources/x.rss"), etag='"v1"')
        url = feed_server.url("/feed.xml")          # http://127.0.0.1:<port>/feed.xml
        ...
        assert feed_server.count("/feed.xml") == 1
        assert feed_server.requests[-1].headers["User-Agent"].startswith("alertbot/")

What a route can do (all keyword arguments of `serve`):
- body: bytes, str (UTF-8) or a Path (read once); status; content_type; extra headers.
- etag / last_modified: answer 304 when the request's If-None-Match / If-Modified-Since match.
- delay: seconds to wait before answering (a large one makes a hanging server).
- redirect_to: answer `status` (default 302) with that Location.
- gzip: send the body gzip-compressed (Content-Encoding: gzip).
- huge: stream this many bytes of filler instead of `body` (no Content-Length);
  with gzip=True it becomes a decompression bomb (tiny on the wire, huge once decoded).
- responder: a function (Recorded) -> Route for answers that depend on the request
  (POST bodies, OAuth tokens, paging).
Paths not served answer 404; `fallback(path)` may return a Route for generated content.
`running_in_thread(FeedServer())` serves from a background thread for synchronous tests.
Started in-process on 127.0.0.1 with kernel-chosen ports (`sites` > 1 opens more ports, each a
distinct host:port for per-host limits); every request is logged in `requests`.
"""

from __future__ import annotations

import asyncio
import gzip as gzip_lib
import json
import threading
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

CHUNK = 64 * 1024


@dataclass(slots=True)
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    redirect_to: str | None = None
    gzip: bool = False
    huge: int = 0
    responder: Callable[[Recorded], Route] | None = None


@dataclass(slots=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        from urllib.parse import parse_qsl

        return dict(parse_qsl(self.body.decode()))


def _as_bytes(body: bytes | str | Path) -> bytes:
    if isinstance(body, Path):
        return body.read_bytes()
    return body.encode("utf-8") if isinstance(body, str) else body


class FeedServer:
    def __init__(self, sites: int = 1) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Recorded] = []
        self.fallback: Callable[[str], Route | None] | None = None
        self.log_requests = True
        self.in_flight = 0  # requests being answered now
        self.max_in_flight = 0
        self._sites = sites
        self._ports: list[int] = []
        self._runner: web.AppRunner | None = None

    # --- configuration ------------------------------------------------------------
    def serve(self, path: str, body: bytes | str | Path = b"", **options: Any) -> str:
        """Serve `body` at `path` with the Route options; returns the full URL."""
        self.routes[path] = Route(body=_as_bytes(body), **options)
        return self.url(path)

    def serve_json(self, path: str, data: Any, **options: Any) -> str:
        options.setdefault("content_type", "application/json")
        return self.serve(path, json.dumps(data), **options)

    def url(self, path: str, site: int = 0) -> str:
        return f"http://127.0.0.1:{self._ports[site]}{path}"

    @property
    def ports(self) -> list[int]:
        return list(self._ports)

    def count(self, path: str) -> int:
        return sum(r.path == path for r in self.requests)

    # --- lifecycle ----------------------------------------------------------------
    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=0.1
        )
        await self._runner.setup()
        for _ in range(self._sites):
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self._ports.append(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FeedServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- answering ----------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        rec = Recorded(
            request.method,
            request.path,
            dict(request.query),
            dict(request.headers),
            await request.read(),
        )
        if self.log_requests:
            self.requests.append(rec)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(request, rec)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request, rec: Recorded) -> web.StreamResponse:
        route = self.routes.get(request.path)
        if route is None and self.fallback is not None:
            route = self.fallback(request.path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.responder is not None:
            route = route.responder(rec)
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.redirect_to:
            status = route.status if 300 <= route.status < 400 else 302
            return web.Response(status=status, headers={"Location": route.redirect_to})
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.status == 200 and (
            (route.etag and request.headers.get("If-None-Match") == route.etag)
            or (
                route.last_modified
                and request.headers.get("If-Modified-Since") == route.last_modified
            )
        ):
            return web.Response(status=304, headers=headers)
        if route.huge:
            return await self._stream_huge(request, route, headers)
        body = route.body
        if route.gzip:
            body = gzip_lib.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Type"] = route.content_type
        return web.Response(status=route.status, body=body, headers=headers)

    async def _stream_huge(
        self, request: web.Request, route: Route, headers: dict[str, str]
    ) -> web.StreamResponse:
        headers["Content-Type"] = route.content_type
        if route.gzip:
            headers["Content-Encoding"] = "gzip"
        resp = web.StreamResponse(status=route.status, headers=headers)
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        zeros = b"\0" * CHUNK
        squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS) if route.gzip else None
        sent = 0
        try:
            while sent < route.huge:
                piece = zeros[: min(CHUNK, route.huge - sent)]
                sent += len(piece)
                await resp.write(squeeze.compress(piece) if squeeze else piece)
            if squeeze:
                await resp.write(squeeze.flush())
            await resp.write_eof()
        except (ConnectionResetError, asyncio.CancelledError):
            pass  # the client gave up, as it should
        return resp


def route(**options: Any) -> Route:
    """A Route for `responder` functions: route(body=b"...", status=200, ...)."""
    if "body" in options:
        options["body"] = _as_bytes(options["body"])
    return replace(Route(), **options)


@contextmanager
def running_in_thread(server: FeedServer) -> Iterator[FeedServer]:
    """Run `server` on its own event loop in a thread, for tests of synchronous code (CLIs
    that call asyncio.run). Configure routes before or during; the request log is shared."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="feed-server", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    """A started FeedServer on 127.0.0.1, closed after the test."""
    server = FeedServer()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
