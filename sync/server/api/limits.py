"""Request bodies: size limits before anything is parsed, and gzip-compressed pushes.

A kiosk with a semester's backlog compresses its batches (event JSON shrinks about tenfold); the
server must still refuse a body that is too large either on the wire or once inflated, so a small
"gzip bomb" cannot take its memory. This sits in front of FastAPI as plain ASGI, so the routes keep
their typed bodies and the OpenAPI schema stays the real one.

The office's file uploads (a roster with a photo of each child runs to several megabytes) have their
own, larger limit; a file over it is sent back to the page it came from with 文件太大 — a form
error, not a JSON refusal a clerk cannot read.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.api.errors import error_body

_DRAIN_MAX = 64 * 1024 * 1024  # read (and drop) this much of a refused upload so the browser sees the answer


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.response = JSONResponse(error_body(code, message), status_code=status)


class BodyLimits:
    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        *,
        upload_bytes: int = 0,
        upload_paths: re.Pattern[str] | None = None,
    ) -> None:
        """`upload_paths`: the office's upload addresses (…/preview), allowed `upload_bytes`; a file
        over it is redirected to the address without its last part, with ?problem=file_too_large."""
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        upload = self.upload_paths is not None and self.upload_paths.match(scope.get("path", "")) is not None
        limit = self.upload_bytes if upload else self.max_bytes
        try:
            self._check_declared_length(headers, limit)
            body = await self._read(receive, limit)
            if body is None:
                return  # the client went away
            body = self._decode(headers, body)
        except _Refused as refused:
            if upload:
                await _drain(receive)
                back = scope["path"].rsplit("/", 1)[0]
                await RedirectResponse(f"{back}?problem=file_too_large", status_code=303)(
                    scope, receive, send
                )
                return
            await refused.response(scope, receive, send)
            return
        await self.app(_with_plain_body(scope, len(body)), _replay(body, receive), send)

    def _check_declared_length(self, headers: Headers, limit: int) -> None:
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise self._too_large()

    async def _read(self, receive: Receive, limit: int) -> bytes | None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if len(body) > limit:
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


async def _drain(receive: Receive) -> None:
    """Read what is left of a refused upload, up to a bound, so the browser reads the answer instead
    of a connection reset; nothing is kept."""
    drained = 0
    while drained < _DRAIN_MAX:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return
        drained += len(message.get("body", b""))


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
