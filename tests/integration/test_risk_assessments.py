"""Risk assessments through the API: suggestions, scoring, raise-only judgement, immutability,
re-assessment, specialist review, MARAC criteria every time, and the audit of each step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from heard.app import build_job_registry
from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.jobs.models import Job
from heard.jobs.worker import Worker
from heard.referrals.models import MaracPack, Referral, ReferralStatus
from heard.risk.models import MaracReferral, RiskAssessment
from tests.conftest import test_settings
from tests.support import risk_setup

TRANSCRIPT = "He put his hands round my neck and squeezed. He has a knife. I am terrified."


@pytest.fixture
def settings(database_url, tmp_path):
    return test_settings(database_url, referral_outbox_dir=tmp_path / "outbox")


def specialist(client, world):
    return world.client_for(client, "WMP", Role.DA_SPECIALIST)


def officer(client, world):
    return world.client_for(client, "WMP", Role.ATTENDING_OFFICER)


def start(api, call, instrument="dash-acpo-27"):
    body = {
        "incident_id": call["incident_id"],
        "victim_record_id": call["victim_record_id"],
        "call_id": call["call_id"],
        "instrument": instrument,
    }
    response = api.post("/api/v1/risk/assessments", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def yes(n, start_at=1):
    return {str(i): {"answer": "yes"} for i in range(start_at, start_at + n)}


def answer(api, assessment_id, answers):
    response = api.put(
        f"/api/v1/risk/assessments/{assessment_id}/answers", json={"answers": answers}
    )
    assert response.status_code == 200, response.text
    return response.json()


def submit(api, assessment_id, judgement=None):
    body = {"professional_judgement": judgement} if judgement else {}
    return api.post(f"/api/v1/risk/assessments/{assessment_id}/submit", json=body)


def run_jobs(db, settings):
    worker = Worker(db, build_job_registry(settings), lease_seconds=30)
    while worker.run_once():
        pass
    with db.unit_of_work() as uow:
        failed = uow.session.scalars(select(Job.last_error).where(Job.last_error.is_not(None)))
        assert list(failed) == []


def count(db, model, *where):
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def test_cues_heard_on_the_call_are_suggested_with_their_evidence_for_the_assessor_to_decide(
    client, world, db
):
    call = risk_setup.da_call(db, world, free_text=TRANSCRIPT)
    api = officer(client, world)
    assessment = start(api, call)
    suggested = {s["item_id"]: s for s in assessment["suggestions"]}
    assert {"2", "3", "16", "18"} <= set(suggested)
    assert suggested["18"]["evidence"][0] == {
        "source": "cue",
        "code": "STRANGULATION",
        "detail": "STRANGULATION detected in this call",
    }
    assert all(s["decision"] == "pending" for s in suggested.values())
    assert assessment["answers"] == {}, "a suggestion is never an answer until confirmed"

    url = f"/api/v1/risk/assessments/{assessment['id']}/suggestions"
    confirmed = api.post(f"{url}/18", json={"decision": "confirmed"}).json()
    assert confirmed["answers"]["18"]["answer"] == "yes"
    rejected = api.post(f"{url}/16", json={"decision": "rejected"}).json()
    assert "16" not in rejected["answers"]
    refused = submit(api, assessment["id"])
    assert refused.status_code == 422 and "confirm or reject every suggestion" in refused.text


def test_fourteen_yes_answers_are_high_risk_and_raise_a_marac_referral_with_its_pack(
    client, world, db, settings
):
    call = risk_setup.da_call(db, world)
    api = officer(client, world)
    assessment = start(api, call)
    answer(api, assessment["id"], yes(14))
    submitted = submit(api, assessment["id"])
    assert submitted.status_code == 200, submitted.text
    out = submitted.json()
    assert (out["yes_count"], out["computed_level"], out["final_level"]) == (14, "high", "high")
    assert out["marac_criteria"] == ["visible_high_risk"]
    assert out["status"] == "submitted" and out["marac_referral_id"] is not None
    assert count(db, RiskAssessment) == 1, "the force's record of the grade is written too"

    risk_setup.seed_directory(db, world)
    run_jobs(db, settings)
    assert count(db, MaracPack) == 1
    with db.unit_of_work() as uow:
        sent = uow.session.scalar(select(Referral).where(Referral.kind == "marac"))
        assert sent is not None and sent.status is ReferralStatus.DELIVERED
    dropped = list((settings.referral_outbox_dir / "wmp-marac").glob("*.pdf"))
    assert len(dropped) == 1 and dropped[0].read_bytes().startswith(b"%PDF")


def test_professional_judgement_may_raise_the_level_but_never_lower_it(client, world, db):
    api = officer(client, world)
    raised = start(api, risk_setup.da_call(db, world))
    answer(api, raised["id"], yes(3))
    out = submit(api, raised["id"], {"level": "high", "rationale": "threats to kill believed"})
    assert out.json()["final_level"] == "high"
    assert out.json()["marac_criteria"] == ["professional_judgement"]

    lowered = start(api, risk_setup.da_call(db, world))
    answer(api, lowered["id"], yes(14))
    out = submit(api, lowered["id"], {"level": "standard", "rationale": "victim says it is fine"})
    assert out.json()["computed_level"] == "high"
    assert out.json()["final_level"] == "high", "a lower judgement is kept, never applied"


def test_a_judgement_without_a_rationale_is_refused_with_the_field_named(client, world, db):
    api = officer(client, world)
    assessment = start(api, risk_setup.da_call(db, world))
    response = submit(api, assessment["id"], {"level": "high"})
    assert response.status_code == 422
    assert "professional_judgement.rationale" in response.text
    assert api.get(f"/api/v1/risk/assessments/{assessment['id']}").json()["status"] == "draft"


def test_stalking_form_without_a_count_rule_needs_a_judgement_to_be_submitted(client, world, db):
    api = officer(client, world)
    assessment = start(api, risk_setup.da_call(db, world), instrument="s-dash-11")
    answer(api, assessment["id"], yes(9))
    assert submit(api, assessment["id"]).status_code == 422
    out = submit(api, assessment["id"], {"level": "high", "rationale": "daily visits to work"})
    assert out.status_code == 200 and out.json()["final_level"] == "high"


def test_a_submitted_assessment_cannot_change_and_a_reassessment_is_a_linked_new_version(
    client, world, db
):
    api = officer(client, world)
    first = start(api, risk_setup.da_call(db, world))
    assert submit(api, first["id"]).status_code == 200
    again = api.put(f"/api/v1/risk/assessments/{first['id']}/answers", json={"answers": yes(1)})
    assert again.status_code == 409 and "re-assessment" in again.json()["detail"]
    assert submit(api, first["id"]).status_code == 409

    second = api.post(f"/api/v1/risk/assessments/{first['id']}/reassess", json={})
    assert second.status_code == 201
    assert (second.json()["revision"], second.json()["previous_id"]) == (2, first["id"])
    twice = api.post(f"/api/v1/risk/assessments/{first['id']}/reassess", json={})
    assert twice.status_code == 409 and "newest" in twice.json()["detail"]


def test_a_specialist_review_raises_the_level_with_a_coaching_note_and_refers_to_marac(
    client, world, db
):
    assessment = start(officer(client, world), risk_setup.da_call(db, world))
    assert submit(officer(client, world), assessment["id"]).json()["final_level"] == "standard"
    api = specialist(client, world)
    url = f"/api/v1/risk/assessments/{assessment['id']}/review"
    lower = api.post(url, json={"outcome": "raise", "level": "standard", "coaching_note": "x"})
    assert lower.status_code == 422 and "never lower" in lower.json()["detail"]
    no_reason = api.post(url, json={"outcome": "raise", "level": "high", "coaching_note": "x"})
    assert no_reason.status_code == 422

    body = {
        "outcome": "raise",
        "level": "high",
        "rationale": "strangulation disclosed in the call",
        "coaching_note": "ask question 18 again when the caller mentions her neck",
    }
    reviewed = api.post(url, json=body).json()
    assert reviewed["status"] == "reviewed" and reviewed["effective_level"] == "high"
    assert reviewed["review"]["coaching_note"].startswith("ask question 18")
    assert reviewed["final_level"] == "standard", "the submitted assessment itself is unchanged"
    with db.unit_of_work() as uow:
        referral = uow.session.get_one(MaracReferral, reviewed["marac_referral_id"])
        assert referral.criteria == ["professional_judgement"]
    assert api.post(url, json=body).status_code == 409, "reviewed once"


def test_an_assessor_cannot_review_their_own_assessment(client, world, db):
    api = specialist(client, world)
    assessment = start(api, risk_setup.da_call(db, world))
    submit(api, assessment["id"])
    response = api.post(
        f"/api/v1/risk/assessments/{assessment['id']}/review",
        json={"outcome": "agree", "coaching_note": "fine"},
    )
    assert response.status_code == 409 and "another specialist" in response.json()["detail"]


def test_a_new_da_incident_within_twelve_months_of_a_marac_referral_is_referred_as_a_repeat(
    client, world, db, settings
):
    from heard.risk import marac_service

    first = risk_setup.marac_referral(db, world)
    with db.transaction() as session:
        session.execute(
            MaracReferral.__table__.update()
            .where(MaracReferral.id == first["referral_id"])
            .values(
                referred_at=__import__("datetime").datetime(
                    2026, 3, 1, tzinfo=__import__("datetime").UTC
                )
            )
        )
    later = risk_setup.da_call(db, world, at="2026-12-05T10:00:00Z")
    with db.transaction() as session:
        from heard.people.models import PersonRecord

        # the same person, as the linker would resolve her
        record = session.get_one(PersonRecord, later["victim_record_id"])
        first_record = session.get_one(PersonRecord, first["victim_record_id"])
        record.subject_id = first_record.subject_id
        marac_service.enqueue_repeat_check(
            session, force_id=world.forces["WMP"], incident_id=later["incident_id"]
        )
    run_jobs(db, settings)
    with db.unit_of_work() as uow:
        repeat = uow.session.scalar(
            select(MaracReferral).where(MaracReferral.incident_id == later["incident_id"])
        )
        assert repeat is not None and repeat.criteria == ["repeat"]


def test_every_view_and_decision_on_an_assessment_is_audited(client, world, db):
    api = officer(client, world)
    assessment = start(api, risk_setup.da_call(db, world, free_text=TRANSCRIPT))
    api.get(f"/api/v1/risk/assessments/{assessment['id']}")
    api.post(
        f"/api/v1/risk/assessments/{assessment['id']}/suggestions/18", json={"decision": "rejected"}
    )
    with db.unit_of_work() as uow:
        actions = set(
            uow.session.scalars(
                select(AuditEntry.action).where(AuditEntry.record_id == str(assessment["id"]))
            )
        )
    assert {"risk.assessment.start", "assessment.view", "risk.suggestion.rejected"} <= actions


def test_a_victim_who_is_not_on_the_incident_cannot_be_assessed_on_it(client, world, db):
    call = risk_setup.da_call(db, world)
    body = {
        "incident_id": call["incident_id"],
        "victim_record_id": call["suspect_record_id"],
        "instrument": "dash-acpo-27",
    }
    response = officer(client, world).post("/api/v1/risk/assessments", json=body)
    assert response.status_code == 422 and "not a victim" in response.json()["detail"]


def test_pending_jobs_are_the_only_way_marac_work_leaves_the_transaction(client, world, db):
    api = officer(client, world)
    assessment = start(api, risk_setup.da_call(db, world))
    answer(api, assessment["id"], yes(14))
    submit(api, assessment["id"])
    assert count(db, Job, Job.kind == "marac.pack") == 1
