"""The review queue through the API: list, read, accept, dismiss, trends; every step audited."""

from __future__ import annotations

from sqlalchemy import select

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from tests.support.review_rules_setup import finding

F = "/api/v1/review/findings"
NOTE = {
    "learning_note": "a promised call-back was not a risk decision",
    "who_must_act": "control room",
}


def as_reviewer(client, world, role=Role.REVIEWER):
    return world.client_for(client, "WMP", role)


def audit_actions(db, record_id=None):
    with db.transaction() as session:
        query = select(
            AuditEntry.action, AuditEntry.record_id, AuditEntry.reason, AuditEntry.details
        )
        rows = session.execute(query.where(AuditEntry.action.like("review.%")))
        return [r for r in rows if record_id is None or r.record_id == str(record_id)]


def test_a_reviewer_lists_the_forces_findings_and_the_list_is_audited(client, world, db):
    made = finding(db, world)["finding_id"]
    finding(db, world, force="NMP")
    listed = as_reviewer(client, world).get(F)
    assert listed.status_code == 200
    assert [f["id"] for f in listed.json()] == [made]
    assert listed.json()[0]["title"] == "High risk without a MARAC referral"
    [entry] = [a for a in audit_actions(db) if a.action == "review.findings.list"]
    assert entry.details["ids"] == [made]


def test_reading_one_finding_is_audited(client, world, db):
    made = finding(db, world)["finding_id"]
    assert as_reviewer(client, world).get(f"{F}/{made}").json()["status"] == "open"
    assert [a.action for a in audit_actions(db, made)] == ["review.finding.read"]


def test_accepting_records_the_learning_note_and_who_must_act(client, world, db):
    made = finding(db, world)["finding_id"]
    response = as_reviewer(client, world, Role.DA_SPECIALIST).post(f"{F}/{made}/accept", json=NOTE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "accepted" and body["who_must_act"] == "control room"
    assert body["decided_by_name"] and body["decided_at"]
    [entry] = audit_actions(db, made)
    assert entry.action == "review.finding.accept"
    assert entry.details["note"] == NOTE["learning_note"]


def test_dismissing_needs_a_reason_and_records_it(client, world, db):
    made = finding(db, world)["finding_id"]
    reviewer = as_reviewer(client, world)
    assert reviewer.post(f"{F}/{made}/dismiss", json={}).status_code == 422
    response = reviewer.post(f"{F}/{made}/dismiss", json={"reason": "referred by the IDVA service"})
    assert response.json()["dismiss_reason"] == "referred by the IDVA service"
    [entry] = audit_actions(db, made)
    assert (entry.action, entry.reason) == (
        "review.finding.dismiss",
        "referred by the IDVA service",
    )


def test_a_decided_finding_cannot_be_decided_again(client, world, db):
    made = finding(db, world)["finding_id"]
    reviewer = as_reviewer(client, world)
    assert reviewer.post(f"{F}/{made}/accept", json=NOTE).status_code == 200
    again = reviewer.post(f"{F}/{made}/dismiss", json={"reason": "changed my mind"})
    assert again.status_code == 409
    assert len(audit_actions(db, made)) == 1


def test_unknown_fields_and_an_empty_note_are_refused(client, world, db):
    made = finding(db, world)["finding_id"]
    reviewer = as_reviewer(client, world)
    assert reviewer.post(f"{F}/{made}/accept", json={**NOTE, "extra": 1}).status_code == 422
    assert (
        reviewer.post(f"{F}/{made}/accept", json={**NOTE, "learning_note": ""}).status_code == 422
    )


def test_the_list_filters_by_status_and_rule(client, world, db):
    first = finding(db, world)["finding_id"]
    second = finding(db, world)["finding_id"]
    reviewer = as_reviewer(client, world)
    reviewer.post(f"{F}/{first}/accept", json=NOTE)
    open_ones = reviewer.get(F, params={"status": "open"}).json()
    assert [f["id"] for f in open_ones] == [second]
    assert reviewer.get(F, params={"rule": "breach-no-response"}).json() == []


def test_trends_count_findings_by_rule_team_and_month(client, world, db):
    first = finding(db, world)["finding_id"]
    finding(db, world)
    reviewer = as_reviewer(client, world)
    reviewer.post(f"{F}/{first}/accept", json=NOTE)
    by_rule = reviewer.get(f"{F}/trends").json()
    assert by_rule == [
        {"key": "high-risk-no-marac", "open": 1, "accepted": 1, "dismissed": 0, "total": 2}
    ]
    teams = {
        row["key"]: row["total"]
        for row in reviewer.get(f"{F}/trends", params={"by": "team"}).json()
    }
    assert teams == {"control room": 1, "(not yet decided)": 1}
    months = reviewer.get(f"{F}/trends", params={"by": "month"}).json()
    assert [row["key"] for row in months] == ["2026-06"]
    assert reviewer.get(f"{F}/trends", params={"by": "colour"}).status_code == 422
