"""The MARAC referral pack (risk assessment, chronology summary, children, agencies involved),
built as HTML and PDF (WeasyPrint) by a durable job, kept as built, and sent to the coordinator.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.auth.models import Force
from heard.clock import utcnow
from heard.incidents.models import Incident, Involvement
from heard.jobs.models import Job
from heard.jobs.service import PermanentJobError
from heard.people.models import PersonRecord
from heard.referrals import documents, encompass
from heard.referrals.models import (
    MaracPack,
    Referral,
    ReferralKind,
    ReferralStatus,
    ServiceKind,
    SupportService,
)
from heard.referrals.service import queue, settings_for
from heard.risk.assessments import Assessment, AssessmentStatus
from heard.risk.history import same_person_records
from heard.risk.instruments import default_catalogue
from heard.risk.models import MaracReferral
from heard.risk.service import effective_level


def _assessment(session: Session, referral: MaracReferral) -> dict[str, Any] | None:
    found = session.scalar(
        select(Assessment)
        .where(
            Assessment.victim_record_id.in_(
                same_person_records(session, record_id=referral.victim_record_id)
            ),
            Assessment.incident_id == referral.incident_id,
            Assessment.status != AssessmentStatus.DRAFT,
        )
        .order_by(Assessment.revision.desc())
        .limit(1)
    )
    if found is None:
        return None
    instrument = default_catalogue().get(found.instrument, found.instrument_version)
    questions = {i.id: i.question for i in instrument.items} if instrument else {}
    level = effective_level(session, found)
    return {
        "instrument": found.instrument,
        "instrument_version": found.instrument_version,
        "revision": found.revision,
        "yes_count": found.yes_count,
        "computed_level": found.computed_level.value if found.computed_level else None,
        "level": level.value if level else None,
        "judgement": found.judgement_level.value if found.judgement_level else None,
        "rationale": found.judgement_rationale,
        "rows": [
            {"id": k, "question": questions.get(k), "answer": v["answer"], "text": v.get("text")}
            for k, v in sorted(found.answers.items(), key=lambda kv: int(kv[0]))
        ],
    }


def _incidents(session: Session, victim_records: list[int]) -> list[Incident]:
    ids = set(
        session.scalars(
            select(Involvement.incident_id).where(Involvement.person_record_id.in_(victim_records))
        )
    )
    if not ids:
        return []
    since = utcnow() - timedelta(days=2 * 365)
    query = select(Incident).where(Incident.id.in_(ids), Incident.opened_at >= since)
    return list(session.scalars(query.order_by(Incident.opened_at)))


def _chronology(incidents: list[Incident]) -> list[dict[str, str]]:
    return [
        {
            "date": f"{i.opened_at:%d %b %Y}",
            "reference": i.reference,
            "what": i.category.value.replace("_", " ")
            + (" (domestic abuse)" if i.is_domestic_abuse else ""),
            "outcome": i.outcome.value.replace("_", " ") if i.outcome else "open",
        }
        for i in incidents
    ]


def _children(session: Session, incidents: list[Incident]) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for incident in incidents:
        for child in encompass.linked_children(session, incident=incident):
            seen.setdefault(
                child.subject_id or -child.id,
                {
                    "name": documents.person_name(child),
                    "date_of_birth": child.date_of_birth.isoformat()
                    if child.date_of_birth
                    else None,
                    "age": child.age_years,
                },
            )
    return list(seen.values())


def _agencies(session: Session, victim_records: list[int]) -> list[dict[str, str]]:
    rows = session.execute(
        select(SupportService.name, SupportService.kind, Referral.status)
        .join(Referral, Referral.service_id == SupportService.id)
        .where(Referral.victim_record_id.in_(victim_records), Referral.kind == ReferralKind.SUPPORT)
    ).all()
    return [
        {"name": name, "kind": kind.value.replace("_", " "), "status": status.value}
        for name, kind, status in rows
    ]


def render_pack(session: Session, referral: MaracReferral) -> str:
    force = session.get_one(Force, referral.force_id)
    victim = session.get_one(PersonRecord, referral.victim_record_id)
    records = same_person_records(session, record_id=victim.id)
    incidents = _incidents(session, records)
    incident = session.get(Incident, referral.incident_id) if referral.incident_id else None
    return documents.TEMPLATES.get_template("marac_pack.html").render(
        reference=f"{force.code}-MARAC-{referral.id}",
        force_name=force.name,
        victim={
            "name": documents.person_name(victim),
            "date_of_birth": victim.date_of_birth.isoformat() if victim.date_of_birth else None,
        },
        referred_at=f"{referral.referred_at:%d %B %Y %H:%M} UTC",
        incident_reference=incident.reference if incident else None,
        criteria=[c.replace("_", " ") for c in referral.criteria],
        assessment=_assessment(session, referral),
        chronology=_chronology(incidents),
        children=_children(session, incidents),
        agencies=_agencies(session, records),
    )


def build_pack(session: Session, *, referral: MaracReferral) -> MaracPack:
    from weasyprint import HTML  # imported here: loading Pango costs a second at start-up

    existing = session.scalar(select(MaracPack).where(MaracPack.marac_referral_id == referral.id))
    if existing is not None:
        return existing
    html = render_pack(session, referral)
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    pack = MaracPack(
        force_id=referral.force_id,
        marac_referral_id=referral.id,
        html=html,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        built_at=utcnow(),
    )
    session.add(pack)
    session.flush()
    return pack


def _send_to_coordinator(session: Session, referral: MaracReferral) -> Referral:
    coordinator = session.scalar(
        select(SupportService).where(
            SupportService.force_id == referral.force_id,
            SupportService.kind == ServiceKind.MARAC,
            SupportService.active.is_(True),
        )
    )
    hours = settings_for(session, force_id=referral.force_id).marac_due_hours
    sending = Referral(
        force_id=referral.force_id,
        kind=ReferralKind.MARAC,
        service_id=coordinator.id if coordinator else None,
        subject_record_id=referral.victim_record_id,
        victim_record_id=referral.victim_record_id,
        incident_id=referral.incident_id,
        marac_referral_id=referral.id,
        consent=None,  # MARAC: consent is preferred but not required
        reason="MARAC criteria met: " + ", ".join(referral.criteria),
        contents={"marac_referral_id": referral.id, "criteria": referral.criteria},
        recipient=(
            f"{coordinator.name} <{coordinator.delivery_method.value}:"
            f"{coordinator.delivery_address}>"
            if coordinator
            else "no MARAC coordinator in the directory"
        ),
        status=ReferralStatus.PENDING,
        created_at=utcnow(),
        due_at=referral.referred_at + timedelta(hours=hours),
    )
    session.add(sending)
    session.flush()
    queue(session, referral=sending)
    return sending


def pack_job(session: Session, job: Job) -> None:
    referral = session.get(MaracReferral, int(job.payload["marac_referral_id"]))
    if referral is None or referral.force_id != job.force_id:
        raise PermanentJobError(f"no MARAC referral {job.payload.get('marac_referral_id')}")
    build_pack(session, referral=referral)
    already = session.scalar(select(Referral.id).where(Referral.marac_referral_id == referral.id))
    if already is None:
        _send_to_coordinator(session, referral)
