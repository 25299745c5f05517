"""Persona specs: for every route, which permission it needs and how to make a record for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from heard.auth.permissions import Permission
from heard.db.uow import Database
from heard.jobs import service as jobs
from tests.support.world import World

Setup = Callable[[Database, World], dict[str, Any]]


@dataclass(frozen=True)
class RouteSpec:
    permission: Permission | None  # None: any signed-in person or system
    setup: Setup | None = None  # makes a record in WMP; returns path parameters
    body: dict[str, Any] | None = None
    lists: str | None = None  # for list routes: the JSON key that identifies a record
    query: dict[str, Any] | None = None  # query-string parameters the route needs
    allowed_status: frozenset[int] = field(default_factory=lambda: frozenset({200, 201}))


def new_job(db: Database, world: World) -> dict[str, Any]:
    with db.transaction() as session:
        job = jobs.enqueue(
            session, force_id=world.forces["WMP"], kind="audit.verify_chain", payload={}
        )
        return {"job_id": job.id}


def failed_job(db: Database, world: World) -> dict[str, Any]:
    params = new_job(db, world)
    from sqlalchemy import update

    from heard.jobs.models import Job, JobStatus

    with db.transaction() as session:
        session.execute(
            update(Job).where(Job.id == params["job_id"]).values(status=JobStatus.FAILED)
        )
    return params


def wmp_user(db: Database, world: World) -> dict[str, Any]:
    from heard.auth.permissions import Role

    return {"user_id": world.persona("WMP", Role.CALL_HANDLER).user_id}


def wmp_token(db: Database, world: World) -> dict[str, Any]:
    from sqlalchemy import select

    from heard.auth.models import ApiToken

    with db.unit_of_work() as uow:
        token_id = uow.session.scalar(
            select(ApiToken.id).where(ApiToken.force_id == world.forces["WMP"])
        )
        return {"token_id": token_id}


P = Permission
# Routes that need no sign-in, each with the reason.
PUBLIC_ROUTES = {
    ("GET", "/healthz"): "liveness probe for the orchestrator; says nothing about data",
    ("GET", "/readyz"): "readiness probe; reports only the schema revision",
    ("GET", "/metrics"): "Prometheus scrape; counters only, no personal data",
    ("GET", "/login"): "the sign-in page",
    ("POST", "/login"): "signing in",
    ("POST", "/logout"): "signing out works even with an expired session",
    ("GET", "/"): "redirects to /login when not signed in",
    ("GET", "/api/docs"): "API documentation",
    ("GET", "/docs/oauth2-redirect"): "part of the API documentation page",
    ("GET", "/api/openapi.json"): "API schema",
}

ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/api/v1/me"): RouteSpec(None),
    ("GET", "/api/v1/admin/users"): RouteSpec(P.USER_MANAGE, lists="username"),
    ("POST", "/api/v1/admin/users"): RouteSpec(
        P.USER_MANAGE,
        body={
            "username": "new.person",
            "display_name": "New",
            "role": "call_handler",
            "password": "a-long-enough-password",
        },
    ),
    ("POST", "/api/v1/admin/users/{user_id}/unlock"): RouteSpec(P.USER_MANAGE, setup=wmp_user),
    ("GET", "/api/v1/admin/tokens"): RouteSpec(P.TOKEN_MANAGE, lists="name"),
    ("POST", "/api/v1/admin/tokens"): RouteSpec(
        P.TOKEN_MANAGE, body={"name": "Persona token", "permissions": ["call:create"]}
    ),
    ("POST", "/api/v1/admin/tokens/{token_id}/revoke"): RouteSpec(P.TOKEN_MANAGE, setup=wmp_token),
    ("GET", "/api/v1/admin/jobs"): RouteSpec(P.JOB_MANAGE, lists="id"),
    ("GET", "/api/v1/admin/jobs/{job_id}"): RouteSpec(P.JOB_MANAGE, setup=new_job),
    ("POST", "/api/v1/admin/jobs/{job_id}/retry"): RouteSpec(P.JOB_MANAGE, setup=failed_job),
    ("POST", "/api/v1/admin/jobs/{job_id}/cancel"): RouteSpec(P.JOB_MANAGE, setup=new_job),
    ("GET", "/api/v1/admin/audit"): RouteSpec(P.AUDIT_READ, lists="hash"),
    ("POST", "/api/v1/admin/audit/verify"): RouteSpec(P.AUDIT_READ),
}


def _intake(db: Database, world: World, ref: str) -> Any:
    from heard.audit.service import system_actor
    from heard.calls import service as calls
    from heard.calls.index import LinkIndexes
    from heard.calls.schemas import CallIn

    force_id = world.forces["WMP"]
    body = CallIn.model_validate(
        {
            "source_ref": ref,
            "channel": "999",
            "received_at": "2026-11-30T21:00:00Z",
            "people": [
                {"role": "victim", "given_name": "Persona", "family_name": f"Test{ref}"},
                {"role": "suspect", "given_name": "Other", "family_name": f"Person{ref}"},
            ],
        }
    )
    with db.transaction() as session:
        index = LinkIndexes().for_force(session, force_id=force_id)
        return calls.intake(
            session, force_id=force_id, body=body, actor=system_actor(force_id), index=index
        )


_counter = iter(range(10**9))


def new_call(db: Database, world: World) -> dict[str, Any]:
    return {"call_id": _intake(db, world, f"P{next(_counter)}").call.id}


def new_record(db: Database, world: World) -> dict[str, Any]:
    result = _intake(db, world, f"P{next(_counter)}")
    return {"record_id": result.people[0][0].id}


def new_subject(db: Database, world: World) -> dict[str, Any]:
    result = _intake(db, world, f"P{next(_counter)}")
    return {"subject_id": result.people[0][0].subject_id}


def subjects_to_merge(db: Database, world: World) -> dict[str, Any]:
    result = _intake(db, world, f"P{next(_counter)}")
    keep, merge = (rec.subject_id for rec, _, _ in result.people)
    return {"__body__": {"keep_subject_id": keep, "merge_subject_id": merge, "reason": "same"}}


def _suggestion(db: Database, world: World, status: str) -> dict[str, Any]:
    from heard.calls.models import LinkSuggestion, SuggestionStatus
    from heard.clock import utcnow

    result = _intake(db, world, f"P{next(_counter)}")
    (victim, _, _), (suspect, _, _) = result.people
    with db.transaction() as session:
        suggestion = LinkSuggestion(
            force_id=world.forces["WMP"],
            call_id=result.call.id,
            record_id=victim.id,
            candidate_id=suspect.id,
            candidate_subject_id=suspect.subject_id,
            probability=0.5,
            explanation=[],
            status=SuggestionStatus(status),
            created_at=utcnow(),
        )
        session.add(suggestion)
        session.flush()
        return {"suggestion_id": suggestion.id}


def pending_suggestion(db: Database, world: World) -> dict[str, Any]:
    return _suggestion(db, world, "pending")


def rejected_suggestion(db: Database, world: World) -> dict[str, Any]:
    return _suggestion(db, world, "rejected")


def subject_change(db: Database, world: World) -> dict[str, Any]:
    from heard.audit.service import system_actor
    from heard.calls import decisions

    record_id = new_record(db, world)["record_id"]
    with db.transaction() as session:
        change = decisions.split(
            session,
            force_id=world.forces["WMP"],
            record_id=record_id,
            actor=system_actor(world.forces["WMP"]),
            reason="setup",
        )
        return {"change_id": change.id}


REASON = {"reason": "persona check"}
CALL_BODY = {
    "source_ref": "PERSONA-1",
    "channel": "999",
    "received_at": "2026-11-30T21:00:00Z",
    "people": [{"role": "victim", "given_name": "Persona", "family_name": "Caller"}],
}
ROUTE_SPECS.update(
    {
        ("POST", "/api/v1/calls"): RouteSpec(P.CALL_CREATE, body=CALL_BODY),
        ("GET", "/api/v1/calls/{call_id}"): RouteSpec(P.CALL_READ, setup=new_call),
        ("GET", "/api/v1/calls/{call_id}/context"): RouteSpec(P.CALL_READ, setup=new_call),
        ("PATCH", "/api/v1/calls/{call_id}"): RouteSpec(
            P.CALL_CREATE, setup=new_call, body={"free_text": "more detail"}
        ),
        ("POST", "/api/v1/calls/{call_id}/close"): RouteSpec(
            P.CALL_CREATE, setup=new_call, body={"disposition": "attended"}
        ),
        ("POST", "/api/v1/links/{suggestion_id}/confirm"): RouteSpec(
            P.LINK_DECIDE, setup=pending_suggestion, body=REASON
        ),
        ("POST", "/api/v1/links/{suggestion_id}/reject"): RouteSpec(
            P.LINK_DECIDE, setup=pending_suggestion, body=REASON
        ),
        ("POST", "/api/v1/links/{suggestion_id}/reopen"): RouteSpec(
            P.LINK_DECIDE, setup=rejected_suggestion, body=REASON
        ),
        ("POST", "/api/v1/subjects/merge"): RouteSpec(P.LINK_DECIDE, setup=subjects_to_merge),
        ("POST", "/api/v1/person-records/{record_id}/split"): RouteSpec(
            P.LINK_DECIDE, setup=new_record, body=REASON
        ),
        ("POST", "/api/v1/subject-changes/{change_id}/reverse"): RouteSpec(
            P.LINK_DECIDE, setup=subject_change, body=REASON
        ),
        ("GET", "/api/v1/subjects/{subject_id}"): RouteSpec(P.PERSON_READ, setup=new_subject),
    }
)


def _load_domain_specs() -> None:
    """Each domain keeps its specs in tests/support/personas_<domain>.py as ROUTE_SPECS."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("personas_*.py")):
        module = importlib.import_module(f"tests.support.{path.stem}")
        ROUTE_SPECS.update(module.ROUTE_SPECS)


_load_domain_specs()


ROUTE_SPECS[("GET", "/api/v1/people/search")] = RouteSpec(
    P.PERSON_READ, query={"family_name": "Persona"}
)
