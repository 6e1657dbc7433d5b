"""Enrolling a kiosk: the server can come from kiosk.toml, and a token for another device is not kept."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from db.clock import ManualClock
from kiosk.services.database_open import open_database
from sync.client import SyncClient
from sync.client.transport import Refused, ServerApi
from sync.wire import EnrolRequest, EnrolResponse
from tests.conftest import START
from tests.support.processes import ServerProcess
from tests.sync.conftest import Central, SchoolRef


def run_sync_cli(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KIOSK_CONFIG=str(config))
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "sync", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_enrol_takes_the_server_from_kiosk_toml(
    server: ServerProcess, central: Central, school: SchoolRef, tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[sync]\nserver_url = "{server.url}"\n', encoding="utf-8")
    db = tmp_path / "kiosk.sqlite3"

    result = run_sync_cli("--db", str(db), "enrol", "--code", central.code(school), config=config)

    assert result.returncode == 0, result.stderr
    assert "enrolled; roster taken:" in result.stdout
    assert "configured: True  online: True  pending: 0" in result.stdout


def test_enrol_without_a_server_anywhere_says_where_to_put_one(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("[kiosk]\n", encoding="utf-8")

    result = run_sync_cli(
        "--db", str(tmp_path / "k.sqlite3"), "enrol", "--code", "ABCDE-FGHIJ", config=config
    )

    assert result.returncode == 2
    assert "enrol needs --server, or server_url under [sync] in kiosk.toml" in result.stderr
    assert not (tmp_path / "k.sqlite3").exists()  # refused before touching anything


class AnswersForAnotherDevice(ServerApi):
    """A server (or something in between) that hands back a token for some other device."""

    def enrol(self, request: EnrolRequest) -> EnrolResponse:
        return super().enrol(request).model_copy(update={"device_id": uuid.uuid4()})


def test_a_token_for_another_device_is_not_kept(
    server: ServerProcess, central: Central, school: SchoolRef, tmp_path: Path
) -> None:
    uow = open_database(tmp_path / "kiosk.sqlite3", ManualClock(START))
    client = SyncClient(uow.engine, uow.clock, api_factory=AnswersForAnotherDevice)
    try:
        with pytest.raises(Refused, match="wrong_device"):
            client.enrol(server.url, central.code(school))
        assert not client.token_path.exists()
        assert client.status().configured is False
    finally:
        uow.engine.dispose()
