"""Monitoring API: telemetry in, breaches out, tracked to an outcome, and per-force settings.

Telemetry is acknowledged only after its transaction commits. Breach evidence with positions
(the zone, the tracks) is shown to order managers only; others see the breach without places.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.clock import utcnow
from heard.incidents.models import Grade
from heard.orders import breaches, evidence_pdf, force_settings, service, telemetry
from heard.orders.records import Breach, BreachKind, BreachStatus
from heard.orders.schemas import (
    BreachOut,
    BreachReportIn,
    OutcomeIn,
    SettingsIn,
    SettingsOut,
    TelemetryAck,
    TelemetryIn,
)

router = APIRouter()
Manager = Annotated[Principal, Depends(require(Permission.ORDER_MANAGE))]
Reader = Annotated[Principal, Depends(require(Permission.ORDER_READ))]
Centre = Annotated[Principal, Depends(require(Permission.TELEMETRY_WRITE))]


@router.post(
    "/telemetry",
    response_model=TelemetryAck,
    responses={422: {"description": "no point in the batch could be stored"}},
)
def receive_telemetry(
    body: TelemetryIn, principal: Centre, uow: UowDep, request: Request
) -> TelemetryAck:
    """Store a batch of points; bad points are reported by index and the good ones kept."""
    stored, duplicates, checked = telemetry.receive(
        uow.session, force_id=principal.force_id, raw=body.points
    )
    if not checked.rows and not checked.repeated_in_batch:
        raise errors.Invalid(
            "no point in the batch could be stored; fix the points named in errors and resend",
            errors=[r.model_dump() for r in checked.rejected],
        )
    uow.commit()
    monitor = getattr(request.app.state, "live_monitor", None)
    if monitor is not None:
        monitor.notify()
    return TelemetryAck(stored=stored, duplicates=duplicates, rejected=checked.rejected)


def _breach_out(session: Session, breach: Breach, principal: Principal) -> BreachOut:
    manager = principal.can(Permission.ORDER_MANAGE)
    out = BreachOut.model_validate(breach)
    out.evidence = breaches.evidence(session, breach=breach, manager=manager)
    return out


@router.get("/breaches", response_model=list[BreachOut])
def list_breaches(
    principal: Reader,
    uow: UowDep,
    status: Annotated[BreachStatus | None, Query()] = None,
    order_id: Annotated[int | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[BreachOut]:
    found = breaches.list_breaches(
        uow.session, force_id=principal.force_id, status=status, order_id=order_id, limit=limit
    )
    manager = principal.can(Permission.ORDER_MANAGE)
    out = []
    for breach in found:
        item = BreachOut.model_validate(breach)
        item.evidence = {} if not manager else dict(breach.evidence or {})
        out.append(item)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="breach.list",
        record_type="breach",
        details={"breach_ids": [b.id for b in found]},
    )
    uow.commit()
    return out


@router.get("/breaches/stats")
def breach_statistics(
    principal: Reader, uow: UowDep, since: Annotated[datetime | None, Query()] = None
) -> dict[str, Any]:
    if since is not None and since.tzinfo is None:
        raise errors.Invalid("since needs a time zone, e.g. 2026-11-01T00:00:00Z")
    return breaches.statistics(uow.session, force_id=principal.force_id, since=since)


@router.get("/breaches/{breach_id}", response_model=BreachOut)
def get_breach(breach_id: int, principal: Reader, uow: UowDep) -> BreachOut:
    breach = breaches.find_breach(uow.session, force_id=principal.force_id, breach_id=breach_id)
    out = _breach_out(uow.session, breach, principal)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="breach.view",
        record_type="breach",
        record_id=breach.id,
        details={"order_id": breach.order_id},
    )
    uow.commit()
    return out


@router.post("/breaches/{breach_id}/outcome", response_model=BreachOut)
def record_outcome(breach_id: int, body: OutcomeIn, principal: Manager, uow: UowDep) -> BreachOut:
    breach = breaches.find_breach(uow.session, force_id=principal.force_id, breach_id=breach_id)
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=breach.order_id)
    breaches.record_outcome(
        uow.session, breach=breach, order=order, body=body, actor=principal.actor()
    )
    out = _breach_out(uow.session, breach, principal)
    uow.commit()
    return out


@router.post("/orders/{order_id}/breaches", response_model=BreachOut, status_code=201)
def report_breach(
    order_id: int, body: BreachReportIn, principal: Manager, uow: UowDep
) -> BreachOut:
    """A breach reported by a person rather than found by monitoring."""
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=order_id)
    breach = breaches.open_breach(
        uow.session,
        force_id=principal.force_id,
        order_id=order.id,
        kind=BreachKind.REPORTED,
        started_at=body.occurred_at,
        grade=Grade(body.grade),
        description=body.description,
        evidence={"reported_by": principal.name},
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="breach.report",
        record_type="breach",
        record_id=breach.id,
        details={"order_id": order.id},
    )
    out = _breach_out(uow.session, breach, principal)
    uow.commit()
    return out


@router.get(
    "/breaches/{breach_id}/evidence.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def evidence_document(breach_id: int, principal: Manager, uow: UowDep) -> Response:
    breach = breaches.find_breach(uow.session, force_id=principal.force_id, breach_id=breach_id)
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=breach.order_id)
    found = breaches.evidence(uow.session, breach=breach, manager=True)
    facts = evidence_pdf.content(
        breach=breach,
        order=order,
        evidence=found,
        prepared_by=principal.name,
        at=utcnow().isoformat(timespec="seconds"),
    )
    document = evidence_pdf.render(facts)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="breach.evidence_export",
        record_type="breach",
        record_id=breach.id,
        details={"pdf_sha256": document.pdf_sha256, "content_sha256": document.content_sha256},
    )
    uow.commit()
    return Response(
        content=document.pdf,
        media_type="application/pdf",
        headers={
            "X-Content-SHA256": document.pdf_sha256,
            "X-Evidence-SHA256": document.content_sha256,
            "Content-Disposition": f'attachment; filename="breach-{breach.id}-evidence.pdf"',
        },
    )


@router.get("/monitoring/settings", response_model=SettingsOut)
def get_settings(principal: Manager, uow: UowDep) -> SettingsOut:
    chosen = force_settings.load(uow.session, force_id=principal.force_id)
    return SettingsOut.model_validate(chosen)


@router.put("/monitoring/settings", response_model=SettingsOut)
def put_settings(body: SettingsIn, principal: Manager, uow: UowDep) -> SettingsOut:
    chosen = force_settings.save(
        uow.session, force_id=principal.force_id, body=body, actor=principal.actor()
    )
    uow.commit()
    return SettingsOut.model_validate(chosen)
