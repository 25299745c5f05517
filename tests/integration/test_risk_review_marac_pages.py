"""The review, MARAC and escalation pages through the app, on both databases: what they show,
the decisions they record (with the services' own rules), and the audit of every view."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import tests.support.personas  # noqa: F401  (loads the persona modules in order)
from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.referrals.models import ReferralEscalation
from heard.risk.assessments import AssessmentReview
from heard.risk.models import MaracOutcome, MaracReferral
from tests.conftest import test_settings
from tests.support import personas_referrals, risk_setup


@pytest.fixture
def settings(database_url, tmp_path):
    return test_settings(database_url, referral_outbox_dir=tmp_path / "outbox")


def as_role(client, world, role, force="WMP"):
    return world.client_for(client, force, role)


def actions(db, record_type, record_id):
    with db.unit_of_work() as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.record_type == record_type, AuditEntry.record_id == str(record_id)
                )
            )
        )


def listed_in(db, action, key, record_id):
    """Whether a list view's audit entry names the record (lists record the ids they showed)."""
    with db.unit_of_work() as uow:
        details = uow.session.scalars(select(AuditEntry.details).where(AuditEntry.action == action))
        return any(record_id in (d or {}).get(key, []) for d in details)


def review_of(db, assessment_id):
    """(outcome, raised level) of the assessment's review, or None."""
    with db.unit_of_work() as uow:
        found = uow.session.scalar(
            select(AssessmentReview).where(AssessmentReview.assessment_id == assessment_id)
        )
        return None if found is None else (found.outcome.value, found.raised_level)


# --- the specialist's review ----------------------------------------------------------------


def test_a_specialist_finds_a_submitted_assessment_in_the_review_queue_but_not_a_draft(
    client, world, db
):
    submitted = risk_setup.submitted(db, world, yes=3)["assessment_id"]
    draft = risk_setup.draft(db, world)["assessment_id"]
    page = as_role(client, world, Role.DA_SPECIALIST).get("/risk/reviews")
    assert page.status_code == 200
    assert f"Review assessment {submitted}<" in page.text
    assert f"Review assessment {draft}<" not in page.text
    other_force = as_role(client, world, Role.DA_SPECIALIST, "NMP").get("/risk/reviews")
    assert f"Review assessment {submitted}<" not in other_force.text


def test_agreeing_with_a_coaching_note_is_recorded_and_the_assessor_sees_the_note(
    client, world, db
):
    assessment_id = risk_setup.submitted(db, world, yes=3)["assessment_id"]
    specialist = as_role(client, world, Role.DA_SPECIALIST)
    page = specialist.get(f"/risk/assessments/{assessment_id}/review")
    assert page.status_code == 200 and "Record review" in page.text
    sent = specialist.post(
        f"/risk/assessments/{assessment_id}/review",
        data={"outcome": "agree", "coaching_note": "Good detail on question 1."},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert review_of(db, assessment_id) == ("agree", None)
    assessor_view = as_role(client, world, Role.ATTENDING_OFFICER).get(
        f"/risk/assessments/{assessment_id}"
    )
    assert "Good detail on question 1." in assessor_view.text
    assert {"assessment.view", "risk.assessment.review.agree"} <= set(
        actions(db, "assessment", assessment_id)
    )


def test_raising_to_high_on_review_refers_the_victim_to_marac(client, world, db):
    made = risk_setup.submitted(db, world, yes=3)
    specialist = as_role(client, world, Role.DA_SPECIALIST)
    sent = specialist.post(
        f"/risk/assessments/{made['assessment_id']}/review",
        data={
            "outcome": "raise",
            "level": "high",
            "rationale": "threats to kill were not asked about",
            "coaching_note": "Ask question 17 every time.",
        },
    )
    assert sent.status_code == 200 and "raised to high" in sent.text
    with db.unit_of_work() as uow:
        referral = uow.session.scalar(
            select(MaracReferral).where(MaracReferral.incident_id == made["incident_id"])
        )
        assert referral is not None and referral.criteria == ["professional_judgement"]


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        (
            {"outcome": "raise", "level": "standard", "rationale": "x", "coaching_note": "n"},
            "never",
        ),
        ({"outcome": "raise", "level": "high", "coaching_note": "note"}, "rationale"),
        ({"outcome": "agree", "coaching_note": "   "}, "coaching note"),
        ({"coaching_note": "note"}, "agree"),
    ],
)
def test_a_review_that_breaks_a_rule_is_refused_on_the_page_with_the_reason(
    client, world, db, form, reason
):
    assessment_id = risk_setup.submitted(db, world, yes=3)["assessment_id"]
    answer = as_role(client, world, Role.DA_SPECIALIST).post(
        f"/risk/assessments/{assessment_id}/review", data=form
    )
    assert answer.status_code == 422 and reason in answer.text
    assert review_of(db, assessment_id) is None


def test_a_specialist_cannot_review_an_assessment_of_their_own(client, world, db):
    call = risk_setup.da_call(db, world)
    specialist = as_role(client, world, Role.DA_SPECIALIST)
    body = {
        "incident_id": call["incident_id"],
        "victim_record_id": call["victim_record_id"],
        "instrument": "dash-acpo-27",
    }
    assessment_id = specialist.post("/api/v1/risk/assessments", json=body).json()["id"]
    assert specialist.post(f"/api/v1/risk/assessments/{assessment_id}/submit").status_code == 200
    page = specialist.get(f"/risk/assessments/{assessment_id}/review")
    assert "another specialist reviews it" in page.text and "Record review" not in page.text
    refused = specialist.post(
        f"/risk/assessments/{assessment_id}/review",
        data={"outcome": "agree", "coaching_note": "fine"},
    )
    assert refused.status_code == 422 and "another specialist" in refused.text


# --- MARAC referrals ------------------------------------------------------------------------


def test_the_marac_page_shows_the_criteria_that_applied_and_links_the_pack(client, world, db):
    made = risk_setup.marac_referral(db, world)
    specialist = as_role(client, world, Role.DA_SPECIALIST)
    listing = specialist.get("/marac/referrals")
    assert f"MARAC referral {made['referral_id']}<" in listing.text
    detail = specialist.get(f"/marac/referrals/{made['referral_id']}")
    assert detail.status_code == 200
    assert "Professional judgement: the assessor or a reviewing specialist" in detail.text
    pack_link = f"/api/v1/marac/referrals/{made['referral_id']}/pack"
    assert pack_link in detail.text and f"{pack_link}.pdf" in detail.text
    assert specialist.get(pack_link).status_code == 200
    assert {"marac_referral.view", "marac_pack.view"} <= set(
        actions(db, "marac_referral", made["referral_id"])
    )
    assert listed_in(db, "marac_referral.list", "ids", made["referral_id"])


def test_the_meeting_date_and_then_the_outcome_are_recorded_through_the_form(client, world, db):
    referral_id = risk_setup.marac_referral(db, world)["referral_id"]
    specialist = as_role(client, world, Role.DA_SPECIALIST)
    too_soon = specialist.post(
        f"/marac/referrals/{referral_id}", data={"outcome": "action_plan_agreed"}
    )
    assert too_soon.status_code == 422 and "meeting date before the outcome" in too_soon.text
    dated = specialist.post(f"/marac/referrals/{referral_id}", data={"meeting_date": "2026-12-10"})
    assert dated.status_code == 200 and "2026-12-10" in dated.text
    decided = specialist.post(
        f"/marac/referrals/{referral_id}",
        data={"meeting_date": "2026-12-10", "outcome": "action_plan_agreed"},
    )
    assert decided.status_code == 200 and "action plan agreed" in decided.text
    with db.unit_of_work() as uow:
        found = uow.session.get_one(MaracReferral, referral_id)
        assert found.outcome is MaracOutcome.ACTION_PLAN_AGREED
        assert found.meeting_date.isoformat() == "2026-12-10"
    assert actions(db, "marac_referral", referral_id).count("marac.track") == 2


def test_a_meeting_date_that_is_not_a_date_is_refused_with_the_reason(client, world, db):
    referral_id = risk_setup.marac_referral(db, world)["referral_id"]
    answer = as_role(client, world, Role.DA_SPECIALIST).post(
        f"/marac/referrals/{referral_id}", data={"meeting_date": "next Tuesday"}
    )
    assert answer.status_code == 422 and "is not a date" in answer.text


def test_a_supervisor_sees_a_marac_referral_but_is_not_offered_the_form(client, world, db):
    referral_id = risk_setup.marac_referral(db, world)["referral_id"]
    supervisor = as_role(client, world, Role.SUPERVISOR)
    page = supervisor.get(f"/marac/referrals/{referral_id}")
    assert page.status_code == 200 and "Meeting and outcome" not in page.text
    answer = supervisor.post(f"/marac/referrals/{referral_id}", data={"meeting_date": "2026-12-10"})
    assert answer.status_code == 403


# --- escalations ----------------------------------------------------------------------------


def test_a_supervisor_acknowledges_an_overdue_referral_with_a_note(client, world, db):
    escalation_id = personas_referrals.escalation(db, world)["escalation_id"]
    supervisor = as_role(client, world, Role.SUPERVISOR)
    page = supervisor.get("/referrals/escalations")
    assert f"Acknowledge escalation {escalation_id}<" in page.text
    refused = supervisor.post(f"/referrals/escalations/{escalation_id}/acknowledge", data={})
    assert refused.status_code == 422 and "say what was done" in refused.text
    done = supervisor.post(
        f"/referrals/escalations/{escalation_id}/acknowledge",
        data={"note": "phoned the IDVA service; sent again"},
    )
    assert done.status_code == 200 and f"Acknowledge escalation {escalation_id}<" not in done.text
    everything = supervisor.get("/referrals/escalations?show=all")
    assert "phoned the IDVA service; sent again" in everything.text
    with db.unit_of_work() as uow:
        found = uow.session.get_one(ReferralEscalation, escalation_id)
        assert found.acknowledged_at is not None
        referral_id = found.referral_id
    assert "referral.escalation.acknowledge" in actions(db, "referral", referral_id)
    assert listed_in(db, "referral.escalation.list", "referral_ids", referral_id)


def test_another_forces_escalation_cannot_be_acknowledged_or_seen(client, world, db):
    escalation_id = personas_referrals.escalation(db, world)["escalation_id"]
    other = as_role(client, world, Role.SUPERVISOR, "NMP")
    assert f"escalation {escalation_id}<" not in other.get("/referrals/escalations").text
    answer = other.post(
        f"/referrals/escalations/{escalation_id}/acknowledge", data={"note": "not mine"}
    )
    assert answer.status_code == 404


def test_the_assessment_behind_a_referral_is_linked_only_for_those_who_may_open_it(
    client, world, db
):
    made = risk_setup.submitted(db, world, yes=14)
    path = f"/marac/referrals/{made['marac_referral_id']}"
    specialist = as_role(client, world, Role.DA_SPECIALIST).get(path)
    assert f'href="/risk/assessments/{made["assessment_id"]}/review"' in specialist.text
    assert "Visible high risk" in specialist.text
    supervisor = as_role(client, world, Role.SUPERVISOR).get(path)
    assert f"risk assessment {made['assessment_id']}" in supervisor.text
    assert f'href="/risk/assessments/{made["assessment_id"]}' not in supervisor.text
