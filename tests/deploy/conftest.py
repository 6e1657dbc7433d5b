"""Debian 12 roots for deploy/install.sh, made with mmdebstrap once per run, and the Python wheels a
school without internet installs from (`--wheels`), built here from the lock file."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.deploy.roots import REPO, SOURCES, copy_of_checkout


def debian_tar(target: Path, include: tuple[str, ...] = ()) -> Path:
    command = ["mmdebstrap", "--quiet", "--variant=apt"]
    if include:
        command.append("--include=" + ",".join(include))
    with SOURCES.open("rb") as sources:
        subprocess.run([*command, "bookworm", str(target), "-"], stdin=sources, check=True, timeout=600)
    return target


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """A folder `make` fills once per run: under pytest-xdist the first worker to ask makes it and the
    other waits for it and reuses it (the kiosk's boot test and the county server's both boot Debian,
    and on different workers each would spend half a minute making the same root)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = factory.mktemp(name)
        make(folder)
        return folder
    shared = factory.getbasetemp().parent  # this run's, above every worker's own
    folder = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


@pytest.fixture(scope="session")
def plain_debian_tar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Debian 12 as debootstrap leaves it, without even systemd: what install.sh must cope with."""
    return made_once(tmp_path_factory, "debian", lambda f: debian_tar(f / "bookworm.tar")) / "bookworm.tar"


@pytest.fixture(scope="session")
def bootable_debian_tar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Debian 12 with systemd as its init, as Raspberry Pi OS Lite boots: for systemd-nspawn --boot."""
    systemd = ("systemd", "systemd-sysv", "dbus")
    folder = made_once(tmp_path_factory, "debian-boot", lambda f: debian_tar(f / "bookworm.tar", systemd))
    return folder / "bookworm.tar"


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a school without internet brings on a USB stick (README): the files the hashed locks name
    for this machine's architecture, pyscard as its source (it has no Linux wheel)."""
    return made_once(tmp_path_factory, "wheels", lambda f: download(f, "requirements-kiosk.lock"))


@pytest.fixture(scope="session")
def server_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's wheelhouse, as a county without internet brings it (README): the files its hashed
    locks name for this machine's architecture, and this project's wheel (built from a clean copy of the
    checkout, as a county builds it from a fresh one)."""

    def make(folder: Path) -> None:
        download(folder, "requirements-server.lock")
        source = copy_of_checkout(tmp_path_factory.mktemp("server-source"))
        build = [str(REPO / ".venv/bin/pip"), "wheel", "--quiet", "--no-deps", "-w", str(folder), "."]
        subprocess.run(build, cwd=source, check=True, timeout=600)

    return made_once(tmp_path_factory, "server-wheels", make)


def download(folder: Path, lock: str) -> None:
    """Every file `lock` and the build tools' lock name for this machine, checked against their hashes."""
    pip = [str(REPO / ".venv/bin/pip"), "download", "--quiet", "--require-hashes", "-d", str(folder)]
    subprocess.run([*pip, "-r", "requirements-build.lock", "-r", lock], cwd=REPO, check=True, timeout=600)
