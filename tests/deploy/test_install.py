"""deploy/install.sh in a clean Debian 12 root made with mmdebstrap, run with chroot (as root, as CI
runs): the packages, the user, the release and its venv, the units, the device rules; a second run
changes nothing; an upgrade keeps the database and backs it up first; a new version whose migration
fails leaves the previous version current and the database as it was. Python packages come from a
wheelhouse built here from the lock file (`--wheels`), the way a school without internet installs."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.roots import CLEAN_ENV, REPO, current, mark_the_database, marker, source_tree, unpack

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),  # Debian's packages and, once, the Python ones over the network
    pytest.mark.skipif(os.geteuid() != 0, reason="chroot and mount need root"),
    pytest.mark.skipif(shutil.which("mmdebstrap") is None, reason="mmdebstrap is installed by make test"),
]


@pytest.fixture
def root(plain_debian_tar: Path, wheels: Path, tmp_path: Path) -> Iterator[Path]:
    root = unpack(plain_debian_tar, wheels, tmp_path / "root")
    subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
    try:
        yield root
    finally:
        subprocess.run(["umount", "-l", str(root / "proc")], check=False)


def install(root: Path, source: str, *options: str, wheels: bool = True) -> subprocess.CompletedProcess[str]:
    """install.sh from `source`, with the wheelhouse (a school without internet) or, `wheels=False`,
    from the package index over the network, as a Pi with internet installs."""
    command = ["chroot", str(root), "env", "-i", *(f"{k}={v}" for k, v in CLEAN_ENV.items())]
    command += [f"{source}/deploy/install.sh", *options, *(("--wheels", "/srv/wheels") if wheels else ())]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


def manifest(root: Path) -> dict[str, str]:
    """Every file the installer owns, with its mode and content hash."""
    found = {}
    for top in (
        "etc/systemd/system",
        "etc/udev/rules.d",
        "etc/polkit-1",
        "etc/pam.d",
        "etc/liushou",
        "opt/liushou",
    ):
        for path in sorted((root / top).rglob("*")):
            if path.is_symlink():
                found[str(path.relative_to(root))] = f"-> {os.readlink(path)}"
            elif path.is_file() and "__pycache__" not in path.parts:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
                found[str(path.relative_to(root))] = f"{path.stat().st_mode:o} {digest}"
    return found


def test_shellcheck_passes_on_every_script() -> None:
    server = (REPO / "deploy/server/install.sh", REPO / "deploy/server/liushou-server")  # lib.sh: sourced
    scripts = [str(p) for p in (*REPO.glob("deploy/*.sh"), *REPO.glob("scripts/*.sh"), *server)]
    subprocess.run(["shellcheck", "--external-sources", *scripts], check=True)


def test_install_upgrade_and_rollback_in_a_clean_debian(root: Path) -> None:
    # a fresh Raspberry Pi OS with internet and no wheelhouse: pyscard (no Linux wheel) is built from
    # its source, every file checked against the locks' hashes; the screen turned round in its case
    cmdline = root / "boot/firmware/cmdline.txt"
    cmdline.parent.mkdir(parents=True)
    pi_line = "console=serial0,115200 console=tty1 root=PARTUUID=6c586e13-02 rootfstype=ext4 rootwait\n"
    cmdline.write_text(pi_line, encoding="ascii")
    inode_before = cmdline.stat().st_ino
    first = install(root, source_tree(root, "a"), "--rotate", "180", wheels=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "--no-index" not in first.stdout + first.stderr
    venv_python = f"/opt/liushou/{current(root)}/venv/bin/python"
    imported = subprocess.run(
        ["chroot", str(root), venv_python, "-c", "import smartcard.scard, kivy, kiosk; print('imported')"],
        capture_output=True,
        text=True,
        env={**CLEAN_ENV, "KIVY_NO_ARGS": "1", "KIVY_NO_FILELOG": "1", "KIVY_NO_CONSOLELOG": "1"},
    )
    assert imported.stdout.strip() == "imported", imported.stderr

    # the kernel's command line: replaced whole by a rename (a new inode), the old line kept beside it
    assert cmdline.read_text(encoding="ascii").split() == [
        *pi_line.split(),
        "consoleblank=0",
        "video=DSI-1:800x480@60,rotate=180",
    ]
    assert cmdline.stat().st_ino != inode_before
    assert (cmdline.parent / "cmdline.txt.before-liushou").read_text(encoding="ascii") == pi_line
    assert sorted(p.name for p in cmdline.parent.iterdir()) == ["cmdline.txt", "cmdline.txt.before-liushou"]

    # what the first run put in place
    passwd = (root / "etc/passwd").read_text()
    assert "liushou:" in passwd and "/var/lib/liushou:/usr/sbin/nologin" in passwd
    groups = subprocess.run(["chroot", str(root), "id", "-nG", "liushou"], capture_output=True, text=True)
    assert {"dialout", "video", "input", "audio"} <= set(groups.stdout.split())
    unit = root / "etc/systemd/system/liushou-kiosk.service"
    assert (root / "etc/systemd/system/multi-user.target.wants/liushou-kiosk.service").is_symlink()
    assert (root / "etc/udev/rules.d/60-liushou-readers.rules").exists()
    assert (root / "etc/polkit-1/rules.d/60-liushou-pcsc.rules").exists()
    assert "SystemMaxUse=64M" in (root / "etc/systemd/journald.conf.d/liushou.conf").read_text()
    assert (root / "etc/liushou/kiosk.toml").exists()
    assert (root / f"opt/liushou/{current(root)}/venv/bin/python").exists()
    installed = {p.relative_to(root).as_posix() for p in (root / "opt/liushou/current").rglob("sync/*")}
    assert any(p.endswith("sync/client") for p in installed)
    assert not any("sync/server" in p or "tests" in p.split("/") for p in installed), (
        "the Pi takes the kiosk only"
    )
    # what the touchscreen shows and plays went with the package; rare names and the queue's voice too
    package = next((root / f"opt/liushou/{current(root)}/venv/lib").glob("python3*/site-packages/kiosk"))
    assert (package / "ui/assets/voice/zh_CN/signed_in.wav").is_file()
    assert (package / "ui/assets/pictures/LICENSE.txt").is_file()
    assert (root / "usr/bin/espeak-ng").exists() and (root / "usr/share/fonts/truetype/hanazono").is_dir()
    assert oct((root / "var/lib/liushou").stat().st_mode)[-3:] == "700"
    verify = subprocess.run(
        ["chroot", str(root), "systemd-analyze", "verify", "/etc/systemd/system/liushou-kiosk.service"],
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "WatchdogSec=" in unit.read_text()

    # a second run of the same version changes nothing
    before = manifest(root)
    again = install(root, "/srv/a", "--rotate", "180")
    assert again.returncode == 0 and "unchanged" in again.stdout, again.stdout + again.stderr
    assert manifest(root) == before

    # an upgrade keeps the database, backed up first, and the previous version stays beside it
    database = mark_the_database(root)
    version_a = current(root)
    upgraded = install(root, source_tree(root, "b", change="version b"))
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    version_b = current(root)
    assert version_b != version_a and os.readlink(root / "opt/liushou/previous") == version_a
    assert marker(database) == '"kept"'
    backups = list((root / "var/lib/liushou/backups").glob("kiosk-upgrade-*.sqlite3"))
    assert len(backups) == 1 and marker(backups[0]) == '"kept"'

    # a wheelhouse (or a mirror) whose files are not the lock's: refused before anything is switched
    tampered = install(root, source_tree(root, "t", change="version t", tampered="pyserial"))
    assert tampered.returncode != 0
    assert "DO NOT MATCH THE HASHES" in tampered.stderr, tampered.stdout + tampered.stderr
    assert "could not install the Python packages" in tampered.stderr
    assert current(root) == version_b and marker(database) == '"kept"'

    # a version whose migration fails: refused, the previous version current, the database as it was
    failed = install(root, source_tree(root, "c", change="version c", broken_migration=True))
    assert failed.returncode != 0
    assert "could not migrate the database" in failed.stderr
    assert current(root) == version_b and marker(database) == '"kept"'
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] != "0999"
