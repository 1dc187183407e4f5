#!/usr/bin/env python3
"""Generates a batch-audit benchmark archive: N transaction tokens as JSONL
manifests with inline tokens, OCSP responses and signed texts, 1% of them
forged or tampered with, and the list of which.

    python3 scripts/gen_batch_archive.py --out target/batch-bench/archive --count 1000000 --jobs 2

Keys and CAs come from the test PKI (test-vectors/generate/pki/, TEST ONLY):
three RSA-2048 signing keys (transact_leaf, and the token_signing and
alg_rsa2048 keys re-issued here as transaction-signing leaves), two issuing
CAs (oces_issuing_ca, oces_issuing_ca2) under the OCES-like root, and their
delegated ECDSA P-256 OCSP responders. The new leaf certificates are written
into OUT/pki/ (not committed).

Two manifests over the same tokens (two archive shapes):
- manifest-shared.jsonl: one OCSP response per signing key per day, shared by
  all tokens of that key and day (their signing_cert_ocsp_nonce equals its
  nonce): a broker that caches its OCSP response.
- manifest-per-token.jsonl (--per-token): every token carries its own OCSP
  response (producedAt 3 s before iat): one more ECDSA verification per token.

Forged / tampered items (1%, positions drawn with a fixed seed), kinds in
turn: payload-tampered (a claim changed, signature kept), signature-tampered
(one bit flipped), forged-key (signed by an attacker key under a genuine kid),
text-swapped (the stored text differs from the signed hash), ocsp-swapped (the
OCSP response of another signing key). Each must FAIL; every other item must
PASS. forged.txt lists "id kind", one a line.

Streaming: tokens are signed by a process pool in chunks and written in order;
memory stays small whatever --count.
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import random
import sys
import time
import uuid
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

ROOT = Path(__file__).resolve().parent.parent
PKI = ROOT / "test-vectors" / "generate" / "pki"

ISS = "https://test.netseidbroker.dk/op"
CLIENT_ID = "0a775a87-878c-4b83-abe3-ee29c0c6c5fc"
LOA = "https://data.gov.dk/concept/core/nsis/loa/Substantial"
IAL = "https://data.gov.dk/concept/core/nsis/ial/Substantial"
START = int(dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc).timestamp())
DAYS = 30
OCSP_VALIDITY = 3 * 86400
FORGED_KINDS = ["payload-tampered", "signature-tampered", "forged-key", "text-swapped", "ocsp-swapped"]


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def load_key(name):
    return serialization.load_pem_private_key((PKI / f"{name}.key.pem").read_bytes(), None)


def load_cert(name):
    return x509.load_pem_x509_certificate((PKI / f"{name}.cert.pem").read_bytes())


def der(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def thumb(cert) -> str:
    return hashlib.sha1(der(cert)).hexdigest().upper()


PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def issue_leaf(key, serial, ca_cert, ca_key, cn):
    """A transaction-signing leaf like gen.py's transact_leaf, signed RSASSA-PSS by the CA."""
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SIGNATURGRUPPEN A/S"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
    ])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
        ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value)
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_cert.subject).public_key(key.public_key())
         .serial_number(serial)
         .not_valid_before(dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc))
         .not_valid_after(dt.datetime(2027, 6, 1, tzinfo=dt.timezone.utc))
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                      crl_sign=False, encipher_only=False, decipher_only=False), True)
         .add_extension(ski, False).add_extension(aki, False)
         .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
             AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://ocsp.oces-test.sigaudit.example/ocsp"))]), False))
    return b.sign(ca_key, hashes.SHA256(), rsa_padding=PSS)


# --- DER, by hand (the OCSP responses are assembled from a template) ---------

def tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + ln + content


def gtime(t: int) -> bytes:
    return tlv(0x18, dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y%m%d%H%M%SZ").encode())


OID_SHA1 = bytes.fromhex("06052b0e03021a")
OID_NONCE = bytes.fromhex("06092b0601050507300102")
OID_BASIC = bytes.fromhex("06092b0601050507300101")
OID_ECDSA_SHA256 = bytes.fromhex("06082a8648ce3d040302")
OID_ARCHIVE_CUTOFF = bytes.fromhex("06092b0601050507300106")


class Responder:
    def __init__(self, cert, key, ca_cert):
        self.cert, self.key = cert, key
        self.cert_der = der(cert)
        self.name_der = cert.subject.public_bytes()
        ca_spki = ca_cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        # subjectPublicKey BIT STRING value of the CA: the last element of the SPKI.
        from asn1crypto import keys as a_keys
        bits = a_keys.PublicKeyInfo.load(ca_spki)["public_key"].contents[1:]
        self.issuer_key_hash = hashlib.sha1(bits).digest()
        self.issuer_name_hash = hashlib.sha1(ca_cert.subject.public_bytes()).digest()

    def response(self, serial: int, produced_at: int, nonce: bytes) -> bytes:
        """A good OCSPResponse for `serial`, as gen.py's make_ocsp builds them: delegated
        responder byName, SHA-1 CertID, thisUpdate = producedAt, nextUpdate + 3 days,
        Archive Cutoff, nonce extension, the responder certificate in certs."""
        serial_b = serial.to_bytes((serial.bit_length() + 8) // 8, "big")
        cert_id = tlv(0x30, tlv(0x30, OID_SHA1 + b"\x05\x00") + tlv(0x04, self.issuer_name_hash)
                      + tlv(0x04, self.issuer_key_hash) + tlv(0x02, serial_b))
        cutoff = tlv(0x30, OID_ARCHIVE_CUTOFF + tlv(0x04, gtime(int(dt.datetime(2020, 6, 1, tzinfo=dt.timezone.utc).timestamp()))))
        single = tlv(0x30, cert_id + b"\x80\x00" + gtime(produced_at) + tlv(0xA0, gtime(produced_at + OCSP_VALIDITY))
                     + tlv(0xA1, tlv(0x30, cutoff)))
        exts = tlv(0xA1, tlv(0x30, tlv(0x30, OID_NONCE + tlv(0x04, tlv(0x04, nonce)))))
        tbs = tlv(0x30, tlv(0xA1, self.name_der) + gtime(produced_at) + tlv(0x30, single) + exts)
        sig = self.key.sign(tbs, ec.ECDSA(hashes.SHA256()))
        basic = tlv(0x30, tbs + tlv(0x30, OID_ECDSA_SHA256) + tlv(0x03, b"\x00" + sig) + tlv(0xA0, tlv(0x30, self.cert_der)))
        rb = tlv(0x30, OID_BASIC + tlv(0x04, basic))
        return tlv(0x30, b"\x0a\x01\x00" + tlv(0xA0, rb))


# --- the archive ----------------------------------------------------------

class Setup:
    def __init__(self, out: Path):
        root = load_cert("oces_root")
        ca1, ca1_key = load_cert("oces_issuing_ca"), load_key("oces_issuing_ca")
        ca2, ca2_key = load_cert("oces_issuing_ca2"), load_key("oces_issuing_ca2")
        r1 = Responder(load_cert("ocsp_responder"), load_key("ocsp_responder"), ca1)
        r2 = Responder(load_cert("ocsp_responder_ca2"), load_key("ocsp_responder_ca2"), ca2)
        (out / "pki").mkdir(parents=True, exist_ok=True)
        leaves = []
        k0 = load_key("transact_leaf")
        leaves.append((k0, load_cert("transact_leaf"), ca1, r1))
        for name, key_file, ca, ca_key, resp, serial in [
            ("bench_leaf_2", "token_signing", ca1, ca1_key, r1, 0x5A1E_B002),
            ("bench_leaf_3", "alg_rsa2048", ca2, ca2_key, r2, 0x5A1E_B003),
        ]:
            p = out / "pki" / f"{name}.cert.pem"
            key = load_key(key_file)
            if p.exists():
                cert = x509.load_pem_x509_certificate(p.read_bytes())
            else:
                cert = issue_leaf(key, serial, ca, ca_key, f"NEB Transact TEST {name[-1]}")
                p.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
            leaves.append((key, cert, ca, resp))
        self.leaves = leaves
        self.root = root
        keys = []
        for key, cert, ca, _ in leaves:
            n = key.public_key().public_numbers()
            keys.append({"kty": "RSA", "use": "sig", "kid": thumb(cert), "x5t": thumb(cert),
                         "e": b64u(n.e.to_bytes(3, "big")), "n": b64u(n.n.to_bytes(256, "big")),
                         "x5c": [b64(der(cert)), b64(der(ca))], "alg": "RS256"})
        (out / "jwks.json").write_text(json.dumps({"keys": keys}, indent=2) + "\n")
        (out / "oces_root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))


def day_nonce(seed: int, k: int, day: int) -> bytes:
    return hashlib.sha256(f"{seed}/nonce/{k}/{day}".encode()).digest()[:16]


_S = None


def _init(out, seed, count):
    global _S
    _S = {"setup": Setup(Path(out)), "seed": seed, "count": count, "shared": {},
          "attacker": rsa.generate_private_key(65537, 2048)}


def shared_ocsp(k: int, day: int) -> str:
    key = (k, day)
    s = _S["shared"]
    if key not in s:
        _, cert, _, resp = _S["setup"].leaves[k]
        s[key] = b64(resp.response(cert.serial_number, START + day * 86400, day_nonce(_S["seed"], k, day)))
    return s[key]


def make_item(i: int, forged_kind):
    setup = _S["setup"]
    nkeys = len(setup.leaves)
    k = i % nkeys
    key, cert, _, resp = setup.leaves[k]
    iat = START + 60 + (i * (DAYS * 86400 - 120)) // max(_S["count"], 1)
    day = (iat - START) // 86400
    nonce = day_nonce(_S["seed"], k, day)
    tx = str(uuid.UUID(int=(i * 0x9E3779B97F4A7C15 + _S["seed"]) % (1 << 128), version=4))
    text = f"Jeg bekræfter hermed overførsel nr. {i} på {100 + i % 9000},00 kr. fra konto 1234-567890 til konto 9876-{i % 1000000:06d}."
    claims = {
        "iss": ISS, "nbf": iat, "iat": iat, "exp": iat + 10 * 365 * 86400, "aud": CLIENT_ID,
        "sub": str(uuid.UUID(bytes=hashlib.md5(f"sub{i % 50000}".encode()).digest(), version=4)), "auth_time": iat - 20,
        "signing_cert_ocsp_nonce": b64(nonce), "amr": ["mitid.app"], "acr": LOA, "ial": IAL, "idp": "mitid",
        "identity_type": "private", "transaction_id": tx, "transaction_text_type": "text",
        "transaction_text_sha256": b64(hashlib.sha256(text.encode()).digest()), "spec_ver": "1.0",
        "transaction_actions": ["mitid.login", "mitid.transaction_signing"], "transaction_client_ip": "192.0.2.10",
        "mitid.uuid": "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b", "mitid.identity_name": "Test Testesen",
    }
    header = {"alg": "RS256", "kid": thumb(cert), "typ": "JWT"}
    signing_input = b64u(json.dumps(header, separators=(",", ":")).encode()) + "." + b64u(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signer = _S["attacker"] if forged_kind == "forged-key" else key
    sig = signer.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    if forged_kind == "signature-tampered":
        sig = sig[:100] + bytes([sig[100] ^ 0x01]) + sig[101:]
    token = signing_input + "." + b64u(sig)
    if forged_kind == "payload-tampered":
        claims["transaction_client_ip"] = "198.51.100.66"
        token = b64u(json.dumps(header, separators=(",", ":")).encode()) + "." + b64u(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()) + "." + b64u(sig)
    stored_text = text.replace("overførsel", "OVERFØRSEL") if forged_kind == "text-swapped" else text
    ocsp_k = (k + 1) % nkeys if forged_kind == "ocsp-swapped" else k
    shared = shared_ocsp(ocsp_k, day)
    if _S["per_token"]:
        ocsp_cert = setup.leaves[ocsp_k][1]
        own = b64(setup.leaves[ocsp_k][3].response(ocsp_cert.serial_number, iat - 3, day_nonce(_S["seed"], ocsp_k, day)))
    else:
        own = None
    item_id = f"tx-{i + 1:07d}"
    base = {"id": item_id, "token": token}
    line_shared = json.dumps({**base, "ocsp": shared, "text": stored_text}, ensure_ascii=False, separators=(",", ":"))
    line_own = json.dumps({**base, "ocsp": own, "text": stored_text}, ensure_ascii=False, separators=(",", ":")) if own else None
    return item_id, line_shared, line_own


def work(chunk):
    start, end, forged, per_token = chunk
    _S["per_token"] = per_token
    out = []
    for i in range(start, end):
        out.append(make_item(i, forged.get(i)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--forged-permille", type=int, default=10, help="forged items per thousand (default 10 = 1%%)")
    ap.add_argument("--per-token", action="store_true", help="also write manifest-per-token.jsonl")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    Setup(out)  # writes pki/, jwks.json, oces_root.pem once, before the workers read them
    rng = random.Random(a.seed)
    n_forged = a.count * a.forged_permille // 1000
    positions = sorted(rng.sample(range(a.count), n_forged))
    forged = {p: FORGED_KINDS[j % len(FORGED_KINDS)] for j, p in enumerate(positions)}
    chunk = 2000
    chunks = []
    for s in range(0, a.count, chunk):
        e = min(a.count, s + chunk)
        chunks.append((s, e, {p: forged[p] for p in positions_in(positions, s, e)}, a.per_token))
    t0 = time.time()
    f_shared = open(out / "manifest-shared.jsonl.part", "w", encoding="utf-8")
    f_own = open(out / "manifest-per-token.jsonl.part", "w", encoding="utf-8") if a.per_token else None
    done = 0
    with mp.Pool(a.jobs, initializer=_init, initargs=(str(out), a.seed, a.count)) as pool:
        for items in pool.imap(work, chunks, chunksize=1):
            for _, ls, lo in items:
                f_shared.write(ls + "\n")
                if f_own:
                    f_own.write(lo + "\n")
            done += len(items)
            if done % 50_000 < chunk:
                el = time.time() - t0
                print(f"gen: {done}/{a.count} tokens, {done / el:.0f}/s", file=sys.stderr, flush=True)
    f_shared.close()
    os.replace(out / "manifest-shared.jsonl.part", out / "manifest-shared.jsonl")
    if f_own:
        f_own.close()
        os.replace(out / "manifest-per-token.jsonl.part", out / "manifest-per-token.jsonl")
    with open(out / "forged.txt", "w") as f:
        for p in positions:
            f.write(f"tx-{p + 1:07d} {forged[p]}\n")
    (out / "meta.json").write_text(json.dumps({"count": a.count, "forged": n_forged, "seed": a.seed,
                                               "per_token": a.per_token, "kinds": FORGED_KINDS}, indent=2) + "\n")
    print(f"gen: {a.count} tokens ({n_forged} forged) in {time.time() - t0:.0f} s -> {out}", file=sys.stderr)


def positions_in(sorted_positions, s, e):
    import bisect
    lo = bisect.bisect_left(sorted_positions, s)
    hi = bisect.bisect_left(sorted_positions, e)
    return sorted_positions[lo:hi]


if __name__ == "__main__":
    main()
