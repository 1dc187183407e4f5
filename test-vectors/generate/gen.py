#!/usr/bin/env python3
"""Test-vector generator for sigaudit.

What it makes
-------------
Scenario folders under ``test-vectors/scenarios/<group>/<name>/`` in the format
``test-vectors/README.md`` describes (``input/``, ``options.json``,
``expected.json``, and the ``keys/`` / ``trust/`` files that options refer to):

- ``real/``     the public PP broker artifacts of ``test-vectors/real/``, copied
                (never modified in place) and, for negative cases, altered copies;
- ``jws/``      one scenario per JWS rejection rule (RFC 7515 / 7797 / 8725);
- ``algs/``     one passing token response per accepted algorithm;
- ``jwt/``      claim and time rules (RFC 7519, OIDC Core, broker rules);
- ``binding/``  transaction and workflow tokens bound to PDFs / text (broker.md §3-4),
                each with a good OCSP response and the OCES-like root as anchor;
- ``ocsp/``     one scenario per OCSP rule (RFC 6960, broker.md §3 rule 5) on one
                base (transaction token + good OCSP + matching PDF + --trust root);
- ``chain/``    one scenario per certification-path rule (RFC 5280 §6) on the same base;
- ``input/``    input detection (unrecognised, malformed and error files).

Every JWS is built by hand here (JSON, base64url, signing input) and signed
with the ``cryptography`` package: no JOSE library is used, so the verifier is
tested against code that is not its own. OCSP responses are assembled field by
field with ``asn1crypto`` (cryptography's builder stamps producedAt with the
current time) and signed with ``cryptography``.

The ``chain/`` and ``ocsp/`` folders also hold ``openssl.json`` and an
``openssl/`` folder (leaf, issuer, response DER) for ``tests/openssl_agreement.rs``:
``{"leaf", "issuer", "root", "ocsp", "attime"}``, paths relative to the folder
(``root`` / ``ocsp`` null when the scenario has no anchor / no response), attime
the token's iat in unix seconds. They are not evidence: sigaudit reads ``input/``.

OpenSSL as a third opinion
--------------------------
The generator needs ``openssl`` (3.x) on PATH: every OCSP response is read back
with ``openssl ocsp -respin R -resp_text`` and checked with ``openssl ocsp
-respin R -issuer CA -cert LEAF -CAfile ROOT -no_nonce -attime IAT``, and every
``chain/`` / ``ocsp/`` certificate path with ``openssl verify -attime IAT``; the
run stops when OpenSSL disagrees with what a response or path is meant to be
(status, verification, producedAt, nonce, serial, responder, revocation reason).
Each response is also parsed back with cryptography's OCSP parser and its
signature verified (flipped on purpose where meant to be).

The test PKI
------------
Private keys and certificates of a TEST-ONLY PKI live in ``pki/`` as PEM and are
committed, so re-runs reuse them (a missing key is generated once):

- token signing: a self-signed RSA root and an RSA 2048 token-signing
  certificate (kid = x5t = uppercase hex SHA-1 of the DER certificate), plus a
  self-signed RSA encryption certificate (``use: enc``, alg RSA-OAEP);
- an OCES3-like chain: root CA and issuing CA (certificates signed with
  RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32), the transaction-signing leaf
  (``CN=NEB Transact TEST``) and a delegated OCSP responder (ECDSA P-256, EKU
  OCSPSigning, id-pkix-ocsp-nocheck, valid through 2025: it covers every
  producedAt, which ``make_ocsp`` asserts);
- for ``ocsp/`` and ``chain/``: a second issuing CA under the same root with its
  own delegated responder, a responder of the first CA without id-kp-OCSPSigning,
  leaf variants (expired before iat, not yet valid at iat, an unknown critical
  extension) and issuing-CA variants (basicConstraints cA false; RSASSA-PSS
  parameters saying salt 20 over a salt-32 signature, re-signed by hand);
- algorithm-matrix keys: RSA 2048, EC P-256 / P-384 / P-521, Ed25519, RSA 1024.

``pki/test_jwks.json`` is the public JWKS of the test issuer (written on every run).
Serial numbers and validity dates are fixed. RSA PKCS#1 v1.5 and deterministic
ECDSA (RFC 6979) signatures are reproducible; RSASSA-PSS signatures are not, so a
certificate is re-signed only when its to-be-signed part changes (the cached PEM
is reused otherwise), and PS* tokens differ from run to run (that is fine). The
one PSS-signed OCSP response (ocsp/ca-signed) uses a salt derived from the data,
so every OCSP response is reproducible.

Ownership
---------
The generator owns exactly the scenario folders it writes (listed in
``owned.txt`` next to this file). A run deletes the folders of the previous run's
list and of its own, then writes them again; nothing else is touched. The inputs
of ``test-vectors/real/`` are only read.

How to run
----------
    pip install -r test-vectors/generate/requirements.txt && python3 test-vectors/generate/gen.py
    cargo test --test vectors
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from asn1crypto import algos as a_algos
from asn1crypto import core as a_core
from asn1crypto import ocsp as a_ocsp
from asn1crypto import x509 as a_x509

from cryptography import x509
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent
TV = HERE.parent
SCENARIOS = TV / "scenarios"
REAL = TV / "real"
PKI = HERE / "pki"
OWNED_LIST = HERE / "owned.txt"


# ---------------------------------------------------------------------------
# Encoding helpers
# ---------------------------------------------------------------------------

def b64u(data: bytes) -> str:
    """base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_dec(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64(data: bytes) -> str:
    """Standard base64 with padding (x5c, transaction_text_sha256, pdfBase64)."""
    return base64.b64encode(data).decode("ascii")


def compact_json(obj) -> bytes:
    """JSON as the broker writes token headers and payloads: compact, UTF-8."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def dotnet_json(obj) -> str:
    """JSON text as .NET's default encoder writes nested claim strings: compact,
    non-ASCII and HTML-sensitive characters escaped (so '&' becomes \\u0026)."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=True)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"), ("'", "\\u0027"), ("+", "\\u002B")):
        text = text.replace(ch, esc)
    return text


def pretty_json(obj) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sha1_hex_upper(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest().upper()


def utc(y, mo, d, h=0, mi=0, s=0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.timezone.utc)


def epoch(t: dt.datetime) -> int:
    return int(t.timestamp())


def rfc3339(t: int) -> str:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# Fixed times and identities
# ---------------------------------------------------------------------------

T = epoch(utc(2025, 3, 10, 9, 0, 0))  # tokens are issued 2025-03-10T09:00:00Z
AT = rfc3339(T + 2)  # default validation time: two seconds after issuance
ISS = "https://test.netseidbroker.dk/op"
CLIENT_ID = "0a775a87-878c-4b83-abe3-ee29c0c6c5fc"
SUB = "2b2b6d3e-1c55-4f0a-9d0e-6a4f5b7c8d90"
NONCE = "n-3f9a1c2e7b"
LOA_SUBSTANTIAL = "https://data.gov.dk/concept/core/nsis/loa/Substantial"
IAL_SUBSTANTIAL = "https://data.gov.dk/concept/core/nsis/ial/Substantial"
ORG_CVR = "29915938"
ORG_TIN = "DK" + ORG_CVR
LEAF_UUID = "3f2c8a5e-7b1d-4c9a-9e6f-0d4b2a1c5e77"


# ---------------------------------------------------------------------------
# Test PKI: keys and certificates, cached under pki/
# ---------------------------------------------------------------------------

def load_or_create_key(name: str, create):
    path = PKI / f"{name}.key.pem"
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    key = create()
    PKI.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    print(f"generated new key pki/{path.name}")
    return key


def rsa_key(bits):
    return lambda: rsa.generate_private_key(public_exponent=65537, key_size=bits)


def ec_key(curve):
    return lambda: ec.generate_private_key(curve)


def name(*pairs) -> x509.Name:
    """Name from (oid, value) pairs given most-specific first (as RFC 4514 prints
    them); encoded in the reverse (X.500) order, C first."""
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in reversed(pairs)])


PSS_CERT = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def build_cert(subject, issuer_name, public_key, signer_key, serial, not_before, not_after, extensions, pss=False):
    """A certificate signed with cryptography (PSS: SHA-256, MGF1-SHA-256, salt 32)."""
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    for ext, critical in extensions:
        b = b.add_extension(ext, critical=critical)
    kwargs = {}
    if isinstance(signer_key, ed25519.Ed25519PrivateKey):
        alg = None
    else:
        alg = hashes.SHA256()
    if pss:
        kwargs["rsa_padding"] = PSS_CERT
    if isinstance(signer_key, ec.EllipticCurvePrivateKey):
        kwargs["ecdsa_deterministic"] = True
    return b.sign(signer_key, alg, **kwargs)


def cached(file: str, cert):
    """Writes pki/<file>.cert.pem, or returns the cached certificate when its TBS
    part is the same (PSS and any randomized signature would otherwise change on
    every run)."""
    path = PKI / f"{file}.cert.pem"
    if path.exists():
        old = x509.load_pem_x509_certificate(path.read_bytes())
        if old.tbs_certificate_bytes == cert.tbs_certificate_bytes:
            return old
        print(f"re-issued pki/{path.name} (its content changed)")
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert


def issue(file: str, subject, issuer_name, public_key, signer_key, serial, not_before, not_after, extensions, pss=False):
    """Builds a certificate; reuses the cached one when its TBS part is unchanged."""
    return cached(file, build_cert(subject, issuer_name, public_key, signer_key, serial, not_before, not_after, extensions, pss))


# Delegated OCSP responders are valid for 2025 (every producedAt must fall inside:
# make_ocsp asserts it).
RESPONDER_VALIDITY = (utc(2025, 1, 1), utc(2026, 1, 1))
# An extension no verifier knows (an OID under 2.25, UUID-based per X.667),
# marked critical on one leaf: RFC 5280 §4.2 says such a certificate is rejected.
TEST_CRITICAL_OID = "2.25.%d" % uuid.uuid5(uuid.NAMESPACE_URL, "https://sigaudit.example/test/critical-extension").int
# Microsoft's user principal name otherName (the form most PKIs put in an
# otherName), and the mailbox the name-constraint leaf variants carry.
UPN_OID = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")
LEAF_EMAIL = "neb-transact@signaturgruppen.example"
TEST_CRITICAL_VALUE = a_core.UTF8String("sigaudit TEST: an extension no verifier understands").dump()


def ca_exts(ca_key, parent_cert):
    return [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (ku(key_cert_sign=True, crl_sign=True), True),
        (ski(ca_key.public_key()), False),
        (aki(parent_cert), False),
    ]


def pss_alg(salt=32, mgf_hash="sha256") -> a_algos.SignedDigestAlgorithm:
    """The RSASSA-PSS AlgorithmIdentifier (RFC 4055 §3.1): SHA-256, MGF1 with
    mgf_hash, the given salt length, trailer field 1. DER omits DEFAULT values, so
    trailer field 1 is never written and salt 20 (the DEFAULT) means no saltLength."""
    return a_algos.SignedDigestAlgorithm({
        "algorithm": "rsassa_pss",
        "parameters": {
            "hash_algorithm": {"algorithm": "sha256", "parameters": a_core.Null()},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": mgf_hash, "parameters": a_core.Null()}},
            "salt_length": salt,
        },
    })


def pss_param_mismatch(proper, signer_key, declared_salt):
    """`proper` (a PSS-signed certificate) with both signature AlgorithmIdentifiers
    (TBS and outer, which RFC 5280 §4.1.1.2 requires to be equal) changed to say
    salt `declared_salt`, and the changed TBS signed by hand with salt 32: a
    verifier that honours the parameters (as it must) finds a bad signature."""
    cert = a_x509.Certificate.load(der(proper))
    assert cert["signature_algorithm"].dump() == pss_alg(32).dump(), "asn1crypto encodes PSS parameters as cryptography does"
    tbs = cert["tbs_certificate"]
    tbs["signature"] = pss_alg(declared_salt)
    tbs_der = tbs.dump()
    before = a_x509.Certificate.load(der(proper))["tbs_certificate"]
    for field, _spec, *_ in a_x509.TbsCertificate._fields:
        if field != "signature":
            assert tbs[field].dump() == before[field].dump(), f"asn1crypto re-encoded {field}"
    sig = signer_key.sign(tbs_der, PSS_CERT, hashes.SHA256())
    out = a_x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": pss_alg(declared_salt), "signature_value": sig})
    return x509.load_der_x509_certificate(out.dump())


def ski(pub):
    return x509.SubjectKeyIdentifier.from_public_key(pub)


def aki(issuer_cert):
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
        issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    )


def ku(**flags):
    allf = dict(
        digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
    )
    allf.update(flags)
    return x509.KeyUsage(**allf)


def der(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def thumb(cert) -> str:
    return sha1_hex_upper(der(cert))


class Pki:
    def __init__(self):
        # (a) token signing
        self.ts_root_key = load_or_create_key("token_root", rsa_key(3072))
        self.ts_key = load_or_create_key("token_signing", rsa_key(2048))
        self.enc_key = load_or_create_key("token_encryption", rsa_key(2048))
        root_name = name((NameOID.COMMON_NAME, "NEB Token Signing Root TEST Env"), (NameOID.COUNTRY_NAME, "DK"))
        self.ts_root = issue(
            "token_root", root_name, root_name, self.ts_root_key.public_key(), self.ts_root_key, 1,
            utc(2021, 2, 24), utc(2046, 2, 24),
            [
                (x509.BasicConstraints(ca=True, path_length=0), True),
                (ku(key_cert_sign=True, crl_sign=True), True),
                (ski(self.ts_root_key.public_key()), False),
            ],
        )
        self.ts_cert = issue(
            "token_signing",
            name((NameOID.COMMON_NAME, "NEB Token Signing 1 TEST Env"), (NameOID.COUNTRY_NAME, "DK")),
            root_name, self.ts_key.public_key(), self.ts_root_key, 2,
            utc(2021, 2, 24), utc(2041, 2, 24),
            [
                (x509.BasicConstraints(ca=False, path_length=None), True),
                (ku(digital_signature=True), True),
                (ski(self.ts_key.public_key()), False),
                (aki(self.ts_root), False),
            ],
        )
        enc_name = name((NameOID.COMMON_NAME, "NEB client request encryption TEST Env"))
        self.enc_cert = issue(
            "token_encryption", enc_name, enc_name, self.enc_key.public_key(), self.enc_key, 0x4058_0000_0000_0001,
            utc(2022, 2, 9), utc(2112, 2, 10),
            [(ku(data_encipherment=True, key_encipherment=True), False), (ski(self.enc_key.public_key()), False)],
        )

        # (b) OCES3-like chain
        self.oces_root_key = load_or_create_key("oces_root", rsa_key(4096))
        self.oces_ca_key = load_or_create_key("oces_issuing_ca", rsa_key(3072))
        self.leaf_key = load_or_create_key("transact_leaf", rsa_key(2048))
        self.ocsp_key = load_or_create_key("ocsp_responder", ec_key(ec.SECP256R1()))
        oces_root_name = name(
            (NameOID.COMMON_NAME, "Sigaudit TEST OCES rod-CA"), (NameOID.ORGANIZATION_NAME, "Sigaudit TEST PKI"),
            (NameOID.COUNTRY_NAME, "DK"),
        )
        self.oces_root = issue(
            "oces_root", oces_root_name, oces_root_name, self.oces_root_key.public_key(), self.oces_root_key, 0x1001,
            utc(2020, 1, 1), utc(2045, 1, 1),
            [
                (x509.BasicConstraints(ca=True, path_length=None), True),
                (ku(key_cert_sign=True, crl_sign=True), True),
                (ski(self.oces_root_key.public_key()), False),
            ],
            pss=True,
        )
        oces_ca_name = name(
            (NameOID.COMMON_NAME, "Sigaudit TEST OCES udstedende-CA 1"), (NameOID.ORGANIZATION_NAME, "Sigaudit TEST PKI"),
            (NameOID.COUNTRY_NAME, "DK"),
        )
        self.oces_ca = issue(
            "oces_issuing_ca", oces_ca_name, oces_root_name, self.oces_ca_key.public_key(), self.oces_root_key, 0x1002,
            utc(2020, 6, 1), utc(2035, 6, 1), ca_exts(self.oces_ca_key, self.oces_root), pss=True,
        )
        self.leaf_subject = (
            f"CN=NEB Transact TEST, SERIALNUMBER=UI:DK-O:G:{LEAF_UUID}, O=SIGNATURGRUPPEN A/S, "
            f"organizationIdentifier=NTRDK-{ORG_CVR}, C=DK"
        )
        leaf_name = name(
            (NameOID.COMMON_NAME, "NEB Transact TEST"),
            (NameOID.SERIAL_NUMBER, f"UI:DK-O:G:{LEAF_UUID}"),
            (NameOID.ORGANIZATION_NAME, "SIGNATURGRUPPEN A/S"),
            (NameOID.ORGANIZATION_IDENTIFIER, f"NTRDK-{ORG_CVR}"),
            (NameOID.COUNTRY_NAME, "DK"),
        )

        def leaf_exts(extra=()):
            return [
                (ku(digital_signature=True, content_commitment=True), True),
                (ski(self.leaf_key.public_key()), False),
                (aki(self.oces_ca), False),
                (
                    x509.AuthorityInformationAccess([
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.OCSP,
                            x509.UniformResourceIdentifier("http://ocsp.oces-test.sigaudit.example/ocsp"),
                        ),
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.CA_ISSUERS,
                            x509.UniformResourceIdentifier("http://ca.oces-test.sigaudit.example/issuing-ca-1.cer"),
                        ),
                    ]),
                    False,
                ),
                *extra,
            ]

        def leaf(file, serial, not_before, not_after, extra=()):
            return issue(file, leaf_name, oces_ca_name, self.leaf_key.public_key(), self.oces_ca_key, serial,
                         not_before, not_after, leaf_exts(extra), pss=True)

        self.leaf = leaf("transact_leaf", 0x5A1E_0001, utc(2024, 6, 1), utc(2027, 6, 1))

        def responder(file, cn, issuer_cert, issuer_key, key, serial, eku=True, extra=(), usage=None):
            exts = [(usage or ku(digital_signature=True), True)]
            if eku:
                exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), False))
            exts += [(x509.OCSPNoCheck(), False), (ski(key.public_key()), False), (aki(issuer_cert), False), *extra]
            return issue(
                file, name((NameOID.COMMON_NAME, cn), (NameOID.ORGANIZATION_NAME, "Sigaudit TEST PKI"), (NameOID.COUNTRY_NAME, "DK")),
                issuer_cert.subject, key.public_key(), issuer_key, serial, *RESPONDER_VALIDITY, exts, pss=True,
            )

        self.ocsp_cert = responder("ocsp_responder", "Sigaudit TEST OCES udstedende-CA OCSP 1", self.oces_ca, self.oces_ca_key,
                                   self.ocsp_key, 0x0C5B_0001)

        # (d) for the chain/ and ocsp/ groups: a second issuing CA under the same
        # root, responders that may not answer for the leaf, and broken variants of
        # the leaf and the issuing CA (same keys and names as the good ones).
        self.oces_ca2_key = load_or_create_key("oces_issuing_ca2", rsa_key(3072))
        self.oces_ca2 = issue(
            "oces_issuing_ca2",
            name(
                (NameOID.COMMON_NAME, "Sigaudit TEST OCES udstedende-CA 2"), (NameOID.ORGANIZATION_NAME, "Sigaudit TEST PKI"),
                (NameOID.COUNTRY_NAME, "DK"),
            ),
            oces_root_name, self.oces_ca2_key.public_key(), self.oces_root_key, 0x1005,
            utc(2020, 6, 1), utc(2035, 6, 1), ca_exts(self.oces_ca2_key, self.oces_root), pss=True,
        )
        self.ocsp2_key = load_or_create_key("ocsp_responder_ca2", ec_key(ec.SECP256R1()))
        self.ocsp2_cert = responder("ocsp_responder_ca2", "Sigaudit TEST OCES udstedende-CA 2 OCSP 1", self.oces_ca2,
                                    self.oces_ca2_key, self.ocsp2_key, 0x0C5B_0002)
        self.ocsp_noeku_key = load_or_create_key("ocsp_responder_noeku", ec_key(ec.SECP256R1()))
        self.ocsp_noeku_cert = responder("ocsp_responder_noeku", "Sigaudit TEST OCES udstedende-CA OCSP uden EKU",
                                         self.oces_ca, self.oces_ca_key, self.ocsp_noeku_key, 0x0C5B_0003, eku=False)
        # A delegated responder of the issuing CA whose certificate carries the
        # unknown critical extension: RFC 5280 §4.2 forbids using it.
        self.ocsp_critical_key = load_or_create_key("ocsp_responder_critical_ext", ec_key(ec.SECP256R1()))
        self.ocsp_critical_cert = responder(
            "ocsp_responder_critical_ext", "Sigaudit TEST OCES udstedende-CA OCSP kritisk udvidelse", self.oces_ca, self.oces_ca_key,
            self.ocsp_critical_key, 0x0C5B_0004,
            extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier(TEST_CRITICAL_OID), TEST_CRITICAL_VALUE), True)],
        )

        # A delegated responder with id-kp-OCSPSigning whose keyUsage is present but
        # lacks digitalSignature (keyAgreement only): RFC 5280 §4.2.1.3 forbids it to
        # sign OCSP responses.
        self.ocsp_nodigsig_key = load_or_create_key("ocsp_responder_no_digital_signature", ec_key(ec.SECP256R1()))
        self.ocsp_nodigsig_cert = responder(
            "ocsp_responder_no_digital_signature", "Sigaudit TEST OCES udstedende-CA OCSP uden digitalSignature", self.oces_ca,
            self.oces_ca_key, self.ocsp_nodigsig_key, 0x0C5B_0005, usage=ku(key_agreement=True),
        )

        self.leaf_expired = leaf("transact_leaf_expired", 0x5A1E_0002, utc(2023, 3, 1), utc(2025, 3, 1))
        self.leaf_not_yet_valid = leaf("transact_leaf_not_yet_valid", 0x5A1E_0003, utc(2025, 4, 1), utc(2028, 4, 1))
        self.leaf_critical_ext = leaf(
            "transact_leaf_critical_ext", 0x5A1E_0004, utc(2024, 6, 1), utc(2027, 6, 1),
            extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier(TEST_CRITICAL_OID), TEST_CRITICAL_VALUE), True)],
        )
        not_ca = [(x509.BasicConstraints(ca=False, path_length=None), True)] + ca_exts(self.oces_ca_key, self.oces_root)[1:]
        self.oces_ca_not_ca = issue("oces_issuing_ca_not_ca", oces_ca_name, oces_root_name, self.oces_ca_key.public_key(),
                                    self.oces_root_key, 0x1003, utc(2020, 6, 1), utc(2035, 6, 1), not_ca, pss=True)
        # The issuing CA re-issued (serial 0x1004) with RSASSA-PSS parameters that
        # say salt 20 while the signature is made with salt 32: built by
        # cryptography, then its TBS changed and re-signed by hand (pss_param_mismatch).
        proper = build_cert(oces_ca_name, oces_root_name, self.oces_ca_key.public_key(), self.oces_root_key, 0x1004,
                            utc(2020, 6, 1), utc(2035, 6, 1), ca_exts(self.oces_ca_key, self.oces_root), pss=True)
        self.oces_ca_bad_pss = cached("oces_issuing_ca_bad_pss", pss_param_mismatch(proper, self.oces_root_key, declared_salt=20))

        # Name constraints (RFC 5280 §4.2.1.10): the issuing CA re-issued (same name
        # and key) with a critical nameConstraints, and leaf variants (same name and
        # key) with a subjectAltName. Every constraint keeps the CA's own OCSP
        # responder (C=DK, O=Sigaudit TEST PKI, no subjectAltName) inside, so
        # OpenSSL's responder check agrees; only the leaf is meant to break them.
        def ca_nc(file, serial, permitted=None, excluded=None):
            exts = ca_exts(self.oces_ca_key, self.oces_root) + [
                (x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=excluded), True)]
            return issue(file, oces_ca_name, oces_root_name, self.oces_ca_key.public_key(), self.oces_root_key, serial,
                         utc(2020, 6, 1), utc(2035, 6, 1), exts, pss=True)

        pki_dn = x509.DirectoryName(name((NameOID.ORGANIZATION_NAME, "Sigaudit TEST PKI"), (NameOID.COUNTRY_NAME, "DK")))
        # The leaf's organisation, written in lower case as a PrintableString where
        # the leaf has C=DK and a UTF8String organizationIdentifier: equal under
        # RFC 5280 §7.1 (case folding, string type), so the leaf is inside.
        org_dn = x509.DirectoryName(x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "dk", _type=x509.name._ASN1Type.PrintableString),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"ntrdk-{ORG_CVR}", _type=x509.name._ASN1Type.PrintableString),
        ]))
        self.oces_ca_nc_permitted = ca_nc("oces_issuing_ca_nc_permitted", 0x1006, permitted=[org_dn, pki_dn])
        self.oces_ca_nc_pki_only = ca_nc("oces_issuing_ca_nc_pki_only", 0x1007, permitted=[pki_dn])
        # The exception: permitting only the leaf's organisation puts the responder outside.
        self.oces_ca_nc_leaf_only = ca_nc("oces_issuing_ca_nc_leaf_only", 0x100A, permitted=[org_dn])
        self.oces_ca_nc_excluded_email = ca_nc("oces_issuing_ca_nc_excluded_email", 0x1008,
                                               excluded=[x509.RFC822Name("signaturgruppen.example")])
        self.oces_ca_nc_upn = ca_nc("oces_issuing_ca_nc_upn", 0x1009,
                                    permitted=[x509.OtherName(UPN_OID, a_core.UTF8String("@signaturgruppen.example").dump())])
        self.leaf_email = leaf("transact_leaf_email", 0x5A1E_0005, utc(2024, 6, 1), utc(2027, 6, 1),
                               extra=[(x509.SubjectAlternativeName([x509.RFC822Name(LEAF_EMAIL)]), False)])
        self.leaf_upn = leaf("transact_leaf_upn", 0x5A1E_0006, utc(2024, 6, 1), utc(2027, 6, 1),
                             extra=[(x509.SubjectAlternativeName([
                                 x509.OtherName(UPN_OID, a_core.UTF8String(LEAF_EMAIL).dump())]), False)])
        # An end-entity certificate with nameConstraints of its own, which RFC 5280
        # §4.2.1.10 allows only in CA certificates.
        self.leaf_own_nc = leaf("transact_leaf_own_nc", 0x5A1E_0007, utc(2024, 6, 1), utc(2027, 6, 1),
                                extra=[(x509.NameConstraints(permitted_subtrees=[x509.DNSName("signaturgruppen.example")],
                                                             excluded_subtrees=None), True)])

        # (c) algorithm matrix
        self.rsa2048 = load_or_create_key("alg_rsa2048", rsa_key(2048))
        self.p256 = load_or_create_key("alg_p256", ec_key(ec.SECP256R1()))
        self.p384 = load_or_create_key("alg_p384", ec_key(ec.SECP384R1()))
        self.p521 = load_or_create_key("alg_p521", ec_key(ec.SECP521R1()))
        self.ed25519 = load_or_create_key("alg_ed25519", ed25519.Ed25519PrivateKey.generate)
        self.rsa1024 = load_or_create_key("alg_rsa1024", rsa_key(1024))

    @property
    def ts_kid(self):
        return thumb(self.ts_cert)

    @property
    def enc_kid(self):
        return thumb(self.enc_cert)

    @property
    def leaf_kid(self):
        return thumb(self.leaf)


# ---------------------------------------------------------------------------
# OCSP responses (RFC 6960 §4.2), built with asn1crypto
# ---------------------------------------------------------------------------
#
# cryptography's OCSPResponseBuilder stamps producedAt with the current time, so
# the BasicOCSPResponse is assembled here field by field (asn1crypto) and its
# tbsResponseData signed with cryptography. The defaults copy the real OCES3 test
# responses (broker.md §3 rule 5): a delegated responder (ECDSA P-256, SHA-256,
# EKU OCSPSigning + id-pkix-ocsp-nocheck) named byName, a SHA-1 CertID, producedAt
# a few seconds before the token's iat, thisUpdate = producedAt, nextUpdate three
# days later, an Archive Cutoff single extension, the nonce extension (RFC 8954)
# and the responder certificate in certs.

OCSP_LEAD = 3  # seconds between producedAt and the token's iat
OCSP_VALIDITY = 3 * 86400
ARCHIVE_CUTOFF = utc(2020, 6, 1)  # the issuing CA's notBefore: status kept since the CA began


def at(t: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc)


def a_cert(cert) -> a_x509.Certificate:
    return a_x509.Certificate.load(der(cert))


def key_bits(cert) -> bytes:
    """The subjectPublicKey BIT STRING's value (what issuerKeyHash and byKey hash)."""
    bits = a_cert(cert)["tbs_certificate"]["subject_public_key_info"]["public_key"].contents
    assert bits[0] == 0, "no unused bits"
    return bits[1:]


def subject_der(cert) -> bytes:
    return a_cert(cert)["tbs_certificate"]["subject"].dump()


def cert_id(cert, issuer, serial=None) -> dict:
    """CertID hashed with SHA-1 (RFC 6960 §4.1.1): issuerNameHash over the DER of
    the issuer's subject (= the certificate's issuer field), issuerKeyHash over
    the issuer's key bits."""
    return {
        "hash_algorithm": {"algorithm": "sha1", "parameters": a_core.Null()},
        "issuer_name_hash": hashlib.sha1(subject_der(issuer)).digest(),
        "issuer_key_hash": hashlib.sha1(key_bits(issuer)).digest(),
        "serial_number": cert.serial_number if serial is None else serial,
    }


def token_claims(token: str) -> dict:
    return json.loads(b64u_dec(token.split(".")[1]))


def token_nonce(token: str) -> bytes | None:
    """The OCSP nonce the broker used: base64-decoding signing_cert_ocsp_nonce."""
    n = token_claims(token).get("signing_cert_ocsp_nonce")
    return None if n is None else base64.b64decode(n, validate=True)


def make_ocsp(pki, *, cert, issuer, iat, nonce, responder=None, responder_key=None, extra_certs=(),
              status="good", revoked_at=None, reason=None, produced_at=None, this_update=None, next_update=None,
              id_serial=None, id_issuer=None, by_key=False, sign="ecdsa", flip_signature=False,
              response_status="successful", critical_extension=False, invalidity_date=None,
              critical_single_extension=False) -> bytes:
    """DER of one OCSPResponse about `cert` (issued by `issuer`), for a token issued
    at `iat`. Every deviation from a good, fresh, correctly signed response is a
    keyword: the scenarios use exactly one each."""
    if response_status != "successful":
        return a_ocsp.OCSPResponse({"response_status": response_status}).dump()
    responder = responder or pki.ocsp_cert
    responder_key = responder_key or pki.ocsp_key
    produced_at = iat - OCSP_LEAD if produced_at is None else produced_at
    this_update = produced_at if this_update is None else this_update
    next_update = this_update + OCSP_VALIDITY if next_update is None else next_update
    r_from, r_to = responder.not_valid_before_utc, responder.not_valid_after_utc
    assert r_from <= at(produced_at) <= r_to, f"the responder certificate does not cover producedAt {rfc3339(produced_at)}"

    if status == "good":
        cert_status = a_ocsp.CertStatus(name="good", value=a_ocsp.StatusGood())
    elif status == "unknown":
        cert_status = a_ocsp.CertStatus(name="unknown", value=a_ocsp.StatusUnknown())
    elif status == "revoked":
        info = {"revocation_time": at(revoked_at)}
        if reason:
            info["revocation_reason"] = reason
        cert_status = a_ocsp.CertStatus(name="revoked", value=info)
    else:
        raise ValueError(status)
    single = {
        "cert_id": cert_id(cert, id_issuer or issuer, id_serial),
        "cert_status": cert_status,
        "this_update": at(this_update),
        "next_update": at(next_update),
        "single_extensions": [{"extn_id": "archive_cutoff", "critical": False, "extn_value": ARCHIVE_CUTOFF}],
    }
    if invalidity_date is not None:
        # RFC 6960 §4.4.5 allows CRL entry extensions here; invalidityDate is RFC 5280 §5.3.2.
        single["single_extensions"].append({"extn_id": "invalidity_date", "critical": False, "extn_value": at(invalidity_date)})
    if critical_single_extension:
        single["single_extensions"].append({"extn_id": "1.3.6.1.4.1.99999.2", "critical": True, "extn_value": b"\x05\x00"})
    if by_key:
        rid = a_ocsp.ResponderId(name="by_key", value=hashlib.sha1(key_bits(responder)).digest())
    else:
        rid = a_ocsp.ResponderId(name="by_name", value=a_cert(responder)["tbs_certificate"]["subject"])
    data = {"responder_id": rid, "produced_at": at(produced_at), "responses": [single]}
    if nonce is not None:
        data["response_extensions"] = [{"extn_id": "nonce", "critical": False, "extn_value": nonce}]
    if critical_extension:
        # A private OID no client knows, marked critical (RFC 6960 §4.4: must not be ignored).
        data.setdefault("response_extensions", []).append({"extn_id": "1.3.6.1.4.1.99999.1", "critical": True, "extn_value": b"\x05\x00"})
    tbs = a_ocsp.ResponseData(data)
    tbs_der = tbs.dump()
    if sign == "ecdsa":
        sig = responder_key.sign(tbs_der, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        alg = a_algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"})
    elif sign == "pss":
        sig = pss_sign_deterministic(responder_key, tbs_der)
        alg = pss_alg(32)
    elif sign == "pkcs1":
        sig = responder_key.sign(tbs_der, padding.PKCS1v15(), hashes.SHA256())
        alg = a_algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa", "parameters": a_core.Null()})
    else:
        raise ValueError(sign)
    if flip_signature:
        # The last byte lies inside s (ECDSA) or the RSA value: the DER stays well-formed.
        sig = sig[:-1] + bytes([sig[-1] ^ 0x01])
    basic = a_ocsp.BasicOCSPResponse({
        "tbs_response_data": tbs,
        "signature_algorithm": alg,
        "signature": sig,
        "certs": [a_cert(c) for c in [responder, *extra_certs]],
    })
    resp = a_ocsp.OCSPResponse({
        "response_status": "successful",
        "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
    })
    out = resp.dump()
    check_ocsp_self(out, tbs_der, responder, by_key, sign, flip_signature)
    return out


def pss_sign_deterministic(key, data: bytes) -> bytes:
    """RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32; RFC 8017 §8.1.1, §9.1.1) with
    the salt derived from the data, so the vectors do not change from run to run
    (cryptography always draws a random salt). Checked with cryptography's verifier."""
    h = hashlib.sha256
    n = key.private_numbers().public_numbers.n
    d = key.private_numbers().d
    em_bits = n.bit_length() - 1
    em_len = (em_bits + 7) // 8
    salt = h(b"sigaudit deterministic PSS salt" + data).digest()
    m_hash = h(data).digest()
    hh = h(b"\x00" * 8 + m_hash + salt).digest()
    db = b"\x00" * (em_len - len(salt) - 32 - 2) + b"\x01" + salt
    mask = b"".join(h(hh + i.to_bytes(4, "big")).digest() for i in range((len(db) + 31) // 32))[: len(db)]
    masked = bytearray(x ^ y for x, y in zip(db, mask))
    masked[0] &= 0xFF >> (8 * em_len - em_bits)
    em = bytes(masked) + hh + b"\xbc"
    sig = pow(int.from_bytes(em, "big"), d, n).to_bytes((n.bit_length() + 7) // 8, "big")
    key.public_key().verify(sig, data, PSS_CERT, hashes.SHA256())
    return sig


def check_ocsp_self(out: bytes, tbs_der: bytes, responder, by_key: bool, sign: str, flipped: bool):
    """Reads the response back with cryptography's own OCSP parser (a second,
    independent implementation), checks what asn1crypto wrote and verifies the
    signature with the responder certificate's key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.x509 import ocsp as c_ocsp
    r = c_ocsp.load_der_ocsp_response(out)
    assert r.response_status == c_ocsp.OCSPResponseStatus.SUCCESSFUL
    assert r.tbs_response_bytes == tbs_der
    pub = responder.public_key()
    try:
        if sign == "ecdsa":
            pub.verify(r.signature, tbs_der, ec.ECDSA(hashes.SHA256()))
        elif sign == "pss":
            pub.verify(r.signature, tbs_der, PSS_CERT, hashes.SHA256())
        else:
            pub.verify(r.signature, tbs_der, padding.PKCS1v15(), hashes.SHA256())
        valid = True
    except InvalidSignature:
        valid = False
    assert valid != flipped, "the response signature is meant to be " + ("broken" if flipped else "valid")
    if by_key:
        assert r.responder_key_hash == hashlib.sha1(key_bits(responder)).digest()
    else:
        assert r.responder_name == responder.subject
        # The byName Name is the responder's subject, byte for byte.
        assert subject_der(responder) in tbs_der
    assert len(r.certificates) >= 1 and r.certificates[0] == responder


# ---------------------------------------------------------------------------
# OpenSSL cross-checks (a third implementation judges what we built)
# ---------------------------------------------------------------------------

OPENSSL = shutil.which("openssl")


def run_openssl(args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([OPENSSL, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def openssl_ocsp(resp_der: bytes, leaf, issuer, root, attime: int) -> dict:
    """What OpenSSL makes of a response: whether it parses, its responseStatus,
    the -resp_text dump, the per-certificate status line and whether the
    response verifies (`-attime` applies to the responder chain; OpenSSL 3.0
    judges thisUpdate/nextUpdate against the clock, never against -attime)."""
    with tempfile.TemporaryDirectory() as d:
        Path(d, "r.der").write_bytes(resp_der)
        Path(d, "leaf.pem").write_text(pem(leaf))
        Path(d, "issuer.pem").write_text(pem(issuer))
        ca = ["-no-CAfile"]
        if root is not None:
            Path(d, "root.pem").write_text(pem(root))
            ca = ["-CAfile", "root.pem"]
        text = run_openssl(["ocsp", "-respin", "r.der", "-resp_text", "-noverify"], d)
        out = {"parsed": "Error reading OCSP response" not in text.stderr, "text": text.stdout}
        m = re.search(r"OCSP Response Status: (\w+) \(0x[0-9a-f]+\)|^Responder Error: (\w+) \(\d+\)", text.stdout, re.M)
        out["response_status"] = (m.group(1) or m.group(2)) if m else None
        if not out["parsed"] or out["response_status"] != "successful":
            return out
        v = run_openssl(["ocsp", "-respin", "r.der", "-issuer", "issuer.pem", "-cert", "leaf.pem", *ca, "-no-CApath",
                         "-no-CAstore", "-no_nonce", "-attime", str(attime)], d)
        out["verify_ok"] = "Response verify OK" in v.stderr
        assert out["verify_ok"] or "Response Verify Failure" in v.stderr, v.stderr
        m = re.search(r"^leaf\.pem: (?:WARNING: Status times invalid\.\n(?:.*\n)*?)?(good|revoked|unknown|ERROR: No Status found\.)$",
                      v.stdout, re.M)
        assert m, v.stdout
        out["cert_status"] = None if m.group(1).startswith("ERROR") else m.group(1)
        out["verify_stderr"] = v.stderr
        return out


def cross_check_ocsp(label: str, resp_der: bytes, intent: dict, leaf, issuer, root, attime: int):
    """Fails the generator when OpenSSL disagrees with what a response is meant to be."""
    got = openssl_ocsp(resp_der, leaf, issuer, root, attime)
    problems = []
    if got["parsed"] != intent.get("parsed", True):
        problems.append(f"parsed {got['parsed']}")
    if not got["parsed"]:
        pass
    elif got["response_status"] != intent.get("response_status", "successful"):
        problems.append(f"responseStatus {got['response_status']}")
    elif got["response_status"] == "successful":
        text = got["text"]
        if got["verify_ok"] != intent["verify"]:
            problems.append(f"verify {got['verify_ok']}: {got['verify_stderr'].strip()}")
        if got["cert_status"] != intent["status"]:
            problems.append(f"certificate status {got['cert_status']}")
        for pattern in intent.get("text", []):
            if not re.search(pattern, text):
                problems.append(f"-resp_text does not match {pattern!r}")
        for pattern in intent.get("not_text", []):
            if re.search(pattern, text):
                problems.append(f"-resp_text matches {pattern!r}")
    if problems:
        dump = got.get("text", "").split("\nCertificate:\n")[0]
        raise SystemExit(f"OpenSSL disagrees with the intended OCSP response {label}: {'; '.join(problems)}\n{dump}")


def openssl_verify(leaf, issuer, root, attime: int) -> str | None:
    """`openssl verify -attime T -CAfile root -untrusted issuer leaf`: None when
    the chain verifies, else OpenSSL's first error ('certificate has expired')."""
    with tempfile.TemporaryDirectory() as d:
        Path(d, "leaf.pem").write_text(pem(leaf))
        Path(d, "issuer.pem").write_text(pem(issuer))
        ca = ["-no-CAfile"]
        if root is not None:
            Path(d, "root.pem").write_text(pem(root))
            ca = ["-CAfile", "root.pem"]
        v = run_openssl(["verify", "-attime", str(attime), *ca, "-no-CApath", "-no-CAstore", "-untrusted", "issuer.pem", "leaf.pem"], d)
        if v.returncode == 0 and "leaf.pem: OK" in v.stdout:
            return None
        m = re.search(r"^error \d+ at \d+ depth lookup: (.+)$", v.stdout + v.stderr, re.M)
        assert m, v.stdout + v.stderr
        return m.group(1)


def openssl_time(t: int) -> str:
    """A time as OpenSSL prints it: 'Mar 10 08:59:57 2025 GMT'."""
    d = at(t)
    return f"{d.strftime('%b')} {d.day:2d} {d.strftime('%H:%M:%S %Y')} GMT"


def ocsp_intent(status="good", verify=True, produced_at=None, nonce=None, reason_text=None, serial=None, responder=None):
    """What OpenSSL must report: the certificate status, whether the response
    verifies, and patterns the -resp_text dump must (or must not) contain."""
    text = ["Hash Algorithm: sha1", r"OCSP Archive Cutoff:\s*" + re.escape(openssl_time(epoch(ARCHIVE_CUTOFF)))]
    if produced_at is not None:
        text.append(re.escape(f"Produced At: {openssl_time(produced_at)}"))
    if nonce is not None:
        text.append(r"OCSP Nonce:\s*04%02X%s\n" % (len(nonce), nonce.hex().upper()))
    if serial is not None:
        text.append(f"Serial Number: {serial:X}\n")
    if reason_text:
        text.append(f"Revocation Reason: {reason_text}")
    if responder is not None:
        text.append(responder)
    return {"status": status, "verify": verify, "text": text, "not_text": [] if nonce is not None else ["OCSP Nonce"]}


def ocsp_for_token(pki, token: str, label: str, *, cert=None, issuer=None, expect_status="good", expect_verify=True,
                   expect_reason=None, expect_response_status="successful", truncate=None, verify_issuer=None, **kw) -> bytes:
    """A response for the certificate that signed `token` (default: the
    transaction leaf), for the token's iat, with the token's nonce unless `nonce`
    is given; cross-checked with OpenSSL (issuer: the genuine issuing CA, anchor:
    the OCES root, -attime: iat; verify_issuer: another certificate of the issuing
    CA to give OpenSSL) against what it is meant to be."""
    cert = cert or pki.leaf
    issuer = issuer or pki.oces_ca
    iat = int(token_claims(token)["iat"])
    kw.setdefault("nonce", token_nonce(token))
    out = make_ocsp(pki, cert=cert, issuer=issuer, iat=iat, **kw)
    if truncate:
        out = out[:-truncate]
        intent = {"parsed": False}
    elif expect_response_status != "successful":
        intent = {"response_status": expect_response_status}
    else:
        by_key = kw.get("by_key", False)
        responder = kw.get("responder") or pki.ocsp_cert
        intent = ocsp_intent(
            status=expect_status, verify=expect_verify, produced_at=kw.get("produced_at", iat - OCSP_LEAD), nonce=kw["nonce"],
            reason_text=expect_reason, serial=kw.get("id_serial", cert.serial_number),
            responder=(r"Responder Id: [0-9A-F]{40}\n" if by_key else "Responder Id: " + re.escape(
                ", ".join(f"{a.rfc4514_attribute_name} = {a.value}" for a in responder.subject))),
        )
        if kw.get("invalidity_date") is not None:
            intent["text"].append(r"Invalidity Date:\s*" + re.escape(openssl_time(kw["invalidity_date"])))
    cross_check_ocsp(label, out, intent, cert, verify_issuer or pki.oces_ca, pki.oces_root, iat)
    return out


# ---------------------------------------------------------------------------
# JWK / JWKS
# ---------------------------------------------------------------------------

def int_b64u(n: int) -> str:
    return b64u(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def jwk_of(key, kid=None, use="sig", alg=None, cert=None, chain=()):
    """A public JWK, members in the order of the broker's published JWKS."""
    pub = key.public_key() if hasattr(key, "public_key") else key
    j = {}
    if isinstance(pub, rsa.RSAPublicKey):
        nums = pub.public_numbers()
        j["kty"] = "RSA"
        j["use"] = use
        if kid:
            j["kid"] = kid
        if cert is not None:
            j["x5t"] = thumb(cert)
        j["e"] = int_b64u(nums.e)
        j["n"] = int_b64u(nums.n)
    elif isinstance(pub, ec.EllipticCurvePublicKey):
        nums = pub.public_numbers()
        size = (pub.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[pub.curve.name]
        j.update({"kty": "EC", "use": use})
        if kid:
            j["kid"] = kid
        j.update({"crv": crv, "x": b64u(nums.x.to_bytes(size, "big")), "y": b64u(nums.y.to_bytes(size, "big"))})
    elif isinstance(pub, ed25519.Ed25519PublicKey):
        j.update({"kty": "OKP", "use": use})
        if kid:
            j["kid"] = kid
        j.update({"crv": "Ed25519", "x": b64u(pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))})
    else:
        raise TypeError(pub)
    if cert is not None:
        j["x5c"] = [b64(der(cert))] + [b64(der(c)) for c in chain]
    if alg:
        j["alg"] = alg
    return j


def jwks_bytes(keys) -> bytes:
    return pretty_json({"keys": keys})


# ---------------------------------------------------------------------------
# JWS by hand (RFC 7515 §5.1, compact serialisation)
# ---------------------------------------------------------------------------

HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def sign_raw(alg: str, key, data: bytes) -> bytes:
    if alg.startswith("RS"):
        return key.sign(data, padding.PKCS1v15(), HASHES[alg[2:]]())
    if alg.startswith("PS"):
        h = HASHES[alg[2:]]()
        return key.sign(data, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
    if alg.startswith("ES"):
        h = HASHES[alg[2:]]()
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(h, deterministic_signing=True)))
        size = (key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if alg == "EdDSA":
        return key.sign(data)
    if alg.startswith("HS"):
        m = hmac.HMAC(key, HASHES[alg[2:]]())
        m.update(data)
        return m.finalize()
    raise ValueError(alg)


def jws(header, payload, key=None, alg=None) -> str:
    """Compact JWS. header/payload are dicts (serialised compactly) or raw bytes
    (used as they are). alg defaults to header["alg"]; key None = empty signature."""
    h = header if isinstance(header, bytes) else compact_json(header)
    p = payload if isinstance(payload, bytes) else compact_json(payload)
    signing_input = f"{b64u(h)}.{b64u(p)}"
    if key is None:
        return signing_input + "."
    if alg is None:
        alg = header["alg"]
    return signing_input + "." + b64u(sign_raw(alg, key, signing_input.encode("ascii")))


def half_hash(alg: str, token: str) -> str:
    """at_hash: left half of the hash of the ASCII token (OIDC Core §3.1.3.6);
    SHA-512 for EdDSA (Ed25519), as the OpenID Foundation registry says."""
    h = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}[alg[-3:]] if alg != "EdDSA" else hashlib.sha512
    d = h(token.encode("ascii")).digest()
    return b64u(d[: len(d) // 2])


# In a patch, None removes a member; JSON_NULL writes it as JSON null.
JSON_NULL = object()


def patch(base: dict, over: dict | None) -> dict:
    out = dict(base)
    for k, v in (over or {}).items():
        if v is None:
            out.pop(k, None)
        elif v is JSON_NULL:
            out[k] = None
        else:
            out[k] = v
    return out


def access_claims(over=None):
    return patch(
        {
            "iss": ISS, "nbf": T, "iat": T, "exp": T + 3600, "scope": ["openid", "mitid"], "client_id": CLIENT_ID,
            "sub": SUB, "auth_time": T - 20, "idp": "mitid",
            "idp_transaction_id": "c1d2e3f4-0a1b-4c2d-8e3f-5a6b7c8d9e0f", "jti": "7F3A2B1C0D9E8F7A6B5C4D3E2F1A0B9C",
        },
        over,
    )


def id_claims(over=None):
    return patch(
        {
            "iss": ISS, "nbf": T, "iat": T, "exp": T + 300, "aud": CLIENT_ID, "nonce": NONCE, "sub": SUB,
            "auth_time": T - 20, "idp": "mitid", "identity_type": "private", "loa": LOA_SUBSTANTIAL,
            "neb_sid": "5d7f1e2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a",
            "transaction_id": "a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d",
            "mitid.uuid": "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b", "mitid.age": "47",
            "mitid.date_of_birth": "1977-08-15", "mitid.has_cpr": "true", "mitid.identity_name": "Test Testesen",
            "mitid.transaction_id": "c1d2e3f4-0a1b-4c2d-8e3f-5a6b7c8d9e0f",
            "idp_transaction_id": "c1d2e3f4-0a1b-4c2d-8e3f-5a6b7c8d9e0f",
        },
        over,
    )


# ---------------------------------------------------------------------------
# Minimal PDFs, written by hand
# ---------------------------------------------------------------------------

def make_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid PDF 1.4: catalog, pages, one page with text, a font, an
    info dictionary; a classic xref table with exact offsets."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 14 Tf 72 760 Td 18 TL\n" + "".join(f"({esc(l)}) '\n" for l in lines) + "ET\n"
    content_b = content.encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content_b)).encode() + b" >>\nstream\n" + content_b + b"\nendstream",
        ("<< /Title (" + esc(title) + ") /Producer (sigaudit test-vector generator) /CreationDate (D:20250301120000Z) >>").encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n".encode() + b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info {len(objs)} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    for i, off in enumerate(offsets, start=1):
        assert out[off:].startswith(f"{i} 0 obj".encode()), "xref offset"
    assert out[xref:].startswith(b"xref")
    return bytes(out)


# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

class Scenario:
    def __init__(self, group, name, about, verdict, options, inputs, files=None, fail=(), indeterminate=(), warn=(), passes=()):
        assert verdict in ("pass", "warn", "fail", "indeterminate")
        assert "at" in options, f"{group}/{name}: every scenario gives an explicit validation time"
        self.rel = f"{group}/{name}"
        self.about = about
        self.verdict = verdict
        self.options = options
        self.inputs = inputs  # {file name: bytes}
        self.files = files or {}  # {relative path: bytes}, e.g. keys/jwks.json
        self.fail, self.indeterminate, self.warn, self.passes = fail, indeterminate, warn, passes
        for p in list(options.get("jwks", [])) + list(options.get("trust", [])):
            assert p in self.files, f"{self.rel}: options refer to {p}, which is not written"

    def write(self):
        d = SCENARIOS / self.rel
        (d / "input").mkdir(parents=True)
        for n, data in self.inputs.items():
            (d / "input" / n).write_bytes(data)
        for rel, data in self.files.items():
            p = d / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        (d / "options.json").write_bytes(pretty_json(self.options))
        expected = {
            "about": self.about,
            "verdict": self.verdict,
            "fail": sorted(set(self.fail)),
            "indeterminate": sorted(set(self.indeterminate)),
            "warn": sorted(set(self.warn)),
            "pass": sorted(set(self.passes)),
        }
        (d / "expected.json").write_bytes(pretty_json(expected))


SCEN: list[Scenario] = []


def add(*args, **kwargs):
    SCEN.append(Scenario(*args, **kwargs))


TOKEN_PASS = ["jws.signature", "jws.key_trusted", "jws.alg", "jws.key_type", "jws.key_use"]


# ---------------------------------------------------------------------------
# real/
# ---------------------------------------------------------------------------

PP_CLIENT = "62b8cc03-aa73-4d6a-922c-7c8fb0a4a1d9"
PP_REF = "ostemawd :=)"
PP_AT = "2024-05-07T13:10:55Z"


def gen_real():
    resp_bytes = (REAL / "ciba_token_response.json").read_bytes()
    jwks = (REAL / "pp_jwks_2024.json").read_bytes()
    resp_text = resp_bytes.decode("utf-8")
    id_token = json.loads(resp_text)["id_token"]
    both = {"ciba_token_response.json": resp_bytes, "pp_jwks_2024.json": jwks}

    def with_id_token(new_token):
        assert resp_text.count(id_token) == 1
        return {"ciba_token_response.json": resp_text.replace(id_token, new_token).encode("utf-8"), "pp_jwks_2024.json": jwks}

    full = {"at": PP_AT, "env": "pp", "audience": PP_CLIENT, "referenceText": PP_REF}
    add("real", "ciba-pp-as-of-issuance",
        "The real PP CIBA token response verified as of two seconds after issuance, with the PP profile, the expected client id and reference text: both RS256 signatures, the pin and at_hash pass.",
        "pass", full, both,
        passes=["jws.signature", "jws.key_trusted", "env.token_key_pin", "jwt.at_hash", "jwt.iss", "jwt.aud", "jwt.exp",
                "jwt.ciba", "jwt.reference_text", "jws.kid_thumbprint", "binding.token_response_session"])
    add("real", "ciba-pp-years-later",
        "The same tokens judged in 2026: signatures and pins still hold, but both tokens expired in 2024, so the result is indeterminate (expired is not forged).",
        "indeterminate", {"at": "2026-11-21T12:00:00Z", "env": "pp"}, both,
        indeterminate=["jwt.exp"], passes=["jws.signature", "jws.key_trusted", "jwt.at_hash"])

    h, p, s = id_token.split(".")
    mid = len(s) // 2
    flipped = s[:mid] + ("A" if s[mid] != "A" else "B") + s[mid + 1:]
    add("real", "ciba-pp-flipped-signature",
        "One base64url character in the middle of the id_token's signature changed: the signature no longer verifies.",
        "fail", {"at": PP_AT, "env": "pp"}, with_id_token(f"{h}.{p}.{flipped}"),
        fail=["jws.signature"], passes=["jwt.at_hash"])

    add("real", "ciba-pp-at-signing",
        "The real PP CIBA tokens verified as of their own iat (--at signing) with the PP profile, client id and reference text: everything passes.",
        "pass", dict(full, at="signing"), both,
        passes=["jws.signature", "jws.key_trusted", "env.token_key_pin", "jwt.exp", "jwt.iat", "jwt.at_hash", "jwt.reference_text"])
    add("real", "ciba-pp-wrong-reference-text",
        "The real PP CIBA token checked against a reference text other than the one the user saw: jwt.reference_text fails.",
        "fail", dict(full, referenceText="ostemad :-)"), both,
        fail=["jwt.reference_text"], passes=["jwt.ciba", "jws.signature", "env.token_key_pin"])
    add("real", "ciba-pp-wrong-audience",
        "The real PP CIBA tokens checked against another client id: aud of the id_token and client_id of the access token fail jwt.aud.",
        "fail", dict(full, audience="11111111-2222-3333-4444-555555555555"), both,
        fail=["jwt.aud"], passes=["jws.signature", "jwt.reference_text"])
    add("real", "ciba-pp-with-other-trust",
        "The real PP CIBA tokens with the PP profile and an unrelated --trust anchor (as when a transaction token's OCES root is given too): the exactly pinned key needs no anchor, so the verdict stays pass.",
        "pass", dict(full, at="signing", trust=["trust/other_root.pem"]), both, files={"trust/other_root.pem": (PKI / "oces_root.cert.pem").read_bytes()},
        passes=["jws.signature", "jws.key_trusted", "env.token_key_pin"])
    add("real", "ciba-no-env-untrusted",
        "The real PP tokens with the PP JWKS supplied only as evidence (no --env, --jwks or --trust): the signatures verify but nothing makes the key trusted, and its certificate chains to no anchor.",
        "indeterminate", {"at": PP_AT}, both,
        indeterminate=["jws.key_trusted", "chain.anchor"], passes=["jws.signature", "jwt.at_hash", "jws.kid_thumbprint"])
    add("real", "ciba-jwks-trusted",
        "The real PP tokens without --env, the PP JWKS given as the trusted key set (--jwks): signatures, trust and at_hash pass.",
        "pass", {"at": PP_AT, "jwks": ["keys/pp_jwks_2024.json"]}, {"ciba_token_response.json": resp_bytes},
        files={"keys/pp_jwks_2024.json": jwks},
        passes=["jws.signature", "jws.key_trusted", "jwt.at_hash", "jws.kid_thumbprint", "jwk.x5c_key_match", "jwk.x5t"])

    payload = b64u_dec(p)
    assert payload.count(b'"Ileya Jensen"') == 1
    tampered = b64u(payload.replace(b'"Ileya Jensen"', b'"Ileya Hansen"'))
    add("real", "ciba-pp-payload-tampered",
        "The id_token's mitid.identity_name changed and the payload re-encoded, the original signature kept: the signature fails, at_hash (unchanged) still binds the access token.",
        "fail", full, with_id_token(f"{h}.{tampered}.{s}"),
        fail=["jws.signature"], passes=["jwt.at_hash", "jwt.reference_text"])


# ---------------------------------------------------------------------------
# jws/
# ---------------------------------------------------------------------------

def gen_jws(pki: Pki, jwks_files):
    opts = {"at": AT, "jwks": ["keys/jwks.json"]}
    hdr = {"alg": "RS256", "kid": pki.ts_kid, "typ": "JWT"}
    claims = id_claims()

    def one(name, about, token, verdict="fail", fail=(), indeterminate=(), warn=(), passes=(), options=None, files=None):
        data = token if isinstance(token, bytes) else token.encode("ascii")
        add("jws", name, about, verdict, options or opts, {"id_token.jwt": data}, files=files or jwks_files,
            fail=fail, indeterminate=indeterminate, warn=warn, passes=passes)

    one("alg-none", "An unsecured JWS (alg none, empty signature) is rejected by jws.alg.",
        jws({"alg": "none", "typ": "JWT"}, claims), fail=["jws.alg"], passes=["jws.segments", "jws.base64"])
    ts_pub_pem = pki.ts_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    one("alg-hs256", "HS256 with the token-signing public key (PEM) as the HMAC secret, the classic algorithm confusion: rejected by jws.alg.",
        jws(dict(hdr, alg="HS256"), claims, ts_pub_pem), fail=["jws.alg"])
    one("alg-unknown", "ES512 (a valid P-521 signature) is not an algorithm sigaudit accepts: jws.alg fails.",
        jws({"alg": "ES512", "kid": "test-ec-p521", "typ": "JWT"}, claims, pki.p521), fail=["jws.alg"])
    one("crit-unknown", "A correctly signed token whose crit lists an extension the verifier does not understand is rejected (RFC 7515 §4.1.11).",
        jws(dict(hdr, crit=["https://sigaudit.example/policy"], **{"https://sigaudit.example/policy": "strict"}), claims, pki.ts_key),
        fail=["jws.crit"], passes=["jws.alg"])
    one("crit-registered", "crit lists the registered parameter alg, which RFC 7515 §4.1.11 forbids: jws.crit fails.",
        jws(dict(hdr, crit=["alg"]), claims, pki.ts_key), fail=["jws.crit"])
    # RFC 7797: with b64 false the payload segment is used as is. Here the unencoded
    # payload is ASCII text that happens to be base64url (the encoded claims), so the
    # compact form parses and only the b64 rule can reject it.
    payload_text = b64u(compact_json(claims))
    h_b64 = {"alg": "RS256", "kid": pki.ts_kid, "typ": "JWT", "b64": False, "crit": ["b64"]}
    si = f"{b64u(compact_json(h_b64))}.{payload_text}"
    one("b64-false", "An RFC 7797 unencoded-payload JWS (b64 false, listed in crit) is rejected by jws.b64 although its signature is valid.",
        si + "." + b64u(sign_raw("RS256", pki.ts_key, si.encode("ascii"))), fail=["jws.b64"], passes=["jws.crit"])
    one("alg-key-mismatch", "An ES256 header naming an RSA key (kid test-rsa-2048, a JWK without alg): the algorithm does not fit the key type.",
        jws({"alg": "ES256", "kid": "test-rsa-2048", "typ": "JWT"}, claims, pki.p256), fail=["jws.key_type"], passes=["jws.key"])
    one("jwk-alg-mismatch", "A PS256 token signed by the token-signing key, whose JWK says alg RS256: jws.key_type fails on the JWK's alg.",
        jws(dict(hdr, alg="PS256"), claims, pki.ts_key), fail=["jws.key_type"], passes=["jws.key", "jws.key_use"])
    hdr_dup = ('{"alg":"RS256","kid":"%s","typ":"JWT","alg":"none"}' % pki.ts_kid).encode()
    one("duplicate-header-member", "The header names alg twice (RS256, then none), validly signed: rejected by jws.duplicate_member.",
        jws(hdr_dup, claims, pki.ts_key, alg="RS256"), fail=["jws.duplicate_member"])
    body = compact_json(claims)
    body_dup = body[:-1] + b',"sub":"ffffffff-0000-4000-8000-000000000000"}'
    one("duplicate-claim", "The payload carries sub twice, validly signed: the signature verifies but the claims are rejected by jws.duplicate_member.",
        jws(hdr, body_dup, pki.ts_key), fail=["jws.duplicate_member"], passes=["jws.signature"])
    hdr_bad = compact_json(hdr)[:-1] + b',"x-note":"\xff"}'
    one("non-utf8-header", "The header contains a byte that is not UTF-8 (0xFF): rejected by jws.utf8.",
        jws(hdr_bad, claims, pki.ts_key, alg="RS256"), fail=["jws.utf8"])
    body_latin1 = body.replace("Test Testesen".encode(), "Jørgen Testesen".encode("latin-1"))
    assert body_latin1 != body
    one("non-utf8-payload", "The payload writes ø in Latin-1 (0xF8), not UTF-8: rejected by jws.utf8.",
        jws(hdr, body_latin1, pki.ts_key), fail=["jws.utf8"])
    good = jws(hdr, claims, pki.ts_key)
    one("four-segments", "A valid token with a fourth segment appended: rejected by jws.segments.",
        good + "." + b64u(b"extra"), fail=["jws.segments"])
    # A real JWE (RSA-OAEP + A256GCM) of the token, encrypted to the encryption key.
    jwe_hdr = {"alg": "RSA-OAEP", "enc": "A256GCM", "kid": pki.enc_kid, "cty": "JWT"}
    cek = hashlib.sha256(b"sigaudit jwe-five-segments cek").digest()
    iv = hashlib.sha256(b"sigaudit jwe-five-segments iv").digest()[:12]
    ek = pki.enc_key.public_key().encrypt(cek, padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
    prot = b64u(compact_json(jwe_hdr))
    ct = AESGCM(cek).encrypt(iv, good.encode("ascii"), prot.encode("ascii"))
    one("jwe-five-segments", "A JWE (RSA-OAEP, A256GCM: five segments) is an encrypted token, not a JWS: rejected by jws.segments.",
        ".".join([prot, b64u(ek), b64u(iv), b64u(ct[:-16]), b64u(ct[-16:])]), fail=["jws.segments"])
    big = jws(hdr, id_claims({"x-padding": "A" * (394 * 1024)}), pki.ts_key)
    assert len(big) > 512 * 1024
    one("oversized", "A validly signed token of more than 512 KiB is refused before it is decoded: jws.size.",
        big, fail=["jws.size"])
    h64, p64, s64 = good.split(".")
    assert len(s64) % 4 != 0
    one("padded-base64", "The signature segment carries base64 '=' padding, which base64url in JWS forbids: jws.base64.",
        f"{h64}.{p64}.{s64}{'=' * (-len(s64) % 4)}", fail=["jws.base64"], passes=["jws.segments"])
    one("enc-key-signature", "A token signed with the encryption key's private key and naming its kid: a use:enc key never verifies (jws.key_use); its JWK alg RSA-OAEP also does not fit RS256 (jws.key_type).",
        jws(dict(hdr, kid=pki.enc_kid), claims, pki.enc_key), fail=["jws.key_use", "jws.key_type"], passes=["jws.key"])
    one("rsa-1024", "A token signed RS256 with a trusted 1024-bit RSA key: jws.key_strength fails (at least 2048 bits).",
        jws(dict(hdr, kid="test-rsa-1024"), claims, pki.rsa1024), fail=["jws.key_strength"], passes=["jws.key"],
        options={"at": AT, "jwks": ["keys/jwks_with_rsa1024.json"]},
        files={"keys/jwks_with_rsa1024.json": jwks_bytes(json.loads(jwks_files["keys/jwks.json"])["keys"] + [jwk_of(pki.rsa1024, kid="test-rsa-1024")])})
    one("unknown-kid", "A token whose kid names no supplied key: the signature cannot be checked (indeterminate jws.key).",
        jws(dict(hdr, kid="0000000000000000000000000000000000000000"), claims, pki.ts_key),
        verdict="indeterminate", indeterminate=["jws.key"], passes=["jws.alg"])
    one("jku-header", "A valid token whose header also carries jku: reported (warn jws.header), never fetched; the token still verifies.",
        jws(dict(hdr, jku="https://attacker.example/jwks.json"), claims, pki.ts_key),
        verdict="warn", warn=["jws.header"], passes=["jws.signature", "jws.key_trusted"])
    x5c_hdr = {"alg": "RS256", "typ": "JWT", "x5c": [b64(der(pki.ts_cert)), b64(der(pki.ts_root))]}
    one("header-x5c-untrusted", "The key comes only from the header's x5c (token-signing certificate and its self-signed root), no key set or anchor is supplied: the signature verifies, but the key is not trusted (a header never vouches for itself).",
        jws(x5c_hdr, claims, pki.ts_key),
        verdict="indeterminate", indeterminate=["jws.key_trusted", "chain.anchor"], passes=["jws.signature", "jws.key"], options={"at": AT}, files={})
    one("header-x5c-trust-anchor", "The same header-x5c token with the token-signing root given as trust anchor (--trust): the certificate chains to it, but the key comes from the token itself, and a CA vouches only for whom it issued a certificate to, not that its holder is the issuer (any holder of a certificate under that anchor could sign such a token): jws.key_trusted is indeterminate until --env or the issuer's key set (--jwks) names the key.",
        jws(x5c_hdr, claims, pki.ts_key), verdict="indeterminate", indeterminate=["jws.key_trusted"],
        passes=["jws.signature", "chain.anchor", "chain.signature", "chain.validity", "chain.key_usage"],
        options={"at": AT, "trust": ["trust/token_root.pem"]}, files={"trust/token_root.pem": pki.ts_root.public_bytes(serialization.Encoding.PEM)})
    bad_entry = jwk_of(pki.ts_key, kid=pki.ts_kid, alg="RS256", cert=pki.enc_cert)
    one("x5c-key-mismatch", "The trusted JWKS entry holds the signing key's n/e but another certificate in x5c (x5t consistent with that certificate): jwk.x5c_key_match fails.",
        good, fail=["jwk.x5c_key_match"], passes=["jws.signature", "jwk.x5t"],
        options={"at": AT, "jwks": ["keys/jwks_x5c_mismatch.json"]}, files={"keys/jwks_x5c_mismatch.json": jwks_bytes([bad_entry])})
    at_token = jws({"alg": "RS256", "kid": pki.ts_kid, "typ": "at+jwt"}, access_claims(), pki.ts_key)
    resp = {"id_token": at_token, "access_token": at_token, "expires_in": 3600, "token_type": "Bearer", "scope": "openid mitid"}
    add("jws", "at-jwt-as-id-token",
        "A token response whose id_token member holds an access token (typ at+jwt): token substitution, jws.typ fails on the id_token.",
        "fail", opts, {"token_response.json": pretty_json(resp)}, files=jwks_files,
        fail=["jws.typ"], passes=["jws.signature"])
    gen_jws_header_members(pki, jwks_files, one, hdr, claims)
    gen_jws_token_response(pki, jwks_files, opts)


def gen_jws_header_members(pki: Pki, jwks_files, one, hdr, claims):
    """The header's certificate members against the verifying key (RFC 7515
    §4.1.6-4.1.8), the types of registered members (§4.1), and a JWK's
    x5t#S256 against its own x5c (RFC 7517 §4.9)."""
    s256 = lambda cert: b64u(hashlib.sha256(der(cert)).digest())
    one("header-x5t-other-cert", "The header's kid names the token-signing key, which verifies the signature, but its x5t is the thumbprint of another certificate (the encryption certificate): jws.header_cert fails.",
        jws(dict(hdr, x5t=pki.enc_kid), claims, pki.ts_key), fail=["jws.header_cert"], passes=["jws.signature", "jws.key"])
    one("header-x5c-other-cert", "The header's kid selects the token-signing key, which verifies the signature, while its x5c carries another certificate (the encryption certificate): x5c[0] does not hold the verifying key, jws.header_cert fails.",
        jws(dict(hdr, x5c=[b64(der(pki.enc_cert))]), claims, pki.ts_key), fail=["jws.header_cert"], passes=["jws.signature", "jws.key"])
    one("header-x5t-s256-match", "The header carries kid and the x5t#S256 of the token-signing certificate whose key verifies: jws.header_cert passes, and the token passes.",
        jws(dict(hdr, **{"x5t#S256": s256(pki.ts_cert)}), claims, pki.ts_key), verdict="pass",
        passes=["jws.header_cert", "jws.signature", "jws.key_trusted"])
    one("header-x5t-bare-jwk", "The header names a JWK without a certificate (kid test-rsa-2048, no x5c or x5t in the JWK) and also carries an x5t: the thumbprint cannot be compared with anything, so jws.header_cert warns instead of passing over it.",
        jws({"alg": "RS256", "kid": "test-rsa-2048", "typ": "JWT", "x5t": pki.ts_kid}, claims, pki.rsa2048), verdict="warn",
        warn=["jws.header_cert"], passes=["jws.signature"])
    hdr_kid_num = ('{"alg":"RS256","kid":20595,"typ":"JWT"}').encode()
    one("header-kid-number", "The header's kid is a number, not a string (RFC 7515 §4.1.4): jws.header fails naming the member and its type, instead of the kid being dropped and every supplied key tried.",
        jws(hdr_kid_num, claims, pki.ts_key, alg="RS256"), fail=["jws.header"], passes=["jws.alg"])
    one("header-x5c-string", "The header's x5c is a single string, not an array of certificates (RFC 7515 §4.1.6): jws.header fails.",
        jws(dict(hdr, x5c=b64(der(pki.ts_cert))), claims, pki.ts_key), fail=["jws.header"], passes=["jws.alg"])
    one("header-typ-array", "The header's typ is an array, not a string (RFC 7515 §4.1.9): jws.header fails, and jws.typ fails too (the member is present but not a string, so it is not judged as absent).",
        jws(dict(hdr, typ=["JWT"]), claims, pki.ts_key), fail=["jws.header", "jws.typ"], passes=["jws.alg"])
    entry = jwk_of(pki.ts_key, kid=pki.ts_kid, alg="RS256", cert=pki.ts_cert)
    entry["x5t#S256"] = s256(pki.enc_cert)
    one("jwk-x5t-s256-mismatch", "The trusted JWKS entry of the token-signing key carries its own certificate and x5t, but the x5t#S256 of another certificate (RFC 7517 §4.9): jwk.x5t fails when the key is used.",
        jws(hdr, claims, pki.ts_key), fail=["jwk.x5t"], passes=["jws.signature", "jwk.x5c_key_match"],
        options={"at": AT, "jwks": ["keys/jwks_x5t_s256_mismatch.json"]}, files={"keys/jwks_x5t_s256_mismatch.json": jwks_bytes([entry])})


def gen_jws_token_response(pki: Pki, jwks_files, opts):
    """Token responses: the access token's typ (RFC 9068 §4), opaque access
    tokens (RFC 6749 §1.4), one signing key for both tokens (broker.md §2)."""
    def response(idt, access):
        return {"token_response.json": pretty_json({"id_token": idt, "access_token": access, "expires_in": 3600, "token_type": "Bearer", "scope": "openid mitid"})}

    hdr = {"alg": "RS256", "kid": pki.ts_kid, "typ": "JWT"}
    access = jws(hdr, access_claims(), pki.ts_key)
    idt = jws(hdr, id_claims({"at_hash": half_hash("RS256", access)}), pki.ts_key)
    add("jws", "access-token-typ-jwt", "A token response whose access token is a validly signed JWT with typ JWT, not at+jwt: a resource server must reject it (RFC 9068 §4), so jws.typ fails on the access token.",
        "fail", opts, response(idt, access), files=jwks_files, fail=["jws.typ"], passes=["jws.signature", "jwt.at_hash", "jws.token_response_key"])
    opaque = "SlAV32hkKG2YotnFZFEjr1zCsicMWpAA"
    idt = jws(hdr, id_claims({"at_hash": half_hash("RS256", opaque)}), pki.ts_key)
    add("jws", "opaque-access-token", "A token response whose access token is an opaque string (RFC 6749 §1.4), not a JWS: it is not a malformed JWS but cannot be verified (warn jws.opaque_access_token); the id_token's at_hash still binds it.",
        "warn", opts, response(idt, opaque), files=jwks_files, warn=["jws.opaque_access_token"], passes=["jws.signature", "jwt.at_hash"])
    idt = jws(hdr, id_claims({"at_hash": half_hash("RS256", opaque + "x")}), pki.ts_key)
    add("jws", "opaque-access-token-at-hash-mismatch", "A token response with an opaque access token whose id_token's at_hash was computed over another string: jwt.at_hash fails over the opaque token's ASCII octets.",
        "fail", opts, response(idt, opaque), files=jwks_files, warn=["jws.opaque_access_token"], fail=["jwt.at_hash"], passes=["jws.signature"])
    access = jws({"alg": "RS256", "kid": "test-rsa-2048", "typ": "at+jwt"}, access_claims(), pki.rsa2048)
    idt = jws(hdr, id_claims({"at_hash": half_hash("RS256", access)}), pki.ts_key)
    add("jws", "token-response-two-keys", "A token response whose id_token (token-signing key) and access token (another supplied key, kid test-rsa-2048) are both validly signed and bound by at_hash, but by different keys: the broker signs both with one key (broker.md §2), so jws.token_response_key fails.",
        "fail", opts, response(idt, access), files=jwks_files, fail=["jws.token_response_key"], passes=["jws.signature", "jwt.at_hash"])
    access = jws({"alg": "RS256", "kid": pki.ts_kid, "typ": "at+jwt"}, access_claims({"sub": "22222222-2222-4222-8222-222222222222"}), pki.ts_key)
    idt = jws(hdr, id_claims(), pki.ts_key)
    add("jws", "token-response-other-users-access-token", "A token response whose id_token has no at_hash (optional in the code flow) and whose access token, signed with the same key, is about another user (another sub): the tokens of one response come from one login, so binding.token_response_session fails.",
        "fail", opts, response(idt, access), files=jwks_files, fail=["binding.token_response_session"], passes=["jws.signature", "jws.token_response_key"])


# ---------------------------------------------------------------------------
# algs/
# ---------------------------------------------------------------------------

def gen_algs(pki: Pki, jwks_files):
    matrix = [
        ("RS256", pki.rsa2048, "test-rsa-2048"), ("RS384", pki.rsa2048, "test-rsa-2048"), ("RS512", pki.rsa2048, "test-rsa-2048"),
        ("PS256", pki.rsa2048, "test-rsa-2048"), ("PS384", pki.rsa2048, "test-rsa-2048"), ("PS512", pki.rsa2048, "test-rsa-2048"),
        ("ES256", pki.p256, "test-ec-p256"), ("ES384", pki.p384, "test-ec-p384"), ("EdDSA", pki.ed25519, "test-ed25519"),
    ]
    for alg, key, kid in matrix:
        access = jws({"alg": alg, "kid": kid, "typ": "at+jwt"}, access_claims(), key)
        idt = jws({"alg": alg, "kid": kid, "typ": "JWT"}, id_claims({"at_hash": half_hash(alg, access)}), key)
        resp = {"access_token": access, "expires_in": 3600, "id_token": idt, "scope": "openid mitid", "token_type": "Bearer"}
        add("algs", alg.lower(),
            f"A token response whose id_token and access token are both signed {alg} (kid {kid}); at_hash uses the {alg} hash: everything passes.",
            "pass", {"at": AT, "jwks": ["keys/jwks.json"], "audience": CLIENT_ID, "nonce": NONCE},
            {"token_response.json": pretty_json(resp)}, files=jwks_files,
            passes=TOKEN_PASS + ["jwt.at_hash", "jwt.aud", "jwt.nonce", "jws.typ"])


# ---------------------------------------------------------------------------
# jwt/
# ---------------------------------------------------------------------------

def gen_jwt(pki: Pki, jwks_files):
    hdr = {"alg": "RS256", "kid": pki.ts_kid, "typ": "JWT"}
    base = {"at": AT, "jwks": ["keys/jwks.json"]}

    def one(name, about, over, verdict, options=None, fail=(), indeterminate=(), warn=(), passes=()):
        token = jws(hdr, id_claims(over), pki.ts_key)
        add("jwt", name, about, verdict, dict(base, **(options or {})), {"id_token.jwt": token.encode()}, files=jwks_files,
            fail=fail, indeterminate=indeterminate, warn=warn, passes=passes)

    one("expired", "An id_token judged an hour after issuance, 55 minutes after its exp: indeterminate (expired is not forged).",
        None, "indeterminate", {"at": rfc3339(T + 3600)}, indeterminate=["jwt.exp"], passes=["jws.signature", "jwt.iat", "jwt.nbf"])
    one("nbf-future", "An id_token whose nbf lies an hour after the validation time: indeterminate jwt.nbf.",
        {"nbf": T + 3600, "exp": T + 7200}, "indeterminate", indeterminate=["jwt.nbf"], passes=["jwt.iat", "jwt.exp", "jwt.time_order"])
    one("iat-future", "An id_token issued an hour after the validation time: it did not exist yet (indeterminate jwt.iat).",
        {"iat": T + 3600, "exp": T + 7200}, "indeterminate", indeterminate=["jwt.iat"], passes=["jwt.exp", "jwt.time_order"])
    one("iat-after-exp", "An id_token whose iat (09:00:30) is after its exp (09:00:00), both within the leeway of the validation time: jwt.time_order fails.",
        {"iat": T + 30, "exp": T}, "fail", fail=["jwt.time_order"], passes=["jwt.iat", "jwt.exp"])
    one("wrong-issuer", "An id_token of the test issuer checked against --issuer https://pp.netseidbroker.dk/op: jwt.iss fails.",
        None, "fail", {"issuer": "https://pp.netseidbroker.dk/op"}, fail=["jwt.iss"], passes=["jws.signature"])
    one("wrong-audience", "An id_token for one client checked against another client id: jwt.aud fails.",
        None, "fail", {"audience": "11111111-2222-3333-4444-555555555555"}, fail=["jwt.aud"])
    one("aud-array", "An id_token whose aud is an array that contains the expected client id, with azp the client id: jwt.aud and jwt.azp pass.",
        {"aud": [CLIENT_ID, "https://test.netseidbroker.dk/op/resources"], "azp": CLIENT_ID}, "pass", {"audience": CLIENT_ID}, passes=["jwt.aud", "jwt.azp"])
    one("aud-array-no-azp", "An id_token whose aud is an array of two audiences but which has no azp, which OIDC Core §3.1.3.7 step 4 says should then be present: jwt.aud passes, jwt.azp warns.",
        {"aud": [CLIENT_ID, "https://test.netseidbroker.dk/op/resources"]}, "warn", {"audience": CLIENT_ID}, warn=["jwt.azp"], passes=["jwt.aud"])
    one("azp-other-party", "An id_token whose aud contains the expected client id, but whose azp names another party: issued to that party, not this client (OIDC Core §3.1.3.7 step 5), so jwt.azp fails.",
        {"aud": [CLIENT_ID, "https://test.netseidbroker.dk/op/resources"], "azp": "https://test.netseidbroker.dk/op/resources"}, "fail",
        {"audience": CLIENT_ID}, fail=["jwt.azp"], passes=["jwt.aud", "jws.signature"])
    one("audience-none-of", "An id_token for one client checked against two other expected audiences (--audience given twice, a client id and an organisation TIN): its aud is none of them, so jwt.aud fails.",
        None, "fail", {"audience": ["11111111-2222-3333-4444-555555555555", "DK12345678"]}, fail=["jwt.aud"], passes=["jws.signature"])
    one("aud-array-any-of", "An id_token whose aud is an array holding the second of two expected audiences (and a resource URL), with azp that audience: any one expected value in aud passes jwt.aud, and azp is one of them.",
        {"aud": ["https://test.netseidbroker.dk/op/resources", CLIENT_ID], "azp": CLIENT_ID}, "pass",
        {"audience": ["11111111-2222-3333-4444-555555555555", CLIENT_ID]}, passes=["jwt.aud", "jwt.azp"])
    one("nonce-mismatch", "An id_token whose nonce differs from the one the client sent: jwt.nonce fails.",
        None, "fail", {"nonce": "n-0000000000"}, fail=["jwt.nonce"])
    one("nonce-missing", "A nonce was expected, but the id_token has none: jwt.nonce fails.",
        {"nonce": None}, "fail", {"nonce": NONCE}, fail=["jwt.nonce"])
    one("auth-time-too-old", "The user authenticated an hour before the id_token was issued, over a 600 s maximum age: jwt.auth_time fails.",
        {"auth_time": T - 3600}, "fail", {"maxAge": 600}, fail=["jwt.auth_time"])
    one("numeric-strings", "auth_time and iat written as JSON strings, as the broker sometimes does: accepted, every check passes.",
        {"auth_time": str(T - 20), "iat": str(T)}, "pass", {"maxAge": 600, "audience": CLIENT_ID},
        passes=["jwt.iat", "jwt.auth_time", "jwt.exp", "jwt.time_order", "jws.signature"])
    one("level-below-min", "An id_token at NSIS level Substantial where High is required: jwt.level fails.",
        None, "fail", {"minLevel": "high"}, fail=["jwt.level"])
    one("idp-mismatch", "An id_token from MitID checked against the expected identity provider nemlogin: jwt.idp fails.",
        None, "fail", {"idp": "nemlogin"}, fail=["jwt.idp"])
    one("identity-type-mismatch", "An id_token for a private person checked against identity type professional: jwt.identity_type fails.",
        None, "fail", {"identityType": "professional"}, fail=["jwt.identity_type"])
    one("reference-text-not-ciba", "A login id_token carrying the expected mitid.reference_text but no idtoken_type ciba, checked as a CIBA result: jwt.ciba fails.",
        {"mitid.reference_text": "Log på Testbanken"}, "fail", {"referenceText": "Log på Testbanken"},
        fail=["jwt.ciba"], passes=["jwt.reference_text"])
    one("id-token-no-exp", "An id_token without exp, which OIDC Core requires: jwt.exp fails.",
        {"exp": None}, "fail", fail=["jwt.exp"], passes=["jws.signature", "jwt.iat"])
    one("at-signing", "An id_token verified as of its own iat (--at signing): every time check passes.",
        None, "pass", {"at": "signing", "audience": CLIENT_ID, "nonce": NONCE, "maxAge": 600},
        passes=["jwt.iat", "jwt.nbf", "jwt.exp", "jwt.time_order", "jws.signature", "jws.key_trusted"])
    one("exp-max", "An id_token whose exp is the largest 64-bit integer, past the year 9999 that a report's RFC 3339 times can state: jwt.exp fails as out of range (before, the addition of the leeway wrapped into a false expiry).",
        {"exp": 2**63 - 1}, "fail", fail=["jwt.exp"], passes=["jws.signature"])
    one("exp-float-large", "An id_token whose exp is written 1e17, out of range exactly as the integer 100000000000000000 is (one range for both forms): jwt.exp fails.",
        {"exp": 1e17}, "fail", fail=["jwt.exp"], passes=["jws.signature"])
    one("exp-float-year-5138", "An id_token whose exp is written 1e11 (the year 5138), a non-integer-form NumericDate within range: read like 100000000000, jwt.exp passes.",
        {"exp": 1e11}, "pass", passes=["jwt.exp", "jwt.time_order", "jws.signature"])
    one("nbf-null", "An id_token whose nbf is JSON null: not a NumericDate (RFC 7519 §4.1.5), so jwt.nbf fails instead of treating it as absent.",
        {"nbf": JSON_NULL}, "fail", fail=["jwt.nbf"], passes=["jws.signature", "jwt.exp"])
    one("at-hash-number", "An id_token whose at_hash is a number, not a base64url string: jwt.at_hash fails instead of being skipped.",
        {"at_hash": 5}, "fail", fail=["jwt.at_hash"], passes=["jws.signature"])

    access = jws({"alg": "RS256", "kid": pki.ts_kid, "typ": "at+jwt"}, access_claims(), pki.ts_key)
    other = jws({"alg": "RS256", "kid": pki.ts_kid, "typ": "at+jwt"}, access_claims({"jti": "0F1E2D3C4B5A69788796A5B4C3D2E1F0"}), pki.ts_key)
    idt = jws(hdr, id_claims({"at_hash": half_hash("RS256", access)}), pki.ts_key)
    resp = {"id_token": idt, "access_token": other, "expires_in": 3600, "token_type": "Bearer", "scope": "openid mitid"}
    add("jwt", "at-hash-mismatch",
        "A token response whose access token is not the one the id_token's at_hash names (both validly signed): jwt.at_hash fails.",
        "fail", base, {"token_response.json": pretty_json(resp)}, files=jwks_files,
        fail=["jwt.at_hash"], passes=["jws.signature"])


# ---------------------------------------------------------------------------
# binding/
# ---------------------------------------------------------------------------

WF_ID = "6c1f3a9e-2d4b-4e8a-b7c5-0f9e8d7c6b5a"
WF_TITLE = "Lejeaftale Testvej 1"
SIG1_TX = "0b4e6f2a-8c1d-4a3e-9f5b-7d2c1e0a9b8c"
SIG2_TX = "5e7a9c1b-3d2f-4b6a-8e0c-2f4d6b8a0c1e"
T_WF = T + 900  # workflow token: after both signatures
AT_WF = rfc3339(T_WF + 60)

DOC_TITLES = ["Lejekontrakt", "Husorden & bilag"]


def tx_claims(pki_nonce_label: str, over=None):
    recipient = {
        "organization": {"number": ORG_CVR, "name": "Testvirksomheden ApS", "country": "DK"},
        "redirect_uri": "https://sp.sigaudit.example/callback",
    }
    return patch(
        {
            "iss": ISS, "nbf": T, "iat": T, "exp": T + 10 * 365 * 86400, "aud": CLIENT_ID, "sub": SUB,
            "auth_time": T - 20, "nonce": NONCE,
            "signing_cert_ocsp_nonce": b64(hashlib.sha256(pki_nonce_label.encode()).digest()[:16]),
            "amr": ["mitid.app"], "acr": LOA_SUBSTANTIAL, "ial": IAL_SUBSTANTIAL, "idp": "mitid", "identity_type": "private",
            "transaction_id": "d4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a",
            "recipient_info": json.dumps(recipient, separators=(",", ":")), "spec_ver": "1.0",
            "transaction_actions": ["mitid.login", "mitid.transaction_signing"],
            "transaction_client_ip": "192.0.2.10",
            "mitid.uuid": "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b", "mitid.identity_name": "Test Testesen",
        },
        over,
    )


# Transaction and workflow tokens are judged for revocation too (broker.md §3 rule 5):
# every binding/ token comes with a good OCSP response (in its token response as
# transaction_token_ocsp_resp, in a workflow result as ocspResponse, or as a
# standalone .ocsp file), and the OCES-like root is the trust anchor, so each
# scenario passes or lands on exactly the verdict it is about.
OCSP_PASS = ["ocsp.format", "ocsp.response_status", "ocsp.cert_id", "ocsp.status", "ocsp.freshness", "ocsp.signature",
             "ocsp.responder_authorized", "ocsp.responder_validity"]
CHAIN_PASS = ["chain.anchor", "chain.name", "chain.key_identifier", "chain.signature", "chain.validity",
              "chain.basic_constraints", "chain.key_usage", "chain.critical_extension", "chain.algorithm"]


def add_binding(name, about, verdict, options, inputs, files=None, fail=(), indeterminate=(), warn=(), passes=()):
    # Only a transaction token names a nonce (signing_cert_ocsp_nonce) for ocsp.nonce to check.
    nonce = any("transaction_token" in n or "token_response" in n for n in inputs)
    add("binding", name, about, verdict, options, inputs, files=files, fail=fail, indeterminate=indeterminate, warn=warn,
        passes=list(passes) + OCSP_PASS + CHAIN_PASS + (["ocsp.nonce"] if nonce else []))


def token_response(token: str, ocsp: bytes | None) -> bytes:
    """A token endpoint response carrying a transaction token (and its OCSP response)."""
    r = {"transaction_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "openid transaction_token"}
    if ocsp is not None:
        r["transaction_token_ocsp_resp"] = b64(ocsp)
    return pretty_json(r)


def gen_binding(pki: Pki):
    leaf_jwk = jwk_of(pki.leaf_key, kid=pki.leaf_kid, alg="RS256", cert=pki.leaf, chain=[pki.oces_ca])
    files = {"keys/transact_jwks.json": jwks_bytes([leaf_jwk]), "trust/oces_root.pem": pem(pki.oces_root).encode()}
    opts = {"at": AT, "jwks": ["keys/transact_jwks.json"], "trust": ["trust/oces_root.pem"]}
    hdr = {"alg": "RS256", "kid": pki.leaf_kid, "typ": "JWT"}

    def tx_token(over, label="tx"):
        return jws(hdr, tx_claims(label, over), pki.leaf_key)

    def ocsp(token, label):
        return ocsp_for_token(pki, token, f"binding/{label}")

    contract = make_pdf("Købsaftale", ["Købsaftale", "Sælger: Testvirksomheden ApS", "Køber: Test Testesen", "Pris: 1.000 kr."])
    other_pdf = make_pdf("Købsaftale", ["Købsaftale", "Sælger: Testvirksomheden ApS", "Køber: Test Testesen", "Pris: 9.000 kr."])
    pdf_claims = {"transaction_text_type": "pdf", "transaction_text_sha256": b64(sha256(contract))}
    tok = tx_token(pdf_claims)
    tok_resp = token_response(tok, ocsp(tok, "pdf-*"))
    tx_pass = ["jws.signature", "jws.key_trusted", "jws.kid_thumbprint", "jwk.x5c_key_match", "jwk.x5t"]
    add_binding("pdf-matches",
        "A token response with a transaction token signed by the OCES3-like leaf and its good OCSP response (transaction_token_ocsp_resp), the PDF whose SHA-256 (base64) it names, and the OCES-like root as anchor: binding, chain and OCSP pass.",
        "pass", opts, {"token_response.json": tok_resp, "koebsaftale.pdf": contract}, files=files,
        passes=tx_pass + ["binding.document_sha256", "document.referenced"])
    add_binding("pdf-differs",
        "The transaction token with a PDF whose content differs (another price): binding.document_sha256 fails and the PDF is reported as unreferenced.",
        "fail", opts, {"token_response.json": tok_resp, "koebsaftale.pdf": other_pdf}, files=files,
        fail=["binding.document_sha256"], warn=["document.referenced"], passes=["jws.signature"])
    add_binding("pdf-missing",
        "The transaction token without the PDF it signed: original not supplied, binding.document_sha256 is indeterminate.",
        "indeterminate", opts, {"token_response.json": tok_resp}, files=files,
        indeterminate=["binding.document_sha256"], passes=["jws.signature"])
    # A complete token endpoint response (broker.md §1): id_token and access token
    # (token-signing key) beside the transaction token and its OCSP response,
    # which is about the transaction certificate only.
    access = jws({"alg": "RS256", "kid": pki.ts_kid, "typ": "at+jwt"}, access_claims(), pki.ts_key)
    idt = jws({"alg": "RS256", "kid": pki.ts_kid, "typ": "JWT"}, id_claims({"at_hash": half_hash("RS256", access)}), pki.ts_key)
    full_tok = tx_token(pdf_claims, "tx-full")
    full = json.loads(token_response(full_tok, ocsp(full_tok, "full-token-response")))
    full = dict({"id_token": idt, "access_token": access}, **full)
    both_keys = {"keys/jwks.json": jwks_bytes([leaf_jwk, jwk_of(pki.ts_key, kid=pki.ts_kid, alg="RS256", cert=pki.ts_cert)]),
                 "trust/oces_root.pem": pem(pki.oces_root).encode()}
    add_binding("full-token-response",
        "A complete token endpoint response: id_token and access token signed by the token-signing key (trusted with --jwks) beside the transaction token and its OCSP response, with the PDF: the response is the transaction token's (its CertID names the transaction certificate), so it is not held against the id_token or the access token, and everything passes.",
        "pass", dict(opts, jwks=["keys/jwks.json"]), {"token_response.json": pretty_json(full), "koebsaftale.pdf": contract}, files=both_keys,
        passes=tx_pass + ["binding.document_sha256", "jwt.at_hash", "binding.token_response_session"])
    # One response, two logins: the id_token and access token above are one user's login,
    # the transaction token is another user's signing (another sub, nonce and MitID identity).
    other_user = {"sub": "22222222-2222-4222-8222-222222222222", "nonce": "n-7c1d0e9b44",
                  "mitid.uuid": "22222222-bbbb-4bbb-8bbb-222222222222", "mitid.identity_name": "Anna Andersen"}
    mixed_tok = tx_token(dict(pdf_claims, **other_user), "tx-two-users")
    mixed = json.loads(token_response(mixed_tok, ocsp(mixed_tok, "token-response-two-users")))
    mixed = dict({"id_token": idt, "access_token": access}, **mixed)
    add_binding("token-response-two-users",
        "A token endpoint response whose id_token and access token (bound by at_hash, one signing key) are one user's login, and whose transaction token, validly signed with its good OCSP response and the PDF, is another user's signing (other sub, nonce, mitid.uuid and mitid.identity_name): the tokens of one response come from one login, so binding.token_response_session fails once per differing claim, naming both tokens.",
        "fail", dict(opts, jwks=["keys/jwks.json"]), {"token_response.json": pretty_json(mixed), "koebsaftale.pdf": contract}, files=both_keys,
        fail=["binding.token_response_session"], passes=tx_pass + ["binding.document_sha256", "jwt.at_hash", "jws.token_response_key"])
    # The transaction certificate's chain only in the token's header: x5c = [leaf, issuing CA], no key set.
    x5c_tok = jws(dict(hdr, x5c=[b64(der(pki.leaf)), b64(der(pki.oces_ca))]), tx_claims("tx-header-x5c", pdf_claims), pki.leaf_key)
    add_binding("header-x5c-chain",
        "A transaction token whose key comes only from its header's x5c (the leaf and the issuing CA), no key set, its good OCSP response and the OCES-like root as anchor: x5c[1] is a candidate issuer, so the path reaches the anchor and the OCSP CertID and delegated responder are checked against the CA (all pass); the key still comes from the token itself, so jws.key_trusted is indeterminate.",
        "indeterminate", {"at": AT, "trust": ["trust/oces_root.pem"]},
        {"token_response.json": token_response(x5c_tok, ocsp(x5c_tok, "header-x5c-chain")), "koebsaftale.pdf": contract},
        files={"trust/oces_root.pem": pem(pki.oces_root).encode()},
        indeterminate=["jws.key_trusted"], passes=["jws.signature", "jws.kid_thumbprint", "binding.document_sha256"])
    bare = {"keys/bare_jwks.json": jwks_bytes([jwk_of(pki.leaf_key, kid=pki.leaf_kid, alg="RS256")])}
    add("binding", "bare-key-transaction-token",
        "A transaction token whose key is trusted as a bare JWK (--jwks, no certificate) with its token response's OCSP response: without the signing certificate the response cannot be matched to it, so its revocation status is unknown: ocsp.present is indeterminate (never a silent pass).",
        "indeterminate", {"at": AT, "jwks": ["keys/bare_jwks.json"]}, {"token_response.json": tok_resp, "koebsaftale.pdf": contract}, files=bare,
        indeterminate=["ocsp.present"], warn=["input.recognised"], passes=["jws.signature", "jws.key_trusted", "binding.document_sha256"])
    text = "Jeg bekræfter hermed overdragelsen af bil AB 12 345 til Test Testesen for 1.000 kr.\nDato: 10. marts 2025".encode("utf-8")
    text_tok = tx_token({"transaction_text_type": "text", "transaction_text_sha256": b64(sha256(text))})
    add_binding("text-type",
        "A transaction token over a signed text (transaction_text_type text), its OCSP response as a standalone DER file, and a .txt file holding exactly those UTF-8 bytes: the binding passes.",
        "pass", opts,
        {"transaction_token.jwt": text_tok.encode(), "transaction_token.ocsp": ocsp(text_tok, "text-type"), "signed_text.txt": text},
        files=files, passes=["binding.document_sha256", "document.referenced", "input.recognised"])

    # --- workflow -----------------------------------------------------------
    pdfs = {
        DOC_TITLES[0]: make_pdf(DOC_TITLES[0], ["Lejekontrakt", "Lejemaal: Testvej 1, 1. th.", "Husleje: 8.500 kr. pr. maaned"]),
        DOC_TITLES[1]: make_pdf(DOC_TITLES[1], ["Husorden & bilag", "Affald sorteres.", "Ro efter kl. 22."]),
    }
    changed = make_pdf(DOC_TITLES[0], ["Lejekontrakt", "Lejemaal: Testvej 1, 1. th.", "Husleje: 5.800 kr. pr. maaned"])
    extra = make_pdf("Tillaeg", ["Tillaeg", "Ikke en del af workflowet."])
    # Files are named by title where the title makes a plain file name; the title
    # with '&' and spaces gets a plain name (documents are matched by hash first).
    file_names = {"Lejekontrakt": "Lejekontrakt.pdf", "Husorden & bilag": "Husorden_og_bilag.pdf"}
    pdf_files = {file_names[t]: b for t, b in pdfs.items()}

    def user_claims(name, idp_id, auth):
        return {"mitid.identity_name": name, "loa": LOA_SUBSTANTIAL, "ial": IAL_SUBSTANTIAL, "idp_identity_id": idp_id,
                "idp": "mitid", "auth_time": str(auth)}

    signers = [
        ("a1b2c3d4-0001-4000-8000-00000000a001", SIG1_TX, "Test Testesen", "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b", T),
        ("a1b2c3d4-0002-4000-8000-00000000a002", SIG2_TX, "Anna Andersen", "f1e2d3c4-b5a6-4f7e-9d8c-0b1a2f3e4d5c", T + 600),
    ]

    def iso(t):
        return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")

    def wf_claims(over=None, docs=None):
        docs = docs if docs is not None else pdfs
        c = {
            "iss": ISS, "aud": ORG_TIN, "iat": T_WF, "nbf": T_WF, "exp": T_WF + 30 * 365 * 86400,
            "token_type": "workflow_token_v1", "expiry": str(T + 14 * 86400), "workflow_id": WF_ID,
            "workflow_title": WF_TITLE, "organization_tin": ORG_TIN, "service_provider_id": CLIENT_ID,
            "documents_signed_number": str(len(docs)), "signatures_number": str(len(signers)),
        }
        for i, (title, data) in enumerate(docs.items(), start=1):
            c[f"document_{i}"] = dotnet_json({"title": title, "sha256Hex": sha256(data).hex()})
        for i, (sid, stx, nm, uid, t) in enumerate(signers, start=1):
            c[f"signature_{i}"] = dotnet_json(
                {"Created": iso(t), "Id": sid, "SignatureTransactionId": stx, "UserClaims": user_claims(nm, uid, t - 20)}
            )
        return patch(c, over)

    wf_tok = jws(hdr, wf_claims(), pki.leaf_key)
    # A workflow token has no signing_cert_ocsp_nonce claim: its response still
    # carries a nonce (the broker always sends one), which nothing can check.
    wf_ocsp = ocsp_for_token(pki, wf_tok, "binding/workflow-*", nonce=hashlib.sha256(f"workflow {WF_ID}".encode()).digest()[:16])
    # As the PAdES attachment workflow_token.ocsp: base64 text of the DER.
    wf_in = {"workflow_token.jwt": wf_tok.encode(), "workflow_token.ocsp": (b64(wf_ocsp) + "\n").encode()}
    wopts = dict(opts, at=AT_WF)
    add_binding("workflow-all-pdfs",
        "A workflow token (two documents, two signatures) with its OCSP response as workflow_token.ocsp (base64 text, like the PAdES attachment) and both PDFs named by their titles: every document_N matches and the claims are consistent.",
        "pass", wopts, dict(wf_in, **pdf_files), files=files,
        passes=tx_pass + ["binding.workflow_document", "binding.workflow_claims", "document.referenced"])
    add_binding("workflow-pdf-changed",
        "The workflow's Lejekontrakt.pdf replaced by a changed PDF under the same file name: binding.workflow_document fails, and the changed PDF is unreferenced.",
        "fail", wopts, dict(wf_in, **dict(pdf_files, **{"Lejekontrakt.pdf": changed})), files=files,
        fail=["binding.workflow_document"], warn=["document.referenced"], passes=["binding.workflow_claims"])
    add_binding("workflow-pdf-missing",
        "The workflow token with only one of its two PDFs: the other document is indeterminate (original not supplied).",
        "indeterminate", wopts, dict(wf_in, **{"Lejekontrakt.pdf": pdfs["Lejekontrakt"]}), files=files,
        indeterminate=["binding.workflow_document"], passes=["binding.workflow_document", "binding.workflow_claims"])
    add_binding("workflow-extra-pdf",
        "The workflow token with both PDFs and a third that no claim references: warn document.referenced.",
        "warn", wopts, dict(wf_in, **pdf_files, **{"Tillaeg.pdf": extra}), files=files,
        warn=["document.referenced"], passes=["binding.workflow_document", "binding.workflow_claims"])
    add_binding("workflow-count-mismatch",
        "A workflow token whose documents_signed_number says 3 while it lists two document_N claims: binding.workflow_claims fails.",
        "fail", wopts, dict(wf_in, **pdf_files, **{"workflow_token.jwt": jws(hdr, wf_claims({"documents_signed_number": "3"}), pki.leaf_key).encode()}),
        files=files, fail=["binding.workflow_claims"], passes=["binding.workflow_document", "jws.signature"])

    def status(sigs):
        return {
            "id": WF_ID, "created": iso(T - 3600), "title": WF_TITLE, "organizationTin": ORG_TIN, "expiresAt": iso(T + 14 * 86400),
            "signatures": [
                {"id": sid, "created": iso(t), "serviceProvidedSignerName": nm, "signatureTransactionId": stx,
                 "userClaims": user_claims(nm, uid, t - 20), "ipAddressOfUser": "192.0.2.%d" % (10 + i)}
                for i, (sid, stx, nm, uid, t) in enumerate(sigs)
            ],
        }

    result = {
        "workflowToken": wf_tok,
        "ocspResponse": b64(wf_ocsp),
        "publicSigningCertPem": pem(pki.leaf),
        "workflowResultInfo": {"ocspReponseIncluded": True, "documentCount": 2, "signatureCount": 2},
    }
    add_binding("workflow-result-status",
        "A workflow token result (token, ocspResponse, signing certificate PEM, workflowResultInfo) with an agreeing workflow status and both PDFs: result, signatures and the OCSP response agree.",
        "pass", wopts, dict({"workflow_result.json": pretty_json(result), "workflow_status.json": pretty_json(status(signers))}, **pdf_files),
        files=files, passes=["binding.workflow_result", "binding.workflow_signatures", "binding.workflow_document", "jws.signature", "jws.key_trusted"])
    bad_signers = [signers[0], (signers[1][0], "99999999-9999-4999-8999-999999999999") + signers[1][2:]]
    add_binding("workflow-status-disagrees",
        "A workflow token result with a status whose second signature has another signatureTransactionId: binding.workflow_signatures fails.",
        "fail", wopts, dict({"workflow_result.json": pretty_json(result), "workflow_status.json": pretty_json(status(bad_signers))}, **pdf_files),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_result"])
    create = {
        "title": WF_TITLE,
        "pdfList": [{"title": t, "pdfBase64": b64(b)} for t, b in pdfs.items()],
        "expiresAt": iso(T + 14 * 86400),
        "showStartOverviewPage": True,
    }
    add_binding("workflow-create-request",
        "The workflow token with the create request that carried its titled PDFs: each document_N matches by hash and title.",
        "pass", wopts, dict(wf_in, **{"workflow_create_request.json": pretty_json(create)}), files=files,
        passes=["binding.workflow_document", "binding.workflow_claims", "document.referenced"])

    title_map = dotnet_json({t: sha256(b).hex() for t, b in pdfs.items()})
    assert "\\u0026" in title_map

    def signer_token(stx, wf_id=WF_ID, titles=None, over=None, label=""):
        """A signer's token response: the transaction token and its own OCSP response
        (used for it alone; the workflow token's workflow_token.ocsp serves the other)."""
        tmap = title_map if titles is None else dotnet_json({t: sha256(pdfs[t]).hex() for t in titles})
        tok = jws(hdr, tx_claims("wf-" + stx + ("" if wf_id == WF_ID else " " + wf_id) + ("" if titles is None else " " + ",".join(titles)) + label, dict({
            "transaction_actions": ["mitid.login", "mitid.transaction_signing"],
            "workflow_id": wf_id, "workflow_signature_transaction_id": stx, "workflow_pdf_title_and_sha256": tmap,
        }, **(over or {}))), pki.leaf_key)
        return token_response(tok, ocsp_for_token(pki, tok, f"binding/signer {stx}"))

    add_binding("workflow-signer-token",
        "A signer's token response (its transaction token with workflow_pdf_title_and_sha256 a JSON string, one title with '&', and its own OCSP response) with the workflow token, workflow_token.ocsp and the PDFs: it is one of the workflow's signatures and every title/hash pair matches.",
        "pass", wopts, dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX)}), files=files,
        passes=["binding.workflow_signatures", "binding.workflow_document", "binding.workflow_claims", "document.referenced"])
    add_binding("workflow-signer-not-listed",
        "A transaction token naming a workflow_signature_transaction_id that the workflow token does not list: binding.workflow_signatures fails.",
        "fail", wopts, dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token("77777777-7777-4777-8777-777777777777")}),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_document"])
    add_binding("workflow-signer-signed-subset",
        "A signer's transaction token whose workflow_pdf_title_and_sha256 lists only Lejekontrakt of the workflow's two documents: every signer signs all of the workflow's PDFs (broker.md §4), so binding.workflow_signatures fails.",
        "fail", wopts, dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX, titles=["Lejekontrakt"])}),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_document"])
    add_binding("workflow-signer-other-workflow",
        "A transaction token naming this workflow's first SignatureTransactionId but another workflow_id: it claims a signature of this workflow while saying it belongs to another, so binding.workflow_signatures fails (and warns that its own workflow was not supplied).",
        "fail", wopts, dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX, wf_id="00000000-0000-4000-8000-000000000000")}),
        files=files, fail=["binding.workflow_signatures"], warn=["binding.workflow_signatures"], passes=["binding.workflow_document"])
    # The signer's identity: a signature_N's UserClaims and the token naming its SignatureTransactionId
    # are about one person, and one signature is one signing (one token).
    mallory = {"sub": "33333333-3333-4333-8333-333333333333", "mitid.uuid": "33333333-cccc-4ccc-8ccc-333333333333",
               "mitid.identity_name": "Mallory Malkovich"}
    add_binding("workflow-signer-other-person",
        "A signer's token naming signature_1's SignatureTransactionId, with the workflow's documents, but about another person (its mitid.uuid and mitid.identity_name differ from signature_1's UserClaims idp_identity_id and mitid.identity_name): binding.workflow_signatures fails.",
        "fail", wopts, dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX, over=mallory, label=" mallory")}),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_document", "binding.workflow_claims"])
    # Same name, another MitID UUID: the only identifier to compare is the workflow API's idp_identity_id
    # against the token's mitid.uuid, a pairing broker.md does not state, so a difference warns.
    add_binding("workflow-signer-uuid-differs",
        "A signer's token naming signature_1's SignatureTransactionId, same mitid.identity_name, but a mitid.uuid other than signature_1's UserClaims idp_identity_id: the two are taken to be the same MitID UUID, which the domain notes do not state, so binding.workflow_signatures warns (a wrong assumption must not fail every genuine workflow).",
        "warn", wopts, dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX, over={"mitid.uuid": "33333333-cccc-4ccc-8ccc-333333333333"}, label=" other uuid")}),
        files=files, warn=["binding.workflow_signatures"], passes=["binding.workflow_document", "binding.workflow_claims"])
    add_binding("workflow-signer-two-tokens-one-signature",
        "Two different token responses of the same person, both naming signature_1's SignatureTransactionId (nobody's names signature_2's): one signature is one signing, so binding.workflow_signatures fails for the second token while each alone agrees with signature_1.",
        "fail", wopts, dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX),
                                                  "signer_token_response_2.json": signer_token(SIG1_TX, label=" again")}),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_signatures", "binding.workflow_document"])
    add_binding("workflow-files-swapped",
        "The workflow token with its two PDFs, the Husorden PDF supplied under the file name Lejekontrakt.pdf (the title of document_1) and the Lejekontrakt PDF as kontrakt.pdf: both match by hash, but a file named for one document holding another is worth a look, so binding.workflow_document warns (file names are weak evidence: not a failure).",
        "warn", wopts, dict(wf_in, **{"Lejekontrakt.pdf": pdfs["Husorden & bilag"], "kontrakt.pdf": pdfs["Lejekontrakt"]}), files=files,
        warn=["binding.workflow_document"], passes=["binding.workflow_document", "binding.workflow_claims", "document.referenced"])
    dup_docs_tok = jws(hdr, wf_claims(docs={"Lejekontrakt": pdfs["Lejekontrakt"], "Husorden & bilag": pdfs["Lejekontrakt"]}), pki.leaf_key)
    add_binding("workflow-duplicate-hash",
        "A workflow token whose document_1 and document_2 (different titles) commit to the same SHA-256, with that PDF: one file satisfies both claims, so binding.workflow_claims warns.",
        "warn", wopts, {"workflow_token.jwt": dup_docs_tok.encode(), "workflow_token.ocsp": ocsp_for_token(pki, dup_docs_tok, "binding/workflow-duplicate-hash", nonce=hashlib.sha256(f"workflow {WF_ID}".encode()).digest()[:16]),
                        "kontrakt.pdf": pdfs["Lejekontrakt"]}, files=files,
        warn=["binding.workflow_claims"], passes=["binding.workflow_document", "binding.workflow_claims", "document.referenced"])
    misplaced = pretty_json({"transaction_token": wf_tok, "token_type": "Bearer", "expires_in": 3600, "scope": "openid transaction_token",
                             "transaction_token_ocsp_resp": b64(wf_ocsp)})
    add_binding("workflow-token-as-transaction-token",
        "The workflow token delivered as the transaction_token member of a token endpoint response, with both PDFs: its own token_type (workflow_token_v1) makes it a workflow token, so the workflow checks run on it (documents match, counts agree), and being delivered as a transaction token fails binding.workflow_claims.",
        "fail", wopts, dict({"wf_response.json": misplaced}, **pdf_files), files=files,
        fail=["binding.workflow_claims"], passes=["binding.workflow_document", "binding.workflow_claims", "jws.signature"])
    add_binding("workflow-min-level",
        "The signer's token response with the workflow token and PDFs, checked with --min-level substantial: the workflow token has no level of its own, so each signature_N's UserClaims loa is checked, and the transaction token's acr: jwt.level passes.",
        "pass", dict(wopts, minLevel="substantial"), dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX)}),
        files=files, passes=["jwt.level", "binding.workflow_signatures", "binding.workflow_document"])
    # A workflow bundle holds tokens for two audiences (broker.md §4): the workflow
    # token's aud is the organisation TIN, the signer's transaction token's the client id.
    add_binding("workflow-audience-client-and-tin",
        "The signer's token response with the workflow token and PDFs, checked with two expected audiences (the client id and the organisation TIN, --audience given twice): the workflow token's aud is the TIN, the transaction token's the client id, and each is one of them, so jwt.aud passes for both.",
        "pass", dict(wopts, audience=[CLIENT_ID, ORG_TIN]), dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX)}),
        files=files, passes=["jwt.aud", "binding.workflow_signatures", "binding.workflow_document"])
    add_binding("workflow-audience-client-only",
        "The same workflow bundle checked with the client id alone as expected audience: the signer's transaction token passes jwt.aud, but the workflow token, whose aud is the organisation TIN, fails it (the only failing check).",
        "fail", dict(wopts, audience=CLIENT_ID), dict(wf_in, **pdf_files, **{"signer_token_response.json": signer_token(SIG1_TX)}),
        files=files, fail=["jwt.aud"], passes=["jwt.aud", "binding.workflow_signatures", "binding.workflow_document"])
    dup = status(signers)
    dup["signatures"].append(dict(dup["signatures"][1], id="a1b2c3d4-0003-4000-8000-00000000a003", serviceProvidedSignerName="Mallory"))
    add_binding("workflow-status-duplicate-signature",
        "A workflow status listing a third signature that repeats the second's signatureTransactionId under a new id: three signatures against the token's two, one transaction id twice: binding.workflow_signatures fails.",
        "fail", wopts, dict({"workflow_result.json": pretty_json(result), "workflow_status.json": pretty_json(dup)}, **pdf_files),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_result"])
    no_tx = status(signers)
    no_tx["signatures"].append({k: v for k, v in dict(no_tx["signatures"][1], id="a1b2c3d4-0003-4000-8000-00000000a003").items() if k != "signatureTransactionId"})
    add_binding("workflow-status-signature-without-transaction-id",
        "A workflow status with an extra signature that has no signatureTransactionId: it cannot be matched to the token's signatures, and the counts differ: binding.workflow_signatures fails.",
        "fail", wopts, dict({"workflow_result.json": pretty_json(result), "workflow_status.json": pretty_json(no_tx)}, **pdf_files),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_result"])
    other_id = status([("a1b2c3d4-0009-4000-8000-00000000a009",) + signers[0][1:], signers[1]])
    add_binding("workflow-status-signature-id-differs",
        "A workflow status whose first signature has the token's SignatureTransactionId but another id: binding.workflow_signatures fails.",
        "fail", wopts, dict({"workflow_result.json": pretty_json(result), "workflow_status.json": pretty_json(other_id)}, **pdf_files),
        files=files, fail=["binding.workflow_signatures"], passes=["binding.workflow_result"])


# ---------------------------------------------------------------------------
# chain/ and ocsp/
# ---------------------------------------------------------------------------
#
# One base scenario: a token endpoint response with a transaction token signed by
# the OCES3-like leaf and its good OCSP response (transaction_token_ocsp_resp),
# the leaf's JWKS (x5c: leaf, issuing CA) supplied as evidence, the PDF the token
# names, and the OCES-like root as the only trust (--trust). Each variant changes
# one thing and fails (or is undecided) on its own check id.
#
# Each folder also gets openssl.json, for tests/openssl_agreement.rs: the paths
# (relative to the folder) of the leaf, its issuer, the root OpenSSL is to trust
# (null: none) and the OCSP response DER (null: none), and attime, the token's
# iat in unix seconds.

OCSP_IDS = ["ocsp.format", "ocsp.response_status", "ocsp.cert_id", "ocsp.status", "ocsp.freshness", "ocsp.nonce",
            "ocsp.signature", "ocsp.responder_authorized", "ocsp.responder_validity"]
CHAIN_IDS = CHAIN_PASS
NO_ISSUER = "unable to get local issuer certificate"
BASE_PASS = ["jws.signature", "jws.key", "jws.kid_thumbprint", "jwk.x5c_key_match", "jwk.x5t", "jwt.iat", "jwt.exp",
             "binding.document_sha256", "document.referenced", "input.recognised"]


def gen_chain_ocsp(pki: Pki):
    contract = make_pdf("Købsaftale", ["Købsaftale", "Sælger: Testvirksomheden ApS", "Køber: Test Testesen", "Pris: 1.000 kr."])
    root_pem = pem(pki.oces_root).encode()

    def one(group, nm, about, verdict, *, leaf=None, ca=None, ocsp=None, trust="oces", fail=(), indeterminate=(), warn=(),
            passes=(), no_ocsp=False, chain_error=None, trusted_jwks=False):
        """ocsp: keywords for ocsp_for_token (the deviation and what OpenSSL must say
        about it); chain_error: what `openssl verify` must say about the path (None: OK);
        trusted_jwks: the issuer's key set is given with --jwks (else it is evidence, and
        a chain to the anchor alone does not make its key the issuer's)."""
        leaf = leaf or pki.leaf
        ca = ca or pki.oces_ca
        rel = f"{group}/{nm}"
        anchor = {"oces": pki.oces_root, "other": pki.ts_root, None: None}[trust]
        said = openssl_verify(leaf, ca, anchor, T)
        if said != chain_error:
            raise SystemExit(f"OpenSSL disagrees with the intended certificate path of {rel}: {said or 'OK'} (meant: {chain_error or 'OK'})")
        tok = jws({"alg": "RS256", "kid": thumb(leaf), "typ": "JWT"},
                  tx_claims(rel, {"transaction_text_type": "pdf", "transaction_text_sha256": b64(sha256(contract))}), pki.leaf_key)
        resp = None if no_ocsp else ocsp_for_token(pki, tok, rel, cert=leaf, **(ocsp or {}))
        jwks = jwks_bytes([jwk_of(pki.leaf_key, kid=thumb(leaf), alg="RS256", cert=leaf, chain=[ca])])
        inputs = {"token_response.json": token_response(tok, resp), "koebsaftale.pdf": contract}
        files = {"openssl/leaf.pem": pem(leaf).encode(), "openssl/issuer.pem": pem(ca).encode()}
        options = {"at": AT}
        if trusted_jwks:
            files["keys/transact_jwks.json"] = jwks
            options["jwks"] = ["keys/transact_jwks.json"]
        else:
            inputs["transact_jwks.json"] = jwks
        if trust == "oces":
            files["trust/oces_root.pem"] = root_pem
            options["trust"] = ["trust/oces_root.pem"]
            root = "trust/oces_root.pem"
        elif trust == "other":
            files["trust/token_root.pem"] = pem(pki.ts_root).encode()
            options["trust"] = ["trust/token_root.pem"]
            root = "trust/token_root.pem"
        else:
            root = None
        if resp is not None:
            files["openssl/response.ocsp"] = resp
        files["openssl.json"] = pretty_json({
            "leaf": "openssl/leaf.pem", "issuer": "openssl/issuer.pem", "root": root,
            "ocsp": None if resp is None else "openssl/response.ocsp", "attime": T,
        })
        named = set(fail) | set(indeterminate) | set(warn)
        ocsp_pass = [] if no_ocsp else [i for i in OCSP_IDS if i not in named]
        add(group, nm, about, verdict, options, inputs, files=files, fail=fail, indeterminate=indeterminate, warn=warn,
            passes=[p for p in list(passes) + BASE_PASS + ocsp_pass if p not in named])

    all_chain = CHAIN_IDS + ["jws.key_trusted"]

    # --- ocsp/ --------------------------------------------------------------
    def o(nm, about, verdict, *, fail=(), indeterminate=(), present=OCSP_IDS, **kw):
        """present: the ocsp.* ids the report has (a failure can end the checks early)."""
        one("ocsp", nm, about, verdict, fail=fail, indeterminate=indeterminate, passes=all_chain, trusted_jwks=True, **kw)
        s = SCEN[-1]
        s.passes = [p for p in s.passes if not p.startswith("ocsp.") or p in present]

    o("good", "The base: a transaction token, its good OCSP response from the delegated responder (producedAt 3 s before iat, nonce = signing_cert_ocsp_nonce), the PDF it names and the OCES-like root as anchor: everything passes.",
      "pass")
    one("ocsp", "key-set-in-evidence",
        "The base, but the transaction key set is one of the evidence files instead of --jwks: its certificate chains to the anchor and the OCSP response is good, yet a CA vouches only for whom it issued the certificate to, and anyone holding a certificate under the same anchor could have put a key set and a token in the evidence. Without --env (the pinned signer DN) or the issuer's key set, jws.key_trusted is indeterminate.",
        "indeterminate", indeterminate=["jws.key_trusted"], passes=CHAIN_IDS)
    one("ocsp", "no-anchor", "The base without --trust: the signature and the OCSP response check out, but nothing anchors the leaf's chain, so chain.anchor and jws.key_trusted are indeterminate.",
        "indeterminate", trust=None, indeterminate=["chain.anchor", "jws.key_trusted"], chain_error=NO_ISSUER)
    o("revoked", "The response says the leaf was revoked (keyCompromise) a day before the token's iat: ocsp.status fails.",
      "fail", fail=["ocsp.status"],
      ocsp=dict(status="revoked", revoked_at=T - 86400, reason="key_compromise", expect_status="revoked", expect_reason="keyCompromise"))
    o("revoked-after-iat-key-compromise",
      "The response (thisUpdate 160 s after iat, within the skew) says the leaf was revoked for keyCompromise 60 s after the token's iat: the iat is claimed by whoever held the key, so the revocation is not excused as later than the signature: ocsp.status fails.",
      "fail", fail=["ocsp.status"],
      ocsp=dict(status="revoked", revoked_at=T + 60, reason="key_compromise", produced_at=T + 160, this_update=T + 160,
                expect_status="revoked", expect_reason="keyCompromise"))
    o("revoked-after-iat-superseded",
      "The same, but the reason is superseded (not a key compromise): the signature predates the revocation, so ocsp.status warns.",
      "warn", warn=["ocsp.status"],
      ocsp=dict(status="revoked", revoked_at=T + 60, reason="superseded", produced_at=T + 160, this_update=T + 160,
                expect_status="revoked", expect_reason="superseded"))
    o("revoked-after-iat-invalid-before",
      "The response (thisUpdate 160 s after iat) says the leaf was revoked as superseded 60 s after the token's iat, but its invalidityDate single extension (RFC 5280 §5.3.2, RFC 6960 §4.4.5) says the certificate became invalid an hour before iat: the revocation counts from then, so the certificate did not vouch for the signature and ocsp.status fails (without the invalidityDate it warns: revoked-after-iat-superseded).",
      "fail", fail=["ocsp.status"],
      ocsp=dict(status="revoked", revoked_at=T + 60, reason="superseded", produced_at=T + 160, this_update=T + 160,
                invalidity_date=T - 3600, expect_status="revoked", expect_reason="superseded"))
    o("revoked-after-iat-invalid-after",
      "The same, but the invalidityDate is 30 s after iat, still before the revocation: the certificate was valid when the token was signed, so ocsp.status warns as for revoked-after-iat-superseded.",
      "warn", warn=["ocsp.status"],
      ocsp=dict(status="revoked", revoked_at=T + 60, reason="superseded", produced_at=T + 160, this_update=T + 160,
                invalidity_date=T + 30, expect_status="revoked", expect_reason="superseded"))
    o("revoked-remove-from-crl",
      "The response says revoked with reason removeFromCRL, a reason RFC 5280 §5.3.1 reserves for delta CRL entries that take a certificate off hold: the answer contradicts itself, so ocsp.status is indeterminate (OpenSSL prints it as revoked).",
      "indeterminate", indeterminate=["ocsp.status"],
      ocsp=dict(status="revoked", revoked_at=T - 86400, reason="remove_from_crl", expect_status="revoked", expect_reason="removeFromCRL"))
    o("unknown-critical-single-extension",
      "A good response whose SingleResponse carries a single extension with a private OID marked critical: RFC 6960 §4.4 forbids ignoring it, so the status cannot be relied on and ocsp.status fails (OpenSSL ignores it).",
      "fail", fail=["ocsp.status"], ocsp=dict(critical_single_extension=True))
    o("unknown-critical-extension",
      "A good response carrying a response extension with a private OID marked critical: RFC 6960 §4.4 forbids ignoring it, so ocsp.format fails.",
      "fail", fail=["ocsp.format"], ocsp=dict(critical_extension=True))
    o("unknown", "The responder answers unknown for the leaf: ocsp.status fails.",
      "fail", fail=["ocsp.status"], ocsp=dict(status="unknown", expect_status="unknown"))
    o("other-serial", "The response's only CertID names another serial of the same CA: it is not about the leaf (ocsp.cert_id fails).",
      "fail", fail=["ocsp.cert_id"], present=[i for i in OCSP_IDS if i not in ("ocsp.status", "ocsp.freshness")],
      ocsp=dict(id_serial=0x5A1E_00FF, expect_status=None))
    o("other-issuer", "The CertID has the leaf's serial but the issuer name and key hashes of another CA (udstedende-CA 2): it is about another CA's certificate (ocsp.cert_id fails).",
      "fail", fail=["ocsp.cert_id"], present=[i for i in OCSP_IDS if i not in ("ocsp.status", "ocsp.freshness")],
      ocsp=dict(id_issuer=pki.oces_ca2, expect_status=None, expect_verify=False))
    o("responder-no-ocspsigning", "The response is signed by a certificate the issuing CA issued without the extended key usage id-kp-OCSPSigning: not a designated responder (ocsp.responder_authorized fails).",
      "fail", fail=["ocsp.responder_authorized"],
      ocsp=dict(responder=pki.ocsp_noeku_cert, responder_key=pki.ocsp_noeku_key, expect_verify=False))
    o("responder-unknown-critical-extension", "The response is signed by a delegated responder the issuing CA certified with id-kp-OCSPSigning, but its certificate carries a critical extension no verifier knows: RFC 5280 §4.2 forbids using that certificate, so it may not answer (ocsp.responder_authorized fails).",
      "fail", fail=["ocsp.responder_authorized"],
      ocsp=dict(responder=pki.ocsp_critical_cert, responder_key=pki.ocsp_critical_key, expect_verify=False))
    o("responder-no-digital-signature", "The response is signed by a delegated responder the issuing CA certified with id-kp-OCSPSigning, but whose keyUsage (present, critical) allows keyAgreement only, not digitalSignature: RFC 5280 §4.2.1.3 and RFC 6960 §4.2.2.2 forbid that key to sign OCSP responses, so ocsp.responder_authorized fails.",
      "fail", fail=["ocsp.responder_authorized"],
      ocsp=dict(responder=pki.ocsp_nodigsig_cert, responder_key=pki.ocsp_nodigsig_key))
    o("responder-other-ca", "The response is signed by the delegated responder of another CA (udstedende-CA 2, included with its CA certificate): it may not answer for this leaf (ocsp.responder_authorized fails).",
      "fail", fail=["ocsp.responder_authorized"],
      ocsp=dict(responder=pki.ocsp2_cert, responder_key=pki.ocsp2_key, extra_certs=[pki.oces_ca2], expect_verify=False))
    one("ocsp", "responder-outside-name-constraints",
        f"The issuing CA re-issued (serial 100A) with a critical nameConstraints permitting only the directoryName subtree of the leaf's organisation ('organizationIdentifier=ntrdk-{ORG_CVR}, C=dk'): the leaf lies inside (chain.name_constraints passes), but the CA's delegated responder (O=Sigaudit TEST PKI, C=DK) lies outside, and a delegate's certificate is part of a path from the CA (RFC 6960 §4.2.2.2, RFC 5280 §4.2.1.10): ocsp.responder_authorized fails, as OpenSSL's responder check does.",
        "fail", ca=pki.oces_ca_nc_leaf_only, trusted_jwks=True, fail=["ocsp.responder_authorized"],
        passes=CHAIN_IDS + ["chain.name_constraints", "jws.key_trusted"],
        ocsp=dict(expect_verify=False, verify_issuer=pki.oces_ca_nc_leaf_only))
    o("bad-signature", "One byte of the response's ECDSA signature flipped: ocsp.signature fails.",
      "fail", fail=["ocsp.signature"], present=[i for i in OCSP_IDS if i not in ("ocsp.responder_authorized", "ocsp.responder_validity")],
      ocsp=dict(flip_signature=True, expect_verify=False))
    o("stale", "A response produced four days before the token's iat whose nextUpdate lies a day before it: it does not cover the signing time (ocsp.freshness fails).",
      "fail", fail=["ocsp.freshness"], ocsp=dict(produced_at=T - 4 * 86400, next_update=T - 86400))
    o("this-update-future", "A response whose producedAt and thisUpdate lie an hour after the token's iat (beyond the 300 s skew): it does not speak for the signing time (ocsp.freshness fails).",
      "fail", fail=["ocsp.freshness"], ocsp=dict(produced_at=T + 3600))
    o("nonce-mismatch", "A response whose nonce is not the token's signing_cert_ocsp_nonce: it was not fetched for this signing (ocsp.nonce fails).",
      "fail", fail=["ocsp.nonce"], ocsp=dict(nonce=hashlib.sha256(b"another signing").digest()[:16]))
    o("nonce-missing", "A response without a nonce extension while the token names one: ocsp.nonce fails.",
      "fail", fail=["ocsp.nonce"], ocsp=dict(nonce=None))
    o("malformed-der", "The base response cut short by 40 bytes: not well-formed DER (ocsp.format fails).",
      "fail", fail=["ocsp.format"], present=[], ocsp=dict(truncate=40))
    o("try-later", "An OCSPResponse with responseStatus tryLater and no responseBytes: the responder gave no status (ocsp.response_status fails).",
      "fail", fail=["ocsp.response_status"], present=["ocsp.format"],
      ocsp=dict(response_status="try_later", expect_response_status="trylater"))
    o("missing", "The token response without transaction_token_ocsp_resp, and no other OCSP response: revocation status unknown (ocsp.present indeterminate).",
      "indeterminate", indeterminate=["ocsp.present"], present=[], no_ocsp=True)
    o("by-key-responder-id", "The base response naming its responder byKey (SHA-1 of the responder's public key) instead of byName: everything passes.",
      "pass", ocsp=dict(by_key=True))
    o("ca-signed", "A response signed by the issuing CA itself (RSASSA-PSS, SHA-256, salt 32; the CA certificate in certs): a CA may answer for its own certificates, everything passes.",
      "pass", ocsp=dict(responder=pki.oces_ca, responder_key=pki.oces_ca_key, sign="pss"))

    # --- chain/ -------------------------------------------------------------
    # A certificate path that fails makes the key untrusted: jws.key_trusted fails
    # with it. A path that merely does not reach an anchor leaves it indeterminate.
    def c(nm, about, verdict, *, fail=(), indeterminate=(), **kw):
        key = ["jws.key_trusted"]
        one("chain", nm, about, verdict, fail=list(fail) + (key if fail else []),
            indeterminate=list(indeterminate) + ([] if fail else key),
            passes=[i for i in CHAIN_IDS if i not in fail], **kw)

    c("expired-leaf-at-signing", "A leaf (same key and name, serial 5A1E0002) whose notAfter 2025-03-01 lies before the token's iat: chain.validity fails (expired when it signed).",
      "fail", fail=["chain.validity"], leaf=pki.leaf_expired, chain_error="certificate has expired")
    c("leaf-not-yet-valid", "A leaf (serial 5A1E0003) valid only from 2025-04-01, after the token's iat: chain.validity fails.",
      "fail", fail=["chain.validity"], leaf=pki.leaf_not_yet_valid, chain_error="certificate is not yet valid")
    c("intermediate-not-ca", "The issuing CA re-issued (same name and key) with basicConstraints cA false, keyCertSign kept: it may not issue certificates (chain.basic_constraints fails).",
      "fail", fail=["chain.basic_constraints"], ca=pki.oces_ca_not_ca, chain_error="invalid CA certificate")
    c("unknown-critical-extension", f"A leaf (serial 5A1E0004) with a critical extension no verifier knows ({TEST_CRITICAL_OID}): chain.critical_extension fails (RFC 5280 §4.2).",
      "fail", fail=["chain.critical_extension"], leaf=pki.leaf_critical_ext, chain_error="unhandled critical extension")
    c("pss-parameter-mismatch", "The issuing CA re-issued (serial 1004) with RSASSA-PSS parameters saying salt 20 (the DEFAULT, so no saltLength field) while the root signed it with salt 32: under its own parameters the signature does not verify (chain.signature fails).",
      "fail", fail=["chain.signature"], ca=pki.oces_ca_bad_pss, chain_error="certificate signature failure")
    # Name constraints (RFC 5280 §4.2.1.10) on the issuing CA (re-issued, same name
    # and key): chain.name_constraints is reported only where a CA carries them.
    nc = "chain.name_constraints"
    one("chain", "name-constraints-permitted",
        f"The issuing CA re-issued (serial 1006) with a critical nameConstraints permitting the directoryName subtrees 'organizationIdentifier=ntrdk-{ORG_CVR}, C=dk' (lower case, PrintableString) and 'O=Sigaudit TEST PKI, C=DK': the leaf's subject begins with its organisation's RDNs, equal under RFC 5280 §7.1, so chain.name_constraints passes (and the key set is given with --jwks: everything passes).",
        "pass", ca=pki.oces_ca_nc_permitted, trusted_jwks=True, passes=CHAIN_IDS + [nc, "jws.key_trusted"])
    c("name-constraints-subject-outside",
      "The issuing CA re-issued (serial 1007) permitting only the directoryName subtree 'O=Sigaudit TEST PKI, C=DK' (its own organisation): the leaf's subject (O=SIGNATURGRUPPEN A/S) lies outside it, so chain.name_constraints fails (RFC 5280 §6.1.3(b)).",
      "fail", fail=[nc], ca=pki.oces_ca_nc_pki_only, chain_error="permitted subtree violation")
    c("name-constraints-excluded-email",
      f"The issuing CA re-issued (serial 1008) excluding the rfc822Name subtree 'signaturgruppen.example', and a leaf (serial 5A1E0005) whose subjectAltName holds the mailbox {LEAF_EMAIL}: the name is in the excluded subtree, so chain.name_constraints fails (RFC 5280 §6.1.3(c)).",
      "fail", fail=[nc], ca=pki.oces_ca_nc_excluded_email, leaf=pki.leaf_email, chain_error="excluded subtree violation")
    c("name-constraints-unsupported-form",
      "The issuing CA re-issued (serial 1009) permitting only an otherName subtree (a user principal name, 1.3.6.1.4.1.311.20.2.3), a name form sigaudit does not process, and a leaf (serial 5A1E0006) whose subjectAltName holds such an otherName: RFC 5280 §4.2.1.10 says to process the constraint or reject the certificate, so chain.name_constraints fails.",
      "fail", fail=[nc], ca=pki.oces_ca_nc_upn, leaf=pki.leaf_upn, chain_error="unsupported name constraint type")
    one("chain", "name-constraints-in-leaf",
        "A leaf (serial 5A1E0007) carrying a critical nameConstraints of its own (permitted dNSName signaturgruppen.example), which RFC 5280 §4.2.1.10 allows only in CA certificates: a certificate that issues nothing has nothing to constrain, so the CA issued it outside the profile and chain.name_constraints warns (OpenSSL ignores it; the key set is given with --jwks).",
        "warn", leaf=pki.leaf_own_nc, trusted_jwks=True, warn=[nc], passes=CHAIN_IDS + ["jws.key_trusted"])
    c("no-anchor", "The base without --trust: the chain cannot be judged against an anchor (chain.anchor indeterminate) and the key is not trusted.",
      "indeterminate", indeterminate=["chain.anchor"], trust=None, chain_error=NO_ISSUER)
    c("wrong-anchor", "The base with another root as the only anchor (--trust the token-signing root): the leaf does not chain to it (chain.anchor indeterminate).",
      "indeterminate", indeterminate=["chain.anchor"], trust="other", chain_error=NO_ISSUER)


# ---------------------------------------------------------------------------
# input/
# ---------------------------------------------------------------------------

def gen_input(pki: Pki, jwks_files):
    opts = {"at": AT, "jwks": ["keys/jwks.json"]}
    good = jws({"alg": "RS256", "kid": pki.ts_kid, "typ": "JWT"}, id_claims(), pki.ts_key)
    add("input", "unrecognised-file",
        "A valid id_token next to a text file that is no kind of evidence: the file is named and left unchecked (warn input.recognised).",
        "warn", opts, {"id_token.jwt": good.encode(), "notes.txt": b"Husk at gemme kvitteringen.\n"}, files=jwks_files,
        warn=["input.recognised"], passes=["input.recognised", "jws.signature"])
    add("input", "ciba-pending",
        "A CIBA poll answer {\"error\":\"authorization_pending\"}: no token, so a warning and nothing to verify.",
        "indeterminate", {"at": AT}, {"ciba_poll_response.json": b'{"error":"authorization_pending"}\n'},
        warn=["input.token_error"], indeterminate=["input.nothing_to_verify"])
    resp = pretty_json({"id_token": good, "expires_in": 3600, "token_type": "Bearer"})
    add("input", "malformed-json",
        "A token response cut off in the middle: input.json fails.",
        "fail", opts, {"token_response.json": resp[: len(resp) // 2]}, files=jwks_files, fail=["input.json"])
    dup = ('{\n  "id_token": "%s",\n  "id_token": "%s",\n  "token_type": "Bearer"\n}\n' % (good, good)).encode()
    add("input", "duplicate-member-response",
        "A token response with the member id_token twice: ambiguous JSON, input.json fails.",
        "fail", opts, {"token_response.json": dup}, files=jwks_files, fail=["input.json"])
    spaced = b'{\n  "alg": "RS256",\n  "kid": "%s",\n  "typ": "JWT"\n}' % pki.ts_kid.encode()
    spaced_token = jws(spaced, id_claims(), pki.ts_key, alg="RS256")
    assert not spaced_token.startswith("eyJ")
    add("input", "jwt-header-whitespace",
        "A standalone id_token whose header JSON is written with newlines and spaces (its base64url does not begin eyJ): still recognised as a compact JWS, and it verifies.",
        "pass", opts, {"id_token.jwt": spaced_token.encode()}, files=jwks_files,
        passes=["input.recognised", "jws.signature", "jws.header", "jws.key_trusted"])
    add("input", "empty-file",
        "An empty file alone: not recognised, and nothing to verify.",
        "indeterminate", {"at": AT}, {"empty.json": b""},
        warn=["input.recognised"], indeterminate=["input.nothing_to_verify"])


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def self_test(pki: Pki):
    """Known answers, so a mistake here is not mirrored into the vectors."""
    # at_hash: the oidc-token-hash README's published examples (RS256; EdDSA with Ed25519 = SHA-512,
    # as the OpenID Connect WG decided in connect issue #1125).
    t = "YmJiZTAwYmYtMzgyOC00NzhkLTkyOTItNjJjNDM3MGYzOWIy9sFhvH8K_x8UIHj1osisS57f5DduL-ar_qw5jl3lthwpMjm283aVMQXDmoqqqydDSqJfbhptzw8rUVwkuQbolw"
    assert half_hash("RS256", t) == "x7vk7f6BvQj0jQHYFIk4ag"
    assert half_hash("EdDSA", t) == "EGEAhGYyfuwDaVTifvrWSoD5MSy_5hZPy6I7Vm-7pTQ"
    # The real PP response: the broker's own at_hash over its own access token.
    real = json.loads((REAL / "ciba_token_response.json").read_text())
    claims = json.loads(b64u_dec(real["id_token"].split(".")[1]))
    assert half_hash("RS256", real["access_token"]) == claims["at_hash"]
    # The real PP JWKS: kid = x5t = uppercase hex SHA-1 of the x5c certificate, as our JWKS writes it.
    for k in json.loads((REAL / "pp_jwks_2024.json").read_text())["keys"]:
        assert k["kid"] == k["x5t"] == sha1_hex_upper(base64.b64decode(k["x5c"][0]))
    # Our signatures verify with cryptography's own verifiers.
    data = b"sigaudit self-test"
    for alg, key in [("RS256", pki.ts_key), ("PS384", pki.rsa2048), ("ES384", pki.p384), ("EdDSA", pki.ed25519)]:
        sig = sign_raw(alg, key, data)
        pub = key.public_key()
        if alg.startswith("RS"):
            pub.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
        elif alg.startswith("PS"):
            pub.verify(sig, data, padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48), hashes.SHA384())
        elif alg.startswith("ES"):
            from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
            assert len(sig) == 96
            pub.verify(encode_dss_signature(int.from_bytes(sig[:48], "big"), int.from_bytes(sig[48:], "big")), data, ec.ECDSA(hashes.SHA384()))
        else:
            pub.verify(sig, data)
    # The PKI: each certificate is signed by its issuer (PSS where the OCES3-like chain uses it).
    for child, parent in [(pki.ts_cert, pki.ts_root), (pki.oces_ca, pki.oces_root), (pki.leaf, pki.oces_ca), (pki.ocsp_cert, pki.oces_ca)]:
        child.verify_directly_issued_by(parent)
    for child, parent in [(pki.oces_ca2, pki.oces_root), (pki.ocsp2_cert, pki.oces_ca2), (pki.ocsp_noeku_cert, pki.oces_ca),
                          (pki.leaf_expired, pki.oces_ca), (pki.leaf_not_yet_valid, pki.oces_ca), (pki.leaf_critical_ext, pki.oces_ca),
                          (pki.oces_ca_not_ca, pki.oces_root)]:
        child.verify_directly_issued_by(parent)
    for child, parent in [(pki.oces_ca_nc_permitted, pki.oces_root), (pki.oces_ca_nc_pki_only, pki.oces_root), (pki.oces_ca_nc_leaf_only, pki.oces_root),
                          (pki.oces_ca_nc_excluded_email, pki.oces_root), (pki.oces_ca_nc_upn, pki.oces_root),
                          (pki.leaf_email, pki.oces_ca), (pki.leaf_upn, pki.oces_ca), (pki.leaf_own_nc, pki.oces_ca)]:
        child.verify_directly_issued_by(parent)
    for ca in (pki.oces_ca_nc_permitted, pki.oces_ca_nc_pki_only, pki.oces_ca_nc_leaf_only, pki.oces_ca_nc_excluded_email, pki.oces_ca_nc_upn):
        assert ca.extensions.get_extension_for_class(x509.NameConstraints).critical
    assert pki.oces_ca_not_ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert pki.leaf_critical_ext.extensions.get_extension_for_oid(x509.ObjectIdentifier(TEST_CRITICAL_OID)).critical
    pki.ocsp_noeku_cert.extensions.get_extension_for_class(x509.OCSPNoCheck)
    try:
        pki.ocsp_noeku_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        raise AssertionError("the no-EKU responder has an EKU")
    except x509.ExtensionNotFound:
        pass
    # The bad-PSS CA: its parameters say salt 20, and under them the signature
    # fails; it was made with salt 32 over exactly this TBS (so only the parameters lie).
    from cryptography.exceptions import InvalidSignature
    bad = pki.oces_ca_bad_pss
    try:
        bad.verify_directly_issued_by(pki.oces_root)
        raise AssertionError("the bad-PSS CA verifies under its declared parameters")
    except InvalidSignature:
        pass
    pki.oces_root.public_key().verify(bad.signature, bad.tbs_certificate_bytes, PSS_CERT, hashes.SHA256())
    assert a_cert(bad)["signature_algorithm"].dump() == a_cert(bad)["tbs_certificate"]["signature"].dump() == pss_alg(20).dump()
    assert pki.leaf.signature_algorithm_oid == x509.oid.SignatureAlgorithmOID.RSASSA_PSS
    assert pki.leaf.subject.rfc4514_string().startswith("CN=NEB Transact TEST,2.5.4.5=UI:DK-O:G:")


def main():
    if OPENSSL is None:
        raise SystemExit("gen.py needs the openssl command (3.x) to cross-check the OCSP responses and certificate paths")
    version = run_openssl(["version"], ".").stdout.strip()
    if not version.startswith("OpenSSL 3."):
        raise SystemExit(f"gen.py needs OpenSSL 3.x for its cross-checks (-attime, -no-CAstore), found {version!r}")
    pki = Pki()
    self_test(pki)
    jwks = [
        jwk_of(pki.ts_key, kid=pki.ts_kid, alg="RS256", cert=pki.ts_cert),
        jwk_of(pki.enc_key, kid=pki.enc_kid, use="enc", alg="RSA-OAEP", cert=pki.enc_cert),
        jwk_of(pki.rsa2048, kid="test-rsa-2048"),
        jwk_of(pki.p256, kid="test-ec-p256"),
        jwk_of(pki.p384, kid="test-ec-p384"),
        jwk_of(pki.ed25519, kid="test-ed25519"),
    ]
    jwks_files = {"keys/jwks.json": jwks_bytes(jwks)}
    # Public parts of the PKI, for people and for later generators.
    (PKI / "test_jwks.json").write_bytes(jwks_bytes(jwks))

    gen_real()
    gen_jws(pki, jwks_files)
    gen_algs(pki, jwks_files)
    gen_jwt(pki, jwks_files)
    gen_binding(pki)
    gen_chain_ocsp(pki)
    gen_input(pki, jwks_files)

    names = [s.rel for s in SCEN]
    dups = {n for n in names if names.count(n) > 1}
    assert not dups, f"duplicate scenario names: {dups}"
    previous = OWNED_LIST.read_text().split() if OWNED_LIST.exists() else []
    for rel in sorted(set(previous) | set(names)):
        d = SCENARIOS / rel
        assert d.resolve().is_relative_to(SCENARIOS.resolve()) and rel.count("/") == 1, rel
        if d.exists():
            shutil.rmtree(d)
    for s in SCEN:
        s.write()
    OWNED_LIST.write_text("".join(f"{n}\n" for n in sorted(names)))
    print(f"wrote {len(SCEN)} scenarios under {SCENARIOS.relative_to(TV.parent)}")


if __name__ == "__main__":
    sys.exit(main())
