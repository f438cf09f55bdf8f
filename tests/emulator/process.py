"""Start the emulator as a subprocess on a kernel-chosen port and stop it afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from tests.emulator.client import DEFAULT_TOKEN, EmulatorClient

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0


@contextlib.asynccontextmanager
async def running_emulator(
    token: str = DEFAULT_TOKEN,
    *,
    rate_limits: bool = False,
    extra_args: tuple[str, ...] = (),
) -> AsyncIterator[EmulatorClient]:
    """Yield a client for a fresh emulator process; the process ends when the block does."""
    args = ["-m", "tests.emulator", "--token", token, "--host", "127.0.0.1", "--port", "0"]
    if rate_limits:
        args.append("--rate-limits")
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, *extra_args, cwd=REPO_ROOT, stdout=asyncio.subprocess.PIPE
    )
    try:
        port = await _read_port(process)
        async with EmulatorClient(f"http://127.0.0.1:{port}", token) as client:
            yield client
    finally:
        await _stop(process)


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
