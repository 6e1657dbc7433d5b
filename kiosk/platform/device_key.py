"""Where this kiosk's PIN seal key comes from (db.pin_seal): off the SD card if the board allows it.

`[security] device_key` in kiosk.toml:

- "rpi-otp": the Raspberry Pi's own 256-bit private key in OTP memory (Pi 4, Pi 5, CM4/CM5), read
  with Raspberry Pi OS's `rpi-otp-private-key`. It is in the chip, not on the SD card, so a card taken
  away, imaged or sent for repair gives up no staff PIN. Programmed once per Pi (README).
- "file": a key file (`device_key_file`, default beside the database). Protects copies of the
  database alone, not a stolen card: the key is on the card too.
- "auto" (default): the OTP key when the Pi has one, else the file, with a warning in the log.

The key used for sealing is derived from the OTP key with a label, never the OTP key itself, so the
same OTP key can serve other purposes (disk encryption) without the two being related.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.pin_key_file import file_pin_key, pin_key_path_for
from db.pin_seal import PinKey

log = logging.getLogger(__name__)

CHOICES = ("auto", "rpi-otp", "file")
OTP_TOOL = "rpi-otp-private-key"
_LABEL = b"liushou-kiosk staff PIN seal key from the Raspberry Pi OTP key"

OtpReader = Callable[[], bytes | None]


class DeviceKeyError(ValueError):
    pass


@dataclass(frozen=True)
class DeviceKey:
    key: PinKey
    source: str  # "rpi-otp" or the key file's path
    off_the_sd_card: bool


def load_device_key(
    choice: str, key_file: Path | None, db_path: Path, read_otp: OtpReader | None = None
) -> DeviceKey:
    """The key `choice` names; DeviceKeyError says why it cannot be had."""
    if choice not in CHOICES:
        raise DeviceKeyError(f"device_key must be one of {CHOICES}, not {choice!r}")
    otp = None if choice == "file" else (read_otp or read_rpi_otp_key)()
    if otp is not None:
        return DeviceKey(PinKey(hmac.new(otp, _LABEL, hashlib.sha256).digest()), "rpi-otp", True)
    if choice == "rpi-otp":
        raise DeviceKeyError(
            f'device_key = "rpi-otp", but this machine has no Raspberry Pi OTP key ({OTP_TOOL} is missing, '
            'cannot read it, or reports none): program one (README: Staff PINs) or use "file"'
        )
    path = key_file or pin_key_path_for(db_path)
    if choice == "auto":
        log.warning(
            "staff PINs are sealed with the key file %s, on the same SD card: a stolen card still "
            "gives them up; see README 'Staff PINs' for the Pi's OTP key",
            path,
        )
    return DeviceKey(file_pin_key(path), str(path), False)


def read_rpi_otp_key() -> bytes | None:
    """The Pi's OTP private key, or None if this is not a Pi with one (all zeros means never set)."""
    tool = shutil.which(OTP_TOOL)
    if tool is None:
        return None
    try:
        done = subprocess.run([tool], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("%s failed: %s", OTP_TOOL, type(exc).__name__)
        return None
    text = done.stdout.strip()
    if done.returncode != 0 or len(text) != 64:
        log.warning("%s gave no key (exit %d)", OTP_TOOL, done.returncode)
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if any(key) else None
