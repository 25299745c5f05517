"""Persona specs for the missed-opportunity review queue."""

from __future__ import annotations

from heard.auth.permissions import Permission as P
from tests.support.personas import RouteSpec
from tests.support.review_rules_setup import finding, victim_subject

F = "/api/v1/review/findings"
C = "/api/v1/review/chronology/{subject_id}"
WHY = {"reason": "domestic homicide review, panel request 12"}
ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("GET", F): RouteSpec(P.REVIEW_FINDINGS),
    ("GET", F + "/trends"): RouteSpec(P.REVIEW_FINDINGS),
    ("GET", F + "/{finding_id}"): RouteSpec(P.REVIEW_FINDINGS, setup=finding),
    ("POST", F + "/{finding_id}/accept"): RouteSpec(
        P.REVIEW_FINDINGS,
        setup=finding,
        body={
            "learning_note": "call-back should have been attendance",
            "who_must_act": "control room",
        },
    ),
    ("POST", F + "/{finding_id}/dismiss"): RouteSpec(
        P.REVIEW_FINDINGS, setup=finding, body={"reason": "MARAC referral made by a partner agency"}
    ),
    ("GET", C): RouteSpec(P.CHRONOLOGY_EXPORT, setup=victim_subject, query=WHY),
    ("GET", C + ".html"): RouteSpec(P.CHRONOLOGY_EXPORT, setup=victim_subject, query=WHY),
    ("GET", C + ".pdf"): RouteSpec(P.CHRONOLOGY_EXPORT, setup=victim_subject, query=WHY),
}
