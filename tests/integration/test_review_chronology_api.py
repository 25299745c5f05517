"""Chronology export: JSON, HTML and PDF of a person or a pair, each audited with its reason."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from heard.audit.models import AuditEntry
from heard.audit.service import system_actor
from heard.auth.models import Force
from heard.auth.permissions import Role
from heard.review.findings.sweep import sweep_force
from tests.support import review_rules_setup as setup

WHY = {"reason": "domestic homicide review, panel request 12"}


def exporter(client, world):
    return world.client_for(client, "WMP", Role.REVIEWER)


def story(db, world):
    """A victim harmed by two suspects; the first call carries a sign never acknowledged."""
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        victim = setup.person(session, force_id, "Amira Haddad")
        first = setup.person(session, force_id, "Daniel Kowalski")
        second = setup.person(session, force_id, "Owen Price")
        incidents, calls = [], []
        for k in range(3):
            incident, call = setup.da_incident(
                session, force_id, setup.T0 + timedelta(days=k), victim, first
            )
            incidents.append(incident.id)
            calls.append(call)
        setup.warning_sign(session, force_id, calls[0], setup.T0 + timedelta(minutes=1))
        other, _ = setup.da_incident(
            session, force_id, setup.T0 + timedelta(days=20), victim, second, arrest=True
        )
        target = session.get_one(Force, force_id)
        sweep_force(
            session, force=target, as_of=setup.T0 + timedelta(days=90), actor=system_actor(force_id)
        )
    return victim.subject_id, first.subject_id, incidents, other.id


def exports(db):
    with db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == "review.chronology.export")
        return [(e.record_id, e.reason, e.details) for e in session.scalars(query)]


def test_a_victims_chronology_lists_her_records_and_findings_in_time_order(client, world, db):
    victim, _, incidents, other = story(db, world)
    response = exporter(client, world).get(f"/api/v1/review/chronology/{victim}", params=WHY)
    assert response.status_code == 200, response.text
    entries = response.json()
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    records = {e["record"] for e in entries}
    assert {f"incident:{i}" for i in (*incidents, other)} <= records
    kinds = {e["kind"] for e in entries}
    assert {"incident", "call", "warning sign", "finding"} <= kinds
    summaries = " ".join(e["summary"] for e in entries if e["kind"] == "finding")
    assert "repeat-da-no-positive-action" in summaries
    [(record_id, reason, details)] = exports(db)
    assert (record_id, reason) == (str(victim), WHY["reason"])
    assert details["format"] == "json" and details["entries"] == len(entries)


def test_a_pair_chronology_leaves_out_the_victims_other_suspect(client, world, db):
    victim, suspect, incidents, other = story(db, world)
    response = exporter(client, world).get(
        f"/api/v1/review/chronology/{victim}", params={**WHY, "suspect_subject_id": suspect}
    )
    records = {e["record"] for e in response.json()}
    assert f"incident:{incidents[0]}" in records and f"incident:{other}" not in records


def test_the_html_export_names_the_people_and_records_why(client, world, db):
    victim, *_ = story(db, world)
    response = exporter(client, world).get(f"/api/v1/review/chronology/{victim}.html", params=WHY)
    assert response.status_code == 200
    assert "Amira Haddad" in response.text and WHY["reason"] in response.text
    assert exports(db)[0][2]["format"] == "html"


def test_the_pdf_export_is_a_pdf_and_is_audited(client, world, db):
    victim, *_ = story(db, world)
    response = exporter(client, world).get(f"/api/v1/review/chronology/{victim}.pdf", params=WHY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert exports(db)[0][2]["format"] == "pdf"


def test_an_export_without_a_reason_is_refused_and_not_audited(client, world, db):
    victim, *_ = story(db, world)
    response = exporter(client, world).get(f"/api/v1/review/chronology/{victim}")
    assert response.status_code == 422
    assert exports(db) == []


def test_a_suspect_of_another_force_is_not_found(client, world, db):
    victim, *_ = story(db, world)
    other = setup.repeat_calls(db, world, force="NMP")["suspect_subject_id"]
    response = exporter(client, world).get(
        f"/api/v1/review/chronology/{victim}", params={**WHY, "suspect_subject_id": other}
    )
    assert response.status_code == 404
