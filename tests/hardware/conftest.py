"""Fixtures that put real stacks under the reader tests: our own pcscd with the vpcd driver and virtual
cards spoken from Python, and pty pairs opened by pyserial like USB-serial adapters."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hardware.hub import ReaderHub
from hardware.source import Source
from tests.hardware.helpers import TEST_GAP, WAIT
from tests.support.pcscd import PcscdUnavailable, PrivatePcscd
from tests.support.serial_line import VirtualSerialLine
from tests.support.vpcd import VirtualCard


@pytest.fixture(scope="session", autouse=True)
def _private_pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePcscd | str]:
    """Our pcscd (not started), or why there cannot be one.

    pcsc-lite's client library reads PCSCLITE_CSOCK_NAME once per process, so it is set here, before any
    test makes a PC/SC call, and it never points at a pcscd this machine happens to run.
    """
    workdir = tmp_path_factory.mktemp("pcscd")
    try:
        daemon: PrivatePcscd | str = PrivatePcscd(workdir)
        os.environ["PCSCLITE_CSOCK_NAME"] = str(daemon.client_socket)
    except PcscdUnavailable as exc:
        daemon = str(exc)
        os.environ["PCSCLITE_CSOCK_NAME"] = str(workdir / "unavailable" / "pcscd.comm")
    yield daemon
    if isinstance(daemon, PrivatePcscd):
        daemon.stop()


@pytest.fixture
def pcscd(_private_pcscd: PrivatePcscd | str) -> Iterator[PrivatePcscd]:
    """A running pcscd with two virtual readers, stopped after the test."""
    if isinstance(_private_pcscd, str):
        pytest.skip(f"no private pcscd here: {_private_pcscd}")
    _private_pcscd.start()
    yield _private_pcscd
    _private_pcscd.stop()


@pytest.fixture
def card(pcscd: PrivatePcscd) -> Iterator[Callable[..., VirtualCard]]:
    """`card("04A2B3C4")` is a card for the first virtual reader, `card(uid, reader=1)` for the second;
    all are lifted off at the end of the test."""
    made: list[VirtualCard] = []

    def make(uid: str | None, reader: int = 0) -> VirtualCard:
        made.append(VirtualCard(uid, pcscd.vpcd_port + reader))
        return made[-1]

    yield make
    for virtual in made:
        virtual.remove()


@pytest.fixture
def serial_line(tmp_path: Path) -> Iterator[VirtualSerialLine]:
    line = VirtualSerialLine(tmp_path / "ttyRFID")
    yield line
    line.close()


@pytest.fixture
def hub() -> Iterator[Callable[..., ReaderHub]]:
    """`hub(source, ...)` starts a ReaderHub with test timings and waits until its readers are connected;
    every hub is closed at the end of the test."""
    made: list[ReaderHub] = []

    def make(*sources: Source, wait: bool = True, **options: float) -> ReaderHub:
        settings = {
            "debounce_seconds": TEST_GAP,
            "reconnect_first_seconds": 0.05,
            "reconnect_most_seconds": 0.2,
            **options,
        }
        made.append(ReaderHub(sources, **settings).start())  # type: ignore[arg-type]
        if wait:
            assert made[-1].wait_until_connected(WAIT), made[-1].status()
        return made[-1]

    yield make
    for started in made:
        started.close()
