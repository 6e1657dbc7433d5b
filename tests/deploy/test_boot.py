"""deploy/install.sh in a Debian 12 that boots (systemd-nspawn --boot, systemd as its PID 1, as on
the Pi): the real unit starts the real kiosk under cage and Xwayland and is active only once the
kiosk's window has said READY=1; an upgrade to a version whose touchscreen dies at start is rolled
back: the previous version current and running again, the database put back from the backup taken
before the upgrade (the new version's migration undone, the room's data kept).

A container has no screen and no virtual terminals, so a drop-in the test writes (and only it) gives
cage its headless backend and takes tty1 off the unit; everything else is the installed unit."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.container import BootedDebian
from tests.deploy.roots import current, marker, source_tree, unpack

UNIT = "liushou-kiosk.service"
DATABASE = "/var/lib/liushou/kiosk.sqlite3"
HEADLESS = """[Service]
Environment=WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman
StandardInput=null
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
"""
# The installed defaults (120 s to come up, then 20 s up) are for a slow Pi; a container is quicker.
QUICK = {"LIUSHOU_START_TIMEOUT": "90", "LIUSHOU_SETTLE": "10"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),  # Debian's packages and, once, the Python ones over the network
    pytest.mark.skipif(os.geteuid() != 0, reason="systemd-nspawn needs root"),
    pytest.mark.skipif(
        shutil.which("systemd-nspawn") is None, reason="systemd-container is installed by make test"
    ),
    pytest.mark.skipif(shutil.which("mmdebstrap") is None, reason="mmdebstrap is installed by make test"),
]


@pytest.fixture
def root(bootable_debian_tar: Path, wheels: Path, tmp_path: Path) -> Path:
    root = unpack(bootable_debian_tar, wheels, tmp_path / "root")
    drop_in = root / f"etc/systemd/system/{UNIT}.d/headless-test.conf"
    drop_in.parent.mkdir(parents=True)
    drop_in.write_text(HEADLESS, encoding="utf-8")
    return root


def install(debian: BootedDebian, source: str) -> tuple[int, str]:
    done = debian.run(f"{source}/deploy/install.sh", "--wheels", "/srv/wheels", env=QUICK)
    return done.returncode, done.stdout + done.stderr


@contextlib.contextmanager
def full_backup_folder(debian: BootedDebian) -> Iterator[None]:
    """The backups' folder on a small card (a tmpfs inside the container) with no byte left on it."""
    folder = "/var/lib/liushou/backups"
    debian.run("install", "-d", "-o", "liushou", "-g", "liushou", "-m", "0700", folder, timeout=30)
    mounted = debian.run("mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", folder, timeout=30)
    assert mounted.returncode == 0, mounted.stderr
    try:
        debian.run("chown", "liushou:liushou", folder, timeout=30)
        debian.run(
            "dd", "if=/dev/zero", f"of={folder}/filler", "bs=64k", timeout=60
        )  # until the card is full
        yield
    finally:
        debian.run("umount", folder, timeout=30)


def running_release(debian: BootedDebian) -> set[str]:
    """The releases whose files the running kiosk has mapped (`current` is resolved when opened)."""
    found = debian.run(
        "sh",
        "-c",
        'for d in /proc/[0-9]*; do tr "\\0" " " < $d/cmdline 2>/dev/null | grep -q " -m kiosk" '
        "&& cat $d/maps; done",
        timeout=30,
    )
    return set(re.findall(r"/opt/liushou/releases/([^/\s]+)/", found.stdout))


def test_the_kiosk_comes_up_a_version_that_does_not_is_rolled_back_and_it_starts_at_power_on(
    root: Path, tmp_path: Path
) -> None:
    with BootedDebian(root, tmp_path / "first-boot.log") as debian:
        version_a = install_a_and_roll_back_b(debian)
    # the power goes off and on again: nobody runs anything, the kiosk is simply there
    with BootedDebian(root, tmp_path / "second-boot.log") as debian:
        debian.wait_until_active(UNIT, timeout=120)
        assert running_release(debian) == {version_a}
        assert marker(root / DATABASE.lstrip("/")) == '"kept"'


def install_a_and_roll_back_b(debian: BootedDebian) -> str:
    root = debian.root
    code, said = install(debian, source_tree(root, "a"))
    assert code == 0, said + debian.journal(UNIT)[-6000:]
    version_a = Path(current(root)).name
    unit = debian.unit(UNIT, "ActiveState", "NRestarts", "UnitFileState", "Type")
    assert unit == {
        "ActiveState": "active",
        "NRestarts": "0",
        "UnitFileState": "enabled",
        "Type": "notify",
    }, debian.journal(UNIT)
    assert running_release(debian) == {version_a}

    # the room's data, written through the running kiosk's own user
    marked = debian.run(
        "runuser", "-u", "liushou", "--", "sqlite3", DATABASE,
        "INSERT INTO settings (key, value) VALUES ('marker', '\"kept\"')",
    )  # fmt: skip
    assert marked.returncode == 0, marked.stderr

    broken = source_tree(root, "b", change="version b", new_table="only_in_version_b", window_fails=True)
    # the card is full when the upgrade comes: the backup fails before anything is stopped, and the
    # room goes on with the kiosk it had (the same process, never restarted)
    kiosk_pid = debian.unit(UNIT, "MainPID")["MainPID"]
    with full_backup_folder(debian):
        code, said = install(debian, broken)
    assert code != 0, said
    assert "could not back up the database before the upgrade" in said
    assert debian.unit(UNIT, "ActiveState", "NRestarts", "MainPID") == {
        "ActiveState": "active",
        "NRestarts": "0",
        "MainPID": kiosk_pid,
    }, said
    assert Path(current(root)).name == version_a

    code, said = install(debian, broken)  # room on the card again
    assert code != 0, said
    assert f"rolled back to {version_a}, which is running" in said
    assert "put back the database from /var/lib/liushou/backups/kiosk-upgrade-" in said
    assert "this version of the touchscreen does not start" in debian.journal(UNIT)

    assert Path(current(root)).name == version_a
    assert debian.unit(UNIT, "ActiveState")["ActiveState"] == "active"
    assert running_release(debian) == {version_a}
    database = root / DATABASE.lstrip("/")
    assert marker(database) == '"kept"'
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "only_in_version_b" not in tables
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] != "0999"
    return version_a
