#!/usr/bin/env python3
"""Validate every signature of a PDF with pyHanko, offline, for speed comparisons.

    python3 scripts/pyhanko-validate.py FILE.pdf TRUST_ROOT.pem 2025-03-10T10:05:00Z

Prints one line per signature (intact, valid, coverage) and the elapsed seconds of
the validation itself (the file read and the Python start-up are excluded).
"""
import sys, time
from datetime import datetime
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from asn1crypto import pem, x509

path, root, at = sys.argv[1], sys.argv[2], sys.argv[3]
with open(root, "rb") as f:
    data = f.read()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
anchor = x509.Certificate.load(data)
when = datetime.fromisoformat(at.replace("Z", "+00:00"))
with open(path, "rb") as f:
    buf = f.read()
import io
start = time.perf_counter()
reader = PdfFileReader(io.BytesIO(buf), strict=False)
for sig in reader.embedded_signatures:
    vc = ValidationContext(trust_roots=[anchor], moment=when, allow_fetching=False, revocation_mode="soft-fail")
    st = validate_pdf_signature(sig, vc)
    print(sig.field_name, "intact" if st.intact else "NOT intact", "valid" if st.valid else "invalid", st.coverage.name)
print(f"elapsed {time.perf_counter() - start:.3f} s")
