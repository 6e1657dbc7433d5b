"""The school's server over HTTPS, and the kiosk refusing plain HTTP to another machine.

Enrolment codes, device tokens and every pull (children's names, callees' phone numbers) cross the
school's network, so the kiosk speaks HTTPS to anything but itself unless a person says otherwise.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from sync.client.transport import InsecureServerUrl, Unreachable, check_server_url
from sync.server.bootstrap import open_central
from tests.support.processes import ServerProcess, self_signed_certificate
from tests.sync.conftest import Central


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("https-server")
    server = ServerProcess(
        f"sqlite:///{folder / 'central.sqlite3'}", folder / "server.log", tls=self_signed_certificate(folder)
    ).start()
    central = Central(open_central(server.database_url, migrate=False))
    yield server, central
    central.db.engine.dispose()
    server.stop()


def test_a_kiosk_enrols_and_syncs_over_https(https_server, new_kiosk, monkeypatch) -> None:
    server, central = https_server
    assert server.url.startswith("https://")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.tls.cert))  # the school's certificate, trusted
    school = central.new_school()
    kiosk = new_kiosk()

    report = kiosk.enrol(server.url, central.code(school))
    assert report.snapshot and report.pulled > 0
    kiosk.room.tap(0)
    assert kiosk.sync().pushed == 1
    assert central.event_count(school) == 1 and kiosk.pending() == 0


def test_an_untrusted_certificate_is_not_talked_to(https_server, new_kiosk, monkeypatch) -> None:
    server, central = https_server
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    school = central.new_school(demo=False)
    kiosk = new_kiosk()

    with pytest.raises(Unreachable, match="SSLError"):
        kiosk.enrol(server.url, central.code(school))
    assert not kiosk.client.token_path.exists()


@pytest.mark.parametrize("url", ["http://192.0.2.10:8700", "http://school.example", "ftp://127.0.0.1/"])
def test_plain_http_to_another_machine_is_refused_before_anything_is_sent(url: str, new_kiosk) -> None:
    kiosk = new_kiosk()
    with pytest.raises(InsecureServerUrl):
        kiosk.client.enrol(url, "ABCDE-12345")
    assert not kiosk.client.token_path.exists()


def test_plain_http_is_fine_on_this_machine_or_when_a_person_says_so() -> None:
    assert check_server_url("http://127.0.0.1:8700/") == "http://127.0.0.1:8700"
    assert check_server_url("http://localhost:8700") == "http://localhost:8700"
    assert check_server_url("http://192.168.1.10:8700", allow_plain_http=True) == "http://192.168.1.10:8700"
    assert check_server_url("https://192.168.1.10:8700") == "https://192.168.1.10:8700"


def test_the_cli_says_why_it_refuses_plain_http(tmp_path: Path) -> None:
    from tests.sync.test_cli import run_sync_cli

    config = tmp_path / "kiosk.toml"
    config.write_text("[kiosk]\n", encoding="utf-8")
    db = tmp_path / f"{uuid.uuid4().hex}.sqlite3"
    result = run_sync_cli(
        "--db", str(db), "enrol", "--server", "http://192.0.2.10:8700", "--code", "ABCDE-FGHIJ", config=config
    )
    assert result.returncode == 2
    assert "is plain HTTP" in result.stderr and "--allow-plain-http" in result.stderr
    assert not db.exists()


def test_kiosk_toml_names_the_schools_certificate(https_server, tmp_path: Path, monkeypatch) -> None:
    """A school with its own certificate puts it in kiosk.toml once; no environment to set on the Pi."""
    from tests.sync.test_cli import run_sync_cli

    server, central = https_server
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[sync]\nserver_url = "{server.url}"\nca_file = "{server.tls.cert}"\n', encoding="utf-8"
    )
    code = central.code(central.new_school())
    result = run_sync_cli("--db", str(tmp_path / "kiosk.sqlite3"), "enrol", "--code", code, config=config)
    assert result.returncode == 0, result.stderr
    assert "configured: True  online: True  pending: 0" in result.stdout


def test_a_ca_file_that_is_not_there_is_a_config_error(tmp_path: Path) -> None:
    from tests.sync.test_cli import run_sync_cli

    config = tmp_path / "kiosk.toml"
    config.write_text(f'[sync]\nca_file = "{tmp_path / "missing.crt"}"\n', encoding="utf-8")
    result = run_sync_cli("--db", str(tmp_path / "k.sqlite3"), "status", config=config)
    assert result.returncode == 2
    assert "[sync] ca_file" in result.stderr and "no such file" in result.stderr
