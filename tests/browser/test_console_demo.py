"""The issue's "done when", on the real demo: `heard demo` starts, the demo specialist sees the
simulator's calls arrive, opens one, watches its transcript stream and sends advice, which lands
on the demo handler's screen in another window."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import VIEWPORT

pytestmark = pytest.mark.browser
START_WITHIN_S = 180.0
CALLS_WITHIN_MS = 60_000  # "within a minute sees the simulator's calls arrive"


class Demo:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process, self.url = process, url
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if "Ready in" in line:
                self.ready.set()
        self.ready.set()  # the process ended: let the waiter see why

    def password(self, username: str) -> str:
        found = re.search(re.escape(username) + r"\W+(\S+)", "".join(self.lines))
        assert found, "".join(self.lines)
        return found.group(1)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "heard.cli", "demo", "--database", str(tmp_path / "d.db")]
    command += ["--port", str(port), "--people", "300", "--speed", "5", "--background-rate", "0"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path
    )
    running = Demo(process, f"http://127.0.0.1:{port}")
    try:
        assert running.ready.wait(START_WITHIN_S), "".join(running.lines)
        assert process.poll() is None, "".join(running.lines)
        yield running
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def signed_in(browser: Browser, demo: Demo, username: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=demo.url, viewport=VIEWPORT, locale="en-GB")
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo.password(username))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signed in as")
    return context, page


def test_the_demo_specialist_sees_calls_arrive_watches_one_and_advises_the_demo_handler(
    browser: Browser, demo: Demo
) -> None:
    started = time.monotonic()
    specialist_context, specialist = signed_in(browser, demo, "da.specialist")
    specialist.get_by_role("link", name="DA queue").click()
    first = specialist.locator("#queue-table tbody a").first
    expect(first).to_be_visible(timeout=CALLS_WITHIN_MS)
    assert time.monotonic() - started < CALLS_WITHIN_MS / 1000
    first.click()
    call_path = specialist.url.removeprefix(demo.url).replace("/queue/calls/", "/calls/")

    lines = specialist.locator("#transcript li.seg")
    expect(lines.first).to_be_visible(timeout=CALLS_WITHIN_MS)
    before = lines.count()
    expect(lines).not_to_have_count(before, timeout=CALLS_WITHIN_MS)  # still streaming

    handler_context, handler = signed_in(browser, demo, "call.handler")
    handler.goto(call_path)
    expect(handler.locator("#live-status")).to_have_text("Live")
    specialist.get_by_role("button", name="Claim this call").click()
    expect(specialist.locator("#panel-review")).to_contain_text("Demo Domestic abuse specialist")
    specialist.get_by_role("textbox", name="Advice to send").fill(
        "Ask whether she can stay on the line somewhere he cannot hear her."
    )
    specialist.get_by_role("button", name="Send advice").click()

    expect(handler.locator("#panel-advice")).to_contain_text("somewhere he cannot hear her")
    expect(handler.locator("#alert-banner")).to_have_text("New advice from the specialist")
    specialist_context.close()
    handler_context.close()
