"""A constructed pilot: two months of one force's records, each written so its figure is known.

The expected figures are worked out by hand in tests/integration/test_metrics.py, next to the
records they come from (the comments here say which record is there for which figure).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy.orm import Session

from heard.auth.permissions import Role as UserRole
from heard.db.uow import Database
from heard.incidents.models import Call, Category, Channel, Grade, Incident, Involvement, Role
from heard.orders.models import Order, OrderStatus, OrderType
from heard.orders.records import Breach, BreachKind, BreachStatus
from heard.people.models import PersonRecord, Sex, Subject
from heard.referrals.models import Referral, ReferralKind, ReferralStatus
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.models import DaReview, ReviewState
from heard.review.rules.case import Severity
from heard.risk.models import MaracOutcome, MaracReferral
from heard.signals.models import (
    AckAction,
    Acknowledgement,
    CallSignalState,
    ChangeKind,
    ChangeStatus,
    GradeChange,
    SignSource,
    WarningSign,
)
from heard.signals.models import Severity as SignSeverity
from tests.support.world import World

_n = count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Builder:
    def __init__(self, session: Session, world: World, force: str = "WMP") -> None:
        self.session = session
        self.force_id = world.forces[force]
        self.user_id = world.persona(force, UserRole.CALL_HANDLER).user_id

    def add(self, row: object) -> object:
        self.session.add(row)
        self.session.flush()
        return row

    def person(self, name: str, *, linked: bool = True) -> PersonRecord:
        given, family = name.split(" ", 1)
        subject_id = None
        if linked:
            subject = Subject(
                force_id=self.force_id,
                given_name=given,
                family_name=family,
                created_at=at("2024-01-01T00:00:00"),
            )
            self.add(subject)
            subject_id = subject.id
        record = PersonRecord(
            force_id=self.force_id,
            subject_id=subject_id,
            recorded_at=at("2024-01-01T00:00:00"),
            name_raw=name,
            given_name=given,
            family_name=family,
            sex=Sex.UNKNOWN,
        )
        self.add(record)
        return record

    def call(
        self,
        when: str,
        *,
        victim: PersonRecord | None = None,
        domestic: bool = True,
        said_domestic: bool = False,
    ) -> Call:
        """A call with its incident; `said_domestic`: decided so from the words, not recorded."""
        n = next(_n)
        received = at(when)
        incident = Incident(
            force_id=self.force_id,
            reference=f"MX-{n}",
            opened_at=received,
            category=Category.DOMESTIC if domestic else Category.CONCERN_FOR_WELFARE,
            is_domestic_abuse=domestic,
            crime_recorded=False,
            grade=Grade.PRIORITY,
            arrest_made=False,
        )
        self.add(incident)
        if victim is not None:
            self.add(
                Involvement(
                    force_id=self.force_id,
                    incident_id=incident.id,
                    person_record_id=victim.id,
                    role=Role.VICTIM,
                )
            )
        call = Call(
            force_id=self.force_id,
            source_ref=f"MX-CALL-{n}",
            channel=Channel.EMERGENCY_999,
            received_at=received,
            incident_id=incident.id,
        )
        self.add(call)
        if said_domestic:
            self.add(
                CallSignalState(
                    force_id=self.force_id,
                    call_id=call.id,
                    domestic_abuse=True,
                    updated_at=received,
                )
            )
        return call

    def second_call(self, first: Call, when: str) -> Call:
        """Another call about the same incident (a neighbour, the victim again)."""
        call = Call(
            force_id=self.force_id,
            source_ref=f"MX-CALL-{next(_n)}",
            channel=Channel.EMERGENCY_999,
            received_at=at(when),
            incident_id=first.incident_id,
        )
        self.add(call)
        return call

    def review(self, call: Call, minutes: int | None) -> None:
        """A specialist's review, recorded `minutes` after the call (None: not reviewed yet)."""
        done = call.received_at + timedelta(minutes=minutes) if minutes is not None else None
        self.add(
            DaReview(
                force_id=self.force_id,
                call_id=call.id,
                incident_id=call.incident_id,
                state=ReviewState.REVIEWED if done else ReviewState.NEW,
                created_at=call.received_at,
                reviewed_at=done,
            )
        )

    def sign(
        self, call: Call, when: str, ack_seconds: int | None, action: AckAction | None = None
    ) -> None:
        raised = at(when)
        n = next(_n)
        sign = WarningSign(
            force_id=self.force_id,
            call_id=call.id,
            source=SignSource.TRANSCRIPT,
            code="STRANGULATION",
            severity=SignSeverity.CRITICAL,
            words="caller said he held her by the throat",
            evidence=[],
            evidence_key=f"mx-{n}",
            raised_at=raised,
        )
        self.add(sign)
        if ack_seconds is not None:
            self.add(
                Acknowledgement(
                    force_id=self.force_id,
                    warning_sign_id=sign.id,
                    call_id=call.id,
                    user_id=self.user_id,
                    role="call_handler",
                    action=action or AckAction.ASKED_ABOUT_IT,
                    reason="caller safe now" if action is AckAction.NOT_RELEVANT else None,
                    acknowledged_at=raised + timedelta(seconds=ack_seconds),
                    seconds_to_acknowledge=float(ack_seconds),
                )
            )

    def grade(
        self,
        call: Call,
        when: str,
        previous: Grade | None,
        grade: Grade,
        status: ChangeStatus = ChangeStatus.RECORDED,
        kind: ChangeKind = ChangeKind.SET,
    ) -> None:
        self.add(
            GradeChange(
                force_id=self.force_id,
                call_id=call.id,
                kind=kind,
                grade=grade,
                previous_grade=previous,
                by_name="handler",
                by_role="call_handler",
                at=at(when),
                status=status,
            )
        )

    def referral(
        self,
        kind: ReferralKind,
        subject: PersonRecord,
        created: str,
        due: str,
        delivered: str | None,
        status: ReferralStatus | None = None,
    ) -> None:
        self.add(
            Referral(
                force_id=self.force_id,
                kind=kind,
                subject_record_id=subject.id,
                reason="safeguarding",
                contents={},
                recipient="service",
                status=status
                or (ReferralStatus.DELIVERED if delivered else ReferralStatus.PENDING),
                created_at=at(created),
                due_at=at(due),
                delivered_at=at(delivered) if delivered else None,
            )
        )

    def marac(self, victim: PersonRecord, when: str, criteria: list[str]) -> None:
        self.add(
            MaracReferral(
                force_id=self.force_id,
                victim_record_id=victim.id,
                referred_at=at(when),
                criteria=criteria,
                outcome=MaracOutcome.PENDING,
            )
        )

    def order(self, kind: OrderType, subject: PersonRecord, when: str) -> Order:
        order = Order(
            force_id=self.force_id,
            order_type=kind,
            status=OrderStatus.ACTIVE,
            subject_record_id=subject.id,
            issued_by="court",
            made_at=at(when),
            conditions={},
        )
        self.add(order)
        return order

    def breach(self, order: Order, when: str, status: BreachStatus, **times: str) -> None:
        raised = at(when)
        self.add(
            Breach(
                force_id=self.force_id,
                order_id=order.id,
                kind=BreachKind.ZONE_ENTRY,
                grade=Grade.EMERGENCY,
                started_at=raised,
                raised_at=raised,
                evidence={},
                status=status,
                **{name: at(value) for name, value in times.items()},
            )
        )

    def finding(self, rule: str, when: str) -> None:
        n = next(_n)
        self.add(
            MissedOpportunity(
                force_id=self.force_id,
                fingerprint=f"mx-{n}",
                rule=rule,
                severity=Severity.HIGH,
                at=at(when),
                summary="constructed",
                evidence=[],
                about=[],
                found_at=at(when),
                last_seen_at=at(when),
                status=FindingStatus.OPEN,
            )
        )


def pilot(db: Database, world: World) -> None:
    """March and April 2026 in WMP, plus the history before them and one NMP call."""
    with db.transaction() as session:
        b = Builder(session, world)
        amira = b.person("Amira Haddad")
        chloe = b.person("Chloe Baker", linked=False)
        suspect = b.person("Daniel Kowalski")
        b.call("2025-06-01T09:00:00", victim=amira)  # before the range: makes c1 a repeat
        b.call("2025-03-01T09:00:00", victim=chloe)  # 400 days before c5: not a repeat
        c1 = b.call("2026-03-02T10:00:00", victim=amira)
        c2 = b.call("2026-03-20T12:00:00", victim=amira)  # 18 days after c1: a repeat
        c3 = b.call("2026-03-25T08:00:00", domestic=False, said_domestic=True)
        b.call("2026-03-28T08:00:00", domestic=False)  # not domestic abuse at all
        c5 = b.call("2026-04-05T22:00:00", victim=chloe)
        b.second_call(c5, "2026-04-05T22:40:00")  # same incident: a DA call, not a repeat
        b.review(c1, 30)
        b.review(c2, 90)
        b.review(c3, None)
        b.sign(c1, "2026-03-02T10:01:00", 20)
        b.sign(c1, "2026-03-02T10:02:00", 40, AckAction.NOT_RELEVANT)
        b.sign(c1, "2026-03-02T10:03:00", None)
        b.sign(c5, "2026-04-05T22:01:00", 100)
        b.grade(c1, "2026-03-02T10:05:00", Grade.EMERGENCY, Grade.PRIORITY, ChangeStatus.SIGNED_OFF)
        b.grade(c2, "2026-03-20T12:05:00", Grade.PRIORITY, Grade.SCHEDULED, ChangeStatus.PENDING)
        b.grade(c2, "2026-03-20T12:10:00", Grade.SCHEDULED, Grade.EMERGENCY)  # raised
        b.grade(
            c1, "2026-03-02T10:06:00", Grade.PRIORITY, Grade.SCHEDULED, kind=ChangeKind.CALL_BACK
        )
        b.grade(c5, "2026-04-05T22:02:00", None, Grade.RESOLUTION)  # the first grade set
        S, M, E = ReferralKind.SUPPORT, ReferralKind.MARAC, ReferralKind.ENCOMPASS
        b.referral(S, amira, "2026-03-02T11:00:00", "2026-03-03T11:00:00", "2026-03-02T15:00:00")
        b.referral(S, amira, "2026-03-05T11:00:00", "2026-03-06T11:00:00", "2026-03-07T09:00:00")
        b.referral(M, amira, "2026-03-06T11:00:00", "2026-03-07T11:00:00", None)
        b.referral(
            S, amira, "2026-03-08T11:00:00", "2026-03-09T11:00:00", None, ReferralStatus.WITHDRAWN
        )
        b.referral(E, chloe, "2026-03-02T19:00:00", "2026-03-03T08:30:00", "2026-03-03T08:00:00")
        b.referral(E, chloe, "2026-04-05T23:00:00", "2026-04-06T08:30:00", "2026-04-07T08:00:00")
        b.marac(amira, "2026-03-03T09:00:00", ["visible_high_risk", "repeat"])
        b.marac(amira, "2026-03-21T09:00:00", ["repeat"])
        b.marac(chloe, "2026-04-02T09:00:00", [])
        o1 = b.order(OrderType.DAPO, suspect, "2026-03-04T12:00:00")
        # 00:30 on 1 April in London (summer time), still March in UTC.
        b.order(OrderType.DAPO, suspect, "2026-03-31T23:30:00")
        b.order(OrderType.DAPN, suspect, "2026-04-01T12:00:00")
        b.breach(
            o1, "2026-03-10T10:00:00", BreachStatus.ARRESTED,
            attended_at="2026-03-10T10:15:00", arrested_at="2026-03-10T10:40:00",
        )  # fmt: skip
        b.breach(
            o1, "2026-03-12T10:00:00", BreachStatus.NO_FURTHER_ACTION,
            attended_at="2026-03-12T10:45:00", closed_at="2026-03-12T12:00:00",
        )  # fmt: skip
        b.breach(o1, "2026-03-14T10:00:00", BreachStatus.OPEN)
        b.finding("high-risk-no-marac", "2026-03-05T11:00:00")
        b.finding("high-risk-no-marac", "2026-03-25T11:00:00")
        b.finding("breach-no-response", "2026-04-10T11:00:00")
        Builder(session, world, "NMP").call("2026-03-02T10:00:00", victim=None)
