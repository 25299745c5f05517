"""Specialist review on both databases: the queue, one owner at a time, explicit hand-over,
advice and its acknowledgement, the outcome and its rules, officers' scope, timers, audit."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from heard import errors
from heard.audit.models import AuditEntry
from heard.auth.models import Force
from heard.auth.permissions import Role
from heard.calls import service as calls
from heard.clock import utcnow
from heard.db.uow import Database
from heard.review import service
from heard.review.models import ReviewAssignment
from tests.support import console_world as cw
from tests.support.world import World, build_world


def as_role(client: TestClient, world: World, role: Role, force: str = "WMP") -> TestClient:
    return world.client_for(client, force, role)


def queue_entry(client: TestClient, world: World, call_id: int) -> dict:
    rows = as_role(client, world, Role.DA_SPECIALIST).get("/api/v1/review/queue").json()
    return next(r for r in rows if r["call_id"] == call_id)


def audit_actions(db: Database, force_id: int) -> list[str]:
    with db.unit_of_work() as uow:
        query = select(AuditEntry.action).where(AuditEntry.force_id == force_id)
        return list(uow.session.scalars(query.order_by(AuditEntry.seq)))


def test_a_domestic_abuse_call_joins_the_queue_as_new_with_its_pick_up_deadline(
    client: TestClient, world: World, db: Database
) -> None:
    call_id = cw.da_call(db, world)

    entry = queue_entry(client, world, call_id)

    assert entry["state"] == "new" and entry["owner_name"] is None
    assert entry["grade"] == "priority" and entry["timer"] == "ok"
    assert entry["risk_band"] in ("standard", "medium", "high")


def test_only_one_specialist_holds_a_call_and_a_second_is_told_who_has_it(
    client: TestClient, world: World, db: Database
) -> None:
    call_id = cw.da_call(db, world)
    assert (
        as_role(client, world, Role.DA_SPECIALIST)
        .post(f"/api/v1/review/calls/{call_id}/claim")
        .status_code
        == 200
    )
    second = cw.another_specialist_persona(db, world)

    client.cookies.set("heard_session", second.session_token)
    client.headers["x-csrf-token"] = second.csrf_token
    answer = client.post(f"/api/v1/review/calls/{call_id}/claim")

    assert answer.status_code == 409
    assert "WMP Domestic abuse specialist already holds this review" in answer.json()["detail"]


def test_hand_over_is_explicit_recorded_and_leaves_the_previous_holder_unable_to_advise(
    client: TestClient, world: World, db: Database
) -> None:
    call_id = cw.claimed_call(db, world)
    to = cw.another_specialist(db, world)
    specialist = as_role(client, world, Role.DA_SPECIALIST)

    handed = specialist.post(
        f"/api/v1/review/calls/{call_id}/hand-over", json={"to_user_id": to, "note": "my break"}
    )
    advise = specialist.post(
        f"/api/v1/review/calls/{call_id}/advice", json={"audience": "handler", "text": "Ask."}
    )

    assert handed.status_code == 200 and handed.json()["owner_user_id"] == to
    assert advise.status_code == 409 and "hand it over" in advise.json()["detail"]
    with db.unit_of_work() as uow:
        ledger = uow.session.scalars(select(ReviewAssignment).order_by(ReviewAssignment.id))
        entries = [(r.action.value, r.to_user_id, r.note) for r in ledger]
    assert entries[-1] == ("hand_over", to, "my break")
    assert "review.hand_over" in audit_actions(db, world.forces["WMP"])


def test_handing_over_to_someone_who_is_not_a_specialist_in_the_force_is_refused(
    client: TestClient, world: World, db: Database
) -> None:
    call_id = cw.claimed_call(db, world)
    handler = world.persona("WMP", Role.CALL_HANDLER).user_id
    nmp_specialist = world.persona("NMP", Role.DA_SPECIALIST).user_id
    specialist = as_role(client, world, Role.DA_SPECIALIST)

    for target in (handler, nmp_specialist):
        answer = specialist.post(
            f"/api/v1/review/calls/{call_id}/hand-over", json={"to_user_id": target}
        )
        assert answer.status_code == 422, answer.text


def test_releasing_a_call_puts_it_back_on_the_queue_as_new(
    client: TestClient, world: World, db: Database
) -> None:
    call_id = cw.claimed_call(db, world)

    answer = as_role(client, world, Role.DA_SPECIALIST).post(
        f"/api/v1/review/calls/{call_id}/release", json={"note": "wrong queue"}
    )

    assert answer.json()["state"] == "new" and answer.json()["owner_user_id"] is None
    assert queue_entry(client, world, call_id)["owner_name"] is None


def test_advice_marks_the_review_advised_and_the_handler_acknowledges_it_once(
    client: TestClient, world: World, db: Database
) -> None:
    call_id = cw.claimed_call(db, world)
    sent = as_role(client, world, Role.DA_SPECIALIST).post(
        f"/api/v1/review/calls/{call_id}/advice",
        json={
            "audience": "handler",
            "text": "Ask if he has mentioned the knife again.",
            "urgent": True,
        },
    )
    advice_id = sent.json()["id"]
    handler = as_role(client, world, Role.CALL_HANDLER)

    first = handler.post(f"/api/v1/advice/{advice_id}/acknowledge")
    again = handler.post(f"/api/v1/advice/{advice_id}/acknowledge")
    detail = as_role(client, world, Role.DA_SPECIALIST).get(f"/api/v1/review/calls/{call_id}")

    assert sent.status_code == 201 and sent.json()["urgent"] is True
    assert first.json()["acknowledged_at"] == again.json()["acknowledged_at"]
    assert detail.json()["review"]["state"] == "advised"
    assert detail.json()["advice"][0]["acknowledged_by"] == ["WMP Call handler"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"missed_opportunity": True}, "missed_opportunity_note"),
        ({"missed_opportunity": True, "missed_opportunity_note": "no"}, "missed_opportunity_note"),
        ({"agreed": True, "raised_grade": "emergency"}, "raised_grade"),
        ({"referrals_needed": ["not_a_service"]}, "referrals_needed.0"),
    ],
)
def test_an_outcome_that_does_not_add_up_is_refused_with_the_field_named(
    client: TestClient, world: World, db: Database, body: dict, field: str
) -> None:
    call_id = cw.claimed_call(db, world)

    answer = as_role(client, world, Role.DA_SPECIALIST).post(
        f"/api/v1/review/calls/{call_id}/outcome", json=body
    )

    assert answer.status_code == 422
    assert field in [e["field"] for e in answer.json()["errors"]]


def test_a_review_closes_only_after_its_outcome_and_stays_listed_for_the_shift(
    client: TestClient, world: World, db: Database
) -> None:
    call_id = cw.claimed_call(db, world)
    specialist = as_role(client, world, Role.DA_SPECIALIST)

    early = specialist.post(f"/api/v1/review/calls/{call_id}/close")
    outcome = specialist.post(
        f"/api/v1/review/calls/{call_id}/outcome",
        json={
            "raised_grade": "emergency",
            "referrals_needed": ["idva", "marac"],
            "missed_opportunity": True,
            "missed_opportunity_note": "Third call tonight was graded as the first.",
            "coaching": "Ask about strangulation directly.",
        },
    )
    closed = specialist.post(f"/api/v1/review/calls/{call_id}/close")

    assert early.status_code == 409
    assert outcome.status_code == 201 and outcome.json()["referrals_needed"] == ["idva", "marac"]
    assert closed.json()["state"] == "closed"
    assert queue_entry(client, world, call_id)["state"] == "closed"
    actions = audit_actions(db, world.forces["WMP"])
    assert {"review.claim", "review.outcome", "review.close"} <= set(actions)


def test_an_officer_sees_only_the_incidents_they_were_sent_to(
    client: TestClient, world: World, db: Database
) -> None:
    _, mine = cw.assigned_incident(db, world)
    other_call = cw.da_call(db, world)
    with db.unit_of_work() as uow:
        other = calls.find_call(uow.session, force_id=world.forces["WMP"], call_id=other_call)
        other_incident = other.incident_id
    officer = as_role(client, world, Role.ATTENDING_OFFICER)

    listed = officer.get("/api/v1/officer/incidents").json()
    page = officer.get(f"/officer/incidents/{other_incident}")
    acknowledge = officer.post(f"/api/v1/officer/incidents/{other_incident}/acknowledge")

    assert [r["incident_id"] for r in listed] == [mine]
    assert page.status_code == 404 and acknowledge.status_code == 404


def test_an_officer_cannot_acknowledge_advice_on_an_incident_they_were_not_sent_to(
    client: TestClient, world: World, db: Database
) -> None:
    _, advice_id = cw.officer_advice(db, world)
    other = cw.another_officer(db, world)
    client.cookies.set("heard_session", other.session_token)
    client.headers["x-csrf-token"] = other.csrf_token

    answer = client.post(f"/api/v1/advice/{advice_id}/acknowledge")

    assert answer.status_code == 404


def test_acknowledging_as_an_officer_reads_every_piece_of_advice_so_far(
    client: TestClient, world: World, db: Database
) -> None:
    call_id, _ = cw.officer_advice(db, world)
    with db.unit_of_work() as uow:
        incident = calls.find_call(uow.session, force_id=world.forces["WMP"], call_id=call_id)
        incident_id = incident.incident_id
    officer = as_role(client, world, Role.ATTENDING_OFFICER)

    answer = officer.post(f"/api/v1/officer/incidents/{incident_id}/acknowledge")
    detail = as_role(client, world, Role.DA_SPECIALIST).get(f"/api/v1/review/calls/{call_id}")

    assert answer.json()["acknowledged_at"] is not None
    assert detail.json()["advice"][0]["acknowledged_by"] == ["WMP Attending officer"]


@pytest.mark.parametrize(
    ("grade", "minutes_ago", "timer"),
    [
        ("emergency", 1, "ok"),
        ("emergency", 3, "amber"),
        ("emergency", 6, "red"),
        ("priority", 6, "ok"),
    ],
)
def test_pick_up_timers_turn_amber_and_red_by_the_forces_service_levels(
    client: TestClient, world: World, db: Database, grade: str, minutes_ago: int, timer: str
) -> None:
    with db.transaction() as session:
        force = session.get_one(Force, world.forces["WMP"])
        force.settings = {"review": {"minutes": {"emergency": 5, "priority": 60}}}
    received = utcnow() - timedelta(minutes=minutes_ago)

    call_id = cw.da_call(db, world, received_at=received, grade=grade)

    assert queue_entry(client, world, call_id)["timer"] == timer


def test_a_signed_out_person_opening_a_console_page_is_sent_to_sign_in_and_back(
    client: TestClient, world: World
) -> None:
    client.cookies.clear()

    answer = client.get("/queue", headers={"Accept": "text/html"}, follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/queue"


@pytest.mark.postgres_only
def test_two_specialists_claiming_at_the_same_moment_leave_exactly_one_owner(
    pg_db: Database,
) -> None:
    world = build_world(pg_db)
    call_id = cw.da_call(pg_db, world)
    second = cw.another_specialist(pg_db, world)
    actors = [
        cw.actor_for(world, "WMP", Role.DA_SPECIALIST),
        cw.actor_for(world, "WMP", Role.DA_SPECIALIST, user_id=second),
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(actor: object) -> None:
        with pg_db.unit_of_work() as uow:
            call = calls.find_call(uow.session, force_id=world.forces["WMP"], call_id=call_id)
            service.review_for(uow.session, call_id=call_id)  # both read the unclaimed review
            barrier.wait(timeout=10)
            try:
                service.claim(uow.session, call=call, actor=actor)  # type: ignore[arg-type]
                uow.commit()
                outcomes.append("won")
            except (errors.Conflict, StaleDataError):
                outcomes.append("lost")

    threads = [threading.Thread(target=claim, args=(a,)) for a in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["lost", "won"]
