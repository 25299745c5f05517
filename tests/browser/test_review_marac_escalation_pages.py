"""The specialist's review, the MARAC referral pages and the escalations page, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

import tests.support.personas  # noqa: F401  (loads the persona modules in order)
from heard.auth.permissions import Role
from tests.browser.conftest import LiveServer, axe_scan, use_session
from tests.support import personas_referrals, risk_setup

pytestmark = pytest.mark.browser


def test_a_specialist_raises_an_assessment_from_the_queue_and_the_assessor_reads_the_note(
    page: Page, live_server: LiveServer, db
) -> None:
    made = risk_setup.submitted(db, live_server.world, yes=4)
    use_session(page, live_server, "WMP", Role.DA_SPECIALIST)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments to review")
    axe_scan(page)

    page.get_by_role("link", name=f"Review assessment {made['assessment_id']}").click()
    expect(page.locator("#submitted-level")).to_contain_text("standard")
    axe_scan(page)
    page.get_by_label("Raise the level").check()
    page.get_by_label("Raise to").select_option("high")
    page.get_by_label("Coaching note to the assessor").fill("Ask about threats to kill.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("alert")).to_contain_text("rationale")

    page.get_by_label("Raise the level").check()
    page.get_by_label("Raise to").select_option("high")
    page.get_by_label("Why the level is raised").fill("she said he threatened to kill her")
    page.get_by_label("Coaching note to the assessor").fill("Ask about threats to kill.")
    page.get_by_role("button", name="Record review").click()
    expect(page.locator("#review-outcome")).to_have_text("raised to high")
    expect(page.locator("#level")).to_have_text("high")
    expect(page.get_by_role("button", name="Record review")).to_have_count(0)
    axe_scan(page)

    page.goto("about:blank")  # leave the live page before its session goes (see test_console_pages)
    page.context.clear_cookies()
    use_session(page, live_server, "WMP", Role.ATTENDING_OFFICER)
    page.goto(f"/risk/assessments/{made['assessment_id']}")
    expect(page.locator("#coaching-note")).to_have_text("Ask about threats to kill.")
    axe_scan(page)


def test_a_specialist_records_the_meeting_and_outcome_of_a_marac_referral(
    page: Page, live_server: LiveServer, db
) -> None:
    made = risk_setup.marac_referral(db, live_server.world)
    use_session(page, live_server, "WMP", Role.DA_SPECIALIST)
    page.goto("/marac/referrals")
    expect(page.get_by_role("heading", level=1)).to_have_text("MARAC referrals")
    axe_scan(page)

    page.get_by_role("link", name=f"MARAC referral {made['referral_id']}").click()
    expect(page.locator("#criteria-list")).to_contain_text("Professional judgement")
    pdf = page.get_by_role("link", name="Pack as PDF")
    expect(pdf).to_have_attribute("href", f"/api/v1/marac/referrals/{made['referral_id']}/pack.pdf")
    axe_scan(page)

    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("alert")).to_contain_text("meeting_date, an outcome, or both")
    page.get_by_label("Meeting date").fill("2026-12-10")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#meeting-date")).to_have_text("2026-12-10")
    page.get_by_label("Outcome").select_option("action_plan_agreed")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#outcome")).to_have_text("action plan agreed")
    expect(page.get_by_role("button", name="Record")).to_have_count(0)

    page.get_by_role("link", name="Pack as a web page").click()
    expect(page.get_by_text("not to be shared", exact=False).first).to_be_visible()


def test_a_supervisor_acknowledges_an_overdue_referral_on_the_escalations_page(
    page: Page, live_server: LiveServer, db
) -> None:
    escalation_id = personas_referrals.escalation(db, live_server.world)["escalation_id"]
    use_session(page, live_server, "WMP", Role.SUPERVISOR)
    page.goto("/referrals")
    page.get_by_role("link", name="Overdue referrals escalated to the supervisor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue referrals")
    axe_scan(page)

    page.get_by_role("button", name=f"Acknowledge escalation {escalation_id}").click()
    expect(page.get_by_role("alert")).to_contain_text("say what was done")
    page.get_by_label("What was done about referral").fill("phoned the service; resent")
    page.get_by_role("button", name=f"Acknowledge escalation {escalation_id}").click()
    expect(page.get_by_text("No open escalations.")).to_be_visible()
    page.get_by_role("link", name="Show all, including acknowledged").click()
    expect(page.locator(f"#escalation-{escalation_id} .acknowledged")).to_contain_text(
        "phoned the service; resent"
    )
    axe_scan(page)


def test_a_call_handler_is_refused_the_review_marac_and_escalation_pages(
    page: Page, live_server: LiveServer
) -> None:
    use_session(page, live_server, "WMP", Role.CALL_HANDLER)
    for path in ("/risk/reviews", "/marac/referrals", "/referrals/escalations"):
        response = page.goto(path)
        assert response is not None and response.status == 403, path
