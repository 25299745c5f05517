"""Live delivery over real HTTP: Server-Sent Events with resume, heartbeats, the polling fallback,
and who receives what (force and officer scoping). Runs on SQLite and on PostgreSQL, where the
hub is woken by LISTEN/NOTIFY; polling is set to 30 s so only those wake-ups can pass in time."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from heard.app import build_runtime, create_app
from heard.auth.permissions import Role
from heard.calls import service as calls
from heard.live.models import LiveEvent
from heard.review import advice, officers, service
from heard.review.models import Audience
from heard.runtime import Runtime
from tests.conftest import test_settings
from tests.support import console_world as cw
from tests.support.sse_client import Event, open_stream, serve
from tests.support.world import World, build_world

DEADLINE = 10.0


@pytest.fixture
def live_runtime(database_url: str) -> Iterator[Runtime]:
    settings = test_settings(database_url, live_heartbeat_seconds=0.5, live_poll_seconds=30)
    runtime = build_runtime(settings)
    yield runtime
    runtime.db.dispose()


@pytest.fixture
def live_world(live_runtime: Runtime) -> World:
    return build_world(live_runtime.db)


@pytest.fixture
def base(live_runtime: Runtime, live_world: World) -> Iterator[str]:
    app: FastAPI = create_app(live_runtime.settings, runtime=live_runtime)
    with serve(app) as url:
        yield url


def cookie(world: World, force: str, role: Role) -> str:
    return world.persona(force, role).session_token


def is_queue(event: Event) -> bool:
    return event.event == "queue"


def queue_event_ids(runtime: Runtime, force: int) -> list[int]:
    with runtime.db.unit_of_work() as uow:
        query = select(LiveEvent.id).where(
            LiveEvent.force_id == force, LiveEvent.channel == "queue"
        )
        return list(uow.session.scalars(query.order_by(LiveEvent.id)))


def test_a_specialists_stream_receives_a_new_domestic_abuse_call_as_it_arrives(
    base: str, live_runtime: Runtime, live_world: World
) -> None:
    with open_stream(
        base, "/live/queue", cookie=cookie(live_world, "WMP", Role.DA_SPECIALIST)
    ) as sse:
        sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)  # the stream is subscribed
        cw.da_call(live_runtime.db, live_world)
        event = sse.until(is_queue, seconds=DEADLINE)

    assert event.json() == {"refresh": ["queue"]}
    assert event.id == queue_event_ids(live_runtime, live_world.forces["WMP"])[-1]


def test_a_stream_resumed_with_last_event_id_gets_every_event_it_missed_in_order(
    base: str, live_runtime: Runtime, live_world: World
) -> None:
    specialist = cookie(live_world, "WMP", Role.DA_SPECIALIST)
    with open_stream(base, "/live/queue", cookie=specialist) as sse:
        sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)
        cw.da_call(live_runtime.db, live_world)
        seen = sse.until(is_queue, seconds=DEADLINE)
    # The connection dropped; three calls arrive before the browser reconnects.
    for _ in range(3):
        cw.da_call(live_runtime.db, live_world)
    missed = queue_event_ids(live_runtime, live_world.forces["WMP"])[-3:]

    with open_stream(base, "/live/queue", cookie=specialist, last_event_id=seen.id) as sse:
        got = sse.collect(seconds=DEADLINE, stop=lambda e: e.id == missed[-1])

    assert [e.id for e in got] == missed


def test_every_stream_sends_heartbeats_so_a_dead_connection_is_noticed(
    base: str, live_world: World
) -> None:
    with open_stream(base, "/live/board", cookie=cookie(live_world, "WMP", Role.SUPERVISOR)) as sse:
        first = sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)
        second = sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)

    assert first.id is None and second.id is None  # heartbeats never move the resume point
    assert "at" in second.json()


def test_the_polling_fallback_answers_with_the_same_events_as_json(
    base: str, live_runtime: Runtime, live_world: World
) -> None:
    specialist = cookie(live_world, "WMP", Role.DA_SPECIALIST)
    with httpx.Client(base_url=base, cookies={"heard_session": specialist}) as client:
        start = client.get("/live/queue").json()
        cw.da_call(live_runtime.db, live_world)
        cw.da_call(live_runtime.db, live_world)
        body = client.get("/live/queue", params={"after": start["cursor"]}).json()
        again = client.get("/live/queue", params={"after": body["cursor"]}).json()

    ids = queue_event_ids(live_runtime, live_world.forces["WMP"])[-2:]
    assert [e["id"] for e in body["events"]] == ids
    assert body["events"][0] == {"id": ids[0], "event": "queue", "data": {"refresh": ["queue"]}}
    assert body["reload"] is False and body["more"] is False
    assert again["events"] == [] and again["cursor"] >= ids[-1]


def test_a_specialist_never_receives_the_queue_of_another_force(
    base: str, live_runtime: Runtime, live_world: World
) -> None:
    with open_stream(
        base, "/live/queue", cookie=cookie(live_world, "NMP", Role.DA_SPECIALIST)
    ) as sse:
        sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)
        cw.da_call(live_runtime.db, live_world, "WMP")
        cw.da_call(live_runtime.db, live_world, "NMP")
        first = sse.until(is_queue, seconds=DEADLINE)

    assert first.id == queue_event_ids(live_runtime, live_world.forces["NMP"])[-1]
    assert first.id not in queue_event_ids(live_runtime, live_world.forces["WMP"])


def test_an_officer_is_told_only_about_advice_on_incidents_they_were_sent_to(
    base: str, live_runtime: Runtime, live_world: World
) -> None:
    other_officer = cw.another_officer(live_runtime.db, live_world)
    db = live_runtime.db
    with open_stream(base, "/live/officer", cookie=other_officer.session_token) as sse:
        sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)
        cw.officer_advice(db, live_world)  # to the incident of the force's other officer
        call_id = cw.da_call(db, live_world)
        with db.transaction() as session:
            call = calls.find_call(session, force_id=live_world.forces["WMP"], call_id=call_id)
            officers.assign(
                session,
                call=call,
                actor=cw.actor_for(live_world, "WMP", Role.CALL_HANDLER),
                officer_user_id=other_officer.user_id,
            )
        first = sse.until(lambda e: e.event != "heartbeat", seconds=DEADLINE)
        with db.transaction() as session:
            call = calls.find_call(session, force_id=live_world.forces["WMP"], call_id=call_id)
            specialist = cw.actor_for(live_world, "WMP", Role.DA_SPECIALIST)
            service.claim(session, call=call, actor=specialist)
            advice.send(
                session, call=call, actor=specialist, audience=Audience.OFFICERS,
                text="He may have a key to the back door.", urgent=False,
            )  # fmt: skip
        second = sse.until(lambda e: e.event != "heartbeat", seconds=DEADLINE)

    assert first.event == "assignment"
    assert second.event == "advice"
    assert second.json()["alert"]["kind"] == "advice"
