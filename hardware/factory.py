"""Open every configured reader as one merged, debounced `CardReader` (a `ReaderHub`)."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

from hardware.config import AUTO_PORT, ReaderSettings
from hardware.detect import likely_reader_ports
from hardware.hub import ReaderHub
from hardware.pcsc import PcscSource
from hardware.serial_reader import SerialSettings, SerialSource
from hardware.source import Clock, Source
from hardware.wedge import WedgeDecoder

log = logging.getLogger(__name__)


def sources_for(
    settings: ReaderSettings, find_ports: Callable[[], list[str]] = likely_reader_ports
) -> list[Source]:
    """The adapters `settings` asks for. Serial entries with port "auto" become one per likely port,
    skipping ports another entry names explicitly."""
    sources: list[Source] = []
    if "pcsc" in settings.use:
        sources.append(PcscSource(settings.pcsc))
    if "serial" in settings.use:
        explicit = {s.port for s in settings.serial if s.port != AUTO_PORT}
        chosen: list[SerialSettings] = []
        for entry in settings.serial:
            if entry.port != AUTO_PORT:
                chosen.append(entry)
                continue
            for port in find_ports():
                if port not in explicit and port not in {c.port for c in chosen}:
                    chosen.append(dataclasses.replace(entry, port=port))
        sources.extend(SerialSource(entry) for entry in chosen)
    return sources


def build_hub(
    settings: ReaderSettings,
    *,
    clock: Clock = time.monotonic,
    find_ports: Callable[[], list[str]] = likely_reader_ports,
) -> ReaderHub:
    """A hub for `settings`, not started yet (call `start()` or use it as a context manager)."""
    sources = sources_for(settings, find_ports)
    for source in sources:
        log.info("reader configured: %s", source.name)
    return ReaderHub(
        sources,
        debounce_seconds=settings.debounce_seconds,
        reconnect_first_seconds=settings.reconnect_first_seconds,
        reconnect_most_seconds=settings.reconnect_most_seconds,
        wedge=WedgeDecoder(settings.keyboard) if "keyboard" in settings.use else None,
        clock=clock,
    )


def open_readers(settings: ReaderSettings) -> ReaderHub:
    """Start every configured reader; each runs in its own thread and reconnects on its own."""
    return build_hub(settings).start()
