"""`heard demo` as a newcomer runs it: it starts from nothing, serves the sign-in page, runs the
simulator, lets `heard sim run` play through it with the token it printed, and stops on Ctrl-C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

START_WITHIN_S = 120.0
STOP_WITHIN_S = 15.0
ONE_CALL = """
name: one-call
title: One short call
description: A caller reports a stolen bike; no transcript, so it needs only intake.
domestic_abuse: false
people:
  sam: {given_name: Sam, family_name: Reid, phone: "07700 900999"}
timeline:
  - call: c
    channel: "101"
    caller: sam
    free_text: Bike stolen from outside the library.
  - update: c
    free_text: Bike is a red mountain bike.
  - close: c
    disposition: crime_reference_given
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Output:
    """The process's output, read as it comes so the pipe never fills."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._stream = process.stdout
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._stream:
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)

    def finish(self) -> str:
        self._reader.join(timeout=STOP_WITHIN_S)
        return self.text()


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], out: Output) -> None:
    deadline = time.monotonic() + START_WITHIN_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the demo exited early ({process.returncode}):\n{out.finish()}")
        if condition():
            return
        time.sleep(0.2)  # polling with a deadline, not synchronising on a sleep
    pytest.fail(f"timed out waiting for the demo:\n{out.text()}")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def running_demo(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Output]]:
    port = free_port()
    command = [sys.executable, "-m", "heard.cli", "demo", "--database", str(tmp_path / "d.db")]
    # In real time and without background calls the demo's own simulator sends one call in the
    # first 45 s, so the `heard sim run` below does not intake calls at the same moment: two
    # concurrent intakes on SQLite can stall for the busy timeout (see docs/simulator.md).
    command += ["--port", str(port), "--people", "300", "--speed", "1"]
    command += ["--background-rate", "0"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path
    )
    out = Output(process)
    try:
        yield f"http://127.0.0.1:{port}", process, out
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=STOP_WITHIN_S)


def test_the_demo_serves_the_login_page_runs_the_simulator_and_stops_cleanly_on_ctrl_c(
    running_demo, tmp_path
):
    url, process, out = running_demo
    wait_for(lambda: answers(f"{url}/readyz"), process, out)
    login = httpx.get(f"{url}/login", timeout=5)
    assert login.status_code == 200 and "Sign in" in login.text
    wait_for(lambda: "▶ scenario:" in out.text() and "Ready in" in out.text(), process, out)

    token = re.search(r"hrd_[A-Za-z0-9_-]{20,}", out.text())
    assert token, out.text()
    scenario = tmp_path / "one-call.yaml"
    scenario.write_text(ONE_CALL, encoding="utf-8")
    command = [sys.executable, "-m", "heard.cli", "sim", "run", "--token", token.group(0)]
    command += ["--base-url", url, "--scenario", str(scenario)]
    command += ["--background-rate", "0", "--no-database"]
    played = subprocess.run(
        [*command, "--speed", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert played.returncode == 0, played.stdout + played.stderr
    assert "Simulator summary" in played.stdout and "one-call" in played.stdout

    repeating = subprocess.Popen(
        [*command, "--repeat", "--speed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    played_out = Output(repeating)
    wait_for(lambda: "▶ one-call" in played_out.text(), repeating, played_out)
    repeating.send_signal(signal.SIGTERM)
    assert repeating.wait(timeout=STOP_WITHIN_S) == 0, "a stop between requests is not a failure"
    assert "Simulator summary" in played_out.finish()

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=STOP_WITHIN_S) == 0
    text = out.finish()
    assert "Simulator summary" in text and "Demo stopped." in text
    assert "Traceback" not in text
