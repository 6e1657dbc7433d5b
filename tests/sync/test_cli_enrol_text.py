"""`enrol` over SSH with what the technician has in hand: the office's QR code as text (a 2D scanner
types it into the terminal, or it is copied from the office's page), given on its own or pasted where
the code goes; and a label too long for the server's list is said plainly before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import ServerProcess
from tests.sync.conftest import Central, SchoolRef
from tests.sync.test_cli import run_sync_cli


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the server's database is not the point
@pytest.mark.parametrize("where", ["on its own", "as --code"])
def test_enrol_takes_the_office_qr_code_text(
    where: str, server: ServerProcess, central: Central, school: SchoolRef, tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("[kiosk]\n", encoding="utf-8")  # no server_url: it comes from the QR code
    qr_text = f"liushou-enrol:?server={server.url}&code={central.code(school)}"
    given = [qr_text] if where == "on its own" else ["--code", qr_text]

    result = run_sync_cli("--db", str(tmp_path / "kiosk.sqlite3"), "enrol", *given, config=config)

    assert result.returncode == 0, result.stderr
    assert "enrolled; roster taken:" in result.stdout
    assert "configured: True  online: True" in result.stdout


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (["--label", "三年级二班门口的自助机" * 8], "--label is at most 80 characters; this one has 88"),
        (["liushou-enrol:?server=https://192.168.1.10:8700"], "not the office's enrolment QR code"),
        (["--code", "5"], "'5' is not an enrolment code"),
    ],
)
def test_what_enrol_cannot_use_is_said_before_anything_is_written(
    given: list[str], said: str, tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[sync]\nserver_url = "https://192.168.1.10:8700"\n', encoding="utf-8")
    if "--label" in given:
        given = [*given, "--code", "ABCDE-12345"]

    result = run_sync_cli("--db", str(tmp_path / "kiosk.sqlite3"), "enrol", *given, config=config)

    assert result.returncode == 2
    assert said in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "kiosk.sqlite3").exists()
