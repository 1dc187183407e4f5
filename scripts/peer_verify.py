#!/usr/bin/env python3
"""The peer for `sigaudit batch`: a straightforward Python verifier of the same
JSONL archive, built on PyJWT (pinned: PyJWT==2.10.1) and cryptography
(OpenSSL underneath). It does the same work per token that decides the
benchmark's verdicts:

- the JWS: kid -> key from the JWKS, RS256 signature, iss, exp / nbf / iat
  (PyJWT's checks, 60 s leeway);
- the signing certificate: valid at iat; its chain (leaf -> issuing CA ->
  root, RSASSA-PSS) verified once per key at start-up;
- transaction_text_sha256 against the stored text;
- the OCSP response: successful, the CertID names the signing certificate
  (serial, issuer name and key hashes), status good, thisUpdate - 300 s <= iat
  <= nextUpdate, nonce = signing_cert_ocsp_nonce, the ECDSA signature of the
  responder certificate in the response, the responder issued by the CA with
  id-kp-OCSPSigning. Signature checks of responses and responder certificates
  are memoised by their bytes (what any verifier of a broker archive would do,
  and what sigaudit's cache does); status, times and nonce are per token.

    python3 scripts/peer_verify.py MANIFEST --jwks jwks.json --out rows.jsonl

One row per item ({"id", "verdict", "reason"}); the summary (items, seconds,
items/s) on stderr. Single process, one core.
"""

import argparse
import base64
import hashlib
import json
import sys
import time

import jwt  # PyJWT
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

ISS = "https://test.netseidbroker.dk/op"
SKEW = 300
LEEWAY = 60
PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def b64d(s: str) -> bytes:
    return base64.b64decode(s + "=" * (-len(s) % 4))


class Key:
    def __init__(self, jwk: dict, root: x509.Certificate):
        certs = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in jwk["x5c"]]
        self.cert, self.ca = certs[0], certs[1]
        self.public = jwt.PyJWK(jwk).key
        # The chain, once: leaf by CA, CA by root (RSASSA-PSS, as the test PKI signs).
        self.ca.public_key().verify(self.cert.signature, self.cert.tbs_certificate_bytes, PSS, self.cert.signature_hash_algorithm)
        root.public_key().verify(self.ca.signature, self.ca.tbs_certificate_bytes, PSS, self.ca.signature_hash_algorithm)
        ca_spki = self.ca.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        from asn1crypto import keys as a_keys
        self.issuer_key_hash = hashlib.sha1(a_keys.PublicKeyInfo.load(ca_spki)["public_key"].contents[1:]).digest()
        self.issuer_name_hash = hashlib.sha1(self.ca.subject.public_bytes()).digest()
        self.not_before = self.cert.not_valid_before_utc.timestamp()
        self.not_after = self.cert.not_valid_after_utc.timestamp()


class Verifier:
    def __init__(self, jwks_path, root_path):
        root = x509.load_pem_x509_certificate(open(root_path, "rb").read())
        self.keys = {k["kid"]: Key(k, root) for k in json.load(open(jwks_path))["keys"]}
        self.ocsp_sig = {}  # response DER -> (ok, responder cert DER)
        self.responder_ok = {}  # (responder DER, CA DER) -> bool

    def responder_authorised(self, responder: x509.Certificate, ca: x509.Certificate) -> bool:
        k = (responder.public_bytes(serialization.Encoding.DER), ca.public_bytes(serialization.Encoding.DER))
        if k not in self.responder_ok:
            try:
                ca.public_key().verify(responder.signature, responder.tbs_certificate_bytes, PSS, responder.signature_hash_algorithm)
                eku = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
                self.responder_ok[k] = responder.issuer == ca.subject and ExtendedKeyUsageOID.OCSP_SIGNING in eku
            except Exception:
                self.responder_ok[k] = False
        return self.responder_ok[k]

    def check_ocsp(self, der: bytes, key: Key, claims: dict) -> str | None:
        resp = ocsp.load_der_ocsp_response(der)
        if resp.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return "ocsp: not successful"
        if resp.serial_number != key.cert.serial_number or resp.issuer_key_hash != key.issuer_key_hash \
                or resp.issuer_name_hash != key.issuer_name_hash:
            return "ocsp: CertID is about another certificate"
        if resp.certificate_status != ocsp.OCSPCertStatus.GOOD:
            return "ocsp: status not good"
        iat = claims["iat"]
        if resp.this_update_utc.timestamp() - SKEW > iat or (resp.next_update_utc and resp.next_update_utc.timestamp() < iat):
            return "ocsp: not fresh for iat"
        want = claims.get("signing_cert_ocsp_nonce")
        if want is not None:
            try:
                ext = resp.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
            except x509.ExtensionNotFound:
                return "ocsp: no nonce"
            if ext != base64.b64decode(want):
                return "ocsp: nonce differs"
        ok = self.ocsp_sig.get(der)
        if ok is None:
            ok = False
            for responder in resp.certificates:
                try:
                    responder.public_key().verify(resp.signature, resp.tbs_response_bytes, ec.ECDSA(hashes.SHA256()))
                    ok = self.responder_authorised(responder, key.ca)
                    break
                except InvalidSignature:
                    continue
            if len(self.ocsp_sig) >= 4096:
                self.ocsp_sig.clear()
            self.ocsp_sig[der] = ok
        if not ok:
            return "ocsp: signature or responder not valid"
        return None

    def verify(self, item: dict) -> tuple[str, str | None]:
        token = item["token"]
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self.keys.get(kid)
            if key is None:
                return "indeterminate", "unknown kid"
            claims = jwt.decode(token, key.public, algorithms=["RS256"], issuer=ISS, leeway=LEEWAY,
                                options={"verify_aud": False, "require": ["iat", "exp", "iss"]})
        except jwt.InvalidTokenError as e:
            return "fail", f"jws: {e}"
        iat = claims["iat"]
        if not (key.not_before <= iat <= key.not_after):
            return "fail", "certificate not valid at iat"
        want = claims.get("transaction_text_sha256")
        if want is not None:
            text = item.get("text")
            if text is None:
                return "indeterminate", "text not supplied"
            if base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() != want:
                return "fail", "text hash differs"
        if "ocsp" not in item:
            return "indeterminate", "no OCSP response"
        why = self.check_ocsp(base64.b64decode(item["ocsp"]), key, claims)
        if why:
            return "fail", why
        return "pass", None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("manifest")
    ap.add_argument("--jwks", required=True)
    ap.add_argument("--trust", required=True)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    v = Verifier(a.jwks, a.trust)
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    t0 = time.time()
    n = 0
    counts = {}
    with open(a.manifest, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                verdict, why = v.verify(item)
            except Exception as e:  # a broken item is that item's failure
                item, verdict, why = locals().get("item") or {}, "error", repr(e)
            counts[verdict] = counts.get(verdict, 0) + 1
            out.write(json.dumps({"id": item.get("id"), "verdict": verdict, "reason": why}) + "\n")
            n += 1
            if n % 200_000 == 0:
                el = time.time() - t0
                print(f"peer: {n} items, {n / el:.0f}/s", file=sys.stderr, flush=True)
    out.flush()
    el = time.time() - t0
    print(json.dumps({"peer": "PyJWT " + jwt.__version__ + " + cryptography", "items": n, "seconds": round(el, 2),
                      "items_per_second": round(n / el) if el else 0, "verdicts": counts}), file=sys.stderr)


if __name__ == "__main__":
    main()
