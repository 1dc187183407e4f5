#!/usr/bin/env python3
"""Generates the PDFs in this folder with other writers than ours, and a
summary of their structure as pyHanko reads it (summary.json).

Needs: reportlab, pyhanko (with cryptography), qpdf on PATH.
    python3 -m venv /tmp/pdfvenv && /tmp/pdfvenv/bin/pip install reportlab pyhanko
    /tmp/pdfvenv/bin/python src/pdf/testdata/make.py [OUT_DIR]

The key and certificate are made fresh each run (self-signed, test only), so
signed files differ between runs; their structure does not. With
`--summary-only`, the PDFs already in OUT_DIR are summarized again.
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from reportlab.pdfgen import canvas

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
OUT = ARGS[0] if ARGS else os.path.dirname(os.path.abspath(__file__))
NAMES = ["signed-linearized.pdf", "signed-twice-tables.pdf", "signed-xref-streams.pdf"]


def base_pdf(path, pages=2):
    c = canvas.Canvas(path, pageCompression=1)
    for i in range(pages):
        c.drawString(100, 750, f"sigaudit test page {i + 1}")
        c.showPage()
    c.save()


def signer(tmp):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sigaudit test signer")])
    now = datetime.datetime(2024, 5, 7, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    kp, cp = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
    with open(kp, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(cp, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return signers.SimpleSigner.load(kp, cp)


def sign(src, dst, field, s):
    with open(src, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES)
        with open(dst, "wb") as out:
            signers.sign_pdf(w, meta, signer=s, output=out)


def summary(path):
    """Revisions as pyHanko sees them: where each section is and which object
    numbers it defines (in use) or frees."""
    with open(path, "rb") as f:
        r = PdfFileReader(f, strict=False)
        x = r.xrefs
        revs = []
        for i in range(x.total_revisions):
            info = x.get_xref_container_info(i)
            revs.append({
                "xref": info.declared_startxref,
                "type": info.xref_section_type.name,
                "in_use": sorted([ref.idnum, ref.generation] for ref in x.explicit_refs_in_revision(i)),
                "freed": sorted(ref.idnum for ref in x.refs_freed_in_revision(i)),
            })
        sigs = []
        for sig in r.embedded_signatures:
            br = [int(v) for v in sig.sig_object["/ByteRange"]]
            sigs.append({"field": sig.field_name, "byte_range": br, "signed_revision": sig.signed_revision})
        return {"revisions": revs, "signatures": sigs, "size": os.path.getsize(path)}


def write_summary():
    result = {name: summary(os.path.join(OUT, name)) for name in NAMES}
    with open(os.path.join(OUT, "summary.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    if "--summary-only" in sys.argv:
        return write_summary()
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        s = signer(tmp)
        plain = os.path.join(tmp, "plain.pdf")
        base_pdf(plain)

        def out(name):
            assert name in NAMES
            return os.path.join(OUT, name)

        # Classic table, signed twice: three revisions (xref tables).
        sign(plain, os.path.join(tmp, "one.pdf"), "Sig1", s)
        sign(os.path.join(tmp, "one.pdf"), out("signed-twice-tables.pdf"), "Sig2", s)
        # Xref streams and object streams (qpdf), signed once: pyHanko keeps
        # writing xref streams in the update.
        objstm = os.path.join(tmp, "objstm.pdf")
        subprocess.run(["qpdf", "--object-streams=generate", plain, objstm], check=True)
        sign(objstm, out("signed-xref-streams.pdf"), "Sig1", s)
        # Linearized with object streams (qpdf), signed once.
        lin = os.path.join(tmp, "lin.pdf")
        subprocess.run(["qpdf", "--linearize", "--object-streams=generate", plain, lin], check=True)
        sign(lin, out("signed-linearized.pdf"), "Sig1", s)
    write_summary()


if __name__ == "__main__":
    main()
