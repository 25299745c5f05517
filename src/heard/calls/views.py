"""Intake API: calls in, safeguarding context out; people's decisions on links."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.calls import context, decisions, search, service
from heard.calls.hooks import CallChange, CallHooks
from heard.calls.index import ForceIndex, LinkIndexes, link_record
from heard.calls.linking import LinkOutcome
from heard.calls.schemas import (
    CallIn,
    CallOut,
    CallPatch,
    CloseIn,
    ContextOut,
    DecisionIn,
    MergeIn,
)
from heard.calls.search import SearchQuery
from heard.clock import utcnow
from heard.incidents.models import Call, Role
from heard.people.models import PersonRecord
from heard.runtime import Runtime
from heard.schemas_base import json_response

router = APIRouter(prefix="/api/v1", tags=["calls"])
Intake = Annotated[Principal, Depends(require(Permission.CALL_CREATE))]
Reader = Annotated[Principal, Depends(require(Permission.CALL_READ))]
PersonReader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]
Decider = Annotated[Principal, Depends(require(Permission.LINK_DECIDE))]
People = list[tuple[PersonRecord, Role, LinkOutcome]]


def _hooks(
    request: Request, session: Session, *, call: Call, change: CallChange, principal: Principal
) -> tuple[dict[str, Any], float]:
    """What the domains above calls derive from the call (warning signs, the suggested grade),
    and the milliseconds it took."""
    hooks: CallHooks | None = getattr(request.app.state, "call_hooks", None)
    if hooks is None:
        return {}, 0.0
    started = time.perf_counter()
    found = hooks.run(session, call=call, change=change, actor=principal.actor())
    return found, round((time.perf_counter() - started) * 1000, 2)


def _extend(
    out: ContextOut,
    request: Request,
    session: Session,
    *,
    call: Call,
    change: CallChange,
    principal: Principal,
) -> ContextOut:
    out.extensions, out.timings_ms["hooks"] = _hooks(
        request, session, call=call, change=change, principal=principal
    )
    return out


def _index(request: Request, session: Session, force_id: int) -> ForceIndex:
    """The force's index, brought up to date within the request's transaction.

    On SQLite the request already holds the write lock (taken when its credentials were read), so
    the index is refreshed on that same connection; `ForceIndex.refresh` reads the database before
    taking the index lock, so no one waits for the index while holding the write lock.
    """
    indexes: LinkIndexes = request.app.state.link_indexes
    return indexes.for_force(session, force_id=force_id)


def _refresh(
    request: Request,
    index: ForceIndex,
    force_id: int,
    people: list[tuple[PersonRecord, Role, LinkOutcome]],
) -> None:
    """After commit, file the call's records at once. They are in hand, and a record without an
    address of its own is indexed without a postcode, as a read from the database gives it;
    one with its own address is read back with its postcode instead."""
    if any(record.location_id is not None for record, _, _ in people):
        runtime: Runtime = request.app.state.runtime
        with runtime.db.read_only() as session:
            index.refresh(session, force_id=force_id)
        return
    index.file(link_record(record, None) for record, _, _ in people)


def _person_view(record: PersonRecord, role: Role, outcome: LinkOutcome) -> dict[str, Any]:
    return {
        "record_id": record.id,
        "role": role.value,
        "name": record.name_raw,
        "date_of_birth": record.date_of_birth.isoformat() if record.date_of_birth else None,
        "subject_id": record.subject_id,
        "link": outcome.link,
        "confidence": outcome.confidence,
        "candidates": [vars(c) for c in outcome.candidates],
    }


def build_context(
    session: Session,
    *,
    call: Call,
    people: People,
    incident_link: str,
    principal: Principal,
    started: float,
) -> ContextOut:
    """The context, with every subject shown audited as a read of a person's record."""
    linked = time.perf_counter()
    roles: dict[int, list[str]] = {}
    for record, role, _ in people:
        if record.subject_id is not None:
            roles.setdefault(record.subject_id, []).append(role.value)
    subjects = context.subject_summaries(
        session, roles={sid: sorted(set(r)) for sid, r in roles.items()}, at=call.received_at
    )
    for summary in subjects:
        audit.record(
            session,
            actor=principal.actor(),
            action="person.view",
            record_type="subject",
            record_id=summary["subject_id"],
            reason=f"safeguarding context for call {call.id}",
        )
    location = (
        context.location_summary(session, location_id=call.location_id, at=call.received_at)
        if call.location_id
        else None
    )
    done = time.perf_counter()
    return ContextOut.model_validate(
        {
            "call": CallOut.model_validate(call),
            "incident_link": incident_link,
            "people": [_person_view(*p) for p in people],
            "subjects": subjects,
            "location": location,
            "timings_ms": {
                "link": round((linked - started) * 1000, 2),
                "history": round((done - linked) * 1000, 2),
            },
        }
    )


@router.post(
    "/calls",
    response_model=ContextOut,
    status_code=201,
    responses={200: {"description": "already received (same source_ref)"}},
)
def receive_call(body: CallIn, principal: Intake, uow: UowDep, request: Request) -> Response:
    started = time.perf_counter()
    index = _index(request, uow.session, principal.force_id)
    result = service.intake(
        uow.session, force_id=principal.force_id, body=body, actor=principal.actor(), index=index
    )
    out = build_context(
        uow.session,
        call=result.call,
        people=result.people,
        incident_link=result.incident_link,
        principal=principal,
        started=started,
    )
    change = CallChange.RECEIVED if result.created else CallChange.VIEWED
    _extend(out, request, uow.session, call=result.call, change=change, principal=principal)
    uow.commit()
    filing = time.perf_counter()
    _refresh(request, index, principal.force_id, result.people)
    out.timings_ms |= {
        "commit": round(uow.commit_ms, 2),
        "events": round(uow.deliver_ms, 2),
        "index": round((time.perf_counter() - filing) * 1000, 2),
    }
    return json_response(out, status_code=201 if result.created else 200)


@router.get("/calls/{call_id}", response_model=CallOut)
def get_call(call_id: int, principal: Reader, uow: UowDep) -> CallOut:
    call = service.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="call.view",
        record_type="call",
        record_id=call.id,
    )
    uow.commit()
    return CallOut.model_validate(call)


@router.get("/calls/{call_id}/context", response_model=ContextOut)
def call_context(call_id: int, principal: Reader, uow: UowDep, request: Request) -> Response:
    started = time.perf_counter()
    call = service.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    people = service.people_on_call(uow.session, call=call)
    link = "attached" if call.suggested_incident_id is None else "suggested"
    out = build_context(
        uow.session,
        call=call,
        people=people,
        incident_link=link,
        principal=principal,
        started=started,
    )
    _extend(out, request, uow.session, call=call, change=CallChange.VIEWED, principal=principal)
    uow.commit()
    return json_response(out)


@router.patch("/calls/{call_id}", response_model=ContextOut)
def update_call(
    call_id: int, body: CallPatch, principal: Intake, uow: UowDep, request: Request
) -> Response:
    started = time.perf_counter()
    call = service.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    index = _index(request, uow.session, principal.force_id)
    people = service.add_details(
        uow.session, call=call, body=body, actor=principal.actor(), index=index
    )
    out = build_context(
        uow.session,
        call=call,
        people=people,
        incident_link="attached",
        principal=principal,
        started=started,
    )
    _extend(out, request, uow.session, call=call, change=CallChange.UPDATED, principal=principal)
    uow.commit()
    _refresh(request, index, principal.force_id, people)
    return json_response(out)


@router.post("/calls/{call_id}/close", response_model=CallOut)
def close_call(
    call_id: int, body: CloseIn, principal: Intake, uow: UowDep, request: Request
) -> CallOut:
    call = service.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    service.close(uow.session, call=call, disposition=body.disposition, actor=principal.actor())
    _hooks(request, uow.session, call=call, change=CallChange.CLOSED, principal=principal)
    uow.commit()
    return CallOut.model_validate(call)


@router.post("/links/{suggestion_id}/confirm")
def confirm_link(
    suggestion_id: int, body: DecisionIn, principal: Decider, uow: UowDep
) -> dict[str, Any]:
    change = decisions.confirm(
        uow.session,
        force_id=principal.force_id,
        suggestion_id=suggestion_id,
        actor=principal.actor(),
        reason=body.reason,
    )
    uow.commit()
    return {"change_id": change.id, "subject_id": change.to_subject_id, "moved": change.moved}


@router.post("/links/{suggestion_id}/reject")
def reject_link(
    suggestion_id: int, body: DecisionIn, principal: Decider, uow: UowDep
) -> dict[str, Any]:
    suggestion = decisions.reject(
        uow.session,
        force_id=principal.force_id,
        suggestion_id=suggestion_id,
        actor=principal.actor(),
        reason=body.reason,
    )
    uow.commit()
    return {"suggestion_id": suggestion.id, "status": suggestion.status.value}


@router.post("/links/{suggestion_id}/reopen")
def reopen_link(
    suggestion_id: int, body: DecisionIn, principal: Decider, uow: UowDep
) -> dict[str, Any]:
    suggestion = decisions.undo_rejection(
        uow.session,
        force_id=principal.force_id,
        suggestion_id=suggestion_id,
        actor=principal.actor(),
        reason=body.reason,
    )
    uow.commit()
    return {"suggestion_id": suggestion.id, "status": suggestion.status.value}


@router.post("/subjects/merge")
def merge_subjects(body: MergeIn, principal: Decider, uow: UowDep) -> dict[str, Any]:
    change = decisions.merge(
        uow.session,
        force_id=principal.force_id,
        keep_subject_id=body.keep_subject_id,
        merge_subject_id=body.merge_subject_id,
        actor=principal.actor(),
        reason=body.reason,
    )
    uow.commit()
    return {"change_id": change.id, "subject_id": change.to_subject_id, "moved": change.moved}


@router.post("/person-records/{record_id}/split")
def split_record(
    record_id: int, body: DecisionIn, principal: Decider, uow: UowDep
) -> dict[str, Any]:
    change = decisions.split(
        uow.session,
        force_id=principal.force_id,
        record_id=record_id,
        actor=principal.actor(),
        reason=body.reason,
    )
    uow.commit()
    return {"change_id": change.id, "subject_id": change.to_subject_id, "moved": change.moved}


@router.post("/subject-changes/{change_id}/reverse")
def reverse_change(
    change_id: int, body: DecisionIn, principal: Decider, uow: UowDep
) -> dict[str, Any]:
    change = decisions.reverse(
        uow.session,
        force_id=principal.force_id,
        change_id=change_id,
        actor=principal.actor(),
        reason=body.reason,
    )
    uow.commit()
    return {"change_id": change.id, "reversed_at": change.reversed_at}


@router.get("/subjects/{subject_id}")
def subject_history(subject_id: int, principal: PersonReader, uow: UowDep) -> dict[str, Any]:
    subject = decisions._subject(uow.session, force_id=principal.force_id, subject_id=subject_id)
    summary = context.subject_summary(
        uow.session, subject_id=subject.id, at=utcnow(), roles_on_call=[]
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="person.view",
        record_type="subject",
        record_id=subject.id,
        reason="subject history viewed",
    )
    uow.commit()
    return summary


@router.get("/people/search")
def search_people(
    principal: PersonReader,
    uow: UowDep,
    request: Request,
    family_name: Annotated[str | None, Query(max_length=80)] = None,
    given_name: Annotated[str | None, Query(max_length=80)] = None,
    date_of_birth: Annotated[str | None, Query(max_length=20)] = None,
    phone: Annotated[str | None, Query(max_length=40)] = None,
    postcode: Annotated[str | None, Query(max_length=12)] = None,
    scope: Annotated[Literal["force", "national"], Query()] = "force",
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> list[dict[str, Any]]:
    """Find people by name, date of birth or phone; `scope=national` is for national roles."""
    query = SearchQuery(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        phone=phone,
        postcode=postcode,
        national=scope == "national",
        reason=reason,
    )
    found = search.search_people(
        uow.session, principal=principal, query=query, indexes=request.app.state.link_indexes
    )
    uow.commit()
    return found
