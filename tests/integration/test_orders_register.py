"""The order register through the API: every type, parties, history, status machine, versions."""

import json

import pytest
from sqlalchemy import func, select

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.jobs.models import Job
from heard.orders.records import DutyKind
from tests.support.orders_helpers import HOME, order_body, people

MANAGER = Role.ORDER_MANAGER


def create(client, world, body, force="WMP"):
    return world.client_for(client, force, MANAGER).post("/api/v1/orders", json=body)


def test_an_order_manager_records_a_dapo_with_its_parties_court_and_conditions(client, world, db):
    subject, protected = people(db, world)
    response = create(client, world, order_body(subject, protected))
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "active" and order["version"] == 1
    assert order["expires_at"] is None, "a DAPO has no maximum duration"
    assert order["protected"] == [
        {"person_record_id": protected, "party": "protected_person", "device_id": "PHONE-1"}
    ]
    assert order["conditions"]["exclusion_zones"][0]["radius_m"] == 200
    assert order["conditions"]["electronic_monitoring"]["no_signal_minutes"] == 15


@pytest.mark.parametrize(
    ("order_type", "extra"),
    [
        ("dapn", {}),
        ("dvpn", {}),
        ("dvpo", {"expires_at": "2026-12-20T14:00:00Z"}),
        ("non_molestation", {"applicant_type": "victim"}),
        ("occupation", {"applicant_type": "court_family"}),
        ("restraining", {"basis": "acquittal", "applicant_type": "court_criminal"}),
        ("stalking_protection", {"basis": "interim"}),
        ("bail_conditions", {"issued_by": "Custody sergeant"}),
        ("dapo", {"applicant_type": "third_party", "applicant_name": "Synthetic Borough"}),
    ],
)
def test_every_type_of_order_and_applicant_can_be_recorded(client, world, db, order_type, extra):
    subject, protected = people(db, world)
    body = order_body(subject, protected, order_type=order_type, **extra)
    response = create(client, world, body)
    assert response.status_code == 201, response.text
    assert response.json()["order_type"] == order_type


def test_an_order_missing_what_its_type_needs_is_refused_with_the_field_named(client, world, db):
    subject, protected = people(db, world)
    no_basis = create(client, world, order_body(subject, protected, order_type="restraining"))
    assert no_basis.status_code == 422 and "basis" in no_basis.json()["detail"]
    unnamed = create(client, world, order_body(subject, protected, applicant_type="third_party"))
    assert unnamed.status_code == 422 and "applicant_name" in unnamed.json()["detail"]
    body = order_body(subject, protected)
    body["conditions"]["exclusion_zones"] = [
        {"kind": "polygon", "coords": [[54.5, -1.2], [54.5, -1.2], [54.6, -1.2]]}
    ]
    flat = create(client, world, body)
    assert flat.status_code == 422 and "polygon" in flat.json()["detail"]


def test_a_person_from_another_force_cannot_be_put_on_an_order(client, world, db):
    subject, protected = people(db, world)
    response = create(client, world, order_body(subject, protected), force="NMP")
    assert response.status_code == 404


def test_an_update_with_a_stale_version_is_refused_as_a_conflict(client, world, db):
    subject, protected = people(db, world)
    order = create(client, world, order_body(subject, protected)).json()
    manager = world.client_for(client, "WMP", MANAGER)
    first = manager.patch(
        f"/api/v1/orders/{order['id']}", json={"version": 1, "issued_by": "Family court"}
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = manager.patch(
        f"/api/v1/orders/{order['id']}", json={"version": 1, "issued_by": "Crown court"}
    )
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]


def test_changing_conditions_of_an_order_in_force_is_a_variation_with_court_and_reason(
    client, world, db
):
    subject, protected = people(db, world)
    order = create(client, world, order_body(subject, protected)).json()
    manager = world.client_for(client, "WMP", MANAGER)
    conditions = dict(order["conditions"], curfews=[])
    conditions["exclusion_zones"][0]["radius_m"] = 400
    path = f"/api/v1/orders/{order['id']}"
    bare = manager.patch(path, json={"version": 1, "conditions": conditions})
    assert bare.status_code == 422 and "variation" in bare.json()["detail"]
    varied = manager.patch(
        path,
        json={
            "version": 1,
            "conditions": conditions,
            "court": "Teesside Magistrates' Court",
            "reason": "the protected person moved within the area",
        },
    )
    assert varied.status_code == 200
    assert varied.json()["conditions"]["exclusion_zones"][0]["radius_m"] == 400
    kinds = [e["kind"] for e in manager.get(f"{path}/history").json()]
    assert kinds == ["created", "varied"]


def test_the_status_machine_allows_discharge_with_a_reason_and_refuses_the_impossible(
    client, world, db
):
    subject, protected = people(db, world)
    order = create(client, world, order_body(subject, protected)).json()
    manager = world.client_for(client, "WMP", MANAGER)
    path = f"/api/v1/orders/{order['id']}/status"
    assert manager.post(path, json={"version": 1, "status": "discharged"}).status_code == 422
    done = manager.post(
        path, json={"version": 1, "status": "discharged", "reason": "varied on application"}
    )
    assert done.status_code == 200 and done.json()["status"] == "discharged"
    again = manager.post(path, json={"version": 2, "status": "expired"})
    assert again.status_code == 409
    duties = manager.get(f"/api/v1/orders/{order['id']}/duties").json()
    assert {d["status"] for d in duties} == {"cancelled"}


def test_an_appeal_allowed_against_a_discharge_puts_the_order_back_in_force(client, world, db):
    subject, protected = people(db, world)
    order = create(client, world, order_body(subject, protected)).json()
    manager = world.client_for(client, "WMP", MANAGER)
    base = f"/api/v1/orders/{order['id']}"
    discharge = {"version": 1, "status": "discharged", "reason": "r", "at": "2026-11-28T10:00:00Z"}
    manager.post(f"{base}/status", json=discharge)
    appeal = {"at": "2026-11-29T10:00:00Z", "court": "Crown court"}
    lodged = manager.post(f"{base}/appeals", json={"version": 2, "event": "lodged", **appeal})
    assert lodged.status_code == 200 and lodged.json()["status"] == "discharged"
    allowed = manager.post(f"{base}/appeals", json={"version": 3, "event": "allowed", **appeal})
    assert allowed.status_code == 200 and allowed.json()["status"] == "active"
    kinds = [e["kind"] for e in manager.get(f"{base}/history").json()]
    assert kinds[-2:] == ["appeal_lodged", "appeal_allowed"]


def test_an_application_is_granted_later_and_only_then_starts_its_duties(client, world, db):
    subject, protected = people(db, world)
    body = order_body(subject, protected, status="applied")
    order = create(client, world, body).json()
    manager = world.client_for(client, "WMP", MANAGER)
    base = f"/api/v1/orders/{order['id']}"
    assert manager.get(f"{base}/duties").json() == []
    granted = manager.post(
        f"{base}/status", json={"version": 1, "status": "active", "at": "2026-11-28T10:00:00Z"}
    )
    assert granted.status_code == 200 and granted.json()["made_at"].startswith("2026-11-28")
    kinds = {d["kind"] for d in manager.get(f"{base}/duties").json()}
    assert kinds == {DutyKind.NOTIFICATION_INITIAL.value}


def test_service_records_who_served_the_order_when_and_where(client, world, db):
    subject, protected = people(db, world)
    order = create(client, world, order_body(subject, protected)).json()
    manager = world.client_for(client, "WMP", MANAGER)
    served = manager.post(
        f"/api/v1/orders/{order['id']}/service",
        json={
            "version": 1,
            "served_at": "2026-11-27T18:30:00Z",
            "served_by": "PC 1234 Synthetic",
            "service_address": "12 Example Street",
        },
    )
    assert served.status_code == 200
    assert served.json()["served_by"] == "PC 1234 Synthetic"


def _coordinates_in(payload) -> bool:
    text = json.dumps(payload)
    return str(HOME[0]) in text or "PHONE-1" in text or "Ingleby" in text


@pytest.mark.parametrize("role", [Role.DA_SPECIALIST, Role.SUPERVISOR, Role.ATTENDING_OFFICER])
def test_readers_who_do_not_manage_orders_never_see_a_protected_persons_zone_or_device(
    client, world, db, role
):
    subject, protected = people(db, world)
    order = create(client, world, order_body(subject, protected)).json()
    assert _coordinates_in(order), "the manager's view carries the zone (the test can fail)"
    reader = world.client_for(client, "WMP", role)
    single = reader.get(f"/api/v1/orders/{order['id']}")
    listed = reader.get("/api/v1/orders")
    assert single.status_code == 200 and listed.status_code == 200
    assert not _coordinates_in(single.json()) and not _coordinates_in(listed.json())
    zone = single.json()["conditions"]["exclusion_zones"][0]
    assert zone == {"zone_id": "home", "kind": "circle", "location": "restricted to order managers"}
    assert "service_address" not in single.json()


def test_the_copy_served_on_the_subject_names_requirements_but_no_protected_location(
    client, world, db
):
    subject, protected = people(db, world)
    body = order_body(subject, protected)
    body["conditions"]["exclusion_zones"][0]["label"] = "the streets round the family home"
    order = create(client, world, body).json()
    copy = world.client_for(client, "WMP", MANAGER).get(
        f"/api/v1/orders/{order['id']}/subject-copy"
    )
    assert copy.status_code == 200
    requirements = copy.json()["requirements"]
    assert requirements["keep_away_m"] == 500
    assert requirements["exclusion_zones"][0]["description"] == "the streets round the family home"
    assert not _coordinates_in(copy.json())


def test_every_read_of_an_order_is_audited(client, world, db):
    subject, protected = people(db, world)
    order = create(client, world, order_body(subject, protected)).json()
    reader = world.client_for(client, "WMP", Role.ATTENDING_OFFICER)
    reader.get(f"/api/v1/orders/{order['id']}")
    reader.get(f"/api/v1/orders/{order['id']}/history")
    with db.unit_of_work() as uow:
        actions = list(
            uow.session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.record_type == "order", AuditEntry.record_id == str(order["id"])
                )
            )
        )
    assert actions == ["order.create", "order.view", "order.history"]


def test_creating_an_order_enqueues_each_duty_job_in_the_same_transaction(client, world, db):
    subject, protected = people(db, world)
    create(client, world, order_body(subject, protected, order_type="dapn"))
    with db.unit_of_work() as uow:
        jobs = uow.session.scalar(
            select(func.count()).select_from(Job).where(Job.kind == "orders.duty_due")
        )
    assert jobs == 1
