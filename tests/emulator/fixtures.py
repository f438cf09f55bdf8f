"""Pytest fixtures for the Bot API emulator.

Use them with `pytest_plugins = ["tests.emulator.fixtures"]` in a test module (no import, so
ruff sees no shadowed names) or `from tests.emulator.fixtures import emulator  # noqa: F401`.

- `emulator`: a fresh emulator process per test; the client has `.base_url`, `.token` and
  the control methods.
- `shared_emulator`: one process for the whole session, reset before each test; faster when
  many tests need no process of their own (nothing may keep polling it between tests).
- `emulator_bot`: an initialized python-telegram-bot `Bot` pointed at `emulator`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from telegram import Bot

from tests.emulator.client import DEFAULT_TOKEN, EmulatorClient
from tests.emulator.process import emulator_process, running_emulator


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[EmulatorClient]:
    """A fresh emulator process; the client has `.base_url` and `.token` for the bot."""
    async with running_emulator() as client:
        yield client


@pytest.fixture(scope="session")
def emulator_session_url() -> Iterator[str]:
    """The URL of one emulator process kept for the whole test session."""
    with emulator_process(DEFAULT_TOKEN) as url:
        yield url


@pytest_asyncio.fixture
async def shared_emulator(emulator_session_url: str) -> AsyncIterator[EmulatorClient]:
    """The session's emulator, reset to a blank state for this test."""
    async with EmulatorClient(emulator_session_url, DEFAULT_TOKEN) as client:
        await client.reset()
        yield client


@pytest_asyncio.fixture
async def emulator_bot(emulator: EmulatorClient) -> AsyncIterator[Bot]:
    """An initialized python-telegram-bot `Bot` pointed at the emulator."""
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:
        yield bot
