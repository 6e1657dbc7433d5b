"""Request bodies: size limits before anything is parsed, and gzip-compressed pushes.

A kiosk with a semester's backlog compresses its batches (event JSON shrinks about tenfold); the
server must still refuse a body that is too large either on the wire or once inflated, so a small
"gzip bomb" cannot take its memory. This sits in front of FastAPI as plain ASGI, so the routes keep
their typed bodies and the OpenAPI schema stays the real one.
"""

from __future__ import annotations

import zlib
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.api.errors import error_body


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.response = JSONResponse(error_body(code, message), status_code=status)


class BodyLimits:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            self._check_declared_length(headers)
            body = await self._read(receive)
            if body is None:
                return  # the client went away
            body = self._decode(headers, body)
        except _Refused as refused:
            await refused.response(scope, receive, send)
            return
        await self.app(_with_plain_body(scope, len(body)), _replay(body, receive), send)

    def _check_declared_length(self, headers: Headers) -> None:
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            raise self._too_large()

    async def _read(self, receive: Receive) -> bytes | None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                raise self._too_large()
            if not message.get("more_body", False):
                return bytes(body)

    def _decode(self, headers: Headers, body: bytes) -> bytes:
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding == "identity":
            return body
        if encoding != "gzip":
            raise _Refused(
                415, "unsupported_encoding", "Request bodies may be sent plain or gzip-compressed."
            )
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            plain = inflater.decompress(body, self.max_bytes + 1)
        except zlib.error as exc:
            raise _Refused(400, "bad_gzip", "The request body is not valid gzip.") from exc
        if len(plain) > self.max_bytes:
            raise self._too_large()
        if not inflater.eof:
            raise _Refused(400, "bad_gzip", "The gzip request body is truncated.")
        return plain

    def _too_large(self) -> _Refused:
        return _Refused(
            413,
            "body_too_large",
            f"Request bodies are limited to {self.max_bytes} bytes; send smaller batches.",
        )


def _with_plain_body(scope: Scope, length: int) -> Scope:
    headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-length", b"content-encoding")]
    headers.append((b"content-length", str(length).encode()))
    return dict(scope, headers=headers)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            message: dict[str, Any] = {"type": "http.request", "body": body, "more_body": False}
            return message
        return await receive()

    return replay
