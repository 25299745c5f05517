"""Which events re-run the missed-opportunity rules, and what each points at."""

from __future__ import annotations

import pytest

from heard.orders.events import BreachRaised, BreachUpdated, OrderAlertRaised
from heard.referrals.service import ReferralOverdue
from heard.review.events import CallChanged, ReviewChanged
from heard.review.findings.triggers import seeds_of
from heard.risk.marac_service import MaracReferralRaised
from heard.signals.events import (
    CallBackRecorded,
    GradeChangeDecided,
    GradeSet,
    GradeSuggested,
    WarningSignAcknowledged,
    WarningSignRaised,
)

F = {"force_id": 1}


@pytest.mark.parametrize(
    ("event", "seed"),
    [
        (GradeSet(**F, call_id=4, change_id=1, grade="s", previous="p", needs_sign_off=True),
         ("calls", 4)),
        (GradeChangeDecided(**F, call_id=5, change_id=1, decision="signed_off", user_id=1),
         ("calls", 5)),
        (CallBackRecorded(**F, call_id=6, change_id=1, needs_sign_off=True), ("calls", 6)),
        (WarningSignAcknowledged(**F, call_id=7, sign_id=1, code="c", action="no", user_id=1),
         ("calls", 7)),
        (CallChanged(**F, call_id=8, change="closed", on_queue=True), ("calls", 8)),
        (BreachRaised(**F, breach_id=2, order_id=9, kind="zone", grade="emergency"), ("orders", 9)),
        (OrderAlertRaised(**F, alert_id=1, order_id=10, kind="duty_overdue"), ("orders", 10)),
        (BreachUpdated(**F, breach_id=11, status="attended"), ("breaches", 11)),
        (ReferralOverdue(**F, referral_id=12, escalation_id=1), ("referrals", 12)),
        (MaracReferralRaised(**F, marac_referral_id=13, criteria=("repeat",)), ("maracs", 13)),
    ],
)  # fmt: skip
def test_a_change_that_can_make_a_missed_opportunity_points_at_its_record(event, seed):
    assert seeds_of(event) == seed


@pytest.mark.parametrize(
    "event",
    [
        CallChanged(**F, call_id=8, change="updated", on_queue=True),
        WarningSignRaised(**F, call_id=1, sign_id=1, code="c", severity="high", source="t"),
        GradeSuggested(**F, call_id=1, grade="emergency", previous=None),
    ],
)
def test_changes_that_decide_nothing_rerun_nothing(event):
    assert seeds_of(event) is None


def test_a_specialist_review_changing_is_not_a_trigger():
    event = ReviewChanged(
        **F, call_id=1, review_id=1, action="outcome", state="reviewed", owner_user_id=None
    )
    assert seeds_of(event) is None
