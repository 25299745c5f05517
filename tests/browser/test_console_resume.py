"""A page whose stream drops catches up on everything it missed once it can reach Heard again.

Streams here last one second (`HEARD_LIVE_STREAM_SECONDS`), so the stream the page holds ends
soon after the test cuts the page off from the live addresses, as a dropped connection would."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from heard.auth.permissions import Role
from heard.calls import service as calls
from heard.db.uow import Database
from heard.review import advice, service
from heard.review.models import Audience
from heard.settings import Settings
from tests.browser.conftest import LiveServer, use_session
from tests.conftest import test_settings
from tests.support import console_world as cw

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(database_url: str) -> Settings:
    return test_settings(database_url, live_stream_seconds=1.0)


def test_a_page_whose_connection_dropped_gets_the_advice_sent_meanwhile(
    page: Page, live_server: LiveServer, db: Database
) -> None:
    call_id = cw.da_call(db, live_server.world)
    use_session(page, live_server, "WMP", Role.CALL_HANDLER)
    page.goto(f"/calls/{call_id}")
    expect(page.locator("#live-status")).to_have_text("Live")

    def cut_off(route: Route) -> None:
        route.abort("internetdisconnected")

    page.route("**/live/**", cut_off)
    expect(page.locator("#live-status")).not_to_have_text("Live")
    specialist = cw.actor_for(live_server.world, "WMP", Role.DA_SPECIALIST)
    with db.transaction() as session:
        call = calls.find_call(session, force_id=live_server.world.forces["WMP"], call_id=call_id)
        service.claim(session, call=call, actor=specialist)
        advice.send(
            session, call=call, actor=specialist, audience=Audience.HANDLER,
            text="Advice sent while the line was down.", urgent=False,
        )  # fmt: skip
    page.unroute("**/live/**", cut_off)

    expect(page.locator("#panel-advice")).to_contain_text("Advice sent while the line was down.")
    expect(page.locator("#alert-banner")).to_have_text("New advice from the specialist")
