"""Wake the live monitor when another process commits telemetry (PostgreSQL LISTEN/NOTIFY).

Intake calls `pg_notify('heard_telemetry', '')` inside each batch's transaction. The server
delivers it only when that transaction commits, so a woken monitor always finds the points. A
monitor in the web process is woken by the request itself; this is for the monitor as its own
process (`heard orders monitor`) and for several web workers, whose requests reach the leading
monitor only this way. SQLite has no such signal: there the monitor polls
(`LiveMonitor.poll_seconds`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)
CHANNEL = "heard_telemetry"
_RETRY_S = 1.0
_CHECK_STOP_S = 1.0


class CommitListener:
    """A thread on its own connection that calls `wake` for every notification."""

    def __init__(self, engine: Engine, wake: Callable[[], None]) -> None:
        self.engine = engine
        self.wake = wake
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.engine.dialect.name != "postgresql" or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="telemetry-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * _CHECK_STOP_S + 1)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception:  # a lost connection: the monitor still polls meanwhile
                log.warning("telemetry listener lost its connection; retrying", exc_info=True)
                self._stop.wait(_RETRY_S)

    def _listen(self) -> None:
        pooled = self.engine.raw_connection()
        try:
            connection: Any = pooled.driver_connection
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
            self.wake()  # anything committed before LISTEN took effect
            while not self._stop.is_set():
                for _ in connection.notifies(timeout=_CHECK_STOP_S):
                    self.wake()
        finally:
            pooled.invalidate()  # a listening connection must not go back to the pool
