"""Who sees what of an order: the manager's view, everyone else's, and the subject's copy.

Separate schemas, not one schema with fields blanked, so a field that can carry a protected
person's location cannot reach a reader by accident: `OrderView` has no such field at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from heard.orders import conditions as conds
from heard.orders.models import Order, OrderProtectedPerson, PartyKind
from heard.orders.schemas import OrderManagerView, OrderView, SubjectCopy
from heard.orders.service import parties

BREACH_WARNING = (
    "Breaking any requirement of this order without reasonable excuse may be a criminal offence "
    "or contempt of court. If you do not understand a requirement, ask the police or the court."
)


def _fields(order: Order) -> dict[str, Any]:
    names = [
        "id",
        "version",
        "order_type",
        "status",
        "subject_record_id",
        "applicant_type",
        "applicant_name",
        "issued_by",
        "basis",
        "made_at",
        "served_at",
        "expires_at",
        "incident_id",
        "follows_order_id",
        "served_by",
        "service_address",
    ]
    return {name: getattr(order, name) for name in names}


def _party_kind(party: OrderProtectedPerson) -> PartyKind:
    return party.party or PartyKind.PROTECTED_PERSON


def manager_view(session: Session, *, order: Order) -> OrderManagerView:
    protected = [
        {"person_record_id": p.person_record_id, "party": _party_kind(p), "device_id": p.device_id}
        for p in parties(session, order=order)
    ]
    return OrderManagerView.model_validate(
        {**_fields(order), "conditions": order.conditions or {}, "protected": protected}
    )


def restricted_view(session: Session, *, order: Order) -> OrderView:
    protected = [
        {"person_record_id": p.person_record_id, "party": _party_kind(p)}
        for p in parties(session, order=order)
    ]
    fields = _fields(order)
    del fields["served_by"], fields["service_address"]
    restricted = conds.for_role(order.conditions or {}, manager=False)
    return OrderView.model_validate({**fields, "conditions": restricted, "protected": protected})


def subject_copy(*, order: Order) -> SubjectCopy:
    return SubjectCopy(
        order_id=order.id,
        order_type=order.order_type,
        issued_by=order.issued_by,
        made_at=order.made_at,
        expires_at=order.expires_at,
        requirements=conds.subject_copy(order.conditions or {}),
        breach_warning=BREACH_WARNING,
    )
