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
