"""Referrals, MARAC, Operation Encompass, orders, breaches and missed-opportunity findings."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select

from heard.metrics.measures import Figure
from heard.metrics.sql import Scope, counted, medians
from heard.orders.models import Order
from heard.orders.records import Breach
from heard.referrals.models import Referral, ReferralKind, ReferralStatus
from heard.review.findings.models import MissedOpportunity
from heard.risk.models import MaracReferral

# A referral stopped on purpose was never due for delivery: it counts neither as made nor late.
NOT_DUE = (ReferralStatus.WITHDRAWN, ReferralStatus.NOT_SENT)
VICTIM_KINDS = (ReferralKind.SUPPORT, ReferralKind.MARAC)


def _on_time() -> ColumnElement[int]:
    return case(
        (
            Referral.delivered_at.is_not(None) & (Referral.delivered_at <= Referral.due_at),
            1,
        )
    )


def referrals(scope: Scope) -> list[Figure]:
    """Victim referrals by kind, and Operation Encompass notices, each with those on time."""
    month = scope.month(Referral.created_at)
    query = (
        select(month, Referral.kind, func.count(Referral.id), func.count(_on_time()))
        .where(Referral.force_id == scope.force_id, scope.within(Referral.created_at))
        .where(Referral.status.not_in(NOT_DUE))
        .group_by(month, Referral.kind)
    )
    found: list[Figure] = []
    for key, kind, made, on_time in scope.session.execute(query):
        if kind is ReferralKind.ENCOMPASS:
            found.append(Figure(key, "encompass_notices", "", float(made)))
            found.append(Figure(key, "encompass_on_time", "", float(on_time)))
        else:
            found.append(Figure(key, "referrals_made", kind.value, float(made)))
            found.append(Figure(key, "referrals_on_time", kind.value, float(on_time)))
    return found


def marac(scope: Scope) -> list[Figure]:
    """MARAC referrals in total, and by criterion (read per row: JSON lists differ by database)."""
    month = scope.month(MaracReferral.referred_at)
    query = select(month, MaracReferral.criteria).where(
        MaracReferral.force_id == scope.force_id, scope.within(MaracReferral.referred_at)
    )
    totals: Counter[str] = Counter()
    by_criterion: Counter[tuple[str, str]] = Counter()
    for key, criteria in scope.session.execute(query):
        totals[key] += 1
        for criterion in set(criteria or []):
            by_criterion[(key, str(criterion))] += 1
    return [Figure(m, "marac_referrals", "", float(n)) for m, n in totals.items()] + [
        Figure(m, "marac_referrals", c, float(n)) for (m, c), n in by_criterion.items()
    ]


def orders(scope: Scope) -> list[Figure]:
    month = scope.month(Order.made_at)
    query = (
        select(month, Order.order_type, func.count(Order.id))
        .where(Order.force_id == scope.force_id, scope.within(Order.made_at))
        .group_by(month, Order.order_type)
    )
    return counted(scope, query, "orders_made")


def breaches(scope: Scope) -> list[Figure]:
    """Breaches by where they stand now, how long attendance took, and how long an outcome."""
    month = scope.month(Breach.raised_at)
    query = (
        select(month, Breach.status, func.count(Breach.id))
        .where(Breach.force_id == scope.force_id, scope.within(Breach.raised_at))
        .group_by(month, Breach.status)
    )
    found = counted(scope, query, "breaches")
    rows = scope.session.execute(
        select(
            Breach.raised_at,
            Breach.attended_at,
            Breach.arrested_at,
            Breach.charged_at,
            Breach.closed_at,
        ).where(Breach.force_id == scope.force_id, scope.within(Breach.raised_at))
    ).all()
    attend: list[tuple[datetime, datetime | None]] = []
    outcome: list[tuple[datetime, datetime | None]] = []
    for raised, attended, arrested, charged, closed in rows:
        attend.append((raised, _first(attended, arrested)))
        outcome.append((raised, _first(arrested, charged, closed)))
    found += medians(attend, measure="breach_attend_minutes_median", unit_seconds=60)
    found += medians(outcome, measure="breach_outcome_hours_median", unit_seconds=3600)
    return found


def _first(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def findings(scope: Scope) -> list[Figure]:
    month = scope.month(MissedOpportunity.at)
    query = (
        select(month, MissedOpportunity.rule, func.count(MissedOpportunity.id))
        .where(MissedOpportunity.force_id == scope.force_id, scope.within(MissedOpportunity.at))
        .group_by(month, MissedOpportunity.rule)
    )
    return counted(scope, query, "findings")
