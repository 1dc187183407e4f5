#!/usr/bin/env python3
"""PAdES / CMS test-vector generator for sigaudit (groups pades/, attacks/, signservice/).

How to run
----------
    pip install -r test-vectors/generate/requirements.txt     # pyHanko, certvalidator, asn1crypto, cryptography
    apt-get install -y qpdf poppler-utils faketime             # qpdf (also makes the xref-stream input), pdfsig,
                                                               # faketime (pins openssl's signingTime)
    python3 test-vectors/generate/gen_pades.py                 # writes the scenarios, then checks every PDF
    python3 test-vectors/generate/gen_pades.py --no-check      # writes only
    python3 test-vectors/generate/gen_pades.py --check-only    # re-checks the committed PDFs (qpdf, pdfsig, pyHanko)
    cargo test --test vectors                                  # the verifier against them
    python3 tests/peer/pyhanko_agree.py                        # pyHanko versus sigaudit on every PDF scenario

It needs no network: every OCSP response, CRL and timestamp is made here, at
fixed times, and pyHanko is given them with fetching disabled.

What it makes
-------------
Scenario folders in the format of ``test-vectors/README.md`` (``input/``,
``options.json`` with ``at`` and ``trust``, ``expected.json``):

- ``pades/``       valid documents: baseline levels B-B .. B-LTA, the legacy
                   adbe.pkcs7.detached subfilter, certification signatures with
                   DocMDP /P 1, 2, 3 and what each allows afterwards, two approval
                   signatures, an ECDSA signer, a BER (indefinite-length) CMS made
                   by ``openssl cms -stream``, an xref-stream document, the broker's
                   sealed workflow PDF (broker.md §4) with its three attachments, a
                   wrong embedded-file checksum, and a seal judged years later;
- ``attacks/``     the published attack classes: USF and SWA (Mladenov et al.,
                   CCS 2019), ISA (same paper), shadow hide / replace /
                   hide-and-replace (Mainka et al., NDSS 2021), plus byte-range and
                   CMS manipulations (digest, signature value, swapped certificate,
                   signing-certificate-v2 naming the signer only second), revocation
                   data in conflict (a revoking CRL or OCSP response beside an older CRL
                   or a good OCSP response: the revocation wins),
                   a page tree swapped in behind a DSS that references it, new
                   fields painting over the price under DocMDP /P 2, FieldMDP
                   locks on a nested field and on a widget without /T, annotations
                   added over, redefined on or removed from a signed page, and
                   changes after a document timestamp;
- ``signservice/`` the sign service's PAdES flow JSON and SEID-SDO flow JSON (broker.md §5).

Valid signatures are made by pyHanko (an independent implementation); where a
test needs bytes pyHanko would never write (broken dictionaries, BER CMS,
wrapped signatures, shadow updates) the PDF objects and incremental updates are
written by hand here, over pyHanko-signed or hand-signed documents.

The test PKI (committed under ``pki/``, TEST ONLY)
--------------------------------------------------
gen.py's OCES3-like chain is reused: ``oces_root`` (the trust anchor of every
scenario here) -> ``oces_issuing_ca`` -> new leaves, and gen.py's delegated OCSP
responder ``ocsp_responder`` (ECDSA P-256, OCSPSigning, nocheck) signs the OCSP
responses. New here (``pades_*``):

- ``pades_seal``: RSA 2048 seal, keyUsage nonRepudiation + digitalSignature,
  valid 2025-01-01 .. 2027-01-01 (two years, like the broker's real seal);
- ``pades_seal_twin``: the same key, issuer and serial as pades_seal but another
  subject (the certificate-substitution case ESS signing-certificate-v2 prevents);
- ``pades_ecdsa``: ECDSA P-256 signer; ``pades_person``: an end user (sign service);
- ``pades_tsa``: RSA 2048 TSA, extKeyUsage timeStamping (critical), valid to 2035.

Revocation data (fixed times, made with asn1crypto + cryptography): an OCSP
response per leaf (thisUpdate 09:55, nextUpdate three days later) and two CRLs,
the root's (covering the issuing CA) and the issuing CA's (covering the leaves).

Times: documents are signed at 2025-03-10T10:00:00Z (``T_SIGN``; pyHanko's
clock and the dummy TSA are frozen there) and judged at 10:05 (``AT``), except
``pades/seal-expired-later`` (2031). Every run writes the same bytes: pyHanko's
random document ids and TSA serials are derived from a seeded hash instead.

Conventions behind expected.json (the ids' descriptions in src/checks.rs, read
literally where they decide; stated once here, and in each ``about``):

- A signature with no revocation data for its chain (no DSS, no
  revocation-info-archival) has ``ltv.revocation`` indeterminate: evidence
  incomplete, as ``ocsp.present`` is for tokens. ``ltv.level`` only reports the
  level reached (pass).
- ENTIRE_FILE and ENTIRE_REVISION coverage pass ``sig.coverage``;
  CONTIGUOUS_BLOCK_FROM_START warns; UNCLEAR fails. A gap that is not exactly this
  signature's /Contents (``sig.contents_gap`` fails) makes the coverage UNCLEAR:
  unsigned bytes other than the signature lie between the ranges (pyHanko agrees).
- When ``sig.byte_range`` fails, what needs the ranges (digest, coverage,
  modification analysis) is skipped, not reported indeterminate.
- After-signing changes (after a signature or a document timestamp alike): LTV
  data, new signatures and form fill are classified and pass ``mod.changes``;
  anything else warns ``mod.changes`` (also bytes after the last revision that no
  xref section indexes), and so does a shown annotation (not a widget) added to
  a page, whatever DocMDP allows, since it is drawn over the signed content; a
  change a certification's DocMDP forbids fails ``mod.docmdp``; a redefined object
  that the signed pages use (content, resources, fonts, XObjects, optional-content
  dictionaries, page tree; extending a page's /Annots is not one), a changed catalog
  /Pages or a different list of pages fails ``mod.shadow``, and so does an
  annotation the signed pages showed whose dictionary or appearance changed or that
  was removed, except under DocMDP /P 3 (which allows it: ``mod.changes`` warns); a
  change of only its /M, /P or /Popup (naming an annotation the page lists; nothing
  drawn or said depends on them, ISO 32000-1 Tables 164, 170) fails nothing: ``mod.changes`` passes and names the keys. Only the DSS and its
  /Certs, /OCSPs, /CRLs and /VRI data count as LTV data. /P 2 allows filling in
  existing fields and signing, not new form fields; a new signature field that holds
  no signature but paints a visible appearance warns ``mod.changes``. FieldMDP locks
  (All / Include / Exclude) match fully qualified field names, widgets and appearances.
- A CMS signing-time warns only in PAdES baseline (ETSI.CAdES.detached)
  signatures, not under adbe.pkcs7.detached.
- A signed PDF is evidence in its own right: it is not a "document" for
  ``document.referenced``.

Ownership
---------
This script owns the scenario folders it writes, listed in ``owned_pades.txt``
next to it (gen.py owns ``owned.txt``; the lists are disjoint). A run deletes the
folders of the previous list and of its own, then writes them again. It imports
gen.py read-only (PKI, JWS and PDF helpers) and adds ``pades_*`` files to ``pki/``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen as G  # noqa: E402  (read-only: PKI, JWS and PDF helpers)

from asn1crypto import cms, core, crl as asn1_crl, keys as asn1_keys, ocsp as asn1_ocsp, x509 as asn1_x509  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: E402
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID  # noqa: E402

SCENARIOS = G.SCENARIOS
PKI = G.PKI
OWNED_LIST = HERE / "owned_pades.txt"
GROUPS = ("pades", "attacks", "signservice")


def utc(*a) -> dt.datetime:
    return G.utc(*a)


def rfc3339(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


T_SIGN = utc(2025, 3, 10, 10, 0, 0)          # every signature and timestamp
T_REV = utc(2025, 3, 10, 9, 55, 0)           # OCSP thisUpdate / producedAt
AT = rfc3339(utc(2025, 3, 10, 10, 5, 0))     # default validation time
AT_LATER = rfc3339(utc(2031, 6, 1, 12, 0, 0))  # years later: the seal certificate has expired
OCSP_URL = "http://ocsp.oces-test.sigaudit.example/ocsp"
CRL_URL_CA = "http://crl.oces-test.sigaudit.example/issuing-ca-1.crl"
CRL_URL_ROOT = "http://crl.oces-test.sigaudit.example/root.crl"


# ---------------------------------------------------------------------------
# Determinism: pyHanko draws document ids, TSA serials and nonces from
# os.urandom and its clock from datetime.now; both are pinned here.
# ---------------------------------------------------------------------------

class _SeededOs(types.ModuleType):
    """Stands in for the os module inside pyHanko: urandom is a seeded hash chain."""

    def __init__(self):
        super().__init__("os")
        self.seed = b"sigaudit"
        self.counter = 0

    def reseed(self, label: str):
        self.seed = hashlib.sha256(label.encode()).digest()
        self.counter = 0

    def urandom(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            self.counter += 1
            out += hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
        return out[:n]

    def __getattr__(self, item):
        return getattr(os, item)


SEEDED_OS = _SeededOs()


class _FrozenDatetime(dt.datetime):
    frozen = T_SIGN

    @classmethod
    def now(cls, tz=None):
        # UTC whatever zone is asked for, so the machine's local zone never shows in a file.
        return cls.frozen


def _pin_pyhanko():
    import pyhanko.pdf_utils.incremental_writer as iw
    import pyhanko.pdf_utils.writer as w
    import pyhanko.sign.signers.pdf_signer as ps
    import pyhanko.sign.timestamps.common_utils as cu
    import pyhanko.pdf_utils.metadata.info as mi
    import pyhanko.pdf_utils.metadata.xmp_xml as mx
    for mod in (iw, w, cu):
        mod.os = SEEDED_OS
    for mod in (ps, mi, mx):
        mod.datetime = _FrozenDatetime


# ---------------------------------------------------------------------------
# Test PKI additions (pki/pades_*), issued by gen.py's OCES3-like issuing CA
# ---------------------------------------------------------------------------

def _aia_cdp(crl_url):
    return [
        (x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(OCSP_URL)),
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                   x509.UniformResourceIdentifier("http://ca.oces-test.sigaudit.example/issuing-ca-1.cer")),
        ]), False),
        (x509.CRLDistributionPoints([
            x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        ]), False),
    ]


class PadesPki:
    def __init__(self):
        g = G.Pki()
        self.g = g
        self.root, self.root_key = g.oces_root, g.oces_root_key
        self.ca, self.ca_key = g.oces_ca, g.oces_ca_key
        self.responder, self.responder_key = g.ocsp_cert, g.ocsp_key
        self.leaf, self.leaf_key = g.leaf, g.leaf_key  # the broker's transaction / workflow signer
        ca_name = g.oces_ca.subject
        org = (NameOID.ORGANIZATION_NAME, "Sigaudit TEST PKI")
        dk = (NameOID.COUNTRY_NAME, "DK")

        self.seal_key = G.load_or_create_key("pades_seal", G.rsa_key(2048))
        seal_ext = [
            (G.ku(digital_signature=True, content_commitment=True), True),
            (G.ski(self.seal_key.public_key()), False),
            (G.aki(self.ca), False),
        ] + _aia_cdp(CRL_URL_CA)
        self.seal = G.issue(
            "pades_seal",
            G.name((NameOID.COMMON_NAME, "Sigaudit TEST Seal"), (NameOID.ORGANIZATION_NAME, "Sigaudit TEST Forsegling A/S"),
                   (NameOID.ORGANIZATION_IDENTIFIER, "NTRDK-12345678"), dk),
            ca_name, self.seal_key.public_key(), self.ca_key, 0x5EA1_0001,
            utc(2025, 1, 1), utc(2027, 1, 1), seal_ext, pss=True,
        )
        # Same key, issuer and serial, another subject: a substitute certificate
        # that only the ESS signing-certificate-v2 hash tells apart (RFC 5035 §1).
        self.seal_twin = G.issue(
            "pades_seal_twin",
            G.name((NameOID.COMMON_NAME, "Sigaudit TEST Seal"), (NameOID.ORGANIZATION_NAME, "Sigaudit TEST Bank A/S"),
                   (NameOID.ORGANIZATION_IDENTIFIER, "NTRDK-87654321"), dk),
            ca_name, self.seal_key.public_key(), self.ca_key, 0x5EA1_0001,
            utc(2025, 1, 1), utc(2027, 1, 1), seal_ext, pss=True,
        )
        self.ecdsa_key = G.load_or_create_key("pades_ecdsa", G.ec_key(ec.SECP256R1()))
        self.ecdsa = G.issue(
            "pades_ecdsa",
            G.name((NameOID.COMMON_NAME, "Sigaudit TEST Signer ECDSA"), org, dk),
            ca_name, self.ecdsa_key.public_key(), self.ca_key, 0x5EA1_0002,
            utc(2025, 1, 1), utc(2028, 1, 1),
            [
                (G.ku(digital_signature=True, content_commitment=True), True),
                (G.ski(self.ecdsa_key.public_key()), False),
                (G.aki(self.ca), False),
            ] + _aia_cdp(CRL_URL_CA),
            pss=True,
        )
        self.person_key = G.load_or_create_key("pades_person", G.rsa_key(2048))
        self.person = G.issue(
            "pades_person",
            G.name((NameOID.COMMON_NAME, "Test Testesen"), (NameOID.SERIAL_NUMBER, "PID:9208-2002-2-123456789012"), dk),
            ca_name, self.person_key.public_key(), self.ca_key, 0x5EA1_0003,
            utc(2025, 1, 1), utc(2028, 1, 1),
            [
                (G.ku(digital_signature=True, content_commitment=True), True),
                (G.ski(self.person_key.public_key()), False),
                (G.aki(self.ca), False),
            ] + _aia_cdp(CRL_URL_CA),
            pss=True,
        )
        self.tsa_key = G.load_or_create_key("pades_tsa", G.rsa_key(2048))
        self.tsa = G.issue(
            "pades_tsa",
            G.name((NameOID.COMMON_NAME, "Sigaudit TEST TSA 1"), org, dk),
            ca_name, self.tsa_key.public_key(), self.ca_key, 0x5EA1_0004,
            utc(2024, 6, 1), utc(2035, 1, 1),
            [
                (G.ku(digital_signature=True), True),
                (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
                (G.ski(self.tsa_key.public_key()), False),
                (G.aki(self.ca), False),
            ] + _aia_cdp(CRL_URL_CA),
            pss=True,
        )
        # The same TSA key in a certificate whose extKeyUsage also lists codeSigning,
        # which RFC 3161 §2.3 forbids (only id-kp-timeStamping).
        self.tsa_multi_eku = G.issue(
            "pades_tsa_multi_eku",
            G.name((NameOID.COMMON_NAME, "Sigaudit TEST TSA 1"), org, dk),
            ca_name, self.tsa_key.public_key(), self.ca_key, 0x5EA1_0014,
            utc(2024, 6, 1), utc(2035, 1, 1),
            [
                (G.ku(digital_signature=True), True),
                (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.CODE_SIGNING]), True),
                (G.ski(self.tsa_key.public_key()), False),
                (G.aki(self.ca), False),
            ] + _aia_cdp(CRL_URL_CA),
            pss=True,
        )
        for c in (self.seal, self.seal_twin, self.ecdsa, self.person, self.tsa):
            c.verify_directly_issued_by(self.ca)
        assert self.seal.serial_number == self.seal_twin.serial_number and self.seal.subject != self.seal_twin.subject

        self.ocsp = {
            "seal": ocsp_response(self.seal, self.ca, self.responder, self.responder_key, T_REV),
            "ecdsa": ocsp_response(self.ecdsa, self.ca, self.responder, self.responder_key, T_REV),
            "tsa": ocsp_response(self.tsa, self.ca, self.responder, self.responder_key, T_REV),
        }
        self.crl_root = make_crl(self.root, self.root_key, utc(2025, 3, 1), utc(2025, 6, 1), 7)
        self.crl_ca = make_crl(self.ca, self.ca_key, utc(2025, 3, 10), utc(2025, 3, 17), 70)

    # asn1crypto views for pyHanko
    @staticmethod
    def a(cert) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(G.der(cert))

    @staticmethod
    def k(key) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def ocsp_response(cert, issuer, responder, responder_key, this_update, status="good", nonce=None, validity=dt.timedelta(days=3),
                  archive_cutoff=None) -> bytes:
    """A BasicOCSPResponse about `cert`, signed by `responder` (ECDSA P-256, deterministic; an
    RSA key signs PKCS #1 v1.5 with SHA-256); archive_cutoff adds that single extension
    (RFC 6960 §4.4.4)."""
    issuer_a = asn1_x509.Certificate.load(G.der(issuer))
    cert_id = asn1_ocsp.CertId({
        "hash_algorithm": {"algorithm": "sha1"},
        "issuer_name_hash": hashlib.sha1(issuer_a.subject.dump()).digest(),
        "issuer_key_hash": hashlib.sha1(issuer_a.public_key["public_key"].contents[1:]).digest(),
        "serial_number": cert.serial_number,
    })
    responder_a = asn1_x509.Certificate.load(G.der(responder))
    single = {
        "cert_id": cert_id,
        "cert_status": asn1_ocsp.CertStatus(name="good", value=core.Null()) if status == "good" else status,
        "this_update": this_update,
        "next_update": this_update + validity,
    }
    if archive_cutoff is not None:
        single["single_extensions"] = [{"extn_id": "archive_cutoff", "critical": False, "extn_value": archive_cutoff}]
    tbs = {
        "version": "v1",
        "responder_id": asn1_ocsp.ResponderId(name="by_key", value=hashlib.sha1(responder_a.public_key["public_key"].contents[1:]).digest()),
        "produced_at": this_update,
        "responses": [single],
    }
    if nonce is not None:
        tbs["response_extensions"] = [{"extn_id": "nonce", "critical": False, "extn_value": core.OctetString(nonce).dump()}]
    tbs = asn1_ocsp.ResponseData(tbs)
    if isinstance(responder_key, rsa.RSAPrivateKey):
        sig = responder_key.sign(tbs.dump(), padding.PKCS1v15(), hashes.SHA256())
        sig_alg = {"algorithm": "sha256_rsa", "parameters": core.Null()}
    else:
        sig = responder_key.sign(tbs.dump(), ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        sig_alg = {"algorithm": "sha256_ecdsa"}
    basic = asn1_ocsp.BasicOCSPResponse({
        "tbs_response_data": tbs,
        "signature_algorithm": sig_alg,
        "signature": sig,
        "certs": [responder_a],
    })
    return asn1_ocsp.OCSPResponse({
        "response_status": "successful",
        "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
    }).dump()


def make_crl(issuer, issuer_key, this_update, next_update, number, revoked=()) -> bytes:
    """A CRL of `issuer`; revoked: (certificate, revocation time, x509.ReasonFlags[, invalidity date]) entries."""
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(G.aki(issuer), critical=False)
    )
    for cert, when, reason, *invalid in revoked:
        e = (x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(when)
             .add_extension(x509.CRLReason(reason), critical=False))
        if invalid:
            e = e.add_extension(x509.InvalidityDate(invalid[0]), critical=False)
        b = b.add_revoked_certificate(e.build())
    return b.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


# ---------------------------------------------------------------------------
# PDFs by hand: objects, classic xref tables, incremental updates
# ---------------------------------------------------------------------------

def pdf_str(s: str) -> bytes:
    """A PDF literal string in PDFDocEncoding/WinAnsi (Latin-1 here)."""
    return b"(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1") + b")"


def stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length " + str(len(body)).encode() + extra + b" >>\nstream\n" + body + b"\nendstream"


def write_objects(out: bytearray, objs: dict[int, bytes]) -> dict[int, int]:
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objs[num] + b"\nendobj\n"
    return offsets


def xref_table(entries: dict[int, tuple[int, int, str]]) -> bytes:
    """Classic xref table from {objnum: (offset or next free, generation, 'n'|'f')}, in subsections."""
    nums = sorted(entries)
    out = bytearray(b"xref\n")
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out += f"{nums[i]} {j - i + 1}\n".encode()
        for n in nums[i:j + 1]:
            off, gen, kind = entries[n]
            out += f"{off:010d} {gen:05d} {kind} \n".encode()
        i = j + 1
    return bytes(out)


def build_pdf(objs: dict[int, bytes], root: int, info: int | None, doc_id: bytes, version=b"1.7") -> bytes:
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = write_objects(out, objs)
    size = max(objs) + 1
    entries = {0: (0, 65535, "f")}
    for n in range(1, size):
        entries[n] = (offsets[n], 0, "n") if n in offsets else (0, 1, "f")
    xref = len(out)
    out += xref_table(entries)
    tr = f"trailer\n<< /Size {size} /Root {root} 0 R".encode()
    if info:
        tr += f" /Info {info} 0 R".encode()
    tr += b" /ID [<" + doc_id.hex().encode() + b"> <" + doc_id.hex().encode() + b">] >>\n"
    out += tr + f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def last_startxref(pdf: bytes) -> int:
    return int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])


def trailer_of(pdf: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader
    r = PdfFileReader(io.BytesIO(pdf), strict=False)
    return r.trailer, r


def append_update(pdf: bytes, objs: dict[int, bytes], *, free=(), xref_entries=None, root=None, xref=True,
                  separator=b"") -> bytes:
    """Appends an incremental update (ISO 32000-1 §7.5.6): the objects, then (xref=True) a
    classic xref section with /Prev, a trailer and %%EOF. xref_entries adds entries
    pointing at existing offsets ({num: offset}) without writing objects; free marks
    object numbers free. xref=False appends only the object bodies (no xref, no trailer)."""
    trailer, _ = trailer_of(pdf)
    prev = last_startxref(pdf)
    out = bytearray(pdf)
    if not out.endswith(b"\n"):
        out += b"\n"
    out += separator
    offsets = write_objects(out, objs)
    if not xref:
        return bytes(out)
    entries = {n: (o, 0, "n") for n, o in offsets.items()}
    for n, o in (xref_entries or {}).items():
        entries[n] = (o, 0, "n")
    for n in free:
        entries[n] = (0, 1, "f")
    size = max([int(trailer["/Size"])] + [n + 1 for n in entries])
    start = len(out)
    out += xref_table(entries)
    root_ref = root if root is not None else trailer.raw_get("/Root").idnum
    tr = f"trailer\n<< /Size {size} /Root {root_ref} 0 R /Prev {prev}".encode()
    if "/Info" in trailer:
        tr += f" /Info {trailer.raw_get('/Info').idnum} 0 R".encode()
    if "/ID" in trailer:
        id0, id1 = trailer["/ID"]
        new1 = hashlib.md5(bytes(out)).digest()
        tr += b" /ID [<" + bytes(id0.original_bytes if hasattr(id0, "original_bytes") else id0).hex().encode() + b"> <" + new1.hex().encode() + b">]"
    out += tr + f" >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


# --- the test documents ------------------------------------------------------

CONTRACT_LINES = ["Købsaftale", "Sælger: Testvirksomheden ApS", "Køber: Test Testesen", "Bil: AB 12 345", "Pris: 1.000 kr."]


def text_content(lines, x=72, y=760, size=14, font=b"/F1") -> bytes:
    body = b"BT " + font + b" " + str(size).encode() + b" Tf " + f"{x} {y} Td {size + 4} TL\n".encode()
    for l in lines:
        body += pdf_str(l) + b" '\n"
    return body + b"ET\n"


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def md5(b):
    return hashlib.md5(b).digest()


def filespec(num_ef: int, name: str, desc: str) -> bytes:
    return (b"<< /Type /Filespec /F " + pdf_str(name) + b" /UF " + pdf_str(name) + b" /Desc " + pdf_str(desc)
            + b" /AFRelationship /Supplement /EF << /F " + f"{num_ef} 0 R".encode() + b" /UF " + f"{num_ef} 0 R".encode() + b" >> >>")


def embedded_file(data: bytes, subtype: str, checksum: bytes | None = None) -> bytes:
    ck = checksum if checksum is not None else md5(data)
    extra = (b" /Type /EmbeddedFile /Subtype /" + subtype.replace("/", "#2F").encode()
             + b" /Params << /Size " + str(len(data)).encode() + b" /CheckSum <" + ck.hex().encode() + b">"
             + b" /ModDate (D:20250310094500Z) >>")
    return stream(data, extra)


def contract_pdf(label: str, *, lines=None, pages=1, form=False, sig_fields=(), overlay=False, xobject=False,
                 shadow_content=None, attachments=(), title="Købsaftale") -> bytes:
    """The standard test document: one page of text in Helvetica (objects 1-6), plus:
    form: an AcroForm with a text field 'Navn' (widget 10, appearance 11) and the
      empty signature fields in sig_fields (objects 12..);
    overlay: a form XObject /Ov (obj 20) drawn over the price, hidden by an OCMD (obj 21)
      with /P /AllOff over an OCG (obj 22) that is ON (shadow hide);
    xobject: a form XObject /Logo (obj 23) drawn on the page (shadow replace);
    shadow_content: a second, unused definition of object 5 earlier in the file
      (shadow hide-and-replace); the xref points at the later, benign one;
    attachments: [(name, data, mime, checksum_override or None)] -> /EmbeddedFiles + /AF."""
    lines = lines or CONTRACT_LINES
    objs: dict[int, bytes] = {}
    page_nums = [3] + [30 + i for i in range(pages - 1)]
    content = text_content(lines)
    res = b"/Font << /F1 4 0 R >>"
    xobjs = []
    if overlay:
        content += b"/OC /oc1 BDC q 1 0 0 1 0 0 cm /Ov Do Q EMC\n"
        xobjs.append(b"/Ov 20 0 R")
        res += b" /Properties << /oc1 21 0 R >>"
        ov = b"q 1 1 1 rg 70 664 200 20 re f Q BT /F1 14 Tf 72 670 Td (Pris: 9.000 kr.) Tj ET\n"
        objs[20] = stream(ov, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>")
        objs[21] = b"<< /Type /OCMD /OCGs [22 0 R] /P /AllOff >>"
        objs[22] = b"<< /Type /OCG /Name (Tillaeg) >>"
    if xobject:
        content += b"q 1 0 0 1 400 740 cm /Logo Do Q\n"
        xobjs.append(b"/Logo 23 0 R")
        logo = b"0 0.3 0.6 rg 0 0 120 40 re f BT 1 1 1 rg /F1 12 Tf 8 14 Td (TESTBANKEN) Tj ET\n"
        objs[23] = stream(logo, b" /Type /XObject /Subtype /Form /BBox [0 0 120 40] /Resources << /Font << /F1 4 0 R >> >>")
    if xobjs:
        res += b" /XObject << " + b" ".join(xobjs) + b" >>"
    annots = []
    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    if overlay:
        catalog += b" /OCProperties << /OCGs [22 0 R] /D << /ON [22 0 R] /Order [22 0 R] >> >>"
    if form:
        ap = b"/Tx BMC EMC"
        objs[10] = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Navn) /V () /DA (/Helv 12 Tf 0 g) /F 4"
                    b" /Rect [72 600 300 620] /P 3 0 R /AP << /N 11 0 R >> >>")
        objs[11] = stream(ap, b" /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv 4 0 R >> >>")
        annots.append(b"10 0 R")
        fields = [b"10 0 R"]
        for i, fname in enumerate(sig_fields):
            n = 12 + i
            objs[n] = (b"<< /Type /Annot /Subtype /Widget /FT /Sig /T " + pdf_str(fname)
                       + b" /F 132 /Rect [0 0 0 0] /P 3 0 R >>")
            annots.append(f"{n} 0 R".encode())
            fields.append(f"{n} 0 R".encode())
        objs[9] = b"<< /Fields [" + b" ".join(fields) + b"] /DA (/Helv 12 Tf 0 g) /DR << /Font << /Helv 4 0 R >> >> >>"
        catalog += b" /AcroForm 9 0 R"
    if attachments:
        names = []
        afs = []
        n = 40
        for name, data, mime, ck in sorted(attachments, key=lambda a: a[0]):
            objs[n] = embedded_file(data, mime, ck)
            objs[n + 1] = filespec(n, name, name)
            names.append(pdf_str(name) + f" {n + 1} 0 R".encode())
            afs.append(f"{n + 1} 0 R".encode())
            n += 2
        catalog += b" /Names << /EmbeddedFiles << /Names [" + b" ".join(names) + b"] >> >> /AF [" + b" ".join(afs) + b"]"
    objs[1] = catalog + b" >>"
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(f"{p} 0 R".encode() for p in page_nums) + f"] /Count {pages} >>".encode()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << " + res + b" >> /Contents 5 0 R"
    if annots:
        page += b" /Annots [" + b" ".join(annots) + b"]"
    objs[3] = page + b" >>"
    objs[4] = HELVETICA
    objs[5] = stream(content)
    objs[6] = (b"<< /Title " + pdf_str(title) + b" /Producer (sigaudit test-vector generator) /CreationDate (D:20250301120000Z) >>")
    for i in range(pages - 1):
        objs[30 + i] = f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents {50 + i} 0 R >>".encode()
        objs[50 + i] = stream(text_content([f"Side {i + 2}", "Bilag til købsaftalen."]))
    doc_id = hashlib.md5(("sigaudit " + label).encode()).digest()
    pdf = build_pdf(objs, 1, 6, doc_id)
    if shadow_content is not None:
        # Insert a second "5 0 obj" (the shadow) before the real one: the xref keeps
        # pointing at the benign definition, which comes later in the file.
        evil = b"5 0 obj\n" + stream(text_content(shadow_content)) + b"\nendobj\n"
        objs_b = dict(objs)
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        shadow_at = len(out)
        out += evil
        offsets = write_objects(out, objs_b)
        size = max(objs_b) + 1
        entries = {0: (0, 65535, "f")}
        for n in range(1, size):
            entries[n] = (offsets[n], 0, "n") if n in offsets else (0, 1, "f")
        xref = len(out)
        out += xref_table(entries)
        out += (f"trailer\n<< /Size {size} /Root 1 0 R /Info 6 0 R /ID [<{doc_id.hex()}> <{doc_id.hex()}>] >>\n"
                f"startxref\n{xref}\n%%EOF\n").encode()
        pdf = bytes(out)
        SHADOW_OFFSETS[label] = shadow_at
    return pdf


SHADOW_OFFSETS: dict[str, int] = {}


# ---------------------------------------------------------------------------
# Signing with pyHanko
# ---------------------------------------------------------------------------

def _pyhanko_classes():
    from pyhanko.sign import signers
    from pyhanko.sign.attributes import (AdobeRevinfoProvider, SignedAttributeProviderSpec, SigningCertificateV2Provider,
                                         SigningTimeProvider)
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    class DetSigner(signers.SimpleSigner):
        """SimpleSigner with deterministic ECDSA (RFC 6979), so re-runs write the same bytes."""

        def sign_raw(self, data, digest_algorithm):
            priv = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            if isinstance(priv, ec.EllipticCurvePrivateKey):
                h = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[digest_algorithm]
                return priv.sign(data, ec.ECDSA(h, deterministic_signing=True))
            return super().sign_raw(data, digest_algorithm)

    class ProfileAttrs(SignedAttributeProviderSpec):
        """Signed attributes beyond content-type and message-digest (which pyHanko always
        writes): signing-certificate-v2, and optionally Adobe's revocation-info-archival
        (the broker seal's profile) and a CMS signing-time (legacy adbe.pkcs7.detached)."""

        def __init__(self, cert, revinfo=None, signing_time=None):
            self.cert, self.revinfo, self.signing_time = cert, revinfo, signing_time

        def signed_attr_providers(self, data_digest, digest_algorithm):
            yield SigningCertificateV2Provider(signing_cert=self.cert)
            if self.signing_time is not None:
                yield SigningTimeProvider(timestamp=self.signing_time)
            if self.revinfo is not None:
                yield AdobeRevinfoProvider(value=self.revinfo)

    class FixedTsa(DummyTimeStamper):
        """pyHanko's dummy TSA at a fixed time, with a serial derived from the request."""

        def _build_tst_info(self, message_imprint, dt_, req):
            info = super()._build_tst_info(message_imprint, dt_, req)
            info["serial_number"] = int.from_bytes(hashlib.sha256(message_imprint.dump()).digest()[:8], "big") >> 1
            return info

    return DetSigner, ProfileAttrs, FixedTsa


class Signing:
    """The signing tools for one PKI: signers, timestamper, revocation data, validation context."""

    def __init__(self, pki: PadesPki):
        _pin_pyhanko()
        from pyhanko_certvalidator import ValidationContext
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        from asn1crypto import pdf as asn1_pdf
        self.pki = pki
        self.DetSigner, self.ProfileAttrs, self.FixedTsa = _pyhanko_classes()
        a = PadesPki.a
        self.store = SimpleCertificateStore.from_certs([a(pki.ca)])
        self.tsa = self.FixedTsa(tsa_cert=a(pki.tsa), tsa_key=PadesPki.k(pki.tsa_key),
                                 certs_to_embed=SimpleCertificateStore.from_certs([a(pki.ca)]),
                                 fixed_dt=T_SIGN, include_nonce=False)
        self.ValidationContext = ValidationContext
        self.asn1_pdf = asn1_pdf

    def revinfo(self, who="seal"):
        """revocation-info-archival: the leaf's OCSP response and both CRLs (the chain at signing)."""
        p = self.pki
        return self.asn1_pdf.RevocationInfoArchival({
            "crl": [asn1_crl.CertificateList.load(p.crl_root), asn1_crl.CertificateList.load(p.crl_ca)],
            "ocsp": [asn1_ocsp.OCSPResponse.load(p.ocsp[who])],
        })

    def vc(self, moment=T_SIGN):
        p = self.pki
        a = PadesPki.a
        return self.ValidationContext(
            trust_roots=[a(p.root)], other_certs=[a(p.ca), a(p.responder)],
            crls=[p.crl_root, p.crl_ca], ocsps=list(p.ocsp.values()),
            allow_fetching=False, moment=moment, revocation_mode="hard-fail",
        )

    def signer(self, who="seal", *, revinfo=False, signing_time=False, cert=None):
        p = self.pki
        cert_, key = {"seal": (p.seal, p.seal_key), "ecdsa": (p.ecdsa, p.ecdsa_key), "person": (p.person, p.person_key)}[who]
        cert_ = cert or cert_
        s = self.DetSigner(signing_cert=PadesPki.a(cert_), signing_key=PadesPki.k(key), cert_registry=self.store, embed_roots=False)
        s.signed_attr_prov_spec = self.ProfileAttrs(
            PadesPki.a(cert_), revinfo=self.revinfo(who) if revinfo else None, signing_time=T_SIGN if signing_time else None
        )
        return s

    def sign(self, pdf: bytes, label: str, *, who="seal", field="Signatur1", legacy=False, certify=None, tsa=True,
             revinfo=True, dss=False, lta=False, name=None, reason="Forseglet af Sigaudit TEST", location="København",
             signing_time=False, signer=None, when=T_SIGN, lock=None) -> bytes:
        """Signs `pdf` incrementally. certify: None (approval) or DocMDP /P 1, 2, 3.
        legacy: adbe.pkcs7.detached instead of ETSI.CAdES.detached. dss/lta: B-LT / B-LTA.
        lock: (action, field names) with action "include", "exclude" or "all": the new
        signature field gets a FieldMDP /Lock (ISO 32000-1 §12.7.4.5, §12.8.2.4)."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
        from pyhanko.sign.signers.pdf_signer import DSSContentSettings
        SEEDED_OS.reseed(label)
        _FrozenDatetime.frozen = when
        w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        if lock is not None:
            from pyhanko.sign import fields as pf
            action, names = lock
            spec = pf.FieldMDPSpec(getattr(pf.FieldMDPAction, action.upper()), fields=names)
            pf.append_signature_field(w, pf.SigFieldSpec(field, box=(0, 0, 0, 0), field_mdp_spec=spec))
        meta = signers.PdfSignatureMetadata(
            field_name=field,
            subfilter=SigSeedSubFilter.ADOBE_PKCS7_DETACHED if legacy else SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason, location=location, name=name,
            certify=certify is not None,
            docmdp_permissions={None: MDPPerm.FILL_FORMS, 1: MDPPerm.NO_CHANGES, 2: MDPPerm.FILL_FORMS, 3: MDPPerm.ANNOTATE}[certify],
            embed_validation_info=dss, use_pades_lta=lta,
            validation_context=self.vc() if dss else None,
            dss_settings=DSSContentSettings(include_vri=True),
            signer_key_usage={"non_repudiation"} if who != "ecdsa" else {"digital_signature"},
            timestamp_field_name="Tidsstempel1" if lta else None,
        )
        s = signer or self.signer(who, revinfo=revinfo, signing_time=signing_time)
        pdf_signer = signers.PdfSigner(meta, s, timestamper=self.tsa if tsa else None)
        out = io.BytesIO()
        pdf_signer.sign_pdf(w, output=out)
        return out.getvalue()


# ---------------------------------------------------------------------------
# Reading and editing signed PDFs
# ---------------------------------------------------------------------------

SIG_RE = re.compile(rb"/Contents\s*<([0-9A-Fa-f]*)>\s*/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


class SigSpot:
    """Where one pyHanko-written signature sits: /Contents <...> then /ByteRange [0 a b c]."""

    def __init__(self, pdf: bytes, index: int):
        m = list(SIG_RE.finditer(pdf))[index]
        self.m = m
        self.hex_start = m.start(1)            # first hex digit
        self.hex_end = m.end(1)                # the '>'
        self.a, self.b, self.c = int(m.group(3)), int(m.group(4)), int(m.group(5))
        assert pdf[self.a:self.a + 1] == b"<" and pdf[self.b - 1:self.b] == b">", "gap is the hex string"
        self.contents = bytes.fromhex(m.group(1).decode())
        # The array and the blanks pyHanko leaves after it (room for edits of the same length).
        br_start = pdf.index(b"/ByteRange", m.end(1))
        end = m.end()
        while pdf[end:end + 1] == b" ":
            end += 1
        self.br_start, self.br_end = br_start, end

    def cms_der(self) -> bytes:
        """The CMS without the zero padding (its outer DER length tells where it ends)."""
        c = self.contents
        assert c[0] == 0x30
        if c[1] & 0x80:
            n = c[1] & 0x7F
            ln = int.from_bytes(c[2:2 + n], "big")
            return c[:2 + n + ln]
        return c[:2 + c[1]]


def replace_same_len(pdf: bytes, start: int, end: int, new: bytes) -> bytes:
    assert len(new) <= end - start, (len(new), end - start)
    return pdf[:start] + new + b" " * (end - start - len(new)) + pdf[end:]


def set_contents(pdf: bytes, spot: SigSpot, cms_bytes: bytes) -> bytes:
    """Writes a new CMS into the reserved /Contents, zero-padded to the same length."""
    hexlen = spot.hex_end - spot.hex_start
    h = cms_bytes.hex().upper().encode()
    assert len(h) <= hexlen, "the new CMS does not fit"
    return pdf[:spot.hex_start] + h + b"0" * (hexlen - len(h)) + pdf[spot.hex_end:]


def change_once(pdf: bytes, old: bytes, new: bytes) -> bytes:
    assert pdf.count(old) == 1, (old, pdf.count(old))
    assert len(old) == len(new)
    return pdf.replace(old, new)


def obj_body(pdf: bytes, num: int) -> bytes:
    """The body of the last definition of object `num` in the file."""
    bodies = re.findall(rb"(?:^|\n)" + str(num).encode() + rb" 0 obj\s*(.*?)\s*endobj", pdf, re.S)
    return bodies[-1]


def dict_add(body: bytes, entries: bytes) -> bytes:
    """Adds entries to a dictionary body, before its last '>>'."""
    i = body.rstrip().rindex(b">>")
    return body[:i] + b" " + entries + b" " + body[i:]


# ---------------------------------------------------------------------------
# Signing by hand (reserved /Contents, our own ByteRange), and hand-written DSS
# ---------------------------------------------------------------------------

def hand_sign(pdf: bytes, cms_fn, *, subfilter=b"/ETSI.CAdES.detached", reserve=8192, field="Signatur1",
              contents_literal: bytes | None = None, sig_num=None, name="Sigaudit TEST Seal") -> bytes:
    """Adds an approval signature as an incremental update written here: a field widget,
    the signature dictionary (/ByteRange before /Contents, as Acrobat writes it), the
    page's /Annots and the catalog's /AcroForm. cms_fn(signed_bytes) returns the CMS.
    contents_literal replaces the hex string (and the gap becomes exactly it)."""
    trailer, _ = trailer_of(pdf)
    size = int(trailer["/Size"])
    s = sig_num or size
    f = s + 1
    catalog = dict_add(obj_body(pdf, 1), f"/AcroForm << /Fields [{f} 0 R] /SigFlags 3 >>".encode())
    page = dict_add(obj_body(pdf, 3), f"/Annots [{f} 0 R]".encode())
    widget = (b"<< /Type /Annot /Subtype /Widget /FT /Sig /T " + pdf_str(field)
              + f" /V {s} 0 R /F 132 /Rect [0 0 0 0] /P 3 0 R >>".encode())
    placeholder_br = b"/ByteRange [0 0000000000 0000000000 0000000000]"
    contents = contents_literal if contents_literal is not None else b"<" + b"0" * (2 * reserve) + b">"
    sig = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter " + subfilter + b" " + placeholder_br
           + b" /Contents " + contents
           + b" /M (D:20250310100000Z) /Name " + pdf_str(name) + b" /Reason (Forseglet af Sigaudit TEST) >>")
    out = append_update(pdf, {1: catalog, 3: page, s: sig, f: widget})
    a = out.index(b"/Contents " + contents) + len(b"/Contents ")
    b = a + len(contents)
    c = len(out) - b
    br = f"/ByteRange [0 {a} {b} {c}]".encode()
    br = br + b" " * (len(placeholder_br) - len(br))
    i = out.index(placeholder_br)
    out = out[:i] + br + out[i + len(placeholder_br):]
    if contents_literal is not None:
        return out
    der_ = cms_fn(out[:a] + out[b:])
    h = der_.hex().upper().encode()
    assert len(h) <= 2 * reserve
    return out[:a + 1] + h + b"0" * (2 * reserve - len(h)) + out[b - 1:]


def openssl_cms(data: bytes, cert, key, *, chain=(), cades=True) -> bytes:
    """`openssl cms -sign -binary -stream -outform DER` (BER, indefinite lengths), detached,
    run under faketime at T_SIGN so its signingTime attribute is fixed."""
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        (d / "in").write_bytes(data)
        (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
        cmd = ["openssl", "cms", "-sign", "-binary", "-stream", "-outform", "DER", "-md", "sha256", "-nosmimecap",
               "-in", str(d / "in"), "-signer", str(d / "cert.pem"), "-inkey", str(d / "key.pem"), "-out", str(d / "out")]
        if cades:
            cmd.append("-cades")
        if chain:
            (d / "chain.pem").write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
            cmd += ["-certfile", str(d / "chain.pem")]
        if shutil.which("faketime"):
            cmd = ["faketime", "-f", "2025-03-10 10:00:00"] + cmd
        else:
            print("warning: faketime is missing, openssl's signingTime is the wall clock (apt-get install faketime)")
        subprocess.run(cmd, check=True, env=dict(os.environ, TZ="UTC"))
        out = (d / "out").read_bytes()
    assert out.startswith(bytes.fromhex("308006092a864886f70d010702a080")), "BER indefinite-length SignedData"
    return ber_detach(out, data)


def ber_tlv_end(b: bytes, i: int) -> tuple[int, int, int]:
    """(tag, content start, end) of the BER element at i; indefinite lengths run to their EOC."""
    tag = b[i]
    j = i + 1
    if tag & 0x1F == 0x1F:
        while b[j] & 0x80:
            j += 1
        j += 1
    ln = b[j]
    j += 1
    if ln == 0x80:
        k = j
        while b[k:k + 2] != b"\0\0":
            k = ber_tlv_end(b, k)[2]
        return tag, j, k + 2
    if ln & 0x80:
        n = ln & 0x7F
        ln = int.from_bytes(b[j:j + n], "big")
        j += n
    return tag, j, j + ln


def ber_detach(ber: bytes, content: bytes) -> bytes:
    """openssl cms -stream -outform DER writes the content into eContent even without
    -nodetach. A PDF signature (and a sign-service signature over a document hash) is
    detached, so the [0] eContent element is cut out of the EncapsulatedContentInfo;
    its ancestors all have indefinite lengths, so no length changes. The signature
    (over the signed attributes) is untouched."""
    _, ci, _ = ber_tlv_end(ber, 0)               # ContentInfo
    _, oid_c, oid_e = ber_tlv_end(ber, ci)        # contentType
    _, sd0, _ = ber_tlv_end(ber, oid_e)           # [0]
    _, sd, _ = ber_tlv_end(ber, sd0)              # SignedData
    _, _, v_e = ber_tlv_end(ber, sd)              # version
    _, _, da_e = ber_tlv_end(ber, v_e)            # digestAlgorithms
    tag, eci, eci_end = ber_tlv_end(ber, da_e)    # encapContentInfo
    _, _, ect_e = ber_tlv_end(ber, eci)           # eContentType
    if ber[ect_e:ect_e + 2] == b"\0\0":
        return ber                                # already detached
    tag0, _, e0_end = ber_tlv_end(ber, ect_e)
    assert tag0 == 0xA0
    inner = ber[ect_e:e0_end]
    assert content in inner or len(content) > 4096, "eContent holds the signed bytes"
    return ber[:ect_e] + ber[e0_end:]


def add_dss(pdf: bytes, contents_list: list[bytes], certs, ocsps: list[bytes], crls: list[bytes]) -> bytes:
    """A DSS written by hand (ETSI EN 319 142-1 §5.4): /Certs, /OCSPs, /CRLs streams and a /VRI
    entry per signature keyed by the uppercase hex SHA-1 of its /Contents bytes."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    objs = {}
    refs = {"c": [], "o": [], "r": []}
    for kind, items in (("c", [G.der(c) for c in certs]), ("o", ocsps), ("r", crls)):
        for data in items:
            objs[n] = stream(data)
            refs[kind].append(f"{n} 0 R".encode())
            n += 1
    arr = {k: b"[" + b" ".join(v) + b"]" for k, v in refs.items()}
    vri = b" ".join(
        b"/" + hashlib.sha1(c).hexdigest().upper().encode()
        + b" << /Type /VRI /Cert " + arr["c"] + b" /OCSP " + arr["o"] + b" /CRL " + arr["r"] + b" >>"
        for c in contents_list
    )
    objs[n] = b"<< /Type /DSS /Certs " + arr["c"] + b" /OCSPs " + arr["o"] + b" /CRLs " + arr["r"] + b" /VRI << " + vri + b" >> >>"
    objs[1] = dict_add(obj_body(pdf, 1), f"/DSS {n} 0 R".encode())
    return append_update(pdf, objs)


def fill_field_update(pdf: bytes, value: str) -> bytes:
    """Form fill as a viewer does it: the text field (widget 10) gets /V and a new appearance."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    ap = b"/Tx BMC q BT /Helv 12 Tf 0 g 2 5 Td " + pdf_str(value) + b" Tj ET Q EMC"
    widget = obj_body(pdf, 10)
    widget = re.sub(rb"/V \([^)]*\)", lambda m: b"/V " + pdf_str(value), widget)
    widget = widget.replace(b"/AP << /N 11 0 R >>", f"/AP << /N {n} 0 R >>".encode())
    return append_update(pdf, {10: widget, n: stream(ap, b" /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv 4 0 R >> >>")})


def with_annot(page: bytes, num: int) -> bytes:
    """A page dictionary whose /Annots (direct array) also lists object `num`."""
    m = re.search(rb"/Annots\s*\[([^\]]*)\]", page)
    if m:
        return page[:m.start()] + b"/Annots [" + m.group(1).strip() + f" {num} 0 R]".encode() + page[m.end():]
    return dict_add(page, f"/Annots [{num} 0 R]".encode())


# The sticky note (ISO 32000-1 §12.5.6.4) that the annotation updates add after signing.
LATER_NOTE = (b"<< /Type /Annot /Subtype /Text /Rect [450 600 470 620] /Contents " + pdf_str("Set og godkendt, AA")
              + b" /T (Anna Andersen) /M (D:20250311090000Z) /F 4 /P 3 0 R /Name /Comment >>")


def array_entries(pdf: bytes, arr: int) -> bytes:
    """The body of array object `arr` without its closing bracket, to append entries to."""
    body = obj_body(pdf, arr).rstrip()
    assert body.startswith(b"[") and body.endswith(b"]"), body
    return body[:-1].rstrip()


def annotation_update(pdf: bytes) -> bytes:
    """A sticky note on page 1: a new /Text annotation and the page's /Annots."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    return append_update(pdf, {3: with_annot(obj_body(pdf, 3), n), n: LATER_NOTE})


# An appearance (form XObject) that paints a white box and 'Pris: 9.000 kr.' in 200 x 20 points.
SQUARE_OVERLAY_AP = stream(b"q 1 1 1 rg 0 0 200 20 re f Q BT 0 g /F1 14 Tf 2 6 Td (Pris: 9.000 kr.) Tj ET\n",
                           b" /Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 4 0 R >> >>")


def annotation_overlay_update(pdf: bytes) -> bytes:
    """A new /Square annotation on page 1 exactly over the price line ([70 664 270 684]; the
    line's baseline is at y 670) whose appearance is SQUARE_OVERLAY_AP, and the page's /Annots."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    square = (b"<< /Type /Annot /Subtype /Square /Rect [70 664 270 684] /F 4 /C [] /P 3 0 R"
              + f" /AP << /N {n + 1} 0 R >> >>".encode())
    return append_update(pdf, {3: with_annot(obj_body(pdf, 3), n), n: square, n + 1: SQUARE_OVERLAY_AP})


def indirect_annots_contract(label: str) -> tuple[bytes, int]:
    """The contract whose page 1 lists its annotations in an indirect array object (ISO 32000-1
    §12.5.2 allows /Annots to be one; pyHanko adds the signature widget to it in place), empty
    before signing, added in a second revision: the document and the array's object number."""
    base = contract_pdf(label)
    n = int(trailer_of(base)[0]["/Size"])
    return append_update(base, {3: dict_add(obj_body(base, 3), f"/Annots {n} 0 R".encode()), n: b"[]"}), n


def annotation_update_indirect(pdf: bytes, arr: int) -> bytes:
    """annotation_update's sticky note, added to page 1 by replacing only its indirect /Annots
    array (object `arr`): the page dictionary is untouched."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    return append_update(pdf, {arr: array_entries(pdf, arr) + f" {n} 0 R]".encode(), n: LATER_NOTE})


def annotation_update_new_array(pdf: bytes, arr: int) -> bytes:
    """annotation_update's sticky note, added to page 1 by one update that replaces the page
    dictionary so that its /Annots names a new indirect array (the old entries and the note);
    the old array object is left as it was."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    page = obj_body(pdf, 3)
    old_ref = f"/Annots {arr} 0 R".encode()
    assert page.count(old_ref) == 1, page
    return append_update(pdf, {3: page.replace(old_ref, f"/Annots {n} 0 R".encode()), n: array_entries(pdf, arr) + f" {n + 1} 0 R]".encode(),
                               n + 1: LATER_NOTE})


# A sticky note the reviewer left on page 1 before signing (ISO 32000-1 §12.5.6.4): no
# appearance stream, so viewers draw their comment icon at /Rect and show /Contents.
SIGNED_NOTE = (b"<< /Type /Annot /Subtype /Text /Rect [450 600 470 620] /Contents " + pdf_str("Prisen er aftalt")
               + b" /T (Anna Andersen) /M (D:20250309090000Z) /F 4 /P 3 0 R /Name /Comment >>")


def noted_contract(label: str) -> tuple[bytes, int]:
    """The contract with SIGNED_NOTE on page 1, added in a second revision before signing:
    the document and the note's object number."""
    base = contract_pdf(label)
    n = int(trailer_of(base)[0]["/Size"])
    return append_update(base, {3: with_annot(obj_body(base, 3), n), n: SIGNED_NOTE}), n


def noted_contract_indirect(label: str) -> tuple[bytes, int]:
    """As noted_contract, but the note's /Contents is an indirect string object (ISO 32000-1
    §7.3.10): the document and the string's object number."""
    base = contract_pdf(label)
    n = int(trailer_of(base)[0]["/Size"])
    note = SIGNED_NOTE.replace(b"/Contents " + pdf_str("Prisen er aftalt"), f"/Contents {n + 1} 0 R".encode())
    assert note != SIGNED_NOTE
    return append_update(base, {3: with_annot(obj_body(base, 3), n), n: note, n + 1: pdf_str("Prisen er aftalt")}), n + 1


def noted_contract_dangling(label: str) -> tuple[bytes, int]:
    """As noted_contract_indirect, but the string object the note's /Contents names is not
    defined when the document is signed: a reference to an undefined object stands for null
    (ISO 32000-1 §7.3.10), so the signed note says nothing. The document and the missing number."""
    base = contract_pdf(label)
    n = int(trailer_of(base)[0]["/Size"])
    # A number well above the ones signing allocates next (its field, signature and
    # validation data take n + 1 onwards), so only the later update defines it.
    missing = n + 40
    note = SIGNED_NOTE.replace(b"/Contents " + pdf_str("Prisen er aftalt"), f"/Contents {missing} 0 R".encode())
    assert note != SIGNED_NOTE
    return append_update(base, {3: with_annot(obj_body(base, 3), n), n: note}), missing


def note_update(pdf: bytes, note: int, *pairs: tuple[bytes, bytes]) -> bytes:
    """An update that replaces only the note's dictionary, each (old, new) substring replaced once."""
    body = obj_body(pdf, note)
    for old, new in pairs:
        assert body.count(old) == 1, (old, body)
        body = body.replace(old, new)
    return append_update(pdf, {note: body})


def stamp_ap(text: str, rgb: bytes) -> bytes:
    return stream(b"q " + rgb + b" RG 2 w 2 2 176 36 re S Q BT " + rgb + b" rg /F1 12 Tf 10 15 Td " + pdf_str(text) + b" Tj ET\n",
                  b" /Type /XObject /Subtype /Form /BBox [0 0 180 40] /Resources << /Font << /F1 4 0 R >> >>")


def stamped_contract(label: str) -> tuple[bytes, int, int]:
    """The contract with a rubber-stamp annotation 'KLADDE - ikke bindende' (draft, not binding)
    at the top right of page 1, added in a second revision before signing: the document, the
    stamp's object number and its appearance stream's."""
    base = contract_pdf(label)
    n = int(trailer_of(base)[0]["/Size"])
    stamp = (b"<< /Type /Annot /Subtype /Stamp /Rect [380 720 560 760] /F 4 /P 3 0 R /Name /Draft /Contents "
             + pdf_str("KLADDE - ikke bindende") + f" /AP << /N {n + 1} 0 R >> >>".encode())
    return append_update(base, {3: with_annot(obj_body(base, 3), n), n: stamp, n + 1: stamp_ap("KLADDE - ikke bindende", b"0.8 0 0")}), n, n + 1


# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

class Scen:
    def __init__(self, group, name, about, verdict, options, inputs, files=None, fail=(), indeterminate=(), warn=(),
                 passes=(), pdfs_valid=True):
        assert group in GROUPS and verdict in ("pass", "warn", "fail", "indeterminate")
        assert "at" in options
        self.rel = f"{group}/{name}"
        self.about, self.verdict, self.options, self.inputs = about, verdict, options, inputs
        self.files = files or {}
        self.fail, self.indeterminate, self.warn = sorted(set(fail)), sorted(set(indeterminate)), sorted(set(warn))
        self.passes = sorted(set(passes) - set(fail) - set(indeterminate) - set(warn))
        worst = "fail" if fail else "indeterminate" if indeterminate else "warn" if warn else "pass"
        assert worst == verdict, f"{self.rel}: verdict {verdict} but the ids say {worst}"
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
        (d / "options.json").write_bytes(G.pretty_json(self.options))
        (d / "expected.json").write_bytes(G.pretty_json({
            "about": self.about, "verdict": self.verdict, "fail": self.fail,
            "indeterminate": self.indeterminate, "warn": self.warn, "pass": self.passes,
        }))


SCEN: list[Scen] = []


def add(*a, **k):
    SCEN.append(Scen(*a, **k))


PDF_PASS = ["pdf.structure", "pdf.signatures", "sig.subfilter", "sig.byte_range", "sig.contents_gap", "sig.coverage",
            "cms.format", "cms.digest_algorithm", "cms.message_digest", "cms.content_type", "cms.signer_certificate",
            "cms.signing_certificate", "cms.signature", "chain.anchor", "chain.signature", "chain.validity",
            "chain.key_usage"]
TST_PASS = ["tst.format", "tst.imprint", "tst.signature", "tst.signing_certificate", "tst.certificate", "tst.gen_time"]
LTV_PASS = ["ltv.revocation", "ltv.level"]
MOD_PASS = ["mod.changes", "mod.shadow"]


def base_opts(at=AT):
    return {"at": at, "trust": ["trust/oces_root.pem"]}


class Ctx:
    """What every group builder needs."""

    def __init__(self):
        self.pki = PadesPki()
        self.s = Signing(self.pki)
        self.files = {"trust/oces_root.pem": self.pki.root_pem()}

    def sealed(self, label, pdf=None, **kw):
        """The broker seal's profile: ETSI.CAdES.detached, signing-certificate-v2,
        revocation-info-archival (OCSP + CRLs), an RFC 3161 signature timestamp."""
        return self.s.sign(pdf if pdf is not None else contract_pdf(label), label, **kw)


# ---------------------------------------------------------------------------
# pades/: valid documents
# ---------------------------------------------------------------------------

def broker_workflow(ctx: Ctx):
    """broker.md §4: the two workflow PDFs (the ones gen.py's binding scenarios use),
    the workflow token over them (made with gen.py's JWS helper), its certificate
    and OCSP response, and the sealed PDF that carries the three as attachments."""
    pki = ctx.pki
    pdfs = {
        G.DOC_TITLES[0]: G.make_pdf(G.DOC_TITLES[0], ["Lejekontrakt", "Lejemaal: Testvej 1, 1. th.", "Husleje: 8.500 kr. pr. maaned"]),
        G.DOC_TITLES[1]: G.make_pdf(G.DOC_TITLES[1], ["Husorden & bilag", "Affald sorteres.", "Ro efter kl. 22."]),
    }
    file_names = {"Lejekontrakt": "Lejekontrakt.pdf", "Husorden & bilag": "Husorden_og_bilag.pdf"}

    def user_claims(nm, idp_id, auth):
        return {"mitid.identity_name": nm, "loa": G.LOA_SUBSTANTIAL, "ial": G.IAL_SUBSTANTIAL, "idp_identity_id": idp_id,
                "idp": "mitid", "auth_time": str(auth)}

    signers = [
        ("a1b2c3d4-0001-4000-8000-00000000a001", G.SIG1_TX, "Test Testesen", "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b", G.T),
        ("a1b2c3d4-0002-4000-8000-00000000a002", G.SIG2_TX, "Anna Andersen", "f1e2d3c4-b5a6-4f7e-9d8c-0b1a2f3e4d5c", G.T + 600),
    ]

    def iso(t):
        return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")

    c = {
        "iss": G.ISS, "aud": G.ORG_TIN, "iat": G.T_WF, "nbf": G.T_WF, "exp": G.T_WF + 30 * 365 * 86400,
        "token_type": "workflow_token_v1", "expiry": str(G.T + 14 * 86400), "workflow_id": G.WF_ID,
        "workflow_title": G.WF_TITLE, "organization_tin": G.ORG_TIN, "service_provider_id": G.CLIENT_ID,
        "documents_signed_number": str(len(pdfs)), "signatures_number": str(len(signers)),
    }
    for i, (title, data) in enumerate(pdfs.items(), start=1):
        c[f"document_{i}"] = G.dotnet_json({"title": title, "sha256Hex": G.sha256(data).hex()})
    for i, (sid, stx, nm, uid, t) in enumerate(signers, start=1):
        c[f"signature_{i}"] = G.dotnet_json({"Created": iso(t), "Id": sid, "SignatureTransactionId": stx,
                                             "UserClaims": user_claims(nm, uid, t - 20)})
    token = G.jws({"alg": "RS256", "kid": G.thumb(pki.leaf), "typ": "JWT"}, c, pki.leaf_key)
    t_wf = dt.datetime.fromtimestamp(G.T_WF, dt.timezone.utc)
    ocsp_der = ocsp_response(pki.leaf, pki.ca, pki.responder, pki.responder_key, t_wf)
    attachments = [
        ("workflow_token.jwt", token.encode(), "application/jwt", None),
        ("workflow_token_pub.pem", G.pem(pki.leaf).encode(), "application/x-pem-file", None),
        ("workflow_token.ocsp", base64.b64encode(ocsp_der) + b"\n", "text/plain", None),
    ]
    # The sealed PDF: both documents' pages and a signer page, then the attachments.
    pages = [
        ["Lejekontrakt", "Lejemaal: Testvej 1, 1. th.", "Husleje: 8.500 kr. pr. maaned"],
        ["Husorden & bilag", "Affald sorteres.", "Ro efter kl. 22."],
        ["Underskrifter", f"Workflow: {G.WF_TITLE}", f"Id: {G.WF_ID}",
         "Test Testesen (MitID), 10-03-2025 09:00 UTC", "Anna Andersen (MitID), 10-03-2025 09:10 UTC",
         "Forseglet af Sigaudit TEST Seal"],
    ]
    objs = {1: None, 2: None, 4: HELVETICA, 6: (b"<< /Title " + pdf_str(G.WF_TITLE)
                                               + b" /Producer (sigaudit test-vector generator) /CreationDate (D:20250310094500Z) >>")}
    kids = []
    for i, lines in enumerate(pages):
        pn, cn = 10 + 2 * i, 11 + 2 * i
        objs[pn] = f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents {cn} 0 R >>".encode()
        objs[cn] = stream(text_content(lines))
        kids.append(f"{pn} 0 R".encode())
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + f"] /Count {len(kids)} >>".encode()
    names, afs, n = [], [], 40
    for name_, data, mime, ck in attachments:
        objs[n] = embedded_file(data, mime, ck)
        objs[n + 1] = filespec(n, name_, name_)
        names.append(pdf_str(name_) + f" {n + 1} 0 R".encode())
        afs.append(f"{n + 1} 0 R".encode())
        n += 2
    objs[1] = (b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [" + b" ".join(names)
               + b"] >> >> /AF [" + b" ".join(afs) + b"] /PageMode /UseAttachments >>")
    unsigned = build_pdf(objs, 1, 6, hashlib.md5(b"sigaudit broker workflow").digest())
    sealed = ctx.sealed("broker-sealed-workflow", unsigned, certify=1, name="Sigaudit TEST Seal",
                        reason="Workflow afsluttet og forseglet")
    leaf_jwk = G.jwk_of(pki.leaf_key, kid=G.thumb(pki.leaf), alg="RS256", cert=pki.leaf, chain=[pki.ca])
    return sealed, {file_names[t]: b for t, b in pdfs.items()}, {"keys/transact_jwks.json": G.jwks_bytes([leaf_jwk])}


def xref_stream_pdf(label) -> bytes:
    """The contract rewritten by qpdf with object streams and a cross-reference stream."""
    with tempfile.TemporaryDirectory() as d:
        src, dst = Path(d) / "in.pdf", Path(d) / "out.pdf"
        src.write_bytes(contract_pdf(label, title="Købsaftale (xref stream)"))
        subprocess.run(["qpdf", "--object-streams=generate", "--deterministic-id", str(src), str(dst)], check=True)
        return dst.read_bytes()


def gen_pades(ctx: Ctx):
    s, pki, files = ctx.s, ctx.pki, ctx.files
    opts = base_opts()
    full = PDF_PASS + TST_PASS + LTV_PASS

    bb = s.sign(contract_pdf("b-b"), "b-b", tsa=False, revinfo=False)
    add("pades", "b-b",
        "PAdES-B-B (ETSI.CAdES.detached, content-type, message-digest, signing-certificate-v2, no signing-time) by the RSA seal, covering the entire file; no timestamp and no revocation data anywhere, so ltv.revocation is indeterminate (evidence incomplete) while integrity and the chain pass.",
        "indeterminate", opts, {"kontrakt-b-b.pdf": bb}, files, indeterminate=["ltv.revocation"],
        passes=PDF_PASS + ["ltv.level"])
    bt = s.sign(contract_pdf("b-t"), "b-t", tsa=True, revinfo=False)
    add("pades", "b-t",
        "PAdES-B-T: B-B plus an RFC 3161 signature timestamp (genTime 2025-03-10T10:00:00Z, TSA with critical EKU timeStamping); still no revocation data, so ltv.revocation is indeterminate.",
        "indeterminate", opts, {"kontrakt-b-t.pdf": bt}, files, indeterminate=["ltv.revocation"],
        passes=PDF_PASS + TST_PASS + ["ltv.level"])
    blt = s.sign(contract_pdf("b-lt"), "b-lt", tsa=True, revinfo=False, dss=True)
    add("pades", "b-lt",
        "PAdES-B-LT: B-T plus a DSS (written by pyHanko in a later revision) with the certificates, OCSP responses, CRLs and a VRI entry; the signature covers its revision (ENTIRE_REVISION) and the only later change is LTV data.",
        "pass", opts, {"kontrakt-b-lt.pdf": blt}, files, passes=full + MOD_PASS)
    blta = s.sign(contract_pdf("b-lta"), "b-lta", tsa=True, revinfo=False, dss=True, lta=True)
    add("pades", "b-lta",
        "PAdES-B-LTA: B-LT plus a document timestamp (ETSI.RFC3161, field Tidsstempel1) over the revision holding the DSS; pyHanko then adds the timestamp's own validation data in a last DSS update.",
        "pass", opts, {"kontrakt-b-lta.pdf": blta}, files, passes=full + MOD_PASS)
    adbe = s.sign(contract_pdf("adbe"), "adbe", legacy=True, tsa=True, revinfo=True, signing_time=True)
    add("pades", "adbe-pkcs7-detached",
        "The legacy SubFilter adbe.pkcs7.detached (not PAdES baseline) with Adobe's revocation-info-archival signed attribute (OCSP + CRLs), a CMS signing-time (normal for this SubFilter, so no warning) and a signature timestamp: everything passes.",
        "pass", opts, {"kontrakt-adbe.pdf": adbe}, files, passes=full + ["cms.signing_time"])

    p1 = ctx.sealed("cert-p1", certify=1)
    add("pades", "certification-p1",
        "A certification signature with DocMDP /P 1 (no changes allowed) in the broker seal's profile (revocation-info-archival, signature timestamp), covering the entire file.",
        "pass", opts, {"kontrakt-certificeret-p1.pdf": p1}, files, passes=full + ["mod.docmdp"])

    form = contract_pdf("cert-p2", form=True, sig_fields=["Signatur2"])
    p2 = ctx.sealed("cert-p2", form, certify=2, field="Signatur1")
    p2 = fill_field_update(p2, "Anna Andersen")
    p2 = s.sign(p2, "cert-p2-second", who="ecdsa", field="Signatur2", revinfo=True, tsa=True, name="Anna Andersen",
                reason="Godkendt")
    add("pades", "certification-p2",
        "A certification signature with DocMDP /P 2, then a form fill (text field Navn gets a value and a new appearance) and a second, approval signature (ECDSA signer) in the prepared empty field Signatur2: both are allowed by /P 2; the first signature covers ENTIRE_REVISION, the second ENTIRE_FILE.",
        "pass", opts, {"kontrakt-certificeret-p2.pdf": p2}, files, passes=full + MOD_PASS + ["mod.docmdp"])

    p3 = ctx.sealed("cert-p3", certify=3)
    p3 = annotation_update(p3)
    add("pades", "certification-p3",
        "A certification signature with DocMDP /P 3, then an incremental update adding a sticky-note (/Text) annotation to page 1: annotations are allowed by /P 3 (mod.docmdp passes), but an annotation added after signing is drawn over the page, where it can hide or imitate certified content (the 'evil annotation' attack, Mainka et al., IEEE S&P 2021), so mod.changes warns and names it (/Text, page 1, its /Rect).",
        "warn", opts, {"kontrakt-certificeret-p3.pdf": p3}, files, warn=["mod.changes"], passes=full + ["mod.shadow", "mod.docmdp"])

    p1a = annotation_update(ctx.sealed("cert-p1-annot", certify=1))
    add("pades", "certification-p1-then-annotation",
        "A certification signature with DocMDP /P 1 followed by an incremental update adding a sticky-note annotation: the change is classified (an annotation) but /P 1 allows no change at all, so mod.docmdp fails; mod.changes warns, as for any shown annotation added after signing.",
        "fail", opts, {"kontrakt-p1-kommentar.pdf": p1a}, files, fail=["mod.docmdp"], warn=["mod.changes"], passes=full + ["mod.shadow"])

    two = ctx.sealed("two-sigs-1", field="Signatur1")
    two = s.sign(two, "two-sigs-2", who="ecdsa", field="Signatur2", revinfo=True, tsa=True, name="Anna Andersen",
                 reason="Godkendt")
    add("pades", "two-signatures",
        "Two approval signatures in sequence (the RSA seal, then the ECDSA signer in a new field): the first covers ENTIRE_REVISION and is followed only by a new signature field and its value; the second covers ENTIRE_FILE.",
        "pass", opts, {"kontrakt-to-underskrifter.pdf": two}, files, passes=full + MOD_PASS)

    form = contract_pdf("fields-indirect", form=True)
    acro = obj_body(form, 9)
    m = re.search(rb"/Fields\s*\[([^\]]*)\]", acro)
    form = append_update(form, {7: b"[" + m.group(1).strip() + b"]", 9: acro[:m.start()] + b"/Fields 7 0 R" + acro[m.end():]})
    ind = ctx.sealed("fields-indirect-1", form, field="Signatur1")
    ind = s.sign(ind, "fields-indirect-2", who="ecdsa", field="Signatur2", revinfo=True, tsa=True, name="Anna Andersen",
                 reason="Godkendt")
    add("pades", "fields-indirect-array",
        "Two approval signatures in a form whose AcroForm names its field list indirectly (/Fields 7 0 R, an array object; ISO 32000-1 §12.7.2 Table 218 allows any array): the second signature's new field grows that array object, which is signing, as growing a direct /Fields is: mod.changes passes for the first signature.",
        "pass", opts, {"kontrakt-felter-indirekte.pdf": ind}, files, passes=full + MOD_PASS)

    ecd = s.sign(contract_pdf("ecdsa"), "ecdsa", who="ecdsa", revinfo=True, tsa=True, name="Sigaudit TEST Signer ECDSA")
    add("pades", "ecdsa-signer",
        "An approval signature by an ECDSA P-256 signer (ecdsa-with-SHA256) with revocation-info-archival and a signature timestamp: everything passes.",
        "pass", opts, {"kontrakt-ecdsa.pdf": ecd}, files, passes=full)

    ber = hand_sign(contract_pdf("ber"), lambda data: openssl_cms(data, pki.seal, pki.seal_key, chain=[pki.ca]))
    sp = list(SIG_RE_ADOBE.finditer(ber))[-1]
    ber = add_dss(ber, [bytes.fromhex(sp.group(1).decode())], [pki.seal, pki.ca, pki.responder],
                  [pki.ocsp["seal"]], [pki.crl_root, pki.crl_ca])
    add("pades", "ber-cms",
        "A signature whose /Contents holds a BER CMS with indefinite lengths (openssl cms -sign -binary -stream -outform DER -cades over the ByteRange bytes, placed by hand into a reserved /Contents), followed by a hand-written DSS (certificates, OCSP, CRLs, VRI): integrity, chain and revocation pass; openssl's CMS carries a signing-time attribute, which PAdES baseline forbids, so cms.signing_time warns.",
        "warn", opts, {"kontrakt-ber.pdf": ber}, files, warn=["cms.signing_time"],
        passes=PDF_PASS + LTV_PASS + MOD_PASS)

    moved = contract_pdf("repaired-xref")
    xref_at = last_startxref(moved)
    entry = re.compile(rb"(\d{10}) 00000 n \n")
    obj2 = list(entry.finditer(moved, xref_at))[1]  # object 2 (the page tree): point it 7 bytes early
    wrong = f"{int(obj2.group(1)) - 7:010d}".encode()
    moved = moved[:obj2.start(1)] + wrong + moved[obj2.end(1):]
    moved = hand_sign(moved, lambda data: openssl_cms(data, pki.seal, pki.seal_key, chain=[pki.ca]))
    add("pades", "repaired-xref-offset",
        "A correctly signed PDF whose original xref table gives object 2 (the page tree, which the signing update does not replace) an offset 7 bytes early, a fault no conforming writer leaves: sigaudit finds the object by scanning, as common readers do, and pdf.structure warns with the repaired fault, since readers repair differently; the signature (openssl CMS over the ByteRange, which carries a signing-time, so cms.signing_time warns too) and chain pass; no revocation data, so ltv.revocation is indeterminate.",
        "indeterminate", opts, {"kontrakt-reparereret.pdf": moved}, files, warn=["pdf.structure", "cms.signing_time"],
        indeterminate=["ltv.revocation"], passes=PDF_PASS + ["ltv.level", "mod.changes"])

    xs = ctx.sealed("xref-stream", xref_stream_pdf("xref-stream"))
    add("pades", "xref-stream",
        "The contract written with object streams and a cross-reference stream (qpdf), signed incrementally by pyHanko (its update uses a cross-reference stream too) in the broker seal's profile: everything passes.",
        "pass", opts, {"kontrakt-xref-stream.pdf": xs}, files, passes=full)

    sealed, wf_pdfs, jwks = broker_workflow(ctx)
    add("pades", "broker-sealed-workflow",
        "Imitates the broker's sealed workflow PDF (broker.md §4): a certification signature DocMDP /P 1 (ETSI.CAdES.detached, revocation-info-archival, signature timestamp, seal and intermediate in the CMS) over the merged pages, with the attachments workflow_token.jwt, workflow_token_pub.pem and workflow_token.ocsp (base64 DER); the embedded workflow token verifies (trusted via --jwks and the root), its OCSP is good, and both PDFs it names are supplied, so every document_N binds (the sealed PDF is evidence itself, not a document for document.referenced).",
        "pass", dict(opts, jwks=["keys/transact_jwks.json"]), dict({"Lejeaftale_Testvej_1_forseglet.pdf": sealed}, **wf_pdfs),
        dict(files, **jwks),
        passes=full + ["mod.docmdp", "embedded.files", "jws.signature", "jws.key_trusted", "binding.workflow_document",
                       "binding.workflow_claims", "ocsp.status", "ocsp.signature", "ocsp.cert_id", "ocsp.freshness"])

    bad = contract_pdf("checksum", attachments=[
        ("bilag.txt", "Bilag 1: Standardvilkår for køb af brugt bil.\n".encode(), "text/plain", md5(b"something else")),
    ])
    add("pades", "embedded-file-checksum-mismatch",
        "A sealed PDF with an attachment bilag.txt whose /Params /CheckSum (MD5) is not the MD5 of its bytes (the wrong value was there before sealing): the signature is fine, embedded.files fails.",
        "fail", opts, {"kontrakt-bilag.pdf": ctx.sealed("checksum", bad)}, files, fail=["embedded.files"], passes=full)

    excl = ctx.sealed("fieldmdp-exclude", nested_form_pdf("fieldmdp-exclude"), lock=("exclude", ["Pris"]))
    excl = append_update(excl, {13: obj_body(excl, 13).replace(b"/V (1000)", b"/V (1200)")})
    add("pades", "fieldmdp-exclude-fill",
        "An approval signature whose field lock is FieldMDP /Action /Exclude /Fields [(Pris)]: every field except Pris is locked (ISO 32000-1 §12.8.2.4 Table 256); an update then fills in Pris (1000 -> 1200), which the lock allows, so mod.docmdp passes.",
        "pass", opts, {"kontrakt.pdf": excl}, files, passes=full + MOD_PASS + ["mod.docmdp"])

    later = ctx.sealed("expired-later")
    add("pades", "seal-expired-later",
        "The seal profile validated on 2031-06-01, years after the seal certificate expired (2027-01-01): the signature timestamp (2025-03-10, TSA valid until 2035) proves the signature existed while the certificate was valid, so the chain is judged at the timestamp's time and revocation by the embedded OCSP/CRLs of that time (broker.md §4, ETSI EN 319 102-1 past signature validation): the intended verdict is pass.",
        "pass", base_opts(AT_LATER), {"kontrakt-2025.pdf": later}, files, passes=full)

    # ETSI EN 319 142-1 §5.4.2: the DSS /Certs are validation data, candidates for
    # the signer's path like the CMS certificates (which are not signed).
    def drop_ca(sd):
        sd["certificates"] = [c for c in sd["certificates"] if c.chosen.serial_number != pki.ca.serial_number]
    no_ca = tamper_cms(s.sign(contract_pdf("dss-certs"), "dss-certs", tsa=True, revinfo=False), drop_ca)
    dss_ca = add_dss(no_ca, [], [pki.ca], [pki.ocsp["seal"]], [pki.crl_root, pki.crl_ca])
    add("pades", "issuer-only-in-dss",
        "PAdES-B-LT whose CMS carries only the seal certificate (the issuing CA removed from the unsigned certificates field) while the DSS /Certs holds the issuing CA beside OCSP and CRLs: the DSS certificates complete the signer's path (ETSI EN 319 142-1 §5.4.2), so the chain and revocation pass.",
        "pass", opts, {"kontrakt-dss-ca.pdf": dss_ca}, files, passes=full + MOD_PASS)

    # RFC 5280 §6.1.1(d): a trust anchor is a name and a key. Here the anchor is a
    # self-signed certificate of the issuing CA's name and key (another encoding
    # of the same anchor than the CA certificate in the CMS), whose
    # subjectKeyIdentifier is computed by another method (RFC 7093 §2 method 1:
    # SHA-256 of the key, leftmost 160 bits), so the seal's authorityKeyIdentifier
    # leads to the CMS copy of the CA certificate, not to this one.
    spki_bits = G.key_bits(pki.ca)
    ca_anchor = G.build_cert(pki.ca.subject, pki.ca.subject, pki.ca_key.public_key(), pki.ca_key, 0x1AC0,
                             utc(2020, 6, 1), utc(2035, 6, 1), [(x509.BasicConstraints(ca=True, path_length=0), True),
                                                                (G.ku(key_cert_sign=True, crl_sign=True), True),
                                                                (x509.SubjectKeyIdentifier(hashlib.sha256(spki_bits).digest()[:20]), False)])
    add("pades", "anchor-reissued",
        "The broker seal's profile judged with the issuing CA's name and key as the trust anchor, given as a self-signed certificate that is not the CA certificate in the CMS and has another subjectKeyIdentifier: the path ends at the CMS copy of the CA certificate (the anchor's name and key), and ltv.revocation recognises it as the anchor and asks no revocation data for it, so everything passes.",
        "pass", dict(opts, trust=["trust/issuing_ca_anchor.pem"]), {"kontrakt-anker.pdf": ctx.sealed("anchor-reissued")},
        dict(files, **{"trust/issuing_ca_anchor.pem": G.pem(ca_anchor).encode()}), passes=full)


SIG_RE_ADOBE = re.compile(rb"/Contents <([0-9A-Fa-f]+)>")


# ---------------------------------------------------------------------------
# The check step: qpdf --check, pdfsig, pyHanko's validation
# ---------------------------------------------------------------------------

def pyhanko_judge(pdf: bytes, at: str, roots_pem: list[bytes]) -> list[dict]:
    """pyHanko's view of every signature: intact, valid, trusted, coverage, modification
    level, docmdp_ok (or the exception it raised). No fetching; time = `at`."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext
    when = dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    roots = [asn1_x509.Certificate.load(x509.load_pem_x509_certificate(p).public_bytes(serialization.Encoding.DER)) for p in roots_pem]
    out = []
    try:
        r = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = r.embedded_signatures
    except Exception as e:  # noqa: BLE001
        return [{"error": f"read: {type(e).__name__}: {e}"}]
    for sig in sigs:
        vc = ValidationContext(trust_roots=roots, allow_fetching=False, moment=when)
        d = {"field": sig.field_name, "type": str(sig.sig_object_type)}
        try:
            if sig.sig_object_type == "/DocTimeStamp":
                st = validate_pdf_timestamp(sig, validation_context=vc)
            else:
                st = validate_pdf_signature(sig, signer_validation_context=vc)
            d.update(intact=st.intact, valid=st.valid, trusted=st.trusted,
                     coverage=st.coverage.name if st.coverage else None,
                     modification=st.modification_level.name if st.modification_level else None,
                     docmdp_ok=st.docmdp_ok)
        except Exception as e:  # noqa: BLE001
            d["error"] = f"{type(e).__name__}: {e}"[:200]
        out.append(d)
    return out


def qpdf_check(path: Path) -> str:
    r = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    lines = (r.stdout + r.stderr).strip().splitlines()
    return "ok" if r.returncode == 0 else f"exit {r.returncode}: " + " | ".join(l for l in lines if "WARNING" in l or "error" in l.lower())[:160]


def pdfsig_check(path: Path) -> str:
    r = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True)
    vals = re.findall(r"Signature Validation: (.*)", r.stdout)
    cover = re.findall(r"  - (Total document signed|Not total document signed)", r.stdout)
    if r.returncode not in (0, 1) and not vals:
        return f"exit {r.returncode} {r.stderr.strip()[:80]}"
    return "; ".join(f"{v.strip()}{' (total)' if c.startswith('Total') else ''}" for v, c in zip(vals, cover + [''] * len(vals))) or "no signatures"


# Valid-group scenarios whose PDF carries a structural fault on purpose (qpdf reports it).
UNCLEAN_ON_PURPOSE = {"pades/repaired-xref-offset"}


def check_step(rels=None) -> int:
    """Runs qpdf, pdfsig and pyHanko over every PDF of the owned scenarios (and the PDFs
    inside sign-service JSON); prints one line per PDF. Returns the number of valid-group
    PDFs that qpdf rejects (those must be clean)."""
    rels = rels or OWNED_LIST.read_text().split()
    problems = 0
    for rel in rels:
        d = SCENARIOS / rel
        opts = json.loads((d / "options.json").read_text())
        roots = [(d / t).read_bytes() for t in opts.get("trust", [])]
        pdfs = []
        for f in sorted((d / "input").iterdir()):
            if f.suffix == ".pdf":
                pdfs.append((f.name, f.read_bytes()))
            elif f.suffix == ".json":
                j = json.loads(f.read_text())
                if isinstance(j, dict) and isinstance(j.get("padesSignedPdf"), str):
                    pdfs.append((f.name + "#padesSignedPdf", base64.b64decode(j["padesSignedPdf"])))
        for name_, data in pdfs:
            if b"/ByteRange" not in data and b"/Sig" not in data:
                continue
            with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
                tmp.write(data)
                tmp.flush()
                q = qpdf_check(Path(tmp.name))
                ps = pdfsig_check(Path(tmp.name))
            ph = pyhanko_judge(data, opts["at"], roots)
            phs = "; ".join(
                x.get("error") or f"{x['field']}: intact={x['intact']} valid={x['valid']} trusted={x['trusted']} {x['coverage']} mod={x['modification']} docmdp={x['docmdp_ok']}"
                for x in ph)
            print(f"{rel}/{name_} [{len(data)} B]\n    qpdf: {q}\n    pdfsig: {ps}\n    pyHanko: {phs}")
            if rel.startswith(("pades/", "signservice/")) and q != "ok" and rel not in UNCLEAN_ON_PURPOSE:
                problems += 1
    return problems


# ---------------------------------------------------------------------------
# attacks/: Mladenov et al. (CCS 2019) USF / ISA / SWA, Mainka et al. (NDSS 2021)
# shadow attacks, and byte-range / CMS manipulations
# ---------------------------------------------------------------------------

PRICE = b"(Pris: 1.000 kr.)"
EVIL_PRICE = b"(Pris: 9.000 kr.)"
EVIL_LINES = CONTRACT_LINES[:-1] + ["Pris: 9.000 kr."]


def xref_entries_at(pdf: bytes, pos: int) -> dict[int, int]:
    """In-use entries of the classic xref section at pos."""
    m = re.match(rb"xref\s*\n", pdf[pos:])
    i = pos + m.end()
    out = {}
    while True:
        h = re.match(rb"(\d+) (\d+)\s*\n", pdf[i:])
        if not h:
            break
        first, count = int(h.group(1)), int(h.group(2))
        i += h.end()
        for k in range(count):
            line = pdf[i:i + 20]
            if line[17:18] == b"n":
                out[first + k] = int(line[:10])
            i += 20
    return out


def swa(pdf: bytes) -> bytes:
    """Signature Wrapping (Mladenov et al. 2019, §5.3): the signed second range is
    relocated to the end of the file; the freed space inside the old gap gets the CMS,
    a new /ByteRange [0 a b' c] pointing at the relocated bytes, the end of the
    signature dictionary, a redefined page content and a new xref section placed at the
    offset the signed startxref names. Every signed byte is still there, so the digest
    matches, and b' + c is the file length; only the gap is not just /Contents."""
    sp = SigSpot(pdf, -1)
    a, b, c = sp.a, sp.b, sp.c
    x_old = last_startxref(pdf)
    assert x_old > b
    trailer, _ = trailer_of(pdf)
    prev = int(trailer["/Prev"])
    rest = pdf[sp.br_end:pdf.index(b"endobj", sp.br_end)]          # the dictionary after /ByteRange
    cms_hex = sp.cms_der().hex().upper().encode()
    evil = b"5 0 obj\n" + stream(text_content(EVIL_LINES)) + b"\nendobj\n"
    entries_old = xref_entries_at(pdf, x_old)
    size = max(int(trailer["/Size"]), 6)

    def build(b_new):
        br = f"\n/ByteRange [0 {a} {b_new} {c}]\n".encode()
        g = b"<" + cms_hex + b">" + br + rest + b"endobj\n"
        evil_at = a + len(g)
        g += evil
        assert a + len(g) <= x_old, "room in the old gap and tail"
        g += b" " * (x_old - a - len(g))
        entries = {}
        for n, off in entries_old.items():
            entries[n] = (off if off < a else off - b + b_new, 0, "n")
        entries[5] = (evil_at, 0, "n")
        xr = xref_table(entries)
        id0, _ = trailer["/ID"]
        xr += (f"trailer\n<< /Size {size} /Root 1 0 R /Info 6 0 R /Prev {prev}".encode()
               + b" /ID [<" + bytes(id0.original_bytes).hex().encode() + b"> <" + md5(b"swa").hex().encode() + b">] >>\n")
        return g, xr

    g, xr = build(0)
    b_new = x_old + len(xr)
    g, xr2 = build(b_new)
    assert len(xr2) == len(xr)
    out = pdf[:a] + g + xr2 + pdf[b:]
    assert len(out) == b_new + c and out[b_new:] == pdf[b:] and out[:a] == pdf[:a]
    return out


def two_sigs_one_gap(pdf: bytes) -> bytes:
    """A second signature field whose value is a copy of the first signature dictionary
    (same /ByteRange, same /Contents), named for another signer."""
    sp = SigSpot(pdf, -1)
    head = pdf[:sp.m.start()]
    num = int(re.findall(rb"\n(\d+) 0 obj\s*<<", head)[-1])
    sig_body = obj_body(pdf, num)
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    copy = dict_add(sig_body, b"/Name (Anna Andersen)")
    widget = (b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signatur2) /V " + f"{n} 0 R".encode()
              + b" /F 132 /Rect [0 0 0 0] /P 3 0 R >>")
    objs = {n: copy, n + 1: widget}
    page = obj_body(pdf, 3)
    m = re.search(rb"/Annots\s*\[([^\]]*)\]", page)
    objs[3] = page[:m.start()] + b"/Annots [" + m.group(1).strip() + f" {n + 1} 0 R]".encode() + page[m.end():]
    cat = obj_body(pdf, 1)
    af = re.search(rb"/AcroForm\s+(\d+) 0 R", cat)
    holder, body = (int(af.group(1)), obj_body(pdf, int(af.group(1)))) if af else (1, cat)
    f = re.search(rb"/Fields\s*\[([^\]]*)\]", body)
    objs[holder] = body[:f.start()] + b"/Fields [" + f.group(1).strip() + f" {n + 1} 0 R]".encode() + body[f.end():]
    return append_update(pdf, objs)


def tamper_cms(pdf: bytes, fn) -> bytes:
    sp = SigSpot(pdf, -1)
    ci = cms.ContentInfo.load(sp.cms_der())
    fn(ci["content"])
    return set_contents(pdf, sp, ci.dump(force=False))


def nested_form_pdf(label: str) -> bytes:
    """The contract with two filled text fields whose names are not their /T:
    'Parti.Navn' (a non-terminal field 'Parti' whose kid, object 11, is field and
    widget in one, /T (Navn)) and 'Pris' (field 13 with a separate widget 14 that has
    no /T, ISO 32000-1 §12.7.3.1). Appearances: 12 and 15."""
    ap = b" /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv 4 0 R >> >>"
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm 9 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
            b" /Contents 5 0 R /Annots [11 0 R 14 0 R] >>"),
        4: HELVETICA,
        5: stream(text_content(CONTRACT_LINES[:-1])),
        6: b"<< /Title " + pdf_str("Købsaftale") + b" /Producer (sigaudit test-vector generator) /CreationDate (D:20250301120000Z) >>",
        9: b"<< /Fields [10 0 R 13 0 R] /DA (/Helv 12 Tf 0 g) /DR << /Font << /Helv 4 0 R >> >> >>",
        10: b"<< /T (Parti) /Kids [11 0 R] >>",
        11: (b"<< /Type /Annot /Subtype /Widget /FT /Tx /Parent 10 0 R /T (Navn) /V (Anna Andersen) /DA (/Helv 12 Tf 0 g)"
             b" /F 4 /Rect [72 600 300 620] /P 3 0 R /AP << /N 12 0 R >> >>"),
        12: stream(b"/Tx BMC BT /Helv 12 Tf 2 5 Td (Anna Andersen) Tj ET EMC", ap),
        13: b"<< /FT /Tx /T (Pris) /V (1000) /DA (/Helv 12 Tf 0 g) /Kids [14 0 R] >>",
        14: b"<< /Type /Annot /Subtype /Widget /Parent 13 0 R /F 4 /Rect [72 560 300 580] /P 3 0 R /AP << /N 15 0 R >> >>",
        15: stream(b"/Tx BMC BT /Helv 12 Tf 2 5 Td (1.000 kr.) Tj ET EMC", ap),
    }
    return build_pdf(objs, 1, 6, hashlib.md5(("sigaudit " + label).encode()).digest())


FIELD_AP = b" /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv 4 0 R >> >>"
OVERLAY_AP = (b"q 1 1 1 rg 0 0 300 24 re f Q BT 0 g /F1 14 Tf 2 6 Td (Pris: 9.000 kr.) Tj ET\n",
              b" /Type /XObject /Subtype /Form /BBox [0 0 300 24] /Resources << /Font << /F1 4 0 R >> >>")


def new_field_update(pdf: bytes, widget: bytes) -> bytes:
    """Adds a field (one dictionary, field and widget) on page 1 of a contract_pdf(form=True)
    document: the widget, its appearance OVERLAY_AP (a white box and 'Pris: 9.000 kr.'
    over the price line), the page's /Annots and the AcroForm's /Fields."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    page, acro = obj_body(pdf, 3), obj_body(pdf, 9)
    page = re.sub(rb"/Annots\s*\[([^\]]*)\]", lambda m: b"/Annots [" + m.group(1).strip() + f" {n} 0 R]".encode(), page, count=1)
    acro = re.sub(rb"/Fields\s*\[([^\]]*)\]", lambda m: b"/Fields [" + m.group(1).strip() + f" {n} 0 R]".encode(), acro, count=1)
    widget = widget + f" /F 4 /Rect [70 664 370 688] /P 3 0 R /AP << /N {n + 1} 0 R >> >>".encode()
    return append_update(pdf, {3: page, 9: acro, n: widget, n + 1: stream(*OVERLAY_AP)})


def dss_page_tree_update(pdf: bytes) -> bytes:
    """The catalog redefined with a new page tree (price 9.000 kr.), in the same update
    as a DSS whose extra key /Ext references the catalog and the new tree: objects a DSS
    reaches through keys other than its validation data are not validation data."""
    trailer, _ = trailer_of(pdf)
    n = int(trailer["/Size"])
    cat = obj_body(pdf, 1)
    assert re.search(rb"/Pages\s+2 0 R", cat), cat
    objs = {}
    m = re.search(rb"/DSS\s+(\d+) 0 R", cat)
    ext = f"/Ext [1 0 R {n} 0 R]".encode()
    if m:
        objs[int(m.group(1))] = dict_add(obj_body(pdf, int(m.group(1))), ext)
    else:
        objs[n + 3] = b"<< /Certs [] " + ext + b" >>"
        cat = dict_add(cat, f"/DSS {n + 3} 0 R".encode())
    objs[1] = re.sub(rb"/Pages\s+2 0 R", f"/Pages {n} 0 R".encode(), cat)
    page = re.sub(rb"/Parent\s+2 0 R", f"/Parent {n} 0 R".encode(), obj_body(pdf, 3))
    objs[n] = f"<< /Type /Pages /Kids [{n + 1} 0 R] /Count 1 >>".encode()
    objs[n + 1] = re.sub(rb"/Contents\s+5 0 R", f"/Contents {n + 2} 0 R".encode(), page)
    objs[n + 2] = stream(text_content(EVIL_LINES))
    return append_update(pdf, objs)


def xref_stream_update(pdf: bytes, objs: dict[int, bytes]) -> bytes:
    """Appends an incremental update whose cross-reference section is a stream (ISO 32000-1 §7.5.8)."""
    trailer, _ = trailer_of(pdf)
    prev = last_startxref(pdf)
    out = bytearray(pdf)
    if not out.endswith(b"\n"):
        out += b"\n"
    offs = write_objects(out, objs)
    xnum = max([int(trailer["/Size"])] + [n + 1 for n in objs])
    start = len(out)
    offs[xnum] = start
    rows, index = b"", []
    for n in sorted(offs):
        index += [n, 1]
        rows += bytes([1]) + offs[n].to_bytes(4, "big") + bytes([0])
    d = (f"<< /Type /XRef /Size {xnum + 1} /W [1 4 1] /Index [{' '.join(map(str, index))}] /Root {trailer.raw_get('/Root').idnum} 0 R /Prev {prev}".encode()
         + (f" /Info {trailer.raw_get('/Info').idnum} 0 R".encode() if "/Info" in trailer else b"")
         + f" /Length {len(rows)} >>\nstream\n".encode())
    out += f"{xnum} 0 obj\n".encode() + d + rows + b"\nendstream\nendobj\n" + f"startxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def objstm_rewrite(pdf: bytes, num: int, body: bytes) -> bytes:
    """An update (xref stream) that redefines only the object stream holding object `num`,
    whose copy of `num` is `body`; the other objects it holds are copied unchanged."""
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "in.pdf"
        f.write_bytes(pdf)
        xref = subprocess.run(["qpdf", "--show-xref", str(f)], capture_output=True, text=True).stdout
        stm = int(re.search(rf"^{num}/0: compressed; stream = (\d+)", xref, re.M).group(1))
        raw = subprocess.run(["qpdf", f"--show-object={stm}", "--filtered-stream-data", str(f)], capture_output=True).stdout
        dct = subprocess.run(["qpdf", f"--show-object={stm}", str(f)], capture_output=True, text=True).stdout
    n, first = int(re.search(r"/N (\d+)", dct).group(1)), int(re.search(r"/First (\d+)", dct).group(1))
    hdr = raw[:first].split()
    pairs = [(int(hdr[2 * i]), int(hdr[2 * i + 1])) for i in range(n)]
    bodies = {}
    for i, (m, off) in enumerate(pairs):
        end = pairs[i + 1][1] if i + 1 < n else len(raw) - first
        bodies[m] = raw[first + off:first + end].strip()
    bodies[num] = body
    head, data = b"", b""
    for m, _ in pairs:
        head += f"{m} {len(data)} ".encode()
        data += bodies[m] + b"\n"
    return xref_stream_update(pdf, {stm: stream(head + b"\n" + data, f" /Type /ObjStm /N {n} /First {len(head) + 1}".encode())})


def review_attacks(ctx: Ctx, opts, full):
    """Attacks from the review of the change analysis (object streams, typed streams, /Info,
    AcroForm keys, a /Prev chain that skips the signed revision)."""
    files = ctx.files
    evil_font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [49 /nine] >> >>"
    objstm = ctx.sealed("objstm-rewrite", xref_stream_pdf("objstm-rewrite"))
    page = trailer_of(objstm)[1].root["/Pages"]["/Kids"][0]
    font_num = page["/Resources"]["/Font"].raw_get("/F1").idnum
    add("attacks", "objstm-rewrite-font",
        "Shadow attack 'replace' (Mainka et al. NDSS 2021) through an object stream (ISO 32000-1 §7.5.7): the signed file keeps the page's font compressed in an object stream; the update redefines only that object stream, whose copy of the font draws the glyph 'nine' for the code of '1' (Pris: 9.000 kr.). No later xref section lists the font's number, but readers take it from the newest object stream: every object a rewritten object stream holds is compared with the signed revision's, so the font is an 'other' change (mod.changes warns) that the signed page uses (mod.shadow fails). pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": objstm_rewrite(objstm, font_num, evil_font)}, files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)

    form_p1 = ctx.sealed("typed-xref", contract_pdf("typed-xref", form=True), certify=1)
    evil_ap = b"q 1 1 1 rg 0 0 228 20 re f Q BT 0 g /Helv 12 Tf 2 5 Td (Pris: 9.000 kr.) Tj ET\n"
    for ty in ("XRef", "ObjStm"):
        ap = stream(evil_ap, f" /Type /{ty} /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv 4 0 R >> >>".encode())
        add("attacks", f"appearance-typed-{ty.lower()}",
            f"After a certification signature with DocMDP /P 1, the update redefines only the text field Navn's appearance stream to paint 'Pris: 9.000 kr.', and labels that form XObject /Type /{ty}. Viewers draw it (only /Subtype /Form matters); a stream is cross-reference plumbing only when it is a revision's xref stream or an object stream xref entries name, and nothing references it (ISO 32000-1 §7.5.7, §7.5.8), so this is the field's redefined appearance: mod.docmdp fails, mod.changes warns. pyHanko also rejects it.",
            "fail", opts, {"kontrakt.pdf": append_update(form_p1, {11: ap})}, files, fail=["mod.docmdp"], warn=["mod.changes"],
            passes=full + ["mod.shadow"])

    widget = (b"<< /Subtype /Widget /FT /Tx /T (Navn) /V (Pris: 9.000 kr.) /DA (/Helv 12 Tf 0 g) /F 4"
              b" /Rect [72 600 300 620] /P 3 0 R /AP << /N 11 0 R >> >>")
    info = append_update(form_p1, {10: widget})
    i = info.rindex(b"/Info 6 0 R")
    info = info[:i] + b"/Info 10 0 R" + info[i + len(b"/Info 6 0 R"):]
    add("attacks", "info-points-at-widget",
        "After a certification signature with DocMDP /P 1, the update gives the text field Navn a new value (Pris: 9.000 kr., its optional /Type /Annot dropped) and its trailer names that widget the document information dictionary (/Info 10 0 R). Document metadata is only the /Info of the signed revision's trailer (ISO 32000-1 §14.3.3), and never a field or annotation, so the change is form filling, which /P 1 forbids: mod.docmdp fails. pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": info}, files, fail=["mod.docmdp"], passes=full + MOD_PASS)

    form_p2 = ctx.sealed("acroform-keys", contract_pdf("acroform-keys", form=True), certify=2)
    n = int(trailer_of(form_p2)[0]["/Size"])
    af = obj_body(form_p2, 9)
    xdp = (b'<?xml version="1.0"?><xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">'
           b'<subform name="f" layout="tb"><draw><value><text>Pris: 9.000 kr.</text></value></draw></subform></template></xdp:xdp>')
    add("attacks", "acroform-xfa-typed-xref",
        "After a certification signature with DocMDP /P 2, the update adds an /XFA form (labelled /Type /XRef) to the AcroForm dictionary: in XFA viewers it replaces the form's rendering (ISO 32000-1 §12.7.8). Only new fields in /Fields and /SigFlags are signing (§12.7.2 Table 218, §12.8.2.2 Table 254); /XFA is an 'other' change, and the stream is no xref stream: mod.docmdp fails, mod.changes warns. pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": append_update(form_p2, {9: dict_add(af, f"/XFA {n} 0 R".encode()), n: stream(xdp, b" /Type /XRef")})},
        files, fail=["mod.docmdp"], warn=["mod.changes"], passes=full + ["mod.shadow"])
    add("attacks", "acroform-calculation-order",
        "After a certification signature with DocMDP /P 2, the update changes only the AcroForm dictionary: it adds a calculation order /CO [10 0 R] (ISO 32000-1 §12.7.2 Table 218), which makes viewers run the field's calculate action and recompute its value. Only new fields in /Fields and /SigFlags are signing (§12.8.2.2 Table 254); the form's drawing defaults (/DR, /DA, /Q, /NeedAppearances) are form filling; any other AcroForm key is an 'other' change: mod.docmdp fails, mod.changes warns. (It was counted as 'signature fields and values'; pyHanko also rejects it.)",
        "fail", opts, {"kontrakt.pdf": append_update(form_p2, {9: dict_add(af, b"/CO [10 0 R]")})},
        files, fail=["mod.docmdp"], warn=["mod.changes"], passes=full + ["mod.shadow"])

    rev1 = contract_pdf("prev-skip", lines=EVIL_LINES)
    rev3 = ctx.sealed("prev-skip", append_update(rev1, {5: stream(text_content(CONTRACT_LINES))}))
    add("attacks", "prev-skips-signed-revision",
        "Revision 1 shows 'Pris: 9.000 kr.', revision 2 changes it to 1.000 kr., revision 3 signs; revision 4's trailer /Prev points at revision 1's xref, so the chain every reader follows (ISO 32000-1 §7.5.6) skips revisions 2 and 3: readers show 9.000 kr. and no signature field (pdfsig and pyHanko find no signature). The signature is found as a dictionary no field references (pdf.signatures warns); it covers bytes that end at no revision of the document shown (sig.coverage warns: CONTIGUOUS_BLOCK_FROM_START), so what was signed is not part of what readers show: mod.changes fails.",
        "fail", opts, {"kontrakt.pdf": prev_skips(rev1, rev3)}, files, fail=["mod.changes"], warn=["pdf.signatures", "sig.coverage"],
        passes=["cms.message_digest", "cms.signature"])


def doc_timestamp(ctx: Ctx, pdf: bytes, label: str, field="Tidsstempel1", alg="sha256") -> bytes:
    """A document timestamp (ETSI.RFC3161, /Type /DocTimeStamp) by pyHanko over `pdf`, from the fixed TSA;
    `alg` hashes the ByteRange for the messageImprint and (pyHanko's dummy TSA) the TSA's SignerInfo."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    SEEDED_OS.reseed(label)
    _FrozenDatetime.frozen = T_SIGN
    out = io.BytesIO()
    signers.PdfTimeStamper(timestamper=ctx.s.tsa, field_name=field).timestamp_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), alg, output=out)
    return out.getvalue()


def prev_skips(rev1: bytes, signed: bytes) -> bytes:
    """An update to `signed` (which extends rev1) whose trailer's /Prev points at rev1's xref
    section, so the chain readers follow skips every revision in between; it rewrites only
    the document information dictionary (object 6)."""
    out = bytearray(signed)
    off = len(out)
    out += b"6 0 obj\n" + obj_body(rev1, 6).replace(b"/Producer (sigaudit test-vector generator)", b"/Producer (x)") + b"\nendobj\n"
    x = len(out)
    out += xref_table({0: (0, 65535, "f"), 6: (off, 0, "n")})
    out += f"trailer\n<< /Size {int(trailer_of(signed)[0]['/Size'])} /Root 1 0 R /Info 6 0 R /Prev {last_startxref(rev1)} >>\nstartxref\n{x}\n%%EOF\n".encode()
    return bytes(out)


def annotation_attacks(ctx: Ctx, opts, full):
    """Changes after signing that alter what a signed page shows through annotations (ISO
    32000-1 §12.5), changes after a document timestamp, and a form whose /Fields is an
    indirect array."""
    files = ctx.files
    add("attacks", "annotation-overlay",
        "After an approval signature, an update adds a /Square annotation exactly over the price line whose appearance paints a white box and 'Pris: 9.000 kr.' (the 'evil annotation' attack, Mainka et al., IEEE S&P 2021): viewers draw annotations over the page, so the page shows 9.000 kr. An approval signature restricts no change (ISO 32000-1 §12.8.2.2), but a shown annotation added after signing can hide or imitate signed content: mod.changes warns, naming the annotation's subtype, page and /Rect; no object the signed page uses was redefined (mod.shadow passes). pyHanko also rejects the update.",
        "warn", opts, {"kontrakt.pdf": annotation_overlay_update(ctx.sealed("annot-overlay"))}, files, warn=["mod.changes"],
        passes=full + ["mod.shadow"])
    add("attacks", "annotation-overlay-p2",
        "As annotation-overlay after a certification signature with DocMDP /P 2: /P 2 allows filling in fields and signing, not annotations (ISO 32000-1 §12.8.2.2 Table 254), so mod.docmdp fails; mod.changes warns as for any added annotation. pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": annotation_overlay_update(ctx.sealed("annot-overlay-p2", certify=2))}, files,
        fail=["mod.docmdp"], warn=["mod.changes"], passes=full + ["mod.shadow"])

    p3 = ctx.sealed("annot-reaches-catalog", certify=3)
    n = int(trailer_of(p3)[0]["/Size"])
    square = (b"<< /Type /Annot /Subtype /Square /Rect [70 664 270 684] /F 4 /C [] /P 3 0 R"
              + f" /AP << /N {n + 1} 0 R /D 1 0 R >> >>".encode())
    catalog = dict_add(obj_body(p3, 1), b"/OpenAction << /S /URI /URI (https://betaling.example.invalid/) >>")
    add("attacks", "p3-annotation-reaches-catalog",
        "After a certification signature with DocMDP /P 3, one update adds a /Square annotation whose appearance dictionary also names the catalog (/AP << /N ... /D 1 0 R >>) and changes the catalog (an /OpenAction that opens a web page). /P 3 allows annotations and their appearance streams, but only objects that are nothing else can be an appearance's: the catalog stays a catalog change, which no DocMDP level allows, so mod.docmdp fails; mod.changes warns (the catalog, and the annotation drawn over the page). pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": append_update(p3, {1: catalog, 3: with_annot(obj_body(p3, 3), n), n: square, n + 1: SQUARE_OVERLAY_AP})},
        files, fail=["mod.docmdp"], warn=["mod.changes"], passes=full + ["mod.shadow"])

    stamped, stamp, stamp_ap_num = stamped_contract("annot-stamp")
    signed = ctx.sealed("annot-stamp", stamped)
    add("attacks", "annotation-appearance-redefined",
        "The signed page shows a rubber stamp annotation 'KLADDE - ikke bindende' (draft, not binding), added before signing; after an approval signature, an update redefines only the stamp's appearance stream to read 'GODKENDT' (approved). The annotation's dictionary is untouched, but what the signed page shows changed: the appearances of the signed page's annotations are part of what was signed, so mod.shadow fails and mod.changes warns. pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": append_update(signed, {stamp_ap_num: stamp_ap("GODKENDT", b"0 0.5 0")})}, files,
        fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    page = obj_body(signed, 3)
    removed = re.sub(rb"/Annots\s*\[\s*" + str(stamp).encode() + rb" 0 R\s*", b"/Annots [", page, count=1)
    assert removed != page, page
    add("attacks", "annotation-removed",
        "The signed page shows a rubber stamp annotation 'KLADDE - ikke bindende' (draft, not binding); after an approval signature, an update removes the stamp from the page's /Annots, so the draft reads as final. The signed page's annotations are part of what was signed: removing one changes what the page shows, so mod.shadow fails and mod.changes warns. pyHanko also rejects it (annotations deleted).",
        "fail", opts, {"kontrakt.pdf": append_update(signed, {3: removed})}, files, fail=["mod.shadow"], warn=["mod.changes"],
        passes=full)
    p3_stamped, _, p3_ap = stamped_contract("annot-stamp-p3")
    p3 = ctx.sealed("annot-stamp-p3", p3_stamped, certify=3)
    add("attacks", "annotation-appearance-redefined-p3",
        "As annotation-appearance-redefined after a certification signature with DocMDP /P 3, which allows creating, deleting and changing annotations (ISO 32000-1 §12.8.2.2 Table 254): the redefined appearance belongs to the stamp annotation, so mod.docmdp passes and mod.shadow does not fail (the certifier allowed it); the page no longer shows what was certified, so mod.changes warns. pyHanko's diff policy does not support /P 3 and rejects it; sigaudit's warning counts as 'modified' too.",
        "warn", opts, {"kontrakt.pdf": append_update(p3, {p3_ap: stamp_ap("GODKENDT", b"0 0.5 0")})}, files,
        warn=["mod.changes"], passes=full + ["mod.shadow", "mod.docmdp"])

    indirect, arr = indirect_annots_contract("annot-indirect")
    add("attacks", "annotation-indirect-annots",
        "Page 1 lists its annotations in an indirect array object (ISO 32000-1 §12.5.2), which pyHanko extends with the signature's widget; after an approval signature, an update adds a sticky note (/Text) by replacing only that array object, the page dictionary untouched. The replaced array is the page's annotation list, counted as such in mod.changes (not as an other object), and the note is named with its page and /Rect: mod.changes warns for the added annotation, as for annotation-overlay; nothing the signed page uses was redefined (mod.shadow passes). pyHanko also rejects it.",
        "warn", opts, {"kontrakt.pdf": annotation_update_indirect(ctx.sealed("annot-indirect", indirect), arr)}, files,
        warn=["mod.changes"], passes=full + ["mod.shadow"])
    indirect, arr = indirect_annots_contract("annot-new-array")
    add("attacks", "annotation-list-new-array",
        "As annotation-indirect-annots, but one update replaces page 1's dictionary so that its /Annots names a new indirect array object holding the old entries and a sticky note. The page and its new array are one annotation list: mod.changes counts one list and one added annotation, and warns for the note drawn over the page; nothing the signed page draws was redefined (mod.shadow passes).",
        "warn", opts, {"kontrakt.pdf": annotation_update_new_array(ctx.sealed("annot-new-array", indirect), arr)}, files,
        warn=["mod.changes"], passes=full + ["mod.shadow"])
    indirect, arr = indirect_annots_contract("annot-indirect-p3")
    add("pades", "certification-p3-indirect-annots",
        "As certification-p3 on a page whose /Annots is an indirect array object: after a certification signature with DocMDP /P 3, an update adds a sticky note by replacing only that array. It is the page's annotation list, an annotation change /P 3 allows (ISO 32000-1 §12.8.2.2 Table 254), so mod.docmdp passes; mod.changes warns for the note drawn over the page, as in certification-p3.",
        "warn", opts, {"kontrakt.pdf": annotation_update_indirect(ctx.sealed("annot-indirect-p3", indirect, certify=3), arr)}, files,
        warn=["mod.changes"], passes=full + ["mod.shadow", "mod.docmdp"])

    noted, note = noted_contract("note-date")
    add("pades", "annotation-date-updated",
        "Page 1 shows a reviewer's sticky note (/Text, 'Prisen er aftalt') from before signing; after an approval signature, an update changes only the note's modification date /M, as a viewer does when the note is reopened or replied to. Neither what the note draws nor what it says depends on /M (ISO 32000-1 §12.5.2 Table 164): the signed page shows what was signed, so mod.shadow passes, and mod.changes passes naming the note and the changed key. pyHanko rejects it (its diff policy explains no change to an existing annotation): a deliberate difference, recorded in tests/peer/pyhanko_agree.py.",
        "pass", opts, {"kontrakt.pdf": note_update(ctx.sealed("note-date", noted), note, (b"(D:20250309090000Z)", b"(D:20250311090000Z)"))},
        files, passes=full + MOD_PASS)
    noted, note = noted_contract("note-popup")
    signed = ctx.sealed("note-popup", noted)
    n = int(trailer_of(signed)[0]["/Size"])
    popup = f"<< /Type /Annot /Subtype /Popup /Rect [70 600 330 700] /Open true /Parent {note} 0 R >>".encode()
    body = dict_add(obj_body(signed, note), f"/Popup {n} 0 R".encode()).replace(b"(D:20250309090000Z)", b"(D:20250311090000Z)")
    add("attacks", "annotation-popup-unlisted",
        "As pades/annotation-date-updated, but the update also gives the signed note a /Popup: a new, open pop-up annotation over the price that the page's /Annots does not list. /M alone is harmless, and /Popup is when it names an annotation the page lists (that one is then judged itself), but a pop-up the page does not list escapes the checks of the page's annotations, so the change counts as a change to what the signed page showed: mod.shadow fails and mod.changes warns.",
        "fail", opts, {"kontrakt.pdf": append_update(signed, {note: body, n: popup})},
        files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    noted, note = noted_contract("note-moved")
    add("attacks", "annotation-rect-changed",
        "As pades/annotation-date-updated, but the update moves the signed note: only its /Rect changes, to lie over the price line. /Rect decides where the annotation is drawn (ISO 32000-1 §12.5.2 Table 164), so the signed page no longer shows what was signed: mod.shadow fails and mod.changes warns.",
        "fail", opts, {"kontrakt.pdf": note_update(ctx.sealed("note-moved", noted), note, (b"/Rect [450 600 470 620]", b"/Rect [70 664 90 684]"))},
        files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    noted, note = noted_contract("note-text")
    add("attacks", "annotation-contents-and-date-changed",
        "As pades/annotation-date-updated, but the update changes the signed note's /M and its text (/Contents 'Prisen er aftalt' becomes 'Prisen er IKKE aftalt'): the date alone would be harmless, the text is what the note says (ISO 32000-1 §12.5.2 Table 164), so mod.shadow fails and mod.changes warns, naming both keys.",
        "fail", opts, {"kontrakt.pdf": note_update(ctx.sealed("note-text", noted), note, (b"(D:20250309090000Z)", b"(D:20250311090000Z)"), (pdf_str("Prisen er aftalt"), pdf_str("Prisen er IKKE aftalt")))},
        files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)

    noted, text = noted_contract_indirect("note-indirect-text")
    add("attacks", "annotation-indirect-contents-redefined",
        "As attacks/annotation-contents-and-date-changed, but the signed note's /Contents is an indirect string object and the update redefines only that object ('Prisen er aftalt' becomes 'Prisen er IKKE aftalt'), leaving the note's dictionary byte for byte as signed. An indirect reference stands for the object (ISO 32000-1 §7.3.10), so what the note says changed: mod.shadow fails and mod.changes warns, naming /Contents and the object.",
        "fail", opts, {"kontrakt.pdf": append_update(ctx.sealed("note-indirect-text", noted), {text: pdf_str("Prisen er IKKE aftalt")})},
        files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)

    noted, text = noted_contract_dangling("note-dangling-text")
    add("attacks", "annotation-indirect-contents-defined-later",
        "As attacks/annotation-indirect-contents-redefined, but when the document was signed the note's /Contents named an object that did not exist, so the signed note said nothing (a reference to an undefined object is null, ISO 32000-1 §7.3.10); the update defines that object as 'Prisen er IKKE aftalt', leaving the note's dictionary byte for byte as signed. Defining the object changes what the note says as surely as redefining it: mod.shadow fails and mod.changes warns, naming /Contents and the object.",
        "fail", opts, {"kontrakt.pdf": append_update(ctx.sealed("note-dangling-text", noted), {text: pdf_str("Prisen er IKKE aftalt")})},
        files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)

    ts = doc_timestamp(ctx, contract_pdf("doc-ts-content"), "doc-ts-content")
    add("attacks", "doc-timestamp-then-content",
        "A document timestamp (ETSI.RFC3161) over the contract, then an incremental update that redefines the page's content stream (Pris: 9.000 kr.). The timestamp proves that the revision it covers existed at its time, not what readers now show: the changes after a document timestamp are judged as after a signature, so mod.changes warns (other) and mod.shadow fails (the timestamped page's content was redefined). pyHanko also reports the update.",
        "fail", opts, {"kontrakt.pdf": append_update(ts, {5: stream(text_content(EVIL_LINES))})}, files,
        fail=["mod.shadow"], warn=["mod.changes"], passes=["pdf.structure", "pdf.signatures", "sig.byte_range", "sig.contents_gap", "sig.coverage"] + TST_PASS)
    rev1 = contract_pdf("doc-ts-prev-skip", lines=EVIL_LINES)
    rev3 = doc_timestamp(ctx, append_update(rev1, {5: stream(text_content(CONTRACT_LINES))}), "doc-ts-prev-skip")
    add("attacks", "doc-timestamp-prev-skips-revision",
        "As prev-skips-signed-revision with a document timestamp: revision 1 shows 'Pris: 9.000 kr.', revision 2 changes it to 1.000 kr., revision 3 is a document timestamp; revision 4's trailer /Prev points at revision 1's xref, so readers show 9.000 kr. and no timestamp. The timestamp is found as a dictionary no field references (pdf.signatures warns) and covers bytes that end at no revision of the document shown (sig.coverage warns), so what was timestamped is not what readers show: mod.changes fails, as for a signature.",
        "fail", opts, {"kontrakt.pdf": prev_skips(rev1, rev3)}, files, fail=["mod.changes"], warn=["pdf.signatures", "sig.coverage"],
        passes=["tst.imprint", "tst.signature"])


def gen_attacks(ctx: Ctx):
    pki, files = ctx.pki, ctx.files
    opts = base_opts()
    full = PDF_PASS + TST_PASS + LTV_PASS
    base = ctx.sealed("attack-base")
    sp = SigSpot(base, -1)
    evil_base = change_once(base, PRICE, EVIL_PRICE)

    # --- USF: Universal Signature Forgery (Mladenov et al., CCS 2019) -------------
    def usf_br(name, new, what):
        pdf = replace_same_len(evil_base, sp.br_start, sp.br_end, new)
        add("attacks", name,
            f"USF (Universal Signature Forgery, Mladenov et al. CCS 2019): the signature dictionary's /ByteRange {what}, and the price was changed to 9.000 kr.; sig.byte_range fails and nothing that needs the ranges (the digest) is checked.",
            "fail", opts, {"kontrakt.pdf": pdf}, files, fail=["sig.byte_range"], passes=["pdf.structure", "pdf.signatures"])

    usf_br("usf-byterange-missing", b"", "is removed")
    usf_br("usf-byterange-empty", b"/ByteRange []", "is an empty array")
    usf_br("usf-byterange-null", b"/ByteRange null", "is null")
    usf_br("usf-byterange-three", f"/ByteRange [0 {sp.a} {sp.b}]".encode(), "holds three numbers")
    usf_br("usf-byterange-five", f"/ByteRange [0 {sp.a} {sp.b} {sp.c} 100]".encode(), "holds five numbers")
    usf_br("usf-byterange-negative", f"/ByteRange [0 {sp.a} {sp.b} -{sp.c}]".encode(), "ends in a negative length")

    no_contents = evil_base[:sp.m.start()] + b" " * (sp.hex_end + 1 - sp.m.start()) + evil_base[sp.hex_end + 1:]
    add("attacks", "usf-contents-missing",
        "USF (Mladenov et al. CCS 2019): /Contents is removed from the signature dictionary (blanked, the ByteRange kept) and the price changed: the gap is no /Contents string (sig.contents_gap), so what the ranges cover is UNCLEAR (sig.coverage), and there is no CMS (cms.format).",
        "fail", opts, {"kontrakt.pdf": no_contents}, files, fail=["sig.contents_gap", "cms.format", "sig.coverage"],
        passes=["sig.byte_range"])
    empty = hand_sign(contract_pdf("usf-empty", lines=EVIL_LINES), None, contents_literal=b"<>")
    add("attacks", "usf-contents-empty",
        "USF (Mladenov et al. CCS 2019): a signature dictionary whose /Contents is the empty hex string <> and whose ByteRange gap is exactly those two bytes: the gap is consistent, but there is no CMS at all (cms.format).",
        "fail", opts, {"kontrakt.pdf": empty}, files, fail=["cms.format"], passes=["sig.byte_range", "sig.contents_gap"])
    b64_ = base64.b64encode(sp.cms_der())
    not_hex = replace_same_len(evil_base, sp.hex_start, sp.hex_end, b64_)
    add("attacks", "usf-contents-not-hex",
        "USF (Mladenov et al. CCS 2019): /Contents <...> holds the CMS in base64, not hex digits (blank-padded to the same length), and the price changed: the gap is not a hex string (sig.contents_gap), so the coverage is UNCLEAR (sig.coverage), and it holds no decodable CMS (cms.format).",
        "fail", opts, {"kontrakt.pdf": not_hex}, files, fail=["sig.contents_gap", "cms.format", "sig.coverage"],
        passes=["sig.byte_range"])
    garbage = hashlib.sha256(b"garbage").digest() * ((sp.hex_end - sp.hex_start) // 64 + 1)
    garbage = garbage[:(sp.hex_end - sp.hex_start) // 2].hex().upper().encode()
    gpdf = evil_base[:sp.hex_start] + garbage + evil_base[sp.hex_end:]
    add("attacks", "usf-contents-garbage",
        "USF (Mladenov et al. CCS 2019): /Contents is a well-formed hex string of the right length holding random bytes instead of a CMS, and the price changed: cms.format fails.",
        "fail", opts, {"kontrakt.pdf": gpdf}, files, fail=["cms.format"], passes=["sig.byte_range", "sig.contents_gap"])

    # --- ISA: Incremental Saving Attack (Mladenov et al., CCS 2019) ---------------
    new_content = {5: stream(text_content(EVIL_LINES))}
    add("attacks", "isa-replace-content",
        "ISA (Incremental Saving Attack, Mladenov et al. CCS 2019): an incremental update with a new xref section redefines the page's content stream (price 9.000 kr.): the signature still covers its revision, but the change is 'other' (mod.changes warns) and the signed page's content was redefined (mod.shadow fails).",
        "fail", opts, {"kontrakt.pdf": append_update(base, new_content)}, files,
        fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    add("attacks", "isa-replace-content-no-xref",
        "ISA variant (Mladenov et al. CCS 2019): the redefined content stream object is appended after %%EOF without an xref section or trailer; readers that follow the xref chain ignore it, so the visible document is the signed one, but unsigned bytes that no cross-reference section indexes follow the signed revision (mod.changes warns, and pdf.structure warns: bytes after the last %%EOF belong to no revision).",
        "warn", opts, {"kontrakt.pdf": append_update(base, new_content, xref=False)}, files, warn=["mod.changes", "pdf.structure"],
        passes=full)
    page2 = {40: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 41 0 R >>",
             41: stream(text_content(["Tillæg", "Køber betaler yderligere 50.000 kr.", "ved overdragelsen."])),
             2: b"<< /Type /Pages /Kids [3 0 R 40 0 R] /Count 2 >>"}
    add("attacks", "isa-add-page",
        "ISA (Mladenov et al. CCS 2019): an incremental update with a new xref section adds a second page (new page and content, page tree redefined): mod.changes warns (other), mod.shadow fails (the signed page tree was redefined).",
        "fail", opts, {"kontrakt.pdf": append_update(base, page2)}, files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    add("attacks", "isa-add-page-no-xref",
        "ISA variant (Mladenov et al. CCS 2019): the new page, its content and a redefined page tree appended after %%EOF without xref or trailer: ignored by conforming readers, reported as unindexed bytes after the signed revision (mod.changes warns, and pdf.structure warns: bytes after the last %%EOF belong to no revision).",
        "warn", opts, {"kontrakt.pdf": append_update(base, page2, xref=False)}, files, warn=["mod.changes", "pdf.structure"],
        passes=full)
    cert = ctx.sealed("attack-certified", certify=1)
    add("attacks", "isa-certified-p1",
        "ISA (Mladenov et al. CCS 2019) against a certified document (DocMDP /P 1): the update redefines the page content: mod.docmdp fails (no change allowed), mod.shadow fails, mod.changes warns (other).",
        "fail", opts, {"kontrakt.pdf": append_update(cert, new_content)}, files, fail=["mod.docmdp", "mod.shadow"],
        warn=["mod.changes"], passes=full)
    trailing = base + b"% appended after signing: not part of any revision\n" + hashlib.sha256(b"tail").digest() + b"\n"
    add("attacks", "trailing-bytes",
        "Trailing bytes after the last signed range (the ISA family, Mladenov et al. CCS 2019): a comment line and 32 binary bytes after the signed revision's %%EOF, with no xref; the signature covers its revision (ENTIRE_REVISION), and the unindexed tail is reported (mod.changes warns, and pdf.structure warns: bytes after the last %%EOF belong to no revision).",
        "warn", opts, {"kontrakt.pdf": trailing}, files, warn=["mod.changes", "pdf.structure"], passes=full)

    # --- SWA: Signature Wrapping Attack (Mladenov et al., CCS 2019) ---------------
    add("attacks", "swa-relocated-range",
        "SWA (Signature Wrapping Attack, Mladenov et al. CCS 2019): the signed bytes after the gap are moved to the end of the file and a new /ByteRange points at them, while the old gap holds the CMS, the rest of the signature dictionary, a redefined page content (9.000 kr.) and a new xref at the offset the signed startxref names; the digest matches and the ranges reach the end of the file, but the gap is not just the /Contents string (sig.contents_gap fails) and unsigned bytes other than the signature lie between the ranges, so the coverage is UNCLEAR (sig.coverage fails, as pyHanko also says). The moved bytes leave an xref section without its startxref and %%EOF, a fault sigaudit repairs and pdf.structure warns about.",
        "fail", opts, {"kontrakt.pdf": swa(base)}, files, fail=["sig.contents_gap", "sig.coverage"], warn=["pdf.structure"],
        passes=["sig.byte_range", "cms.message_digest", "cms.signature"])

    # --- Shadow attacks (Mainka et al., NDSS 2021) ------------------------------
    hide = ctx.sealed("shadow-hide", contract_pdf("shadow-hide", overlay=True))
    hide = append_update(hide, {21: b"<< /Type /OCMD /OCGs [22 0 R] /P /AllOn >>"})
    add("attacks", "shadow-hide",
        "Shadow attack 'hide' (Mainka et al. NDSS 2021): the signed page draws an overlay XObject ('Pris: 9.000 kr.' on a white box) inside optional content whose membership dictionary says /P /AllOff, so it was invisible when signed; the update redefines only that small OCMD dictionary (/P /AllOn), and the overlay shows: mod.changes warns (other), mod.shadow fails (an object the signed page uses was redefined).",
        "fail", opts, {"kontrakt.pdf": hide}, files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    font = append_update(base, {4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [49 /nine] >> >>"})
    add("attacks", "shadow-replace-font",
        "Shadow attack 'replace' (Mainka et al. NDSS 2021): the update redefines the page's font with an encoding whose /Differences draw the glyph 'nine' for the code of '1', so 'Pris: 1.000 kr.' shows as 9.000 without touching the content stream: mod.changes warns, mod.shadow fails (font redefined).",
        "fail", opts, {"kontrakt.pdf": font}, files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    xo = ctx.sealed("shadow-replace-xobject", contract_pdf("shadow-replace-xobject", xobject=True))
    evil_logo = (b"0 0.3 0.6 rg 0 0 120 40 re f BT 1 1 1 rg /F1 12 Tf 8 14 Td (TESTBANKEN) Tj ET\n"
                 b"q 1 1 1 rg -330 -76 220 22 re f Q BT 0 g /F1 14 Tf -328 -70 Td (Pris: 9.000 kr.) Tj ET\n")
    xo = append_update(xo, {23: stream(evil_logo, b" /Type /XObject /Subtype /Form /BBox [-400 -740 195 102] /Resources << /Font << /F1 4 0 R >> >>")})
    add("attacks", "shadow-replace-xobject",
        "Shadow attack 'replace' (Mainka et al. NDSS 2021): the update redefines the form XObject (a bank logo) the signed page draws; the new one has a larger /BBox and paints 'Pris: 9.000 kr.' over the price: mod.changes warns, mod.shadow fails (XObject redefined).",
        "fail", opts, {"kontrakt.pdf": xo}, files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)
    har = ctx.sealed("shadow-hide-and-replace", contract_pdf("shadow-hide-and-replace", shadow_content=EVIL_LINES))
    har = append_update(har, {}, xref_entries={5: SHADOW_OFFSETS["shadow-hide-and-replace"]})
    add("attacks", "shadow-hide-and-replace",
        "Shadow attack 'hide-and-replace' (Mainka et al. NDSS 2021): the signed file already holds a second, unused definition of the page's content stream (object 5, price 9.000 kr.) before the one its xref uses; the update writes no object at all, only an xref section whose entry for object 5 points at the shadow definition: mod.changes warns, mod.shadow fails (the page content was redefined through the xref).",
        "fail", opts, {"kontrakt.pdf": har}, files, fail=["mod.shadow"], warn=["mod.changes"], passes=full)

    # --- Changes a DSS, a new field or a FieldMDP lock must not hide ------------
    blt = ctx.s.sign(contract_pdf("dss-page-tree"), "dss-page-tree", tsa=True, revinfo=False, dss=True)
    add("attacks", "dss-reaches-new-page-tree",
        "ISA through the DSS (review finding): after a B-LT signature (pyHanko's DSS in revision 3), one update redefines the catalog with a new /Pages tree whose page shows 'Pris: 9.000 kr.', and adds to the DSS an extra key /Ext [catalog, new page tree], so everything is 'reachable from the DSS'. Only the DSS's /Certs, /OCSPs, /CRLs and /VRI hold validation data: the catalog's /Pages changed and the page list holds a new page (mod.shadow fails), and the tree is an 'other' change (mod.changes warns). pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": dss_page_tree_update(blt)}, files, fail=["mod.shadow"], warn=["mod.changes"],
        passes=full)
    p1 = ctx.sealed("dss-page-tree-p1", certify=1)
    add("attacks", "dss-reaches-new-page-tree-p1",
        "As dss-reaches-new-page-tree against a certification signature with DocMDP /P 1: the update adds a DSS (no validation data, an /Ext key referencing the catalog and a new page tree) and redefines the catalog's /Pages: mod.docmdp fails (/P 1 allows validation data only; the catalog, page tree and content are not), mod.shadow fails, mod.changes warns.",
        "fail", opts, {"kontrakt.pdf": dss_page_tree_update(p1)}, files, fail=["mod.shadow", "mod.docmdp"],
        warn=["mod.changes"], passes=full)

    p2 = ctx.sealed("p2-new-field", contract_pdf("p2-new-field", form=True, sig_fields=["Signatur2"]), certify=2)
    add("attacks", "p2-new-text-field-overlay",
        "After a certification signature with DocMDP /P 2, an update adds a new text field Bem (read-only) whose widget's appearance paints a white box and 'Pris: 9.000 kr.' over the price: /P 2 allows filling in the fields the signed document has and signing (ISO 32000-1 §12.8.2.2 Table 254), not adding fields, so mod.docmdp fails; mod.changes warns, as for any field added after signing that paints. pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": new_field_update(p2, b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Bem) /V (Pris: 9.000 kr.) /Ff 1")},
        files, fail=["mod.docmdp"], warn=["mod.changes"], passes=full + ["mod.shadow"])
    add("attacks", "new-text-field-overlay",
        "After an approval signature, an update adds a new text field Bem (read-only) whose widget's appearance paints a white box and 'Pris: 9.000 kr.' over the price. An approval signature restricts no change, but a field added after signing is an annotation drawn over the page, where it can hide or imitate signed content, so mod.changes warns and names it (page, /Rect, field name). pyHanko also rejects it (a new field that is no signature field).",
        "warn", opts, {"kontrakt.pdf": new_field_update(ctx.sealed("new-field", contract_pdf("new-field", form=True)), b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Bem) /V (Pris: 9.000 kr.) /Ff 1")},
        files, warn=["mod.changes"], passes=full + ["mod.shadow"])
    add("attacks", "p2-new-signature-field-overlay",
        "After a certification signature with DocMDP /P 2, an update adds a new signature field Signatur9 that holds no signature but whose widget's appearance paints 'Pris: 9.000 kr.' over the price (the 'sneaky signature' attack, Mainka et al. 2021). ISO 32000-1 allows signing under /P 2, which takes a new signature field, so mod.docmdp passes; an unsigned signature field that paints a visible appearance can cover what was signed, so mod.changes warns. pyHanko rejects it (a new signature field only after approval signatures).",
        "warn", opts, {"kontrakt.pdf": new_field_update(p2, b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signatur9)")},
        files, warn=["mod.changes"], passes=full + ["mod.shadow", "mod.docmdp"])

    locked = ctx.sealed("fieldmdp-nested", nested_form_pdf("fieldmdp-nested"), lock=("include", ["Parti.Navn", "Pris"]))
    ap_num = int(trailer_of(locked)[0]["/Size"])
    add("attacks", "fieldmdp-lock-nested-field",
        "An approval signature whose field locks (FieldMDP /Include) the fields Parti.Navn and Pris, by fully qualified names (ISO 32000-1 §12.7.3.2, §12.7.4.5 Table 233); an update then changes Parti.Navn, a kid whose own /T is only (Navn), to 'Mallory' with a new appearance: the lock is matched on the full name, so mod.docmdp fails. pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": append_update(locked, {
            11: obj_body(locked, 11).replace(b"/V (Anna Andersen)", b"/V (Mallory)").replace(b"/N 12 0 R", f"/N {ap_num} 0 R".encode()),
            ap_num: stream(b"/Tx BMC BT /Helv 12 Tf 2 5 Td (Mallory) Tj ET EMC", FIELD_AP)})},
        files, fail=["mod.docmdp"], passes=full + MOD_PASS)
    add("attacks", "fieldmdp-lock-widget-appearance",
        "The locked document of fieldmdp-lock-nested-field; the update leaves the field Pris (/V 1000) alone and gives only its separate widget, which has no /T, a new appearance showing '9.000.000 kr.': the widget belongs to Pris through /Parent, so the lock covers it and mod.docmdp fails. pyHanko also rejects it.",
        "fail", opts, {"kontrakt.pdf": append_update(locked, {
            14: obj_body(locked, 14).replace(b"/N 15 0 R", f"/N {ap_num} 0 R".encode()),
            ap_num: stream(b"/Tx BMC BT /Helv 12 Tf 2 5 Td (9.000.000 kr.) Tj ET EMC", FIELD_AP)})},
        files, fail=["mod.docmdp"], passes=full + MOD_PASS)

    review_attacks(ctx, opts, full)
    annotation_attacks(ctx, opts, full)

    # --- ByteRange and CMS manipulations ----------------------------------------
    add("attacks", "two-signatures-one-gap",
        "Two signatures sharing one gap: an update adds a field Signatur2 whose value is a copy of the first signature dictionary (same /ByteRange, same /Contents, /Name Anna Andersen), so one CMS appears as two signers: sig.byte_range fails (gap used by another signature) and the copy's gap is not its own /Contents (sig.contents_gap).",
        "fail", opts, {"kontrakt.pdf": two_sigs_one_gap(base)}, files, fail=["sig.byte_range", "sig.contents_gap"],
        passes=["pdf.structure", "pdf.signatures"])
    outside = replace_same_len(base, sp.br_start, sp.br_end, f"/ByteRange [0 {sp.a} {sp.b} {sp.c + 100000}]".encode())
    add("attacks", "byterange-outside-file",
        "A /ByteRange whose second range runs 100,000 bytes past the end of the file: sig.byte_range fails (b + c beyond the file length).",
        "fail", opts, {"kontrakt.pdf": outside}, files, fail=["sig.byte_range"])
    add("attacks", "message-digest-mismatch",
        "The price in the signed content stream changed in place (1.000 -> 9.000 kr., same length, no new revision): the bytes the ByteRange covers no longer hash to the message-digest attribute (cms.message_digest fails); the signature over the attributes and the timestamp still verify.",
        "fail", opts, {"kontrakt.pdf": evil_base}, files, fail=["cms.message_digest"],
        passes=["cms.signature", "sig.byte_range", "sig.contents_gap"] + TST_PASS)

    def flip(sd):
        si = sd["signer_infos"][0]
        v = bytearray(si["signature"].native)
        v[len(v) // 2] ^= 0x01
        si["signature"] = bytes(v)
    nots = ctx.sealed("attack-notst", tsa=False)
    add("attacks", "signature-value-tampered",
        "One bit of the SignerInfo's signature value flipped inside /Contents (the profile without a signature timestamp, so only the signature is affected): cms.signature fails; the digest still matches.",
        "fail", opts, {"kontrakt.pdf": tamper_cms(nots, flip)}, files, fail=["cms.signature"],
        passes=["cms.message_digest", "cms.signing_certificate", "sig.contents_gap"])

    def swap(sd):
        certs = []
        for c in sd["certificates"]:
            if c.chosen.serial_number == pki.seal.serial_number:
                certs.append(cms.CertificateChoices(name="certificate", value=PadesPki.a(pki.seal_twin)))
            else:
                certs.append(c)
        sd["certificates"] = certs
    add("attacks", "signer-certificate-swapped",
        "The signer's certificate in the CMS replaced by a twin with the same issuer, serial number and key but another subject (O=Sigaudit TEST Bank A/S): the SignerInfo still finds it and the signature still verifies, but the signing-certificate-v2 hash names the original: cms.signing_certificate fails (RFC 5035's substitution attack).",
        "fail", opts, {"kontrakt.pdf": tamper_cms(base, swap)}, files, fail=["cms.signing_certificate"],
        passes=["cms.signature", "cms.signer_certificate", "cms.message_digest"])

    def ess_certid(c, serial_delta=0):
        """An ESSCertIDv2 for `c` (SHA-256), its issuerSerial's serial number shifted by serial_delta."""
        a = PadesPki.a(c)
        return {"hash_algorithm": {"algorithm": "sha256"}, "cert_hash": hashlib.sha256(a.dump()).digest(),
                "issuer_serial": {"issuer": [asn1_x509.GeneralName(name="directory_name", value=a.issuer)],
                                  "serial_number": a.serial_number + serial_delta}}

    def ess_attr(certids):
        from asn1crypto import tsp
        return cms.CMSAttribute({"type": "signing_certificate_v2", "values": [tsp.SigningCertificateV2({"certs": certids})]})

    def resign(si, attrs, key):
        """Sets a SignerInfo's signed attributes (sorted: DER SET OF) and signs them
        again with `key` (RSA PKCS#1 v1.5, SHA-256)."""
        si["signed_attrs"] = cms.CMSAttributes([cms.CMSAttribute.load(a) for a in sorted(a.dump(force=True) for a in attrs)])
        assert si["signature_algorithm"]["algorithm"].native in ("rsassa_pkcs1v15", "sha256_rsa")
        tbs = si["signed_attrs"].untag().dump(force=True)
        si["signature"] = key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())

    def seal_ess(certids):
        """The seal's signing-certificate-v2 replaced by one holding `certids`; signed again with the seal key."""
        def fn(sd):
            si = sd["signer_infos"][0]
            resign(si, [ess_attr(certids) if at["type"].native == "signing_certificate_v2" else at for at in si["signed_attrs"]], pki.seal_key)
        return fn

    add("attacks", "signing-certificate-v2-signer-not-first",
        "The signed attributes rewritten and signed again with the seal's key (no signature timestamp): signing-certificate-v2 holds two ESSCertIDv2, the first naming the twin certificate (same key, issuer and serial, O=Sigaudit TEST Bank A/S), the second the seal certificate the CMS carries. The first ESSCertIDv2 identifies the signing certificate, the others other certificates of its path (RFC 5035 §3, ETSI EN 319 122-1 §5.2.2.3), so the signature binds the twin, not the certificate it is verified with: cms.signing_certificate fails. pyHanko also rejects it (it compares the first ESSCertIDv2).",
        "fail", opts, {"kontrakt.pdf": tamper_cms(nots, seal_ess([ess_certid(pki.seal_twin), ess_certid(pki.seal)]))}, files, fail=["cms.signing_certificate"],
        passes=["cms.signature", "cms.signer_certificate", "cms.message_digest", "cms.content_type", "sig.coverage"])

    add("attacks", "signing-certificate-v2-issuer-serial-mismatch",
        "The signed attributes rewritten and signed again with the seal's key (no signature timestamp): the one ESSCertIDv2 carries the seal certificate's hash, but its issuerSerial names serial number + 1. A reference whose hash and issuerSerial name different certificates contradicts itself; the signing certificate is not identified (ETSI EN 319 102-1 §5.2.3.4): cms.signing_certificate fails.",
        "fail", opts, {"kontrakt.pdf": tamper_cms(nots, seal_ess([ess_certid(pki.seal, 1)]))}, files, fail=["cms.signing_certificate"],
        passes=["cms.signature", "cms.signer_certificate", "cms.message_digest", "cms.content_type", "sig.coverage"])

    def retimestamp(edit, cert=None):
        """Rewrites the signature timestamp token's signed attributes with `edit`
        (a function of the list of attributes) and signs them again with the TSA key:
        the token stays authentic, only what its signed attributes say changes. With
        `cert` (another certificate of the TSA key), the token's certificates and its
        SignerInfo's issuer and serial name `cert` instead of the TSA certificate."""
        def fn(sd):
            si = sd["signer_infos"][0]
            uattrs = []
            for at in si["unsigned_attrs"]:
                if at["type"].native == "signature_time_stamp_token":
                    tok = cms.ContentInfo.load(at["values"][0].dump())
                    tsd = tok["content"]
                    tsi = tsd["signer_infos"][0]
                    if cert is not None:
                        a = PadesPki.a(cert)
                        others = [c for c in tsd["certificates"] if c.chosen.serial_number != pki.tsa.serial_number]
                        tsd["certificates"] = cms.CertificateSet([cms.CertificateChoices(name="certificate", value=a)] + others)
                        tsi["sid"] = cms.SignerIdentifier(name="issuer_and_serial_number", value={"issuer": a.issuer, "serial_number": a.serial_number})
                    assert tsi["digest_algorithm"]["algorithm"].native == "sha256"
                    resign(tsi, edit(list(tsi["signed_attrs"])), pki.tsa_key)
                    at = cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [cms.ContentInfo.load(tok.dump(force=True))]})
                uattrs.append(at)
            si["unsigned_attrs"] = cms.CMSAttributes(uattrs)
        return fn

    def tst_ess(certids):
        def edit(attrs):
            out = [a for a in attrs if a["type"].native not in ("signing_certificate", "signing_certificate_v2")]
            if certids is not None:
                out.append(ess_attr(certids))
            return out
        return edit

    add("attacks", "timestamp-tsa-extra-key-usage",
        "The signature timestamp token re-signed by the TSA's key under a second certificate for that key whose critical extKeyUsage lists codeSigning beside timeStamping. RFC 3161 §2.3 requires the TSA certificate's extKeyUsage to hold id-kp-timeStamping only: chain.key_usage fails for the TSA certificate and tst.certificate fails.",
        "fail", opts, {"kontrakt.pdf": tamper_cms(base, retimestamp(tst_ess([ess_certid(pki.tsa_multi_eku)]), cert=pki.tsa_multi_eku))}, files, fail=["tst.certificate", "chain.key_usage"],
        passes=["tst.format", "tst.imprint", "tst.signature", "tst.signing_certificate", "cms.signature", "cms.signing_certificate"])

    tst_fail = ["tst.signing_certificate"]
    add("attacks", "timestamp-signing-certificate-other",
        "The signature timestamp token's signed attributes rewritten and signed again with the TSA's key: its signing-certificate-v2 names the seal certificate instead of the TSA certificate. RFC 3161 §2.4.2 (RFC 5816) binds the TSA certificate by that attribute, so the token does not identify the certificate it is verified with: tst.signing_certificate fails and the timestamp proves no time.",
        "fail", opts, {"kontrakt.pdf": tamper_cms(base, retimestamp(tst_ess([ess_certid(pki.seal)])))}, files, fail=tst_fail,
        passes=["tst.format", "tst.imprint", "tst.signature", "tst.certificate", "cms.signature", "cms.signing_certificate"])
    add("attacks", "timestamp-signing-certificate-issuer-serial-mismatch",
        "The signature timestamp token re-signed by the TSA with a signing-certificate-v2 whose one ESSCertIDv2 has the TSA certificate's hash but an issuerSerial with serial number + 1: the reference contradicts itself, tst.signing_certificate fails.",
        "fail", opts, {"kontrakt.pdf": tamper_cms(base, retimestamp(tst_ess([ess_certid(pki.tsa, 1)])))}, files, fail=tst_fail,
        passes=["tst.format", "tst.imprint", "tst.signature", "tst.certificate", "cms.signature"])
    add("attacks", "timestamp-without-signing-certificate",
        "The signature timestamp token re-signed by the TSA without any ESS signing-certificate attribute, which RFC 3161 §2.4.2 requires: the TSA certificate is named only by issuer and serial number. tst.signing_certificate warns; the time is still proven.",
        "warn", opts, {"kontrakt.pdf": tamper_cms(base, retimestamp(tst_ess(None)))}, files, warn=tst_fail,
        passes=["tst.format", "tst.imprint", "tst.signature", "tst.certificate", "cms.signature", "cms.signing_certificate"])

    # --- Time-stamps and revocation data judged as of the validation time -----------
    def restamp(alg="sha256", when=T_SIGN):
        """Replaces the signature timestamp token (an unsigned attribute, outside the
        signature) by one from the test TSA at `when`, whose messageImprint over the
        signature value and whose own SignerInfo digest use `alg` (pyHanko's
        dummy TSA signs with the imprint's hash)."""
        import asyncio
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        tsa = ctx.s.FixedTsa(tsa_cert=PadesPki.a(pki.tsa), tsa_key=PadesPki.k(pki.tsa_key),
                             certs_to_embed=SimpleCertificateStore.from_certs([PadesPki.a(pki.ca)]), fixed_dt=when, include_nonce=False)

        def fn(sd):
            si = sd["signer_infos"][0]
            imprint = hashlib.new(alg, si["signature"].native).digest()
            tok = asyncio.run(tsa.async_timestamp(imprint, alg))
            assert tok["content"]["signer_infos"][0]["digest_algorithm"]["algorithm"].native == alg
            si["unsigned_attrs"] = cms.CMSAttributes([cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [tok]})])
        return fn

    add("attacks", "timestamp-sha1",
        "The signature timestamp token replaced by one from the test TSA at the signing time whose messageImprint over the signature value is SHA-1 and whose SignerInfo digests TSTInfo with SHA-1 (sha1 with RSA). SHA-1 is collision-prone and not acceptable for new time-stamps (ETSI TS 119 312): tst.imprint and tst.signature warn, as cms.digest_algorithm does for a SHA-1 signer; the time is still proven. pyHanko calls the timestamp indeterminate (CRYPTO_CONSTRAINTS_FAILURE, bottom_line False) but the signature intact and valid, which is what tests/peer/pyhanko_agree.py compares (it agrees).",
        "warn", opts, {"kontrakt.pdf": tamper_cms(base, restamp("sha1"))}, files, warn=["tst.imprint", "tst.signature"],
        passes=full + TST_PASS)
    late_ts = tamper_cms(base, restamp(when=utc(2025, 3, 10, 12, 0, 0)))
    add("attacks", "timestamp-after-validation-time",
        "The signature timestamp token replaced by one from the test TSA with genTime 2025-03-10T12:00:00Z, after the validation time 10:05. A time-stamp made later proves no existence at the validation time (ETSI EN 319 102-1 §5.6.2): tst.gen_time warns and the timestamp is not used as proof of existence, so the signer's chain and its revocation are judged at the validation time, not at 12:00 (both still pass: the seal is valid at 10:05 and its OCSP response covers it).",
        "warn", opts, {"kontrakt.pdf": late_ts}, files, warn=["tst.gen_time"], passes=full + TST_PASS)
    add("pades", "timestamp-later-at-signing",
        "The document of attacks/timestamp-after-validation-time (signature timestamp genTime 2025-03-10T12:00:00Z) validated with --at signing: the validation time is then the signing time the timestamp proves, so genTime is the validation time, and tst.gen_time passes: the signer is judged at 12:00.",
        "pass", base_opts("signing"), {"kontrakt.pdf": late_ts}, files, passes=full + TST_PASS)
    ocsp_late = ocsp_response(pki.seal, pki.ca, pki.responder, pki.responder_key, utc(2025, 3, 20))
    late_signed = ctx.sealed("ocsp-late", revinfo=False)
    late_dss = add_dss(late_signed, [SigSpot(late_signed, -1).contents], [pki.seal, pki.ca, pki.responder], [ocsp_late], [pki.crl_root])
    add("attacks", "ocsp-produced-after-validation-time",
        "A B-T signature (timestamp 2025-03-10T10:00:00Z, no revocation-info-archival) and a DSS whose only OCSP response for the seal says good, produced (and thisUpdate) 2025-03-20, ten days after the validation time 2025-03-10T10:05:00Z (the root's CRL covers the issuing CA). A good status later implies not revoked at the timestamp (revocation is permanent), so the response is used, but nobody could have shown it at the validation time: ltv.revocation warns with producedAt and the validation time as evidence; the level is still B-LT.",
        "warn", opts, {"kontrakt.pdf": late_dss}, files, warn=["ltv.revocation"],
        passes=PDF_PASS + TST_PASS + MOD_PASS + ["ltv.level", "ocsp.status", "ocsp.freshness", "ocsp.signature", "ocsp.cert_id"])
    add("pades", "ocsp-produced-later-at-signing",
        "The document of attacks/ocsp-produced-after-validation-time validated with --at signing: the validation time is the signing time, and long-term validation data is always fetched after it, so the OCSP response of 2025-03-20 shows the seal unrevoked at the timestamp and ltv.revocation passes.",
        "pass", base_opts("signing"), {"kontrakt.pdf": late_dss}, files,
        passes=PDF_PASS + TST_PASS + MOD_PASS + LTV_PASS + ["ocsp.status", "ocsp.freshness", "ocsp.signature", "ocsp.cert_id"])
    # The only proof of existence made after the validation time: the signer is judged then.
    late_only = tamper_cms(ctx.sealed("ts-late-only-poe", revinfo=False), restamp(when=utc(2031, 6, 2, 12, 0, 0)))
    late_only = add_dss(late_only, [SigSpot(late_only, -1).contents], [pki.seal, pki.ca], [], [pki.crl_root, pki.crl_ca])
    add("attacks", "timestamp-after-validation-time-no-poe",
        "A signature made on 2025-03-10 (no revocation-info-archival) whose only signature timestamp has genTime 2031-06-02T12:00:00Z, validated at 2031-06-01T12:00:00Z; a DSS holds the CRLs of 2025 (the root's and the issuing CA's, covering the spring of 2025). The timestamp is authentic and its TSA valid, but made a day after the validation time: it proves no existence then (ETSI EN 319 102-1 §5.6.2), tst.gen_time warns and the signature has no proof of existence, so the signer is judged at the validation time. The seal certificate expired on 2027-01-01 and nothing shows the signature older than that (EN 319 102-1 §5.2.7, OUT_OF_BOUNDS_NO_POE): chain.validity is indeterminate; and no revocation data speaks for 2031 (the 2025 CRLs do not reach it): ltv.revocation is indeterminate. The verdict is indeterminate, not fail: nothing shows the signature invalid, only that its validity cannot be established (with a timestamp from before the expiry, pades/seal-expired-later passes).",
        "indeterminate", base_opts(AT_LATER), {"kontrakt.pdf": late_only}, files, warn=["tst.gen_time"], indeterminate=["chain.validity", "ltv.revocation"],
        passes=[p for p in PDF_PASS if p != "chain.validity"] + [t for t in TST_PASS if t != "tst.gen_time"] + MOD_PASS + ["ltv.level"])
    # Document timestamps whose messageImprint and TSA digest use SHA-1 or MD5 (pyHanko's dummy TSA signs with the imprint's hash).
    doc_ts_pass = ["pdf.structure", "pdf.signatures", "sig.byte_range", "sig.contents_gap", "sig.coverage", "tst.format",
                   "tst.signing_certificate", "tst.certificate", "tst.gen_time"]
    add("attacks", "doc-timestamp-sha1",
        "A document timestamp (ETSI.RFC3161, /Type /DocTimeStamp) over the contract whose messageImprint over the ByteRange is SHA-1 and whose TSA SignerInfo digests TSTInfo with SHA-1 (sha1 with RSA): as for a signature timestamp (attacks/timestamp-sha1), SHA-1 is collision-prone and not acceptable for new time-stamps (ETSI TS 119 312), so tst.imprint and tst.signature warn; the time is still proven. pyHanko calls the timestamp intact and valid but not trusted (CRYPTO_CONSTRAINTS_FAILURE): a deliberate difference recorded in tests/peer/pyhanko_agree.py (it compares intact and valid with tst.imprint and tst.signature both passing).",
        "warn", opts, {"kontrakt.pdf": doc_timestamp(ctx, contract_pdf("doc-ts-sha1"), "doc-ts-sha1", alg="sha1")}, files,
        warn=["tst.imprint", "tst.signature"], passes=doc_ts_pass)
    add("attacks", "doc-timestamp-md5",
        "As attacks/doc-timestamp-sha1 with MD5: the messageImprint over the ByteRange and the TSA's digest of TSTInfo (md5 with RSA) use MD5, which is broken by collisions and not acceptable for any time-stamp (ETSI TS 119 312): tst.imprint and tst.signature fail, and the document timestamp proves no time. pyHanko calls it intact and valid but not trusted (CRYPTO_CONSTRAINTS_FAILURE): a deliberate difference recorded in tests/peer/pyhanko_agree.py.",
        "fail", opts, {"kontrakt.pdf": doc_timestamp(ctx, contract_pdf("doc-ts-md5"), "doc-ts-md5", alg="md5")}, files,
        fail=["tst.imprint", "tst.signature"], passes=doc_ts_pass)

    # --- Conflicting revocation data: a revocation in any validly signed source wins --
    t_revoked = utc(2025, 3, 10, 8, 0, 0)
    crl_revoked = make_crl(pki.ca, pki.ca_key, utc(2025, 3, 10, 9, 0, 0), utc(2025, 3, 17), 71,
                           revoked=[(pki.seal, t_revoked, x509.ReasonFlags.key_compromise)])
    ocsp_revoked = ocsp_response(pki.seal, pki.ca, pki.responder, pki.responder_key, T_REV, status=asn1_ocsp.CertStatus(
        name="revoked", value={"revocation_time": t_revoked, "revocation_reason": "key_compromise"}))

    def with_dss(label, ocsps, crls):
        pdf = ctx.sealed(label, revinfo=False)
        return add_dss(pdf, [SigSpot(pdf, -1).contents], [pki.seal, pki.ca, pki.responder], ocsps, crls)
    rev_pass = PDF_PASS + TST_PASS + MOD_PASS + ["ltv.level"]
    add("attacks", "revoked-crl-behind-older-crl",
        "A B-T signature (timestamp 2025-03-10T10:00:00Z, no revocation-info-archival) followed by a DSS with two CRLs of the issuing CA: the older one (thisUpdate 2025-03-10T00:00:00Z, CRL number 70) covers the signing time and does not list the seal; the newer one (09:00, number 71) lists the seal revoked at 08:00 for keyCompromise, before the signing time. A revocation in any validly signed CRL wins over a CRL issued before it (RFC 5280 §6.3, ETSI EN 319 102-1), so ltv.revocation fails. pyHanko's certvalidator, given both CRLs, also finds the seal revoked.",
        "fail", opts, {"kontrakt.pdf": with_dss("revoked-two-crls", [], [pki.crl_root, pki.crl_ca, crl_revoked])}, files,
        fail=["ltv.revocation"], passes=rev_pass)
    crl_late = make_crl(pki.ca, pki.ca_key, utc(2025, 3, 10, 12, 0, 0), utc(2025, 3, 17), 72,
                        revoked=[(pki.seal, utc(2025, 3, 10, 11, 0, 0), x509.ReasonFlags.key_compromise)])
    crl_late_invalid = make_crl(pki.ca, pki.ca_key, utc(2025, 3, 10, 12, 0, 0), utc(2025, 3, 17), 72,
                                revoked=[(pki.seal, utc(2025, 3, 10, 11, 0, 0), x509.ReasonFlags.key_compromise, utc(2025, 3, 10, 8, 0, 0))])
    add("pades", "revoked-after-timestamp",
        "A B-T signature (timestamp 2025-03-10T10:00:00Z) and a DSS whose CRL of the issuing CA (12:00) lists the seal revoked at 11:00 for keyCompromise, after the timestamp, with no invalidityDate: the signature existed before the revocation, so ltv.revocation passes (the control of revoked-invalidity-date-before-timestamp). Validated on 2025-03-11, after the CRL was issued (at the default 10:05 the CRL would be evidence from after the validation time, and ltv.revocation would warn, as in attacks/ocsp-produced-after-validation-time).",
        "pass", base_opts(rfc3339(utc(2025, 3, 11))), {"kontrakt.pdf": with_dss("revoked-late", [], [pki.crl_root, crl_late])}, files,
        passes=rev_pass + ["ltv.revocation"])
    add("attacks", "revoked-invalidity-date-before-timestamp",
        "As pades/revoked-after-timestamp, but the CRL entry carries invalidityDate 08:00: the CA learnt at 11:00 that the seal's key was compromised since 08:00, two hours before the timestamp. A signature made with a compromised key proves nothing, so the entry counts from its invalidityDate (RFC 5280 §5.3.2) and ltv.revocation fails.",
        "fail", opts, {"kontrakt.pdf": with_dss("revoked-late-invalid", [], [pki.crl_root, crl_late_invalid])}, files,
        fail=["ltv.revocation"], passes=rev_pass)
    add("attacks", "revoked-crl-beside-good-ocsp",
        "As revoked-crl-behind-older-crl, but the DSS holds a good OCSP response for the seal (thisUpdate 09:55, from the delegated responder) and the issuing CA's CRL of 09:00 listing the seal revoked at 08:00 for keyCompromise: the two disagree, and a revocation at or before the signing time in any validly signed source wins, so ltv.revocation fails (the OCSP response itself is well formed and verifies). pyHanko's certvalidator stops at the good OCSP response and calls the seal valid: a deliberate difference (revocation is not among the properties tests/peer/pyhanko_agree.py compares).",
        "fail", opts, {"kontrakt.pdf": with_dss("revoked-crl-ocsp", [pki.ocsp["seal"]], [pki.crl_root, crl_revoked])}, files,
        fail=["ltv.revocation"], passes=rev_pass + ["ocsp.status", "ocsp.signature", "ocsp.cert_id"])
    add("attacks", "revoked-ocsp-behind-good-ocsp",
        "As revoked-crl-beside-good-ocsp with two OCSP responses for the seal from the same responder, both thisUpdate 09:55: the first says good, the second revoked at 08:00 for keyCompromise (and the root's CRL for the issuing CA). The revocation wins: ltv.revocation fails, and the revoked response's ocsp.status fails with it. pyHanko's certvalidator takes the first response and calls the seal valid (revoked with the order reversed): a deliberate difference, not among the properties tests/peer/pyhanko_agree.py compares.",
        "fail", opts, {"kontrakt.pdf": with_dss("revoked-two-ocsps", [pki.ocsp["seal"], ocsp_revoked], [pki.crl_root])}, files,
        fail=["ltv.revocation", "ocsp.status"], passes=rev_pass + ["ocsp.signature", "ocsp.cert_id"])

    # --- certificateHold: suspended, and lifted only by authentic evidence from before the judged time --
    # RFC 5280 §5.3.1: certificateHold is temporary; RFC 6960 §2.2: a released hold answers good.
    t_held, t_hold_answer = utc(2025, 3, 10, 8, 0, 0), utc(2025, 3, 10, 9, 0, 0)

    def ocsp_revoked_at(this_update, reason):
        return ocsp_response(pki.seal, pki.ca, pki.responder, pki.responder_key, this_update, status=asn1_ocsp.CertStatus(
            name="revoked", value={"revocation_time": t_held, "revocation_reason": reason}))
    ocsp_hold = ocsp_revoked_at(t_hold_answer, "certificate_hold")
    ocsp_good_late = ocsp_response(pki.seal, pki.ca, pki.responder, pki.responder_key, utc(2025, 3, 10, 12, 0, 0))
    crl_hold = make_crl(pki.ca, pki.ca_key, t_hold_answer, utc(2025, 3, 17), 73,
                        revoked=[(pki.seal, t_held, x509.ReasonFlags.certificate_hold)])
    crl_released = make_crl(pki.ca, pki.ca_key, utc(2025, 3, 10, 9, 30, 0), utc(2025, 3, 17), 74)
    ocsp_ok = ["ocsp.signature", "ocsp.cert_id", "ocsp.freshness"]
    add("pades", "ocsp-hold-released-before-timestamp",
        "A B-T signature (timestamp 2025-03-10T10:00:00Z) and a DSS with two OCSP responses for the seal from the delegated responder: the first (thisUpdate 09:00) says revoked since 08:00 for certificateHold, the second (thisUpdate 09:55) says good. certificateHold is a temporary suspension (RFC 5280 §5.3.1) and a released hold answers good (RFC 6960 §2.2): an authentic answer made after the hold answer and by the timestamp shows the hold released before the signature existed, so the hold is no revocation at the timestamp. The hold answer's ocsp.status passes with the release named (on hold since 08:00, released: OCSP #2 of 09:55 shows good) and ltv.revocation passes, as without the hold (the control of attacks/ocsp-hold-released-after-timestamp and attacks/ocsp-key-compromise-then-good).",
        "pass", opts, {"kontrakt.pdf": with_dss("ocsp-hold-released", [ocsp_hold, pki.ocsp["seal"]], [pki.crl_root])}, files,
        passes=rev_pass + ["ltv.revocation", "ocsp.status"] + ocsp_ok)
    add("attacks", "ocsp-hold-released-after-timestamp",
        "As pades/ocsp-hold-released-before-timestamp, but the good answer's thisUpdate is 12:00, two hours after the timestamp (10:00) the signature is judged at; validated on 2025-03-11, so it was made before the validation time. The hold (since 08:00, answer of 09:00) was not shown released by 10:00: the seal was suspended when the signature is proven to exist (a good answer later is what a hold released afterwards gives too), so the hold stays a revocation and ltv.revocation fails, and the hold answer's ocsp.status with it.",
        "fail", base_opts(rfc3339(utc(2025, 3, 11))), {"kontrakt.pdf": with_dss("ocsp-hold-late-release", [ocsp_hold, ocsp_good_late], [pki.crl_root])}, files,
        fail=["ltv.revocation", "ocsp.status"], passes=rev_pass + ocsp_ok)
    add("attacks", "ocsp-key-compromise-then-good",
        "As pades/ocsp-hold-released-before-timestamp, but the first answer (thisUpdate 09:00) says revoked since 08:00 for keyCompromise: only a certificateHold is temporary (RFC 5280 §5.3.1), so the later good answer (09:55) does not lift it; the revocation wins (RFC 5280 §6.3) and ltv.revocation fails, and the revoked answer's ocsp.status with it.",
        "fail", opts, {"kontrakt.pdf": with_dss("ocsp-compromise-then-good", [ocsp_revoked_at(t_hold_answer, "key_compromise"), pki.ocsp["seal"]], [pki.crl_root])}, files,
        fail=["ltv.revocation", "ocsp.status"], passes=rev_pass + ocsp_ok)
    add("pades", "ocsp-hold-released-by-crl",
        "As pades/ocsp-hold-released-before-timestamp, but the release is shown by a CRL of the issuing CA (thisUpdate 09:30, after the 09:00 hold answer and before the 10:00 timestamp) that does not list the seal, and no good OCSP answer: the hold is lifted (the hold answer's ocsp.status passes, naming the CRL) and that CRL shows the seal unrevoked, so ltv.revocation passes.",
        "pass", opts, {"kontrakt.pdf": with_dss("ocsp-hold-crl-release", [ocsp_hold], [pki.crl_root, crl_released])}, files,
        passes=rev_pass + ["ltv.revocation", "ocsp.status"] + ocsp_ok)
    add("pades", "crl-hold-released-by-ocsp",
        "A B-T signature (timestamp 2025-03-10T10:00:00Z) and a DSS whose CRL of the issuing CA (thisUpdate 09:00) lists the seal as revoked at 08:00 for certificateHold, beside a good OCSP answer for the seal (thisUpdate 09:55, after that CRL and before the timestamp): the authentic good answer shows the hold released before the signature existed (RFC 5280 §5.3.1, RFC 6960 §2.2), as a later CRL no longer listing it would, so ltv.revocation passes.",
        "pass", opts, {"kontrakt.pdf": with_dss("crl-hold-ocsp-release", [pki.ocsp["seal"]], [pki.crl_root, crl_hold])}, files,
        passes=rev_pass + ["ltv.revocation", "ocsp.status"] + ocsp_ok)

    # --- a CRL issued after the seal expired says nothing about it (RFC 5280 §3.3, §5.1.2.6) --
    crl_after_expiry = make_crl(pki.ca, pki.ca_key, utc(2028, 1, 3), utc(2028, 1, 10), 80)
    assert pki.seal.not_valid_after_utc < utc(2028, 1, 3)
    add("attacks", "crl-after-seal-expiry",
        "A B-T signature (timestamp 2025-03-10T10:00:00Z) validated on 2031-06-01, after the seal certificate expired (2027-01-01); the DSS's only revocation data for the seal is a CRL of the issuing CA from 2028-01-03 that does not list it (with the root's CRL for the CA). A CA may remove a certificate from its CRLs once it has expired (RFC 5280 §3.3, §5.1.2.6), and this CRL has no ExpiredCertsOnCRL extension saying it keeps them, so its silence does not show the seal unrevoked: no evidence does, and ltv.revocation is indeterminate (it passed before, taking the CRL as proof). pades/seal-expired-later, whose CRLs are from 2025, is the control.",
        "indeterminate", base_opts(AT_LATER), {"kontrakt.pdf": with_dss("crl-after-expiry", [], [pki.crl_root, crl_after_expiry])}, files,
        indeterminate=["ltv.revocation"], passes=rev_pass)

    # --- an OCSP answer made after the seal expired speaks for it only under an archiveCutoff (RFC 6960 §4.4.4) --
    def ca_answer_2028(cutoff=None):
        # Signed by the issuing CA itself (RFC 6960 §4.2.2.2): the delegated responder's certificate ends in 2025.
        return ocsp_response(pki.seal, pki.ca, pki.ca, pki.ca_key, utc(2028, 1, 3), archive_cutoff=cutoff)
    add("attacks", "ocsp-after-seal-expiry",
        "As attacks/crl-after-seal-expiry, but the seal's only revocation data is a good OCSP answer signed by the issuing CA on 2028-01-03, a year after the seal expired (2027-01-01), with no archiveCutoff. A responder need not keep the status of expired certificates, and one that answers from CRLs says good for any serial it no longer lists (RFC 6960 §4.4.4): the answer is not used, its ocsp.freshness and ltv.revocation are indeterminate (it passed before).",
        "indeterminate", base_opts(AT_LATER), {"kontrakt.pdf": with_dss("ocsp-after-expiry", [ca_answer_2028()], [pki.crl_root])}, files,
        indeterminate=["ocsp.freshness", "ltv.revocation"], passes=rev_pass + ["ocsp.status", "ocsp.signature", "ocsp.cert_id"])
    add("pades", "ocsp-after-seal-expiry-archive-cutoff",
        "The control of attacks/ocsp-after-seal-expiry: the same 2028 answer carries an archiveCutoff of 2026-01-01, before the seal's notAfter (2027-01-01), so the responder says it still keeps the seal's status (RFC 6960 §4.4.4): the good answer shows the seal unrevoked at the timestamp's time and ltv.revocation passes.",
        "pass", base_opts(AT_LATER), {"kontrakt.pdf": with_dss("ocsp-after-expiry-cutoff", [ca_answer_2028(utc(2026, 1, 1))], [pki.crl_root])}, files,
        passes=rev_pass + ["ltv.revocation", "ocsp.status", "ocsp.signature", "ocsp.cert_id", "ocsp.freshness"])

    # --- a stale OCSP response is not used; it fails nothing by itself (ETSI EN 319 102-1 §5.2.5) --
    ocsp_stale = ocsp_response(pki.seal, pki.ca, pki.responder, pki.responder_key, utc(2025, 3, 5), validity=dt.timedelta(days=2))
    add("pades", "ocsp-stale-beside-crl",
        "A B-T signature (timestamp 2025-03-10T10:00:00Z) and a DSS with an OCSP response for the seal that is stale for that time (thisUpdate 2025-03-05, nextUpdate 03-07) beside the issuing CA's CRL of 2025-03-10 that does not list the seal. The stale response says nothing about 03-10 and is not used; the CRL shows the seal unrevoked, so ltv.revocation passes and the stale response's ocsp.freshness warns (it failed the signature before).",
        "warn", opts, {"kontrakt.pdf": with_dss("ocsp-stale-crl", [ocsp_stale], [pki.crl_root, pki.crl_ca])}, files,
        warn=["ocsp.freshness"], passes=rev_pass + ["ltv.revocation", "ocsp.status", "ocsp.signature", "ocsp.cert_id"])
    add("attacks", "ocsp-stale-only",
        "As pades/ocsp-stale-beside-crl without the issuing CA's CRL: the stale response (2025-03-05 .. 03-07) is the only revocation data for the seal, and it does not speak for the timestamp's time (03-10). Nothing shows the seal unrevoked then, but nothing shows it revoked either: ocsp.freshness and ltv.revocation are indeterminate (ocsp.freshness failed before).",
        "indeterminate", opts, {"kontrakt.pdf": with_dss("ocsp-stale-only", [ocsp_stale], [pki.crl_root])}, files,
        indeterminate=["ocsp.freshness", "ltv.revocation"], passes=rev_pass + ["ocsp.status", "ocsp.signature", "ocsp.cert_id"])


# ---------------------------------------------------------------------------
# signservice/: the older Sign service's results (broker.md §5)
# ---------------------------------------------------------------------------

SIGN_ID = "7d1e5c3a-9b2f-4e6d-8a1c-3f5e7b9d0c2a"


def gen_signservice(ctx: Ctx):
    pki, files = ctx.pki, ctx.files
    opts = base_opts()
    full = PDF_PASS + TST_PASS + LTV_PASS
    original = contract_pdf("signservice")
    signed = ctx.sealed("signservice", original, name="Test Testesen", reason="Underskrevet via Sign")
    assert signed.startswith(original)
    appendix = signed[len(original):]

    def pades_result(unsigned_sha=None, app=None):
        return G.pretty_json({
            "unsignedDocumentSha256": G.b64(unsigned_sha or G.sha256(original)),
            "signedDocumentSha256": G.b64(G.sha256(signed)),
            "padesSignedPdf": G.b64(signed),
            "padesAppendix": G.b64(app if app is not None else appendix),
            "description": "koebsaftale.pdf",
            "signId": SIGN_ID,
            "orderState": "SIGN_COMPLETED",
            "orderName": "Købsaftale AB 12 345",
        })

    add("signservice", "pades-flow-ok",
        "A sign-service PAdES flow result (base64 SHA-256 of the original and of the signed PDF, padesSignedPdf, padesAppendix) with the original PDF: both hashes match, original ++ appendix is the signed PDF byte for byte, and the signed PDF's signature (seal profile) passes.",
        "pass", opts, {"pades_result.json": pades_result(), "koebsaftale.pdf": original}, files,
        passes=["signservice.hash", "signservice.appendix"] + full)
    # Only what a result names by hash, or the original its appendix extends, is accounted for by it (verify/unsigned.rs).
    unrelated = contract_pdf("signservice-unrelated", title="Gældsbrev", lines=["Gældsbrev", "Test Testesen skylder 50.000 kr."])
    add("signservice", "pades-flow-unrelated-unsigned-pdf",
        "The pades-flow-ok evidence plus an unsigned PDF that no hash of the result names (another contract): the result accounts for its original and its signed PDF only, so the unrelated PDF's pdf.signatures (no signatures) is indeterminate, as when it is alone.",
        "indeterminate", opts, {"pades_result.json": pades_result(), "koebsaftale.pdf": original, "unrelated.pdf": unrelated}, files,
        indeterminate=["pdf.signatures"], passes=["signservice.hash", "signservice.appendix"] + full)
    unsigned_result = G.pretty_json({
        "unsignedDocumentSha256": G.b64(G.sha256(original)),
        "signedDocumentSha256": G.b64(G.sha256(original)),
        "padesSignedPdf": G.b64(original),
        "padesAppendix": "",
        "description": "koebsaftale.pdf",
        "signId": SIGN_ID,
        "orderState": "SIGN_COMPLETED",
        "orderName": "Købsaftale AB 12 345",
    })
    add("signservice", "pades-flow-signed-pdf-unsigned",
        "A PAdES flow result whose padesSignedPdf is the unsigned original itself (its hashes agree with it, the appendix is empty) with that original: the result presents a PDF without any signature as the signed one, so pdf.signatures fails, naming the member.",
        "fail", opts, {"pades_result.json": unsigned_result, "koebsaftale.pdf": original}, files,
        fail=["pdf.signatures"], passes=["signservice.hash", "signservice.appendix", "pdf.structure"])
    # The workflow API's PAdES result (broker.md §4) holds the sealed PDF; one without a seal is not that.
    wf_result = G.pretty_json({"padesDocument": {"padesB64": G.b64(original)},
                               "workflowResultInfo": {"ocspReponseIncluded": True, "documentCount": 1, "signatureCount": 1}})
    add("pades", "workflow-result-unsigned",
        "A workflow PAdES result whose padesDocument is an unsigned PDF: the result presents it as the workflow's sealed PDF, which carries a certification signature (broker.md §4), so pdf.signatures fails, naming the member.",
        "fail", opts, {"pades_result.json": wf_result}, files,
        fail=["pdf.signatures"], passes=["pdf.structure", "input.recognised"])
    other_app = ctx.sealed("signservice-other", original, name="Test Testesen", reason="Underskrevet igen")[len(original):]
    assert other_app != appendix
    add("signservice", "pades-flow-appendix-mismatch",
        "The PAdES flow result whose padesAppendix is the incremental update of another signing of the same original (another /Reason): original ++ appendix differs from padesSignedPdf, so signservice.appendix fails; the hashes and the signed PDF itself are fine.",
        "fail", opts, {"pades_result.json": pades_result(app=other_app), "koebsaftale.pdf": original}, files,
        fail=["signservice.appendix"], passes=["signservice.hash"] + full)
    add("signservice", "pades-flow-unsigned-hash-mismatch",
        "The PAdES flow result whose unsignedDocumentSha256 is the hash of another document (the contract with price 9.000 kr.), with the true original supplied: signservice.hash fails; the appendix still turns the supplied original into the signed PDF (signservice.appendix passes). No hash of the result names the supplied PDF, but padesSignedPdf, which signedDocumentSha256 names, is that PDF followed by padesAppendix, so the signature covers its bytes: the result accounts for it, and its pdf.signatures (no signatures of its own) passes as for the original of pades-flow-ok, not indeterminate as for a PDF nothing commits to.",
        "fail", opts, {"pades_result.json": pades_result(unsigned_sha=G.sha256(contract_pdf("signservice", lines=EVIL_LINES))),
                       "koebsaftale.pdf": original}, files,
        fail=["signservice.hash"], passes=["signservice.appendix"] + full)

    doc = contract_pdf("seid-sdo", title="Købsaftale (SEID-SDO)")
    merchant = openssl_cms(doc, pki.seal, pki.seal_key, chain=[pki.ca], cades=True)
    end_user = openssl_cms(doc, pki.person, pki.person_key, chain=[pki.ca], cades=False)
    for c in (merchant, end_user):
        assert G.b64(c).startswith("MIAGCSqGSIb3DQEHAqCAMIAC")

    def sdo(h):
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<SignedDataObject xmlns="urn:sigaudit:test:seid-sdo" Version="1">\n'
               f'  <DocumentName>koebsaftale.pdf</DocumentName>\n  <DocumentSha256>{G.b64(h)}</DocumentSha256>\n'
               '  <MerchantSignature Ref="merchantSignatures[0]"/>\n  <EndUserSignature Ref="endUserSignatures[0]"/>\n'
               '</SignedDataObject>\n')
        return G.b64(xml.encode())

    def seid(h):
        return G.pretty_json({
            "documentHashes": [G.b64(h)],
            "sdos": [sdo(h)],
            "merchantSignatures": [G.b64(merchant)],
            "endUserSignatures": [G.b64(end_user)],
            "signId": SIGN_ID,
            "clientId": G.CLIENT_ID,
            "orderState": "SIGN_COMPLETED",
            "orderName": "Købsaftale AB 12 345",
        })

    interp = ("(interpretation: each CMS is a detached signature over the document itself, so its message-digest attribute is "
              "SHA-256(document) and documentHashes holds that digest in base64; made by openssl cms -sign -binary -stream "
              "-outform DER, the merchant's with -cades, under faketime at 2025-03-10T10:00:00Z, with the eContent openssl writes "
              "when streaming cut out; BER indefinite lengths, base64 starting MIAGCSqGSIb3DQEHAqCAMIAC; the sdos XML is a "
              "placeholder that is not judged, and the signers' revocation is not judged, as the flow carries no revocation data)")
    add("signservice", "seid-sdo-ok",
        "A SEID-SDO flow result whose merchant (seal) and end-user (Test Testesen) signatures are base64 BER CMS that verify, chain to the test root and whose signed digests equal documentHashes " + interp + ".",
        "pass", opts, {"seid_sdo_result.json": seid(G.sha256(doc))}, files, passes=["signservice.cms"])
    add("signservice", "seid-sdo-digest-mismatch",
        "The SEID-SDO flow result whose documentHashes names another document (same signatures): the CMS signatures verify, but their signed message-digest differs from documentHashes, so signservice.cms fails " + interp + ".",
        "fail", opts, {"seid_sdo_result.json": seid(G.sha256(contract_pdf("seid-sdo", lines=EVIL_LINES)))}, files,
        fail=["signservice.cms"])


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-check", action="store_true", help="write the scenarios, skip qpdf / pdfsig / pyHanko")
    ap.add_argument("--check-only", action="store_true", help="only check the committed PDFs")
    args = ap.parse_args()
    if args.check_only:
        return 1 if check_step() else 0
    ctx = Ctx()
    gen_pades(ctx)
    gen_attacks(ctx)
    gen_signservice(ctx)
    names = [s.rel for s in SCEN]
    dups = {n for n in names if names.count(n) > 1}
    assert not dups, f"duplicate scenario names: {dups}"
    gen_owned = set((HERE / "owned.txt").read_text().split()) if (HERE / "owned.txt").exists() else set()
    assert not gen_owned & set(names), "gen.py owns some of these names"
    previous = OWNED_LIST.read_text().split() if OWNED_LIST.exists() else []
    for rel in sorted(set(previous) | set(names)):
        d = SCENARIOS / rel
        assert d.resolve().is_relative_to(SCENARIOS.resolve()) and rel.count("/") == 1 and rel.split("/")[0] in GROUPS, rel
        if d.exists():
            shutil.rmtree(d)
    for s in SCEN:
        s.write()
    OWNED_LIST.write_text("".join(f"{n}\n" for n in sorted(names)))
    print(f"wrote {len(SCEN)} scenarios under {SCENARIOS.relative_to(HERE.parent.parent)} (groups {', '.join(GROUPS)})")
    if not args.no_check:
        bad = check_step(sorted(names))
        if bad:
            print(f"{bad} PDF(s) of valid scenarios fail qpdf --check")
            return 1
    return 0


if __name__ == "__main__":
    import logging
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    sys.exit(main())
