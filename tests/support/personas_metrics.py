"""Persona specs for the pilot statistics and the review queue pages."""

from __future__ import annotations

from heard.auth.permissions import Permission as P
from tests.support.personas import RouteSpec
from tests.support.review_rules_setup import finding

S = "/api/v1/statistics"
Q = "/review/findings"
RANGE = {"from": "2026-01", "to": "2026-03", "reason": "pilot evaluation board"}
# The persona client posts JSON; these routes read a form, so for the right role the empty form
# is refused with its reason (422). Decisions made through the form: test_findings_pages.py.
FORM_REFUSED = frozenset({422})
ROUTE_SPECS: dict[tuple[str, str], RouteSpec] = {
    ("GET", S): RouteSpec(P.STATISTICS_READ, query=RANGE),
    ("GET", S + ".csv"): RouteSpec(P.STATISTICS_READ, query=RANGE),
    ("GET", S + ".parquet"): RouteSpec(P.STATISTICS_READ, query=RANGE),
    ("GET", "/statistics"): RouteSpec(P.STATISTICS_READ),
    ("GET", Q): RouteSpec(P.REVIEW_FINDINGS),
    ("GET", "/review/trends"): RouteSpec(P.REVIEW_FINDINGS),
    ("POST", Q + "/{finding_id}/accept"): RouteSpec(
        P.REVIEW_FINDINGS,
        setup=finding,
        body={"learning_note": "attend, not call back", "who_must_act": "control room"},
        allowed_status=FORM_REFUSED,
    ),
    ("POST", Q + "/{finding_id}/dismiss"): RouteSpec(
        P.REVIEW_FINDINGS,
        setup=finding,
        body={"reason": "referred by a partner agency"},
        allowed_status=FORM_REFUSED,
    ),
}
