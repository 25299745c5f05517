"""Clocks and duties through durable jobs; breaches tracked to an outcome, escalated, exported."""

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select, update

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.jobs.models import Job
from heard.orders import clocks
from heard.orders.records import Breach
from tests.support.orders_helpers import ago, iso, order_body, people, run_jobs

MANAGER = Role.ORDER_MANAGER


def manager(client, world):
    return world.client_for(client, "WMP", MANAGER)


def new_order(client, world, db, **extra):
    subject, protected = people(db, world)
    response = manager(client, world).post(
        "/api/v1/orders", json=order_body(subject, protected, **extra)
    )
    assert response.status_code == 201, response.text
    return response.json()


def duties_of(client, world, order):
    return manager(client, world).get(f"/api/v1/orders/{order['id']}/duties").json()


def test_a_dapn_carries_its_48_hour_hearing_deadline_from_the_clocks(client, world, db):
    order = new_order(client, world, db, order_type="dapn", made_at="2026-04-02T09:00:00Z")
    (duty,) = duties_of(client, world, order)
    expected = clocks.dapn_hearing_deadline(datetime(2026, 4, 2, 9, tzinfo=UTC))
    assert duty["kind"] == "dapn_hearing"
    assert datetime.fromisoformat(duty["due_at"]) == expected
    assert expected == datetime(2026, 4, 7, 9, tzinfo=UTC), "Good Friday to Easter Monday skipped"


def test_a_dapo_made_at_the_hearing_completes_the_dapn_duty_and_ends_the_notice(client, world, db):
    notice = new_order(client, world, db, order_type="dapn", made_at=iso(ago(hours=20)))
    subject = notice["subject_record_id"]
    protected = notice["protected"][0]["person_record_id"]
    body = order_body(subject, protected, made_at=iso(ago(hours=1)), follows_order_id=notice["id"])
    assert manager(client, world).post("/api/v1/orders", json=body).status_code == 201
    (duty,) = duties_of(client, world, notice)
    assert duty["status"] == "done"
    ended = manager(client, world).get(f"/api/v1/orders/{notice['id']}").json()
    assert ended["status"] == "expired"


def test_an_overdue_notification_duty_alerts_the_order_manager_and_records_a_breach(
    client, world, db
):
    order = new_order(client, world, db, made_at=iso(ago(days=5)))
    assert run_jobs(db) >= 1
    (duty,) = duties_of(client, world, order)
    assert duty["kind"] == "notification_initial" and duty["status"] == "overdue"
    alerts = manager(client, world).get("/api/v1/order-alerts").json()
    assert [a["kind"] for a in alerts] == ["duty_overdue"]
    breaches = manager(client, world).get(f"/api/v1/breaches?order_id={order['id']}").json()
    assert [(b["kind"], b["grade"]) for b in breaches] == [("notification", "priority")]


def test_a_duty_done_in_time_raises_nothing_when_its_deadline_comes(client, world, db):
    order = new_order(client, world, db, made_at=iso(ago(hours=2)))
    (duty,) = duties_of(client, world, order)
    done = manager(client, world).post(
        f"/api/v1/order-duties/{duty['id']}/done",
        json={"version": duty["version"], "done_at": iso(ago(hours=1)), "note": "at the desk"},
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    with db.transaction() as session:  # the deadline arrives
        session.execute(update(Job).values(run_after=ago(seconds=1)))
    run_jobs(db)
    assert manager(client, world).get("/api/v1/order-alerts").json() == []


def test_a_change_of_address_starts_a_new_three_day_notification_duty(client, world, db):
    order = new_order(client, world, db)
    response = manager(client, world).post(
        f"/api/v1/orders/{order['id']}/notification-changes",
        json={"event": "address_change", "occurred_at": "2026-11-27T15:00:00Z"},
    )
    assert response.status_code == 201
    assert response.json()["due_at"].startswith("2026-11-30T00:00:00")
    assert "change of home address" in response.json()["trigger"]


def test_a_missed_programme_appointment_reported_by_the_supervisor_is_a_compliance_alert(
    client, world, db
):
    subject, protected = people(db, world)
    body = order_body(subject, protected)
    body["conditions"]["positive_requirements"] = [
        {
            "kind": "programme",
            "description": "domestic abuse perpetrator programme",
            "supervisor": "Synthetic Programme Lead",
            "due_dates": ["2026-12-07T10:00:00Z", "2026-12-14T10:00:00Z"],
        }
    ]
    order = manager(client, world).post("/api/v1/orders", json=body).json()
    path = f"/api/v1/orders/{order['id']}/compliance-reports"
    report = {"requirement_id": "req-1", "supervisor": "Synthetic Programme Lead"}
    kept = manager(client, world).post(
        path, json=report | {"appointment_at": "2026-12-07T10:00:00Z", "attended": True}
    )
    missed = manager(client, world).post(
        path, json=report | {"appointment_at": "2026-12-14T10:00:00Z", "attended": False}
    )
    assert (kept.status_code, missed.status_code) == (201, 201)
    statuses = [d["status"] for d in duties_of(client, world, order) if d["requirement_id"]]
    assert statuses == ["done", "overdue"]
    alerts = manager(client, world).get("/api/v1/order-alerts").json()
    assert [a["kind"] for a in alerts] == ["compliance"]
    unknown = manager(client, world).post(
        path,
        json=report | {"requirement_id": "req-9", "appointment_at": iso(ago()), "attended": False},
    )
    assert unknown.status_code == 422


def report_breach(client, world, order, **extra):
    response = manager(client, world).post(
        f"/api/v1/orders/{order['id']}/breaches",
        json={"occurred_at": iso(ago(minutes=30)), "description": "seen at the door"} | extra,
    )
    assert response.status_code == 201, response.text
    return response.json()


def outcome(client, world, breach, version, status, **extra):
    return manager(client, world).post(
        f"/api/v1/breaches/{breach['id']}/outcome",
        json={"version": version, "status": status, "at": iso(ago(minutes=5))} | extra,
    )


def test_a_breach_is_tracked_from_alert_through_arrest_to_charge(client, world, db):
    order = new_order(client, world, db)
    breach = report_breach(client, world, order)
    assert breach["grade"] == "emergency" and breach["status"] == "open"
    attended = outcome(client, world, breach, 1, "attended")
    arrested = outcome(client, world, breach, 2, "arrested")
    charged = outcome(client, world, breach, 3, "charged")
    assert [r.status_code for r in (attended, arrested, charged)] == [200, 200, 200]
    assert charged.json()["status"] == "charged" and charged.json()["closed_at"]
    stats = manager(client, world).get("/api/v1/breaches/stats").json()
    assert stats["by_status"] == {"charged": 1} and stats["arrest_rate"] == 1.0
    assert stats["alert_to_arrest_minutes"]["count"] == 1


def test_no_further_action_needs_a_written_reason_and_ends_the_breach(client, world, db):
    breach = report_breach(client, world, new_order(client, world, db))
    assert outcome(client, world, breach, 1, "no_further_action").status_code == 422
    closed = outcome(client, world, breach, 1, "no_further_action", reason="contact was by court")
    assert closed.status_code == 200 and closed.json()["nfa_reason"] == "contact was by court"
    assert outcome(client, world, breach, 2, "arrested").status_code == 409
    assert outcome(client, world, breach, 1, "attended").status_code == 409, "stale version"


def test_arrest_for_breaching_a_dapn_starts_the_24_hour_court_clock(client, world, db):
    notice = new_order(client, world, db, order_type="dapn", made_at=iso(ago(hours=3)))
    breach = report_breach(client, world, notice)
    assert outcome(client, world, breach, 1, "arrested").status_code == 200
    kinds = {d["kind"] for d in duties_of(client, world, notice)}
    assert kinds == {"dapn_hearing", "dapn_breach_court"}


def test_a_breach_nobody_attends_escalates_after_the_configured_time(client, world, db):
    settings = {"live_lateness_s": 1, "escalate_after_minutes": 5, "warmup_minutes": 20}
    assert (
        manager(client, world).put("/api/v1/monitoring/settings", json=settings).status_code == 200
    )
    order = new_order(client, world, db)
    waiting = report_breach(client, world, order)
    attended = report_breach(client, world, order)
    outcome(client, world, attended, 1, "attended")
    with db.unit_of_work() as uow:
        due = uow.session.scalars(select(Job.run_after).where(Job.kind == "orders.breach_escalate"))
        raised = datetime.fromisoformat(waiting["raised_at"])
        assert {round((d - raised).total_seconds() / 60) for d in due} == {5}
    with db.transaction() as session:
        session.execute(update(Job).values(run_after=ago(seconds=1)))
    run_jobs(db)
    alerts = manager(client, world).get("/api/v1/order-alerts").json()
    escalated = [a for a in alerts if a["kind"] == "breach_escalated"]
    assert [a["breach_id"] for a in escalated] == [waiting["id"]]


def test_breach_evidence_exports_as_a_pdf_whose_hash_is_recorded(client, world, db):
    breach = report_breach(client, world, new_order(client, world, db))
    response = manager(client, world).get(f"/api/v1/breaches/{breach['id']}/evidence.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    digest = hashlib.sha256(response.content).hexdigest()
    assert response.headers["x-content-sha256"] == digest
    with db.unit_of_work() as uow:
        details = uow.session.scalar(
            select(AuditEntry.details).where(AuditEntry.action == "breach.evidence_export")
        )
    assert details["pdf_sha256"] == digest
    assert details["content_sha256"] == response.headers["x-evidence-sha256"]


def test_staff_who_do_not_manage_orders_see_breaches_without_any_location(client, world, db):
    order = new_order(client, world, db)
    breach = report_breach(client, world, order)
    with db.transaction() as session:
        session.execute(
            update(Breach)
            .where(Breach.id == breach["id"])
            .values(evidence={"zone": {"lat": 54.5742}, "opening_point": {"lat": 54.5742}})
        )
    officer = world.client_for(client, "WMP", Role.ATTENDING_OFFICER)
    seen = officer.get(f"/api/v1/breaches/{breach['id']}")
    assert seen.status_code == 200 and "54.5742" not in seen.text
    assert "54.5742" in manager(client, world).get(f"/api/v1/breaches/{breach['id']}").text
