"""Assessment use cases: start with suggestions, answer, submit (scored, immutable), re-assess.

Scoring and MARAC criteria come from `heard.risk.instruments.evaluate`, the same function
`heard risk score` calls. Cue codes are given by the caller (signals sit above this domain).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.incidents.models import Call, Incident, Involvement, Relationship, Role
from heard.people.models import PersonRecord
from heard.risk import history, marac_service
from heard.risk.assessments import (
    ASSESSMENT_TRANSITIONS,
    Assessment,
    AssessmentReview,
    AssessmentStatus,
)
from heard.risk.drafts import RiskConfig, ensure_draft, responses_of, suggestion_doc
from heard.risk.instruments import (
    Instrument,
    Judgement,
    Level,
    ScoreRequest,
    ensure_submittable,
    evaluate,
    suggest,
)
from heard.risk.instruments.cues import CUE_CODES
from heard.risk.instruments.evaluation import Evaluation, find_instrument
from heard.risk.instruments.request import local_date
from heard.risk.models import RiskAssessment, RiskGrade


def _incident(session: Session, force_id: int, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.force_id != force_id:
        raise errors.NotFound(f"no incident {incident_id} in your force")
    return incident


def _suspect_for(session: Session, *, incident_id: int, victim_record_id: int) -> int | None:
    related = session.scalar(
        select(Relationship.suspect_record_id).where(
            Relationship.incident_id == incident_id,
            Relationship.victim_record_id == victim_record_id,
        )
    )
    if related is not None:
        return related
    return session.scalar(
        select(Involvement.person_record_id)
        .where(Involvement.incident_id == incident_id, Involvement.role == Role.SUSPECT)
        .order_by(Involvement.id)
        .limit(1)
    )


def _check_victim(session: Session, *, incident: Incident, victim_record_id: int) -> None:
    record = session.get(PersonRecord, victim_record_id)
    if record is None or record.force_id != incident.force_id:
        raise errors.NotFound(f"no person record {victim_record_id} in your force")
    involved = session.scalar(
        select(Involvement.id).where(
            Involvement.incident_id == incident.id,
            Involvement.person_record_id == victim_record_id,
            Involvement.role == Role.VICTIM,
        )
    )
    if involved is None:
        raise errors.Invalid(
            f"person record {victim_record_id} is not a victim on incident {incident.id}; "
            "assess the person recorded as the victim"
        )


def _suggestions(
    session: Session,
    *,
    instrument: Instrument,
    incident: Incident,
    victim_record_id: int,
    suspect_record_id: int | None,
    cue_codes: Iterable[str],
) -> list[dict[str, Any]]:
    facts = history.history_facts(
        session,
        victim_record_id=victim_record_id,
        suspect_record_id=suspect_record_id,
        incident=incident,
    )
    cues = {code for code in cue_codes if code in CUE_CODES}
    found = suggest(instrument, cues, facts, local_date(utcnow()))
    return [suggestion_doc(s) for s in found]


def start(
    session: Session,
    *,
    force_id: int,
    force_code: str,
    incident_id: int,
    victim_record_id: int,
    instrument_id: str,
    call_id: int | None,
    cue_codes: Iterable[str],
    actor: Actor,
    config: RiskConfig,
    previous: Assessment | None = None,
) -> Assessment:
    incident = _incident(session, force_id, incident_id)
    _check_victim(session, incident=incident, victim_record_id=victim_record_id)
    if call_id is not None:
        call = session.get(Call, call_id)
        if call is None or call.force_id != force_id or call.incident_id != incident.id:
            raise errors.Invalid(f"call {call_id} is not a call on incident {incident.id}")
    instrument = find_instrument(config.catalogue, instrument_id, force_code)
    suspect = _suspect_for(session, incident_id=incident.id, victim_record_id=victim_record_id)
    assessment = Assessment(
        force_id=force_id,
        instrument=instrument.id,
        instrument_version=instrument.version,
        incident_id=incident.id,
        call_id=call_id,
        victim_record_id=victim_record_id,
        suspect_record_id=suspect,
        assessor_id=actor.user_id,
        status=AssessmentStatus.DRAFT,
        revision=1 if previous is None else previous.revision + 1,
        previous_id=None if previous is None else previous.id,
        started_at=utcnow(),
        submitted_at=None,
        answers={},
        suggestions=_suggestions(
            session,
            instrument=instrument,
            incident=incident,
            victim_record_id=victim_record_id,
            suspect_record_id=suspect,
            cue_codes=cue_codes,
        ),
    )
    session.add(assessment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="risk.assessment.start",
        record_type="assessment",
        record_id=assessment.id,
        details={"instrument": instrument.id, "revision": assessment.revision},
    )
    return assessment


def _evaluate(
    session: Session,
    *,
    assessment: Assessment,
    judgement: Judgement | None,
    force_code: str,
    config: RiskConfig,
) -> Evaluation:
    incident = session.get_one(Incident, assessment.incident_id)
    request = ScoreRequest(
        instrument=assessment.instrument,
        responses=responses_of(assessment),
        judgement=judgement,
        history=history.marac_history(
            session,
            victim_record_id=assessment.victim_record_id,
            suspect_record_id=assessment.suspect_record_id,
            incident=incident,
        ),
        as_of=utcnow(),
        force=force_code,
    )
    evaluation = evaluate(request, config.catalogue, config.policies)
    ensure_submittable(evaluation.score)
    if evaluation.score.final_level is None:
        raise errors.Invalid(
            f"{assessment.instrument} has no count rule in your force, so its level comes from "
            "professional judgement: give a level and the rationale for it"
        )
    return evaluation


def submit(
    session: Session,
    *,
    assessment: Assessment,
    judgement: Judgement | None,
    force_code: str,
    actor: Actor,
    config: RiskConfig,
) -> Assessment:
    """Score, apply the MARAC criteria, and make the assessment immutable."""
    ensure_draft(assessment)
    undecided = [s["item_id"] for s in assessment.suggestions if s["decision"] == "pending"]
    if undecided:
        raise errors.Invalid(
            f"confirm or reject every suggestion before submitting (items {', '.join(undecided)})"
        )
    evaluation = _evaluate(
        session, assessment=assessment, judgement=judgement, force_code=force_code, config=config
    )
    result = evaluation.score
    assessment.yes_count = result.yes_count
    assessment.computed_level = _grade(result.computed_level)
    assessment.final_level = _grade(result.final_level)
    assessment.judgement_level = _grade(judgement.level if judgement else None)
    assessment.judgement_rationale = judgement.rationale if judgement else None
    assessment.marac_criteria = [c.value for c in evaluation.marac.criteria]
    assessment.status = ASSESSMENT_TRANSITIONS.check(assessment.status, AssessmentStatus.SUBMITTED)
    assessment.submitted_at = utcnow()
    assessment.risk_assessment_id = _history_row(session, assessment).id
    if evaluation.marac.refer:
        referral = marac_service.raise_referral(
            session,
            force_id=assessment.force_id,
            victim_record_id=assessment.victim_record_id,
            incident_id=assessment.incident_id,
            criteria=list(assessment.marac_criteria),
            actor=actor,
        )
        assessment.marac_referral_id = referral.id
    audit.record(
        session,
        actor=actor,
        action="risk.assessment.submit",
        record_type="assessment",
        record_id=assessment.id,
        details={
            "final_level": assessment.final_level.value if assessment.final_level else None,
            "marac_criteria": assessment.marac_criteria,
        },
    )
    session.flush()
    return assessment


def _grade(level: Level | None) -> RiskGrade | None:
    return None if level is None else RiskGrade(level.value)


def _history_row(session: Session, assessment: Assessment) -> RiskAssessment:
    assert assessment.final_level is not None
    earlier = (
        session.get_one(Assessment, assessment.previous_id) if assessment.previous_id else None
    )
    earlier_grade = effective_level(session, earlier) if earlier else None
    lowered = earlier_grade is not None and _rank(earlier_grade) > _rank(assessment.final_level)
    row = RiskAssessment(
        force_id=assessment.force_id,
        instrument=assessment.instrument,
        grade=assessment.final_level,
        yes_count=assessment.yes_count,
        assessed_at=utcnow(),
        victim_record_id=assessment.victim_record_id,
        incident_id=assessment.incident_id,
        grade_lowered=lowered,
        earlier_grade=earlier_grade if lowered else None,
    )
    session.add(row)
    session.flush()
    return row


def _rank(grade: RiskGrade) -> int:
    return Level(grade.value).rank


def effective_level(session: Session, assessment: Assessment) -> RiskGrade | None:
    """The submitted level, or the level a specialist's review raised it to."""
    review = session.scalar(
        select(AssessmentReview).where(AssessmentReview.assessment_id == assessment.id)
    )
    if review is not None and review.raised_level is not None:
        return review.raised_level
    return assessment.final_level


def reassess(
    session: Session,
    *,
    previous: Assessment,
    force_code: str,
    instrument_id: str | None,
    cue_codes: Iterable[str],
    actor: Actor,
    config: RiskConfig,
) -> Assessment:
    if previous.status is AssessmentStatus.DRAFT:
        raise errors.Conflict(f"assessment {previous.id} is still a draft; finish it instead")
    successor = session.scalar(select(Assessment.id).where(Assessment.previous_id == previous.id))
    if successor is not None:
        raise errors.Conflict(
            f"assessment {previous.id} was already re-assessed as {successor}; "
            "re-assess the newest version"
        )
    return start(
        session,
        force_id=previous.force_id,
        force_code=force_code,
        incident_id=previous.incident_id,
        victim_record_id=previous.victim_record_id,
        instrument_id=instrument_id or previous.instrument,
        call_id=previous.call_id,
        cue_codes=cue_codes,
        actor=actor,
        config=config,
        previous=previous,
    )


def list_for(
    session: Session, *, force_id: int, incident_id: int | None, victim_record_id: int | None
) -> list[Assessment]:
    query = select(Assessment).where(Assessment.force_id == force_id)
    if incident_id is not None:
        query = query.where(Assessment.incident_id == incident_id)
    if victim_record_id is not None:
        query = query.where(Assessment.victim_record_id == victim_record_id)
    return list(session.scalars(query.order_by(Assessment.id.desc()).limit(200)))


def latest_level(session: Session, *, victim_record_id: int) -> RiskGrade | None:
    """The victim's current level: the newest submitted assessment of any of their records."""
    records = history.same_person_records(session, record_id=victim_record_id)
    newest = session.scalar(
        select(Assessment)
        .where(
            Assessment.victim_record_id.in_(records),
            Assessment.status != AssessmentStatus.DRAFT,
        )
        .order_by(Assessment.submitted_at.desc())
        .limit(1)
    )
    return None if newest is None else effective_level(session, newest)
