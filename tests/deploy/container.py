"""A Debian root booted with systemd-nspawn, systemd as its PID 1: what the kiosk's unit, its
READY=1 and watchdog, and install.sh's start-and-roll-back need, and a chroot cannot give. Commands
go in with nsenter into the container's namespaces (the host has no systemd for machinectl)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from types import TracebackType

from tests.deploy.roots import CLEAN_ENV


class BootedDebian:
    def __init__(self, root: Path, log: Path) -> None:
        self.root = root
        self.log = log
        self._nspawn: subprocess.Popen[bytes] | None = None
        self._init_pid = 0

    def __enter__(self) -> BootedDebian:
        with self.log.open("wb") as log:
            self._nspawn = subprocess.Popen(
                [
                    "systemd-nspawn",
                    "--quiet",
                    "--directory",
                    str(self.root),
                    "--machine",
                    f"liushou-{uuid.uuid4().hex[:8]}",
                    "--boot",
                    "--register=no",
                    "--keep-unit",
                    "--console=pipe",
                    # A file of its own, as on a real machine: a bind-mounted /etc/localtime is
                    # "busy" to tzdata's installer, which PostgreSQL's packages pull in.
                    "--timezone=copy",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._init_pid = self._wait_for_init()
        self._wait_until_booted()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._nspawn is not None
        self._nspawn.terminate()  # nspawn asks the container's systemd to power off
        try:
            self._nspawn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._nspawn.kill()
            self._nspawn.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # a killed nspawn leaves its PID 1 behind
            os.kill(self._init_pid, signal.SIGKILL)

    def run(
        self, *command: str, env: dict[str, str] | None = None, timeout: float = 900
    ) -> subprocess.CompletedProcess[str]:
        """`command` inside the container, as root, with a clean environment."""
        variables = [f"{key}={value}" for key, value in {**CLEAN_ENV, **(env or {})}.items()]
        return subprocess.run(
            ["nsenter", "--target", str(self._init_pid), "--all", "env", "-i", *variables, *command],
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def unit(self, name: str, *properties: str) -> dict[str, str]:
        shown = self.run("systemctl", "show", name, *(f"--property={p}" for p in properties), timeout=30)
        return dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)

    def wait_until_active(self, unit: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.run("systemctl", "is-active", "--quiet", unit, timeout=30).returncode == 0:
                return
            time.sleep(1)
        raise TimeoutError(f"{unit} was not active within {timeout:.0f} s: {self.journal(unit)[-3000:]}")

    def journal(self, unit: str) -> str:
        return self.run("journalctl", "--no-pager", "--unit", unit, "--output", "cat", timeout=60).stdout

    def _wait_for_init(self) -> int:
        """The host pid of the container's systemd: the child of nspawn's child named systemd."""
        assert self._nspawn is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._nspawn.poll() is not None:
                raise RuntimeError(f"systemd-nspawn ended: {self.log.read_text(errors='replace')}")
            for pid in descendants(self._nspawn.pid):
                if Path(f"/proc/{pid}/comm").read_text().strip() == "systemd":
                    return pid
            time.sleep(0.2)
        raise TimeoutError("the container's systemd did not start")

    def _wait_until_booted(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = self.run("systemctl", "is-system-running", timeout=30).stdout.strip()
            if state in {"running", "degraded"}:
                return
            time.sleep(0.5)
        raise TimeoutError(f"the container did not finish booting: {state}")


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    waiting = [pid]
    while waiting:
        parent = waiting.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                children = [int(child) for child in task.read_text().split()]
            except OSError:
                continue
            found.extend(children)
            waiting.extend(children)
    return found
