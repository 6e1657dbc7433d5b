"""Which readers a kiosk uses: a typed settings object built from the `[readers]` table of its config.

The kiosk loads its TOML file and passes the `[readers]` table (a plain dict) to
`ReaderSettings.from_mapping`. Every key is optional; unknown keys are errors, so a typo in the room's
config file is reported at start-up instead of silently doing nothing. Example::

    [readers]
    use = "auto"                 # or a list of: "pcsc", "serial", "keyboard"
    debounce_seconds = 1.5       # how long a card must be away before it counts as a new tap
    reconnect_first_seconds = 0.5
    reconnect_most_seconds = 10

    [readers.pcsc]
    readers = []                 # name filters; empty = every reader pcscd reports
    ignore = ["SAM"]

    [[readers.serial]]
    port = "/dev/ttyUSB0"        # or "auto": every likely USB-serial adapter (see hardware.detect)
    baud = 9600
    protocol = "rdm6300"         # or "lines": one card number per line
    em4100_uid = "decimal"       # see hardware.base.em4100_uid

    [readers.keyboard]
    max_key_gap_seconds = 0.05
    card_patterns = ['\\d{10}']
    scan_patterns = ['97[89]\\d{10}']

"auto" means PC/SC (any reader pcscd reports, now or later), serial on the ports listed (or, if none are
listed, every port that looks like a USB-serial adapter), and keyboard-wedge readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hardware.debounce import DEFAULT_GAP_SECONDS
from hardware.pcsc import PcscSettings
from hardware.serial_reader import SerialSettings
from hardware.wedge import WedgeSettings

KINDS = ("pcsc", "serial", "keyboard")
AUTO_PORT = "auto"


@dataclass(frozen=True)
class ReaderSettings:
    use: tuple[str, ...] = KINDS
    debounce_seconds: float = DEFAULT_GAP_SECONDS
    reconnect_first_seconds: float = 0.5
    reconnect_most_seconds: float = 10.0
    pcsc: PcscSettings = field(default_factory=PcscSettings)
    serial: tuple[SerialSettings, ...] = (SerialSettings(port=AUTO_PORT),)
    keyboard: WedgeSettings = field(default_factory=WedgeSettings)

    def __post_init__(self) -> None:
        unknown = set(self.use) - set(KINDS)
        if unknown:
            raise ValueError(f"readers.use: unknown kind(s) {sorted(unknown)}; use {KINDS} or 'auto'")
        if self.debounce_seconds <= 2 * self.pcsc.poll_seconds:
            raise ValueError("readers.debounce_seconds must exceed twice readers.pcsc.poll_seconds")
        if not 0 < self.reconnect_first_seconds <= self.reconnect_most_seconds:
            raise ValueError("need 0 < reconnect_first_seconds <= reconnect_most_seconds")

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any] | None) -> ReaderSettings:
        """Build from the `[readers]` table (None or {} gives the defaults: everything on "auto")."""
        table = dict(table or {})
        _no_unknown_keys(
            "readers",
            table,
            {"use", "debounce_seconds", "reconnect_first_seconds", "reconnect_most_seconds",
             "pcsc", "serial", "keyboard"},
        )  # fmt: skip
        kwargs: dict[str, Any] = {}
        if "use" in table:
            kwargs["use"] = _use(table["use"])
        for key in ("debounce_seconds", "reconnect_first_seconds", "reconnect_most_seconds"):
            if key in table:
                kwargs[key] = _number(f"readers.{key}", table[key])
        if "pcsc" in table:
            kwargs["pcsc"] = _pcsc(_table("readers.pcsc", table["pcsc"]))
        if "serial" in table:
            entries = table["serial"]
            if isinstance(entries, Mapping):
                entries = [entries]
            if not isinstance(entries, Sequence) or isinstance(entries, str):
                raise ValueError("readers.serial must be a table or a list of tables ([[readers.serial]])")
            where = [f"readers.serial[{i}]" for i in range(len(entries))]
            kwargs["serial"] = tuple(_serial(w, _table(w, e)) for w, e in zip(where, entries, strict=True))
        if "keyboard" in table:
            kwargs["keyboard"] = _keyboard(_table("readers.keyboard", table["keyboard"]))
        return cls(**kwargs)


def _use(value: Any) -> tuple[str, ...]:
    if value == "auto":
        return KINDS
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise ValueError("readers.use must be 'auto' or a list of kinds")
    return tuple(value)


def _pcsc(table: dict[str, Any]) -> PcscSettings:
    _no_unknown_keys("readers.pcsc", table, {"readers", "ignore", "poll_seconds"})
    kwargs: dict[str, Any] = {}
    for key in ("readers", "ignore"):
        if key in table:
            kwargs[key] = _strings(f"readers.pcsc.{key}", table[key])
    if "poll_seconds" in table:
        kwargs["poll_seconds"] = _number("readers.pcsc.poll_seconds", table["poll_seconds"])
    return PcscSettings(**kwargs)


def _serial(where: str, table: dict[str, Any]) -> SerialSettings:
    _no_unknown_keys(where, table, {"port", "baud", "protocol", "em4100_uid", "line_pattern", "name"})
    if "port" not in table:
        raise ValueError(f"{where}.port is required (a device path or 'auto')")
    kwargs: dict[str, Any] = {}
    for key in ("port", "protocol", "em4100_uid", "line_pattern", "name"):
        if key in table:
            if not isinstance(table[key], str):
                raise ValueError(f"{where}.{key} must be a string")
            kwargs[key] = table[key]
    if "baud" in table:
        if not isinstance(table["baud"], int) or isinstance(table["baud"], bool):
            raise ValueError(f"{where}.baud must be a whole number")
        kwargs["baud"] = table["baud"]
    try:
        return SerialSettings(**kwargs)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from exc


def _keyboard(table: dict[str, Any]) -> WedgeSettings:
    _no_unknown_keys(
        "readers.keyboard",
        table,
        {"max_key_gap_seconds", "min_length", "max_length", "card_patterns", "scan_patterns", "reader"},
    )
    kwargs: dict[str, Any] = {}
    if "max_key_gap_seconds" in table:
        kwargs["max_key_gap"] = _number("readers.keyboard.max_key_gap_seconds", table["max_key_gap_seconds"])
    for key in ("min_length", "max_length"):
        if key in table:
            if not isinstance(table[key], int) or isinstance(table[key], bool):
                raise ValueError(f"readers.keyboard.{key} must be a whole number")
            kwargs[key] = table[key]
    for key in ("card_patterns", "scan_patterns"):
        if key in table:
            kwargs[key] = _strings(f"readers.keyboard.{key}", table[key])
    if "reader" in table:
        kwargs["reader"] = str(table["reader"])
    return WedgeSettings(**kwargs)


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a table")
    return dict(value)


def _no_unknown_keys(where: str, table: Mapping[str, Any], known: set[str]) -> None:
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"{where}: unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} must be a number")
    return float(value)


def _strings(where: str, value: Any) -> tuple[str, ...]:
    is_list = isinstance(value, Sequence) and not isinstance(value, str)
    if not is_list or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} must be a list of strings")
    return tuple(value)
