"""The statements `heard.signals.history` runs on every 999 call, built once.

SQLAlchemy memoizes a statement's cache key, so a statement built here at import costs next to
nothing to run again, where one built per call costs its construction and key on every call.
Values come in as bound parameters; lists as expanding ones (given as lists).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, bindparam, or_, select, union
from sqlalchemy.orm import aliased

from heard.calls.context import ACTIVE_ORDER
from heard.db.base import id_list
from heard.incidents.models import Call, Incident, Involvement, Relationship
from heard.orders.models import Order, OrderProtectedPerson
from heard.people.models import Marker, MarkerCode, PersonRecord
from heard.risk.models import MaracReferral
from heard.signals.models import ChangeKind, GradeChange

MAX_EVIDENCE = 25


PARTIES_ON_CALL = (
    select(PersonRecord.subject_id, Involvement.role)
    .join(Involvement, Involvement.person_record_id == PersonRecord.id)
    .where(Involvement.call_id == bindparam("call_id"), PersonRecord.subject_id.is_not(None))
)


def _earlier_calls(about: ColumnElement[bool]) -> Select[Call]:
    return (
        select(Call)
        .where(
            Call.id != bindparam("call_id"),
            Call.received_at <= bindparam("at"),
            Call.received_at >= bindparam("since"),
            about,
        )
        .order_by(Call.received_at.desc())
        .limit(200)
    )


# Earlier calls about a person: their incidents' calls, and calls naming one of their records.
# One id list from two indexed reads: written as `incident_id IN (...) OR id IN (subquery)`,
# PostgreSQL cannot use an index for the OR and read every call of the store (10 ms a call at
# 50,000 people; docs/benchmarks.md).
EARLIER_CALLS_ABOUT_PERSON = _earlier_calls(
    Call.id.in_(
        union(
            select(Call.id).where(Call.incident_id.in_(id_list("incident_ids"))),
            select(Involvement.call_id).where(
                Involvement.person_record_id.in_(id_list("record_ids")),
                Involvement.call_id.is_not(None),
            ),
        )
    )
)
# Earlier calls at a place, through its incidents (indexed).
EARLIER_CALLS_AT_PLACE = _earlier_calls(
    Call.incident_id.in_(
        select(Incident.id).where(Incident.location_id == bindparam("location_id"))
    )
)

FORMER_PARTNERS_SINCE = (
    select(Relationship, Incident.opened_at)
    .join(Incident, Incident.id == Relationship.incident_id)
    .where(
        Relationship.incident_id.in_(id_list("incident_ids")),
        Relationship.victim_record_id.in_(id_list("victim_record_ids")),
        Relationship.suspect_record_id.in_(id_list("suspect_record_ids")),
        Relationship.is_former.is_(True),
        Incident.opened_at >= bindparam("since"),
        Incident.opened_at <= bindparam("at"),
    )
)

GRADES_SET_ON_EARLIER_CALLS = (
    select(GradeChange)
    .join(Call, Call.id == GradeChange.call_id)
    .where(
        Call.incident_id.in_(id_list("incident_ids")),
        Call.id != bindparam("call_id"),
        GradeChange.kind == ChangeKind.SET,
        GradeChange.at <= bindparam("at"),
    )
    .order_by(GradeChange.at.desc())
    .limit(200)
)

MARAC_REFERRALS_SINCE = (
    select(MaracReferral)
    .where(
        MaracReferral.victim_record_id.in_(id_list("record_ids")),
        MaracReferral.referred_at <= bindparam("at"),
        MaracReferral.referred_at >= bindparam("since"),
    )
    .order_by(MaracReferral.referred_at.desc())
)

CALL_BACKS_ON_INCIDENTS = (
    select(Call)
    .where(
        Call.incident_id.in_(id_list("incident_ids")),
        Call.id != bindparam("call_id"),
        Call.received_at <= bindparam("at"),
        Call.disposition.in_(id_list("dispositions")),
    )
    .order_by(Call.received_at.desc())
    .limit(MAX_EVIDENCE)
)

_ORDER_OF_SUBJECT = aliased(Order)
LIVE_ORDERS_OF_RECORDS = (
    select(Order)
    .where(
        Order.made_at <= bindparam("at"),
        or_(Order.expires_at.is_(None), Order.expires_at > bindparam("at")),
        Order.status.in_(ACTIVE_ORDER),
        # One set of ids from both indexes: PostgreSQL reads `subject IN (...) OR id IN
        # (subquery)` by scanning every order of every force (10-17 ms at 47,000 orders; 0.1 ms
        # this way, docs/benchmarks.md).
        Order.id.in_(
            union(
                select(_ORDER_OF_SUBJECT.id).where(
                    _ORDER_OF_SUBJECT.subject_record_id.in_(id_list("record_ids"))
                ),
                select(OrderProtectedPerson.order_id).where(
                    OrderProtectedPerson.person_record_id.in_(id_list("protected_ids"))
                ),
            )
        ),
    )
    .order_by(Order.made_at.desc())
)

SUBJECTS_OF_RECORDS = select(PersonRecord.id, PersonRecord.subject_id).where(
    PersonRecord.id.in_(id_list("record_ids"))
)

PROTECTED_HOMES = (
    select(PersonRecord.location_id)
    .join(OrderProtectedPerson, OrderProtectedPerson.person_record_id == PersonRecord.id)
    .where(
        OrderProtectedPerson.order_id == bindparam("order_id"),
        PersonRecord.location_id.is_not(None),
    )
)

_MARKER_LIVE = and_(
    Marker.applied_at <= bindparam("at"),
    or_(Marker.expires_at.is_(None), Marker.expires_at > bindparam("at")),
)
_RISK_MARKERS = Marker.code.in_([MarkerCode.WEAPONS, MarkerCode.VIOLENCE])
_OF_SUBJECTS = Marker.subject_id.in_(id_list("subject_ids"))
_AT_PLACE = Marker.location_id == bindparam("location_id")
# Weapons and violence markers on the people (True, _) and/or at the place (_, True).
RISK_MARKERS: dict[tuple[bool, bool], Select[Marker]] = {
    (True, False): select(Marker).where(_MARKER_LIVE, _RISK_MARKERS, _OF_SUBJECTS),
    (False, True): select(Marker).where(_MARKER_LIVE, _RISK_MARKERS, _AT_PLACE),
    (True, True): select(Marker).where(_MARKER_LIVE, _RISK_MARKERS, or_(_OF_SUBJECTS, _AT_PLACE)),
}

CHILDREN_MARKERS_AT_PLACE = select(Marker).where(
    _AT_PLACE, Marker.code == MarkerCode.CHILDREN_AT_ADDRESS, _MARKER_LIVE
)

DA_INCIDENTS_OF_NUMBER = (
    select(Incident)
    .join(Call, Call.incident_id == Incident.id)
    .where(
        Call.caller_number_e164 == bindparam("number"),
        Call.id != bindparam("call_id"),
        Incident.is_domestic_abuse.is_(True),
        Incident.opened_at <= bindparam("at"),
    )
)

SUBJECTS_WITH_NUMBER_ON_CALL = (
    select(PersonRecord.subject_id)
    .join(Involvement, Involvement.person_record_id == PersonRecord.id)
    .where(
        Involvement.call_id == bindparam("call_id"),
        PersonRecord.phone_e164 == bindparam("number"),
    )
)
