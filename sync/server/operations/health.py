"""Is the county's server well: the database answers and its schema is the one this version expects,
a good backup was made last night, and the last weekly restore check found every row.

/healthz answers 503 only when the server cannot serve (the database does not answer): that is what a
load balancer or a watchdog acts on. A stale backup or a failed check makes it "degraded", still 200,
with the problems in words, for the person who reads the health page or gets the alert.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from sync.server.core.database import MIGRATIONS_DIR
from sync.server.operations.backup_store import CheckResult, StoredBackup, newest_good, read_checks
from sync.server.operations.central_backups import BackupPlace, backups_of

BACKUP_DUE = timedelta(hours=26)  # nightly, with an hour's slack for a slow night
CHECK_DUE = timedelta(days=8)  # weekly, likewise
VERSION_TABLE = "alembic_version_central"


@dataclass(frozen=True)
class Problem:
    """What is wrong, as a code the office's words translate and values to put in them."""

    code: str
    values: dict[str, str] = field(default_factory=dict)

    def english(self) -> str:
        return ENGLISH[self.code].format(**self.values)


ENGLISH = {
    "database_down": "the database does not answer",
    "schema_mismatch": "the database's schema is {current}, this version expects {expected}",
    "no_good_backup": "there is no good backup",
    "backup_old": "the newest good backup is {hours} hours old",
    "check_failed": "the restore check of {backup} failed: {detail}",
    "no_recent_check": "no backup has been restored and checked in the last week",
}


@dataclass(frozen=True)
class Health:
    checked_at: datetime
    database_ok: bool
    schema: str | None  # the database's revision
    schema_expected: str
    newest_good: StoredBackup | None
    backups: list[StoredBackup] = field(default_factory=list)
    last_check: CheckResult | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.database_ok:
            return "failing"
        return "degraded" if self.problems else "ok"

    @property
    def newest_good_age_hours(self) -> float | None:
        if self.newest_good is None:
            return None
        return round((self.checked_at - self.newest_good.made_at).total_seconds() / 3600, 1)

    def as_json(self) -> dict[str, object]:
        good, check = self.newest_good, self.last_check
        return {
            "status": self.status,
            "checked_at": self.checked_at.isoformat(),
            "database": "ok" if self.database_ok else "unreachable",
            "schema": {"current": self.schema, "expected": self.schema_expected},
            "backups": {
                "newest_good_at": good.made_at.isoformat() if good else None,
                "newest_good_age_hours": self.newest_good_age_hours,
                "count": len(self.backups),
                "last_check": {"at": check.checked_at.isoformat(), "ok": check.ok} if check else None,
            },
            "problems": [problem.english() for problem in self.problems],
        }


@functools.cache
def expected_revision() -> str:
    """The newest migration this version carries (read once: the files do not change under it)."""
    return str(ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head())


def database_revision(engine: Engine) -> tuple[bool, str | None]:
    try:
        with engine.connect() as connection:
            return True, connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}"))
    except SQLAlchemyError:
        return False, None


def server_health(engine: Engine, place: BackupPlace | None, now: datetime) -> Health:
    database_ok, schema = database_revision(engine)
    expected = expected_revision()
    problems = []
    if not database_ok:
        problems.append(Problem("database_down"))
    elif schema != expected:
        problems.append(Problem("schema_mismatch", {"current": str(schema), "expected": expected}))
    good, backups, checks = None, [], []
    if place is not None:
        backups = backups_of(place)
        good = newest_good(place.folder, place.stem)
        checks = read_checks(place.folder)
        if good is None:
            problems.append(Problem("no_good_backup"))
        elif now - good.made_at > BACKUP_DUE:
            problems.append(
                Problem("backup_old", {"hours": f"{(now - good.made_at).total_seconds() / 3600:.0f}"})
            )
        if checks and not checks[0].ok:
            detail = "; ".join(checks[0].problems[:3])
            problems.append(Problem("check_failed", {"backup": checks[0].backup or "—", "detail": detail}))
        elif good is not None and (not checks or now - checks[0].checked_at > CHECK_DUE):
            problems.append(Problem("no_recent_check"))
    return Health(now, database_ok, schema, expected, good, backups, checks[0] if checks else None, problems)
