"""The pilot statistics page and the missed-opportunity review queue, used in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

import tests.support.personas  # noqa: F401  (loads the persona modules in order)
from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.review.findings.models import FindingStatus, MissedOpportunity
from tests.browser.conftest import LiveServer, axe_scan, use_session
from tests.support import metrics_setup
from tests.support.review_rules_setup import finding

pytestmark = pytest.mark.browser


def audit_actions(db, action):
    with db.transaction() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_supervisor_reads_the_statistics_with_charts_and_downloads_the_csv_with_a_reason(
    page: Page, live_server: LiveServer, db
) -> None:
    metrics_setup.pilot(db, live_server.world)
    use_session(page, live_server, "WMP", Role.SUPERVISOR)
    page.goto("/statistics?from=2026-01&to=2026-04")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Pilot statistics")
    expect(page.get_by_role("link", name="Statistics")).to_have_attribute("aria-current", "page")
    chart = page.get_by_role("img", name="Domestic abuse calls, specialist reviews")
    expect(chart).to_have_count(1)
    expect(chart).to_have_attribute(
        "aria-label",
        "Domestic abuse calls, specialist reviews and "
        "repeat calls. Domestic abuse calls: total 5; Reviewed by a "
        "specialist: total 2; Repeat calls within 12 months: total 2",
    )
    expect(page.get_by_role("row", name="2026-03")).to_contain_text("66.7")
    axe_scan(page)

    page.get_by_label("From month").fill("2026-03")
    page.get_by_label("To month").fill("2026-03")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("row", name="2026-04")).to_have_count(0)

    page.get_by_label("Why the figures are leaving Heard").fill("pilot evaluation board")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    text = download.value.path().read_text()
    assert text.splitlines()[0] == "force,month,measure,group,value,unit,label"
    assert "WMP,2026-03,da_calls,,3.0,count,Domestic abuse calls" in text
    [entry] = audit_actions(db, "statistics.export")
    assert (entry.reason, entry.details["from"], entry.details["format"]) == (
        "pilot evaluation board",
        "2026-03",
        "csv",
    )


def test_a_reviewer_filters_the_queue_and_accepts_a_finding_with_a_note_and_who_must_act(
    page: Page, live_server: LiveServer, db
) -> None:
    made = finding(db, live_server.world)["finding_id"]
    use_session(page, live_server, "WMP", Role.REVIEWER)
    page.goto("/review/findings")

    expect(page.get_by_role("heading", level=1)).to_contain_text("review queue")
    item = page.locator(f"#finding-{made}")
    expect(item).to_contain_text("High risk without a MARAC referral")
    axe_scan(page)

    page.get_by_label("Severity").select_option("critical")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f"#finding-{made}")).to_have_count(0)
    page.get_by_label("Severity").select_option("high")
    page.get_by_role("button", name="Filter").click()

    item = page.locator(f"#finding-{made}")
    item.get_by_text("Accept as a missed opportunity").click()
    item.get_by_role("button", name=f"Accept finding {made}").click()
    expect(page.get_by_role("alert")).to_contain_text("Please fill in")
    axe_scan(page)

    item = page.locator(f"#finding-{made}")
    item.get_by_label("What is to be learnt").fill("a high-risk victim is referred within 24 h")
    item.get_by_label("Who must act (team or role)").fill("public protection unit")
    item.get_by_role("button", name=f"Accept finding {made}").click()
    expect(page).to_have_url(re.compile(r"/review/findings\?.*severity=high"))  # filters kept
    expect(page.locator(f"#finding-{made}")).to_have_count(0)  # no longer open

    page.get_by_label("Status").select_option("accepted")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f"#finding-{made}")).to_contain_text("Must act: public protection unit")
    with db.transaction() as session:
        assert session.get_one(MissedOpportunity, made).status is FindingStatus.ACCEPTED
    [entry] = audit_actions(db, "review.finding.accept")
    assert entry.details["who_must_act"] == "public protection unit"

    page.get_by_role("link", name="Trends by rule, team and month").click()
    expect(page.get_by_role("heading", name="By who must act")).to_be_visible()
    expect(page.get_by_role("row", name="public protection unit")).to_contain_text("1")
    axe_scan(page)


def test_a_call_handler_is_refused_the_statistics_and_the_queue(
    page: Page, live_server: LiveServer
) -> None:
    use_session(page, live_server, "WMP", Role.CALL_HANDLER)
    for address in ("/statistics", "/review/findings"):
        response = page.goto(address)
        assert response is not None and response.status == 403
