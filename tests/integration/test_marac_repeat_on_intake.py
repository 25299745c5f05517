"""The MARAC "repeat" criterion applied every time: a new DA incident for a victim referred to
MARAC in the last 12 months queues the check with the call itself, and the check refers her."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from heard.app import build_job_registry
from heard.audit.service import system_actor
from heard.incidents.models import Incident
from heard.jobs.models import Job
from heard.jobs.worker import Worker
from heard.risk import history, marac_service
from heard.risk.models import MaracReferral
from tests.conftest import test_settings
from tests.support import risk_setup


@pytest.fixture
def settings(database_url, tmp_path):
    return test_settings(database_url, referral_outbox_dir=tmp_path / "outbox")


def referred_on(db, world, family, when):
    """A first DA call for the family's victim, referred to MARAC on the given day."""
    first = risk_setup.da_call(db, world, family=family, at="2025-10-01T21:00:00Z")
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        referral = marac_service.raise_referral(
            session,
            force_id=force_id,
            victim_record_id=first["victim_record_id"],
            incident_id=first["incident_id"],
            criteria=["visible_high_risk"],
            actor=system_actor(force_id),
        )
        session.execute(
            update(MaracReferral).where(MaracReferral.id == referral.id).values(referred_at=when)
        )
    return first


def repeat_checks(db, incident_id):
    """The payloads of the repeat-check jobs queued for the incident."""
    with db.unit_of_work() as uow:
        payloads = uow.session.scalars(
            select(Job.payload).where(Job.kind == marac_service.REPEAT_CHECK_JOB)
        )
        return [p for p in payloads if p.get("incident_id") == incident_id]


def run_jobs(db, settings):
    worker = Worker(db, build_job_registry(settings), lease_seconds=30)
    while worker.run_once():
        pass


def referral_for(db, incident_id):
    """(victim record, criteria) of the incident's MARAC referral, or None."""
    with db.unit_of_work() as uow:
        found = uow.session.scalar(
            select(MaracReferral).where(MaracReferral.incident_id == incident_id)
        )
        return None if found is None else (found.victim_record_id, found.criteria)


def test_a_new_da_incident_within_a_year_of_her_referral_queues_the_check_and_refers_her_again(
    db, world, settings
):
    first = referred_on(db, world, "Marsh", datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    later = risk_setup.da_call(db, world, family="Marsh", at="2026-12-05T10:00:00Z")
    assert later["victim_subject_id"] == first["victim_subject_id"] is not None

    queued = repeat_checks(db, later["incident_id"])
    assert [p["victim_record_id"] for p in queued] == [later["victim_record_id"]]
    assert referral_for(db, later["incident_id"]) is None, "the worker has not run yet"

    run_jobs(db, settings)
    assert referral_for(db, later["incident_id"]) == (later["victim_record_id"], ["repeat"])


def test_a_referral_more_than_twelve_months_before_the_incident_queues_nothing(db, world, settings):
    referred_on(db, world, "Quill", datetime(2025, 12, 4, 9, 0, tzinfo=UTC))
    later = risk_setup.da_call(db, world, family="Quill", at="2026-12-05T10:00:00Z")
    assert repeat_checks(db, later["incident_id"]) == []
    run_jobs(db, settings)
    assert referral_for(db, later["incident_id"]) is None


def test_a_victim_never_referred_to_marac_queues_nothing(db, world):
    call = risk_setup.da_call(db, world, family="Nuthall", at="2026-12-05T10:00:00Z")
    assert repeat_checks(db, call["incident_id"]) == []


def test_the_check_is_queued_once_per_victim_and_incident_however_often_the_call_changes(db, world):
    referred_on(db, world, "Ormerod", datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    later = risk_setup.da_call(db, world, family="Ormerod", at="2026-12-05T10:00:00Z")
    with db.transaction() as session:
        again = marac_service.queue_repeat_checks(session, incident_id=later["incident_id"])
    assert again == []
    assert len(repeat_checks(db, later["incident_id"])) == 1


def test_the_victims_latest_referrals_read_together_match_each_victims_own_latest(db, world):
    first = referred_on(db, world, "Pargeter", datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    with db.transaction() as session:  # a second, later referral of the same person
        marac_service.raise_referral(
            session,
            force_id=world.forces["WMP"],
            victim_record_id=first["victim_record_id"],
            incident_id=first["incident_id"],
            criteria=["professional_judgement"],
            actor=system_actor(world.forces["WMP"]),
        )
    later = risk_setup.da_call(db, world, family="Pargeter", at="2026-12-05T10:00:00Z")
    with db.transaction() as session:
        incident = session.get_one(Incident, later["incident_id"])
        together = history.last_marac_referrals_of_victims(
            session, incident_id=incident.id, before=incident.opened_at
        )
        alone = {}
        for victim_id in marac_service.victims_of(session, incident=incident):
            last = history.last_marac_referral(
                session, victim_record_id=victim_id, before=incident.opened_at
            )
            if last is not None:
                alone[victim_id] = (last.incident_id, last.referred_at)
    assert together == alone
    assert list(together) == [later["victim_record_id"]]
