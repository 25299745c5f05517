"""The orders pages through the ASGI app: register, order, breaches and outcomes, on both
databases. Readers who do not manage orders are never shown a protected person's zone, device or
the service address; every view and every decision is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.orders.records import Breach, OrderDuty
from heard.web.templating import LOCAL
from tests.support import orders_pages_setup as setup
from tests.support.orders_helpers import HOME

MANAGER = Role.ORDER_MANAGER
READERS = [Role.DA_SPECIALIST, Role.SUPERVISOR, Role.ATTENDING_OFFICER]
# What would place the protected person: the zone's centre, its address and label, their device.
PLACES = (f"{HOME[0]:.5f}", f"{setup.ENTRY[0]:.5f}", "7 Ingleby Road", "Ingleby", "PHONE-1")
HTML = {"accept": "text/html"}


def page(client, world, role, path, force="WMP"):
    return world.client_for(client, force, role).get(path, headers=HTML)


def post_form(client, world, path, data, role=MANAGER):
    form = {"csrf_token": world.persona("WMP", role).csrf_token, **data}
    return world.client_for(client, "WMP", role).post(path, data=form, headers=HTML)


def local(moment: datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


def audited(db, action, record_type, record_id):
    with db.unit_of_work() as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry.reason).where(
                    AuditEntry.action == action,
                    AuditEntry.record_type == record_type,
                    AuditEntry.record_id == str(record_id),
                )
            )
        )


def test_the_register_lists_the_forces_orders_with_expiry_and_overdue_duties_flagged(
    client, world, db
):
    mine = setup.order(db, world)
    late = setup.order(db, world, made_at="2026-01-05T10:00:00Z")
    theirs_before = page(client, world, MANAGER, "/orders", force="NMP").text
    response = page(client, world, MANAGER, "/orders")
    assert response.status_code == 200
    row = response.text.split(f'data-order-id="{mine.id}"')[1].split("</tr>")[0]
    assert "DAPO" in row and "Active" in row and "no maximum" in row and "not served" in row
    late_row = response.text.split(f'data-order-id="{late.id}"')[1].split("</tr>")[0]
    assert "overdue duty" in late_row, "the notification duty of January is long overdue"
    assert f"Order {mine.id}<" not in theirs_before, "another force's register does not list it"
    with db.unit_of_work() as uow:
        reasons = uow.session.scalars(
            select(AuditEntry.reason).where(AuditEntry.action == "order.list")
        )
        assert "order register page" in set(reasons)


def test_the_register_filters_by_status_and_type_and_refuses_an_unknown_filter(client, world, db):
    dapo = setup.order(db, world)
    dvpo = setup.order(db, world, order_type="dvpo", expires_at="2026-12-20T14:00:00Z")
    only_dvpo = page(client, world, MANAGER, "/orders?status=active&order_type=dvpo").text
    assert f'data-order-id="{dvpo.id}"' in only_dvpo
    assert f'data-order-id="{dapo.id}"' not in only_dvpo
    assert "20 Dec 2026" in only_dvpo, "a DVPO shows its expiry"
    assert f'data-order-id="{dapo.id}"' in page(client, world, MANAGER, "/orders?status=").text
    wrong = page(client, world, MANAGER, "/orders?status=lapsed")
    assert wrong.status_code == 422 and "lapsed" in wrong.text and "discharged" in wrong.text


def test_the_order_manager_sees_zones_in_words_with_where_they_are(client, world, db):
    made = setup.order(db, world)
    response = page(client, world, MANAGER, f"/orders/{made.id}")
    assert response.status_code == 200
    text = response.text
    assert "Ingleby Road and the streets around it: within 200 m of 7 Ingleby Road" in text
    assert f"{HOME[0]:.5f}" in text and "PHONE-1" in text
    assert "No contact: direct, indirect, online" in text
    assert "Subject to notify name and address" in text, "the DAPO's s41 clock is shown"
    assert "Subject: <strong>Other Person" in text


@pytest.mark.parametrize("role", READERS)
def test_a_reader_who_does_not_manage_orders_never_sees_a_protected_persons_location(
    client, world, db, role
):
    made, breach = setup.zone_breach(db, world)
    order_page = page(client, world, role, f"/orders/{made.id}")
    breach_page = page(client, world, role, f"/breaches/{breach.id}")
    listing = page(client, world, role, "/breaches")
    register = page(client, world, role, "/orders")
    for response in (order_page, breach_page, listing, register):
        assert response.status_code == 200
        assert not [p for p in PLACES if p in response.text], response.url
    assert "restricted to order managers" in order_page.text
    assert "restricted to order managers" in breach_page.text
    assert "evidence.pdf" not in breach_page.text and 'action="/breaches' not in breach_page.text
    manager_view = page(client, world, MANAGER, f"/breaches/{breach.id}").text
    assert all(p in manager_view for p in PLACES[:3]), "the manager's page has them (can fail)"


def test_every_view_of_an_order_or_a_breach_page_is_audited(client, world, db):
    made, breach = setup.zone_breach(db, world)
    page(client, world, Role.ATTENDING_OFFICER, f"/orders/{made.id}")
    page(client, world, MANAGER, f"/breaches/{breach.id}")
    assert audited(db, "order.view", "order", made.id) == ["order page"]
    assert audited(db, "breach.view", "breach", breach.id) == ["breach page"]


def test_a_notification_duty_is_recorded_as_met_through_the_form(client, world, db):
    made = setup.order(db, world)
    with db.unit_of_work() as uow:
        duty_id = uow.session.scalars(
            select(OrderDuty.id).where(OrderDuty.order_id == made.id)
        ).one()
    path = f"/orders/{made.id}/duties/{duty_id}/done"
    met_at = datetime.now(UTC) - timedelta(hours=1)
    done = post_form(client, world, path, {"version": "1", "done_at": local(met_at), "note": "ok"})
    assert done.status_code == 200 and f'id="duty-{duty_id}" data-state="done' in done.text
    assert audited(db, "order_duty.done", "order_duty", duty_id) == [None]
    again = post_form(client, world, path, {"version": "1", "done_at": local(met_at)})
    assert again.status_code == 409 and "reload" in again.text
    no_time = post_form(client, world, path, {"version": "2"})
    assert no_time.status_code == 422 and "give the time the duty was met" in no_time.text


def test_service_is_recorded_through_the_form_and_a_bad_time_is_refused_in_words(client, world, db):
    made = setup.order(db, world)
    path = f"/orders/{made.id}/service"
    served = {"version": "1", "served_by": "PC 77 Synthetic", "service_address": "2 High Street"}
    early = post_form(client, world, path, served | {"served_at": "2026-11-01T09:00"})
    assert early.status_code == 422 and "before the order was made" in early.text
    garbled = post_form(client, world, path, served | {"served_at": "yesterday"})
    assert garbled.status_code == 422 and "not a date and time" in garbled.text
    ok = post_form(client, world, path, served | {"served_at": "2026-11-28T09:30"})
    assert ok.status_code == 200 and "by PC 77 Synthetic at 2 High Street" in ok.text
    assert "28 Nov 2026 09:30" in ok.text, "the typed local time is the time recorded"


def test_a_form_without_the_csrf_token_is_refused(client, world, db):
    made = setup.order(db, world)
    manager = world.client_for(client, "WMP", MANAGER)
    manager.headers.pop("x-csrf-token")
    response = manager.post(f"/orders/{made.id}/service", data={"version": "1"}, headers=HTML)
    assert response.status_code == 403 and "CSRF" in response.text


def test_the_breach_list_puts_emergencies_first_with_their_escalation_state(client, world, db):
    _, older = setup.zone_breach(db, world, minutes_ago=40)
    _, newer = setup.zone_breach(db, world, minutes_ago=5)
    with db.transaction() as session:
        session.execute(
            update(Breach).where(Breach.id == older.id).values(escalated_at=datetime.now(UTC))
        )
    text = page(client, world, MANAGER, "/breaches").text
    assert text.index(f'data-breach-id="{older.id}"') < text.index(f'data-breach-id="{newer.id}"')
    older_row = text.split(f'data-breach-id="{older.id}"')[1].split("</tr>")[0]
    newer_row = text.split(f'data-breach-id="{newer.id}"')[1].split("</tr>")[0]
    assert "Emergency" in older_row and 'data-escalation="escalated"' in older_row
    assert 'data-escalation="escalates"' in newer_row
    other_force = page(client, world, MANAGER, "/breaches", force="NMP").text
    assert f'data-breach-id="{older.id}"' not in other_force


def test_the_manager_sees_the_evidence_and_records_attendance_arrest_and_charge(client, world, db):
    _, breach = setup.zone_breach(db, world, minutes_ago=30)
    shown = page(client, world, MANAGER, f"/breaches/{breach.id}").text
    assert f"/api/v1/breaches/{breach.id}/evidence.pdf" in shown
    assert 'id="evidence-points"' in shown and f"{setup.ENTRY[0]:.5f}" in shown
    assert "within 200 m of 7 Ingleby Road" in shown
    path = f"/breaches/{breach.id}/outcome"
    steps = [("attended", 20), ("arrested", 15), ("charged", 5)]
    for version, (status, minutes) in enumerate(steps, start=1):
        at = local(datetime.now(UTC) - timedelta(minutes=minutes))
        done = post_form(client, world, path, {"version": str(version), "status": status, "at": at})
        assert done.status_code == 200, done.text
    assert 'data-status="charged"' in done.text and 'id="outcome"' not in done.text
    with db.unit_of_work() as uow:
        saved = uow.session.get_one(Breach, breach.id)
        assert saved.attended_at and saved.arrested_at and saved.charged_at
    assert len(audited(db, "breach.outcome", "breach", breach.id)) == 3


def test_no_further_action_needs_a_written_reason_on_the_form(client, world, db):
    _, breach = setup.zone_breach(db, world)
    path = f"/breaches/{breach.id}/outcome"
    at = local(datetime.now(UTC))
    bare = post_form(client, world, path, {"version": "1", "status": "no_further_action", "at": at})
    assert bare.status_code == 422 and "written reason" in bare.text
    nothing = post_form(client, world, path, {"version": "1", "at": at})
    assert nothing.status_code == 422 and "choose what happened" in nothing.text
    reason = {"reason": "the subject was at court, as the order allows"}
    closed = post_form(
        client, world, path, {"version": "1", "status": "no_further_action", "at": at} | reason
    )
    assert closed.status_code == 200 and "at court, as the order allows" in closed.text
    stale = post_form(client, world, path, {"version": "1", "status": "attended", "at": at})
    assert stale.status_code == 409


def test_a_new_breach_reaches_the_breach_pages_live_stream(client, world, db):
    manager = world.client_for(client, "WMP", MANAGER)
    cursor = manager.get("/live/breaches").json()["cursor"]
    _, breach = setup.zone_breach(db, world)
    events = manager.get(f"/live/breaches?after={cursor}").json()["events"]
    assert [e["data"] for e in events if e["event"] == "breach"] == [{"refresh": ["breaches"]}]
    single = manager.get(f"/live/breaches?after={cursor}&view=breach").json()["events"]
    assert {"refresh": ["breach-state"]} in [e["data"] for e in single]
    other = world.client_for(client, "NMP", MANAGER).get(f"/live/breaches?after={cursor}")
    assert other.json()["events"] == [], "another force's stream carries nothing of it"
    assert breach.id
