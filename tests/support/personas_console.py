"""Persona specs for the console: review API, pages, panels and live streams."""

from __future__ import annotations

from typing import Any

from heard.auth.permissions import Permission, Role
from heard.db.uow import Database
from tests.support import console_world as cw
from tests.support.personas import RouteSpec
from tests.support.world import World

P = Permission


def da_call(db: Database, world: World) -> dict[str, Any]:
    return {"call_id": cw.da_call(db, world)}


def da_call_panel(db: Database, world: World) -> dict[str, Any]:
    return {"call_id": cw.da_call(db, world), "name": "advice"}


def claimed_call(db: Database, world: World) -> dict[str, Any]:
    return {"call_id": cw.claimed_call(db, world)}


def handed_over(db: Database, world: World) -> dict[str, Any]:
    call_id = cw.claimed_call(db, world)
    to = cw.another_specialist(db, world)
    return {"call_id": call_id, "__body__": {"to_user_id": to, "note": "end of my shift"}}


def reviewed_call(db: Database, world: World) -> dict[str, Any]:
    return {"call_id": cw.reviewed_call(db, world)}


def officer_advice(db: Database, world: World) -> dict[str, Any]:
    return {"advice_id": cw.officer_advice(db, world)[1]}


def assigned_incident(db: Database, world: World) -> dict[str, Any]:
    return {"incident_id": cw.assigned_incident(db, world)[1]}


def dispatch(db: Database, world: World) -> dict[str, Any]:
    officer = world.persona("WMP", Role.ATTENDING_OFFICER).user_id
    return {"call_id": cw.da_call(db, world), "__body__": {"officer_user_id": officer}}


ADVICE = {"audience": "handler", "text": "Ask whether the children are in the house."}
ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    # review API
    ("GET", "/api/v1/review/queue"): RouteSpec(P.QUEUE_READ),
    ("GET", "/api/v1/review/calls/{call_id}"): RouteSpec(P.QUEUE_READ, setup=da_call),
    ("POST", "/api/v1/review/calls/{call_id}/claim"): RouteSpec(P.REVIEW_RECORD, setup=da_call),
    ("POST", "/api/v1/review/calls/{call_id}/hand-over"): RouteSpec(
        P.REVIEW_RECORD, setup=handed_over
    ),
    ("POST", "/api/v1/review/calls/{call_id}/release"): RouteSpec(
        P.REVIEW_RECORD, setup=claimed_call
    ),
    ("POST", "/api/v1/review/calls/{call_id}/advice"): RouteSpec(
        P.ADVICE_SEND, setup=claimed_call, body=ADVICE
    ),
    ("POST", "/api/v1/review/calls/{call_id}/outcome"): RouteSpec(
        P.REVIEW_RECORD, setup=claimed_call, body={"agreed": True, "coaching": "Well done."}
    ),
    ("POST", "/api/v1/review/calls/{call_id}/close"): RouteSpec(
        P.REVIEW_RECORD, setup=reviewed_call
    ),
    ("POST", "/api/v1/advice/{advice_id}/acknowledge"): RouteSpec(
        P.ADVICE_READ, setup=officer_advice
    ),
    ("POST", "/api/v1/calls/{call_id}/officers"): RouteSpec(P.OFFICER_ASSIGN, setup=dispatch),
    ("GET", "/api/v1/officer/incidents"): RouteSpec(P.INCIDENT_ATTEND),
    ("POST", "/api/v1/officer/incidents/{incident_id}/acknowledge"): RouteSpec(
        P.INCIDENT_ATTEND, setup=assigned_incident
    ),
    # pages and their panels
    ("GET", "/calls"): RouteSpec(P.CALL_SCREEN),
    ("GET", "/calls/panels/list"): RouteSpec(P.CALL_SCREEN),
    ("GET", "/calls/{call_id}"): RouteSpec(P.CALL_SCREEN, setup=da_call),
    ("GET", "/calls/{call_id}/panels/{name}"): RouteSpec(P.CALL_SCREEN, setup=da_call_panel),
    ("GET", "/queue"): RouteSpec(P.QUEUE_READ),
    ("GET", "/queue/panels/table"): RouteSpec(P.QUEUE_READ),
    ("GET", "/queue/calls/{call_id}"): RouteSpec(P.QUEUE_READ, setup=da_call),
    ("GET", "/board"): RouteSpec(P.BOARD_READ),
    ("GET", "/board/panel"): RouteSpec(P.BOARD_READ),
    ("GET", "/officer"): RouteSpec(P.INCIDENT_ATTEND),
    ("GET", "/officer/panels/incidents"): RouteSpec(P.INCIDENT_ATTEND),
    ("GET", "/officer/incidents/{incident_id}"): RouteSpec(
        P.INCIDENT_ATTEND, setup=assigned_incident
    ),
    ("GET", "/officer/incidents/{incident_id}/panels/advice"): RouteSpec(
        P.INCIDENT_ATTEND, setup=assigned_incident
    ),
    # live streams (without an event-stream Accept header they answer as the polling fallback)
    ("GET", "/live/calls"): RouteSpec(P.CALL_SCREEN),
    ("GET", "/live/calls/{call_id}"): RouteSpec(P.CALL_SCREEN, setup=da_call),
    ("GET", "/live/queue"): RouteSpec(P.QUEUE_READ),
    ("GET", "/live/board"): RouteSpec(P.BOARD_READ),
    ("GET", "/live/officer"): RouteSpec(P.INCIDENT_ATTEND),
}
