"""Signing in and out through the real pages, as a control-room user would."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from heard.auth.deps import SESSION_COOKIE
from tests.browser.conftest import LiveServer, login
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser

LOGIN_URL = re.compile(r"/login(\?.*)?$")


def sign_in_form(page: Page, username: str, password: str) -> None:
    """Submit the form and wait for the answer page, so a repeat never types into the old one."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Sign in").click()


def test_signing_in_with_the_right_password_shows_name_role_and_force_on_home(
    page: Page, live_server: LiveServer
) -> None:
    login(page, "wmp.call_handler")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title("Home · Heard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signed in as WMP Call handler")
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:text-is('Role') + dd")).to_have_text("Call handler")
    expect(facts.locator("dt:text-is('Force') + dd")).to_have_text("Synthetic force WMP (WMP)")
    expect(page.get_by_role("banner")).to_contain_text("WMP Call handler")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_wrong_password_shows_a_clear_error_and_stays_on_the_sign_in_page(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/login")
    sign_in_form(page, "wmp.call_handler", "not-the-password")

    expect(page.get_by_role("alert")).to_have_text("username or password not recognised")
    expect(page).to_have_title("Error: Sign in · Heard")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Heard")
    expect(page.get_by_label("Username")).to_have_value("wmp.call_handler")
    expect(page.get_by_label("Password")).to_have_value("")
    assert not [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/login")
    sign_in_form(page, "wmp.nobody", PASSWORD)

    expect(page.get_by_role("alert")).to_have_text("username or password not recognised")
    expect(page).to_have_url(LOGIN_URL)


def test_after_three_failures_the_account_is_locked_even_for_the_right_password(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/login")
    for attempt in range(3):
        sign_in_form(page, "nmp.supervisor", f"wrong-guess-{attempt}")
        expect(page.get_by_role("alert")).to_have_text("username or password not recognised")

    sign_in_form(page, "nmp.supervisor", PASSWORD)

    expect(page.get_by_role("alert")).to_contain_text("this account is locked")
    expect(page.get_by_role("alert")).to_contain_text("ask a supervisor to unlock it")
    expect(page).to_have_url(LOGIN_URL)
    assert not [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]


def test_signing_out_returns_to_sign_in_and_the_old_session_cookie_stops_working(
    page: Page, live_server: LiveServer
) -> None:
    login(page, "wmp.da_specialist")
    old = next(c["value"] for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    me = f"{live_server.url}/api/v1/me"
    assert httpx.get(me, cookies={SESSION_COOKIE: old}).status_code == 200

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Heard")
    assert not [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    assert httpx.get(me, cookies={SESSION_COOKIE: old}).status_code == 401
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/login")


def test_a_signed_out_visitor_to_home_is_sent_to_sign_in(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/")

    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_label("Username")).to_be_visible()


def test_a_keyboard_alone_can_sign_in_tabbing_from_username_to_password_to_button(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/login")
    username = page.get_by_label("Username")
    password = page.get_by_label("Password")
    button = page.get_by_role("button", name="Sign in")

    expect(username).to_be_focused()  # autofocus: typing can start at once
    page.keyboard.type("wmp.call_handler")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Signed in as WMP Call handler")


def test_pressing_enter_in_the_password_field_submits_the_form(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("nmp.auditor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Signed in as NMP Auditor")
