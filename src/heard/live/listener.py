"""PostgreSQL LISTEN: tells this worker's hub the moment any process appends a live event."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

from heard.live.service import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
WAIT_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 10.0


def libpq_url(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class PgListener:
    """A thread holding one autocommit connection in LISTEN; reconnects with back-off.

    After every (re)connection it wakes the hub once, so events appended while it was not
    listening are read straight away rather than at the next poll.
    """

    def __init__(self, database_url: str, on_notify: Callable[[], None]) -> None:
        self._url = libpq_url(database_url)
        self._on_notify = on_notify
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heard-live-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                self._listen()
                backoff = 0.5
            except psycopg.Error:
                self.listening.clear()
                log.warning("live LISTEN connection lost; reconnecting", exc_info=True)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._url, autocommit=True) as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self.listening.set()
            self._on_notify()
            while not self._stop.is_set():
                for _ in conn.notifies(timeout=WAIT_SECONDS):
                    self._on_notify()
