"""HTTP to the school's server with requests: typed calls, gzip for big batches, errors sorted by
what the kiosk should do about them.

- `Unreachable`: no answer, a cut connection, a timeout or a 5xx. Nothing is known to have failed for
  good; retry later with back-off. (The batch may even have been stored: a resend is harmless.)
- `Refused`: the server answered 4xx with a reason. Retrying the same request will not help until a
  person acts (enrol again, upgrade the server); the reason goes on the admin screen.
"""

from __future__ import annotations

import gzip
import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, ValidationError

from sync.wire import (
    API_PREFIX,
    Changes,
    EnrolRequest,
    EnrolResponse,
    HeldEvents,
    PinSealKey,
    PushAck,
    PushBatch,
    SealedPins,
)

GZIP_ABOVE_BYTES = 1024
GZIP_LEVEL = 1  # a backlog's JSON shrinks 5× at level 1 and 6× at 6, for a third of the CPU
M = TypeVar("M", bound=BaseModel)


class TransportError(Exception):
    pass


class Unreachable(TransportError):
    pass


class Refused(TransportError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class InsecureServerUrl(ValueError):
    pass


def check_server_url(url: str, *, allow_plain_http: bool = False) -> str:
    """The enrolment code, the device token and every pull (children's names, callees' phone numbers)
    cross the school's network: plain HTTP is accepted only on this machine, or when a person says so."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureServerUrl(f"not a server address: {url!r} (e.g. https://192.168.1.10:8700)")
    if parts.scheme == "http" and not allow_plain_http and not _is_loopback(parts.hostname):
        raise InsecureServerUrl(
            f"{url} is plain HTTP: children's data would cross the network unencrypted. Use https:// "
            "(see the README on TLS), or --allow-plain-http on a network you trust."
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServerApi:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = (5.0, 30.0),
        ca_file: Path | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # A school's own certificate; otherwise requests' CAs (or REQUESTS_CA_BUNDLE). Never unverified.
        self.verify: str | bool = str(ca_file) if ca_file is not None else True
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "liushou-kiosk-sync/1"
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.session.close()

    def enrol(self, request: EnrolRequest) -> EnrolResponse:
        return _parse(EnrolResponse, self._call("POST", "/enrol", request.model_dump_json().encode()))

    def push(self, batch: PushBatch) -> PushAck:
        return self.push_body(batch.model_dump_json().encode())

    def push_body(self, body: bytes) -> PushAck:
        """A push whose body (a sync.wire.PushBatch as JSON) the client serialised itself."""
        return _parse(PushAck, self._call("POST", "/sync/events", body))

    def held(self, after: int) -> HeldEvents:
        """Seqs and ids the server holds of this kiosk's events after `after` (one page)."""
        return _parse(HeldEvents, self._call("GET", "/sync/events/held", params={"after": after}))

    def pull(self, after: int) -> Changes:
        return _parse(Changes, self._call("GET", "/sync/changes", params={"after": after}))

    def agree_pin_seal_key(self, key_hex: str) -> SealedPins:
        body = PinSealKey(key=key_hex).model_dump_json().encode()
        return _parse(SealedPins, self._call("POST", "/sync/pin-seal-key", body))

    def _call(
        self, method: str, path: str, body: bytes | None = None, params: dict[str, Any] | None = None
    ) -> Any:
        response = self._send(method, path, body, params)
        if response.status_code >= 500:
            raise Unreachable(f"server error {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise Unreachable(f"unreadable answer (HTTP {response.status_code})") from exc
        if response.status_code >= 400:
            error = data.get("error", {}) if isinstance(data, dict) else {}
            raise Refused(
                response.status_code,
                str(error.get("code", f"http_{response.status_code}")),
                str(error.get("message", "refused by the server")),
            )
        return data

    def _send(
        self, method: str, path: str, body: bytes | None, params: dict[str, Any] | None
    ) -> requests.Response:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if body is not None and len(body) > GZIP_ABOVE_BYTES:
            body = gzip.compress(body, compresslevel=GZIP_LEVEL)
            headers["Content-Encoding"] = "gzip"
        try:
            return self.session.request(
                method,
                self.base_url + API_PREFIX + path,
                data=body,
                params=params,
                headers=headers,
                timeout=self.timeout,
                verify=self.verify,
            )
        except requests.RequestException as exc:
            raise Unreachable(f"server unreachable ({type(exc).__name__})") from exc


def _parse(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Unreachable(f"unexpected answer from the server ({model.__name__})") from exc


def api_for_school(ca_file: Path | None) -> Callable[[str, str | None], ServerApi]:
    """The `api_factory` for a SyncClient of a kiosk whose config names the school's certificate."""
    return lambda base_url, token: ServerApi(base_url, token, ca_file=ca_file)
