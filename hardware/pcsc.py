"""PC/SC readers (ACR122U and other USB NFC readers) through pyscard, talking to `pcscd`.

One source watches every PC/SC reader the daemon reports (optionally filtered by name), so "several
readers at once" needs nothing extra. It asks pcscd for state changes, including pcsc-lite's
`\\\\?PnP?\\Notification` pseudo-reader so a reader plugged in later is picked up without a restart. When
a card arrives it connects and reads the UID with the contactless GET DATA command `FF CA 00 00 00`.

While a card stays on a reader the source re-reports it on every poll, so the shared debouncer sees a
resting card the same way it sees a serial module repeating its frame (see `hardware.debounce`).

Failures: a reader unplugged while pcscd runs drops out of the list and comes back through the PnP
notification; pcscd itself stopping (or restarting, which is also what happens when its last reader is
replugged on some systems) invalidates the context, so `run` raises and the supervisor establishes a new
context with backoff.

pyscard is imported lazily: the package still imports on machines without libpcsclite (the server).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hardware.source import ReaderUnavailable, SourceLink

log = logging.getLogger(__name__)

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"
GET_UID = [0xFF, 0xCA, 0x00, 0x00, 0x00]
SW_OK = [0x90, 0x00]


@dataclass(frozen=True)
class PcscSettings:
    readers: Sequence[str] = ()
    """Use only readers whose name contains one of these; empty means every reader pcscd reports."""
    ignore: Sequence[str] = ("SAM",)
    """Skip readers whose name contains one of these (the SAM slot of dual readers holds a contact
    card that is not a child's)."""
    poll_seconds: float = 0.25
    """How long one wait for a state change lasts: how often a resting card is re-reported, and how
    quickly `close()` is noticed. Must stay well below the debounce gap."""

    def __post_init__(self) -> None:
        if self.poll_seconds <= 0:
            raise ValueError("poll_seconds must be positive")

    def wants(self, reader: str) -> bool:
        if any(word in reader for word in self.ignore):
            return False
        return not self.readers or any(word in reader for word in self.readers)


def _scard() -> Any:
    try:
        import smartcard.scard as scard
    except ImportError as exc:  # pyscard or libpcsclite missing
        raise ReaderUnavailable(f"pyscard is not usable here ({exc})") from exc
    return scard


def _error(scard: Any, hresult: int) -> str:
    return str(scard.SCardGetErrorMessage(hresult)).strip()


class PcscContext:
    """An established PC/SC context, released on exit. Raises `ReaderUnavailable` if pcscd is away."""

    def __init__(self) -> None:
        self.scard = _scard()
        hresult, self.handle = self.scard.SCardEstablishContext(self.scard.SCARD_SCOPE_USER)
        if hresult != self.scard.SCARD_S_SUCCESS:
            raise ReaderUnavailable(f"PC/SC service: {_error(self.scard, hresult)}")

    def __enter__(self) -> PcscContext:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.scard.SCardReleaseContext(self.handle)

    def list_readers(self) -> list[str]:
        hresult, names = self.scard.SCardListReaders(self.handle, [])
        if hresult == self.scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != self.scard.SCARD_S_SUCCESS:
            raise ReaderUnavailable(f"listing PC/SC readers: {_error(self.scard, hresult)}")
        return list(names)

    def read_uid(self, reader: str) -> tuple[str | None, str]:
        """(UID as upper-case hex, "") or (None, why not). Why-not texts never contain the UID."""
        sc = self.scard
        hresult, card, protocol = sc.SCardConnect(
            self.handle, reader, sc.SCARD_SHARE_SHARED, sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1
        )
        if hresult != sc.SCARD_S_SUCCESS:
            return None, f"could not connect to the card: {_error(sc, hresult)}"
        try:
            hresult, response = sc.SCardTransmit(card, protocol, GET_UID)
            if hresult != sc.SCARD_S_SUCCESS:
                return None, f"GET DATA failed: {_error(sc, hresult)}"
            if len(response) < 3 or list(response[-2:]) != SW_OK:
                status = bytes(response[-2:]).hex().upper()
                return None, f"card gave no UID (status {status}); not a contactless card?"
            return bytes(response[:-2]).hex().upper(), ""
        finally:
            sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)


def visible_readers() -> list[str]:
    """Every reader pcscd reports now (for `python -m hardware list`). Raises `ReaderUnavailable`."""
    with PcscContext() as context:
        return context.list_readers()


class PcscSource:
    def __init__(self, settings: PcscSettings | None = None) -> None:
        self.settings = settings or PcscSettings()

    @property
    def name(self) -> str:
        return "PC/SC"

    def run(self, link: SourceLink) -> None:
        with PcscContext() as context:
            link.connected("connected to pcscd")
            _Watch(context, self.settings, link).loop()


class _Watch:
    """The state of one context's watch: which readers exist, what each last reported, what is on it."""

    def __init__(self, context: PcscContext, settings: PcscSettings, link: SourceLink) -> None:
        self.context = context
        self.sc = context.scard
        self.settings = settings
        self.link = link
        self.states: dict[str, int] = {}
        self.cards: dict[str, str] = {}
        self.pnp_state = self.sc.SCARD_STATE_UNAWARE
        self.pnp_works = True

    def loop(self) -> None:
        sc = self.sc
        stale = True
        while not self.link.stop.is_set():
            if stale:
                self._refresh_readers()
                stale = False
            query = [(name, state) for name, state in self.states.items()]
            if self.pnp_works:
                query.append((PNP_NOTIFICATION, self.pnp_state))
            if not query:  # no readers and no way to be told of new ones: look again next poll
                self.link.stop.wait(self.settings.poll_seconds)
                stale = True
                continue
            timeout_ms = int(self.settings.poll_seconds * 1000)
            hresult, changes = sc.SCardGetStatusChange(self.context.handle, timeout_ms, query)
            now = self.link.clock()
            if hresult == sc.SCARD_S_SUCCESS:
                stale = self._apply(changes, now)
            elif hresult == sc.SCARD_E_UNKNOWN_READER:
                # A reader vanished between listing and waiting (pcsc-lite 1.9 answers this way; other
                # implementations flag the reader UNKNOWN instead, see `_apply`), or PnP is unsupported.
                if not self.states:
                    self.pnp_works = False
                stale = True
            elif hresult != sc.SCARD_E_TIMEOUT:
                raise ReaderUnavailable(f"PC/SC: {_error(sc, hresult)}")
            elif not self.pnp_works:
                stale = True
            for reader, uid in self.cards.items():  # resting cards: keep the debouncer informed
                self.link.seen(uid, reader, now)

    def _refresh_readers(self) -> None:
        names = [name for name in self.context.list_readers() if self.settings.wants(name)]
        for gone in [name for name in self.states if name not in names]:
            log.info("PC/SC reader gone: %s", gone)
            del self.states[gone]
            self.cards.pop(gone, None)
        for name in names:
            if name not in self.states:
                log.info("PC/SC reader found: %s", name)
                self.states[name] = self.sc.SCARD_STATE_UNAWARE

    def _apply(self, changes: list[tuple[str, int, Any]], now: float) -> bool:
        """Act on one batch of state changes; True if the reader list must be fetched again."""
        sc = self.sc
        stale = False
        for reader, event, _atr in changes:
            if reader == PNP_NOTIFICATION:
                if event & sc.SCARD_STATE_CHANGED:
                    stale = True
                self.pnp_state = event & ~sc.SCARD_STATE_CHANGED
                continue
            if event & (sc.SCARD_STATE_UNKNOWN | sc.SCARD_STATE_IGNORE):
                stale = True  # the reader was unplugged
                continue
            previous = self.states.get(reader, sc.SCARD_STATE_UNAWARE)
            self.states[reader] = event & ~sc.SCARD_STATE_CHANGED
            present = bool(event & sc.SCARD_STATE_PRESENT) and not event & sc.SCARD_STATE_MUTE
            if not present:
                uid = self.cards.pop(reader, None)
                if uid is not None:  # the moment it left is its last sighting
                    self.link.seen(uid, reader, now)
                continue
            # pcsc-lite counts events in the high 16 bits: a card swapped between two polls still shows.
            # Our own connect/disconnect toggles INUSE without counting an event: not a new card.
            new_card = not previous & sc.SCARD_STATE_PRESENT or (event >> 16) != (previous >> 16)
            if new_card:
                self._read(reader, now)
        return stale

    def _read(self, reader: str, now: float) -> None:
        uid, why_not = self.context.read_uid(reader)
        if uid is None:
            self.cards.pop(reader, None)
            log.warning("PC/SC %s: %s", reader, why_not)
            return
        self.cards[reader] = uid
        self.link.seen(uid, reader, now)
