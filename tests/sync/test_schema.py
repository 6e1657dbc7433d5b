"""The central server's migrations build exactly what its models declare, on SQLite and PostgreSQL, and
an existing server's data survives the upgrade to ids scoped per school."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import BigInteger, Engine, String, Uuid, column, func, insert, select, table

import db.types
from sync.server.core.database import MIGRATIONS_DIR, make_server_engine, upgrade
from sync.server.models import CentralBase, Device, LoanFact, ReceivedEvent, Room
from tests.support.schema_diff import schema_differences
from tests.sync.conftest import new_database_url

VERSION_TABLE = "alembic_version_central"
# The schools table as it was before 0006 gave it `settings_seq` (the model would write that column).
SCHOOLS_AT_0004 = table(
    "schools",
    column("id", Uuid()),
    column("name", String()),
    column("change_seq", BigInteger()),
    column("created_at", db.types.UTCDateTime()),
)


@pytest.fixture
def empty_central(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    engine = make_server_engine(new_database_url(backend, request, tmp_path))
    request.addfinalizer(engine.dispose)
    return engine


def downgrade(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        return schema_differences(connection, CentralBase.metadata, VERSION_TABLE)


def test_migrations_build_exactly_the_models(empty_central: Engine) -> None:
    upgrade(empty_central)
    assert differences(empty_central) == [], "models and migrations disagree; add a migration"


def test_the_comparison_sees_a_primary_key_that_drifted(empty_central: Engine) -> None:
    """0001 built loan_facts keyed on loan_id alone while the model said (school_id, loan_id), and so it
    stayed until 0005: the comparison must see that, or the test above proves nothing about keys."""
    upgrade(empty_central, "0004")
    found = differences(empty_central)
    assert ("primary_key", "loan_facts") in {tuple(d[:2]) for d in found if d[0] == "primary_key"}


def test_an_existing_servers_events_and_loans_survive_the_upgrade(empty_central: Engine) -> None:
    upgrade(empty_central, "0004")  # events and loan facts as 0001 built them
    now = datetime.now(UTC)
    school, room, device = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events = [
        {
            "id": uuid.uuid4(),
            "school_id": school,
            "device_id": device,
            "seq": seq,
            "type": "visit.signed_in",
            "payload": {"n": seq},
            "occurred_at": now,
            "boot_id": "b",
            "monotonic_ns": seq,
            "corrected_at": now,
            "time_basis": "kiosk_clock",
            "received_at": now,
            "batch_id": uuid.uuid4(),
        }
        for seq in (1, 2, 3)
    ]
    loan = {"school_id": school, "loan_id": uuid.uuid4(), "copy_id": uuid.uuid4(), "device_id": device}
    with empty_central.begin() as connection:  # written as the code before 0005 would have, column by column
        connection.execute(
            insert(SCHOOLS_AT_0004), {"id": school, "name": "旧", "change_seq": 0, "created_at": now}
        )
        connection.execute(
            insert(Room.__table__), {"id": room, "school_id": school, "name": "r", "created_at": now}
        )
        connection.execute(
            insert(Device.__table__),
            {
                "id": device,
                "school_id": school,
                "room_id": room,
                "token_id": "t",
                "token_hash": "h",
                "enrolled_at": now,
            },
        )
        connection.execute(insert(ReceivedEvent.__table__), events)
        connection.execute(insert(LoanFact.__table__), loan)

    upgrade(empty_central)

    with empty_central.connect() as connection:
        stored = connection.execute(
            select(ReceivedEvent.id, ReceivedEvent.seq).order_by(ReceivedEvent.seq)
        ).all()
        assert stored == [(e["id"], e["seq"]) for e in events]
        assert connection.scalar(select(func.count()).select_from(LoanFact)) == 1
    assert differences(empty_central) == []

    downgrade(empty_central, "0004")  # while no two schools share an id, the step can be undone
    with empty_central.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReceivedEvent)) == len(events)
    upgrade(empty_central)
    assert differences(empty_central) == []
