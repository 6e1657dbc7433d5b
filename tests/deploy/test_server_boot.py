"""deploy/server/install.sh in a Debian 12 root booted with systemd (systemd-nspawn --boot), as a county
runs it: Debian's PostgreSQL, the unit with several workers behind HTTPS from the county's own
certificate authority, a real kiosk (on this machine, given only ca.crt) enrolling and syncing through
it, metrics added up across the workers, a nightly backup and the weekly restore check run by their
units, a second run that changes nothing, an upgrade that keeps the data and backs it up first, a
version whose migration fails (refused, the database as it was), and a version that does not come up
(rolled back: the previous version running, the database put back from the upgrade's backup), and a
wheelhouse whose files are not the lock's hashes (refused, nothing switched).

The container shares this machine's network, so the server listens on a free port here."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest
import requests

from sync.client import SyncClient
from sync.client.transport import api_for_school
from tests.deploy.container import BootedDebian
from tests.deploy.roots import unpack
from tests.deploy.server_tree import server_source_tree
from tests.support.processes import free_port
from tests.sync.conftest import Kiosk

UNIT = "liushou-server.service"
TLS = "etc/liushou-server/tls"
QUICK = {"LIUSHOU_START_TIMEOUT": "90", "LIUSHOU_SETTLE": "5"}
WORKERS = 3

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1500),  # four versions installed, each with its own environment, on two shared cores
    pytest.mark.skipif(os.geteuid() != 0, reason="systemd-nspawn needs root"),
    pytest.mark.skipif(
        shutil.which("systemd-nspawn") is None, reason="systemd-container is installed by make test"
    ),
    pytest.mark.skipif(shutil.which("mmdebstrap") is None, reason="mmdebstrap is installed by make test"),
]


@pytest.fixture
def root(bootable_debian_tar: Path, server_wheels: Path, tmp_path: Path) -> Path:
    return unpack(bootable_debian_tar, server_wheels, tmp_path / "root")


def install(debian: BootedDebian, source: str, *options: str) -> tuple[int, str]:
    done = debian.run(f"{source}/deploy/server/install.sh", "--wheels", "/srv/wheels", *options, env=QUICK)
    return done.returncode, done.stdout + done.stderr


def admin(debian: BootedDebian, *arguments: str) -> str:
    done = debian.run("/usr/local/sbin/liushou-server", *arguments, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def workers_of(debian: BootedDebian) -> list[str]:
    """The command lines of the server's worker processes: the unit's main process (uvicorn's
    supervisor) starts each as a fresh interpreter (multiprocessing's spawn)."""
    listed = debian.run(
        "sh", "-c",
        f"main=$(systemctl show --property MainPID --value {UNIT}); "
        'for d in /proc/[0-9]*; do [ "$(cut -d" " -f4 $d/stat 2>/dev/null)" = "$main" ] '
        '&& tr "\\0" " " < $d/cmdline && echo; done',
        timeout=60,
    )  # fmt: skip
    return [line for line in listed.stdout.splitlines() if "multiprocessing.spawn import spawn_main" in line]


def metric(text: str, name: str) -> float:
    return sum(float(v) for v in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE))


def test_a_county_server_installs_serves_backs_up_upgrades_and_rolls_back(root: Path, tmp_path: Path) -> None:
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    ca = root / TLS / "ca.crt"
    with BootedDebian(root, tmp_path / "boot.log") as debian:
        addresses = ("--address", "127.0.0.1", "--address", "liushou.county.lan")
        code, said = install(
            debian, server_source_tree(root, "a"), *addresses, "--county", "测试区教育局",
            "--workers", str(WORKERS), "--port", str(port),
        )  # fmt: skip
        assert code == 0, said + debian.journal(UNIT)[-4000:]
        assert "give each kiosk /etc/liushou-server/tls/ca.crt as ca_file" in said
        version_a = current_server(root)
        assert debian.unit(UNIT, "ActiveState", "UnitFileState") == {
            "ActiveState": "active",
            "UnitFileState": "enabled",
        }
        assert len(workers_of(debian)) == WORKERS
        assert stat.S_IMODE((root / TLS / "ca.key").stat().st_mode) == 0o600
        # the key student numbers are hashed with: named in server.env, the service's own, apart from backups
        assert (
            "SYNC_SECRET_FILE=/var/lib/liushou-server/secret.key"
            in (root / "etc/liushou-server/server.env").read_text()
        )
        assert stat.S_IMODE((root / "var/lib/liushou-server/secret.key").stat().st_mode) == 0o600

        # a kiosk on this machine, given only the county's ca.crt, enrols and syncs through the workers
        school = admin(debian, "admin", "create-school", "县第一小学")
        room = admin(debian, "admin", "create-room", "--school", school, "留守儿童之家")
        admin(debian, "admin", "import-demo", "--school", school)
        kiosk = Kiosk(tmp_path / "kiosk.sqlite3")
        kiosk.client = SyncClient(kiosk.uow.engine, kiosk.clock, api_factory=api_for_school(ca))
        try:
            report = kiosk.enrol(base, admin(debian, "admin", "enrolment-code", "--room", room))
            assert report.snapshot and report.pulled > 0
            for child in range(5):
                kiosk.room.tap(child)
                assert kiosk.sync().pushed == 1
        finally:
            kiosk.close()
        for _ in range(20):  # answered by whichever worker; /metrics adds them all up
            assert requests.get(f"{base}/healthz", verify=ca, timeout=10).status_code == 200
        metrics = requests.get(f"{base}/metrics", verify=ca, timeout=10).text
        assert metric(metrics, "liushou_sync_events_stored_total") == 5
        assert metric(metrics, "liushou_http_requests_total") >= 30

        # the nightly backup and the weekly restore check, as their timers would run them
        assert debian.run("systemctl", "is-active", "liushou-server-backup.timer").stdout.strip() == "active"
        backup = debian.run("systemctl", "start", "liushou-server-backup.service", timeout=300)
        assert backup.returncode == 0, debian.journal("liushou-server-backup.service")
        dumps = list((root / "var/lib/liushou-server/backups").glob("central-daily-*.dump"))
        assert len(dumps) == 1 and stat.S_IMODE(dumps[0].stat().st_mode) == 0o600
        check = debian.run("systemctl", "start", "liushou-server-backup-check.service", timeout=300)
        assert check.returncode == 0, debian.journal("liushou-server-backup-check.service")
        health = requests.get(f"{base}/healthz", verify=ca, timeout=10).json()
        assert health["status"] == "ok", health
        assert health["backups"]["last_check"]["ok"] is True

        # the same version again: nothing changes
        code, said = install(debian, "/srv/a")
        assert code == 0 and "unchanged" in said, said

        # an upgrade: the database backed up first, migrated, the data kept
        code, said = install(
            debian, server_source_tree(root, "b", change="version b", new_tables=("only_in_b",))
        )
        assert code == 0, said + debian.journal(UNIT)[-4000:]
        assert "backed up the database to /var/lib/liushou-server/backups/central-upgrade-" in said
        assert "same packages as" in said  # the code changed, not the lock: a's environment copied
        version_b = current_server(root)
        assert version_b != version_a and os.readlink(root / "opt/liushou-server/previous") == version_a
        assert tables(debian) >= {"only_in_b", "received_events"}

        # a migration that fails: refused, version b serving, the database as it was
        code, said = install(
            debian,
            server_source_tree(
                root, "c", change="version c", new_tables=("only_in_b",), broken_migration=True
            ),
        )
        assert code != 0 and "could not migrate the database: kept version" in said, said
        assert "which is running" in said, said
        assert current_server(root) == version_b and "half_made" not in tables(debian)
        assert requests.get(f"{base}/healthz", verify=ca, timeout=10).status_code == 200

        # a version that does not come up: rolled back, the database put back from the upgrade's backup
        code, said = install(
            debian,
            server_source_tree(
                root, "d", change="version d", new_tables=("only_in_b", "only_in_d"), serve_fails=True
            ),
        )
        assert code != 0, said
        assert f"rolled back to {Path(version_b).name}, which is running" in said
        assert "this version of the server does not start" in debian.journal(UNIT)
        assert current_server(root) == version_b and "only_in_d" not in tables(debian)
        assert requests.get(f"{base}/healthz", verify=ca, timeout=10).status_code == 200
        assert len(admin(debian, "admin", "devices", "--school", school).splitlines()) == 1  # the kiosk kept

        # a wheelhouse whose files are not the lock's: refused before anything is switched
        code, said = install(debian, server_source_tree(root, "e", change="version e", tampered="fastapi"))
        assert code != 0 and "could not install the Python packages of" in said, said
        assert "THESE PACKAGES DO NOT MATCH THE HASHES" in said, said
        assert current_server(root) == version_b
        assert requests.get(f"{base}/healthz", verify=ca, timeout=10).status_code == 200


def current_server(root: Path) -> str:
    return os.readlink(root / "opt/liushou-server/current")


def tables(debian: BootedDebian) -> set[str]:
    done = debian.run(
        "runuser", "-u", "liushou-server", "--", "psql", "-XtAc",
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", "liushou",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())
