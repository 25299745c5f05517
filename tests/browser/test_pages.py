"""The home page and the error page, as they look and read in a real browser."""

from __future__ import annotations

import struct

import pytest
from playwright.sync_api import Page, expect

from heard.auth.permissions import Role
from tests.browser.conftest import VIEWPORT, LiveServer, login, use_session

pytestmark = pytest.mark.browser


def test_an_unknown_page_shows_a_readable_error_page_with_a_link_home(
    page: Page, live_server: LiveServer
) -> None:
    response = page.goto("/no-such-page")

    assert response is not None
    assert response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    expect(page).to_have_title("Not found · Heard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_role("main")).to_contain_text("there is nothing at this address")
    expect(page.get_by_role("main")).to_contain_text("Reference for the service desk")
    expect(page.locator("body")).not_to_contain_text('"status"')  # not problem+json

    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(f"{live_server.url}/login")  # home, which asks a stranger to sign in


def test_the_error_page_link_takes_a_signed_in_user_to_their_home_page(
    page: Page, live_server: LiveServer
) -> None:
    use_session(page, live_server, "WMP", Role.SUPERVISOR)
    page.goto("/no-such-page/at-all")

    page.get_by_role("link", name="Go to the home page").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signed in as WMP Supervisor")


def test_the_api_still_answers_unknown_addresses_with_problem_json(
    page: Page, live_server: LiveServer
) -> None:
    response = page.goto("/api/v1/no-such-thing")

    assert response is not None
    assert response.status == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_screenshot_of_the_home_page_shows_the_whole_page_at_laptop_width(
    page: Page, live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    login(page, "wmp.administrator")
    expect(page.get_by_role("banner")).to_contain_text("WMP Administrator")
    expect(page.locator("dl.facts")).to_contain_text("user:manage")

    shot = tmp_path_factory.mktemp("screenshots") / "home.png"
    page.screenshot(path=shot, full_page=True)

    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width == VIEWPORT["width"], f"the page is {width}px wide, so it scrolls sideways"
    assert height >= VIEWPORT["height"]
    print(f"home page screenshot: {shot}")
