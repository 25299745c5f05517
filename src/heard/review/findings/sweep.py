"""The sweep: every group of a force through the rules, findings stored for the review queue.

A finding is identified by its rule and evidence (the fingerprint), so sweeping again finds the
row made before and only notes that it was seen again; a reviewer's decision is never undone by a
later sweep. A finding no longer produced (the data were corrected) stays, for a person to dismiss.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.audit.service import Actor
from heard.auth.models import Force
from heard.clock import utcnow
from heard.review.findings.chronology import group_scope
from heard.review.findings.loader import iter_cases, load_force
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.rules import CaseHistory, Finding, RuleSettings, evaluate, force_settings
from heard.review.rules.config import RulesConfigError

log = logging.getLogger(__name__)
SETTINGS_KEY = "missed_opportunities"


@dataclass
class SweepReport:
    force: str
    cases: int = 0
    unreadable: int = 0
    new: int = 0
    seen_again: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    fingerprints: set[str] = field(default_factory=set)

    def details(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "unreadable": self.unreadable,
            "new": self.new,
            "seen_again": self.seen_again,
            "by_rule": dict(sorted(self.by_rule.items())),
        }


def settings_for(force: Force) -> RuleSettings:
    """The force's own thresholds; unreadable settings are logged and the defaults used, so a
    typo in one force's settings never stops its sweep."""
    try:
        return force_settings((force.settings or {}).get(SETTINGS_KEY))
    except RulesConfigError as exc:
        log.error(
            "missed-opportunity settings unreadable; defaults used",
            extra={"force": force.code, "problem": str(exc)},
        )
        return RuleSettings()


def _store(
    session: Session,
    *,
    force_id: int,
    found: list[Finding],
    existing: dict[str, MissedOpportunity],
    now: datetime,
    report: SweepReport,
) -> None:
    for finding in found:
        # Two groups can share a record that is not domestic abuse: count its finding once.
        if finding.fingerprint in report.fingerprints:
            continue
        report.fingerprints.add(finding.fingerprint)
        report.by_rule[finding.rule] += 1
        row = existing.get(finding.fingerprint)
        if row is not None:
            row.last_seen_at = now
            report.seen_again += 1
            continue
        row = MissedOpportunity(
            force_id=force_id,
            fingerprint=finding.fingerprint,
            rule=finding.rule,
            severity=finding.severity,
            at=finding.at,
            summary=finding.summary,
            evidence=list(finding.evidence),
            about=list(finding.about),
            found_at=now,
            last_seen_at=now,
            status=FindingStatus.OPEN,
        )
        session.add(row)
        existing[finding.fingerprint] = row
        report.new += 1


def _evaluate(
    *,
    force: Force,
    cases: Iterator[tuple[list[str], dict[str, Any]]],
    report: SweepReport,
) -> list[Finding]:
    settings = settings_for(force)
    found: list[Finding] = []
    for members, document in cases:
        try:
            case = CaseHistory.model_validate(document)
        except ValidationError as exc:
            report.unreadable += 1
            log.warning("case skipped", extra={"people": members[:5], "problem": str(exc)[:500]})
            continue
        report.cases += 1
        found.extend(evaluate(case, settings))
    return found


def _stored(
    session: Session, *, force_id: int, fingerprints: set[str] | None
) -> dict[str, MissedOpportunity]:
    query = select(MissedOpportunity).where(MissedOpportunity.force_id == force_id)
    if fingerprints is not None:
        if not fingerprints:
            return {}
        query = query.where(MissedOpportunity.fingerprint.in_(sorted(fingerprints)))
    return {row.fingerprint: row for row in session.scalars(query)}


def sweep_force(
    session: Session,
    *,
    force: Force,
    as_of: datetime,
    actor: Actor,
    people: set[str] | None = None,
) -> SweepReport:
    """Run every rule over every group of the force (or only the groups holding `people`, as
    `subject:ID` / `record:ID`); store findings; audit the sweep.

    A group is always read whole from the whole force, so the findings for `people` are exactly
    those a full sweep would store, and the fingerprints keep a re-run from adding a second row."""
    report = SweepReport(force.code)
    scope = None if people is None else group_scope(session, force_id=force.id, people=people)
    records = load_force(session, force_id=force.id, scope=scope)
    cases = iter_cases(records, force=force.code, as_of=as_of)
    if people is not None:
        cases = (case for case in cases if not people.isdisjoint(case[0]))
    found = _evaluate(force=force, cases=cases, report=report)
    # A re-run reads back only the stored rows it may meet again, not every finding of the force.
    fingerprints = None if people is None else {f.fingerprint for f in found}
    existing = _stored(session, force_id=force.id, fingerprints=fingerprints)
    _store(session, force_id=force.id, found=found, existing=existing, now=utcnow(), report=report)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="review.sweep" if people is None else "review.rules.rerun",
        force_id=force.id,
        record_type="force",
        record_id=force.id,
        details={
            "as_of": as_of.isoformat(),
            **report.details(),
            **({"people": sorted(people)} if people is not None else {}),
        },
    )
    return report
