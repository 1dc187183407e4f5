#!/usr/bin/env python3
"""pyHanko versus sigaudit on every PDF scenario: a second opinion from an independent verifier.

For each scenario under test-vectors/scenarios/{pades,attacks,signservice}/ that holds a
signed PDF (an input *.pdf, or the base64 padesSignedPdf inside a sign-service JSON),
both tools judge every signature and document timestamp:

- pyHanko 0.38: validate_pdf_signature / validate_pdf_timestamp, with a ValidationContext
  trusting the scenario's --trust files, fetching disabled, at the scenario's `at`;
- sigaudit: ``target/debug/sigaudit verify --format json`` run from the scenario folder
  with the flags of options.json (as tests/common/mod.rs cli_args builds them).

Three properties are compared per signature, wherever pyHanko's verdict is defined:

- integrity: pyHanko ``intact and valid`` against sigaudit's cms.message_digest and
  cms.signature both passing (tst.imprint / tst.signature for a document timestamp).
  When pyHanko rejects a signature outright (an exception: unreadable ByteRange or
  /Contents, a signing-certificate mismatch, a bad signature timestamp token), sigaudit
  must fail some sig.*/cms.*/pdf.*/tst.* check of it or of its signature timestamp.
- coverage: pyHanko's SignatureCoverageLevel against the fact named ``coverage`` in the
  evidence of sigaudit's sig.coverage check (ENTIRE_FILE, ENTIRE_REVISION,
  CONTIGUOUS_BLOCK_FROM_START, UNCLEAR). Not compared when sigaudit rejected the
  ByteRange itself (sig.byte_range fail): it then names no coverage, by design.
- modified: pyHanko says the signed revision was modified illegitimately when its
  modification_level is OTHER or docmdp_ok is False; sigaudit says so when mod.changes
  warns or fails, mod.docmdp or mod.shadow fails, or sig.coverage is not pass (pyHanko
  too turns a coverage below ENTIRE_REVISION into modification level OTHER). Not compared
  when sigaudit states neither (a signature it rejected structurally).

Run:  cargo build && python3 tests/peer/pyhanko_agree.py [--sigaudit PATH] [SCENARIO-SUBSTRING ...]
Exit: 0 when everything agrees (deliberate disagreements below excepted) or pyHanko is not
importable (skipped, with a message); 1 on any other disagreement or missing result; 2 when
the sigaudit binary is missing.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import json
import logging
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "test-vectors" / "scenarios"
GROUPS = ("pades", "attacks", "signservice")

# ---------------------------------------------------------------------------
# Deliberate disagreements: (scenario, signature field, property) -> why.
# A listed disagreement does not fail the run; a listed one that agrees is
# reported as stale, so the table stays true.
# ---------------------------------------------------------------------------
DELIBERATE = {
    ("attacks/isa-replace-content-no-xref", "Signatur1", "modified"):
        "Object bodies appended after %%EOF without an xref section: pyHanko reads only what the xref chain "
        "indexes and says NONE; sigaudit reports the unindexed bytes after the signed revision (mod.changes warns).",
    ("attacks/isa-add-page-no-xref", "Signatur1", "modified"):
        "As isa-replace-content-no-xref: pyHanko ignores bytes no xref section indexes; sigaudit warns.",
    ("attacks/annotation-indirect-contents-defined-later", "Signatur1", "modified"):
        "The signed note's /Contents named object 47, undefined when signed (null, ISO 32000-1 §7.3.10); the update "
        "defines it as another text. pyHanko finds no history for the object and classes the update as LTA_UPDATES; "
        "sigaudit fails mod.shadow, since what the note says changed.",
    ("attacks/trailing-bytes", "Signatur1", "modified"):
        "Bytes after the last %%EOF: pyHanko ignores them (NONE); sigaudit warns mod.changes.",
    ("attacks/two-signatures-one-gap", "Signatur1", "integrity"):
        "pyHanko checks each signature alone (both intact and valid); sigaudit rejects a ByteRange gap used by two "
        "signatures (sig.byte_range) before it judges the digest.",
    ("attacks/two-signatures-one-gap", "Signatur2", "integrity"):
        "The copied dictionary: pyHanko finds its digest and signature fine; sigaudit rejects its shared gap, which "
        "is not its own /Contents (sig.byte_range, sig.contents_gap).",
    ("attacks/two-signatures-one-gap", "Signatur2", "modified"):
        "pyHanko takes the copy's signed revision to be revision 1 and flags the update that created the copy as "
        "OTHER; sigaudit has already rejected the copy (shared gap) and classifies that update as a new signature field.",
    ("pades/annotation-date-updated", "Signatur1", "modified"):
        "The update changes only the /M (modification date) of a sticky note the signed page showed. pyHanko's diff "
        "policy has no rule for changing an existing annotation and calls any replaced annotation dictionary "
        "unexplained (OTHER); sigaudit compares the dictionaries key by key and lets pass a change of only /M, /P or "
        "/Popup, which nothing drawn or said depends on (ISO 32000-1 Table 164), naming the note and the key.",
    ("attacks/doc-timestamp-sha1", "Tidsstempel1", "integrity"):
        "pyHanko finds the SHA-1 messageImprint and the TSA's sha1WithRSA signature intact and valid and puts the "
        "algorithm judgement in trust (trusted False, CRYPTO_CONSTRAINTS_FAILURE); sigaudit states it on the integrity "
        "checks themselves: tst.imprint and tst.signature warn (SHA-1 is not acceptable for time-stamps, ETSI TS 119 312), "
        "as they do for a signature timestamp.",
    ("attacks/doc-timestamp-md5", "Tidsstempel1", "integrity"):
        "As doc-timestamp-sha1 with MD5: pyHanko says intact and valid, trusted False (CRYPTO_CONSTRAINTS_FAILURE); "
        "sigaudit fails tst.imprint and tst.signature, since an MD5 imprint or signature proves nothing (ETSI TS 119 312).",
    ("pades/fieldmdp-exclude-fill", "Signatur1", "modified"):
        "pyHanko reports an 'update' of the appearance stream of Parti.Navn (a field-and-widget kid of the "
        "non-terminal field Parti), which no later revision touches, and so calls the locked field changed; it does "
        "the same after an update that changes only the document information. The update fills in Pris, the one "
        "field the FieldMDP /Exclude lock leaves open (ISO 32000-1 Table 256), so sigaudit allows it.",
}


def log(msg=""):
    print(msg, flush=True)


def load_pyhanko():
    try:
        import pyhanko.sign.validation  # noqa: F401  (only: can it be imported)
        import pyhanko_certvalidator  # noqa: F401
    except ImportError as e:  # pragma: no cover
        return None, str(e)
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    from importlib.metadata import version
    return version("pyHanko"), None


# ---------------------------------------------------------------------------
# pyHanko's side
# ---------------------------------------------------------------------------

def pyhanko_view(pdf: bytes, at: str, trust_files: list[bytes]) -> list[dict]:
    """One dict per signature: field, kind, and either (intact, valid, coverage, modified,
    docmdp_ok) or error. A file pyHanko cannot read gives one entry with field None."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for data in trust_files:
        if pem.detect(data):
            for _, _, der in pem.unarmor(data, multiple=True):
                roots.append(x509.Certificate.load(der))
        else:
            roots.append(x509.Certificate.load(data))
    # `--at signing` judges each signature at its own signing time: for pyHanko, the
    # moment of its signature timestamp (a document timestamp's own genTime), else /M.
    when = None if at == "signing" else dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as e:  # noqa: BLE001
        return [{"field": None, "kind": "?", "error": f"{type(e).__name__}: {e}"}]
    out = []
    for sig in sigs:
        vc = ValidationContext(trust_roots=roots, allow_fetching=False, moment=when or signing_moment(sig))
        kind = "timestamp" if sig.sig_object_type == "/DocTimeStamp" else "signature"
        d = {"field": sig.field_name, "kind": kind}
        try:
            if kind == "timestamp":
                st = validate_pdf_timestamp(sig, validation_context=vc)
            else:
                st = validate_pdf_signature(sig, signer_validation_context=vc)
            level = st.modification_level
            d.update(
                intact=bool(st.intact), valid=bool(st.valid),
                coverage=st.coverage.name if st.coverage is not None else None,
                modification=level.name if level is not None else None,
                docmdp_ok=st.docmdp_ok,
            )
        except Exception as e:  # noqa: BLE001
            d["error"] = f"{type(e).__name__}: {e}"
        out.append(d)
    return out


# ---------------------------------------------------------------------------
# sigaudit's side
# ---------------------------------------------------------------------------

def signing_moment(sig):
    """A signature's own signing time, for `--at signing`: the genTime of its signature
    timestamp token (of the token itself, for a document timestamp), else /M."""
    try:
        if sig.sig_object_type == "/DocTimeStamp":
            return sig.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
        for attr in sig.signer_info["unsigned_attrs"] or []:
            if attr["type"].native == "signature_time_stamp_token":
                return attr["values"][0]["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:  # noqa: BLE001
        pass
    return sig.self_reported_timestamp


def cli_args(opts: dict, inputs: list[str]) -> list[str]:
    """options.json -> CLI flags, in the order tests/common/mod.rs cli_args writes them."""
    args = ["verify", "--format", "json"]
    for key, flag in (("at", "at"), ("env", "env"), ("issuer", "issuer"), ("audience", "audience"), ("nonce", "nonce"),
                      ("referenceText", "reference-text"), ("maxAge", "max-age"), ("minLevel", "min-level"),
                      ("idp", "idp"), ("identityType", "identity-type"), ("leeway", "leeway"), ("ocspSkew", "ocsp-skew")):
        value = opts.get(key)
        if value is None:
            continue
        # audience may be a list: one flag per value, as a repeated --audience.
        for v in value if isinstance(value, list) else [value]:
            args += [f"--{flag}", str(v)]
    for j in opts.get("jwks", []):
        args += ["--jwks", j]
    for t in opts.get("trust", []):
        args += ["--trust", t]
    return args + inputs


def walk(node, path=()):
    yield node, path
    for c in node.get("children", []):
        yield from walk(c, path + (node,))


def fact_values(node) -> list[str]:
    vals = []
    for f in node.get("facts", []):
        v = f.get("value")
        vals.append(v if isinstance(v, str) else json.dumps(v))
    return vals


def signature_nodes(report: dict) -> list[dict]:
    """Report nodes that judge one signature: those carrying a sig.* or cms.* check (or tst.*
    with a sig.* sibling, for document timestamps), in report order."""
    out = []
    for top in report.get("nodes", []):
        for node, _ in walk(top):
            ids = {c["id"] for c in node.get("checks", [])}
            if any(i.startswith(("sig.", "cms.")) for i in ids):
                out.append(node)
    return out


def node_for(nodes: list[dict], field: str | None, index: int, file_hint: str):
    """The report node of a signature: one whose subject or facts name the field (and, with
    several PDFs, the file); else the index-th node among those naming the file."""
    def names(n, s):
        return s and (s in n.get("subject", "") or any(s == v or f"'{s}'" in v for v in fact_values(n)))
    cand = [n for n in nodes if names(n, field)]
    if len(cand) > 1 and file_hint:
        narrowed = [n for n in cand if file_hint in n.get("subject", "") or any(file_hint in v for v in fact_values(n))]
        cand = narrowed or cand
    if cand:
        return cand[0]
    in_file = [n for n in nodes if file_hint and (file_hint in n.get("subject", "") or any(file_hint in v for v in fact_values(n)))]
    pool = in_file or nodes
    return pool[index] if index < len(pool) else None


def status_of(node, cid):
    for c in node.get("checks", []):
        if c["id"] == cid:
            return c["status"]
    return None


def coverage_of(node):
    for c in node.get("checks", []):
        if c["id"] == "sig.coverage":
            for f in c.get("evidence", []):
                if f.get("name") == "coverage":
                    return f.get("value")
    return None


def ours(node, kind):
    """sigaudit's three answers for one signature node (None = not stated)."""
    st = {c["id"]: c["status"] for c in node.get("checks", [])}
    rejected = any(s == "fail" for i, s in st.items() if i.startswith(("sig.", "cms.", "pdf.", "tst.")))
    # pyHanko validates a signature's embedded signature timestamp with it and rejects
    # the signature when the token fails; sigaudit reports the token as a child node.
    for child in node.get("children", []):
        if child.get("kind") == "timestamp":
            rejected = rejected or any(c["status"] == "fail" and c["id"].startswith("tst.") for c in child.get("checks", []))
    structural = st.get("sig.byte_range") == "fail" or st.get("sig.contents_gap") == "fail"
    keys = ["cms.message_digest", "cms.signature"] + (["tst.imprint", "tst.signature"] if kind == "timestamp" else [])
    present = [st[k] for k in keys if k in st]
    if present:
        integrity = all(s == "pass" for s in present)
    elif st.get("sig.byte_range") == "fail" or st.get("sig.contents_gap") == "fail" or st.get("cms.format") == "fail":
        integrity = False  # the digest cannot even be computed
    else:
        integrity = None
    mods = [st.get(i) for i in ("mod.changes", "mod.docmdp", "mod.shadow")]
    cov = coverage_of(node)
    if all(m is None for m in mods) and st.get("sig.coverage") is None:
        modified = None
    else:
        modified = (st.get("mod.changes") in ("warn", "fail") or st.get("mod.docmdp") == "fail"
                    or st.get("mod.shadow") == "fail" or st.get("sig.coverage") in ("warn", "fail"))
    return {"rejected": rejected, "structural": structural, "integrity": integrity, "coverage": cov, "modified": modified}


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------

def scenario_dirs(filters):
    for g in GROUPS:
        base = SCENARIOS / g
        if not base.is_dir():
            continue
        for d in sorted(p for p in base.iterdir() if (p / "expected.json").is_file()):
            rel = f"{g}/{d.name}"
            if not filters or any(f in rel for f in filters):
                yield rel, d


def signed_pdfs(d: Path):
    for f in sorted((d / "input").rglob("*")):
        if not f.is_file():
            continue
        data = f.read_bytes()
        if f.suffix.lower() == ".pdf" and (b"/ByteRange" in data or b"/Type /Sig" in data or b"/Sig" in data):
            yield f.name, data
        elif f.suffix.lower() == ".json":
            try:
                j = json.loads(data)
            except ValueError:
                continue
            if isinstance(j, dict) and isinstance(j.get("padesSignedPdf"), str):
                yield f.name, base64.b64decode(j["padesSignedPdf"])


def main() -> int:
    ap = argparse.ArgumentParser(description="pyHanko versus sigaudit on the PDF scenarios")
    ap.add_argument("--sigaudit", default=str(ROOT / "target" / "debug" / "sigaudit"))
    ap.add_argument("filters", nargs="*", help="only scenarios whose group/name contains one of these")
    args = ap.parse_args()

    pyhanko_version, why = load_pyhanko()
    if pyhanko_version is None:
        log(f"SKIP: pyHanko is not importable ({why}); pip install -r test-vectors/generate/requirements.txt")
        return 0
    exe = Path(args.sigaudit)
    if not exe.is_file():
        log(f"sigaudit binary not found at {exe}: run `cargo build` first (or pass --sigaudit)")
        return 2

    rows = []  # (scenario, field, property, pyhanko, ours, result)
    used_deliberate = set()
    for rel, d in scenario_dirs(args.filters):
        pdfs = list(signed_pdfs(d))
        if not pdfs:
            continue
        opts = json.loads((d / "options.json").read_text())
        trust = [(d / t).read_bytes() for t in opts.get("trust", [])]
        inputs = sorted(str(p.relative_to(d)).replace("\\", "/") for p in (d / "input").rglob("*") if p.is_file())
        proc = subprocess.run([str(exe)] + cli_args(opts, inputs), cwd=d, capture_output=True)
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            rows.append((rel, "*", "run", "-", f"no JSON (exit {proc.returncode}): {proc.stderr.decode(errors='replace')[:80]}", "DISAGREE"))
            continue
        nodes = signature_nodes(report)
        for file_name, pdf in pdfs:
            views = pyhanko_view(pdf, opts["at"], trust)
            for i, v in enumerate(views):
                field = v.get("field")
                if field is None:  # pyHanko could not read the file at all
                    bad = any(c["status"] == "fail" and c["id"].startswith(("pdf.", "sig.", "cms."))
                              for top in report.get("nodes", []) for n, _ in walk(top) for c in n.get("checks", []))
                    rows.append((rel, file_name, "readable", "rejected: " + v["error"][:60], "rejects" if bad else "accepts",
                                 "agree" if bad else "DISAGREE"))
                    continue
                node = node_for(nodes, field, i, file_name)
                if node is None:
                    rows.append((rel, field, "signature", v.get("error", "judged")[:60], "no signature node in the report", "DISAGREE"))
                    continue
                o = ours(node, v["kind"])

                def compare(prop, theirs, mine, defined=True):
                    key = (rel, field, prop)
                    if not defined:
                        rows.append((rel, field, prop, str(theirs), str(mine), "n/a"))
                        return
                    same = theirs == mine
                    if key in DELIBERATE:
                        used_deliberate.add(key)
                        rows.append((rel, field, prop, str(theirs), str(mine), "deliberate" if not same else "agree (stale table entry)"))
                    else:
                        rows.append((rel, field, prop, str(theirs), str(mine), "agree" if same else "DISAGREE"))

                if "error" in v:
                    compare("rejected", True, o["rejected"])
                    continue
                compare("integrity", v["intact"] and v["valid"], o["integrity"])
                # sigaudit names no coverage when it rejected the ByteRange itself.
                cov_defined = not (o["coverage"] is None and o["structural"] and status_of(node, "sig.coverage") is None)
                compare("coverage", v["coverage"], o["coverage"], defined=cov_defined)
                ph_modified = v["modification"] == "OTHER" or v["docmdp_ok"] is False
                # Undefined on our side when sigaudit stated neither mod.* nor a coverage for it.
                compare("modified", ph_modified, o["modified"], defined=o["modified"] is not None)

    stale = [k for k in DELIBERATE if k not in used_deliberate and any(r[0] == k[0] for r in rows)]
    widths = [max(len(str(r[i])) for r in rows + [("scenario", "field", "property", "pyHanko", "sigaudit", "result")]) for i in range(6)]
    widths = [min(w, 48) for w in widths]
    header = ("scenario", "field", "property", "pyHanko", "sigaudit", "result")
    log("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        log("  ".join(str(c)[:w].ljust(w) for c, w in zip(r, widths)))
    agree = sum(r[5].startswith("agree") for r in rows)
    deliberate = sum(r[5] == "deliberate" for r in rows)
    disagree = sum(r[5] == "DISAGREE" for r in rows)
    na = sum(r[5] == "n/a" for r in rows)
    for k in stale:
        log(f"note: deliberate entry {k} was not exercised")
    for r in rows:
        if r[5] == "deliberate":
            log(f"deliberate: {r[0]} {r[1]} {r[2]}: {DELIBERATE[(r[0], r[1], r[2])]}")
    log(f"pyhanko_agree: {agree} agreed, {deliberate} deliberate, {disagree} disagreed, {na} not comparable "
        f"(pyHanko {pyhanko_version})")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
