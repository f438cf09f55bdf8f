"""One sender per bot token: Telegram's limits count per token, not per replica.

On PostgreSQL the sender holds a session-level advisory lock on a connection of its own; if its
replica dies the connection closes, the lock goes, and another replica's sender takes over and
resumes from the outbox. SQLite lives on one machine, where one process sends anyway.
"""

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

SENDER_LOCK_KEY = 0x616C657274  # any fixed 64-bit number shared by every replica


class SenderLock:
    def __init__(self, engine: Engine, key: int = SENDER_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self.engine.dialect.name != "postgresql"

    def acquire(self) -> bool:
        """Take the lock if it is free; True when this process may send."""
        if self.held:
            return True
        conn = self.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
        conn.commit()
        if got:
            self._conn = conn
        else:
            conn.close()
        return bool(got)

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
