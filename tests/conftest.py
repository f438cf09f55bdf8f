"""Shared fixtures: databases on SQLite and on a real PostgreSQL server."""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import make_engine, open_database
from tests.auxil import postgres

# Fixtures of the test servers: `emulator` (Telegram Bot API) and `feed_server` (sources).
pytest_plugins = ["tests.emulator.fixtures", "tests.sources_server"]

REQUIRE_POSTGRES = bool(os.environ.get("CI") or os.environ.get("ALERTBOT_REQUIRE_POSTGRES"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("ALERTBOT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bin_dir = postgres.find_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL binaries not found: install Debian's postgresql package (see .ci/run)"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    with postgres.temporary_server(bin_dir) as url:
        yield url


def _fresh_postgres_database(server_url: str) -> str:
    """A new empty database per test, so tests never see each other's rows."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_engine(request, tmp_path) -> Iterator[Engine]:
    """A migrated database on each backend the bot supports."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'alertbot.db'}"
    else:
        url = _fresh_postgres_database(request.getfixturevalue("postgres_url"))
    engine = open_database(url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path / 'alertbot.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_url) -> Iterator[Engine]:
    """A migrated database of its own on the PostgreSQL server."""
    engine = open_database(_fresh_postgres_database(postgres_url))
    yield engine
    engine.dispose()
