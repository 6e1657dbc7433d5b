"""The county's own certificate authority: a kiosk given only ca.crt as its ca_file enrols and syncs
over HTTPS with the real client and server, keeps syncing after the server's certificate is renewed,
and refuses a certificate that does not name the address it talks to."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509

from sync.client import SyncClient
from sync.client.transport import Unreachable, api_for_school
from sync.server.bootstrap import open_central
from sync.server.operations import certificates
from tests.support.processes import ServerProcess, TlsFiles
from tests.sync.conftest import Central, Kiosk

COUNTY = "某某区教育局"


def serve(folder: Path, database: Path, tls: Path, port: int | None = None) -> ServerProcess:
    files = TlsFiles(
        tls / certificates.SERVER_CERT, tls / certificates.SERVER_KEY, tls / certificates.CA_CERT
    )
    return ServerProcess(f"sqlite:///{database}", folder / "server.log", port=port, tls=files).start()


@pytest.fixture
def county_server(tmp_path: Path) -> Iterator[tuple[ServerProcess, Central, Path]]:
    tls = tmp_path / "tls"
    issued = certificates.issue(tls, ["127.0.0.1", "liushou.county.lan"], COUNTY)
    assert issued.authority_made and issued.server_made
    server = serve(tmp_path, tmp_path / "central.sqlite3", tls)
    central = Central(open_central(server.database_url, migrate=False))
    yield server, central, tls
    central.db.engine.dispose()
    server.stop()


def kiosk_trusting(path: Path, ca_file: Path) -> Kiosk:
    kiosk = Kiosk(path)  # with the client a kiosk builds from `ca_file` under [sync] in kiosk.toml
    kiosk.client = SyncClient(kiosk.uow.engine, kiosk.clock, api_factory=api_for_school(ca_file))
    return kiosk


def test_a_kiosk_given_the_county_s_ca_file_enrols_and_syncs(county_server, tmp_path: Path) -> None:
    server, central, tls = county_server
    assert stat.S_IMODE((tls / certificates.CA_KEY).stat().st_mode) == 0o600
    assert stat.S_IMODE((tls / certificates.SERVER_KEY).stat().st_mode) == 0o600
    school = central.new_school()
    kiosk = kiosk_trusting(tmp_path / "kiosk.sqlite3", tls / certificates.CA_CERT)
    try:
        report = kiosk.enrol(server.url, central.code(school))
        assert report.snapshot and report.pulled > 0
        kiosk.room.tap(0)
        assert kiosk.sync().pushed == 1 and central.event_count(school) == 1
    finally:
        kiosk.close()


def test_a_renewed_server_certificate_needs_nothing_new_on_the_kiosks(county_server, tmp_path: Path) -> None:
    server, central, tls = county_server
    school = central.new_school()
    kiosk = kiosk_trusting(tmp_path / "kiosk.sqlite3", tls / certificates.CA_CERT)
    try:
        kiosk.enrol(server.url, central.code(school))
        authority = (tls / certificates.CA_CERT).read_bytes()
        old = x509.load_pem_x509_certificate((tls / certificates.SERVER_CERT).read_bytes())

        again = certificates.issue(tls, ["127.0.0.1", "liushou.county.lan"], COUNTY)
        assert not again.server_made  # same addresses, far from expiry: kept
        renewed = certificates.issue(tls, ["127.0.0.1", "liushou.county.lan"], COUNTY, renew=True)
        assert renewed.server_made and not renewed.authority_made
        assert (tls / certificates.CA_CERT).read_bytes() == authority
        new = x509.load_pem_x509_certificate((tls / certificates.SERVER_CERT).read_bytes())
        assert new.serial_number != old.serial_number

        server.stop()
        restarted = serve(tmp_path, Path(server.database_url.removeprefix("sqlite:///")), tls, server.port)
        try:
            kiosk.room.tap(1)
            assert kiosk.sync().pushed == 1
        finally:
            restarted.stop()
    finally:
        kiosk.close()


def test_a_certificate_near_its_end_is_renewed_when_asked_again(tmp_path: Path) -> None:
    first = certificates.issue(tmp_path, ["192.168.1.10"], COUNTY)
    later = first.expires_at - certificates.RENEW_WITHIN + timedelta(days=1)
    assert certificates.issue(tmp_path, ["192.168.1.10"], COUNTY, now=later).server_made
    assert certificates.issue(tmp_path, ["192.168.1.10", "10.0.0.2"], COUNTY).server_made  # a new address
    assert first.expires_at > datetime.now(UTC) + timedelta(days=4 * 365)


def test_a_certificate_that_does_not_name_the_address_is_refused(county_server, tmp_path: Path) -> None:
    """The certificate names 127.0.0.1 and liushou.county.lan; a kiosk told `localhost` must not talk."""
    server, central, tls = county_server
    school = central.new_school(demo=False)
    kiosk = kiosk_trusting(tmp_path / "kiosk.sqlite3", tls / certificates.CA_CERT)
    try:
        with pytest.raises(Unreachable, match="SSLError"):
            kiosk.client.enrol(server.url.replace("127.0.0.1", "localhost"), central.code(school))
        assert not kiosk.client.token_path.exists()
    finally:
        kiosk.close()


@pytest.mark.parametrize("address", ["", "not an address", "bad_name.lan", "例子.中国"])
def test_an_address_that_is_no_ip_or_host_name_is_refused(tmp_path: Path, address: str) -> None:
    with pytest.raises(certificates.CertificateError):
        certificates.issue(tmp_path, [address] if address else [], COUNTY)
    assert not (tmp_path / certificates.SERVER_CERT).exists()
