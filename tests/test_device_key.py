"""Where the PIN seal key comes from: the Raspberry Pi's OTP key when the board has one, else a key file.

No Raspberry Pi here: the OTP path runs against a stand-in `rpi-otp-private-key` on PATH that prints a
key the way Raspberry Pi OS's script does (64 hex digits; all zeros when none was ever programmed).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from db.pin_key_file import pin_key_path_for
from kiosk.platform.config import ConfigError, load_config
from kiosk.platform.device_key import DeviceKeyError, load_device_key, read_rpi_otp_key

OTP_KEY = "9f" * 32


@pytest.fixture
def otp_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Put a stand-in `rpi-otp-private-key` printing `key` first on PATH."""

    def install(key: str) -> None:
        tool = tmp_path / "bin" / "rpi-otp-private-key"
        tool.parent.mkdir(exist_ok=True)
        tool.write_text(f"#!/bin/sh\necho {key}\n")
        tool.chmod(0o755)
        monkeypatch.setenv("PATH", f"{tool.parent}{os.pathsep}{os.environ['PATH']}")

    return install


def test_without_a_pi_key_auto_uses_a_private_key_file_and_says_so(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk.platform.device_key")
    db = tmp_path / "kiosk.sqlite3"
    first = load_device_key("auto", None, db, read_otp=lambda: None)
    assert first.source == str(pin_key_path_for(db)) and not first.off_the_sd_card
    assert stat.S_IMODE(pin_key_path_for(db).stat().st_mode) == 0o600
    assert load_device_key("auto", None, db, read_otp=lambda: None).key == first.key  # kept, not remade
    assert any("same SD card" in r.getMessage() for r in caplog.records)


def test_a_programmed_otp_key_is_used_and_nothing_is_written(tmp_path: Path, otp_tool) -> None:
    otp_tool(OTP_KEY)
    assert read_rpi_otp_key() == bytes.fromhex(OTP_KEY)
    device = load_device_key("auto", None, tmp_path / "kiosk.sqlite3")
    assert (device.source, device.off_the_sd_card) == ("rpi-otp", True)
    assert not pin_key_path_for(tmp_path / "kiosk.sqlite3").exists()
    assert device.key.secret != bytes.fromhex(OTP_KEY)  # a key derived for this use, not the OTP key


def test_a_pi_whose_otp_key_was_never_programmed_has_none(tmp_path: Path, otp_tool) -> None:
    otp_tool("0" * 64)
    assert read_rpi_otp_key() is None
    with pytest.raises(DeviceKeyError, match="program one"):
        load_device_key("rpi-otp", None, tmp_path / "kiosk.sqlite3")


def test_the_key_file_can_live_elsewhere(tmp_path: Path) -> None:
    elsewhere = tmp_path / "usb" / "kiosk.key"
    device = load_device_key("file", elsewhere, tmp_path / "kiosk.sqlite3")
    assert device.source == str(elsewhere) and elsewhere.exists()
    assert stat.S_IMODE(elsewhere.parent.stat().st_mode) == 0o700


def test_the_security_table_is_checked_like_the_others(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text('[security]\ndevice_key = "tpm"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kiosk.toml:2: \[security\] device_key: must be \"auto\""):
        load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})
    (tmp_path / "kiosk.toml").write_text('[security]\ndevice_key = "file"\ndevice_key_file = "k.key"\n')
    config = load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})
    assert (config.device_key, config.device_key_file) == ("file", Path("k.key"))
