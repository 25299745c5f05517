"""One live monitor per database: the others wait as hot standbys and take over if it dies.

SQLite: an exclusive `flock` on a file beside the database. PostgreSQL: a session-level advisory
lock held on a dedicated connection. Either is released by the operating system or the server
when the holding process dies, so a standby takes over without anyone cleaning up.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text

# Advisory locks are cluster-wide: the database's name is half the key, so one monitor per database.
_TRY_LOCK = (
    "SELECT pg_try_advisory_lock(hashtext('heard.live_monitor'), hashtext(current_database()))"
)


class Leadership:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._file: IO[bytes] | None = None
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._file is not None or self._conn is not None

    def acquire(self) -> bool:
        """True when this process now leads (or already did)."""
        if self.held:
            return self._still_held()
        if self.engine.dialect.name == "sqlite":
            return self._flock()
        conn = self.engine.connect()
        got = bool(conn.execute(text(_TRY_LOCK)).scalar())
        conn.commit()  # the lock is the session's; no transaction is left open
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def _flock(self) -> bool:
        database = self.engine.url.database
        if not database or database == ":memory:":
            self._file = Path("/dev/null").open("rb")  # noqa: SIM115 - held open while leading
            return True
        handle = Path(f"{database}.monitor.lock").open("ab")  # noqa: SIM115 - held while leading
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def _still_held(self) -> bool:
        if self._conn is None:
            return True
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
        except Exception:  # the connection died, and the lock with it
            self.release()
            return False
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._conn is not None:
            try:
                # Closing would only return it to the pool, still holding the session's lock.
                self._conn.invalidate()
                self._conn.close()
            finally:
                self._conn = None
