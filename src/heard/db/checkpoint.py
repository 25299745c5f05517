"""SQLite's WAL checkpoints, moved off the request path into a thread of their own.

In WAL mode SQLite appends each commit to the write-ahead log and, once the log passes 1,000
pages, makes the connection that committed copy the log back into the database file. That copy
took 20-30 ms in about one 999 call in fifty at a million people, inside the call
(docs/benchmarks.md). A process that runs a `Checkpointer` turns that off on its connections and
copies in the background instead: a PASSIVE checkpoint never waits for readers or writers, and
SQLite runs it without Python's lock, so requests carry on meanwhile.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

EVERY_SECONDS = 1.0


class Checkpointer:
    def __init__(self, engine: Engine, *, every_seconds: float = EVERY_SECONDS) -> None:
        self._engine = engine
        self._every = every_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0
        # Once per engine: several apps may share one (tests build an app per test).
        listening = event.contains(engine, "connect", _no_checkpoint_on_commit)
        if engine.dialect.name == "sqlite" and not listening:
            event.listen(engine, "connect", _no_checkpoint_on_commit)

    @property
    def active(self) -> bool:
        return self._engine.dialect.name == "sqlite"

    def start(self) -> None:
        if not self.active or self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="heard-wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stopping.set()
        self._thread.join(timeout=30)
        self._thread = None
        self.checkpoint()  # what the last interval wrote

    def checkpoint(self) -> tuple[int, int, int] | None:
        """One PASSIVE checkpoint: (busy, pages in the log, pages copied), or None on error."""
        # On the driver's connection: SQLAlchemy would begin a transaction first, and SQLite
        # refuses to checkpoint from inside one.
        try:
            connection = self._engine.raw_connection()
            try:
                cursor = connection.cursor()
                row = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                cursor.close()
            finally:
                connection.close()
        except Exception:  # a locked or missing file now is retried next interval
            log.exception("WAL checkpoint failed; retrying")
            return None
        self.checkpoints += 1
        return int(row[0]), int(row[1]), int(row[2])

    def _run(self) -> None:
        while not self._stopping.wait(self._every):
            self.checkpoint()


def _no_checkpoint_on_commit(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()
