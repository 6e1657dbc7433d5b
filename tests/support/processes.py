"""A private PostgreSQL cluster and the sync server under uvicorn, as real processes on loopback.

PostgreSQL runs from Debian's binaries in a temporary folder on a free loopback port; as root (CI,
`make test`) initdb and pg_ctl run as the `postgres` user, because PostgreSQL refuses to run as root.
For tests, durability is off (the cluster lives for one session); a benchmark asks for a durable one,
so its figures compare with SQLite's synchronous=FULL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import requests


def _newest_postgres_bin() -> Path | None:
    """Debian's binaries of the newest installed PostgreSQL (15 on Debian 12), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


PG_BIN = _newest_postgres_bin()
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    def __init__(self, *, durable: bool = False) -> None:
        if PG_BIN is None:
            raise RuntimeError("PostgreSQL not installed: run `make test` (installs postgresql)")
        self.bin: Path = PG_BIN
        self.root = Path(tempfile.mkdtemp(prefix="liushou-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=100"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "log", "-w", "start")
        self._databases = 0

    def create_database(self, prefix: str = "central") -> str:
        self._databases += 1
        name = f"{prefix}_{self._databases}"
        self._run(
            self.bin / "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-q",
            "-c",
            f"CREATE DATABASE {name}",
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, *command: object) -> None:
        argv = [str(c) for c in command]
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path
    ca: Path | None = None  # the authority that signed `cert`; None: `cert` is self-signed

    @property
    def trusted(self) -> Path:
        return self.ca or self.cert


def self_signed_certificate(folder: Path) -> TlsFiles:
    """A certificate for 127.0.0.1 made by openssl, as a school would make one for its server's address."""
    files = TlsFiles(folder / "server.crt", folder / "server.key")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(files.key), "-out", str(files.cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return files


class ServerProcess:
    """`python -m sync.server serve` on a free port, as a school would run it."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        port: int | None = None,
        tls: TlsFiles | None = None,
        serve_args: Sequence[str] = (),
    ) -> None:
        self.serve_args = tuple(serve_args)  # e.g. --api-docs for the fuzz tests, which read the spec
        self.database_url = database_url
        self.log_path = log_path
        self.port = port or free_port()
        self.tls = tls
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sync.server",
                    "--database",
                    self.database_url,
                    "serve",
                    "--port",
                    str(self.port),
                    *(["--certfile", str(self.tls.cert), "--keyfile", str(self.tls.key)] if self.tls else []),
                    *self.serve_args,
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                verify = str(self.tls.trusted) if self.tls else True
                if requests.get(f"{self.url}/v1/health", timeout=1, verify=verify).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not come up within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """The server's machine loses power: no shutdown, no goodbye."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
