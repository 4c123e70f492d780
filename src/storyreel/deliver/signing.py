"""Who signs: the installation's own ES256 key and certificate chain, or the user's.

A C2PA manifest is signed with a private key whose certificate chain travels in the
manifest. With nothing configured, storyreel makes one on first use: a root
certificate and a signing certificate under it, both its own (a "self-made chain"),
kept with the key in the user's config folder, readable by the user alone. A verifier
can then tell that the file is unchanged since this installation signed it, but not
who that installation belongs to: no authority vouches for the root (README,
"Provenance"). Users with a certificate from a C2PA-trusted authority give it by
option or environment (STORYREEL_C2PA_CERT, STORYREEL_C2PA_KEY).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from storyreel.errors import OutputError

CERT_ENV = "STORYREEL_C2PA_CERT"
KEY_ENV = "STORYREEL_C2PA_KEY"
# Where the installation's own chain is kept (default: the platform's user config
# folder, ~/.config/storyreel on Linux).
CONFIG_ENV = "STORYREEL_CONFIG_DIR"

CHAIN_FILE = "c2pa-chain.pem"
KEY_FILE = "c2pa-key.pem"
# Long enough that a film signed today still validates in years; C2PA validators check
# the signing time against the certificate's validity, not today's date.
_YEARS = 10


@dataclass(frozen=True)
class SigningIdentity:
    chain: bytes  # PEM: the signing certificate first, then the ones that issued it
    key: bytes  # PEM: the signing certificate's private key
    self_made: bool  # the installation's own chain, which no authority vouches for


def config_dir() -> Path:
    configured = os.environ.get(CONFIG_ENV)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("storyreel"))


def signing_identity(cert: Path | None = None, key: Path | None = None) -> SigningIdentity:
    """The user's certificate chain and key (arguments, else the environment), else the
    installation's own, made now if this is the first signature."""
    cert = cert or _env_path(CERT_ENV)
    key = key or _env_path(KEY_ENV)
    if (cert is None) != (key is None):
        raise OutputError(
            "signing needs both a certificate chain and its private key: give both "
            f"({CERT_ENV} and {KEY_ENV}, or the exporter's cert and key options) or neither"
        )
    if cert is not None and key is not None:
        return SigningIdentity(_read(cert, "certificate chain"), _read(key, "private key"), False)
    return _own_identity(config_dir())


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def _read(path: Path, what: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OutputError(f"{path}: cannot read the {what} ({error.strerror})") from None
    if b"-----BEGIN" not in data:
        raise OutputError(f"{path}: the {what} must be PEM (text starting with -----BEGIN)")
    return data


def _own_identity(folder: Path) -> SigningIdentity:
    chain_path, key_path = folder / CHAIN_FILE, folder / KEY_FILE
    if not (chain_path.is_file() and key_path.is_file()):
        chain, key = make_chain()
        folder.mkdir(parents=True, exist_ok=True)
        # The key first and private from its first byte: created 0600, never chmod-ed
        # after the fact. The chain last: its presence says the pair is complete.
        _write_private(key_path, key)
        _write_private(chain_path, chain)
    return SigningIdentity(chain_path.read_bytes(), key_path.read_bytes(), True)


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def make_chain(name: str = "storyreel") -> tuple[bytes, bytes]:
    """A new P-256 signing key and its chain (signing certificate, then a root made
    for it), both PEM. The signing certificate carries what C2PA validators ask of
    one: digital signature use, the email-protection purpose, not a CA, key ids."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def subject(cn: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, cn),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            ]
        )

    def usage(*, sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=not sign,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=sign,
            crl_sign=sign,
            encipher_only=False,
            decipher_only=False,
        )

    now = datetime.datetime.now(datetime.UTC)
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=365 * _YEARS)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(subject(f"{name} root (self-made)"))
        .issuer_name(subject(f"{name} root (self-made)"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(subject(f"{name} signer"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    chain = leaf.public_bytes(pem) + root.public_bytes(pem)
    private = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return chain, private
