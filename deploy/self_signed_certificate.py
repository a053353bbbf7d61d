"""Makes sure DIR holds a TLS certificate for NAME: `fullchain.pem` and `privkey.pem`.

    python deploy/self_signed_certificate.py --name 192.168.1.20 --dir /certs

A certificate already there that names NAME and is valid for 30 more days is kept (a Let's
Encrypt one that certbot copied in, or an earlier self-signed one). Otherwise a self-signed one is
made for NAME (an IP address or a host name), valid DAYS days: browsers warn once until the
ministry installs it or sets a domain (README, "Servers"). The `certs` service of
docker-compose.yml runs this before nginx starts; tests/deploy/ uses it for its own certificate.
Prints what it did; exits 2 on a NAME that is neither an address nor a host name."""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import re
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$")


def subject_name(name: str) -> x509.GeneralName:
    """NAME as a subjectAltName entry; ValueError if it is neither an address nor a host name."""
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        if not HOST_NAME.match(name):
            raise ValueError(f"{name!r} is neither an IP address nor a host name") from None
        return x509.DNSName(name)


def usable(certificate_file: Path, name: str, *, days_left: int = 30) -> bool:
    """True when the certificate in the file names NAME and is valid for days_left more days."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    wanted = subject_name(name)
    ends = certificate.not_valid_after_utc
    return wanted in names.value and ends > dt.datetime.now(dt.UTC) + dt.timedelta(days=days_left)


def write_self_signed(directory: Path, name: str, *, days: int = 825) -> None:
    """Writes a new key (P-256) and a self-signed certificate for NAME into DIRECTORY."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name[:64])])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([subject_name(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_file = directory / "privkey.pem"
    key_file.touch(mode=0o600)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (directory / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="domain or LAN address users type")
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--days", type=int, default=825)
    arguments = parser.parse_args(argv)
    try:
        subject_name(arguments.name)
    except ValueError as error:
        sys.stderr.write(f"SERVER_NAME: {error}. Set it to the domain or address users type.\n")
        return 2
    if usable(arguments.dir / "fullchain.pem", arguments.name):
        sys.stdout.write(f"Keeping the certificate for {arguments.name} in {arguments.dir}.\n")
        return 0
    write_self_signed(arguments.dir, arguments.name, days=arguments.days)
    sys.stdout.write(f"Made a self-signed certificate for {arguments.name} in {arguments.dir}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
