"""Every answer says how long the server worked on it (Server-Timing), so a slow sync can be split into
the server's share and the rest; the benchmark reads it per batch."""

from __future__ import annotations

import requests

from sync.server.api.timing import server_ms
from tests.sync.rawapi import batch, push, sign_in


def test_a_push_and_a_refusal_both_carry_the_servers_time(server, device) -> None:
    stored = push(server, device.auth, batch(device, [sign_in(n) for n in range(1, 21)]))
    refused = requests.get(f"{server.url}/v1/sync/changes", timeout=10)  # no token
    for answer in (stored, refused):
        duration = server_ms(answer.headers.get("Server-Timing"))
        assert duration is not None and duration >= 0


def test_the_header_is_read_by_its_metric_name() -> None:
    assert server_ms("db;dur=3, app;dur=12.5") == 12.5
    assert server_ms("db;dur=3") is None and server_ms(None) is None
