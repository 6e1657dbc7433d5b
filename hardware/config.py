"""Which readers a kiosk uses: a typed settings object built from the `[readers]` table of its config.

The kiosk loads its TOML file and passes the `[readers]` table (a plain dict) to
`ReaderSettings.from_mapping`. Every key is optional; each is checked for its type and range, and unknown
keys are errors (with the likely key suggested), so a typo in the room's config file is reported at
start-up instead of silently doing nothing. Problems carry their key path (`configfile.SettingError`)
so the kiosk can name the file's line. Example::

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
    max_key_gap_seconds = 0.05   # the typical gap between a machine's keys (the median over a code)
    max_pause_seconds = 0.75     # the longest pause inside one code (a busy machine's keys come in bursts)
    card_patterns = ['\\d{10}']
    scan_patterns = ['97[89]\\d{10}']

"auto" means PC/SC (any reader pcscd reports, now or later), serial on the ports listed (or, if none are
listed, every port that looks like a USB-serial adapter), and keyboard-wedge readers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from configfile.problems import Problem, SettingError
from configfile.rules import Bad, check_table, choice, list_of, number, pattern, text, whole
from hardware.base import EM4100_STYLES
from hardware.debounce import DEFAULT_GAP_SECONDS
from hardware.pcsc import PcscSettings
from hardware.serial_reader import PROTOCOLS, SerialSettings
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
            raise _error("use", f"unknown kind(s) {sorted(unknown)}; use {KINDS} or 'auto'")
        if self.debounce_seconds <= 2 * self.pcsc.poll_seconds:
            raise _error("debounce_seconds", "must exceed twice readers.pcsc.poll_seconds")
        if not 0 < self.reconnect_first_seconds <= self.reconnect_most_seconds:
            raise _error("reconnect_first_seconds", "must not exceed reconnect_most_seconds")

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any] | None) -> ReaderSettings:
        """Build from the `[readers]` table (None or {} gives the defaults: everything on "auto").
        Raises `SettingError` (a ValueError) naming every wrong key by its path under "readers"."""
        try:
            checked = check_table(table or {}, _READERS)
        except SettingError as exc:
            raise exc.under(("readers",)) from None
        return _build(("readers",), cls, checked)


def _use(value: Any) -> tuple[str, ...]:
    if value == "auto":
        return KINDS
    kinds = list_of(choice(*KINDS), at_least=1)([value] if isinstance(value, str) else value)
    return tuple(kinds)


def _pcsc(table: Any) -> PcscSettings:
    rules = {
        "readers": list_of(text),
        "ignore": list_of(text),
        "poll_seconds": number(0.05, 5, "seconds"),
    }
    return _build((), PcscSettings, check_table(table, rules))


def _one_serial(table: Any) -> SerialSettings:
    rules = {
        "port": text,
        "baud": whole(300, 4_000_000),
        "protocol": choice(*PROTOCOLS),
        "em4100_uid": choice(*EM4100_STYLES),
        "line_pattern": pattern,
        "name": text,
    }
    return _build((), SerialSettings, check_table(table, rules, required=("port",)))


def _serial(value: Any) -> tuple[SerialSettings, ...]:
    entries = [value] if isinstance(value, Mapping) else value
    if not isinstance(entries, list):
        raise Bad("must be a table or a list of tables ([[readers.serial]])")
    problems: list[Problem] = []
    built = []
    for index, entry in enumerate(entries):
        try:
            built.append(_one_serial(entry))
        except SettingError as exc:
            problems += exc.under((index,)).problems
    if problems:
        raise SettingError(problems)
    return tuple(built)


def _keyboard(table: Any) -> WedgeSettings:
    rules = {
        "max_key_gap_seconds": number(0.005, 1, "seconds"),
        "max_pause_seconds": number(0.05, 5, "seconds"),
        "min_length": whole(1, 64),
        "max_length": whole(1, 64),
        "card_patterns": list_of(pattern),
        "scan_patterns": list_of(pattern),
        "reader": text,
    }
    checked = check_table(table, rules)
    for seconds in ("max_key_gap", "max_pause"):
        if f"{seconds}_seconds" in checked:
            checked[seconds] = checked.pop(f"{seconds}_seconds")
    return _build((), WedgeSettings, checked)


_READERS: dict[str, Callable[[Any], Any]] = {
    "use": _use,
    "debounce_seconds": number(0.1, 60, "seconds"),
    "reconnect_first_seconds": number(0.01, 60, "seconds"),
    "reconnect_most_seconds": number(0.01, 3600, "seconds"),
    "pcsc": _pcsc,
    "serial": _serial,
    "keyboard": _keyboard,
}


def _build(where: tuple[str, ...], cls: Callable[..., Any], checked: dict[str, Any]) -> Any:
    """The settings object; a rule between keys (its __post_init__) becomes a problem at `where`."""
    try:
        return cls(**checked)
    except SettingError as exc:
        raise exc.under(where) from None
    except ValueError as exc:
        raise SettingError([Problem(where, str(exc))]) from None


def _error(key: str, message: str) -> SettingError:
    return SettingError([Problem((key,), message)])
