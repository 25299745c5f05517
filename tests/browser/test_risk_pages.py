"""The risk assessment form and the referral list, used in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

import tests.support.personas  # noqa: F401  (loads the persona modules in order)
from heard.auth.permissions import Role
from tests.browser.conftest import LiveServer, axe_scan, use_session
from tests.support import personas_referrals, personas_risk

pytestmark = pytest.mark.browser


def test_an_officer_confirms_a_suggestion_answers_and_submits_with_a_raised_judgement(
    page: Page, live_server: LiveServer, db
) -> None:
    made = personas_risk.with_suggestion(db, live_server.world)
    use_session(page, live_server, "WMP", Role.ATTENDING_OFFICER)
    page.goto(f"/risk/assessments/{made['assessment_id']}")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Risk assessment")
    expect(page.locator("#suggestion-16")).to_contain_text("weapon mentioned")
    axe_scan(page)

    page.get_by_role("button", name="Confirm question 16").click()
    expect(page.locator("#suggestion-16 .decision")).to_have_text("confirmed")

    page.locator("input[name=answer_1][value=yes]").check()
    page.get_by_label("Detail for question 1", exact=True).fill("bruising to the arm")
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator("input[name=answer_1][value=yes]")).to_be_checked()

    page.get_by_label("Professional judgement (optional)").select_option("high")
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("rationale")

    page.get_by_label("Professional judgement (optional)").select_option("high")
    page.get_by_label("Rationale").fill("a knife was used and she fears for her life")
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("#status")).to_have_text("submitted")
    expect(page.locator("#level")).to_contain_text("high")
    expect(page.locator("#marac")).to_contain_text("professional_judgement")
    expect(page.get_by_role("button", name="Submit assessment")).to_have_count(0)
    axe_scan(page)


def test_a_specialist_sees_the_referral_list_with_recipient_consent_and_due_time(
    page: Page, live_server: LiveServer, db
) -> None:
    personas_referrals.referral(db, live_server.world)
    use_session(page, live_server, "WMP", Role.DA_SPECIALIST)
    page.goto("/referrals")

    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals")
    row = page.get_by_role("row").nth(1)
    expect(row).to_contain_text("Harbour IDVA Service")
    expect(row).to_contain_text("consent")
    expect(row).to_contain_text("pending")
    axe_scan(page)


def test_a_call_handler_is_refused_the_referral_list(page: Page, live_server: LiveServer) -> None:
    use_session(page, live_server, "WMP", Role.CALL_HANDLER)
    response = page.goto("/referrals")
    assert response is not None and response.status == 403
