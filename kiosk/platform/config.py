"""Where the kiosk keeps its data and how it is set up on this particular Pi.

Per-device settings (database path, readers, language, server address) live in a TOML file; per-school
rules (cadence, loan periods …) live in the database and come from the central server. Precedence for
the database path: `--db` > `KIOSK_DB` > `db` in the config file > the user's data directory.

Every key of every table is checked here, once, for the touchscreen, the console and `python -m sync`
alike: its type, its range, and that it exists at all (`idle_timout_seconds` is a typo, not a setting
to ignore). Every problem comes back in one `ConfigError`, one line each: file, line, key, the fix.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from configfile.problems import Problem, SettingError
from configfile.rules import (
    Bad,
    boolean,
    check_table,
    choice,
    existing_file,
    list_of,
    matching,
    text,
    web_address,
    whole,
)
from configfile.toml_file import FileProblem, TomlFile, read_toml
from hardware.config import ReaderSettings
from kiosk.platform import device_key

APP_NAME = "liushou-kiosk"
LOCALES = ("zh_CN", "en")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class KioskConfig:
    data_dir: Path
    db_path: Path
    locale: str = "zh_CN"
    readers: ReaderSettings = field(default_factory=ReaderSettings)
    server_url: str | None = None
    # The school server's certificate (or its CA), for a school that made its own; None: the system's CAs.
    server_ca_file: Path | None = None
    fullscreen: bool = True
    idle_timeout_seconds: int = 30
    admin_timeout_seconds: int = 120
    # How long a "done" / "not now" message stays before the screen moves on.
    message_seconds: int = 6
    # The label prefixes on the barcode keypad (书 TS, 刊 QK, 器材 QC in the demo catalogue).
    barcode_prefixes: tuple[str, ...] = ("TS", "QK", "QC")
    # How long the callee's full number stays on the call screen without a touch (then masked).
    number_visible_seconds: int = 20
    # Where the staff PIN seal key comes from (kiosk.platform.device_key): "auto", "rpi-otp" or "file".
    device_key: str = "auto"
    device_key_file: Path | None = None
    # How many daily backups of the database are kept (db.backups), beside those made before upgrades.
    backups_kept: int = 7
    # Whether the touchscreen makes them (tests that start many kiosks turn it off).
    backups: bool = True


KIOSK_RULES = {
    "db": text,
    "locale": choice(*LOCALES),
    "fullscreen": boolean,
    # Back to 请刷卡 so the next child never sees someone else's screen: zero would switch that off.
    "idle_timeout_seconds": whole(5, 600, "seconds"),
    "admin_timeout_seconds": whole(15, 3600, "seconds"),
    "message_seconds": whole(1, 60, "seconds"),
    "barcode_prefixes": list_of(matching(r"[A-Z0-9]{1,4}", "1-4 capitals A-Z or digits"), at_most=6),
    "number_visible_seconds": whole(5, 120, "seconds"),
    "backups_kept": whole(1, 60, "days"),
}
SYNC_RULES = {"server_url": web_address, "ca_file": existing_file}
SECURITY_RULES = {"device_key": choice(*device_key.CHOICES), "device_key_file": text}
TABLES: dict[str, Any] = {
    "kiosk": lambda table: check_table(table, KIOSK_RULES),
    "readers": ReaderSettings.from_mapping,
    "sync": lambda table: check_table(table, SYNC_RULES),
    "security": lambda table: check_table(table, SECURITY_RULES),
}


def load_config(
    db: str | None = None, config_file: str | None = None, env: Mapping[str, str] = os.environ
) -> KioskConfig:
    data_dir = Path(env.get("KIOSK_DATA_DIR") or user_data_dir(APP_NAME))
    path = Path(config_file or env.get("KIOSK_CONFIG") or data_dir / "kiosk.toml")
    if path.exists():
        try:
            tables = _checked_tables(read_toml(path))
        except FileProblem as exc:
            raise ConfigError(str(exc)) from None
    elif config_file:
        raise ConfigError(f"config file not found: {path}")
    else:
        tables = {}
    kiosk, sync, security = tables.get("kiosk", {}), tables.get("sync", {}), tables.get("security", {})
    key_file = security.get("device_key_file")
    db_path = Path(db or env.get("KIOSK_DB") or kiosk.get("db") or data_dir / "kiosk.sqlite3")
    return KioskConfig(
        data_dir=data_dir,
        db_path=db_path.expanduser(),
        locale=_locale_from(env) or kiosk.get("locale", "zh_CN"),
        readers=tables.get("readers") or ReaderSettings(),
        server_url=sync.get("server_url"),
        server_ca_file=sync.get("ca_file"),
        device_key=security.get("device_key", "auto"),
        device_key_file=Path(key_file).expanduser() if key_file else None,
        **{key: kiosk[key] for key in KIOSK_RULES if key in kiosk and key not in ("db", "locale")},
    )


def _checked_tables(file: TomlFile) -> dict[str, Any]:
    """Every table through its rules; all problems of the whole file in one ConfigError."""
    problems: list[Problem] = []
    checked: dict[str, Any] = {}
    for name, table in file.data.items():
        if name not in TABLES:
            problems.append(_stray(name, table))
            continue
        try:
            checked[name] = TABLES[name](table)
        except SettingError as exc:
            prefix = () if name == "readers" else (name,)  # [readers] names its own keys
            problems += exc.under(prefix).problems
    if problems:
        raise ConfigError(file.explain(problems))
    return checked


def _stray(name: str, value: Any) -> Problem:
    """A top-level name that is not one of our tables: a misspelt table, or a key above every table."""
    known_tables = [f"[{table}]" for table in TABLES]
    if isinstance(value, Mapping):
        close = difflib.get_close_matches(name, list(TABLES), n=1, cutoff=0.6)
        hint = f"did you mean [{close[0]}]?" if close else f"the tables are {', '.join(known_tables)}"
        return Problem((name,), f"is not a table kiosk.toml has; {hint}")
    owned = (("kiosk", KIOSK_RULES), ("sync", SYNC_RULES), ("security", SECURITY_RULES))
    owner = next((table for table, rules in owned if name in rules), None)
    if owner is not None:
        return Problem((name,), f"belongs under [{owner}]: put it below a [{owner}] line")
    return Problem((name,), f"is outside every table; settings go under {', '.join(known_tables)}")


def _locale_from(env: Mapping[str, str]) -> str | None:
    value = env.get("KIOSK_LOCALE")
    if not value:
        return None
    try:
        return choice(*LOCALES)(value)
    except Bad as exc:
        raise ConfigError(f"environment variable KIOSK_LOCALE {exc}") from None
