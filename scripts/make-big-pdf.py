#!/usr/bin/env python3
"""Benchmark inputs for sigaudit's PDF path (not run in CI).

    python3 scripts/make-big-pdf.py OUT_BIG.pdf [--typical OUT_TYPICAL.pdf] [--pages 1000] [--mb 100]

OUT_BIG: a ~100 MB PDF of 1,000 pages, each page drawing its own image XObject of
random (incompressible) RGB samples plus a line of text, then sealed once by pyHanko
with the broker seal's profile (ETSI.CAdES.detached, revocation-info-archival,
signature timestamp; a certification signature, DocMDP /P 1) over the whole file.
The digest therefore runs over ~100 MB and the parser sees 1,000 pages, 2,000+ objects.

--typical: also a ~200 KB sealed PDF of the usual shape (10 pages, small images, the
same seal), a realistic size for the per-document timing.

The files are written page by page (the big one never sits in memory twice), use
the test PKI of test-vectors/generate/ (TEST ONLY keys) and are reproducible: the image
samples come from a seeded generator and pyHanko's clock and randomness are pinned by
gen_pades.py. Needs the generator's requirements (pip install -r
test-vectors/generate/requirements.txt); takes about ten seconds and ~200 MB of memory.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test-vectors" / "generate"))


def write_pdf(path: Path, pages: int, image_bytes: int, label: str) -> int:
    """Streams a PDF with `pages` pages to path; each page draws an image of about
    image_bytes random bytes. Returns the file size."""
    rng = random.Random(label)
    w = 256
    h = max(1, image_bytes // (w * 3))
    offsets: dict[int, int] = {}
    pos = 0
    with path.open("wb") as f:
        def emit(b: bytes):
            nonlocal pos
            f.write(b)
            pos += len(b)

        def obj(num: int, body: bytes, stream: bytes | None = None):
            offsets[num] = pos
            emit(f"{num} 0 obj\n".encode() + body)
            if stream is not None:
                emit(b"\nstream\n")
                emit(stream)
                emit(b"\nendstream")
            emit(b"\nendobj\n")

        emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # 1 catalog, 2 pages, 3 font, 4 info; page i: 10+3i page, 11+3i content, 12+3i image
        kids = " ".join(f"{10 + 3 * i} 0 R" for i in range(pages))
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
        obj(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        obj(4, f"<< /Title (sigaudit benchmark {label}, {pages} pages) /Producer (scripts/make-big-pdf.py) >>".encode())
        for i in range(pages):
            p, c, im = 10 + 3 * i, 11 + 3 * i, 12 + 3 * i
            obj(p, (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
                    f"/XObject << /Im0 {im} 0 R >> >> /Contents {c} 0 R >>").encode())
            content = (f"q 451 0 0 {451 * h // w} 72 200 cm /Im0 Do Q\n"
                       f"BT /F1 14 Tf 72 760 Td (Benchmark page {i + 1} of {pages}) Tj ET\n").encode()
            obj(c, f"<< /Length {len(content)} >>".encode(), content)
            samples = rng.randbytes(w * h * 3)
            obj(im, (f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB "
                     f"/BitsPerComponent 8 /Length {len(samples)} >>").encode(), samples)
        size = 10 + 3 * pages
        xref = pos
        emit(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for n in range(1, size):
            emit(f"{offsets[n]:010d} 00000 n \n".encode() if n in offsets else b"0000000000 00001 f \n")
        doc_id = hashlib.md5(label.encode()).hexdigest()
        emit(f"trailer\n<< /Size {size} /Root 1 0 R /Info 4 0 R /ID [<{doc_id}> <{doc_id}>] >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return pos


def seal(src: Path, dst: Path, label: str):
    import gen_pades as P
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    ctx = P.Ctx()
    s = ctx.s
    P.SEEDED_OS.reseed(label)
    with src.open("rb") as inp, dst.open("wb") as out:
        w = IncrementalPdfFileWriter(inp, strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name="Signatur1", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
            certify=True, docmdp_permissions=MDPPerm.NO_CHANGES, reason="Benchmark seal", location="København",
        )
        pdf_signer = signers.PdfSigner(meta, s.signer("seal", revinfo=True), timestamper=s.tsa)
        pdf_signer.sign_pdf(w, output=out)


def make(path: Path, pages: int, total_bytes: int, label: str):
    t0 = time.time()
    tmp = path.with_suffix(".unsigned.tmp")
    size = write_pdf(tmp, pages, max(1024, total_bytes // pages - 600), label)
    seal(tmp, path, label)
    tmp.unlink()
    print(f"{path}: {path.stat().st_size:,} bytes, {pages} pages (unsigned {size:,}), {time.time() - t0:.1f} s")


def main():
    ap = argparse.ArgumentParser(description="sigaudit benchmark PDFs")
    ap.add_argument("out", type=Path, help="the big sealed PDF to write")
    ap.add_argument("--typical", type=Path, help="also write a ~200 KB sealed PDF here")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--mb", type=float, default=100.0, help="approximate size of the big PDF in MB")
    a = ap.parse_args()
    make(a.out, a.pages, int(a.mb * 1_000_000), "big")
    if a.typical:
        make(a.typical, 10, 170_000, "typical")


if __name__ == "__main__":
    main()
