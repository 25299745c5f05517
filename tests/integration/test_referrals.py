"""Referrals through the API: consent, delivery by file drop, a real local SMTP server and a real
local HTTP server, retries, overdue escalation, Operation Encompass, and what the suspect's side
may never receive."""

from __future__ import annotations

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from heard.app import build_job_registry
from heard.auth.permissions import Role
from heard.clock import utcnow
from heard.jobs.models import Job, JobStatus
from heard.jobs.worker import Worker
from heard.referrals.models import DeliveryMethod, Referral, ReferralEscalation, SupportService
from tests.conftest import test_settings
from tests.support import risk_setup


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def settings(database_url, tmp_path, smtp):
    controller, _ = smtp
    return test_settings(
        database_url,
        referral_outbox_dir=tmp_path / "outbox",
        smtp_port=controller.port,
        smtp_starttls=False,
        delivery_timeout_seconds=5,
    )


def specialist(client, world, force="WMP"):
    return world.client_for(client, force, Role.DA_SPECIALIST)


def run_jobs(db, settings):
    worker = Worker(db, build_job_registry(settings), lease_seconds=30)
    while worker.run_once():
        pass


def refer(api, ids, call, kind="idva", subject="victim_record_id", consent="consent", **extra):
    body = {
        "service_id": ids[kind],
        "subject_record_id": call[subject],
        "incident_id": call["incident_id"],
        "consent": consent,
        "reason": "support after tonight's incident",
        **extra,
    }
    return api.post("/api/v1/referrals", json=body)


def set_delivery(db, service_id, method, address):
    with db.transaction() as session:
        session.execute(
            update(SupportService)
            .where(SupportService.id == service_id)
            .values(delivery_method=method, delivery_address=address)
        )


def test_a_referral_with_consent_is_dropped_as_a_file_and_marked_delivered(
    client, world, db, settings
):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    made = refer(specialist(client, world), ids, call)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "pending" and made.json()["consent"] == "consent"
    run_jobs(db, settings)
    out = specialist(client, world).get(f"/api/v1/referrals/{made.json()['id']}").json()
    assert out["status"] == "delivered" and out["attempts"] == 1
    dropped = settings.referral_outbox_dir / "wmp-idva" / f"referral-{out['id']}.html"
    assert "Harbour IDVA Service" in dropped.read_text()
    assert not list(dropped.parent.glob(".partial-*")), "no half-written file is left behind"


def test_declined_consent_is_recorded_and_nothing_is_sent(client, world, db, settings):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    made = refer(specialist(client, world), ids, call, consent="declined").json()
    assert made["status"] == "not_sent"
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(Job.id).where(Job.kind == "referral.deliver")) is None


def test_referring_without_consent_needs_an_assessed_high_risk_and_a_reason(client, world, db):
    ids = risk_setup.seed_directory(db, world)
    api = specialist(client, world)
    standard = risk_setup.submitted(db, world, yes=2)
    refused = refer(api, ids, standard, consent="no_consent_high_risk", consent_note="at risk")
    assert refused.status_code == 422 and "is standard" in refused.json()["detail"]
    high = risk_setup.submitted(db, world, yes=14)
    no_note = refer(api, ids, high, consent="no_consent_high_risk")
    assert no_note.status_code == 422 and "consent_note" in no_note.json()["detail"]
    made = refer(api, ids, high, consent="no_consent_high_risk", consent_note="threats to kill")
    assert made.status_code == 201 and made.json()["contents"]["risk_level"] == "high"


def test_secure_email_reaches_a_real_smtp_server_with_the_referral_attached(
    client, world, db, settings, smtp
):
    _, inbox = smtp
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    set_delivery(db, ids["refuge"], DeliveryMethod.SECURE_EMAIL, "referrals@refuge.invalid")
    made = refer(specialist(client, world), ids, call, kind="refuge").json()
    run_jobs(db, settings)
    assert [m.rcpt_tos for m in inbox.messages] == [["referrals@refuge.invalid"]]
    assert b"Lantern House Refuge" in inbox.messages[0].content or b"referral-" in (
        inbox.messages[0].content
    )
    out = specialist(client, world).get(f"/api/v1/referrals/{made['id']}").json()
    assert out["status"] == "delivered" and out["delivery_ref"].startswith("<referral-")


class _Receiver(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        status = self.answers.pop(0) if self.answers else 201
        if status < 300:
            self.received.append(body)
        self.send_response(status)
        self.send_header("location", "/received/1")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.answers, _Receiver.received = [503], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/referrals"
    finally:
        server.shutdown()
        server.server_close()


def test_an_https_api_receiver_that_is_down_is_retried_until_it_takes_the_referral(
    client, world, db, settings, receiver
):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    set_delivery(db, ids["lgbt_plus"], DeliveryMethod.HTTPS_API, receiver)
    made = refer(specialist(client, world), ids, call, kind="lgbt_plus").json()
    run_jobs(db, settings)
    with db.transaction() as session:
        job = session.scalar(select(Job).where(Job.kind == "referral.deliver"))
        assert job.status is JobStatus.QUEUED and "503" in job.last_error
        job.run_after = utcnow()  # the back-off has passed
    run_jobs(db, settings)
    out = specialist(client, world).get(f"/api/v1/referrals/{made['id']}").json()
    assert out["status"] == "delivered" and out["delivery_ref"] == "/received/1"
    assert _Receiver.received[0]["document_name"] == f"referral-{made['id']}.html"


def test_sftp_is_refused_as_a_failure_a_person_must_act_on(client, world, db, settings):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    set_delivery(db, ids["refuge"], DeliveryMethod.SFTP, "sftp://refuge.invalid/in")
    made = refer(specialist(client, world), ids, call, kind="refuge").json()
    run_jobs(db, settings)
    out = specialist(client, world).get(f"/api/v1/referrals/{made['id']}").json()
    assert out["status"] == "failed" and "SFTP" in out["last_error"]
    retried = specialist(client, world).post(
        f"/api/v1/referrals/{made['id']}/status", json={"status": "pending", "note": "fixed"}
    )
    assert retried.json()["status"] == "pending"


def test_an_overdue_referral_is_escalated_to_the_supervisor_once(client, world, db, settings):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    set_delivery(db, ids["refuge"], DeliveryMethod.SFTP, "sftp://refuge.invalid/in")
    made = refer(specialist(client, world), ids, call, kind="refuge").json()
    with db.transaction() as session:
        session.execute(
            update(Referral).where(Referral.id == made["id"]).values(due_at=utcnow() - timedelta(1))
        )
        session.execute(
            update(Job).where(Job.kind == "referral.overdue").values(run_after=utcnow())
        )
    run_jobs(db, settings)
    supervisor = world.client_for(client, "WMP", Role.SUPERVISOR)
    open_ones = supervisor.get("/api/v1/referrals/escalations").json()
    assert [e["referral_id"] for e in open_ones] == [made["id"]]
    overdue = supervisor.get("/api/v1/referrals", params={"overdue": True}).json()
    assert [r["id"] for r in overdue] == [made["id"]]
    ack = supervisor.post(
        f"/api/v1/referrals/escalations/{open_ones[0]['id']}/acknowledge",
        json={"note": "phoned the refuge"},
    )
    assert ack.status_code == 200 and supervisor.get("/api/v1/referrals/escalations").json() == []
    with db.unit_of_work() as uow:
        assert len(list(uow.session.scalars(select(ReferralEscalation)))) == 1


def test_a_perpetrator_programme_never_receives_the_victims_whereabouts(client, world, db):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    api = specialist(client, world)
    victim_side = refer(api, ids, call, kind="perpetrator_programme")
    assert victim_side.status_code == 422, "only the suspect is referred to a perpetrator programme"
    made = refer(api, ids, call, kind="perpetrator_programme", subject="suspect_record_id")
    assert made.status_code == 201, made.text
    contents = made.json()["contents"]
    assert set(contents) == {"person", "date_of_birth", "police_reference", "reason", "service"}
    document = api.get(f"/api/v1/referrals/{made.json()['id']}/document").text
    for secret in ("Ingleby", "TS24", "07700", "IDVA", "MARAC", "Amira"):
        assert secret not in document
    leaky = refer(
        api,
        ids,
        call,
        kind="perpetrator_programme",
        subject="suspect_record_id",
        reason="victim now living at 7 Ingleby Road",
    )
    assert leaky.status_code == 409 and "where the victim is" in leaky.json()["detail"]


def test_a_victim_service_cannot_be_sent_the_suspect(client, world, db):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    response = refer(specialist(client, world), ids, call, subject="suspect_record_id")
    assert response.status_code == 422


def test_another_forces_referrals_are_not_listed(client, world, db):
    ids, call = risk_setup.seed_directory(db, world), risk_setup.da_call(db, world)
    made = refer(specialist(client, world), ids, call).json()
    theirs = specialist(client, world, "NMP").get("/api/v1/referrals").json()
    assert made["id"] not in {r["id"] for r in theirs}
    assert specialist(client, world, "NMP").get("/api/v1/referrals/services").json() == []
