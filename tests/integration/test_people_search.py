"""Finding a person: own force by default; other forces only for national roles, with a reason."""

from sqlalchemy import select

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from tests.integration.test_call_intake import call_body, post

SEARCH = "/api/v1/people/search"


def test_a_handler_finds_a_person_in_their_own_force(client, world):
    post(client, world, call_body("CAD-1"))
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    found = handler.get(
        SEARCH,
        params={"given_name": "Amira", "family_name": "Haddad", "date_of_birth": "1991-04-12"},
    ).json()
    assert found and found[0]["force_code"] == "WMP" and found[0]["probability"] > 0.5


def test_a_force_search_never_shows_another_forces_people(client, world):
    post(client, world, call_body("CAD-1"), force="NMP")
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    assert handler.get(SEARCH, params={"family_name": "Haddad"}).json() == []


def test_only_national_roles_may_search_other_forces(client, world):
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    response = handler.get(
        SEARCH,
        params={
            "family_name": "Haddad",
            "scope": "national",
            "reason": "safeguarding check across forces",
        },
    )
    assert response.status_code == 403


def test_a_national_search_needs_a_reason_and_is_audited_in_each_force(client, world, db):
    post(client, world, call_body("CAD-1"), force="NMP")
    national = world.client_for(client, "WMP", Role.NATIONAL_REVIEWER)
    no_reason = national.get(SEARCH, params={"family_name": "Haddad", "scope": "national"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    found = national.get(
        SEARCH,
        params={
            "given_name": "Amira",
            "family_name": "Haddad",
            "scope": "national",
            "reason": "domestic homicide review, case 12",
        },
    ).json()
    assert {f["force_code"] for f in found} == {"NMP"}
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.search")
        ).all()
        assert {r.force_id for r in rows} == set(world.forces.values())
        assert all(r.reason == "domestic homicide review, case 12" for r in rows)
        assert all(r.actor_force_id == world.forces["WMP"] for r in rows)


def test_a_search_needs_a_family_name_or_phone(client, world):
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    response = handler.get(SEARCH, params={"given_name": "Amira"})
    assert response.status_code == 422
