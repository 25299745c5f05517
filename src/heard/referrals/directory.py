"""The services and schools directories per force, a synthetic seed, and the force's settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.people.models import Subject
from heard.referrals.models import (
    DeliveryMethod,
    ReferralSettings,
    School,
    SchoolEnrolment,
    ServiceKind,
    SupportService,
)
from heard.referrals.schemas import SchoolIn, ServiceIn, SettingsIn

# Synthetic entries: invented names (none of them a real service's) and file-drop addresses.
SYNTHETIC_SERVICES = [
    ("Harbour IDVA Service", ServiceKind.IDVA),
    ("Lantern House Refuge", ServiceKind.REFUGE),
    ("National Synthetic DA Helpline", ServiceKind.NATIONAL_HELPLINE),
    ("Children's Front Door (MASH)", ServiceKind.CHILDRENS_SOCIAL_CARE),
    ("Northbrook Men's Support (synthetic)", ServiceKind.MALE_VICTIMS),
    ("Rainbow Safe Space", ServiceKind.LGBT_PLUS),
    ("Saffron Honour-Based Abuse Service (synthetic)", ServiceKind.HONOUR_BASED_ABUSE),
    ("Change Course Programme", ServiceKind.PERPETRATOR_PROGRAMME),
    ("MARAC Coordinator", ServiceKind.MARAC),
]
SYNTHETIC_SCHOOLS = [
    ("Brookfield Primary School", "900001", "Ms A. Okafor"),
    ("Elm Park Academy", "900002", "Mr T. Lindqvist"),
]


def _unique(session: Session, model: type[SupportService] | type[School], **where: object) -> None:
    query = select(model.id).where(*(getattr(model, k) == v for k, v in where.items()))
    if session.scalar(query) is not None:
        raise errors.Conflict(f"your force already has that entry ({where})")


def create_service(
    session: Session, *, force_id: int, body: ServiceIn, actor: Actor
) -> SupportService:
    _unique(session, SupportService, force_id=force_id, name=body.name)
    service = SupportService(force_id=force_id, active=True, **body.model_dump())
    session.add(service)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="directory.service.create",
        record_type="support_service",
        record_id=service.id,
    )
    return service


def create_school(session: Session, *, force_id: int, body: SchoolIn, actor: Actor) -> School:
    _unique(session, School, force_id=force_id, urn=body.urn)
    school = School(force_id=force_id, **body.model_dump())
    session.add(school)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="directory.school.create",
        record_type="school",
        record_id=school.id,
    )
    return school


def find_school(session: Session, *, force_id: int, school_id: int) -> School:
    school = session.get(School, school_id)
    if school is None or school.force_id != force_id:
        raise errors.NotFound(f"no school {school_id} in your force")
    return school


def enrol(session: Session, *, school: School, subject_id: int, actor: Actor) -> SchoolEnrolment:
    subject = session.get(Subject, subject_id)
    if subject is None or subject.force_id != school.force_id:
        raise errors.NotFound(f"no person {subject_id} in your force")
    found = session.scalar(
        select(SchoolEnrolment).where(
            SchoolEnrolment.subject_id == subject_id, SchoolEnrolment.school_id == school.id
        )
    )
    if found is None:
        found = SchoolEnrolment(
            force_id=school.force_id, subject_id=subject_id, school_id=school.id
        )
        session.add(found)
        session.flush()
    audit.record(
        session,
        actor=actor,
        action="directory.school.enrol",
        record_type="subject",
        record_id=subject_id,
        details={"school_id": school.id},
    )
    return found


def seed_synthetic(session: Session, *, force_id: int, force_code: str) -> None:
    """One synthetic entry of every kind, delivered by file drop, for demos and tests."""
    code = force_code.lower()
    for name, kind in SYNTHETIC_SERVICES:
        if session.scalar(
            select(SupportService.id).where(
                SupportService.force_id == force_id, SupportService.name == name
            )
        ):
            continue
        session.add(
            SupportService(
                force_id=force_id,
                name=name,
                kind=kind,
                area=f"{force_code} area",
                phone=None,
                delivery_method=DeliveryMethod.FILE_DROP,
                delivery_address=f"{code}-{kind.value}",
                active=True,
            )
        )
    for name, urn, dsl in SYNTHETIC_SCHOOLS:
        if session.scalar(select(School.id).where(School.force_id == force_id, School.urn == urn)):
            continue
        session.add(
            School(
                force_id=force_id,
                name=name,
                urn=urn,
                dsl_name=dsl,
                delivery_method=DeliveryMethod.FILE_DROP,
                delivery_address=f"{code}-school-{urn}",
            )
        )
    session.flush()


def update_settings(
    session: Session, *, force_id: int, body: SettingsIn, actor: Actor
) -> ReferralSettings:
    try:
        ZoneInfo(body.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise errors.Invalid(
            f"{body.timezone!r} is not a time zone name such as Europe/London"
        ) from None
    row = session.get(ReferralSettings, force_id)
    if row is None:
        row = ReferralSettings(force_id=force_id, **body.model_dump())
        session.add(row)
    else:
        for key, value in body.model_dump().items():
            setattr(row, key, value)
    audit.record(
        session,
        actor=actor,
        action="referral.settings",
        record_type="force",
        record_id=force_id,
        details=body.model_dump(),
    )
    session.flush()
    return row
