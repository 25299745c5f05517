"""Live console latency: a transcript segment POST until its words are on specialists' screens.

Serves Heard in its own process (uvicorn, as in production), opens N specialist listen-in pages in
Chromium (one browser context each, like N specialists' machines), and posts transcript segments
for the call one at a time. Each page records, with a MutationObserver, when the segment's words
were added to the page and when the next frame was drawn; the time is read from the page's own
wall clock (`performance.timeOrigin + performance.now()`), the POST start from Python's
`time.time()`, both the same system clock on one machine.

    .venv/bin/python bench/bench_live.py                      # SQLite, 1 and 20 pages
    .venv/bin/python bench/bench_live.py --pages 1 5 20 --segments 60
    .venv/bin/python bench/bench_live.py --database-url postgresql+psycopg://postgres@127.0.0.1/x
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from heard.app import build_runtime
from heard.audit.service import system_actor
from heard.auth import service as auth
from heard.auth.permissions import ROLE_PERMISSIONS, Role
from heard.db import migrate
from heard.runtime import LoginLimits
from heard.settings import Environment, load_settings

CHROMIUM = "/usr/bin/chromium"
OBSERVER = """
window.__seen = {};
const observer = new MutationObserver((mutations) => {
  const added = performance.timeOrigin + performance.now();
  for (const m of mutations) {
    for (const node of m.addedNodes) {
      const found = (node.textContent || "").match(/BENCH-[0-9]+-[a-z0-9]+/);
      if (found && !(found[0] in window.__seen)) {
        const marker = found[0];
        window.__seen[marker] = {added: added};
        requestAnimationFrame(() => {
          window.__seen[marker].drawn = performance.timeOrigin + performance.now();
        });
      }
    }
  }
});
document.addEventListener("DOMContentLoaded", () => {
  observer.observe(document.body, {childList: true, subtree: true});
});
"""
LIMITS = LoginLimits(3, timedelta(minutes=15), timedelta(hours=8))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare(database_url: str, specialists: int) -> tuple[str, list[str]]:
    """A migrated database with one force, N specialists signed in, and a CAD token."""
    migrate.upgrade(database_url)
    settings = load_settings(environment=Environment.TEST, database_url=database_url)
    runtime = build_runtime(settings)
    sessions = []
    with runtime.db.transaction() as session:
        force = auth.create_force(session, code="BEN", name="Benchmark force")
        for n in range(specialists):
            user = auth.create_user(
                session,
                force=force,
                username=f"ben.specialist.{n}",
                role=Role.DA_SPECIALIST,
                display_name=f"Specialist {n}",
                password=uuid.uuid4().hex,
            )
            sessions.append(auth.open_session(session, user=user, policy=LIMITS, client_addr=None))
        _, token = auth.create_token(
            session,
            force=force,
            name="Benchmark CAD",
            permissions=ROLE_PERMISSIONS[Role.SYSTEM],
            actor=system_actor(force.id, reason_source="bench"),
        )
    runtime.db.dispose()
    return token, sessions


@contextmanager
def server(database_url: str, log: Path) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    env = {
        **os.environ,
        "HEARD_ENVIRONMENT": "test",
        "HEARD_DATABASE_URL": database_url,
        "HEARD_RUN_WORKER_IN_PROCESS": "false",
        "HEARD_SESSION_COOKIE_SECURE": "false",
        "HEARD_LOG_LEVEL": "WARNING",
        "HEARD_LOG_JSON": "false",
    }
    command = [sys.executable, "-m", "uvicorn", "heard.asgi:app", "--no-access-log"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--fd", str(sock.fileno())],
            env=env,
            stdout=out,
            stderr=out,
            pass_fds=(sock.fileno(),),
        )
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()
    try:
        httpx.get(f"{base}/healthz", timeout=120).raise_for_status()
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def open_pages(browser: Browser, base: str, sessions: list[str], call_id: int) -> list[Page]:
    pages = []
    for token in sessions:
        context = browser.new_context(base_url=base, viewport={"width": 1366, "height": 768})
        context.add_cookies([{"name": "heard_session", "value": token, "url": base}])
        context.add_init_script(OBSERVER)
        page = context.new_page()
        page.goto(f"/queue/calls/{call_id}")
        page.wait_for_function("document.getElementById('live-status').textContent === 'Live'")
        pages.append(page)
    return pages


def post_segment(cad: httpx.Client, call_id: int, n: int, marker: str) -> float:
    body = {
        "segment_id": marker.lower(),
        "speaker": "caller",
        "text": f"He is shouting again {marker} and I am scared",
        "start_ms": n * 3000,
        "end_ms": n * 3000 + 2500,
    }
    started = time.time() * 1000
    answer = cad.post(f"/api/v1/calls/{call_id}/transcript", json=body)
    answer.raise_for_status()
    return started


def measure(cad: httpx.Client, pages: list[Page], call_id: int, segments: int) -> dict[str, Any]:
    added: list[float] = []
    drawn: list[float] = []
    run = uuid.uuid4().hex[:6]
    for n in range(segments):
        marker = f"BENCH-{n}-{run}"
        started = post_segment(cad, call_id, n, marker)
        for page in pages:
            page.wait_for_function(
                "m => window.__seen[m] && window.__seen[m].drawn", arg=marker, timeout=30_000
            )
            seen = page.evaluate("m => window.__seen[m]", marker)
            added.append(seen["added"] - started)
            drawn.append(seen["drawn"] - started)
    return {
        "pages": len(pages),
        "segments": segments,
        "samples": len(drawn),
        "visible_p50_ms": round(statistics.median(drawn), 1),
        "visible_p95_ms": round(percentile(drawn, 0.95), 1),
        "visible_max_ms": round(max(drawn), 1),
        "in_dom_p50_ms": round(statistics.median(added), 1),
        "in_dom_p95_ms": round(percentile(added, 0.95), 1),
    }


def new_call(cad: httpx.Client) -> int:
    body = {
        "source_ref": f"BENCH-CALL-{uuid.uuid4().hex[:8]}",
        "channel": "999",
        "received_at": datetime.now(UTC).isoformat(),
        "people": [
            {"role": "victim", "given_name": "Nadia", "family_name": "Benchmark"},
            {"role": "suspect", "given_name": "Lee", "family_name": "Benchmark"},
        ],
        "relationship": {"connection": "intimate_relationship"},
    }
    answer = cad.post("/api/v1/calls", json=body)
    answer.raise_for_status()
    return int(answer.json()["call"]["id"])


def run(
    database_url: str, page_counts: list[int], segments: int, log: Path
) -> list[dict[str, Any]]:
    token, sessions = prepare(database_url, max(page_counts))
    results = []
    with server(database_url, log) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        cad = httpx.Client(base_url=base, headers={"authorization": f"Bearer {token}"}, timeout=30)
        for count in page_counts:
            call_id = new_call(cad)
            pages = open_pages(browser, base, sessions[:count], call_id)
            measure(cad, pages, call_id, 3)  # warm-up: templates, connections, caches
            results.append(measure(cad, pages, call_id, segments))
            print(json.dumps(results[-1]), flush=True)
            for page in pages:
                page.context.close()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--segments", type=int, default=40)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-live-"))
    url = args.database_url or f"sqlite:///{scratch / 'live.db'}"
    started = time.perf_counter()
    results = run(url, args.pages, args.segments, scratch / "server.log")
    print(f"database: {url.split(':')[0]}; took {time.perf_counter() - started:.0f} s")
    for r in results:
        print(
            f"{r['pages']:>3} page(s), {r['samples']} samples: "
            f"visible p50 {r['visible_p50_ms']} ms, p95 {r['visible_p95_ms']} ms, "
            f"max {r['visible_max_ms']} ms"
            f" (in the DOM: p50 {r['in_dom_p50_ms']} ms, p95 {r['in_dom_p95_ms']} ms)"
        )


if __name__ == "__main__":
    main()
