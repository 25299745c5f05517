"""Referrals API: directories, referrals and their documents, escalations, Encompass, MARAC packs.

Reads of referrals (about a person) and every decision are audited in the same transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.incidents.models import Incident
from heard.referrals import directory, documents, encompass, pack, service
from heard.referrals.models import MaracPack, ReferralStatus, School, SupportService
from heard.referrals.schemas import (
    AcknowledgeIn,
    EncompassIn,
    EnrolIn,
    EscalationOut,
    ReferralIn,
    ReferralOut,
    SchoolIn,
    SchoolOut,
    ServiceIn,
    ServiceOut,
    SettingsIn,
    SettingsOut,
    StatusIn,
)
from heard.risk import marac_service

router = APIRouter(prefix="/api/v1", tags=["referrals"])
Overseer = Annotated[Principal, Depends(require(Permission.REFERRAL_OVERSEE))]
Manager = Annotated[Principal, Depends(require(Permission.REFERRAL_MANAGE))]


def _audit(session: Session, principal: Principal, action: str, kind: str, record_id: int) -> None:
    audit.record(
        session, actor=principal.actor(), action=action, record_type=kind, record_id=record_id
    )


@router.get("/referrals/services", response_model=list[ServiceOut])
def list_services(principal: Overseer, uow: UowDep) -> list[ServiceOut]:
    query = select(SupportService).where(SupportService.force_id == principal.force_id)
    return [
        ServiceOut.model_validate(s)
        for s in uow.session.scalars(query.order_by(SupportService.name))
    ]


@router.post("/referrals/services", response_model=ServiceOut, status_code=201)
def create_service(body: ServiceIn, principal: Manager, uow: UowDep) -> ServiceOut:
    created = directory.create_service(
        uow.session, force_id=principal.force_id, body=body, actor=principal.actor()
    )
    uow.commit()
    return ServiceOut.model_validate(created)


@router.get("/referrals/schools", response_model=list[SchoolOut])
def list_schools(principal: Overseer, uow: UowDep) -> list[SchoolOut]:
    query = select(School).where(School.force_id == principal.force_id).order_by(School.name)
    return [SchoolOut.model_validate(s) for s in uow.session.scalars(query)]


@router.post("/referrals/schools", response_model=SchoolOut, status_code=201)
def create_school(body: SchoolIn, principal: Manager, uow: UowDep) -> SchoolOut:
    created = directory.create_school(
        uow.session, force_id=principal.force_id, body=body, actor=principal.actor()
    )
    uow.commit()
    return SchoolOut.model_validate(created)


@router.post("/referrals/schools/{school_id}/pupils", status_code=201)
def enrol_pupil(school_id: int, body: EnrolIn, principal: Manager, uow: UowDep) -> dict[str, int]:
    school = directory.find_school(uow.session, force_id=principal.force_id, school_id=school_id)
    found = directory.enrol(
        uow.session, school=school, subject_id=body.subject_id, actor=principal.actor()
    )
    uow.commit()
    return {"school_id": found.school_id, "subject_id": found.subject_id}


@router.get("/referrals/settings", response_model=SettingsOut)
def get_settings(principal: Manager, uow: UowDep) -> SettingsOut:
    return SettingsOut.model_validate(
        service.settings_for(uow.session, force_id=principal.force_id)
    )


@router.put("/referrals/settings", response_model=SettingsOut)
def put_settings(body: SettingsIn, principal: Manager, uow: UowDep) -> SettingsOut:
    row = directory.update_settings(
        uow.session, force_id=principal.force_id, body=body, actor=principal.actor()
    )
    uow.commit()
    return SettingsOut.model_validate(row)


@router.get("/referrals/escalations", response_model=list[EscalationOut])
def list_escalations(
    principal: Overseer, uow: UowDep, open_only: Annotated[bool, Query()] = True
) -> list[EscalationOut]:
    found = service.escalations(uow.session, force_id=principal.force_id, open_only=open_only)
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="referral.escalation.list",
        record_type="referral",
        details={"referral_ids": [e.referral_id for e in found]},
    )
    uow.commit()
    return [EscalationOut.model_validate(e) for e in found]


@router.post("/referrals/escalations/{escalation_id}/acknowledge", response_model=EscalationOut)
def acknowledge(
    escalation_id: int, body: AcknowledgeIn, principal: Overseer, uow: UowDep
) -> EscalationOut:
    found = service.acknowledge(
        uow.session,
        force_id=principal.force_id,
        escalation_id=escalation_id,
        note=body.note,
        actor=principal.actor(),
    )
    uow.commit()
    return EscalationOut.model_validate(found)


@router.post("/referrals", response_model=ReferralOut, status_code=201)
def create_referral(body: ReferralIn, principal: Manager, uow: UowDep) -> ReferralOut:
    created = service.create_support_referral(
        uow.session,
        force_id=principal.force_id,
        service_id=body.service_id,
        subject_record_id=body.subject_record_id,
        incident_id=body.incident_id,
        consent=body.consent,
        consent_note=body.consent_note,
        reason=body.reason,
        actor=principal.actor(),
    )
    uow.commit()
    return ReferralOut.model_validate(created)


@router.get("/referrals", response_model=list[ReferralOut])
def list_referrals(
    principal: Overseer,
    uow: UowDep,
    status: Annotated[ReferralStatus | None, Query()] = None,
    overdue: Annotated[bool, Query()] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ReferralOut]:
    found = service.list_referrals(
        uow.session, force_id=principal.force_id, status=status, overdue=overdue, limit=limit
    )
    audit.record(
        uow.session,
        actor=principal.actor(),
        action="referral.list",
        record_type="referral",
        details={"ids": [r.id for r in found]},
    )
    uow.commit()
    return [ReferralOut.model_validate(r) for r in found]


@router.get("/referrals/{referral_id}", response_model=ReferralOut)
def get_referral(referral_id: int, principal: Overseer, uow: UowDep) -> ReferralOut:
    found = service.find(uow.session, force_id=principal.force_id, referral_id=referral_id)
    _audit(uow.session, principal, "referral.view", "referral", found.id)
    uow.commit()
    return ReferralOut.model_validate(found)


@router.get("/referrals/{referral_id}/document")
def referral_document(referral_id: int, principal: Overseer, uow: UowDep) -> Response:
    found = service.find(uow.session, force_id=principal.force_id, referral_id=referral_id)
    document = documents.document_for(uow.session, found)
    _audit(uow.session, principal, "referral.document.view", "referral", found.id)
    uow.commit()
    return Response(document.body, media_type=document.media_type)


@router.post("/referrals/{referral_id}/status", response_model=ReferralOut)
def set_status(referral_id: int, body: StatusIn, principal: Manager, uow: UowDep) -> ReferralOut:
    found = service.find(uow.session, force_id=principal.force_id, referral_id=referral_id)
    service.transition(
        uow.session, referral=found, target=body.status, note=body.note, actor=principal.actor()
    )
    uow.commit()
    return ReferralOut.model_validate(found)


@router.post(
    "/incidents/{incident_id}/encompass", response_model=list[ReferralOut], status_code=201
)
def notify_schools(
    incident_id: int, body: EncompassIn, principal: Manager, uow: UowDep
) -> list[ReferralOut]:
    incident = uow.session.get(Incident, incident_id)
    if incident is None or incident.force_id != principal.force_id:
        raise errors.NotFound(f"no incident {incident_id} in your force")
    made = encompass.notify(
        uow.session,
        incident=incident,
        attended_at=body.attended_at,
        circumstances=body.circumstances,
        details=[encompass.ChildDetail(**c.model_dump()) for c in body.children],
        actor=principal.actor(),
    )
    uow.commit()
    return [ReferralOut.model_validate(r) for r in made]


def _pack(session: Session, principal: Principal, referral_id: int) -> MaracPack:
    referral = marac_service.find(session, force_id=principal.force_id, referral_id=referral_id)
    found = session.scalar(select(MaracPack).where(MaracPack.marac_referral_id == referral.id))
    if found is None:
        found = pack.build_pack(session, referral=referral)
    _audit(session, principal, "marac_pack.view", "marac_referral", referral.id)
    return found


@router.get("/marac/referrals/{referral_id}/pack", response_class=HTMLResponse)
def pack_html(referral_id: int, principal: Overseer, uow: UowDep) -> HTMLResponse:
    found = _pack(uow.session, principal, referral_id)
    uow.commit()
    return HTMLResponse(found.html)


@router.get("/marac/referrals/{referral_id}/pack.pdf")
def pack_pdf(referral_id: int, principal: Overseer, uow: UowDep) -> Response:
    found = _pack(uow.session, principal, referral_id)
    uow.commit()
    return Response(found.pdf, media_type="application/pdf")
