"""Start the emulator as a subprocess on a kernel-chosen port and stop it afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from tests.emulator.client import DEFAULT_TOKEN, EmulatorClient

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0


@contextlib.asynccontextmanager
async def running_emulator(
    token: str = DEFAULT_TOKEN,
    *,
    rate_limits: bool = False,
    bot_username: str = "alert_test_bot",
    extra_args: tuple[str, ...] = (),
) -> AsyncIterator[EmulatorClient]:
    """Yield a client for a fresh emulator process; the process ends when the block does.

    `rate_limits` turns Telegram's flood limits on from the start; `extra_args` go to the
    command line (e.g. ("--global-per-second", "30")).
    """
    args = ["-m", "tests.emulator", "--token", token, "--host", "127.0.0.1", "--port", "0",
            "--bot-username", bot_username]
    if rate_limits:
        args.append("--rate-limits")
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, *extra_args, cwd=REPO_ROOT, stdout=asyncio.subprocess.PIPE
    )
    try:
        port = await _read_port(process)
        async with EmulatorClient(f"http://127.0.0.1:{port}", token) as client:
            client.pid = process.pid
            client.bot_username = bot_username
            yield client
    finally:
        await _stop(process)


@contextlib.contextmanager
def emulator_process(token: str = DEFAULT_TOKEN) -> Iterator[str]:
    """Synchronous start for session-wide use: yields the emulator's URL (no client)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.emulator", "--token", token, "--port", "0"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        # readline returns b"" if the process dies, so this cannot hang on a failed start.
        words = process.stdout.readline().decode(errors="replace").split()
        if len(words) != 2 or words[0] != "READY":
            raise RuntimeError("emulator failed to start (see stderr)")
        yield f"http://127.0.0.1:{int(words[1])}"
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


async def _read_port(process: asyncio.subprocess.Process) -> int:
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)
    except TimeoutError:
        raise RuntimeError(f"emulator did not start within {START_TIMEOUT:g} s") from None
    words = line.decode(errors="replace").split()
    if len(words) != 2 or words[0] != "READY":
        raise RuntimeError(f"emulator failed to start (said {line!r}; see stderr)")
    return int(words[1])


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 5)
        except TimeoutError:
            process.kill()
            await process.wait()
