"""A pcscd of our own, serving only vpcd virtual readers, that leaves any system pcscd alone.

pcsc-lite 1.9.9's daemon always uses `/run/pcscd/pcscd.comm` (and refuses to start when another daemon
holds it); only the client library honours `PCSCLITE_CSOCK_NAME`. So, as root, the daemon runs in its own
mount namespace where a temporary directory is bind-mounted over `/run/pcscd`: its socket appears in that
directory, and clients in this process reach it by setting `PCSCLITE_CSOCK_NAME` to it. The client library
reads that variable once per process, so set it (see `client_socket`) before the first PC/SC call and keep
the same directory for every restart.

Without the namespace (no root, or a container that forbids it) the daemon can only run at the default
path, and only when no other pcscd is running there; otherwise `PcscdUnavailable` says why.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
DEFAULT_SOCKET = Path("/run/pcscd/pcscd.comm")
READY = b"daemon ready"


class PcscdUnavailable(Exception):
    """This machine cannot run a private pcscd with the vpcd driver; the text says what is missing."""


def free_port_pair() -> int:
    """A TCP port p with p and p+1 both free: vpcd listens on one port per virtual reader (two readers)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("0.0.0.0", 0))
            port = first.getsockname()[1]
            if port >= 65535:
                continue
            with socket.socket() as second:
                try:
                    second.bind(("0.0.0.0", port + 1))
                except OSError:
                    continue
                return port
    raise OSError("no two consecutive free TCP ports")


def _namespaces_work() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True, check=False
    )
    return probe.returncode == 0


class PrivatePcscd:
    """Start, stop and restart a foreground pcscd whose readers are two vpcd virtual readers.

    The readers are named "Virtual PCD 00 00" (card port `vpcd_port`) and "Virtual PCD 00 01"
    (`vpcd_port + 1`).
    """

    def __init__(self, workdir: Path, vpcd_port: int | None = None) -> None:
        for tool in ("pcscd",):
            if shutil.which(tool) is None:
                raise PcscdUnavailable(f"{tool} is not installed (Debian package pcscd)")
        if not VPCD_DRIVER.exists():
            raise PcscdUnavailable(f"{VPCD_DRIVER} missing (Debian package vsmartcard-vpcd)")
        self.workdir = workdir
        self.vpcd_port = vpcd_port or free_port_pair()
        self.namespaced = _namespaces_work()
        self.rundir = workdir / "run"
        self.confdir = workdir / "reader.conf.d"
        self.logfile = workdir / "pcscd.log"
        self._process: subprocess.Popen[bytes] | None = None
        if not self.namespaced and DEFAULT_SOCKET.exists() and _pcscd_answers(DEFAULT_SOCKET):
            raise PcscdUnavailable(
                "another pcscd is running and this machine cannot give ours a private /run/pcscd "
                "(needs root and mount namespaces)"
            )

    @property
    def client_socket(self) -> Path:
        """Set `PCSCLITE_CSOCK_NAME` to this before the first PC/SC call of the process."""
        return self.rundir / "pcscd.comm" if self.namespaced else DEFAULT_SOCKET

    @property
    def readers(self) -> tuple[str, str]:
        return ("Virtual PCD 00 00", "Virtual PCD 00 01")

    def start(self, timeout: float = 10.0) -> None:
        self.rundir.mkdir(parents=True, exist_ok=True)
        self.confdir.mkdir(parents=True, exist_ok=True)
        (self.confdir / "vpcd").write_text(
            'FRIENDLYNAME "Virtual PCD"\n'
            f"DEVICENAME   /dev/null:0x{self.vpcd_port:04X}\n"
            f"LIBPATH      {VPCD_DRIVER}\n"
            f"CHANNELID    0x{self.vpcd_port:04X}\n"
        )
        daemon = ["pcscd", "--foreground", "--info", "--config", str(self.confdir)]
        if self.namespaced:
            Path("/run/pcscd").mkdir(parents=True, exist_ok=True)  # the mount point must exist
            command = [
                "unshare", "--mount", "--propagation", "private",
                "sh", "-c", 'mount --bind "$0" /run/pcscd && exec "$@"', str(self.rundir), *daemon,
            ]  # fmt: skip
        else:
            command = daemon
        log = self.logfile.open("ab")
        log_start = log.tell()  # the log is kept across restarts; wait for *this* start's ready line
        self._process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        while READY not in self.logfile.read_bytes()[log_start:]:
            if self._process.poll() is not None:
                raise PcscdUnavailable(f"pcscd exited at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise PcscdUnavailable(f"pcscd did not become ready in {timeout} s:\n{self.log_tail()}")
            time.sleep(0.01)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def __enter__(self) -> PrivatePcscd:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _pcscd_answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
        return True
