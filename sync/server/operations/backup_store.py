"""The backups folder of a central database: one file per backup, a manifest beside each, the weekly
checks' results, and the rotation.

A backup's name says what it is to a technician with `ls`: `central-daily-20261124T021500Z.dump`
(PostgreSQL, pg_dump's custom format) or `liushou-central-daily-20261124T021500Z.sqlite3` (SQLite).
Its manifest (`….json` beside it) is written last, once the backup is whole and synced to disk: what
the backup holds, table by table, counted in the very snapshot it was taken from, its size and its
SHA-256. A backup without a manifest was cut short and is never "good". Everything here is 0600 in a
0700 folder: a backup holds every child's name and every family's phone number.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from db.private_files import FILE_MODE, private_folder

DAILY = "daily"
KEEP_DAILY = 14
KEEP_OTHER = 3  # per other reason (before an upgrade, before a restore)
CHECKS_FILE = "checks.json"
CHECKS_KEPT = 12
_TIME = "%Y%m%dT%H%M%SZ"
_REST = re.compile(r"^(?P<reason>[a-z][a-z0-9-]*)-(?P<at>\d{8}T\d{6}Z)\.(?P<ext>dump|sqlite3)$")
REASON = re.compile(r"[a-z][a-z0-9-]*")


class BackupFailed(Exception):
    """A backup could not be made, checked or put back; the message says why, and what was left."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, written when it was made."""

    kind: str  # "postgresql" or "sqlite"
    made_at: datetime
    reason: str
    size: int
    sha256: str
    revision: str | None  # the schema's Alembic revision in the backup
    counts: dict[str, int]  # rows per table, in the backup's own snapshot

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "made_at": self.made_at.isoformat()}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(
            kind=str(data["kind"]),
            made_at=datetime.fromisoformat(data["made_at"]),
            reason=str(data["reason"]),
            size=int(data["size"]),
            sha256=str(data["sha256"]),
            revision=data.get("revision"),
            counts={str(k): int(v) for k, v in data["counts"].items()},
        )


@dataclass(frozen=True)
class StoredBackup:
    path: Path
    reason: str
    made_at: datetime
    manifest: Manifest | None

    @property
    def complete(self) -> bool:
        """Its manifest was written and the file is still the size it said."""
        if self.manifest is None:
            return False
        try:
            return self.path.stat().st_size == self.manifest.size
        except OSError:
            return False


@dataclass(frozen=True)
class CheckResult:
    """One weekly check: the backup restored into a scratch database and counted again."""

    checked_at: datetime
    backup: str  # the backup's file name
    made_at: datetime | None
    ok: bool
    problems: list[str]
    tables: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)  # expected, found
    seconds: float = 0.0

    @property
    def differing(self) -> dict[str, tuple[int | None, int | None]]:
        """The tables whose rows did not come back as they were made: what the page puts first."""
        return {name: pair for name, pair in self.tables.items() if pair[0] != pair[1]}

    @property
    def rows(self) -> int:
        return sum(found or 0 for _, found in self.tables.values())

    def to_dict(self) -> dict[str, object]:
        return {
            **asdict(self),
            "checked_at": self.checked_at.isoformat(),
            "made_at": self.made_at.isoformat() if self.made_at else None,
            "tables": {name: list(pair) for name, pair in self.tables.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> CheckResult:
        made_at = data.get("made_at")
        tables = data.get("tables") or {}
        assert isinstance(tables, dict)
        return cls(
            checked_at=datetime.fromisoformat(str(data["checked_at"])),
            backup=str(data["backup"]),
            made_at=datetime.fromisoformat(str(made_at)) if made_at else None,
            ok=bool(data["ok"]),
            problems=[str(p) for p in data.get("problems") or []],  # type: ignore[union-attr]
            tables={str(k): (v[0], v[1]) for k, v in tables.items()},
            seconds=float(data.get("seconds") or 0.0),  # type: ignore[arg-type]
        )


def backup_name(stem: str, reason: str, made_at: datetime, ext: str) -> str:
    if not REASON.fullmatch(reason):
        raise ValueError(f"a backup's reason is lower-case letters, digits and '-', not {reason!r}")
    return f"{stem}-{reason}-{made_at.astimezone(UTC):{_TIME}}.{ext}"


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def write_private(path: Path, text: str) -> None:
    """`text` into `path` whole or not at all (a temporary file, fsynced, renamed), 0600."""
    private_folder(path.parent)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with open(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """A rename survives a power cut only once its folder is synced too."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def list_backups(folder: Path, stem: str) -> list[StoredBackup]:
    """The backups of the database named `stem` in `folder`, newest first."""
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        if not path.name.startswith(f"{stem}-"):
            continue
        match = _REST.match(path.name[len(stem) + 1 :])
        if match is None:
            continue
        made_at = datetime.strptime(match["at"], _TIME).replace(tzinfo=UTC)
        found.append(StoredBackup(path, match["reason"], made_at, read_manifest(path)))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def verify(backup: Path) -> Manifest:
    """The backup's manifest, once the file is the very one it describes (size and SHA-256)."""
    manifest = read_manifest(backup)
    if manifest is None:
        raise BackupFailed(f"{backup.name} has no manifest: it was cut short, or is not a backup")
    if size_and_digest(backup) != (manifest.size, manifest.sha256):
        raise BackupFailed(f"{backup.name} is not the file its manifest describes: it has changed")
    return manifest


def size_and_digest(path: Path, *, sync: bool = False) -> tuple[int, str]:
    """The file's size and SHA-256; `sync` also flushes it to disk (a backup about to take its name)."""
    hashing = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            hashing.update(chunk)
            size += len(chunk)
        if sync:
            os.fsync(file.fileno())
    return size, hashing.hexdigest()


def read_manifest(backup: Path) -> Manifest | None:
    try:
        return Manifest.from_json(manifest_path(backup).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def newest_good(folder: Path, stem: str) -> StoredBackup | None:
    """The newest whole backup that no check has found wanting."""
    failed = {c.backup for c in read_checks(folder) if not c.ok}
    return next((b for b in list_backups(folder, stem) if b.complete and b.path.name not in failed), None)


def prune(folder: Path, stem: str, keep_daily: int = KEEP_DAILY, keep_other: int = KEEP_OTHER) -> list[Path]:
    """Delete the oldest backups (and their manifests) beyond what is kept; returns what went. A
    backup cut short (no manifest) is deleted once a newer whole one of its reason exists."""
    kept: dict[str, int] = {}
    whole_seen: set[str] = set()
    deleted = []
    for backup in list_backups(folder, stem):
        limit = keep_daily if backup.reason == DAILY else keep_other
        if backup.complete:
            kept[backup.reason] = kept.get(backup.reason, 0) + 1
            whole_seen.add(backup.reason)
            if kept[backup.reason] <= limit:
                continue
        elif backup.reason not in whole_seen:
            continue
        backup.path.unlink(missing_ok=True)
        manifest_path(backup.path).unlink(missing_ok=True)
        deleted.append(backup.path)
    return deleted


def read_checks(folder: Path) -> list[CheckResult]:
    """The weekly checks' results, newest first."""
    try:
        data = json.loads((folder / CHECKS_FILE).read_text(encoding="utf-8"))
        return [CheckResult.from_dict(entry) for entry in data]
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return []


def record_check(folder: Path, result: CheckResult) -> None:
    entries = [result, *read_checks(folder)][:CHECKS_KEPT]
    write_private(folder / CHECKS_FILE, json.dumps([e.to_dict() for e in entries], indent=1))
