"""A victim's history built through the models: the repeat-calls-on-one-night scenario.

Amira Haddad and her ex-partner Daniel Kowalski: ten domestic abuse incidents in the last year,
each with its call; a high risk grade that was later lowered; a MARAC referral; and an active
non-molestation order protecting her at her home. The intake calls of the night then arrive
through the API and are linked to this history by the real linker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from heard.db.uow import Database
from heard.incidents.models import (
    Call,
    Category,
    Channel,
    Connection,
    Grade,
    Incident,
    Involvement,
    Relationship,
    Role,
)
from heard.orders.models import Order, OrderProtectedPerson, OrderStatus, OrderType
from heard.people import normalise
from heard.people.models import Location, PersonRecord, Sex, Subject
from heard.risk.models import MaracOutcome, MaracReferral, RiskAssessment, RiskGrade

NIGHT = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
ADDRESS = "7 Ingleby Road"
POSTCODE = "TS24 1GZ"
HOME = (54.6861, -1.2129)
VICTIM = {
    "given_name": "Amira",
    "family_name": "Haddad",
    "date_of_birth": "1991-04-12",
    "phone": "07700 900123",
    "sex": "female",
}
SUSPECT = {
    "given_name": "Daniel",
    "family_name": "Kowalski",
    "date_of_birth": "1988-09-30",
    "sex": "male",
}


@dataclass
class History:
    force_id: int
    victim_subject: int
    suspect_subject: int
    victim_record: int
    suspect_record: int
    location_id: int
    incidents: list[int]
    order_id: int
    lowered_assessment: int


def _record(force_id: int, subject: Subject, person: dict[str, Any], at: datetime, **extra: Any):
    return PersonRecord(
        force_id=force_id,
        subject_id=subject.id,
        recorded_at=at,
        name_raw=f"{person['given_name']} {person['family_name']}",
        given_name=person["given_name"],
        family_name=person["family_name"],
        date_of_birth=date.fromisoformat(person["date_of_birth"]),
        sex=Sex(person["sex"]),
        phone_raw=person.get("phone"),
        phone_e164=normalise.phone_e164(person.get("phone")),
        **extra,
    )


def build_history(db: Database, force_id: int, *, incidents: int = 10) -> History:
    start = NIGHT - timedelta(days=340)
    with db.transaction() as s:
        home = Location(
            force_id=force_id,
            address_text=ADDRESS,
            address_normalised=normalise.address(ADDRESS),
            postcode=POSTCODE,
            latitude=HOME[0],
            longitude=HOME[1],
        )
        victim = Subject(
            force_id=force_id,
            given_name="Amira",
            family_name="Haddad",
            date_of_birth=date(1991, 4, 12),
            created_at=start,
        )
        suspect = Subject(
            force_id=force_id,
            given_name="Daniel",
            family_name="Kowalski",
            date_of_birth=date(1988, 9, 30),
            created_at=start,
        )
        s.add_all([home, victim, suspect])
        s.flush()
        victim_record = _record(force_id, victim, VICTIM, start, location_id=home.id)
        suspect_record = _record(force_id, suspect, SUSPECT, start)
        s.add_all([victim_record, suspect_record])
        s.flush()
        incident_ids = []
        for n in range(incidents):
            opened = start + timedelta(days=33 * n + 2)
            incident = Incident(
                force_id=force_id,
                reference=f"HIST-{n:03d}",
                opened_at=opened,
                closed_at=opened + timedelta(hours=5),
                category=Category.DOMESTIC,
                is_domestic_abuse=True,
                crime_recorded=n % 2 == 0,
                location_id=home.id,
                grade=Grade.PRIORITY,
                arrest_made=False,
                outcome=None,
            )
            s.add(incident)
            s.flush()
            incident_ids.append(incident.id)
            s.add_all(
                [
                    Involvement(
                        force_id=force_id,
                        incident_id=incident.id,
                        person_record_id=victim_record.id,
                        role=Role.VICTIM,
                    ),
                    Involvement(
                        force_id=force_id,
                        incident_id=incident.id,
                        person_record_id=suspect_record.id,
                        role=Role.SUSPECT,
                    ),
                    Relationship(
                        force_id=force_id,
                        incident_id=incident.id,
                        victim_record_id=victim_record.id,
                        suspect_record_id=suspect_record.id,
                        connection=Connection.INTIMATE_RELATIONSHIP,
                        is_former=True,
                        detail="ex-partner",
                    ),
                    Call(
                        force_id=force_id,
                        source_ref=f"HIST-CALL-{n}",
                        channel=Channel.EMERGENCY_999,
                        received_at=opened,
                        caller_number="07700 900123",
                        incident_id=incident.id,
                    ),
                ]
            )
        high = RiskAssessment(
            force_id=force_id,
            instrument="dash-acpo-27",
            grade=RiskGrade.HIGH,
            yes_count=15,
            assessed_at=start + timedelta(days=40),
            victim_record_id=victim_record.id,
            incident_id=incident_ids[1],
            grade_lowered=False,
            earlier_grade=None,
        )
        lowered = RiskAssessment(
            force_id=force_id,
            instrument="dash-acpo-27",
            grade=RiskGrade.MEDIUM,
            yes_count=11,
            assessed_at=start + timedelta(days=200),
            victim_record_id=victim_record.id,
            incident_id=incident_ids[6],
            grade_lowered=True,
            earlier_grade=RiskGrade.HIGH,
        )
        s.add_all([high, lowered])
        s.add(
            MaracReferral(
                force_id=force_id,
                victim_record_id=victim_record.id,
                incident_id=incident_ids[1],
                referred_at=start + timedelta(days=45),
                criteria=["visible_high_risk"],
                meeting_date=None,
                outcome=MaracOutcome.ACTION_PLAN_AGREED,
            )
        )
        order = Order(
            force_id=force_id,
            order_type=OrderType.NON_MOLESTATION,
            status=OrderStatus.ACTIVE,
            subject_record_id=suspect_record.id,
            incident_id=incident_ids[-1],
            issued_by="Family court",
            made_at=NIGHT - timedelta(days=60),
            served_at=NIGHT - timedelta(days=59),
            expires_at=NIGHT + timedelta(days=120),
            conditions={
                "no_contact": {"direct": True, "indirect": True},
                "exclusion_zones": [
                    {"kind": "circle", "lat": HOME[0], "lon": HOME[1], "radius_m": 200}
                ],
            },
        )
        s.add(order)
        s.flush()
        s.add(
            OrderProtectedPerson(
                force_id=force_id, order_id=order.id, person_record_id=victim_record.id
            )
        )
        s.flush()
        return History(
            force_id=force_id,
            victim_subject=victim.id,
            suspect_subject=suspect.id,
            victim_record=victim_record.id,
            suspect_record=suspect_record.id,
            location_id=home.id,
            incidents=incident_ids,
            order_id=order.id,
            lowered_assessment=lowered.id,
        )


def night_call(ref: str, minutes_after: int = 0, **extra: Any) -> dict[str, Any]:
    """A call of the night from the victim about her ex-partner, as CAD sends it."""
    body: dict[str, Any] = {
        "source_ref": ref,
        "channel": "999",
        "received_at": (NIGHT + timedelta(minutes=minutes_after)).isoformat(),
        "caller_number": VICTIM["phone"],
        "address": ADDRESS,
        "postcode": POSTCODE.lower(),
        "people": [{"role": "victim", **VICTIM}, {"role": "suspect", **SUSPECT}],
        "relationship": {"connection": "intimate_relationship", "former": True},
    }
    body.update(extra)
    return body
