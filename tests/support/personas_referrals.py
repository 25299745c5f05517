"""Persona specs for the referral routes: directories, referrals, escalations, Encompass."""

from __future__ import annotations

from typing import Any

from heard.audit.service import system_actor
from heard.auth.permissions import Permission as P
from heard.db.uow import Database
from heard.referrals import service as referrals
from heard.referrals.models import Consent
from tests.support import risk_setup
from tests.support.personas import RouteSpec
from tests.support.world import World


def referral(db: Database, world: World) -> dict[str, Any]:
    ids = risk_setup.seed_directory(db, world)
    call = risk_setup.da_call(db, world)
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        made = referrals.create_support_referral(
            session,
            force_id=force_id,
            service_id=ids["idva"],
            subject_record_id=call["victim_record_id"],
            incident_id=call["incident_id"],
            consent=Consent.GIVEN,
            consent_note=None,
            reason="needs an IDVA",
            actor=system_actor(force_id),
        )
        return {"referral_id": made.id}


def referral_body(db: Database, world: World) -> dict[str, Any]:
    ids = risk_setup.seed_directory(db, world)
    call = risk_setup.da_call(db, world)
    return {
        "__body__": {
            "service_id": ids["idva"],
            "subject_record_id": call["victim_record_id"],
            "incident_id": call["incident_id"],
            "consent": "consent",
            "reason": "support after tonight's incident",
        }
    }


def escalation(db: Database, world: World) -> dict[str, Any]:
    from datetime import timedelta

    from heard.clock import utcnow
    from heard.referrals.models import Referral

    made = referral(db, world)
    with db.transaction() as session:
        found = session.get_one(Referral, made["referral_id"])
        found.due_at = utcnow() - timedelta(hours=1)
        raised = referrals.escalate_if_overdue(session, referral=found)
        assert raised is not None
        return {"escalation_id": raised.id}


def incident(db: Database, world: World) -> dict[str, Any]:
    return {"incident_id": risk_setup.da_call(db, world)["incident_id"]}


def school(db: Database, world: World) -> dict[str, Any]:
    ids = risk_setup.seed_directory(db, world)
    call = risk_setup.da_call(db, world)
    return {
        "school_id": ids["school-900001"],
        "__body__": {"subject_id": call["child_subject_id"]},
    }


R = "/api/v1/referrals"
ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("GET", R + "/services"): RouteSpec(P.REFERRAL_OVERSEE),
    ("POST", R + "/services"): RouteSpec(
        P.REFERRAL_MANAGE,
        body={
            "name": "Persona Refuge",
            "kind": "refuge",
            "area": "WMP",
            "delivery_method": "file_drop",
            "delivery_address": "persona-refuge",
        },
        allowed_status=frozenset({201, 409}),  # each allowed role tries the same name
    ),
    ("GET", R + "/schools"): RouteSpec(P.REFERRAL_OVERSEE),
    ("POST", R + "/schools"): RouteSpec(
        P.REFERRAL_MANAGE,
        body={
            "name": "Persona School",
            "urn": "999999",
            "dsl_name": "Ms Persona",
            "delivery_address": "persona-school",
        },
        allowed_status=frozenset({201, 409}),
    ),
    ("POST", R + "/schools/{school_id}/pupils"): RouteSpec(P.REFERRAL_MANAGE, setup=school),
    ("GET", R + "/settings"): RouteSpec(P.REFERRAL_MANAGE),
    ("PUT", R + "/settings"): RouteSpec(P.REFERRAL_MANAGE, body={"school_day_start": "08:45"}),
    ("GET", R + "/escalations"): RouteSpec(P.REFERRAL_OVERSEE),
    ("POST", R + "/escalations/{escalation_id}/acknowledge"): RouteSpec(
        P.REFERRAL_OVERSEE, setup=escalation, body={"note": "chased by phone"}
    ),
    ("POST", R): RouteSpec(P.REFERRAL_MANAGE, setup=referral_body),
    ("GET", R): RouteSpec(P.REFERRAL_OVERSEE),
    ("GET", R + "/{referral_id}"): RouteSpec(P.REFERRAL_OVERSEE, setup=referral),
    ("GET", R + "/{referral_id}/document"): RouteSpec(P.REFERRAL_OVERSEE, setup=referral),
    ("POST", R + "/{referral_id}/status"): RouteSpec(
        P.REFERRAL_MANAGE, setup=referral, body={"status": "withdrawn", "note": "victim moved"}
    ),
    ("POST", "/api/v1/incidents/{incident_id}/encompass"): RouteSpec(
        P.REFERRAL_MANAGE,
        setup=incident,
        body={"attended_at": "2026-11-30T22:00:00Z", "circumstances": "argument, child upstairs"},
    ),
}


# Pages. The persona client posts JSON, so the form arrives empty and the page answers 422 with
# the reason; role and force are what is checked here (the browser test fills the form in).
ROUTE_SPECS.update(
    {
        ("GET", "/referrals/escalations"): RouteSpec(P.REFERRAL_OVERSEE),
        ("POST", "/referrals/escalations/{escalation_id}/acknowledge"): RouteSpec(
            P.REFERRAL_OVERSEE,
            setup=escalation,
            body={"note": "chased by phone"},
            allowed_status=frozenset({200, 422}),
        ),
    }
)
