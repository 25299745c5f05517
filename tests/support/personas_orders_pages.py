"""Persona specs for the orders pages: the register, an order, breaches and their live stream.

Forms on these pages are posted by a browser; the persona check sends an empty form, so a role
that may act reaches the form's own check (422, "give the time ...") and any other role is
refused before it (403). Another force's staff get 404 for the record, as with the API.
"""

from __future__ import annotations

from typing import Any

from heard.auth.permissions import Permission
from heard.db.uow import Database
from tests.support.personas import RouteSpec
from tests.support.personas_orders import _breach, _order, new_alert, new_breach, new_order
from tests.support.world import World

P = Permission
FORM_REFUSED = frozenset({422})


def order_and_duty(db: Database, world: World) -> dict[str, Any]:
    from heard.orders import duties

    order = _order(db, world)
    with db.unit_of_work() as uow:
        (duty,) = duties.for_order(uow.session, order=order)
        return {"order_id": order.id, "duty_id": duty.id}


def order_and_alert(db: Database, world: World) -> dict[str, Any]:
    from sqlalchemy import select

    from heard.orders.records import OrderAlert

    alert_id = new_alert(db, world)["alert_id"]
    with db.unit_of_work() as uow:
        order_id = uow.session.scalar(select(OrderAlert.order_id).where(OrderAlert.id == alert_id))
    return {"order_id": order_id, "alert_id": alert_id}


def breach_of_order(db: Database, world: World) -> dict[str, Any]:
    return {"breach_id": _breach(db, world).id}


ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/orders"): RouteSpec(P.ORDER_READ),
    ("GET", "/orders/{order_id}"): RouteSpec(P.ORDER_READ, setup=new_order),
    ("POST", "/orders/{order_id}/service"): RouteSpec(
        P.ORDER_MANAGE, setup=new_order, allowed_status=FORM_REFUSED
    ),
    ("POST", "/orders/{order_id}/duties/{duty_id}/done"): RouteSpec(
        P.ORDER_MANAGE, setup=order_and_duty, allowed_status=FORM_REFUSED
    ),
    ("POST", "/orders/{order_id}/alerts/{alert_id}/acknowledge"): RouteSpec(
        P.ORDER_MANAGE, setup=order_and_alert
    ),
    ("GET", "/breaches"): RouteSpec(P.ORDER_READ),
    ("GET", "/breaches/panels/open"): RouteSpec(P.ORDER_READ),
    ("GET", "/breaches/{breach_id}"): RouteSpec(P.ORDER_READ, setup=new_breach),
    ("GET", "/breaches/{breach_id}/panels/state"): RouteSpec(P.ORDER_READ, setup=new_breach),
    ("POST", "/breaches/{breach_id}/outcome"): RouteSpec(
        P.ORDER_MANAGE, setup=breach_of_order, allowed_status=FORM_REFUSED
    ),
    ("GET", "/live/breaches"): RouteSpec(P.ORDER_READ),
}
