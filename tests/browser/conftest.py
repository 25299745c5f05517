"""Browser harness: the real app under uvicorn on a free local port, driven by Debian's Chromium.

Each test gets its own SQLite copy, its own two-force world and its own server, so tests never
see each other's sign-ins or lock-outs. The browser is started once per session; every test gets
a fresh context (no cookies carried over) and page at 1366x768.

Helpers for tests:
    login(page, username)          sign in through the form, as a person would
    use_session(page, server, ...) sign in by cookie (fast; for tests of other pages)
    axe_scan(page)                 fail on serious/critical accessibility violations
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Response,
    ViewportSize,
    expect,
    sync_playwright,
)

from heard.auth.deps import SESSION_COOKIE
from heard.auth.permissions import Role
from tests.support import databases
from tests.support.world import PASSWORD, World

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
# Generous, because the suite must hold on a slow two-core machine; waits end as soon as the
# condition holds, so a fast machine pays nothing for them.
ACTION_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000
SERVER_START_SECONDS = 30.0
SERVER_STOP_SECONDS = 15.0
BLOCKING_IMPACTS = ("serious", "critical")
SUBRESOURCES = frozenset({"stylesheet", "script", "image", "font"})

expect.set_options(timeout=ACTION_TIMEOUT_MS)


# --- the server ---------------------------------------------------------------------------------


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """Browser tests run on SQLite only: the browser checks pages, not storage back ends."""
    return databases.sqlite_copy(sqlite_template, tmp_path)


@dataclass
class LiveServer:
    url: str
    world: World
    server: uvicorn.Server
    thread: threading.Thread
    startup_error: list[BaseException] = field(default_factory=list)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=SERVER_STOP_SECONDS)
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(timeout=SERVER_STOP_SECONDS)
        assert not self.thread.is_alive(), "the test server did not shut down"


def _free_listening_socket() -> socket.socket:
    # Bound and listening before uvicorn starts, so the port cannot be taken by anyone else.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


class _Server(uvicorn.Server):
    """Tells the test thread the moment it is serving (or has given up), instead of polling."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.settled = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.settled.set()


def _start(app: FastAPI, world: World) -> LiveServer:
    sock = _free_listening_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_config=None,  # leave the app's own logging configuration alone
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    server = _Server(config)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # uvicorn exits with SystemExit when startup fails
            errors.append(exc)
        finally:
            server.settled.set()
            sock.close()

    thread = threading.Thread(target=run, name=f"uvicorn-{port}", daemon=True)
    live = LiveServer(f"http://127.0.0.1:{port}", world, server, thread, errors)
    thread.start()
    if not server.settled.wait(timeout=SERVER_START_SECONDS) or not server.started:
        live.stop()
        pytest.fail(f"the test server did not start: {errors or 'timed out'}", pytrace=False)
    answer = httpx.get(f"{live.url}/healthz", timeout=SERVER_START_SECONDS)
    if answer.status_code != 200:
        live.stop()
        pytest.fail(f"the test server answered /healthz with {answer.status_code}", pytrace=False)
    return live


@pytest.fixture
def live_server(app: FastAPI, world: World) -> Iterator[LiveServer]:
    """The real app (test settings, fresh SQLite copy, two-force world) on 127.0.0.1:<free>."""
    live = _start(app, world)
    try:
        yield live
    finally:
        live.stop()


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class PageProblems:
    """Things that are wrong on any page: uncaught script errors and missing CSS/JS/images."""

    script_errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def on_page_error(self, error: Any) -> None:
        self.script_errors.append(str(error))

    def on_console(self, message: ConsoleMessage) -> None:
        # Failed page loads (401, 404 ...) are logged too and are expected in some tests;
        # script errors are not.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.script_errors.append(message.text)

    def on_response(self, response: Response) -> None:
        if response.request.resource_type in SUBRESOURCES and response.status >= 400:
            self.missing.append(f"{response.status} {response.url}")

    def on_request_failed(self, request: Any) -> None:
        if request.resource_type in SUBRESOURCES:
            self.missing.append(f"failed {request.url}: {request.failure}")

    def report(self) -> str:
        lines = [f"script error: {e}" for e in self.script_errors]
        lines += [f"missing resource: {m}" for m in self.missing]
        return "\n".join(lines)


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context per test, so no cookie or storage leaks between tests."""
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    opened = context.new_page()
    problems = PageProblems()
    opened.on("pageerror", problems.on_page_error)
    opened.on("console", problems.on_console)
    opened.on("response", problems.on_response)
    opened.on("requestfailed", problems.on_request_failed)
    try:
        yield opened
    finally:
        context.close()  # before the server stops, so no keep-alive connection holds it up
    if problems.report():
        pytest.fail(f"the page had problems:\n{problems.report()}", pytrace=False)


# --- helpers ------------------------------------------------------------------------------------


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form and wait for the home page."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Signed in as")).to_be_visible()


def use_session(page: Page, server: LiveServer, force_code: str, role: Role) -> None:
    """Sign in by the world's ready-made session cookie: no form, no password hashing."""
    persona = server.world.persona(force_code, role)
    page.context.add_cookies(
        [
            {
                "name": SESSION_COOKIE,
                "value": persona.session_token,
                "url": server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def axe_scan(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"{len(blocking)} serious/critical accessibility violation(s) on {page.url}:"]
    for violation in blocking:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line.strip()}" for line in summary.splitlines()[1:])
    pytest.fail("\n".join(lines), pytrace=False)
