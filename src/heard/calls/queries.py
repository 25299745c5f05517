"""The statements intake runs on every 999 call, built once with placeholders.

Building a select() and its cache key on each execution cost more than SQLite running it; a
statement built here once is looked up in SQLAlchemy's cache almost for free.
"""

from __future__ import annotations

from sqlalchemy import Select, bindparam, select

from heard.db.base import id_list
from heard.incidents.models import Call, Incident, Involvement, Role
from heard.people.models import Location, PersonRecord

PARTY_ROLES = (Role.VICTIM, Role.SUSPECT)

CALL_BY_SOURCE_REF = select(Call).where(
    Call.force_id == bindparam("force_id"), Call.source_ref == bindparam("source_ref")
)


def _location(by_postcode: bool, by_address: bool) -> Select[int, str | None]:
    query = select(Location.id, Location.postcode).where(Location.force_id == bindparam("force_id"))
    if by_postcode:
        query = query.where(Location.postcode == bindparam("postcode"))
    if by_address:
        query = query.where(Location.address_normalised == bindparam("address"))
    return query.limit(1)


# (postcode given, normalised address not empty) -> the location already stored (id, postcode).
LOCATION = {(p, a): _location(p, a) for p in (False, True) for a in (False, True)}

_OPEN_SINCE = (
    Incident.force_id == bindparam("force_id"),
    Incident.closed_at.is_(None),
    Incident.opened_at >= bindparam("since"),
)
OPEN_INCIDENT_OF_PARTIES = (
    select(Incident.id)
    .join(Involvement, Involvement.incident_id == Incident.id)
    .join(PersonRecord, PersonRecord.id == Involvement.person_record_id)
    .where(
        *_OPEN_SINCE,
        PersonRecord.subject_id.in_(id_list("subject_ids")),
        Involvement.role.in_(PARTY_ROLES),
    )
    .order_by(Incident.opened_at.desc())
    .limit(1)
)
OPEN_INCIDENT_AT_LOCATION = (
    select(Incident.id)
    .where(*_OPEN_SINCE, Incident.location_id == bindparam("location_id"))
    .order_by(Incident.opened_at.desc())
    .limit(1)
)
PEOPLE_ON_CALL = (
    select(PersonRecord, Involvement.role)
    .join(Involvement, Involvement.person_record_id == PersonRecord.id)
    .where(Involvement.call_id == bindparam("call_id"))
    .order_by(PersonRecord.id)
)
