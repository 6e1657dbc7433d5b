"""Who can reach the server, and what it tells them: plain HTTP only on the machine itself unless an
administrator says otherwise, and no API map for strangers.

Kiosks send children's visits and calls and receive names and phone numbers; on a school LAN that
must be HTTPS. `serve --host 0.0.0.0` without a certificate is refused, unless `--allow-plain-http`
says the administrator knows (a test network, or TLS ended by a proxy in front). `/docs` and
`/openapi.json` describe every route for anyone who asks; they are off unless `--api-docs`.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class PlainHttpRefused(ValueError):
    pass


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: reachable from this machine only. 0.0.0.0 and :: are every
    address of the machine, so they are not."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to the LAN address


def check_listen_address(host: str, *, tls: bool, allow_plain_http: bool) -> None:
    if tls or allow_plain_http or is_loopback(host):
        return
    raise PlainHttpRefused(
        f"serve: {host} is reachable from the network, and without --certfile/--keyfile the kiosks' "
        "data (children's names, phone numbers, device tokens) would cross it unencrypted. Give the "
        "server a certificate (README: Central server and sync), or add --allow-plain-http if this "
        "network is a test bench or a TLS proxy sits in front."
    )
