"""Risk API: instruments, assessments (start, answer, submit, re-assess, review) and MARAC.

Every read of an assessment or MARAC referral and every decision is audited in the same
transaction. Cue codes come from `app.state.cue_source` (set by the composition root, because
signals sit above this domain); without one, suggestions come from history alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.auth.deps import UowDep, get_runtime, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.risk import drafts, marac_service, review, service
from heard.risk.assessments import Assessment
from heard.risk.drafts import RiskConfig
from heard.risk.instruments import Decision, Instrument, Policies, default_catalogue, load_policies
from heard.risk.models import MaracOutcome
from heard.risk.schemas import (
    AnswersIn,
    AssessmentOut,
    InstrumentOut,
    ItemOut,
    MaracReferralOut,
    MaracTrackIn,
    ReassessIn,
    ReviewIn,
    ReviewOut,
    StartIn,
    SubmitIn,
    SuggestionDecisionIn,
)

router = APIRouter(prefix="/api/v1", tags=["risk"])
Assessor = Annotated[Principal, Depends(require(Permission.RISK_ASSESS))]
Reviewer = Annotated[Principal, Depends(require(Permission.RISK_REVIEW))]
Overseer = Annotated[Principal, Depends(require(Permission.REFERRAL_OVERSEE))]
Manager = Annotated[Principal, Depends(require(Permission.REFERRAL_MANAGE))]
CueSource = Callable[..., frozenset[str]]


def risk_config(request: Request) -> RiskConfig:
    """Built once per app from settings: the packaged instruments and the force policies file."""
    found: RiskConfig | None = getattr(request.app.state, "risk_config", None)
    if found is None:
        catalogue = default_catalogue()
        path = get_runtime(request).settings.risk_policies_file
        policies = load_policies(path, catalogue) if path else Policies()
        found = RiskConfig(catalogue, policies)
        request.app.state.risk_config = found
    return found


Config = Annotated[RiskConfig, Depends(risk_config)]


def cue_codes(
    request: Request, session: Session, *, incident_id: int, call_id: int | None
) -> frozenset[str]:
    source: CueSource | None = getattr(request.app.state, "cue_source", None)
    if source is None:
        return frozenset()
    return source(session, incident_id=incident_id, call_id=call_id)


def assessment_out(session: Session, assessment: Assessment, config: RiskConfig) -> AssessmentOut:
    out = AssessmentOut.model_validate(assessment)
    instrument = drafts.instrument_of(assessment, config)
    out.unanswered = [i.id for i in instrument.known_items if i.id not in assessment.answers]
    found = review.review_of(session, assessment_id=assessment.id)
    out.review = None if found is None else ReviewOut.model_validate(found)
    out.effective_level = service.effective_level(session, assessment)
    return out


def _instrument_out(instrument: Instrument) -> InstrumentOut:
    bands = instrument.scoring.bands
    return InstrumentOut(
        id=instrument.id,
        version=instrument.version,
        title=instrument.title,
        bands=None if bands is None else {"medium": bands.medium, "high": bands.high},
        items=[
            ItemOut(
                id=i.id,
                group=i.group,
                known=i.known,
                question=i.question,
                confidence=None if i.confidence is None else i.confidence.value,
            )
            for i in instrument.items
        ],
    )


def _audit_view(session: Session, principal: Principal, kind: str, record_id: int) -> None:
    audit.record(
        session,
        actor=principal.actor(),
        action=f"{kind}.view",
        record_type=kind,
        record_id=record_id,
    )


@router.get("/risk/instruments", response_model=list[InstrumentOut])
def list_instruments(principal: Assessor, config: Config) -> list[InstrumentOut]:
    found = (config.catalogue.get(i) for i in config.catalogue.ids)
    return [
        _instrument_out(i) for i in found if i is not None and i.usable_by(principal.force_code)
    ]


@router.post("/risk/assessments", response_model=AssessmentOut, status_code=201)
def start_assessment(
    body: StartIn, principal: Assessor, uow: UowDep, config: Config, request: Request
) -> AssessmentOut:
    assessment = service.start(
        uow.session,
        force_id=principal.force_id,
        force_code=principal.force_code,
        incident_id=body.incident_id,
        victim_record_id=body.victim_record_id,
        instrument_id=body.instrument,
        call_id=body.call_id,
        cue_codes=cue_codes(
            request, uow.session, incident_id=body.incident_id, call_id=body.call_id
        ),
        actor=principal.actor(),
        config=config,
    )
    out = assessment_out(uow.session, assessment, config)
    uow.commit()
    return out


@router.get("/risk/assessments", response_model=list[AssessmentOut])
def list_assessments(
    principal: Assessor,
    uow: UowDep,
    config: Config,
    incident_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    victim_record_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> list[AssessmentOut]:
    found = service.list_for(
        uow.session,
        force_id=principal.force_id,
        incident_id=incident_id,
        victim_record_id=victim_record_id,
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="assessment.list",
        record_type="assessment",
        details={"ids": [a.id for a in found]},
    )
    out = [assessment_out(uow.session, a, config) for a in found]
    uow.commit()
    return out


@router.get("/risk/assessments/{assessment_id}", response_model=AssessmentOut)
def get_assessment(
    assessment_id: int, principal: Assessor, uow: UowDep, config: Config
) -> AssessmentOut:
    found = drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)
    _audit_view(uow.session, principal, "assessment", found.id)
    out = assessment_out(uow.session, found, config)
    uow.commit()
    return out


@router.put("/risk/assessments/{assessment_id}/answers", response_model=AssessmentOut)
def put_answers(
    assessment_id: int, body: AnswersIn, principal: Assessor, uow: UowDep, config: Config
) -> AssessmentOut:
    found = drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)
    drafts.record_answers(
        uow.session,
        assessment=found,
        answers={k: v.response() for k, v in body.answers.items()},
        actor=principal.actor(),
        config=config,
    )
    out = assessment_out(uow.session, found, config)
    uow.commit()
    return out


@router.post(
    "/risk/assessments/{assessment_id}/suggestions/{item_id}", response_model=AssessmentOut
)
def decide_suggestion(
    assessment_id: int,
    item_id: str,
    body: SuggestionDecisionIn,
    principal: Assessor,
    uow: UowDep,
    config: Config,
) -> AssessmentOut:
    found = drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)
    drafts.decide_suggestion(
        uow.session,
        assessment=found,
        item_id=item_id,
        decision=Decision(body.decision),
        actor=principal.actor(),
    )
    out = assessment_out(uow.session, found, config)
    uow.commit()
    return out


@router.post("/risk/assessments/{assessment_id}/submit", response_model=AssessmentOut)
def submit_assessment(
    assessment_id: int,
    principal: Assessor,
    uow: UowDep,
    config: Config,
    body: SubmitIn | None = None,
) -> AssessmentOut:
    found = drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)
    judgement = body.professional_judgement if body else None
    service.submit(
        uow.session,
        assessment=found,
        judgement=None if judgement is None else judgement.judgement(),
        force_code=principal.force_code,
        actor=principal.actor(),
        config=config,
    )
    out = assessment_out(uow.session, found, config)
    uow.commit()
    return out


@router.post(
    "/risk/assessments/{assessment_id}/reassess", response_model=AssessmentOut, status_code=201
)
def reassess(
    assessment_id: int,
    principal: Assessor,
    uow: UowDep,
    config: Config,
    request: Request,
    body: ReassessIn | None = None,
) -> AssessmentOut:
    previous = drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)
    new = service.reassess(
        uow.session,
        previous=previous,
        force_code=principal.force_code,
        instrument_id=body.instrument if body else None,
        cue_codes=cue_codes(
            request, uow.session, incident_id=previous.incident_id, call_id=previous.call_id
        ),
        actor=principal.actor(),
        config=config,
    )
    out = assessment_out(uow.session, new, config)
    uow.commit()
    return out


@router.post("/risk/assessments/{assessment_id}/review", response_model=AssessmentOut)
def review_assessment(
    assessment_id: int, body: ReviewIn, principal: Reviewer, uow: UowDep, config: Config
) -> AssessmentOut:
    found = drafts.find(uow.session, force_id=principal.force_id, assessment_id=assessment_id)
    review.review(
        uow.session,
        assessment=found,
        outcome=body.outcome,
        level=body.level,
        rationale=body.rationale,
        coaching_note=body.coaching_note,
        actor=principal.actor(),
    )
    out = assessment_out(uow.session, found, config)
    uow.commit()
    return out


@router.get("/marac/referrals", response_model=list[MaracReferralOut])
def list_marac(
    principal: Overseer,
    uow: UowDep,
    outcome: Annotated[MaracOutcome | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[MaracReferralOut]:
    found = marac_service.list_referrals(
        uow.session, force_id=principal.force_id, outcome=outcome, limit=limit
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="marac_referral.list",
        record_type="marac_referral",
        details={"ids": [r.id for r in found]},
    )
    uow.commit()
    return [MaracReferralOut.model_validate(r) for r in found]


@router.get("/marac/referrals/{referral_id}", response_model=MaracReferralOut)
def get_marac(referral_id: int, principal: Overseer, uow: UowDep) -> MaracReferralOut:
    found = marac_service.find(uow.session, force_id=principal.force_id, referral_id=referral_id)
    _audit_view(uow.session, principal, "marac_referral", found.id)
    uow.commit()
    return MaracReferralOut.model_validate(found)


@router.patch("/marac/referrals/{referral_id}", response_model=MaracReferralOut)
def track_marac(
    referral_id: int, body: MaracTrackIn, principal: Manager, uow: UowDep
) -> MaracReferralOut:
    found = marac_service.find(uow.session, force_id=principal.force_id, referral_id=referral_id)
    marac_service.track(
        uow.session,
        referral=found,
        meeting_date=body.meeting_date,
        outcome=body.outcome,
        actor=principal.actor(),
    )
    uow.commit()
    return MaracReferralOut.model_validate(found)
