"""Pytest fixtures: `from tests.emulator.fixtures import emulator  # noqa: F401`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from telegram import Bot

from tests.emulator.client import EmulatorClient
from tests.emulator.process import running_emulator


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[EmulatorClient]:
    """A fresh emulator process; the client has `.base_url` and `.token` for the bot."""
    async with running_emulator() as client:
        yield client


@pytest_asyncio.fixture
async def emulator_bot(emulator: EmulatorClient) -> AsyncIterator[Bot]:
    """An initialized python-telegram-bot `Bot` pointed at the emulator."""
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:
        yield bot
