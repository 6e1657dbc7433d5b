"""A small HTTP-aware TCP proxy on loopback that breaks things on purpose, between a kiosk and the server.

It understands just enough HTTP/1.1 (a head, then a Content-Length body) to act on whole requests:
cut one half-way, drop the answer after the server has committed, answer 500 itself, hold the answer,
or deliver the same request twice. Faults are queued and consumed by the next requests whose path
starts with the given prefix; everything else passes through unchanged.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from enum import Enum


class Fault(Enum):
    CUT_MID_REQUEST = "cut the connection half-way through sending the request"
    CUT_BEFORE_RESPONSE = "the server handles the request, the kiosk never hears back"
    ERROR_500 = "answer 500 without asking the server"
    ERROR_500_AFTER_COMMIT = "the server handles the request, the kiosk is told 500"
    SLOW = "the answer arrives after a delay"
    DUPLICATE = "the same request reaches the server twice"
    HOLD = "the answer is held until released"


@dataclass
class _Plan:
    fault: Fault
    path_prefix: str
    delay: float = 0.0
    skip: int = 0  # matching requests to let through untouched first


_ERROR_BODY = b'{"error":{"code":"server_error","message":"injected by the proxy","details":[]}}'
_INTERNAL_500 = (
    b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_ERROR_BODY), _ERROR_BODY)
)


class _Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def message(self) -> tuple[bytes, bytes] | None:
        """One HTTP message (head, body), or None when the peer closed between messages."""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(self.buffer) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return head + b"\r\n\r\n", body


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._plans: deque[_Plan] = deque()
        self._lock = threading.Lock()
        self.reached_server: Counter[str] = Counter()  # path -> requests the server received in full
        self.holding = threading.Event()  # set while a held answer waits
        self._release = threading.Event()
        self._closed = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def inject(
        self, fault: Fault, path_prefix: str = "/v1/sync/events", *, delay: float = 0.0, after: int = 0
    ) -> None:
        """Apply `fault` to the next request to `path_prefix`, after letting `after` of them pass."""
        with self._lock:
            self._plans.append(_Plan(fault, path_prefix, delay, after))

    def pending_faults(self) -> int:
        with self._lock:
            return len(self._plans)

    def release(self) -> None:
        self._release.set()

    def close(self) -> None:
        self._closed = True
        self._release.set()
        self._listener.close()
        for sock in list(self._sockets):
            _close(sock)

    # -- internals -----------------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._sockets.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _plan_for(self, path: str) -> _Plan | None:
        with self._lock:
            for plan in self._plans:
                if path.startswith(plan.path_prefix):
                    if plan.skip:
                        plan.skip -= 1
                        return None
                    self._plans.remove(plan)
                    return plan
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            reader = _Reader(client)
            upstream_reader: _Reader | None = None
            while True:
                request = reader.message()
                if request is None:
                    return
                head, body = request
                path = head.split(b" ", 2)[1].decode()
                plan = self._plan_for(path)
                if plan is not None and plan.fault is Fault.ERROR_500:
                    client.sendall(_INTERNAL_500)
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
                    self._sockets.append(upstream)
                    upstream_reader = _Reader(upstream)
                assert upstream_reader is not None
                if plan is not None and plan.fault is Fault.CUT_MID_REQUEST:
                    upstream.sendall(head + body[: len(body) // 2])
                    time.sleep(0.2)
                    return
                response = self._exchange(upstream, upstream_reader, head, body, path)
                if plan is not None and plan.fault is Fault.DUPLICATE:
                    response = self._exchange(upstream, upstream_reader, head, body, path)
                if response is None:
                    return
                if plan is not None:
                    if plan.fault is Fault.CUT_BEFORE_RESPONSE:
                        return
                    if plan.fault is Fault.ERROR_500_AFTER_COMMIT:
                        client.sendall(_INTERNAL_500)
                        return
                    if plan.fault is Fault.SLOW:
                        time.sleep(plan.delay)
                    if plan.fault is Fault.HOLD:
                        self.holding.set()
                        self._release.wait()
                client.sendall(response[0] + response[1])
        except OSError:
            return
        finally:
            _close(client)
            if upstream is not None:
                _close(upstream)

    def _exchange(
        self, upstream: socket.socket, reader: _Reader, head: bytes, body: bytes, path: str
    ) -> tuple[bytes, bytes] | None:
        upstream.sendall(head + body)
        self.reached_server[path.split("?")[0]] += 1
        return reader.message()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
