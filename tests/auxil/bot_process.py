"""The real bot, `alertbot run`, as a subprocess wired to the emulator and a local feed server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from tests.emulator.client import EmulatorClient

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def write_sources(path: Path, feed_url: str, interval: int = 1) -> Path:
    path.write_text(
        f'[[source]]\nname = "Test feed"\nkind = "rss"\nurl = "{feed_url}"\n'
        f"interval = {interval}\n",
        encoding="utf-8",
    )
    return path


@contextlib.asynccontextmanager
async def running_bot(
    emulator: EmulatorClient,
    workdir: Path,
    sources_file: Path,
    admin_ids: str = "",
    **settings: str,
) -> AsyncIterator[BotProcess]:
    """Start the bot and wait until its command menu is set (start-up done), then yield it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTBOT_")}
    env.update(
        ALERTBOT_TELEGRAM_TOKEN=emulator.token,
        ALERTBOT_TELEGRAM_API_URL=emulator.base_url,
        ALERTBOT_DATABASE_URL=f"sqlite:///{workdir / 'alertbot.db'}",
        ALERTBOT_ADMIN_IDS=admin_ids,
        ALERTBOT_SOURCES_FILE=str(sources_file),
        ALERTBOT_ALLOW_PRIVATE_SOURCES="true",
        PYTHONUNBUFFERED="1",
    )
    env.update({f"ALERTBOT_{name.upper()}": value for name, value in settings.items()})
    log_path = workdir / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run",
            cwd=workdir, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT,
        )
    bot = BotProcess(process, log_path)
    try:
        await _wait_started(emulator, bot)
        yield bot
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def _wait_started(emulator: EmulatorClient, bot: BotProcess, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if bot.process.returncode is not None:
            raise RuntimeError(f"the bot exited at start-up:\n{bot.log()}")
        if await emulator.commands():
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the bot did not start within {timeout} s:\n{bot.log()}")
