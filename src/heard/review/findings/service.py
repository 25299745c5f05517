"""The review queue: findings listed, read, accepted (with a learning note and who must act) or
dismissed (with a reason), and their trends. Every read and decision is audited with it."""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.review.findings.models import FINDING_TRANSITIONS, FindingStatus, MissedOpportunity
from heard.review.rules import RULES_BY_ID
from heard.review.rules.case import Severity

RECORD_TYPE = "missed_opportunity"


class TrendBy(StrEnum):
    RULE = "rule"
    TEAM = "team"
    MONTH = "month"


def list_findings(
    session: Session,
    *,
    force_id: int,
    actor: Actor,
    status: FindingStatus | None = None,
    rule: str | None = None,
    severity: Severity | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[MissedOpportunity]:
    """Newest first; the list names the people each finding is about, so it is audited."""
    query = select(MissedOpportunity).where(MissedOpportunity.force_id == force_id)
    if status is not None:
        query = query.where(MissedOpportunity.status == status)
    if rule is not None:
        query = query.where(MissedOpportunity.rule == rule)
    if severity is not None:
        query = query.where(MissedOpportunity.severity == severity)
    query = query.order_by(MissedOpportunity.at.desc(), MissedOpportunity.id.desc())
    found = list(session.scalars(query.limit(limit).offset(offset)))
    audit.record(
        session,
        actor=actor,
        action="review.findings.list",
        record_type=RECORD_TYPE,
        details={
            "status": status,
            "rule": rule,
            "severity": severity,
            "ids": [f.id for f in found],
        },
    )
    return found


def get_finding(
    session: Session, *, force_id: int, finding_id: int, actor: Actor, audited: bool = True
) -> MissedOpportunity:
    """Another force's finding is not found, exactly as one that does not exist."""
    finding = session.get(MissedOpportunity, finding_id)
    if finding is None or finding.force_id != force_id:
        raise errors.NotFound("no such finding")
    if audited:
        audit.record(
            session,
            actor=actor,
            action="review.finding.read",
            record_type=RECORD_TYPE,
            record_id=finding.id,
        )
    return finding


def _decide(finding: MissedOpportunity, target: FindingStatus, actor: Actor) -> None:
    finding.status = FINDING_TRANSITIONS.check(finding.status, target)
    finding.decided_by = actor.user_id
    finding.decided_by_name = actor.username
    finding.decided_at = utcnow()


def accept(
    session: Session,
    *,
    finding: MissedOpportunity,
    learning_note: str,
    who_must_act: str,
    actor: Actor,
) -> MissedOpportunity:
    """A missed opportunity: what is to be learnt, and who must act on it."""
    _decide(finding, FindingStatus.ACCEPTED, actor)
    finding.learning_note = learning_note
    finding.who_must_act = who_must_act
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="review.finding.accept",
        record_type=RECORD_TYPE,
        record_id=finding.id,
        details={"rule": finding.rule, "who_must_act": who_must_act, "note": learning_note},
    )
    return finding


def dismiss(
    session: Session, *, finding: MissedOpportunity, reason: str, actor: Actor
) -> MissedOpportunity:
    """Not a missed opportunity, and why."""
    _decide(finding, FindingStatus.DISMISSED, actor)
    finding.dismiss_reason = reason
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="review.finding.dismiss",
        record_type=RECORD_TYPE,
        record_id=finding.id,
        reason=reason,
        details={"rule": finding.rule},
    )
    return finding


def _key(finding: MissedOpportunity, by: TrendBy) -> str:
    if by is TrendBy.RULE:
        return finding.rule
    if by is TrendBy.TEAM:
        return finding.who_must_act or "(not yet decided)"
    return finding.at.strftime("%Y-%m")


def trends(session: Session, *, force_id: int, by: TrendBy) -> list[dict[str, int | str]]:
    """Counts by rule, by the team that must act, or by month of the missed opportunity."""
    counts: dict[str, dict[FindingStatus, int]] = defaultdict(
        lambda: dict.fromkeys(FindingStatus, 0)
    )
    for finding in session.scalars(
        select(MissedOpportunity).where(MissedOpportunity.force_id == force_id)
    ):
        counts[_key(finding, by)][finding.status] += 1
    return [
        {"key": key, **{s.value: n for s, n in row.items()}, "total": sum(row.values())}
        for key, row in sorted(counts.items())
    ]


def describe(finding: MissedOpportunity) -> dict[str, str]:
    rule = RULES_BY_ID.get(finding.rule)
    return {"title": rule.title, "description": rule.description} if rule else {}
