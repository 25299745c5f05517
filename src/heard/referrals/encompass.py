"""Operation Encompass: the child's school is told before the start of the next school day.

Due time: the next school-day start (default 08:30, force setting) in the force's time zone after
police attended, on every day of the year. Weekends and holidays are included on purpose: the
notification never waits for Monday, so the school has it whenever the child next walks in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.incidents.models import Incident, Involvement, Role
from heard.people.models import PersonRecord
from heard.referrals import documents
from heard.referrals.models import (
    Referral,
    ReferralKind,
    ReferralStatus,
    School,
    SchoolEnrolment,
)
from heard.referrals.service import queue, settings_for

ADULT_AGE = 18


@dataclass(frozen=True)
class ChildDetail:
    """What the attending officer saw and heard of one child."""

    person_record_id: int
    present: bool | None = None
    where: str | None = None
    voice_of_the_child: str | None = None


def next_school_day_start(attended_at: datetime, *, start: str, zone: str) -> datetime:
    """The first local `start` strictly after `attended_at`, as UTC (DST-safe via zoneinfo)."""
    tz = ZoneInfo(zone)
    local = attended_at.astimezone(tz)
    hour, minute = (int(part) for part in start.split(":"))
    candidate = datetime.combine(local.date(), time(hour, minute), tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(
            local.date() + timedelta(days=1), time(hour, minute), tzinfo=tz
        )
    return candidate.astimezone(UTC)


def _age_on(record: PersonRecord, day: date) -> int | None:
    if record.date_of_birth is not None:
        born = record.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return record.age_years


def linked_children(session: Session, *, incident: Incident) -> list[PersonRecord]:
    """Children recorded as present, and children recorded at the incident's address."""
    present = list(
        session.scalars(
            select(PersonRecord)
            .join(Involvement, Involvement.person_record_id == PersonRecord.id)
            .where(Involvement.incident_id == incident.id, Involvement.role == Role.CHILD_PRESENT)
        )
    )
    household: list[PersonRecord] = []
    if incident.location_id is not None:
        household = list(
            session.scalars(
                select(PersonRecord).where(
                    PersonRecord.force_id == incident.force_id,
                    PersonRecord.location_id == incident.location_id,
                )
            )
        )
    day = incident.opened_at.date()
    seen: set[int] = set()
    children = []
    for record in present + household:
        age = _age_on(record, day)
        is_child = record in present or (age is not None and age < ADULT_AGE)
        key = record.subject_id or -record.id
        if is_child and key not in seen:
            seen.add(key)
            children.append(record)
    return children


def _school_for(session: Session, record: PersonRecord) -> School | None:
    if record.subject_id is None:
        return None
    return session.scalar(
        select(School)
        .join(SchoolEnrolment, SchoolEnrolment.school_id == School.id)
        .where(SchoolEnrolment.subject_id == record.subject_id)
        .limit(1)
    )


def _contents(
    session: Session,
    *,
    incident: Incident,
    child: PersonRecord,
    detail: ChildDetail,
    attended_at: datetime,
    circumstances: str,
    school: School | None,
) -> dict[str, object]:
    return {
        "child": documents.person_name(child),
        "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
        "police_reference": incident.reference,
        "attended_at": f"{attended_at.astimezone(ZoneInfo('Europe/London')):%d %B %Y %H:%M}",
        "place": documents.place_of(session, incident.location_id),
        "child_present": None if detail.present is None else ("yes" if detail.present else "no"),
        "where_child_was": detail.where,
        "voice_of_the_child": detail.voice_of_the_child,
        "circumstances": circumstances,
        "school": school.name if school else "not known: a person must find the school",
        "designated_safeguarding_lead": school.dsl_name if school else None,
    }


def notify(
    session: Session,
    *,
    incident: Incident,
    attended_at: datetime,
    circumstances: str,
    details: list[ChildDetail],
    actor: Actor,
) -> list[Referral]:
    """One notification per linked child, each tracked to delivery; idempotent per child."""
    if not incident.is_domestic_abuse:
        raise errors.Invalid(
            f"incident {incident.id} is not recorded as domestic abuse; Operation Encompass "
            "notifications follow police-attended domestic abuse incidents"
        )
    settings = settings_for(session, force_id=incident.force_id)
    due = next_school_day_start(
        attended_at, start=settings.school_day_start, zone=settings.timezone
    )
    by_record = {d.person_record_id: d for d in details}
    made = []
    for child in linked_children(session, incident=incident):
        existing = session.scalar(
            select(Referral.id).where(
                Referral.kind == ReferralKind.ENCOMPASS,
                Referral.incident_id == incident.id,
                Referral.subject_record_id == child.id,
            )
        )
        if existing is not None:
            continue
        school = _school_for(session, child)
        referral = Referral(
            force_id=incident.force_id,
            kind=ReferralKind.ENCOMPASS,
            school_id=school.id if school else None,
            subject_record_id=child.id,
            victim_record_id=_victim(session, incident),
            incident_id=incident.id,
            reason="police attended a domestic abuse incident",
            contents=_contents(
                session,
                incident=incident,
                child=child,
                detail=by_record.get(child.id, ChildDetail(child.id)),
                attended_at=attended_at,
                circumstances=circumstances,
                school=school,
            ),
            recipient=(
                f"{school.dsl_name}, {school.name} <{school.delivery_method.value}:"
                f"{school.delivery_address}>"
                if school
                else "school not known"
            ),
            status=ReferralStatus.PENDING,
            created_at=utcnow(),
            created_by=actor.user_id,
            due_at=due,
        )
        session.add(referral)
        session.flush()
        queue(session, referral=referral)
        audit.record(
            session,
            actor=actor,
            action="encompass.notify",
            record_type="referral",
            record_id=referral.id,
            details={"incident_id": incident.id, "school_id": referral.school_id},
        )
        made.append(referral)
    return made


def _victim(session: Session, incident: Incident) -> int | None:
    return session.scalar(
        select(Involvement.person_record_id)
        .where(Involvement.incident_id == incident.id, Involvement.role == Role.VICTIM)
        .limit(1)
    )
