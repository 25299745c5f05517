"""The orders pages in a real browser: the register and an order, and a breach from the live
list to its recorded outcome. Each page passes the accessibility scan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from heard.auth.permissions import Role
from heard.db.uow import Database
from tests.browser.conftest import LiveServer, axe_scan, use_session
from tests.support import orders_pages_setup as setup

pytestmark = pytest.mark.browser


def test_the_order_manager_filters_the_register_opens_an_order_and_records_a_duty_met(
    page: Page, live_server: LiveServer, db: Database
) -> None:
    dapo = setup.order(db, live_server.world)
    dvpo = setup.order(db, live_server.world, order_type="dvpo", expires_at="2026-12-20T14:00:00Z")
    use_session(page, live_server, "WMP", Role.ORDER_MANAGER)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orders register")
    expect(page.locator(f'tr[data-order-id="{dapo.id}"]')).to_contain_text("no maximum")
    axe_scan(page)

    page.get_by_label("Type").select_option("dvpo")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f'tr[data-order-id="{dvpo.id}"]')).to_contain_text("20 Dec 2026")
    expect(page.locator(f'tr[data-order-id="{dapo.id}"]')).to_have_count(0)

    page.get_by_label("Type").select_option("dapo")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=f"Order {dapo.id}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {dapo.id} · DAPO")
    expect(page.locator("#conditions")).to_contain_text("within 200 m of 7 Ingleby Road")
    axe_scan(page)

    duty = page.locator("#clocks tbody tr").first
    expect(duty).to_contain_text("Subject to notify name and address")
    expect(duty).to_have_attribute("data-state", "overdue")  # made 27 Nov, due 30 Nov 00:00
    duty.get_by_role("button", name="Met").click()
    expect(page.locator("#clocks tbody tr").first).to_have_attribute("data-state", "done late")

    page.get_by_label("Served by").fill("PC 77 Synthetic")
    page.get_by_label("Address where served").fill("2 High Street")
    page.get_by_label("Served at (local time)").fill("2026-11-28T09:30")
    page.get_by_role("button", name="Record service").click()
    expect(page.locator("#served")).to_contain_text("28 Nov 2026 09:30 by PC 77 Synthetic")
    axe_scan(page)


def test_a_reader_sees_the_order_without_the_protected_persons_places(
    page: Page, live_server: LiveServer, db: Database
) -> None:
    made = setup.order(db, live_server.world)
    use_session(page, live_server, "WMP", Role.ATTENDING_OFFICER)
    page.goto(f"/orders/{made.id}")
    expect(page.locator("#conditions")).to_contain_text("restricted to order managers")
    expect(page.locator("main")).not_to_contain_text("Ingleby")
    expect(page.locator("main")).not_to_contain_text("PHONE-1")
    expect(page.get_by_role("button", name="Met")).to_have_count(0)
    axe_scan(page)


def test_a_breach_appears_live_and_its_outcome_is_recorded_with_a_written_reason(
    page: Page, live_server: LiveServer, db: Database
) -> None:
    use_session(page, live_server, "WMP", Role.ORDER_MANAGER)
    page.goto("/breaches")
    expect(page.locator("#live-status")).to_have_text("Live")
    expect(page.locator("#panel-breaches")).to_contain_text("No unresolved breaches")

    _, breach = setup.zone_breach(db, live_server.world)
    row = page.locator(f'tr[data-breach-id="{breach.id}"]')
    expect(row).to_contain_text("Emergency")
    expect(row).to_contain_text("escalates")
    axe_scan(page)

    row.get_by_role("link", name=f"Breach {breach.id}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Breach {breach.id}")
    expect(page.locator("#evidence-zone")).to_contain_text("within 200 m of 7 Ingleby Road")
    expect(page.locator("#evidence-pdf")).to_have_attribute(
        "href", f"/api/v1/breaches/{breach.id}/evidence.pdf"
    )
    axe_scan(page)

    page.get_by_role("radio", name="Attended").check()
    page.get_by_role("button", name="Record outcome").click()
    expect(page.locator("#breach-status")).to_contain_text("Attended")

    page.get_by_role("radio", name="No further action").check()
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_role("alert")).to_contain_text("written reason")
    page.get_by_role("radio", name="No further action").check()
    page.get_by_label("Reason (needed for no further action)").fill(
        "the subject was at court, as the order allows"
    )
    page.get_by_role("button", name="Record outcome").click()
    expect(page.locator("#breach-status")).to_contain_text("No further action")
    expect(page.locator("#outcome")).to_have_count(0)
    axe_scan(page)
