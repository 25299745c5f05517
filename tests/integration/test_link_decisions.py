"""People decide who is who: confirm, reject (never asked again), merge, split, and undo."""

import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from heard.audit.models import AuditEntry
from heard.auth.models import Force
from heard.auth.permissions import Role
from heard.people.models import PersonRecord, Sex
from tests.integration.test_call_intake import call_body, post

GIVEN = ["Olivia", "Noah", "Fatima", "Jakub", "Chen", "Aoife", "Kwame", "Priya", "Hodan", "Rhys"]
FAMILY = ["Smith", "Khan", "Nowak", "Okafor", "Wong", "Murphy", "Jones", "Patel", "Ali", "Evans"]


@pytest.fixture(autouse=True)
def background_population(db, world):
    """A few hundred other people, so name frequencies and the prior look like a real force's."""
    rng = random.Random(7)
    with db.transaction() as session:
        force = session.get_one(Force, world.forces["WMP"])
        # Stricter than the default so that a name and a different phone ask a person first.
        force.settings = {**force.settings, "link_thresholds": {"link": 0.999, "suggest": 0.3}}
        for n in range(400):
            session.add(
                PersonRecord(
                    force_id=world.forces["WMP"],
                    recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
                    name_raw="",
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    date_of_birth=date(
                        1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                    sex=Sex.UNKNOWN,
                    phone_e164=f"+447700{n:06d}",
                )
            )


def namesake(ref, at):
    body = call_body(ref, at=at, caller_number=None, address=None, postcode=None)
    body["people"] = [
        {"role": "victim", "given_name": "Amira", "family_name": "Haddad", "phone": "07700 900555"}
    ]
    return body


def suggestion_for_variant(client, world):
    post(client, world, call_body("CAD-1"))
    variant = namesake("CAD-2", "2026-12-01T09:00:00Z")
    person = post(client, world, variant).json()["people"][0]
    suggested = [c for c in person["candidates"] if c["suggestion_id"]]
    assert person["link"] == "suggested" and suggested, person
    return person, suggested[0]


def subject_of(db, record_id):
    with db.unit_of_work() as uow:
        return uow.session.scalar(
            select(PersonRecord.subject_id).where(PersonRecord.id == record_id)
        )


def test_a_name_alone_is_suggested_for_a_person_to_confirm_not_linked(client, world):
    person, candidate = suggestion_for_variant(client, world)
    assert person["subject_id"] != candidate["subject_id"]


def test_confirming_a_suggestion_joins_the_records_and_can_be_undone(client, world, db):
    person, candidate = suggestion_for_variant(client, world)
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    confirmed = handler.post(
        f"/api/v1/links/{candidate['suggestion_id']}/confirm",
        json={"reason": "caller confirmed date of birth"},
    )
    assert confirmed.status_code == 200
    assert subject_of(db, person["record_id"]) == candidate["subject_id"]
    undone = handler.post(
        f"/api/v1/subject-changes/{confirmed.json()['change_id']}/reverse",
        json={"reason": "confirmed in error"},
    )
    assert undone.status_code == 200
    assert subject_of(db, person["record_id"]) == person["subject_id"]
    again = handler.post(
        f"/api/v1/subject-changes/{confirmed.json()['change_id']}/reverse", json={"reason": "twice"}
    )
    assert again.status_code == 409


def test_a_rejected_pair_is_not_suggested_again(client, world):
    person, candidate = suggestion_for_variant(client, world)
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    rejected = handler.post(
        f"/api/v1/links/{candidate['suggestion_id']}/reject",
        json={"reason": "different person: caller is 19"},
    )
    assert rejected.status_code == 200
    later = namesake("CAD-3", "2026-12-02T09:00:00Z")
    person_again = post(client, world, later).json()["people"][0]
    assert person_again["subject_id"] == person["subject_id"], "linked to the earlier namesake"
    asked = {c["subject_id"] for c in person_again["candidates"] if c["suggestion_id"]}
    assert candidate["subject_id"] not in asked


def test_merge_and_split_are_audited_with_their_reasons(client, world, db):
    person, candidate = suggestion_for_variant(client, world)
    supervisor = world.client_for(client, "WMP", Role.SUPERVISOR)
    merged = supervisor.post(
        "/api/v1/subjects/merge",
        json={
            "keep_subject_id": candidate["subject_id"],
            "merge_subject_id": person["subject_id"],
            "reason": "same person, confirmed with the victim",
        },
    )
    assert merged.status_code == 200
    split = supervisor.post(
        f"/api/v1/person-records/{person['record_id']}/split",
        json={"reason": "on reflection a different person"},
    )
    assert split.status_code == 200
    assert subject_of(db, person["record_id"]) == split.json()["subject_id"]
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(["subject.merge", "subject.split"]))
        ).all()
        assert [r.reason for r in rows] == [
            "same person, confirmed with the victim",
            "on reflection a different person",
        ]


def test_a_decision_needs_a_reason(client, world):
    _, candidate = suggestion_for_variant(client, world)
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    response = handler.post(f"/api/v1/links/{candidate['suggestion_id']}/confirm", json={})
    assert response.status_code == 422 and "reason" in response.json()["detail"]


def test_merging_a_subject_into_itself_is_refused(client, world):
    person, _ = suggestion_for_variant(client, world)
    response = world.client_for(client, "WMP", Role.SUPERVISOR).post(
        "/api/v1/subjects/merge",
        json={
            "keep_subject_id": person["subject_id"],
            "merge_subject_id": person["subject_id"],
            "reason": "x x",
        },
    )
    assert response.status_code == 422
