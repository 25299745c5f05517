"""The review queue and statistics pages through the app: filters, decisions, audit, errors."""

from __future__ import annotations

from sqlalchemy import select

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.rules.case import Severity
from tests.support import metrics_setup
from tests.support.review_rules_setup import finding

Q = "/review/findings"
HTML = {"accept": "text/html"}


def audited(db, action):
    with db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(query))


def stored(db, finding_id):
    with db.transaction() as session:
        return session.get_one(MissedOpportunity, finding_id)


def reviewer(client, world):
    return world.client_for(client, "WMP", Role.REVIEWER)


def test_the_queue_shows_open_findings_of_the_force_and_audits_the_list(client, world, db):
    mine = finding(db, world)["finding_id"]
    theirs = finding(db, world, force="NMP")["finding_id"]
    page = reviewer(client, world).get(Q, headers=HTML)
    assert page.status_code == 200
    assert f'id="finding-{mine}"' in page.text and f'id="finding-{theirs}"' not in page.text
    assert "High risk without a MARAC referral" in page.text
    [entry] = audited(db, "review.findings.list")
    assert entry.details["ids"] == [mine] and entry.role == "reviewer"


def test_the_queue_filters_by_rule_severity_and_status(client, world, db):
    made = finding(db, world)["finding_id"]
    browser = reviewer(client, world)
    assert f"finding-{made}" in browser.get(Q, params={"severity": "high"}).text
    assert f"finding-{made}" not in browser.get(Q, params={"severity": "critical"}).text
    assert f"finding-{made}" not in browser.get(Q, params={"rule": "breach-no-response"}).text
    assert f"finding-{made}" not in browser.get(Q, params={"status": "accepted"}).text
    # An unknown filter value is no filter, not an error.
    assert f"finding-{made}" in browser.get(Q, params={"severity": "purple"}).text
    [*_, last] = audited(db, "review.findings.list")
    assert last.details["severity"] is None


def test_accepting_through_the_form_records_the_note_who_must_act_and_an_audit_row(
    client, world, db
):
    made = finding(db, world)["finding_id"]
    form = {
        "learning_note": "the call-back should have been attendance",
        "who_must_act": "control room team 2",
        "back": "/review/findings?severity=high",
    }
    response = reviewer(client, world).post(f"{Q}/{made}/accept", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/review/findings?severity=high"
    row = stored(db, made)
    assert row.status is FindingStatus.ACCEPTED
    assert (row.learning_note, row.who_must_act) == (form["learning_note"], "control room team 2")
    [entry] = audited(db, "review.finding.accept")
    assert entry.record_id == str(made) and entry.details["who_must_act"] == "control room team 2"


def test_dismissing_needs_a_reason_and_the_page_says_so(client, world, db):
    made = finding(db, world)["finding_id"]
    browser = reviewer(client, world)
    refused = browser.post(f"{Q}/{made}/dismiss", data={"reason": ""}, headers=HTML)
    assert refused.status_code == 422
    assert "Please fill in: reason" in refused.text
    assert (
        stored(db, made).status is FindingStatus.OPEN
        and audited(db, "review.finding.dismiss") == []
    )
    done = browser.post(
        f"{Q}/{made}/dismiss",
        data={"reason": "referred to MARAC by the IDVA", "back": "https://elsewhere.example"},
        follow_redirects=False,
    )
    assert done.headers["location"] == Q, "the form cannot send anyone off the queue"
    [entry] = audited(db, "review.finding.dismiss")
    assert entry.reason == "referred to MARAC by the IDVA"


def test_a_decided_finding_cannot_be_decided_again_from_the_page(client, world, db):
    made = finding(db, world)["finding_id"]
    browser = reviewer(client, world)
    browser.post(f"{Q}/{made}/dismiss", data={"reason": "duplicate of another finding"})
    again = browser.post(
        f"{Q}/{made}/accept",
        data={"learning_note": "changed my mind", "who_must_act": "control room"},
        headers=HTML,
    )
    assert again.status_code == 409
    assert stored(db, made).status is FindingStatus.DISMISSED


def test_trends_page_counts_by_rule_team_and_month(client, world, db):
    first = finding(db, world)["finding_id"]
    finding(db, world)
    browser = reviewer(client, world)
    browser.post(
        f"{Q}/{first}/accept",
        data={"learning_note": "refer within a day", "who_must_act": "public protection unit"},
    )
    page = browser.get("/review/trends", headers=HTML)
    assert page.status_code == 200
    assert "High risk without a MARAC referral" in page.text
    assert "public protection unit" in page.text and "2026-06" in page.text


def test_the_statistics_page_draws_charts_and_tabulates_the_months(client, world, db):
    metrics_setup.pilot(db, world)
    browser = world.client_for(client, "WMP", Role.SUPERVISOR)
    page = browser.get("/statistics", params={"from": "2026-03", "to": "2026-04"}, headers=HTML)
    assert page.status_code == 200
    assert page.text.count("<svg") == 4 and "<script>" not in page.text.split("</head>")[1]
    assert '<th scope="row">2026-03</th><td>3</td><td>66.7</td><td>60</td>' in page.text
    assert 'href="/api/v1/statistics.csv"' not in page.text  # a form, with the range and a reason
    assert 'action="/api/v1/statistics.csv"' in page.text


def test_a_bad_month_on_the_statistics_page_is_a_readable_422(client, world):
    browser = world.client_for(client, "WMP", Role.REVIEWER)
    page = browser.get("/statistics", params={"from": "last year"}, headers=HTML)
    assert page.status_code == 422 and "YYYY-MM" in page.text


def test_a_call_handler_sees_no_statistics_or_queue_link_and_is_refused_the_pages(client, world):
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    home = handler.get("/", headers=HTML)
    assert 'href="/statistics"' not in home.text and 'href="/review/findings"' not in home.text
    assert handler.get("/statistics", headers=HTML).status_code == 403
    supervisor = world.client_for(client, "WMP", Role.SUPERVISOR)
    assert 'href="/statistics"' in supervisor.get("/", headers=HTML).text


def test_severity_filter_on_the_api_narrows_the_list(client, world, db):
    made = finding(db, world)["finding_id"]
    api = reviewer(client, world)
    assert [
        f["id"] for f in api.get("/api/v1/review/findings", params={"severity": "high"}).json()
    ] == [made]
    assert api.get("/api/v1/review/findings", params={"severity": Severity.LOW.value}).json() == []
