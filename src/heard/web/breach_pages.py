"""Pages: the live list of unresolved breaches, one breach with its evidence, and its outcome.

Evidence with places (the zone, the opening point, the track) comes from `breaches.evidence`,
which gives it to order managers only; others see the breach without any place, as in the API.
The outcome form posts to the same `record_outcome` the API uses. The list and the breach's
state refresh over the live stream (`/live/breaches`) when a breach is raised, updated or
escalated.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.clock import utcnow
from heard.db.states import InvalidTransition
from heard.incidents.models import Grade
from heard.orders import breaches, force_settings, service
from heard.orders.records import BREACH_TRANSITIONS, Breach, BreachStatus
from heard.orders.schemas import OutcomeIn
from heard.web import forms, order_words
from heard.web.console.common import render, stream
from heard.web.orders_pages import names
from heard.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require(Permission.ORDER_READ))]
Manager = Annotated[Principal, Depends(require(Permission.ORDER_MANAGE))]
UNRESOLVED = (BreachStatus.OPEN, BreachStatus.ATTENDED, BreachStatus.ARRESTED)
OUTCOME_WORDS = {
    BreachStatus.ATTENDED: "Attended",
    BreachStatus.ARRESTED: "Arrested",
    BreachStatus.CHARGED: "Charged",
    BreachStatus.NO_FURTHER_ACTION: "No further action",
}


def escalation(breach: Breach, *, after_minutes: float) -> dict[str, Any]:
    """Where the breach stands against the force's escalation clock: a state and its time."""
    if breach.escalated_at is not None:
        return {"state": "escalated", "at": breach.escalated_at}
    if breach.attended_at is not None or breach.status is not BreachStatus.OPEN:
        return {"state": "attended", "at": breach.attended_at}
    due = breach.raised_at + timedelta(minutes=after_minutes)
    return {"state": "escalation overdue" if due <= utcnow() else "escalates", "at": due}


def _unresolved(session: Session, principal: Principal) -> dict[str, Any]:
    found = [
        b
        for status in UNRESOLVED
        for b in breaches.list_breaches(session, force_id=principal.force_id, status=status)
    ]
    emergency_first = sorted(found, key=lambda b: (b.grade is not Grade.EMERGENCY, b.raised_at))
    after = force_settings.load(session, force_id=principal.force_id).escalate_after_minutes
    return {
        "breaches": emergency_first,
        "escalation": {b.id: escalation(b, after_minutes=after) for b in found},
    }


def _audit_list(session: Session, principal: Principal, found: list[Breach]) -> None:
    audit.record(
        session,
        actor=principal.actor(),
        action="breach.list",
        record_type="breach",
        reason="breaches page",
        details={"breach_ids": [b.id for b in found]},
    )


@router.get("/breaches", response_class=HTMLResponse)
def breaches_page(request: Request, principal: Reader, uow: UowDep) -> Response:
    live = stream(request, uow.session, url="/live/breaches", view="breaches")
    data = _unresolved(uow.session, principal)
    _audit_list(uow.session, principal, data["breaches"])
    uow.commit()
    return render(request, "orders/breaches.html", principal, live=live, **data)


@router.get("/breaches/panels/open", response_class=HTMLResponse)
def breaches_panel(request: Request, principal: Reader, uow: UowDep) -> Response:
    data = _unresolved(uow.session, principal)
    _audit_list(uow.session, principal, data["breaches"])
    uow.commit()
    return TEMPLATES.TemplateResponse(request, "orders/_breaches_table.html", data)


def _breach_context(session: Session, principal: Principal, breach: Breach) -> dict[str, Any]:
    manager = principal.can(Permission.ORDER_MANAGE)
    order = service.find_order(session, force_id=principal.force_id, order_id=breach.order_id)
    after = force_settings.load(session, force_id=principal.force_id).escalate_after_minutes
    latency = (
        (breach.raised_at - breach.point_received_at).total_seconds()
        if breach.point_received_at is not None
        else None
    )
    found = breaches.evidence(session, breach=breach, manager=manager)
    zone = found.get("zone") if manager else None
    return {
        "breach": breach,
        "order": order,
        "manager": manager,
        "zone_words": order_words.zone_words(zone, manager=True) if zone else None,
        "subject": names(
            session, force_id=order.force_id, record_ids={order.subject_record_id}
        ).get(order.subject_record_id),
        "evidence": found,
        "escalation": escalation(breach, after_minutes=after),
        "latency_s": latency,
        "outcomes": [
            (s.value, OUTCOME_WORDS[s])
            for s in OUTCOME_WORDS
            if BREACH_TRANSITIONS.allowed(breach.status, s)
        ],
    }


def _audit_view(session: Session, principal: Principal, breach: Breach) -> None:
    audit.record(
        session,
        actor=principal.actor(),
        action="breach.view",
        record_type="breach",
        record_id=breach.id,
        reason="breach page",
        details={"order_id": breach.order_id},
    )


def _breach_page(
    request: Request,
    principal: Principal,
    uow: UowDep,
    breach_id: int,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    breach = breaches.find_breach(uow.session, force_id=principal.force_id, breach_id=breach_id)
    live = stream(request, uow.session, url="/live/breaches", view="breach")
    context = _breach_context(uow.session, principal, breach)
    _audit_view(uow.session, principal, breach)
    uow.commit()
    return render(
        request,
        "orders/breach.html",
        principal,
        status=status,
        live=live,
        error=error,
        now_input=forms.local_input(utcnow()),
        **context,
    )


@router.get("/breaches/{breach_id}", response_class=HTMLResponse)
def breach_page(breach_id: int, request: Request, principal: Reader, uow: UowDep) -> Response:
    return _breach_page(request, principal, uow, breach_id)


@router.get("/breaches/{breach_id}/panels/state", response_class=HTMLResponse)
def breach_state_panel(
    breach_id: int, request: Request, principal: Reader, uow: UowDep
) -> Response:
    breach = breaches.find_breach(uow.session, force_id=principal.force_id, breach_id=breach_id)
    context = _breach_context(uow.session, principal, breach)
    _audit_view(uow.session, principal, breach)
    uow.commit()
    return TEMPLATES.TemplateResponse(request, "orders/_breach_state.html", context)


@router.post("/breaches/{breach_id}/outcome")
async def record_outcome(
    breach_id: int, request: Request, principal: Manager, uow: UowDep
) -> Response:
    breach = breaches.find_breach(uow.session, force_id=principal.force_id, breach_id=breach_id)
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=breach.order_id)
    form = await request.form()
    try:
        if str(form.get("status") or "") not in {s.value for s in OUTCOME_WORDS}:
            raise errors.Invalid(
                "choose what happened: attended, arrested, charged or no further action"
            )
        body = OutcomeIn.model_validate(
            {
                "version": forms.version(form.get("version")),
                "status": form.get("status"),
                "at": forms.local_time(form.get("at"), field="time of the outcome"),
                "reason": str(form.get("reason") or "").strip() or None,
            }
        )
        breaches.record_outcome(
            uow.session, breach=breach, order=order, body=body, actor=principal.actor()
        )
    except (errors.HeardError, ValidationError, InvalidTransition) as exc:
        uow.session.rollback()
        detail, status = forms.refusal(exc)
        return _breach_page(request, principal, uow, breach_id, error=detail, status=status)
    uow.commit()
    return RedirectResponse(f"/breaches/{breach_id}", status_code=303)
