"""Drafts: finding an assessment, recording answers and deciding on suggested answers.

A draft may change freely; once submitted nothing here will touch it (`ensure_draft`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.risk.assessments import Assessment, AssessmentStatus
from heard.risk.instruments import Catalogue, Decision, Instrument, Policies, Response, Suggestion
from heard.risk.instruments.scoring import Answer, check_responses
from heard.risk.instruments.suggestions import Evidence, EvidenceSource


@dataclass(frozen=True)
class RiskConfig:
    """Instrument definitions and per-force policies, loaded once by the composition root."""

    catalogue: Catalogue
    policies: Policies


def find(session: Session, *, force_id: int, assessment_id: int) -> Assessment:
    found = session.get(Assessment, assessment_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound(f"no risk assessment {assessment_id} in your force")
    return found


def instrument_of(assessment: Assessment, config: RiskConfig) -> Instrument:
    found = config.catalogue.get(assessment.instrument, assessment.instrument_version)
    if found is None:
        raise errors.Conflict(
            f"{assessment.instrument} version {assessment.instrument_version} is no longer loaded"
        )
    return found


def suggestion_doc(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "item_id": suggestion.item_id,
        "answer": suggestion.answer.value,
        "decision": suggestion.decision.value,
        "evidence": [
            {"source": e.source.value, "code": e.code, "detail": e.detail}
            for e in suggestion.evidence
        ],
    }


def ensure_draft(assessment: Assessment) -> None:
    if assessment.status is not AssessmentStatus.DRAFT:
        raise errors.Conflict(
            f"assessment {assessment.id} was submitted and cannot change; "
            "start a re-assessment to record new answers"
        )


def record_answers(
    session: Session,
    *,
    assessment: Assessment,
    answers: Mapping[str, Response],
    actor: Actor,
    config: RiskConfig,
) -> Assessment:
    ensure_draft(assessment)
    check_responses(instrument_of(assessment, config), answers)
    merged = dict(assessment.answers)
    for item_id, response in answers.items():
        merged[item_id] = {"answer": response.answer.value, "text": response.text}
    assessment.answers = merged
    audit.record(
        session,
        actor=actor,
        action="risk.assessment.answer",
        record_type="assessment",
        record_id=assessment.id,
        details={"items": sorted(answers, key=int)},
    )
    return assessment


def decide_suggestion(
    session: Session, *, assessment: Assessment, item_id: str, decision: Decision, actor: Actor
) -> Assessment:
    """Confirm (the answer becomes yes, evidence as its text) or reject (the item is asked)."""
    ensure_draft(assessment)
    if decision is Decision.PENDING:
        raise errors.Invalid("decision must be confirmed or rejected")
    docs = [dict(s) for s in assessment.suggestions]
    found = next((s for s in docs if s["item_id"] == item_id), None)
    if found is None:
        raise errors.NotFound(f"assessment {assessment.id} has no suggestion for item {item_id}")
    found["decision"] = decision.value
    answers = dict(assessment.answers)
    if decision is Decision.CONFIRMED:
        evidence = "; ".join(e["detail"] for e in found["evidence"])
        answers[item_id] = {"answer": Answer.YES.value, "text": evidence, "suggested": True}
    elif answers.get(item_id, {}).get("suggested"):
        del answers[item_id]
    assessment.suggestions, assessment.answers = docs, answers
    audit.record(
        session,
        actor=actor,
        action=f"risk.suggestion.{decision.value}",
        record_type="assessment",
        record_id=assessment.id,
        details={"item_id": item_id, "evidence": [e["code"] for e in found["evidence"]]},
    )
    return assessment


def responses_of(assessment: Assessment) -> dict[str, Response]:
    return {
        item_id: Response(Answer(doc["answer"]), doc.get("text"))
        for item_id, doc in assessment.answers.items()
    }


def suggestions_of(assessment: Assessment) -> list[Suggestion]:
    return [
        Suggestion(
            s["item_id"],
            Answer(s["answer"]),
            tuple(
                Evidence(EvidenceSource(e["source"]), e["code"], e["detail"]) for e in s["evidence"]
            ),
            Decision(s["decision"]),
        )
        for s in assessment.suggestions
    ]
