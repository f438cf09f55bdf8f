"""Prints how many Bot API calls per second the emulator answers on loopback.

Run: `python -m tests.emulator.throughput [--requests 3000] [--concurrency 20]`. The delivery
benchmark needs far more than Telegram's 30 messages/s, so the emulator never sets the pace.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

import httpx
from telegram import Bot

from tests.emulator.process import running_emulator


async def _raw_http(base: str, requests: int, concurrency: int) -> float:
    """sendMessage over plain form posts, many in flight at once."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as http:

        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                data = {"chat_id": str(1000 + i % 5000), "text": f"<b>Alert</b> number {i}",
                        "parse_mode": "HTML"}
                response = await http.post(f"{base}/sendMessage", data=data)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


async def _through_ptb(client_base: str, token: str, requests: int, concurrency: int) -> float:
    """The same through python-telegram-bot's Bot, as the sender does."""
    async with Bot(token, base_url=client_base) as bot:
        semaphore = asyncio.Semaphore(concurrency)

        async def send(i: int) -> None:
            async with semaphore:
                await bot.send_message(200_000 + i % 5000, f"<b>Alert</b> number {i}",
                                       parse_mode="HTML")

        started = time.perf_counter()
        await asyncio.gather(*(send(i) for i in range(requests)))
        return requests / (time.perf_counter() - started)


def _cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process (Linux /proc), to see the server's own cost."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    async with running_emulator() as emulator:
        cpu_before = _cpu_seconds(emulator.pid)
        raw = await _raw_http(f"{emulator.base_url}{emulator.token}", args.requests,
                              args.concurrency)
        cpu_after = _cpu_seconds(emulator.pid)
        ptb = await _through_ptb(emulator.base_url, emulator.token, args.requests,
                                 min(args.concurrency, 256))
        stats = await emulator.stats()
    print(f"sendMessage over httpx form posts: {raw:,.0f} requests/s end to end "
          f"({args.requests} requests, {args.concurrency} in flight; the client is the limit)")
    if cpu_before is not None and cpu_after is not None and cpu_after > cpu_before:
        capacity = args.requests / (cpu_after - cpu_before)
        print(f"emulator's own cost: {1000 / capacity:.2f} ms CPU per sendMessage "
              f"= {capacity:,.0f} requests per CPU-second")
    print(f"sendMessage through telegram.Bot:  {ptb:,.0f} requests/s end to end")
    print(f"messages stored: {stats['messages_total']}, duplicates: {stats['duplicates']}")


if __name__ == "__main__":
    asyncio.run(main())
