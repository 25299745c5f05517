"""Persona specs for the risk routes: assessments, reviews, MARAC referrals and their packs."""

from __future__ import annotations

from typing import Any

from heard.auth.permissions import Permission as P
from heard.db.uow import Database
from heard.risk.assessments import Assessment
from tests.support import risk_setup
from tests.support.personas import RouteSpec
from tests.support.world import World


def draft(db: Database, world: World) -> dict[str, Any]:
    return {"assessment_id": risk_setup.draft(db, world)["assessment_id"]}


def submitted(db: Database, world: World) -> dict[str, Any]:
    return {"assessment_id": risk_setup.submitted(db, world)["assessment_id"]}


def with_suggestion(db: Database, world: World) -> dict[str, Any]:
    made = draft(db, world)
    with db.transaction() as session:
        assessment = session.get_one(Assessment, made["assessment_id"])
        assessment.suggestions = [
            {
                "item_id": "16",
                "answer": "yes",
                "decision": "pending",
                "evidence": [{"source": "cue", "code": "WEAPON", "detail": "weapon mentioned"}],
            }
        ]
    return {**made, "item_id": "16"}


def start_body(db: Database, world: World) -> dict[str, Any]:
    call = risk_setup.da_call(db, world)
    return {
        "__body__": {
            "incident_id": call["incident_id"],
            "victim_record_id": call["victim_record_id"],
            "instrument": "dash-acpo-27",
        }
    }


def marac(db: Database, world: World) -> dict[str, Any]:
    return {"referral_id": risk_setup.marac_referral(db, world)["referral_id"]}


A = "/api/v1/risk/assessments"
ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/api/v1/risk/instruments"): RouteSpec(P.RISK_ASSESS),
    ("POST", A): RouteSpec(P.RISK_ASSESS, setup=start_body),
    ("GET", A): RouteSpec(P.RISK_ASSESS),
    ("GET", A + "/{assessment_id}"): RouteSpec(P.RISK_ASSESS, setup=draft),
    ("PUT", A + "/{assessment_id}/answers"): RouteSpec(
        P.RISK_ASSESS, setup=draft, body={"answers": {"1": {"answer": "yes", "text": "bruising"}}}
    ),
    ("POST", A + "/{assessment_id}/suggestions/{item_id}"): RouteSpec(
        P.RISK_ASSESS, setup=with_suggestion, body={"decision": "confirmed"}
    ),
    ("POST", A + "/{assessment_id}/submit"): RouteSpec(P.RISK_ASSESS, setup=draft, body={}),
    ("POST", A + "/{assessment_id}/reassess"): RouteSpec(P.RISK_ASSESS, setup=submitted, body={}),
    ("POST", A + "/{assessment_id}/review"): RouteSpec(
        P.RISK_REVIEW, setup=submitted, body={"outcome": "agree", "coaching_note": "well evidenced"}
    ),
    ("GET", "/api/v1/marac/referrals"): RouteSpec(P.REFERRAL_OVERSEE),
    ("GET", "/api/v1/marac/referrals/{referral_id}"): RouteSpec(P.REFERRAL_OVERSEE, setup=marac),
    ("PATCH", "/api/v1/marac/referrals/{referral_id}"): RouteSpec(
        P.REFERRAL_MANAGE, setup=marac, body={"meeting_date": "2026-12-10"}
    ),
    ("GET", "/api/v1/marac/referrals/{referral_id}/pack"): RouteSpec(
        P.REFERRAL_OVERSEE, setup=marac
    ),
    ("GET", "/api/v1/marac/referrals/{referral_id}/pack.pdf"): RouteSpec(
        P.REFERRAL_OVERSEE, setup=marac
    ),
}


ROUTE_SPECS.update(
    {
        ("GET", "/risk/assessments/{assessment_id}"): RouteSpec(P.RISK_ASSESS, setup=draft),
        ("POST", "/risk/assessments/{assessment_id}/answers"): RouteSpec(
            P.RISK_ASSESS, setup=draft, body={"answer_1": "yes"}
        ),
        ("POST", "/risk/assessments/{assessment_id}/suggestions/{item_id}"): RouteSpec(
            P.RISK_ASSESS, setup=with_suggestion, body={"decision": "confirmed"}
        ),
        ("POST", "/risk/assessments/{assessment_id}/submit"): RouteSpec(
            P.RISK_ASSESS, setup=draft, body={"judgement_level": ""}
        ),
        ("GET", "/referrals"): RouteSpec(P.REFERRAL_OVERSEE),
    }
)


# The persona client posts JSON, so these forms arrive empty: the page answers 422 with the
# reason. What is checked here is role and force; the browser and integration tests fill them in.
FORM_REFUSED = frozenset({200, 422})
ROUTE_SPECS.update(
    {
        ("GET", "/risk/reviews"): RouteSpec(P.RISK_REVIEW),
        ("GET", "/risk/assessments/{assessment_id}/review"): RouteSpec(
            P.RISK_REVIEW, setup=submitted
        ),
        ("POST", "/risk/assessments/{assessment_id}/review"): RouteSpec(
            P.RISK_REVIEW, setup=submitted, body={"outcome": "agree"}, allowed_status=FORM_REFUSED
        ),
        ("GET", "/marac/referrals"): RouteSpec(P.REFERRAL_OVERSEE),
        ("GET", "/marac/referrals/{referral_id}"): RouteSpec(P.REFERRAL_OVERSEE, setup=marac),
        ("POST", "/marac/referrals/{referral_id}"): RouteSpec(
            P.REFERRAL_MANAGE,
            setup=marac,
            body={"meeting_date": "2026-12-10"},
            allowed_status=FORM_REFUSED,
        ),
    }
)
