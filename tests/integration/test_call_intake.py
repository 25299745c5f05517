"""Intake: calls stored before the answer, linked to history, and never refused for a bad field."""

from sqlalchemy import func, select

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.incidents.models import Call, Incident
from heard.people.models import PersonRecord


def post(client, world, body, force="WMP"):
    return world.token_client(client, force).post("/api/v1/calls", json=body)


def call_body(ref, at="2026-11-30T21:00:00Z", **extra):
    body = {
        "source_ref": ref,
        "channel": "999",
        "received_at": at,
        "caller_number": "07700 900123",
        "address": "7 Ingleby Road",
        "postcode": "ts24 1gz",
        "people": [
            {
                "role": "victim",
                "given_name": "Amira",
                "family_name": "Haddad",
                "date_of_birth": "1991-04-12",
                "phone": "07700 900123",
                "sex": "female",
            },
            {
                "role": "suspect",
                "given_name": "Daniel",
                "family_name": "Kowalski",
                "date_of_birth": "1988-09-30",
                "sex": "m",
            },
        ],
        "relationship": {"connection": "intimate_relationship", "former": True},
    }
    body.update(extra)
    return body


def count(db, model):
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_a_new_call_is_stored_and_answered_with_its_safeguarding_context(client, world, db):
    response = post(client, world, call_body("CAD-1"))
    assert response.status_code == 201
    context = response.json()
    assert context["call"]["status"] == "open" and context["incident_link"] == "new"
    roles = {p["role"] for p in context["people"]}
    assert roles == {"victim", "suspect"}, "the caller's number belongs to the named victim"
    assert context["location"]["postcode"] == "TS24 1GZ"
    assert count(db, Call) == 1 and count(db, PersonRecord) == 2


def test_sending_the_same_call_twice_stores_it_once(client, world, db):
    first = post(client, world, call_body("CAD-1"))
    again = post(client, world, call_body("CAD-1"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["call"]["id"] == first.json()["call"]["id"]
    assert count(db, Call) == 1 and count(db, PersonRecord) == 2


def test_a_second_call_links_the_same_people_and_joins_the_open_incident(client, world):
    post(client, world, call_body("CAD-1"))
    second = post(client, world, call_body("CAD-2", at="2026-11-30T21:40:00Z")).json()
    assert second["incident_link"] == "attached"
    victim = next(p for p in second["people"] if p["role"] == "victim")
    assert victim["link"] == "linked" and victim["confidence"] > 0.95
    explained = {f["field"] for f in victim["candidates"][0]["explanation"]}
    assert {"given_name", "family_name", "date_of_birth"} <= explained
    summary = next(s for s in second["subjects"] if "victim" in s["roles_on_call"])
    assert summary["calls_24h"] == 2 and summary["da_incidents_12m"] == 1
    assert any(r["connection"] == "intimate_relationship" for r in summary["related_people"])


def test_spelling_variants_still_link_to_the_same_person(client, world):
    post(client, world, call_body("CAD-1"))
    variant = call_body("CAD-2", at="2026-12-01T09:00:00Z", caller_number=None)
    variant["people"] = [
        {
            "role": "victim",
            "name": "Amirah Hadad",
            "date_of_birth": "12/04/1991",
            "phone": "+44 7700 900123",
        }
    ]
    person = post(client, world, variant).json()["people"][0]
    assert person["link"] in ("linked", "suggested")
    assert person["candidates"] and person["candidates"][0]["probability"] > 0.3


def test_malformed_optional_fields_are_kept_and_noted_not_refused(client, world):
    body = call_body(
        "CAD-1",
        caller_number="not a number",
        postcode="nowhere",
        colour="red",
        aml={"lat": "north", "lon": 500},
    )
    body["people"][0]["date_of_birth"] = "31/02/1991"
    body["people"][1]["role"] = "aggressor"
    response = post(client, world, body)
    assert response.status_code == 201
    problems = {n["field"]: n for n in response.json()["call"]["invalid_fields"]}
    assert {
        "caller_number",
        "postcode",
        "colour",
        "aml.lat",
        "aml.lon",
        "people.0.date_of_birth",
        "people.1.role",
    } <= set(problems)
    assert problems["people.0.date_of_birth"]["raw"] == "31/02/1991"


def test_only_a_structurally_broken_call_is_refused_with_the_field_named(client, world):
    for missing in ("source_ref", "channel", "received_at"):
        body = call_body("CAD-X")
        del body[missing]
        response = post(client, world, body)
        assert response.status_code == 422 and missing in response.json()["detail"]
    naive = post(client, world, call_body("CAD-Y", at="2026-11-30T21:00:00"))
    assert naive.status_code == 422 and "received_at" in naive.json()["detail"]


def test_every_context_view_is_audited_as_a_read_of_a_persons_record(client, world, db):
    post(client, world, call_body("CAD-1"))
    with db.unit_of_work() as uow:
        views = uow.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "person.view")
        )
    assert views == 2


def test_a_handler_reads_the_context_again_later(client, world):
    call_id = post(client, world, call_body("CAD-1")).json()["call"]["id"]
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    again = handler.get(f"/api/v1/calls/{call_id}/context")
    assert again.status_code == 200 and len(again.json()["subjects"]) == 2


def test_details_added_during_the_call_are_linked_too(client, world):
    body = call_body("CAD-1")
    body["people"] = body["people"][:1]
    call_id = post(client, world, body).json()["call"]["id"]
    patch = {
        "people": [
            {"role": "child_present", "given_name": "Layla", "family_name": "Haddad", "age": "6"}
        ],
        "free_text": "child heard crying",
    }
    response = world.token_client(client, "WMP").patch(f"/api/v1/calls/{call_id}", json=patch)
    assert response.status_code == 200
    assert {p["role"] for p in response.json()["people"]} == {"victim", "child_present"}


def test_a_closed_call_takes_no_more_details(client, world):
    call_id = post(client, world, call_body("CAD-1")).json()["call"]["id"]
    api = world.token_client(client, "WMP")
    closed = api.post(f"/api/v1/calls/{call_id}/close", json={"disposition": "officers_attended"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api.patch(f"/api/v1/calls/{call_id}", json={"free_text": "x"}).status_code == 409
    assert (
        api.post(f"/api/v1/calls/{call_id}/close", json={"disposition": "again"}).status_code == 409
    )


def test_another_forces_history_is_never_linked(client, world):
    post(client, world, call_body("CAD-1"), force="NMP")
    mine = post(client, world, call_body("CAD-1")).json()
    assert all(p["link"] == "new" for p in mine["people"])
    assert all(s["incidents_total"] == 1 for s in mine["subjects"])


def test_a_call_from_the_same_address_suggests_the_open_incident(client, world, db):
    post(client, world, call_body("CAD-1"))
    neighbour = call_body("CAD-2", at="2026-11-30T22:00:00Z", caller_number="07700 900999")
    neighbour["people"] = [{"role": "witness", "given_name": "Grace", "family_name": "Obi"}]
    context = post(client, world, neighbour).json()
    assert context["incident_link"] == "suggested"
    assert context["call"]["suggested_incident_id"] is not None
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Incident)) == 2


def test_calls_arriving_at_the_same_moment_are_all_stored_without_waiting_on_each_other(
    client, world, db
):
    import threading

    statuses: list[int] = []
    headers = {"authorization": f"Bearer {world.tokens['WMP']}"}

    def send(worker: int) -> None:
        for n in range(4):
            body = call_body(f"CAD-{worker}-{n}")
            statuses.append(client.post("/api/v1/calls", json=body, headers=headers).status_code)

    threads = [threading.Thread(target=send, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [201] * 12
    assert count(db, Call) == 12
