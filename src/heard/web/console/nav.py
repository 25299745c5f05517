"""Role-appropriate navigation: each person sees links only to the pages their role opens."""

from __future__ import annotations

from heard.auth.permissions import Permission
from heard.auth.principal import Principal

# (permission, address, label); order is the order in the header.
LINKS = (
    (Permission.CALL_SCREEN, "/calls", "Calls"),
    (Permission.QUEUE_READ, "/queue", "DA queue"),
    (Permission.BOARD_READ, "/board", "Supervisor board"),
    (Permission.INCIDENT_ATTEND, "/officer", "My incidents"),
    (Permission.ORDER_MANAGE, "/orders", "Orders"),
    (Permission.ORDER_MANAGE, "/breaches", "Breaches"),
    (Permission.RISK_REVIEW, "/risk/reviews", "Reviews"),
    (Permission.REFERRAL_OVERSEE, "/referrals", "Referrals"),
    (Permission.REFERRAL_OVERSEE, "/marac/referrals", "MARAC"),
    (Permission.REVIEW_FINDINGS, "/review/findings", "Missed opportunities"),
    (Permission.STATISTICS_READ, "/statistics", "Statistics"),
)


def navigation(principal: Principal | None) -> list[dict[str, str]]:
    if principal is None or principal.kind != "user":
        return []
    return [{"href": href, "label": label} for perm, href, label in LINKS if principal.can(perm)]
