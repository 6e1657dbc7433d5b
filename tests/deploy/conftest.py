"""Debian 12 roots for deploy/install.sh, made with mmdebstrap once per run, and the Python wheels a
school without internet installs from (`--wheels`), built here from the lock file."""

from __future__ import annotations

import subprocess
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


@pytest.fixture(scope="session")
def plain_debian_tar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Debian 12 as debootstrap leaves it, without even systemd: what install.sh must cope with."""
    return debian_tar(tmp_path_factory.mktemp("debian") / "bookworm.tar")


@pytest.fixture(scope="session")
def bootable_debian_tar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Debian 12 with systemd as its init, as Raspberry Pi OS Lite boots: for systemd-nspawn --boot."""
    target = tmp_path_factory.mktemp("debian-boot") / "bookworm.tar"
    return debian_tar(target, include=("systemd", "systemd-sysv", "dbus"))


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a school without internet brings on a USB stick (README): the files the hashed locks name
    for this machine's architecture, pyscard as its source (it has no Linux wheel)."""
    folder = tmp_path_factory.mktemp("wheels")
    pip = [str(REPO / ".venv/bin/pip"), "download", "--quiet", "--require-hashes", "-d", str(folder)]
    subprocess.run(
        [*pip, "-r", "requirements-build.lock", "-r", "requirements-kiosk.lock"],
        cwd=REPO,
        check=True,
        timeout=600,
    )
    return folder


@pytest.fixture(scope="session")
def server_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's wheelhouse, as a county without internet brings it (README): the files its hashed
    locks name for this machine's architecture, and this project's wheel (built from a clean copy of the
    checkout, as a county builds it from a fresh one)."""
    folder = tmp_path_factory.mktemp("server-wheels")
    pip = [str(REPO / ".venv/bin/pip"), "download", "--quiet", "--require-hashes", "-d", str(folder)]
    subprocess.run(
        [*pip, "-r", "requirements-build.lock", "-r", "requirements-server.lock"],
        cwd=REPO,
        check=True,
        timeout=600,
    )
    source = copy_of_checkout(tmp_path_factory.mktemp("server-source"))
    build = [str(REPO / ".venv/bin/pip"), "wheel", "--quiet", "--no-deps", "-w", str(folder), "."]
    subprocess.run(build, cwd=source, check=True, timeout=600)
    return folder
