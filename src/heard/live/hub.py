"""Fan-out inside one web worker: one reader of the live event log, many page subscriptions.

The hub keeps a cursor (the highest id it has dispatched). It reads new events when woken — by
this process's bus the moment an event commits here, by PostgreSQL NOTIFY when another process
appended one — and at least every `poll_seconds` whatever happens, so a lost wake-up delays an
event but never loses it. A subscription that resumes (Last-Event-ID) first gets the events it
missed from the database, up to the cursor as it was when it subscribed; everything after that
reaches it through the hub, so nothing is missed and nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterable
from datetime import timedelta

from heard.clock import utcnow
from heard.db.uow import Database
from heard.live import service
from heard.live.service import LiveAppended, LiveMessage

log = logging.getLogger(__name__)
FETCH_LIMIT = 500
PRUNE_EVERY_SECONDS = 600.0
STOP_SECONDS = 5.0


class TooFarBehind(Exception):
    """The page missed more than can be replayed (or events were pruned): it must reload."""


class Subscription:
    def __init__(self, *, force_id: int, channels: Iterable[str], queue_size: int) -> None:
        self.force_id = force_id
        self.channels = frozenset(channels)
        self._queue: asyncio.Queue[LiveMessage] = asyncio.Queue(maxsize=queue_size)
        self.overflowed = False
        self.last_id = 0

    def wants(self, message: LiveMessage) -> bool:
        return message.force_id == self.force_id and message.channel in self.channels

    def offer(self, message: LiveMessage) -> None:
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            # A page that cannot keep up is told to reload rather than silently skip events.
            self.overflowed = True

    async def next(self, timeout: float) -> LiveMessage | None:
        """The next message not yet sent, or None when `timeout` passes without one."""
        deadline = time.monotonic() + timeout
        while True:
            if self.overflowed:
                raise TooFarBehind("the page fell too far behind")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                message = await asyncio.wait_for(self._queue.get(), remaining)
            except TimeoutError:
                return None
            if self.overflowed:
                raise TooFarBehind("the page fell too far behind")
            if message.id > self.last_id:
                self.last_id = message.id
                return message


class LiveHub:
    def __init__(
        self,
        db: Database,
        *,
        poll_seconds: float,
        retention: timedelta,
        max_backlog: int = 1000,
        queue_size: int = 1000,
    ) -> None:
        self._db = db
        self._poll_seconds = poll_seconds
        self._retention = retention
        self._max_backlog = max_backlog
        self._queue_size = queue_size
        self._subscriptions: set[Subscription] = set()
        self._cursor = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._woken: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None
        self._last_prune = 0.0
        self._stopping = False

    async def start(self) -> None:
        """Returns at once: the hub finds its starting point in the background, so a worker
        starts (and answers health checks) even while the database is not reachable yet."""
        self._loop = asyncio.get_running_loop()
        self._woken = asyncio.Event()
        self._ready = asyncio.Event()
        self._last_prune = time.monotonic()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="heard-live-hub")

    async def stop(self) -> None:
        # On Python 3.11 `wait_for` can swallow a cancel that lands as its inner wait finishes
        # (fixed in 3.12): the flag ends the loop anyway, and stop never waits without limit.
        self._stopping = True
        if self._task is not None:
            if self._woken is not None:
                self._woken.set()
            self._task.cancel()
            done, _ = await asyncio.wait({self._task}, timeout=STOP_SECONDS)
            if not done:
                log.warning("live hub did not stop within %s s", STOP_SECONDS)
        self._task = None
        self._loop = None

    def wake(self) -> None:
        """Safe from any thread: something was appended, read the log now."""
        loop, woken = self._loop, self._woken
        if loop is None or woken is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed between the check and the call
            loop.call_soon_threadsafe(woken.set)

    def on_appended(self, event: LiveAppended) -> None:
        self.wake()

    @contextlib.asynccontextmanager
    async def subscribe(
        self, *, force_id: int, channels: Iterable[str], after: int | None
    ) -> AsyncIterator[tuple[Subscription, list[LiveMessage]]]:
        """Register a page; yields it with the events it missed since `after` (oldest first)."""
        if self._ready is None:
            raise RuntimeError("the live hub is not running")
        await self._ready.wait()
        sub = Subscription(force_id=force_id, channels=channels, queue_size=self._queue_size)
        # Registration and reading the cursor happen with no await between them, so every
        # event above `boundary` will be dispatched to this subscription by the hub.
        self._subscriptions.add(sub)
        boundary = self._cursor
        try:
            backlog: list[LiveMessage] = []
            if after is not None and after < boundary:
                backlog = await asyncio.to_thread(self._backlog, sub, after, boundary)
            sub.last_id = boundary if after is None else max(after, boundary)
            yield sub, backlog
        finally:
            self._subscriptions.discard(sub)

    # Reads go through read-only sessions: on SQLite a reader must never queue for the write lock
    # that a 999 call's intake is holding.
    def _backlog(self, sub: Subscription, after: int, boundary: int) -> list[LiveMessage]:
        with self._db.read_only() as session:
            if after + 1 < service.oldest_id(session):
                raise TooFarBehind("the events since this page was loaded were pruned")
            found = service.read_after(
                session,
                force_id=sub.force_id,
                channels=sub.channels,
                after=after,
                up_to=boundary,
                limit=self._max_backlog + 1,
            )
        if len(found) > self._max_backlog:
            raise TooFarBehind(f"more than {self._max_backlog} events were missed")
        return found

    def _newest(self) -> int:
        with self._db.read_only() as session:
            return service.newest_id(session)

    def _fetch(self, after: int) -> list[LiveMessage]:
        with self._db.read_only() as session:
            return service.read_all_after(session, after=after, limit=FETCH_LIMIT)

    def _prune(self) -> None:
        with self._db.unit_of_work() as uow:
            service.prune(uow.session, before=utcnow() - self._retention)
            uow.commit()

    def dispatch(self, messages: list[LiveMessage]) -> None:
        for message in messages:
            for sub in list(self._subscriptions):
                if sub.wants(message):
                    sub.offer(message)
            self._cursor = max(self._cursor, message.id)

    async def _begin(self) -> None:
        assert self._ready is not None
        delay = 0.5
        while not self._stopping:
            try:
                self._cursor = await asyncio.to_thread(self._newest)
            except Exception:
                log.exception("cannot read the live event log yet; retrying")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            self._ready.set()
            return

    async def _run(self) -> None:
        assert self._woken is not None
        await self._begin()
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._poll_seconds)
            self._woken.clear()
            try:
                found = await asyncio.to_thread(self._fetch, self._cursor)
            except Exception:
                log.exception("reading live events failed; retrying")
                await asyncio.sleep(1.0)
                continue
            self.dispatch(found)
            if len(found) == FETCH_LIMIT:
                self._woken.set()  # more waiting
            await self._maybe_prune()

    async def _maybe_prune(self) -> None:
        if time.monotonic() - self._last_prune < PRUNE_EVERY_SECONDS:
            return
        self._last_prune = time.monotonic()
        try:
            await asyncio.to_thread(self._prune)
        except Exception:
            log.exception("pruning live events failed")
