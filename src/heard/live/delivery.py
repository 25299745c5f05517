"""Live delivery for one web worker: the hub, woken by this process's bus and, on PostgreSQL,
by LISTEN/NOTIFY from every other process (web workers and job workers)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from heard.db.uow import Database
from heard.live.hub import LiveHub
from heard.live.listener import PgListener
from heard.live.service import LiveAppended
from heard.settings import Settings


class LiveDelivery:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.hub = LiveHub(
            db,
            poll_seconds=settings.live_poll_seconds,
            retention=timedelta(hours=settings.live_retention_hours),
        )
        db.bus.subscribe(LiveAppended, self.hub.on_appended)
        self.listener = (
            None if settings.is_sqlite else PgListener(settings.database_url, self.hub.wake)
        )

    async def start(self) -> None:
        await self.hub.start()
        if self.listener is not None:
            self.listener.start()

    async def stop(self) -> None:
        if self.listener is not None:
            await asyncio.to_thread(self.listener.stop)
        await self.hub.stop()
