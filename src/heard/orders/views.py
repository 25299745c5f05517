"""Register API: orders, their history, duties and compliance, and the order manager's alerts.

Those who manage orders get `OrderManagerView`; everyone else who may read orders gets
`OrderView`, which has no field for a protected person's zone, device or location. Every read
of an order is audited in the same transaction as the answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.orders import alerts, duties, presenters, service
from heard.orders.models import Order, OrderStatus, OrderType
from heard.orders.schemas import (
    AppealIn,
    ComplianceReportIn,
    ComplianceReportOut,
    DutyDoneIn,
    DutyOut,
    NotificationChangeIn,
    OrderAlertOut,
    OrderEventOut,
    OrderIn,
    OrderManagerView,
    OrderPatch,
    OrderView,
    ServiceIn,
    StatusIn,
    SubjectCopy,
)
from heard.orders.views_monitoring import router as monitoring_router

router = APIRouter(prefix="/api/v1", tags=["orders"])
router.include_router(monitoring_router)
Manager = Annotated[Principal, Depends(require(Permission.ORDER_MANAGE))]
Reader = Annotated[Principal, Depends(require(Permission.ORDER_READ))]
AnyView = OrderManagerView | OrderView


def view_for(session: Session, order: Order, principal: Principal) -> AnyView:
    if principal.can(Permission.ORDER_MANAGE):
        return presenters.manager_view(session, order=order)
    return presenters.restricted_view(session, order=order)


def _audited_read(session: Session, principal: Principal, order: Order, action: str) -> None:
    audit.record(
        session,
        actor=principal.actor(),
        action=action,
        record_type="order",
        record_id=order.id,
        details={"subject_record_id": order.subject_record_id},
    )


def _order(session: Session, principal: Principal, order_id: int) -> Order:
    return service.find_order(session, force_id=principal.force_id, order_id=order_id)


@router.post("/orders", response_model=OrderManagerView, status_code=201)
def create_order(body: OrderIn, principal: Manager, uow: UowDep) -> AnyView:
    order = service.create_order(
        uow.session, force_id=principal.force_id, body=body, actor=principal.actor()
    )
    out = presenters.manager_view(uow.session, order=order)
    uow.commit()
    return out


@router.get("/orders", response_model=list[OrderManagerView] | list[OrderView])
def list_orders(
    principal: Reader,
    uow: UowDep,
    status: Annotated[OrderStatus | None, Query()] = None,
    order_type: Annotated[OrderType | None, Query()] = None,
    subject_record_id: Annotated[int | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AnyView]:
    found = service.list_orders(
        uow.session,
        force_id=principal.force_id,
        status=status,
        order_type=order_type,
        subject_record_id=subject_record_id,
        limit=limit,
    )
    out = [view_for(uow.session, order, principal) for order in found]
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="order.list",
        record_type="order",
        details={"order_ids": [o.id for o in found]},
    )
    uow.commit()
    return out


@router.get("/orders/{order_id}", response_model=OrderManagerView | OrderView)
def get_order(order_id: int, principal: Reader, uow: UowDep) -> AnyView:
    order = _order(uow.session, principal, order_id)
    out = view_for(uow.session, order, principal)
    _audited_read(uow.session, principal, order, "order.view")
    uow.commit()
    return out


@router.patch("/orders/{order_id}", response_model=OrderManagerView)
def update_order(order_id: int, body: OrderPatch, principal: Manager, uow: UowDep) -> AnyView:
    order = _order(uow.session, principal, order_id)
    service.update_order(uow.session, order=order, body=body, actor=principal.actor())
    out = presenters.manager_view(uow.session, order=order)
    uow.commit()
    return out


@router.post("/orders/{order_id}/status", response_model=OrderManagerView)
def change_status(order_id: int, body: StatusIn, principal: Manager, uow: UowDep) -> AnyView:
    order = _order(uow.session, principal, order_id)
    service.change_status(uow.session, order=order, body=body, actor=principal.actor())
    out = presenters.manager_view(uow.session, order=order)
    uow.commit()
    return out


@router.post("/orders/{order_id}/service", response_model=OrderManagerView)
def record_service(order_id: int, body: ServiceIn, principal: Manager, uow: UowDep) -> AnyView:
    order = _order(uow.session, principal, order_id)
    service.record_service(uow.session, order=order, body=body, actor=principal.actor())
    out = presenters.manager_view(uow.session, order=order)
    uow.commit()
    return out


@router.post("/orders/{order_id}/appeals", response_model=OrderManagerView)
def appeal(order_id: int, body: AppealIn, principal: Manager, uow: UowDep) -> AnyView:
    order = _order(uow.session, principal, order_id)
    service.appeal(uow.session, order=order, body=body, actor=principal.actor())
    out = presenters.manager_view(uow.session, order=order)
    uow.commit()
    return out


@router.get("/orders/{order_id}/history", response_model=list[OrderEventOut])
def order_history(order_id: int, principal: Reader, uow: UowDep) -> list[OrderEventOut]:
    order = _order(uow.session, principal, order_id)
    out = [OrderEventOut.model_validate(e) for e in service.history(uow.session, order=order)]
    _audited_read(uow.session, principal, order, "order.history")
    uow.commit()
    return out


@router.get("/orders/{order_id}/subject-copy", response_model=SubjectCopy)
def subject_copy(order_id: int, principal: Manager, uow: UowDep) -> SubjectCopy:
    """The requirements as served on the subject: never a protected person's location."""
    order = _order(uow.session, principal, order_id)
    out = presenters.subject_copy(order=order)
    _audited_read(uow.session, principal, order, "order.subject_copy")
    uow.commit()
    return out


@router.get("/orders/{order_id}/duties", response_model=list[DutyOut])
def order_duties(order_id: int, principal: Reader, uow: UowDep) -> list[DutyOut]:
    order = _order(uow.session, principal, order_id)
    out = [DutyOut.model_validate(d) for d in duties.for_order(uow.session, order=order)]
    _audited_read(uow.session, principal, order, "order.duties")
    uow.commit()
    return out


@router.post("/orders/{order_id}/notification-changes", response_model=DutyOut, status_code=201)
def notification_change(
    order_id: int, body: NotificationChangeIn, principal: Manager, uow: UowDep
) -> DutyOut:
    order = _order(uow.session, principal, order_id)
    duty = duties.notification_change(uow.session, order=order, body=body, actor=principal.actor())
    out = DutyOut.model_validate(duty)
    uow.commit()
    return out


@router.post("/order-duties/{duty_id}/done", response_model=DutyOut)
def duty_done(duty_id: int, body: DutyDoneIn, principal: Manager, uow: UowDep) -> DutyOut:
    duty = duties.find_duty(uow.session, force_id=principal.force_id, duty_id=duty_id)
    duties.complete(uow.session, duty=duty, body=body, actor=principal.actor())
    uow.session.flush()
    out = DutyOut.model_validate(duty)
    uow.commit()
    return out


@router.post(
    "/orders/{order_id}/compliance-reports", response_model=ComplianceReportOut, status_code=201
)
def compliance_report(
    order_id: int, body: ComplianceReportIn, principal: Manager, uow: UowDep
) -> ComplianceReportOut:
    order = _order(uow.session, principal, order_id)
    report = duties.report_compliance(uow.session, order=order, body=body, actor=principal.actor())
    out = ComplianceReportOut.model_validate(report)
    uow.commit()
    return out


@router.get("/order-alerts", response_model=list[OrderAlertOut])
def list_alerts(
    principal: Manager,
    uow: UowDep,
    include_acknowledged: Annotated[bool, Query()] = False,
) -> list[OrderAlertOut]:
    found = alerts.list_alerts(
        uow.session, force_id=principal.force_id, open_only=not include_acknowledged
    )
    out = [OrderAlertOut.model_validate(a) for a in found]
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="order_alert.list",
        record_type="order_alert",
        details={"order_ids": sorted({a.order_id for a in found})},
    )
    uow.commit()
    return out


@router.post("/order-alerts/{alert_id}/acknowledge", response_model=OrderAlertOut)
def acknowledge_alert(alert_id: int, principal: Manager, uow: UowDep) -> OrderAlertOut:
    alert = alerts.acknowledge(
        uow.session, force_id=principal.force_id, alert_id=alert_id, actor=principal.actor()
    )
    out = OrderAlertOut.model_validate(alert)
    uow.commit()
    return out
