"""A `Server-Timing` header on every answer: how long the server spent on the request, in ms.

From the first byte of the request reaching the application to its answer's headers: reading and
inflating the body, parsing and validating it, storing it and committing. A kiosk's log or a benchmark
can then tell the server's share of a slow sync from the network's and its own. Plain ASGI, outermost.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={elapsed_ms:.1f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed)


def server_ms(header: str | None, metric_name: str = "app") -> float | None:
    """One metric's duration in a Server-Timing header (by default `app`, the whole request), or None.
    A push also reports `intake`: storing the batch and committing it."""
    for metric in (header or "").split(","):
        name, _, params = metric.strip().partition(";")
        if name == metric_name and params.startswith("dur="):
            return float(params[4:])
    return None
