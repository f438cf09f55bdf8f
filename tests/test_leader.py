"""Exactly one sender per token across replicas sharing a PostgreSQL database."""

import pytest

from storage.leader import SenderLock


@pytest.mark.postgres
def test_only_one_replica_holds_the_sender_lock(postgres_engine):
    first, second = SenderLock(postgres_engine), SenderLock(postgres_engine)
    assert first.acquire()
    assert not second.acquire()
    first.release()  # the first replica stops (or dies: its connection closes)
    assert second.acquire()
    second.release()


def test_on_sqlite_the_lock_is_always_held(sqlite_engine):
    assert SenderLock(sqlite_engine).acquire()
