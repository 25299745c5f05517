"""The statements the safeguarding context runs, built once with placeholders.

Each reads for every subject on the call at once (their records' ids, or their incidents'), and
names the record or incident a row belongs to, so the context sorts rows to subjects itself:
a call with a victim and a suspect sends each statement once, not once per person.
"""

from __future__ import annotations

from sqlalchemy import bindparam, column, literal, or_, select, union_all

from heard.db.base import id_list
from heard.incidents.models import Call, Incident, Involvement, Relationship
from heard.orders.models import Order, OrderProtectedPerson, OrderStatus
from heard.people.models import Marker, PersonRecord, Subject
from heard.risk.history import ASSESSMENTS_OF_VICTIM
from heard.risk.models import MaracReferral

ACTIVE_ORDER = (OrderStatus.ACTIVE,)

SUBJECTS = select(Subject).where(Subject.id.in_(id_list("subject_ids")))
# The subjects' records, with each record's involvements (a record with none gives one row of
# None), in a fixed order (record, then involvement).
RECORD_INVOLVEMENTS = (
    select(PersonRecord.subject_id, PersonRecord.id, Involvement.incident_id, Involvement.role)
    .outerjoin(Involvement, Involvement.person_record_id == PersonRecord.id)
    .where(PersonRecord.subject_id.in_(id_list("subject_ids")))
    .order_by(PersonRecord.id, Involvement.id)
)
INCIDENTS = select(Incident).where(Incident.id.in_(id_list("incident_ids")))
CALL_TIMES = select(Call.incident_id, Call.received_at).where(
    Call.incident_id.in_(id_list("incident_ids")),
    Call.received_at >= bindparam("since"),
    Call.received_at <= bindparam("at"),
)
ASSESSMENTS = ASSESSMENTS_OF_VICTIM
MARAC_TIMES = select(MaracReferral.victim_record_id, MaracReferral.referred_at).where(
    MaracReferral.victim_record_id.in_(id_list("record_ids")),
    MaracReferral.referred_at <= bindparam("at"),
)
_LIVE_MARKERS = select(Marker).where(
    or_(Marker.expires_at.is_(None), Marker.expires_at > bindparam("at")),
    Marker.applied_at <= bindparam("at"),
)
MARKERS_OF_SUBJECTS = _LIVE_MARKERS.where(Marker.subject_id.in_(id_list("subject_ids"))).order_by(
    Marker.id
)
MARKERS_AT_LOCATION = _LIVE_MARKERS.where(Marker.location_id == bindparam("location_id"))

ORDER_COLUMNS = (Order.id, Order.order_type, Order.status, Order.made_at, Order.expires_at)
_LIVE_ORDER = (
    Order.made_at <= bindparam("at"),
    or_(Order.expires_at.is_(None), Order.expires_at > bindparam("at")),
    Order.status.in_(ACTIVE_ORDER),
)
# Live orders against the records and protecting them, with the record each row is for: those
# against a person first, then by order.
ORDERS_OF_RECORDS = union_all(
    select(
        *ORDER_COLUMNS,
        Order.subject_record_id.label("record_id"),
        literal("subject").label("as_role"),
    ).where(Order.subject_record_id.in_(id_list("record_ids")), *_LIVE_ORDER),
    select(
        *ORDER_COLUMNS,
        OrderProtectedPerson.person_record_id.label("record_id"),
        literal("protected").label("as_role"),
    )
    .join(OrderProtectedPerson, OrderProtectedPerson.order_id == Order.id)
    .where(OrderProtectedPerson.person_record_id.in_(id_list("record_ids")), *_LIVE_ORDER),
).order_by(column("as_role").desc(), column("id"))

# Everyone on the given incidents, in a fixed order (incident, then involvement).
PEOPLE_IN = (
    select(
        Involvement.incident_id,
        PersonRecord.subject_id,
        PersonRecord.given_name,
        PersonRecord.family_name,
        Involvement.role,
    )
    .join(Involvement, Involvement.person_record_id == PersonRecord.id)
    .where(Involvement.incident_id.in_(id_list("incident_ids")))
    .order_by(Involvement.incident_id, Involvement.id)
)
# In a fixed order: a subject's related people are listed in the order of their relationships.
RELATIONSHIPS = (
    select(Relationship)
    .where(
        or_(
            Relationship.victim_record_id.in_(id_list("record_ids")),
            Relationship.suspect_record_id.in_(id_list("record_ids")),
        )
    )
    .order_by(Relationship.id)
)
SUBJECTS_OF_RECORDS = select(PersonRecord.id, PersonRecord.subject_id).where(
    PersonRecord.id.in_(id_list("record_ids"))
)
LOCATION_INCIDENTS = select(Incident.is_domestic_abuse).where(
    Incident.location_id == bindparam("location_id"),
    Incident.opened_at >= bindparam("since"),
    Incident.opened_at <= bindparam("at"),
)
