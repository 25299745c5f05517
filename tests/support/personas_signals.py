"""Persona specs for transcripts, warning signs, the acknowledgement ledger and grading."""

from __future__ import annotations

from typing import Any

from heard.auth.permissions import Permission, Role
from heard.db.uow import Database
from tests.support.personas import RouteSpec, new_call
from tests.support.world import World

P = Permission


def _actor(world: World, role: Role) -> Any:
    from heard.audit.service import Actor

    persona = world.persona("WMP", role)
    return Actor(
        user_id=persona.user_id,
        username=persona.username,
        role=role.value,
        force_id=world.forces["WMP"],
    )


def warning_sign(db: Database, world: World) -> dict[str, Any]:
    """A call with one transcript cue raised as a warning sign."""
    from heard.incidents.models import Call
    from heard.signals import service
    from heard.signals.schemas import SegmentIn
    from heard.signals.transcript import CueStates

    call_id = new_call(db, world)["call_id"]
    with db.transaction() as session:
        call = session.get_one(Call, call_id)
        segment = SegmentIn(
            segment_id="s1",
            speaker="caller",
            text="my husband has got a knife and he said he will kill me",
            start_ms=0,
            end_ms=4000,
        )
        result = service.add_transcript(session, call=call, segments=[segment], states=CueStates())
        assert result.refresh is not None and result.refresh.raised
        return {"sign_id": result.refresh.raised[0].id}


def pending_grade_change(db: Database, world: World) -> dict[str, Any]:
    """A grade set below Heard's suggestion by the call handler, waiting for a second person."""
    from heard.incidents.models import Call, Grade
    from heard.signals import grade_decisions, service

    call_id = new_call(db, world)["call_id"]
    with db.transaction() as session:
        call = session.get_one(Call, call_id)
        state = service.lock_state(session, call=call)
        state.suggested_grade = Grade.EMERGENCY
        change = grade_decisions.set_grade(
            session,
            call=call,
            grade=Grade.SCHEDULED,
            reason="caller says he has left and she is safe with her sister",
            actor=_actor(world, Role.CALL_HANDLER),
        )
        return {"change_id": change.id}


SEGMENT = {
    "segment_id": "p1",
    "speaker": "caller",
    "text": "he is outside",
    "start_ms": 0,
    "end_ms": 900,
}
ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("POST", "/api/v1/calls/{call_id}/transcript"): RouteSpec(
        P.TRANSCRIPT_WRITE, setup=new_call, body=SEGMENT
    ),
    ("GET", "/api/v1/calls/{call_id}/transcript"): RouteSpec(P.CALL_READ, setup=new_call),
    ("GET", "/api/v1/calls/{call_id}/warning-signs"): RouteSpec(P.CALL_READ, setup=new_call),
    ("POST", "/api/v1/warning-signs/{sign_id}/acknowledge"): RouteSpec(
        P.SIGNAL_ACKNOWLEDGE, setup=warning_sign, body={"action": "asked_about_it"}
    ),
    ("GET", "/api/v1/warning-signs"): RouteSpec(P.CALL_READ),
    ("GET", "/api/v1/warning-signs/statistics"): RouteSpec(P.CALL_READ),
    ("GET", "/api/v1/calls/{call_id}/grade"): RouteSpec(P.CALL_READ, setup=new_call),
    ("POST", "/api/v1/calls/{call_id}/grade"): RouteSpec(
        P.GRADE_SET, setup=new_call, body={"grade": "emergency"}
    ),
    ("GET", "/api/v1/grade-changes"): RouteSpec(P.GRADE_SIGN_OFF),
    ("POST", "/api/v1/grade-changes/{change_id}/sign-off"): RouteSpec(
        P.GRADE_SIGN_OFF, setup=pending_grade_change, body={"note": "agreed after listening"}
    ),
    ("POST", "/api/v1/grade-changes/{change_id}/reject"): RouteSpec(
        P.GRADE_SIGN_OFF,
        setup=pending_grade_change,
        body={"reason": "he is still nearby; send officers"},
    ),
}
