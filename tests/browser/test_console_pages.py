"""Every console page as its user sees it at 1366x768 (the officer's on a phone): an accessibility
scan of each, a screenshot of each into docs/screenshots/, and live updates through a proxy that
never lets a stream open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from heard.auth.permissions import Role
from heard.calls import service as calls
from heard.db.uow import Database
from heard.review import advice, service
from heard.review.models import Audience
from tests.browser.conftest import LiveServer, axe_scan, use_session
from tests.support import console_world as cw
from tests.support.console_api import Cad

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cad(live_server: LiveServer) -> Iterator[Cad]:
    systems = Cad(live_server.url, live_server.world.tokens["WMP"])
    yield systems
    systems.close()


def shoot(page: Page, name: str) -> None:
    """Scan the page, then save it where the docs show it."""
    axe_scan(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def as_person(page: Page, server: LiveServer, role: Role, path: str) -> None:
    # Leave the live page first: once its cookies are gone, its next poll or reconnect is told to
    # sign in and navigates to /login, which can abort the navigation below (seen once in CI).
    page.goto("about:blank")
    page.context.clear_cookies()
    use_session(page, server, "WMP", role)
    page.goto(path)
    expect(page.locator("#live-status")).to_have_text("Live")


def send(db: Database, server: LiveServer, call_id: int, audience: Audience, text: str) -> None:
    specialist = cw.actor_for(server.world, "WMP", Role.DA_SPECIALIST)
    with db.transaction() as session:
        call = calls.find_call(session, force_id=server.world.forces["WMP"], call_id=call_id)
        service.claim(session, call=call, actor=specialist)
        advice.send(
            session, call=call, actor=specialist, audience=audience, text=text, urgent=False
        )


def test_every_console_page_passes_the_accessibility_scan_and_is_captured_for_the_docs(
    page: Page, live_server: LiveServer, cad: Cad, db: Database
) -> None:
    quiet = cad.call(victim="Priya Shah", suspect="Mark Ellis")
    call_id = cad.call()
    cad.play(call_id)
    officer = live_server.world.persona("WMP", Role.ATTENDING_OFFICER).user_id
    cad.client.cookies.clear()

    as_person(page, live_server, Role.CALL_HANDLER, "/calls")
    shoot(page, "handler-calls")
    page.goto(f"/calls/{call_id}")
    page.get_by_label("Send an officer").select_option(str(officer))
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#panel-officers")).to_contain_text("WMP Attending officer")

    as_person(page, live_server, Role.DA_SPECIALIST, "/queue")
    expect(page.locator(f"#queue-call-{quiet}")).to_be_visible()
    shoot(page, "specialist-queue")
    page.goto(f"/queue/calls/{call_id}")
    page.get_by_role("button", name="Claim this call").click()
    expect(page.locator("#panel-review")).to_contain_text("Release to the queue")
    page.get_by_label("To the attending officers").check()
    page.get_by_role("textbox", name="Advice to send").fill(
        "He has a history of strangulation: keep them apart and check her neck for marks."
    )
    page.get_by_role("button", name="Send advice").click()
    expect(page.locator("#panel-advice")).to_contain_text("keep them apart")
    page.get_by_label("To the call handler").check()
    page.get_by_role("textbox", name="Advice to send").fill(
        "Ask whether she can get the children into a room with a lock."
    )
    page.get_by_role("button", name="Send advice").click()
    expect(page.locator("#panel-advice")).to_contain_text("room with a lock")
    shoot(page, "specialist-listen-in")

    as_person(page, live_server, Role.CALL_HANDLER, f"/calls/{call_id}")
    page.get_by_label("Grade this call").select_option("priority")
    page.get_by_label("Reason").fill("Officers on scene; caller safe at a neighbour's.")
    page.get_by_role("button", name="Set grade").click()
    expect(page.locator("#sign-off-pending")).to_be_visible()
    shoot(page, "handler-call")

    as_person(page, live_server, Role.SUPERVISOR, "/board")
    expect(page.locator("#panel-grades")).to_contain_text("caller safe at a neighbour's")
    shoot(page, "supervisor-board")

    page.set_viewport_size(PHONE)
    as_person(page, live_server, Role.ATTENDING_OFFICER, "/officer")
    page.get_by_role("main").get_by_role("link").first.click()
    expect(page.locator("#officer-advice")).to_contain_text("keep them apart")
    expect(page.locator(".safety")).to_contain_text("strangulation")
    shoot(page, "officer-incident")


def test_a_page_whose_stream_never_opens_falls_back_to_polling_and_still_updates(
    page: Page, live_server: LiveServer, db: Database
) -> None:
    def no_streams(route: Route) -> None:
        if "text/event-stream" in (route.request.headers.get("accept") or ""):
            route.abort()
        else:
            route.continue_()

    page.route("**/live/**", no_streams)
    call_id = cw.da_call(db, live_server.world)
    use_session(page, live_server, "WMP", Role.CALL_HANDLER)
    page.goto(f"/calls/{call_id}")
    expect(page.locator("#live-status")).to_have_text("Updating every 2 s")

    send(db, live_server, call_id, Audience.HANDLER, "Polled advice still arrives.")

    expect(page.locator("#panel-advice")).to_contain_text("Polled advice still arrives.")
    expect(page.locator("#alert-banner")).to_be_visible()
