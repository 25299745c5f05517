"""Pages: the order manager's register and one order (parties, conditions, clocks, history,
monitoring, alerts and breaches), with forms for service and duties met.

They call the register's own services and presenters, so the rules are the API's: a reader
without `order:manage` is given `OrderView`, which has no zone geometry, service address or
protected person's device, and the page is built from that view alone. Every view of an order
is audited in the same transaction; every decision is audited by the service that makes it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.clock import utcnow
from heard.db.states import InvalidTransition
from heard.orders import alerts, breaches, duties, service
from heard.orders.models import Order, OrderStatus, OrderType
from heard.orders.schemas import DutyDoneIn, ServiceIn
from heard.orders.views import view_for
from heard.people.models import PersonRecord
from heard.web import forms, order_words
from heard.web.console.common import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require(Permission.ORDER_READ))]
Manager = Annotated[Principal, Depends(require(Permission.ORDER_MANAGE))]
REGISTER_LIMIT = 200


def names(session: Session, *, force_id: int, record_ids: set[int]) -> dict[int, str]:
    """Names as recorded, for the people on orders (the read is audited with the order)."""
    if not record_ids:
        return {}
    rows = session.execute(
        select(PersonRecord.id, PersonRecord.name_raw).where(
            PersonRecord.force_id == force_id, PersonRecord.id.in_(record_ids)
        )
    )
    return {int(record_id): str(name) for record_id, name in rows.all()}


def _choice(value: str | None, allowed: type[OrderStatus] | type[OrderType]) -> Any:
    if not value:
        return None
    try:
        return allowed(value)
    except ValueError:
        choices = ", ".join(v.value for v in allowed)
        raise errors.Invalid(f"{value[:40]!r} is not one of: {choices}") from None


@router.get("/orders", response_class=HTMLResponse)
def register_page(
    request: Request,
    principal: Reader,
    uow: UowDep,
    status: str | None = None,
    order_type: str | None = None,
) -> Response:
    chosen_status = _choice(status, OrderStatus)
    chosen_type = _choice(order_type, OrderType)
    found = service.list_orders(
        uow.session,
        force_id=principal.force_id,
        status=chosen_status,
        order_type=chosen_type,
        limit=REGISTER_LIMIT,
    )
    now = utcnow()
    overdue = duties.overdue_counts(uow.session, order_ids=[o.id for o in found], now=now)
    people = names(
        uow.session,
        force_id=principal.force_id,
        record_ids={o.subject_record_id for o in found},
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="order.list",
        record_type="order",
        reason="order register page",
        details={"order_ids": [o.id for o in found]},
    )
    uow.commit()
    return render(
        request,
        "orders/register.html",
        principal,
        orders=found,
        overdue=overdue,
        people=people,
        chosen_status=chosen_status,
        chosen_type=chosen_type,
        statuses=list(OrderStatus),
        types=list(OrderType),
    )


def _monitoring(view: Any, *, manager: bool) -> list[dict[str, str]]:
    """The devices on an order: the subject's tag, and (managers only) protected people's."""
    devices = []
    tag = view.conditions.get("electronic_monitoring") or {}
    if tag:
        devices.append(
            {
                "who": "Subject",
                "device": tag.get("device_id") or "not fitted yet",
                "kind": str(tag.get("type", "gps")).upper(),
            }
        )
    for party in view.protected if manager else []:
        if party.device_id:
            devices.append({"who": "Protected person", "device": party.device_id, "kind": "GPS"})
    return devices


def order_context(session: Session, principal: Principal, order: Order) -> dict[str, Any]:
    manager = principal.can(Permission.ORDER_MANAGE)
    view = view_for(session, order, principal)
    now = utcnow()
    found_duties = duties.for_order(session, order=order)
    record_ids = {order.subject_record_id, *(p.person_record_id for p in view.protected)}
    order_alerts = (
        alerts.list_alerts(session, force_id=order.force_id, open_only=False, order_id=order.id)
        if manager
        else []
    )
    return {
        "order": view,
        "manager": manager,
        "people": names(session, force_id=order.force_id, record_ids=record_ids),
        "conditions": order_words.conditions_in_words(view.conditions, manager=manager),
        "duties": [
            {
                "duty": d,
                "words": order_words.duty_words(d),
                "state": order_words.duty_state(d, now),
            }
            for d in found_duties
        ],
        "history": service.history(session, order=order),
        "devices": _monitoring(view, manager=manager),
        "alerts": order_alerts,
        "breaches": breaches.list_breaches(session, force_id=order.force_id, order_id=order.id),
        "now_input": forms.local_input(now),
        "local_input": forms.local_input,
    }


def _order_page(
    request: Request,
    principal: Principal,
    uow: UowDep,
    order_id: int,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=order_id)
    context = order_context(uow.session, principal, order)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="order.view",
        record_type="order",
        record_id=order.id,
        reason="order page",
        details={"subject_record_id": order.subject_record_id},
    )
    uow.commit()
    return render(request, "orders/order.html", principal, status=status, error=error, **context)


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: int, request: Request, principal: Reader, uow: UowDep) -> Response:
    return _order_page(request, principal, uow, order_id)


def _refused(
    request: Request, principal: Principal, uow: UowDep, order_id: int, exc: Exception
) -> Response:
    """Show why a step was refused on the order's own page, with nothing of it saved."""
    uow.session.rollback()
    detail, status = forms.refusal(exc)
    return _order_page(request, principal, uow, order_id, error=detail, status=status)


def _back(order_id: int, anchor: str) -> Response:
    return RedirectResponse(f"/orders/{order_id}#{anchor}", status_code=303)


@router.post("/orders/{order_id}/service")
async def record_service(
    order_id: int, request: Request, principal: Manager, uow: UowDep
) -> Response:
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=order_id)
    form = await request.form()
    try:
        body = ServiceIn(
            version=forms.version(form.get("version")),
            served_at=forms.local_time(form.get("served_at"), field="time of service"),
            served_by=str(form.get("served_by") or ""),
            service_address=str(form.get("service_address") or ""),
        )
        service.record_service(uow.session, order=order, body=body, actor=principal.actor())
    except (errors.HeardError, ValidationError, InvalidTransition) as exc:
        return _refused(request, principal, uow, order_id, exc)
    uow.commit()
    return _back(order_id, "service")


@router.post("/orders/{order_id}/duties/{duty_id}/done")
async def duty_done(
    order_id: int, duty_id: int, request: Request, principal: Manager, uow: UowDep
) -> Response:
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=order_id)
    duty = duties.find_duty(uow.session, force_id=principal.force_id, duty_id=duty_id)
    if duty.order_id != order.id:
        raise errors.NotFound(f"no duty {duty_id} on order {order_id}")
    form = await request.form()
    try:
        body = DutyDoneIn(
            version=forms.version(form.get("version")),
            done_at=forms.local_time(form.get("done_at"), field="time the duty was met"),
            note=str(form.get("note") or "").strip() or None,
        )
        duties.complete(uow.session, duty=duty, body=body, actor=principal.actor())
    except (errors.HeardError, ValidationError, InvalidTransition) as exc:
        return _refused(request, principal, uow, order_id, exc)
    uow.commit()
    return _back(order_id, "clocks")


@router.post("/orders/{order_id}/alerts/{alert_id}/acknowledge")
async def acknowledge_alert(
    order_id: int, alert_id: int, request: Request, principal: Manager, uow: UowDep
) -> Response:
    order = service.find_order(uow.session, force_id=principal.force_id, order_id=order_id)
    try:
        alert = alerts.acknowledge(
            uow.session, force_id=principal.force_id, alert_id=alert_id, actor=principal.actor()
        )
        if alert.order_id != order.id:
            raise errors.NotFound(f"no alert {alert_id} on order {order_id}")
    except errors.Conflict as exc:
        return _refused(request, principal, uow, order_id, exc)
    uow.commit()
    return _back(order_id, "alerts")
