"""Force records for the missed-opportunity sweep, written directly so each test states them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from heard.clock import utcnow
from heard.db.uow import Database
from heard.incidents.models import (
    Call,
    Category,
    Channel,
    Grade,
    Incident,
    Involvement,
    Role,
)
from heard.orders.models import Order, OrderProtectedPerson, OrderStatus, OrderType
from heard.orders.records import (
    Breach,
    BreachKind,
    BreachStatus,
    DutyKind,
    DutyStatus,
    OrderDuty,
)
from heard.people.models import PersonRecord, Sex, Subject
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.rules.case import Severity
from heard.risk.models import MaracOutcome, MaracReferral, RiskAssessment, RiskGrade
from heard.signals.models import ChangeKind, ChangeStatus, GradeChange, SignSource, WarningSign
from heard.signals.models import Severity as SignSeverity
from tests.support.world import World

T0 = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)
_ids = count(1)


def person(session: Session, force_id: int, name: str) -> PersonRecord:
    given, family = name.split(" ", 1)
    subject = Subject(force_id=force_id, given_name=given, family_name=family, created_at=T0)
    session.add(subject)
    session.flush()
    record = PersonRecord(
        force_id=force_id,
        subject_id=subject.id,
        recorded_at=T0,
        name_raw=name,
        given_name=given,
        family_name=family,
        sex=Sex.UNKNOWN,
        age_years=30,
    )
    session.add(record)
    session.flush()
    return record


def da_incident(
    session: Session,
    force_id: int,
    at: datetime,
    victim: PersonRecord,
    suspect: PersonRecord,
    *,
    arrest: bool = False,
    category: Category = Category.DOMESTIC,
) -> tuple[Incident, Call]:
    n = next(_ids)
    incident = Incident(
        force_id=force_id,
        reference=f"RV-{n}",
        opened_at=at,
        closed_at=at + timedelta(hours=3),
        category=category,
        is_domestic_abuse=True,
        crime_recorded=True,
        grade=Grade.PRIORITY,
        arrest_made=arrest,
    )
    session.add(incident)
    session.flush()
    for record, role in ((victim, Role.VICTIM), (suspect, Role.SUSPECT)):
        session.add(
            Involvement(
                force_id=force_id, incident_id=incident.id, person_record_id=record.id, role=role
            )
        )
    call = Call(
        force_id=force_id,
        source_ref=f"RV-CALL-{n}",
        channel=Channel.EMERGENCY_999,
        received_at=at,
        incident_id=incident.id,
    )
    session.add(call)
    session.flush()
    return incident, call


def high_risk(
    session: Session, force_id: int, victim: PersonRecord, at: datetime
) -> RiskAssessment:
    assessment = RiskAssessment(
        force_id=force_id,
        instrument="dash-acpo-27",
        grade=RiskGrade.HIGH,
        yes_count=15,
        assessed_at=at,
        victim_record_id=victim.id,
        grade_lowered=False,
    )
    session.add(assessment)
    session.flush()
    return assessment


def marac(session: Session, force_id: int, victim: PersonRecord, at: datetime) -> MaracReferral:
    referral = MaracReferral(
        force_id=force_id,
        victim_record_id=victim.id,
        referred_at=at,
        criteria=["visible_high_risk"],
        outcome=MaracOutcome.PENDING,
    )
    session.add(referral)
    session.flush()
    return referral


def repeat_calls(db: Database, world: World, force: str = "WMP") -> dict[str, Any]:
    """Three domestic abuse calls from one victim in three weeks, none ending in an arrest."""
    force_id = world.forces[force]
    with db.transaction() as session:
        victim = person(session, force_id, f"Amira Haddad{next(_ids)}")
        suspect = person(session, force_id, f"Daniel Kowalski{next(_ids)}")
        calls = [
            da_incident(session, force_id, T0 + timedelta(days=7 * k), victim, suspect)[1]
            for k in range(3)
        ]
        return {
            "victim_subject_id": victim.subject_id,
            "suspect_subject_id": suspect.subject_id,
            "call_ids": [c.id for c in calls],
            "incident_ids": [c.incident_id for c in calls],
        }


def finding(db: Database, world: World, force: str = "WMP") -> dict[str, Any]:
    """An open finding, as a sweep would store it (for the persona and API tests)."""
    n = next(_ids)
    with db.transaction() as session:
        row = MissedOpportunity(
            force_id=world.forces[force],
            fingerprint=f"persona{n:025d}",
            rule="high-risk-no-marac",
            severity=Severity.HIGH,
            at=T0,
            summary="assessed as high risk with no MARAC referral within 24 hours",
            evidence=[f"risk:{n}"],
            about=[f"subject:{n}"],
            found_at=utcnow(),
            last_seen_at=utcnow(),
            status=FindingStatus.OPEN,
        )
        session.add(row)
        session.flush()
        return {"finding_id": row.id}


def warning_sign(
    session: Session, force_id: int, call: Call, at: datetime, code: str = "threat_to_kill"
) -> WarningSign:
    sign = WarningSign(
        force_id=force_id,
        call_id=call.id,
        source=SignSource.TRANSCRIPT,
        code=code,
        severity=SignSeverity.CRITICAL,
        words="caller says he threatened to kill her",
        evidence=[],
        evidence_key=f"k{next(_ids)}",
        raised_at=at,
    )
    session.add(sign)
    session.flush()
    return sign


def call_back(session: Session, force_id: int, call: Call, at: datetime) -> GradeChange:
    change = GradeChange(
        force_id=force_id,
        call_id=call.id,
        kind=ChangeKind.CALL_BACK,
        previous_grade=Grade.PRIORITY,
        reason="caller will be rung back in the morning",
        by_name="handler 9",
        by_role="call_handler",
        at=at,
        status=ChangeStatus.PENDING,
    )
    session.add(change)
    session.flush()
    return change


def dapo(session: Session, force_id: int, suspect: PersonRecord, victim: PersonRecord) -> Order:
    order = Order(
        force_id=force_id,
        order_type=OrderType.DAPO,
        status=OrderStatus.ACTIVE,
        subject_record_id=suspect.id,
        issued_by="Magistrates' court",
        made_at=T0,
        conditions={},
    )
    session.add(order)
    session.flush()
    session.add(
        OrderProtectedPerson(force_id=force_id, order_id=order.id, person_record_id=victim.id)
    )
    session.flush()
    return order


def overdue_duty(session: Session, force_id: int, order: Order) -> OrderDuty:
    duty = OrderDuty(
        force_id=force_id,
        order_id=order.id,
        kind=DutyKind.NOTIFICATION_INITIAL,
        trigger="order made",
        triggered_at=T0,
        due_at=T0 + timedelta(days=3),
        status=DutyStatus.OVERDUE,
    )
    session.add(duty)
    session.flush()
    return duty


def unattended_breach(session: Session, force_id: int, order: Order, at: datetime) -> Breach:
    breach = Breach(
        force_id=force_id,
        order_id=order.id,
        kind=BreachKind.ZONE_ENTRY,
        grade=Grade.EMERGENCY,
        started_at=at,
        raised_at=at,
        status=BreachStatus.OPEN,
    )
    session.add(breach)
    session.flush()
    return breach


def victim_subject(db: Database, world: World, force: str = "WMP") -> dict[str, Any]:
    """A victim with three unanswered calls, for the chronology routes."""
    return {"subject_id": repeat_calls(db, world, force)["victim_subject_id"]}
