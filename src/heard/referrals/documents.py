"""What a referral says, field by field, and the document it is sent as.

A service that works with the person who harmed (a perpetrator programme) gets a document built
from an allow-list that holds nothing about the victim's whereabouts or support; the rendered
text is then checked for the victim's address, postcode and phone before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.auth.models import Force
from heard.incidents.models import Incident
from heard.people.models import Location, PersonRecord
from heard.referrals.models import MaracPack, Referral, ReferralKind, ServiceKind

TEMPLATES = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=select_autoescape(["html"]),
)
SUSPECT_FIELDS = ("person", "date_of_birth", "police_reference", "reason", "service")


@dataclass(frozen=True)
class Document:
    name: str
    media_type: str
    body: bytes
    subject: str


def person_name(record: PersonRecord) -> str:
    return record.name_raw or " ".join(p for p in (record.given_name, record.family_name) if p)


def place_of(session: Session, location_id: int | None) -> str | None:
    location = session.get(Location, location_id) if location_id else None
    if location is None:
        return None
    return ", ".join(p for p in (location.address_text, location.postcode) if p)


def support_contents(
    session: Session,
    *,
    subject: PersonRecord,
    incident: Incident | None,
    service_name: str,
    service_kind: ServiceKind,
    reason: str,
    consent: str | None,
    level: str | None,
) -> dict[str, Any]:
    full: dict[str, Any] = {
        "service": service_name,
        "person": person_name(subject),
        "date_of_birth": subject.date_of_birth.isoformat() if subject.date_of_birth else None,
        "police_reference": incident.reference if incident else None,
        "reason": reason,
        "consent": consent,
        "risk_level": level,
        "phone": subject.phone_raw,
        "address": subject.address_raw or place_of(session, subject.location_id),
    }
    if service_kind is ServiceKind.PERPETRATOR_PROGRAMME:
        return {k: full[k] for k in SUSPECT_FIELDS}
    return full


LABELS = {
    "service": "Referred to",
    "person": "Person referred",
    "child": "Child",
    "date_of_birth": "Date of birth",
    "police_reference": "Police reference",
    "reason": "Reason",
    "consent": "Consent",
    "risk_level": "Risk level",
    "phone": "Safe phone number",
    "address": "Address",
    "attended_at": "Date and time police attended",
    "place": "Place",
    "child_present": "Was the child present",
    "where_child_was": "Where the child was",
    "voice_of_the_child": "Voice of the child",
    "circumstances": "Circumstances",
    "school": "School",
    "designated_safeguarding_lead": "Designated safeguarding lead",
}


def _title(referral: Referral) -> str:
    if referral.kind is ReferralKind.ENCOMPASS:
        return "Operation Encompass notification"
    return f"Referral to {referral.contents.get('service', 'a support service')}"


def render_html(session: Session, referral: Referral) -> str:
    force = session.get_one(Force, referral.force_id)
    fields = [(LABELS.get(k, k.replace("_", " ")), v) for k, v in referral.contents.items()]
    return TEMPLATES.get_template("referral.html").render(
        title=_title(referral),
        fields=fields,
        force_name=force.name,
        reference=f"{force.code}-REF-{referral.id}",
    )


def ensure_suspect_safe(session: Session, referral: Referral, text: str) -> None:
    """Refuse a suspect-facing document that carries anything locating the victim."""
    if referral.victim_record_id is None:
        return
    victim = session.get_one(PersonRecord, referral.victim_record_id)
    location = session.get(Location, victim.location_id) if victim.location_id else None
    secrets = [victim.address_raw, victim.phone_raw, victim.phone_e164, victim.email]
    if location is not None:
        secrets += [location.address_text, location.postcode]
    lowered = text.lower()
    if any(s and len(s) > 3 and s.lower() in lowered for s in secrets):
        raise errors.Conflict(
            "this document would tell the person who harmed where the victim is; "
            "remove the victim's details from the reason and try again"
        )


def document_for(session: Session, referral: Referral) -> Document:
    if referral.kind is ReferralKind.MARAC:
        pack = session.scalar(
            select(MaracPack).where(MaracPack.marac_referral_id == referral.marac_referral_id)
        )
        if pack is None:
            raise errors.Conflict("the MARAC referral pack is still being built")
        return Document(
            name=f"marac-referral-{referral.marac_referral_id}.pdf",
            media_type="application/pdf",
            body=pack.pdf,
            subject=f"MARAC referral {referral.marac_referral_id}",
        )
    return Document(
        name=f"referral-{referral.id}.html",
        media_type="text/html",
        body=render_html(session, referral).encode("utf-8"),
        subject=_title(referral),
    )
