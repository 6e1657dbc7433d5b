"""Where the kiosk keeps its data and how it is set up on this particular Pi.

Per-device settings (database path, readers, language, server address) live in a TOML file; per-school
rules (cadence, loan periods …) live in the database and come from the central server. Precedence for
the database path: `--db` > `KIOSK_DB` > `db` in the config file > the user's data directory.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

APP_NAME = "liushou-kiosk"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class KioskConfig:
    data_dir: Path
    db_path: Path
    locale: str = "zh_CN"
    readers: Mapping[str, Any] = field(default_factory=dict)  # see hardware.config
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


def load_config(
    db: str | None = None, config_file: str | None = None, env: Mapping[str, str] = os.environ
) -> KioskConfig:
    data_dir = Path(env.get("KIOSK_DATA_DIR") or user_data_dir(APP_NAME))
    path = Path(config_file or env.get("KIOSK_CONFIG") or data_dir / "kiosk.toml")
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    elif config_file:
        raise ConfigError(f"config file not found: {path}")
    kiosk = raw.get("kiosk", {})
    db_path = Path(db or env.get("KIOSK_DB") or kiosk.get("db") or data_dir / "kiosk.sqlite3")
    locale = env.get("KIOSK_LOCALE") or kiosk.get("locale", "zh_CN")
    if locale not in ("zh_CN", "en"):
        raise ConfigError(f"unsupported locale {locale!r} (zh_CN or en)")
    sync = raw.get("sync", {})
    ca_file = Path(sync["ca_file"]).expanduser() if sync.get("ca_file") else None
    if ca_file is not None and not ca_file.is_file():
        raise ConfigError(f"{path}: [sync] ca_file {ca_file} does not exist")
    return KioskConfig(
        data_dir=data_dir,
        db_path=db_path.expanduser(),
        locale=locale,
        readers=raw.get("readers", {}),
        server_url=sync.get("server_url"),
        server_ca_file=ca_file,
        fullscreen=bool(kiosk.get("fullscreen", True)),
        idle_timeout_seconds=int(kiosk.get("idle_timeout_seconds", 30)),
        admin_timeout_seconds=int(kiosk.get("admin_timeout_seconds", 120)),
        message_seconds=int(kiosk.get("message_seconds", 6)),
        barcode_prefixes=tuple(str(p) for p in kiosk.get("barcode_prefixes", ("TS", "QK", "QC"))),
    )
