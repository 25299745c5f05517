"""Pure ASGI middleware: request ids, request size limits, access logs and metrics."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from heard.errors import problem
from heard.logs import request_id_var

log = logging.getLogger("heard.access")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "heard_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "heard_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )


class _BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parser passes it on instead of reporting a parse error."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"requests are limited to {limit} bytes; send less data")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, metrics: Metrics) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = incoming if incoming.replace("-", "").isalnum() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = {"status": 500}
        try:
            declared = headers.get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
                await self._too_large(send, request_id, status_holder)
                return
            await self.app(
                scope, self._limited(receive), self._tagged(send, request_id, status_holder)
            )
        except _BodyTooLarge:
            await self._too_large(send, request_id, status_holder)
        finally:
            self._observe(scope, status_holder["status"], time.perf_counter() - started)
            request_id_var.reset(token)

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise _BodyTooLarge(self.max_body_bytes)
            return message

        return wrapped

    @staticmethod
    def _tagged(send: Send, request_id: str, status_holder: dict[str, int]) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        return wrapped

    async def _too_large(self, send: Send, request_id: str, status_holder: dict[str, int]) -> None:
        body = problem(
            status=413,
            title="Request too large",
            detail=f"requests are limited to {self.max_body_bytes} bytes; send less data",
            request_id=request_id,
        )
        payload = json.dumps(body).encode()
        status_holder["status"] = 413
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"x-request-id", request_id.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route: Any = scope.get("route")
        path = getattr(route, "path", None) or "unmatched"
        method = scope.get("method", "")
        self.metrics.requests.labels(method, path, str(status)).inc()
        self.metrics.latency.labels(method, path).observe(seconds)
        log.info(
            "request",
            extra={
                "method": method,
                "path": scope.get("path"),
                "route": path,
                "status": status,
                "ms": round(seconds * 1000, 2),
            },
        )
