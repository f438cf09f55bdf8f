"""Command line: `python -m tests.emulator --token T [--port 0]` prints `READY <port>`."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from aiohttp import web

from tests.emulator.rate_limits import RateLimitConfig
from tests.emulator.server import build_app
from tests.emulator.state import EmulatorState


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.emulator",
                                     description="Local Telegram Bot API emulator for tests.")
    parser.add_argument("--token", required=True, help="the only bot token it accepts")
    parser.add_argument("--bot-username", default="alert_test_bot",
                        help="the bot's @username in getMe and in /cmd@botname")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 lets the kernel choose")
    parser.add_argument("--rate-limits", action="store_true",
                        help="enforce Telegram's flood limits from the start")
    parser.add_argument("--global-per-second", type=int, default=30)
    parser.add_argument("--private-per-second", type=int, default=1)
    parser.add_argument("--group-per-minute", type=int, default=20)
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    limits = RateLimitConfig(args.rate_limits, args.global_per_second,
                             args.private_per_second, args.group_per_minute)
    state = EmulatorState(args.token, limits, args.bot_username)
    app = build_app(state)
    # No access log: request paths carry the bot token.
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"READY {port}", flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        state.files.close()


def main(argv: list[str] | None = None) -> None:
    try:
        asyncio.run(serve(parse_args(argv)))
    except OSError as exc:
        print(f"emulator: cannot listen: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
