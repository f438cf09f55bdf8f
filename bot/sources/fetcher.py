"""The one HTTP client every source kind goes through.

It fetches like a good citizen of the web: conditional GET (ETag / Last-Modified), an
identifying User-Agent, a per-host concurrency limit, connect/read/total timeouts, at most
five redirects, a body cap counted on *decoded* bytes (so a gzip bomb stops too), and it
reports Retry-After and Cache-Control max-age so the poller can push the next poll later.
Addresses are checked after DNS resolution and on every redirect: private, loopback,
link-local (cloud metadata), multicast and reserved addresses are refused unless
Settings.allow_private_sources is true. Every failure comes back as a FetchResult with a
clear `error`; nothing escapes to the scheduler.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal
from urllib.parse import urlsplit

import httpcore
import httpx
from httpcore import AsyncNetworkStream
from httpcore._backends.auto import AutoBackend

from bot.config import Settings

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
# Shown in the User-Agent so a site owner can reach the operator; Settings.project_url wins.
PROJECT_URL_PLACEHOLDER = "https://example.org/alertbot"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Hosts that are cloud metadata services even when DNS says otherwise.
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})

Status = Literal["ok", "not_modified", "error"]


@dataclass(slots=True)
class FetchRequest:
    """One HTTP request a source kind wants made."""

    url: str
    method: str = "GET"
    params: Mapping[str, Any] | None = None
    json: Any = None
    data: Mapping[str, str] | None = None  # form body (OAuth token requests)
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class FetchResult:
    """What came back: a body, "not modified", or a clear error."""

    url: str
    status: Status
    http_status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: float | None = None  # seconds the server asked us to wait
    max_age: float | None = None  # seconds the answer stays fresh (Cache-Control)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class FetchError(Exception):
    """Internal: turned into FetchResult(status="error") before leaving the fetcher."""


def user_agent(settings: Settings) -> str:
    try:
        ver = version("alertbot")
    except PackageNotFoundError:
        ver = "0.1.0"
    url = getattr(settings, "project_url", None) or PROJECT_URL_PLACEHOLDER
    return f"alertbot/{ver} (+{url})"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_max_age(value: str | None) -> float | None:
    """max-age from a Cache-Control header; None when caching is forbidden or not stated."""
    if not value:
        return None
    directives = [d.strip().lower() for d in value.split(",")]
    if "no-store" in directives or "no-cache" in directives:
        return None
    for d in directives:
        if d.startswith("max-age="):
            try:
                return max(0.0, float(d.split("=", 1)[1].strip('"')))
            except ValueError:
                return None
    return None


def address_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why `ip` may not be fetched, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for label, flag in (
        ("loopback", ip.is_loopback),
        ("link-local (metadata)", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("unspecified", ip.is_unspecified),
    ):
        if flag:
            return label
    if not ip.is_global:  # shared address space (100.64/10), benchmarking nets …
        return "non-public"
    return None


async def check_host(host: str, port: int) -> None:
    """Raise FetchError unless every address `host` resolves to is public."""
    await resolve_public(host, port)


async def resolve_public(
    host: str, port: int
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses of `host`; FetchError if any of them is not public."""
    host = host.strip("[]").lower()
    if host in METADATA_HOSTS or host == "localhost" or host.endswith(".localhost"):
        raise FetchError(f"refused: {host} is a local or metadata host")
    try:
        addrs = [ipaddress.ip_address(host)]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {host}: {exc}") from None
        addrs = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for ip in addrs:
        why = address_refusal(ip)
        if why:
            raise FetchError(
                f"refused: {host} resolves to a {why} address ({ip}); "
                "set ALERTBOT_ALLOW_PRIVATE_SOURCES=true to allow it"
            )
    return list(dict.fromkeys(addrs))


class GuardedBackend(AutoBackend):
    """Connects only to public addresses, checked at connect time on the very addresses the
    socket uses, so DNS that changes between the URL check and the connection (rebinding)
    cannot reach a private address. TLS still verifies the certificate for the host name."""

    def __init__(self, trusted_origins: frozenset[str] = frozenset()) -> None:
        self.trusted_origins = trusted_origins

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> AsyncNetworkStream:
        if f"{host}:{port}" in self.trusted_origins:
            return await super().connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            addresses = await resolve_public(host, port)
        except FetchError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        last: Exception | None = None
        for ip in addresses:
            try:
                return await super().connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")


def _guarded_transport(
    limits: httpx.Limits, trusted_origins: frozenset[str]
) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(limits=limits)
    # httpx has no parameter for the network backend: swap the pool for one that uses ours.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=transport._pool._ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(trusted_origins),
    )
    return transport


class _Decoder:
    """Decompresses chunk by chunk, never producing more than the cap allows."""

    def __init__(self, content_encoding: str) -> None:
        enc = content_encoding.strip().lower()
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported Content-Encoding {enc!r}")

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Decoded bytes of `chunk`; raises FetchError once more than `room` would come out."""
        if self._z is None:
            if len(chunk) > room:
                raise _TooLarge
            return chunk
        out: list[bytes] = []
        data = chunk
        try:
            while data:
                piece = self._z.decompress(data, room + 1)
                room -= len(piece)
                if room < 0:
                    raise _TooLarge
                out.append(piece)
                data = self._z.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}") from None
        return b"".join(out)


class _TooLarge(Exception):
    pass


class Fetcher:
    """Shared async HTTP fetcher; use as `async with Fetcher(settings) as f: await f.fetch(req)`."""

    def __init__(
        self,
        settings: Settings,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        per_host: int = 4,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        total_timeout: float = 30.0,
        max_connections: int = 64,
        trusted_origins: frozenset[str] = frozenset(),
    ) -> None:
        self.settings = settings
        # "host:port" origins exempt from the address check (an operator's own mirror).
        self.trusted_origins = trusted_origins
        self.max_bytes = max_bytes
        self.per_host = per_host
        self.total_timeout = total_timeout
        self._timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=total_timeout
        )
        self._limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections // 4
        )
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._client: httpx.AsyncClient | None = None
        self._owns_client = True

    async def __aenter__(self) -> Fetcher:
        transport = None
        if not self.settings.allow_private_sources:
            transport = _guarded_transport(self._limits, self.trusted_origins)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=self._timeout,
            limits=self._limits,
            follow_redirects=False,  # followed by hand so every hop's address is checked
            headers={"User-Agent": user_agent(self.settings), "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        parts = urlsplit(url)
        key = parts.netloc.lower()
        sem = self._hosts.get(key)
        if sem is None:
            sem = self._hosts[key] = asyncio.Semaphore(self.per_host)
        return sem

    async def fetch(self, req: FetchRequest) -> FetchResult:
        """Make `req`, following redirects; never raises for network or HTTP trouble."""
        try:
            async with asyncio.timeout(self.total_timeout):
                return await self._follow(req)
        except TimeoutError:
            return FetchResult(
                req.url, "error", error=f"no complete answer within {self.total_timeout:g} s"
            )
        except FetchError as exc:
            return FetchResult(req.url, "error", error=str(exc))

    async def _follow(self, req: FetchRequest) -> FetchResult:
        url, method = req.url, req.method.upper()
        for _hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(f"not an http(s) URL: {url[:200]}")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            trusted = f"{parts.hostname}:{port}" in self.trusted_origins
            if not self.settings.allow_private_sources and not trusted:
                await check_host(parts.hostname, port)
            async with self._host_slot(url):
                result, location = await self._one(req, url, method)
            if location is None:
                return result
            url = str(httpx.URL(url).join(location))
            if result.http_status == 303 or (result.http_status in (301, 302) and method == "POST"):
                method = "GET"
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _headers(self, req: FetchRequest) -> dict[str, str]:
        headers = dict(req.headers)
        if req.etag:
            headers["If-None-Match"] = req.etag
        if req.last_modified:
            headers["If-Modified-Since"] = req.last_modified
        return headers

    async def _one(
        self, req: FetchRequest, url: str, method: str
    ) -> tuple[FetchResult, str | None]:
        """One request; returns the result and a redirect Location, if any."""
        assert self._client is not None, "use Fetcher as an async context manager"
        send_body = method != "GET"
        try:
            request = self._client.build_request(
                method,
                url,
                params=req.params if url == req.url else None,
                json=req.json if send_body and req.json is not None else None,
                data=req.data if send_body and req.data is not None else None,
                headers=self._headers(req),
            )
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise FetchError(_timeout_text(exc)) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"could not connect: {exc or type(exc).__name__}") from None
        try:
            return await self._read(response, url)
        except httpx.TimeoutException as exc:
            raise FetchError(_timeout_text(exc)) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"connection broke while reading: {exc or type(exc).__name__}"
            ) from None
        finally:
            await response.aclose()

    async def _read(self, response: httpx.Response, url: str) -> tuple[FetchResult, str | None]:
        h = response.headers
        result = FetchResult(
            url=url,
            status="ok",
            http_status=response.status_code,
            content_type=h.get("content-type"),
            etag=h.get("etag"),
            last_modified=h.get("last-modified"),
            retry_after=parse_retry_after(h.get("retry-after")),
            max_age=parse_max_age(h.get("cache-control")),
        )
        code = response.status_code
        if code in REDIRECT_CODES:
            location = h.get("location")
            if not location:
                raise FetchError(f"HTTP {code} redirect without a Location")
            return result, location
        if code == 304:
            result.status = "not_modified"
            return result, None
        if code >= 400:
            result.status = "error"
            result.error = f"HTTP {code} {response.reason_phrase}".strip()
            result.body = await self._body(response, cap=64 * 1024, strict=False)
            return result, None
        length = h.get("content-length")
        if (
            length
            and length.isdigit()
            and int(length) > self.max_bytes
            and not h.get("content-encoding")
        ):
            raise FetchError(f"body of {int(length):,} bytes is over the {self.max_bytes:,} cap")
        result.body = await self._body(response, cap=self.max_bytes, strict=True)
        return result, None

    async def _body(self, response: httpx.Response, *, cap: int, strict: bool) -> bytes:
        decoder = _Decoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw():
                piece = decoder.feed(raw, cap - size)
                size += len(piece)
                chunks.append(piece)
        except _TooLarge:
            if not strict:
                return b"".join(chunks)
            raise FetchError(f"body is over the {self.max_bytes:,}-byte cap (decoded)") from None
        return b"".join(chunks)


def _timeout_text(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx.PoolTimeout):
        return "no free connection in time"
    return "the server stopped answering (read timeout)"
