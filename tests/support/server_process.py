"""A real `uvicorn heard.asgi:app` in a child process, for tests that kill the server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """Start, kill -9 and restart the server on one port against one database."""

    def __init__(self, database_url: str, log_path: Path, **env: str) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.log_path = log_path
        self.extra_env = env
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **env_overrides: str) -> None:
        env = dict(os.environ)
        env.update(
            {
                "HEARD_ENVIRONMENT": "test",
                "HEARD_DATABASE_URL": self.database_url,
                "HEARD_RUN_WORKER_IN_PROCESS": "true",
                "HEARD_SESSION_COOKIE_SECURE": "false",
                "HEARD_LOG_LEVEL": "WARNING",
                "HEARD_MAX_REQUEST_BYTES": "5000000",
            }
        )
        env.update(self.extra_env)
        env.update(env_overrides)
        command = [sys.executable, "-m", "uvicorn", "heard.asgi:app", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--no-access-log"]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # polling for readiness with a deadline, not synchronising on time
        raise RuntimeError(f"server did not start in {START_SECONDS} s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing; what was committed is all that survives."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
