"""The hashed locks the installers use are cut from requirements.lock: a version bumped in one and not
the others would put on a kiosk or a county server packages no test here ever ran."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HASHED = ("requirements-kiosk.lock", "requirements-server.lock", "requirements-build.lock")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    text = (REPO / lock).read_text(encoding="utf-8")
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(text)}


@pytest.mark.parametrize("lock", HASHED[:2])  # the build tools are not in requirements.lock
def test_a_hashed_lock_pins_what_requirements_lock_pins(lock: str) -> None:
    tested, hashed = pins("requirements.lock"), pins(lock)
    assert hashed, f"{lock} pins nothing"
    assert {name: version for name, version in hashed.items() if tested.get(name) != version} == {}


@pytest.mark.parametrize("lock", HASHED)
def test_every_pin_of_a_hashed_lock_has_a_hash(lock: str) -> None:
    entries = re.split(r"\n(?=[A-Za-z0-9])", (REPO / lock).read_text(encoding="utf-8"))
    unhashed = [e.split()[0] for e in entries if "==" in e.split("\n")[0] and "--hash=sha256:" not in e]
    assert unhashed == []


def test_the_server_lock_holds_what_the_server_imports() -> None:
    assert {"fastapi", "uvicorn", "psycopg-binary", "sqlalchemy", "alembic", "argon2-cffi"} <= set(
        pins("requirements-server.lock")
    )
