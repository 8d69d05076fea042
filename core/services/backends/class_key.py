"""The class key: the one file that lets a machine into the class's Dask cluster (TLS with certificates).

Dask's own `distributed.security.Security` wants a CA, a certificate and its
private key; both ends must present a certificate signed by the CA, and
hostnames are not checked. CNN Lab keeps all three in one PEM file,
`cluster-key.pem` in the classroom folder (mode 0600), made with the
`cryptography` package on first use:

- a CA made for this class alone; its private key is thrown away as soon as
  it has signed the class certificate, so nobody can ever sign another;
- the class certificate and its private key, which the scheduler, every lab
  PC's worker and the app's own client all present.

Whoever holds the file can join the cluster, and so run code on every lab PC:
it is guarded like a password. `renew` makes a new one, which shuts out every
machine that still holds the old one.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from pathlib import Path

from core.services import run_store

FILE = "cluster-key.pem"
VALID_DAYS = 3650  # a class key is replaced by `renew`, not by expiry in the middle of a school year


def key_path() -> Path:
    """Where the app keeps the class key: `cluster-key.pem` in the classroom folder."""
    from core.services.classroom import classroom_dir

    return classroom_dir() / FILE


def ensure(path: Path | None = None) -> Path:
    """The class key file, made on first use."""
    path = Path(path or key_path())
    if not path.is_file():
        renew(path)
    return path


def renew(path: Path | None = None) -> Path:
    """Write a new class key (a new CA and certificate), atomically, readable only by this account."""
    path = Path(path or key_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = _make_pem()

    def write(tmp: str) -> None:
        Path(tmp).write_bytes(pem)

    run_store.atomic_write(path, write, mode=0o600)
    return path


def security(path: Path):
    """Dask's `Security` for a client or server holding the class key: TLS, certificates required both ways."""
    from distributed.security import Security

    name = str(path)
    return Security(
        tls_ca_file=name,
        tls_client_cert=name,
        tls_client_key=name,
        tls_scheduler_cert=name,
        tls_scheduler_key=name,
        tls_worker_cert=name,
        tls_worker_key=name,
        require_encryption=True,
    )


def cli_flags(path: Path | str) -> list[str]:
    """The flags that give `dask scheduler` or `dask worker` the class key."""
    return ["--tls-ca-file", str(path), "--tls-cert", str(path), "--tls-key", str(path)]


def short_id(path: Path) -> str:
    """Eight hex digits naming this key (of its certificate), so a teacher can tell an old key file from the new."""
    from cryptography import x509

    certificate = x509.load_pem_x509_certificate(Path(path).read_bytes())
    return hashlib.sha256(certificate.public_bytes(_pem())).hexdigest()[:8]


def _pem():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.PEM


def _make_pem() -> bytes:
    """The class certificate's private key, the certificate, then the CA certificate that signed it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    serial = os.urandom(4).hex()

    def certificate(subject, issuer, public_key, signer, *, ca: bool):
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        )
        if not ca:
            usage = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"CNN Lab class CA {serial}")])
    ca_cert = certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"CNN Lab class {serial}")])
    cert = certificate(name, ca_name, key.public_key(), ca_key, ca=False)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private + cert.public_bytes(_pem()) + ca_cert.public_bytes(_pem())
