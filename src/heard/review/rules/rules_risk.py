"""Rules over risk and referrals: MARAC, referrals owed, Operation Encompass, serial suspects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from heard.review.rules.case import (
    Incident,
    MaracReferral,
    Person,
    Referral,
    ReferralKind,
    ReferralStatus,
    RiskLevel,
)
from heard.review.rules.config import (
    EncompassSettings,
    HighRiskNoMaracSettings,
    MaracRepeatSettings,
    ReferralSettings,
    SerialSettings,
)
from heard.review.rules.findings import Draft, unique
from heard.review.rules.index import CaseIndex

# Delivered, or answered by the service: the referral reached someone.
REACHED = frozenset({ReferralStatus.DELIVERED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED})
# Deliberately not sent (withdrawn, or the victim declined and the risk did not override it).
NOT_OWED = frozenset({ReferralStatus.WITHDRAWN, ReferralStatus.NOT_SENT})


def _marac_sent(
    ix: CaseIndex, victim: str, start: datetime, end: datetime
) -> list[tuple[datetime, str]]:
    """(time, id) of MARAC referrals (decisions or packs) for the victim within [start, end]."""
    found = [
        (m.referred_at, m.id)
        for m in ix.marac_by_victim.get(victim, [])
        if start <= m.referred_at <= end
    ]
    found += [
        (r.created_at, r.id)
        for r in ix.case.referrals
        if r.kind is ReferralKind.MARAC
        and ix.among(victim, (r.subject_id, r.victim_id or r.subject_id))
        and r.status not in NOT_OWED
        and start <= r.created_at <= end
    ]
    return sorted(found)


def high_risk_no_marac(ix: CaseIndex, s: HighRiskNoMaracSettings) -> Iterator[Draft]:
    grace, lookback = timedelta(hours=s.grace_hours), timedelta(days=s.lookback_days)
    for assessment in sorted(ix.case.risk_assessments, key=lambda r: (r.assessed_at, r.id)):
        if assessment.level is not RiskLevel.HIGH:
            continue
        deadline = assessment.assessed_at + grace
        if ix.as_of <= deadline:
            continue
        victim = ix.who(assessment.victim_id)
        if _marac_sent(ix, victim, assessment.assessed_at - lookback, deadline):
            continue
        # A referral made after the standard is still worth naming: late is not never.
        late = _marac_sent(ix, victim, deadline, ix.as_of)[:1]
        words = (
            f"the next MARAC referral came {_after(late[0][0] - assessment.assessed_at)}"
            if late
            else "no MARAC referral was made"
        )
        yield Draft(
            at=deadline,
            evidence=unique((assessment.id, assessment.incident_id, *(i for _, i in late))),
            about=(assessment.victim_id,),
            summary=f"assessed as high risk; {words} (standard: {s.grace_hours:g} hours)",
        )


def _after(gap: timedelta) -> str:
    hours = gap.total_seconds() / 3600
    return f"{hours:.0f} hours later" if hours < 48 else f"{hours / 24:.0f} days later"


def _da_events(ix: CaseIndex, victim: str) -> list[tuple[datetime, str, tuple[str, ...]]]:
    """(time, record id, suspects) of every domestic abuse incident, and call with no incident."""
    events = [(i.opened_at, i.id, i.suspect_ids) for i in ix.incidents_of_victim(victim)]
    events = [e for e in events if ix.incidents[e[1]].domestic_abuse]
    events += [
        (c.received_at, c.id, c.suspect_ids)
        for c in ix.case.calls
        if c.incident_id is None and ix.call_is_da(c) and ix.among(victim, c.victim_ids)
    ]
    return sorted(events)


def _latest_before(referrals: list[MaracReferral], moment: datetime) -> MaracReferral | None:
    earlier = [m for m in referrals if m.referred_at < moment]
    return earlier[-1] if earlier else None


def _same_perpetrator(ix: CaseIndex, referral: MaracReferral, suspects: tuple[str, ...]) -> bool:
    """SafeLives: a repeat is abuse between the same victim and perpetrator(s). When either side
    does not record the suspect, it cannot be ruled out, so it counts."""
    incident = ix.incidents.get(referral.incident_id) if referral.incident_id else None
    referred = set(incident.suspect_ids) if incident else set()
    return not referred or not suspects or bool(referred & set(suspects))


def marac_repeat_not_referred(ix: CaseIndex, s: MaracRepeatSettings) -> Iterator[Draft]:
    window, grace = timedelta(days=s.window_days), timedelta(hours=s.grace_hours)
    for victim, referrals in sorted(ix.marac_by_victim.items()):
        reported: set[str] = set()
        for at, record_id, suspects in _da_events(ix, victim):
            last = _latest_before(referrals, at)
            if last is None or at - last.referred_at > window or last.id in reported:
                continue
            if s.same_perpetrator and not _same_perpetrator(ix, last, suspects):
                continue
            deadline = at + grace
            if ix.as_of <= deadline or _marac_sent(ix, victim, at, deadline):
                continue
            reported.add(last.id)
            yield Draft(
                at=deadline,
                evidence=(last.id, record_id),
                about=unique((last.victim_id, *suspects)),
                summary=f"further abuse within {s.window_days:g} days of a MARAC referral was "
                "not referred back to MARAC",
            )


def referral_not_delivered(ix: CaseIndex, s: ReferralSettings) -> Iterator[Draft]:
    grace = timedelta(hours=s.grace_hours)
    for referral in sorted(ix.case.referrals, key=lambda r: (r.due_at, r.id)):
        for_victim = referral.victim_id in (None, referral.subject_id)
        if referral.kind not in s.kinds or referral.status in NOT_OWED or not for_victim:
            continue
        deadline = referral.due_at + grace
        if ix.as_of <= deadline or _reached_by(referral, deadline):
            continue
        where = "delivered late" if referral.delivered_at else "not delivered"
        yield Draft(
            at=deadline,
            evidence=unique((referral.id, referral.incident_id)),
            about=(referral.subject_id,),
            summary=f"{referral.kind} referral for the victim was due and {where}",
        )


def _reached_by(referral: Referral, deadline: datetime) -> bool:
    if referral.delivered_at is not None:
        return referral.delivered_at <= deadline
    # Marked delivered with no time given: the file cannot show it late, so it is not a finding.
    return referral.status in REACHED


def next_school_day_start(attended_at: datetime, *, start: str, zone: str) -> datetime:
    """The first local `start` strictly after `attended_at`, every day of the year, as UTC
    (the same reading as heard.referrals.encompass)."""
    tz = ZoneInfo(zone)
    local = attended_at.astimezone(tz)
    hour, minute = (int(part) for part in start.split(":"))
    candidate = datetime.combine(local.date(), time(hour, minute), tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), time(hour, minute), tz)
    return candidate.astimezone(UTC)


def _age_on(person: Person | None, day: date) -> int | None:
    if person is None:
        return None
    if person.date_of_birth is not None:
        born = person.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return person.age_years


def _notices(ix: CaseIndex, child: str, incident: Incident, attended: datetime) -> list[Referral]:
    return [
        r
        for r in ix.case.referrals
        if r.kind is ReferralKind.ENCOMPASS
        # Exact ids: merging two children (twins share a birthday) could hide a missing notice.
        and r.subject_id == child
        and r.status not in NOT_OWED
        and (r.incident_id == incident.id or (r.incident_id is None and r.created_at >= attended))
    ]


def encompass_not_sent(ix: CaseIndex, s: EncompassSettings) -> Iterator[Draft]:
    people = {p.id: p for p in ix.case.people}
    for incident in sorted(ix.case.incidents, key=lambda i: (i.opened_at, i.id)):
        arrivals = [a for a in ix.attendances_by_incident.get(incident.id, []) if a.arrived_at]
        if not arrivals or not incident.child_ids:
            continue
        if s.domestic_abuse_only and not incident.domestic_abuse:
            continue
        first = min(arrivals, key=lambda a: (a.arrived_at, a.id))
        attended = first.arrived_at
        assert attended is not None
        deadline = next_school_day_start(attended, start=s.school_day_start, zone=s.timezone)
        if ix.as_of <= deadline:
            continue
        for child in incident.child_ids:
            age = _age_on(people.get(child), attended.date())
            if age is not None and not s.min_age <= age <= s.max_age:
                continue
            notices = _notices(ix, child, incident, attended)
            if any(_reached_by(n, deadline) for n in notices):
                continue
            yield Draft(
                at=deadline,
                evidence=unique((incident.id, first.id, child, *(n.id for n in notices))),
                about=unique((child, *incident.victim_ids)),
                summary="a child linked to an attended domestic abuse incident: the school was "
                "not told before the next school day",
            )


def serial_perpetrator_not_flagged(ix: CaseIndex, s: SerialSettings) -> Iterator[Draft]:
    window, grace = timedelta(days=s.window_days), timedelta(days=s.flag_within_days)
    for suspect in ix.suspects():
        incidents = sorted(
            (i for i in ix.case.incidents if i.domestic_abuse and ix.among(suspect, i.suspect_ids)),
            key=lambda i: (i.opened_at, i.id),
        )
        for current in incidents:
            recent = [i for i in incidents if current.opened_at - window <= i.opened_at]
            recent = [i for i in recent if i.opened_at <= current.opened_at]
            first_per_victim: dict[str, Incident] = {}
            for incident in recent:
                for victim in incident.victim_ids:
                    first_per_victim.setdefault(ix.who(victim), incident)
            if len(first_per_victim) < s.min_victims:
                continue
            deadline = current.opened_at + grace
            if ix.as_of > deadline and not _flagged(ix, suspect, s, current.opened_at, deadline):
                yield Draft(
                    at=deadline,
                    evidence=unique(i.id for i in first_per_victim.values()),
                    about=unique(
                        [p for i in recent for p in i.suspect_ids if ix.who(p) == suspect]
                        + [
                            v
                            for key, i in first_per_victim.items()
                            for v in i.victim_ids
                            if ix.who(v) == key
                        ]
                    ),
                    summary=f"suspect in domestic abuse against {len(first_per_victim)} victims "
                    "was never flagged as a serial perpetrator",
                )
            break


def _flagged(
    ix: CaseIndex, suspect: str, s: SerialSettings, seen_at: datetime, deadline: datetime
) -> bool:
    return any(
        marker.code in s.flag_codes
        and marker.applied_at <= deadline
        and (marker.expires_at is None or marker.expires_at > seen_at)
        for marker in ix.markers_by_person.get(suspect, [])
    )
