"""The live hub on both databases: resume without gaps or repeats, scoping, reload when a page
cannot be brought up to date, and ids that only ever grow (the resume points)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy import delete

from heard.clock import utcnow
from heard.db.uow import Database
from heard.live import service as live
from heard.live.hub import LiveHub, TooFarBehind
from heard.live.models import LiveEvent
from heard.live.service import LiveAppended, LiveMessage, Outgoing
from tests.support.world import World

T = TypeVar("T")
WAIT = 5.0


def with_hub(db: Database, body: Callable[[LiveHub], Awaitable[T]], **options: int) -> T:
    async def run() -> T:
        # Polling every 30 s: only the bus wake-up can deliver within the test's deadlines.
        hub = LiveHub(db, poll_seconds=30, retention=timedelta(hours=1), **options)
        db.bus.subscribe(LiveAppended, hub.on_appended)
        await hub.start()
        try:
            return await body(hub)
        finally:
            await hub.stop()

    # A fresh thread has no running loop, even when Playwright's sync API (browser tests in the
    # same worker process) keeps one running in the main thread.
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(asyncio.run(run()))
        except BaseException as exc:  # handed back to the test thread below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def publish(db: Database, force: int, channel: str = "queue", n: int = 1) -> list[int]:
    with db.unit_of_work() as uow:
        ids = live.append(
            uow.session,
            messages=[Outgoing(force, channel, "queue", {"n": i}) for i in range(n)],
        )
        uow.commit()
    return ids


def test_a_resumed_page_gets_what_it_missed_then_live_events_with_no_gap_or_repeat(
    db: Database, world: World
) -> None:
    wmp = world.forces["WMP"]
    first, *missed = publish(db, wmp, n=3)

    async def body(hub: LiveHub) -> tuple[list[int], list[int], LiveMessage | None]:
        async with hub.subscribe(force_id=wmp, channels=["queue"], after=first) as (sub, backlog):
            later = await asyncio.to_thread(publish, db, wmp, "queue", 2)
            got = [await sub.next(WAIT), await sub.next(WAIT)]
            quiet = await sub.next(0.2)
            return [m.id for m in backlog], [m.id for m in got if m] + later, quiet

    backlog, live_ids, quiet = with_hub(db, body)

    assert backlog == missed
    assert live_ids[:2] == live_ids[2:]  # received exactly the two published while subscribed
    assert quiet is None


def test_a_page_sees_only_its_own_force_and_channels(db: Database, world: World) -> None:
    wmp, nmp = world.forces["WMP"], world.forces["NMP"]
    before = publish(db, wmp)[0]
    mine = publish(db, wmp, "queue")[0]
    publish(db, nmp, "queue")
    publish(db, wmp, "call:1")

    async def body(hub: LiveHub) -> list[int]:
        async with hub.subscribe(force_id=wmp, channels=["queue"], after=before) as (_, backlog):
            return [m.id for m in backlog]

    assert with_hub(db, body) == [mine]


def test_a_page_that_missed_more_than_can_be_replayed_is_told_to_reload(
    db: Database, world: World
) -> None:
    wmp = world.forces["WMP"]
    first = publish(db, wmp, n=4)[0]

    async def body(hub: LiveHub) -> None:
        async with hub.subscribe(force_id=wmp, channels=["queue"], after=first):
            pass

    with pytest.raises(TooFarBehind):
        with_hub(db, body, max_backlog=2)


def test_a_page_whose_missed_events_were_pruned_is_told_to_reload(
    db: Database, world: World
) -> None:
    wmp = world.forces["WMP"]
    first = publish(db, wmp, n=3)[0]
    with db.unit_of_work() as uow:
        live.prune(uow.session, before=utcnow() + timedelta(minutes=1))
        uow.commit()

    async def body(hub: LiveHub) -> None:
        async with hub.subscribe(force_id=wmp, channels=["queue"], after=first):
            pass

    with pytest.raises(TooFarBehind):
        with_hub(db, body)


def test_a_page_too_slow_to_keep_up_is_told_to_reload_rather_than_skip_events(
    db: Database, world: World
) -> None:
    wmp = world.forces["WMP"]

    async def body(hub: LiveHub) -> None:
        async with hub.subscribe(force_id=wmp, channels=["queue"], after=None) as (sub, _):
            await asyncio.to_thread(publish, db, wmp, "queue", 3)
            await sub.next(WAIT)

    with pytest.raises(TooFarBehind):
        with_hub(db, body, queue_size=2)


def test_event_ids_keep_growing_even_after_every_stored_event_is_removed(
    db: Database, world: World
) -> None:
    wmp = world.forces["WMP"]
    old = publish(db, wmp, n=2)
    with db.unit_of_work() as uow:
        uow.session.execute(delete(LiveEvent))
        uow.commit()

    new = publish(db, wmp)

    assert new[0] > max(old)
