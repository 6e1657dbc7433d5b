"""A version of the kiosk to install, and what an installed kiosk has: shared by the chroot test
and the booted one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
CLEAN_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}


def unpack(tar: Path, wheels: Path, root: Path) -> Path:
    """A fresh root from `tar`, with the host's resolver (apt fetches packages) and the wheelhouse."""
    root.mkdir()
    with tarfile.open(tar) as archive:
        archive.extractall(root, filter="fully_trusted")
    shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
    shutil.copytree(wheels, root / "srv/wheels")
    trust_as_the_host_does(root)
    return root


def trust_as_the_host_does(root: Path) -> None:
    """The certificates this machine's pip trusts (its network may present its own), for pip inside
    the root when it reaches the package index as a Pi with internet does. Nothing else of the host's
    pip settings goes in."""
    bundle = (
        os.environ.get("PIP_CERT")
        or subprocess.run(
            [str(REPO / ".venv/bin/pip"), "config", "get", "global.cert"], capture_output=True, text=True
        ).stdout.strip()
    )
    if bundle and Path(bundle).is_file():
        (root / "etc/ssl").mkdir(parents=True, exist_ok=True)
        shutil.copy(bundle, root / "etc/ssl/host-ca-bundle.pem")
        (root / "etc/pip.conf").write_text("[global]\ncert = /etc/ssl/host-ca-bundle.pem\n", encoding="utf-8")


def source_tree(
    root: Path,
    name: str,
    *,
    change: str = "",
    broken_migration: bool = False,
    new_table: str = "",
    window_fails: bool = False,
    tampered: str = "",
) -> str:
    """This checkout's files (tracked and new), as a version `name` inside the root; `change` makes
    it a different version, `broken_migration` one whose migration fails, `new_table` one whose
    migration adds that table, `window_fails` one whose touchscreen dies as it starts (its command
    line tools, backup and migrate, still work), `tampered` one whose kiosk lock holds wrong hashes for
    that package (a mirror or wheelhouse serving other files than the lock's)."""
    target = copy_of_checkout(root / "srv" / name)
    if change:
        with (target / "kiosk/__init__.py").open("a", encoding="utf-8") as file:
            file.write(f"# {change}\n")
    if broken_migration:
        add_migration(target, "    raise RuntimeError('a migration that fails')\n")
    if new_table:
        add_migration(
            target, f"    op.create_table('{new_table}', sa.Column('id', sa.Integer, primary_key=True))\n"
        )
    if tampered:
        tamper_hashes(target / "requirements-kiosk.lock", tampered)
    if window_fails:
        with (target / "kiosk/ui/app.py").open("a", encoding="utf-8") as file:
            file.write("raise SystemExit('this version of the touchscreen does not start')\n")
    return f"/srv/{name}"


def copy_of_checkout(target: Path) -> Path:
    """This checkout's files, tracked and new, and nothing it ignores (a build/ folder left by an
    earlier build would put files that are gone, an old migration say, into a wheel)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    for entry in filter(None, listed):
        path = REPO / entry.decode()
        if path.is_file():
            (target / entry.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / entry.decode())
    return target


def tamper_hashes(lock: Path, package: str) -> None:
    """Every hash of `package` in a hashed lock flipped to another value."""
    lines, inside = [], False
    for line in lock.read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            inside = line.lower().startswith(f"{package.lower()}==")
        if inside and "--hash=sha256:" in line:
            digest = line.split("sha256:")[1][:64]
            line = line.replace(digest, digest[::-1])
        lines.append(line)
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_migration(source: Path, upgrade_body: str) -> None:
    heads = sorted((source / "db/migrations/versions").glob("0*.py"))
    head = heads[-1].name[:4]
    (source / "db/migrations/versions/0999_test.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "0999"\ndown_revision = "{head}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade() -> None:\n{upgrade_body}",
        encoding="utf-8",
    )


def current(root: Path) -> str:
    return os.readlink(root / "opt/liushou/current")


def mark_the_database(root: Path) -> Path:
    database = root / "var/lib/liushou/kiosk.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO settings (key, value) VALUES ('marker', '\"kept\"')")
    return database


def marker(database: Path) -> str | None:
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone()
    return row[0] if row else None
