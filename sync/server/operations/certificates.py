"""HTTPS for a county's server without buying a certificate: the county's own certificate authority.

The county makes one authority (ca.crt and its key, which never leaves the server's folder) and, with
it, the server's certificate for every address the kiosks and the offices use (an IP on the LAN, a name
in the county's DNS). Each kiosk is given ca.crt as `ca_file` once; a renewed server certificate, or a
new address, needs nothing new on the kiosks, because they trust the authority, not one certificate.

Keys are ECDSA P-256: small, quick on a Raspberry Pi, and understood by every TLS library the kiosks
and browsers use. Private keys are written 0600; the certificates are public.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

AUTHORITY_YEARS = 20
SERVER_DAYS = 5 * 365
RENEW_WITHIN = timedelta(days=60)
CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY = "ca.crt", "ca.key", "server.crt", "server.key"


class CertificateError(ValueError):
    pass


@dataclass(frozen=True)
class Issued:
    folder: Path
    authority_made: bool  # a new authority: every kiosk needs its ca.crt
    server_made: bool  # a new server certificate (the server must be restarted to serve it)
    addresses: tuple[str, ...]
    expires_at: datetime

    @property
    def ca_file(self) -> Path:
        return self.folder / CA_CERT


def subject_names(addresses: list[str]) -> list[x509.GeneralName]:
    """Each address as an IP or a DNS name; anything else is refused before a certificate is made."""
    if not addresses:
        raise CertificateError("give at least one --address: the IP or name the kiosks use for the server")
    names: list[x509.GeneralName] = []
    for address in addresses:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(address.strip("[]"))))
            continue
        except ValueError:
            pass
        label = address.rstrip(".").lower()
        parts = label.split(".")
        if not all(p and len(p) <= 63 and p.replace("-", "").isalnum() and p.isascii() for p in parts):
            raise CertificateError(f"{address!r} is neither an IP address nor a host name")
        names.append(x509.DNSName(label))
    return names


def issue(
    folder: Path, addresses: list[str], county: str, *, renew: bool = False, now: datetime | None = None
) -> Issued:
    """The authority (made once, kept) and a server certificate for `addresses` — a new one only when
    there is none, it names other addresses, expires within RENEW_WITHIN, or `renew` says so."""
    moment = now or datetime.now(UTC)
    names = subject_names(addresses)
    folder.mkdir(parents=True, exist_ok=True)
    authority_made = not (folder / CA_CERT).exists()
    if authority_made:
        _make_authority(folder, county, moment)
    ca_cert = x509.load_pem_x509_certificate((folder / CA_CERT).read_bytes())
    ca_key = serialization.load_pem_private_key((folder / CA_KEY).read_bytes(), password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise CertificateError(f"{folder / CA_KEY} is not the authority's EC key")
    current = _current_server(folder)
    wanted = {str(n.value) for n in names}
    due = (
        current is None
        or renew
        or authority_made
        or _names_of(current) != wanted
        or current.not_valid_after_utc - moment < RENEW_WITHIN
        or current.issuer != ca_cert.subject
    )
    if due:
        current = _make_server(folder, names, ca_cert, ca_key, moment)
    return Issued(folder, authority_made, due, tuple(addresses), current.not_valid_after_utc)


def _make_authority(folder: Path, county: str, now: datetime) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, county),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{county} 留守儿童之家 CA"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * AUTHORITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(folder / CA_KEY, key)
    (folder / CA_CERT).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _make_server(
    folder: Path,
    names: list[x509.GeneralName],
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    now: datetime,
) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    authority_id = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, str(names[0].value))]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + timedelta(days=SERVER_DAYS), ca_cert.not_valid_after_utc))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(authority_id), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(folder / SERVER_KEY, key)
    (folder / SERVER_CERT).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _current_server(folder: Path) -> x509.Certificate | None:
    try:
        return x509.load_pem_x509_certificate((folder / SERVER_CERT).read_bytes())
    except (OSError, ValueError):
        return None


def _names_of(certificate: x509.Certificate) -> set[str]:
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {str(n.value) for n in names}


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    """0600 from the first byte: the key is never readable by others, not even for a moment."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.new")
    descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with open(descriptor, "wb") as file:
        file.write(pem)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
