"""Persona specs for the orders routes: the register, duties, breaches, telemetry and settings."""

from __future__ import annotations

from typing import Any

from heard.auth.permissions import Permission
from heard.db.uow import Database
from tests.support.personas import RouteSpec
from tests.support.world import World

P = Permission


def _order(db: Database, world: World, **extra: Any) -> Any:
    from heard.audit.service import system_actor
    from heard.orders import service
    from heard.orders.schemas import OrderIn
    from tests.support.orders_helpers import order_body, people

    subject, protected = people(db, world)
    body = OrderIn.model_validate(order_body(subject, protected, **extra))
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        return service.create_order(
            session, force_id=force_id, body=body, actor=system_actor(force_id)
        )


def new_order(db: Database, world: World) -> dict[str, Any]:
    return {"order_id": _order(db, world).id}


def order_with_requirement(db: Database, world: World) -> dict[str, Any]:
    from tests.support.orders_helpers import order_body

    conditions = order_body(0, 0)["conditions"]
    conditions["positive_requirements"] = [
        {"kind": "assessment", "description": "assessment", "supervisor": "Persona"}
    ]
    return {"order_id": _order(db, world, conditions=conditions).id}


def new_duty(db: Database, world: World) -> dict[str, Any]:
    from heard.orders import duties

    order = _order(db, world)
    with db.unit_of_work() as uow:
        (duty,) = duties.for_order(uow.session, order=order)
        return {"duty_id": duty.id}


def _breach(db: Database, world: World) -> Any:
    from datetime import UTC, datetime

    from heard.orders import breaches
    from heard.orders.records import BreachKind

    order = _order(db, world)
    with db.transaction() as session:
        return breaches.open_breach(
            session,
            force_id=world.forces["WMP"],
            order_id=order.id,
            kind=BreachKind.REPORTED,
            started_at=datetime(2026, 11, 28, 20, tzinfo=UTC),
            description="persona check",
        )


def new_breach(db: Database, world: World) -> dict[str, Any]:
    return {"breach_id": _breach(db, world).id}


def new_alert(db: Database, world: World) -> dict[str, Any]:
    from heard.orders import alerts
    from heard.orders.records import OrderAlertKind

    order = _order(db, world)
    with db.transaction() as session:
        alert = alerts.raise_alert(
            session,
            force_id=world.forces["WMP"],
            order_id=order.id,
            kind=OrderAlertKind.COMPLIANCE,
            message="persona check",
        )
        return {"alert_id": alert.id}


def order_for_create(db: Database, world: World) -> dict[str, Any]:
    from tests.support.orders_helpers import order_body, people

    subject, protected = people(db, world)
    return {"__body__": order_body(subject, protected)}


WHEN = "2026-11-29T10:00:00Z"
POINT = {
    "device_id": "TAG-PERSONA",
    "ts": "2026-11-30T12:00:00Z",
    "lat": 54.57,
    "lon": -1.23,
    "accuracy_m": 10,
}
ORDERS = "/api/v1/orders/{order_id}"
ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("POST", "/api/v1/orders"): RouteSpec(P.ORDER_MANAGE, setup=order_for_create),
    ("GET", "/api/v1/orders"): RouteSpec(P.ORDER_READ),
    ("GET", ORDERS): RouteSpec(P.ORDER_READ, setup=new_order),
    ("PATCH", ORDERS): RouteSpec(
        P.ORDER_MANAGE, setup=new_order, body={"version": 1, "issued_by": "Family court"}
    ),
    ("POST", ORDERS + "/status"): RouteSpec(
        P.ORDER_MANAGE,
        setup=new_order,
        body={"version": 1, "status": "discharged", "reason": "persona check"},
    ),
    ("POST", ORDERS + "/service"): RouteSpec(
        P.ORDER_MANAGE,
        setup=new_order,
        body={
            "version": 1,
            "served_at": WHEN,
            "served_by": "PC Persona",
            "service_address": "1 Example Street",
        },
    ),
    ("POST", ORDERS + "/appeals"): RouteSpec(
        P.ORDER_MANAGE,
        setup=new_order,
        body={"version": 1, "event": "lodged", "at": WHEN, "court": "Crown court"},
    ),
    ("GET", ORDERS + "/history"): RouteSpec(P.ORDER_READ, setup=new_order),
    ("GET", ORDERS + "/subject-copy"): RouteSpec(P.ORDER_MANAGE, setup=new_order),
    ("GET", ORDERS + "/duties"): RouteSpec(P.ORDER_READ, setup=new_order),
    ("POST", ORDERS + "/notification-changes"): RouteSpec(
        P.ORDER_MANAGE, setup=new_order, body={"event": "homeless", "occurred_at": WHEN}
    ),
    ("POST", "/api/v1/order-duties/{duty_id}/done"): RouteSpec(
        P.ORDER_MANAGE, setup=new_duty, body={"version": 1, "done_at": WHEN}
    ),
    ("POST", ORDERS + "/compliance-reports"): RouteSpec(
        P.ORDER_MANAGE,
        setup=order_with_requirement,
        body={
            "requirement_id": "req-1",
            "appointment_at": WHEN,
            "attended": False,
            "supervisor": "Persona",
        },
    ),
    ("POST", ORDERS + "/breaches"): RouteSpec(
        P.ORDER_MANAGE, setup=new_order, body={"occurred_at": WHEN, "description": "seen"}
    ),
    ("GET", "/api/v1/order-alerts"): RouteSpec(P.ORDER_MANAGE),
    ("POST", "/api/v1/order-alerts/{alert_id}/acknowledge"): RouteSpec(
        P.ORDER_MANAGE, setup=new_alert
    ),
    ("POST", "/api/v1/telemetry"): RouteSpec(P.TELEMETRY_WRITE, body={"points": [POINT]}),
    ("GET", "/api/v1/breaches"): RouteSpec(P.ORDER_READ),
    ("GET", "/api/v1/breaches/stats"): RouteSpec(P.ORDER_READ),
    ("GET", "/api/v1/breaches/{breach_id}"): RouteSpec(P.ORDER_READ, setup=new_breach),
    ("POST", "/api/v1/breaches/{breach_id}/outcome"): RouteSpec(
        P.ORDER_MANAGE,
        setup=new_breach,
        body={"version": 1, "status": "attended", "at": "2026-11-28T20:30:00Z"},
    ),
    ("GET", "/api/v1/breaches/{breach_id}/evidence.pdf"): RouteSpec(
        P.ORDER_MANAGE, setup=new_breach
    ),
    ("GET", "/api/v1/monitoring/settings"): RouteSpec(P.ORDER_MANAGE),
    ("PUT", "/api/v1/monitoring/settings"): RouteSpec(
        P.ORDER_MANAGE,
        body={"live_lateness_s": 1, "escalate_after_minutes": 10, "warmup_minutes": 20},
    ),
}
