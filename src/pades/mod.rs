//! PAdES and PDF signatures (ISO 32000-1 §12.8, ETSI EN 319 142-1; pades.md).
//!
//! For one PDF: open its structure, find every signature, and for each
//! signature check the ByteRange and coverage, the CMS, timestamps and the
//! signer's path; then the document-level checks: revocation and baseline
//! level from the long-term validation data, and the changes made after each
//! signature judged against DocMDP / FieldMDP and for shadow attacks.

pub mod byterange;
pub mod embedded;
pub mod find;
pub mod hashing;
pub mod ltv;
pub mod modifications;
pub mod signature;
pub mod timestamp;

use crate::checks::CheckId;
use crate::pdf::Pdf;
use crate::policy::Policy;
use crate::report::{Check, Fact, Node};
use crate::x509::Certificate;
use byterange::{check_byte_range, Coverage};
pub use embedded::EmbeddedFile;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What attests a signed revision: a signature, or a document timestamp
/// (ETSI.RFC3161, /Type /DocTimeStamp; ETSI EN 319 142-1 §5.4), which
/// attests the revision it covers as a signature does but signs nothing. The
/// checks judge both alike; their sentences name which one it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attestation {
    Signature,
    DocTimestamp,
}

impl Attestation {
    pub fn of(doc_timestamp: bool) -> Self {
        if doc_timestamp {
            Attestation::DocTimestamp
        } else {
            Attestation::Signature
        }
    }

    /// "signature" or "document timestamp".
    pub fn noun(self) -> &'static str {
        match self {
            Attestation::Signature => "signature",
            Attestation::DocTimestamp => "document timestamp",
        }
    }

    /// "after signing" or "after the document timestamp".
    pub fn after(self) -> &'static str {
        match self {
            Attestation::Signature => "after signing",
            Attestation::DocTimestamp => "after the document timestamp",
        }
    }

    /// "signed" or "timestamped": what was done to the revision and its pages.
    pub fn done(self) -> &'static str {
        match self {
            Attestation::Signature => "signed",
            Attestation::DocTimestamp => "timestamped",
        }
    }
}

/// What PDF verification is given besides the bytes.
pub struct Context<'a> {
    pub policy: &'a Policy,
    /// Certificates from the rest of the evidence.
    pub pool: &'a [Arc<Certificate>],
    pub anchors: &'a [Arc<Certificate>],
    /// The certificates of the document's DSS /Certs (ETSI EN 319 142-1
    /// §5.4.2: validation data): candidates for the signers', TSAs' and OCSP
    /// responders' paths, like the certificates of a CMS SignedData. Set by
    /// [`inspect`]; empty outside a PDF.
    pub dss_certs: &'a [Arc<Certificate>],
}

/// The verification of one PDF: checks for its node, and child nodes.
pub struct Inspection {
    pub checks: Vec<Check>,
    pub facts: Vec<Fact>,
    pub children: Vec<Node>,
    pub signatures: usize,
}

/// Opens a PDF and lists its embedded files (run before everything else, so
/// embedded evidence joins the bundle).
pub fn extract_embedded(data: &[u8]) -> (Vec<EmbeddedFile>, Vec<String>) {
    match Pdf::parse(data) {
        Ok(pdf) => embedded::embedded_files(&pdf),
        Err(_) => (Vec::new(), Vec::new()),
    }
}

/// The file's last line is `%%EOF` (ISO 32000-1 §7.5.5). Readers repair a
/// file without it, and so does sigaudit, but a missing marker after the
/// last `startxref` means the file's end was lost: it was cut short.
fn missing_eof_check(pdf: &Pdf<'_>) -> Option<Check> {
    (!pdf.ends_with_eof()).then(|| {
        Check::warn(
            CheckId::PdfStructure,
            "the file does not end with %%EOF after its last startxref (ISO 32000-1 §7.5.5): its end is missing, so it was probably truncated",
        )
    })
}

/// Bytes after the last `%%EOF` belong to no revision (ISO 32000-1 §7.5.5:
/// a file ends with its last `startxref` and `%%EOF`), so a reader that
/// follows the cross-reference chain ignores them, and one that repairs the
/// file may show them. When they hold object definitions they are an
/// incremental update without its cross-reference section: what a file cut
/// short while saving, or in storage, leaves, and what a signature appended
/// by an update looks like when the end of the file is lost. Either way the
/// file is not what its writer finished, so it warns (the modification
/// checks of each signature judge the same bytes again for signed PDFs).
fn trailing_bytes_check(pdf: &Pdf<'_>) -> Option<Check> {
    let tail = pdf.after_last_eof();
    if tail.is_empty() {
        return None;
    }
    let n = tail.len();
    let objects = pdf.objects_after_last_eof();
    // `/Sig` as a name of its own (a signature dictionary's /Type or a field's /FT), or a /ByteRange.
    let sig = tail.windows(5).any(|w| &w[..4] == b"/Sig" && !w[4].is_ascii_alphanumeric()) || tail.windows(10).any(|w| w == b"/ByteRange");
    let mut message = format!("{n} bytes follow the last %%EOF outside any revision");
    if objects > 0 {
        message.push_str(&format!(
            ": they define {objects} object(s) without a cross-reference section, an incremental update that never finished: the file is probably truncated"
        ));
        if sig {
            message.push_str(", and the lost update held a signature, which cannot be verified");
        }
    } else {
        message.push_str(": data appended after the end of the file");
    }
    Some(Check::warn(CheckId::PdfStructure, message).with(Fact::int("unindexed_trailing_bytes", n as i64)).with(Fact::int("unindexed_objects", objects as i64)))
}

/// The file's structure as read. A conforming writer leaves no fault for a
/// reader to work around (ISO 32000-1 §7.5: every xref offset leads to its
/// object, every stream's /Length ends at `endstream`, every revision closes
/// with `startxref` and `%%EOF`). sigaudit repairs such faults the way
/// common readers do, but readers repair differently, and a file that two
/// readers show differently is what shadow and wrapping attacks build on
/// (Mainka et al., NDSS 2021), so any repaired fault warns and lists each.
fn structure_check(pdf: &Pdf<'_>, problems: &[crate::pdf::Problem]) -> Check {
    let summary = format!("PDF {} with {} revision(s)", pdf.version(), pdf.revisions().len());
    let check = if problems.is_empty() {
        Check::pass(CheckId::PdfStructure, summary)
    } else {
        Check::warn(
            CheckId::PdfStructure,
            format!(
                "{summary}, read only after repairing {} structural fault(s) (ISO 32000-1 §7.5) that a conforming writer never leaves; other readers may repair them differently and show other content",
                problems.len()
            ),
        )
    };
    check.with_all(problems.iter().map(|p| Fact::text("problem", p.to_string())))
}

/// Verifies every signature of a PDF. `pre` holds digests already computed
/// in the pass that hashed the whole file.
pub fn inspect(data: &[u8], pre: &hashing::Prehashed, ctx: &Context<'_>) -> Inspection {
    let mut ins = Inspection { checks: Vec::new(), facts: Vec::new(), children: Vec::new(), signatures: 0 };
    let pdf = match Pdf::parse(data) {
        Ok(p) => p,
        Err(e) => {
            ins.checks.push(Check::fail(CheckId::PdfStructure, format!("the PDF's structure cannot be read: {e}")));
            return ins;
        }
    };
    pdf.audit_offsets();
    let problems = pdf.problems();
    ins.facts.push(Fact::text("pdf_version", pdf.version().to_string()));
    ins.facts.push(Fact::int("revisions", pdf.revisions().len() as i64));
    ins.checks.push(structure_check(&pdf, &problems));
    ins.checks.extend(missing_eof_check(&pdf));
    ins.checks.extend(trailing_bytes_check(&pdf));
    if pdf.is_encrypted() {
        ins.checks.push(Check::indeterminate(CheckId::PdfStructure, "the PDF is encrypted; its signatures are not verified"));
        return ins;
    }

    // The DSS: its certificates join every path building in this document.
    let dss = ltv::read_dss(&pdf);
    let ctx = &Context { dss_certs: &dss.certs, ..*ctx };

    // Signatures.
    let found = find::find_signatures(&pdf);
    let orphans = found.sigs.iter().filter(|s| s.orphan).count();
    let fields = found.sigs.len() - orphans;
    let mut sig_check = if found.sigs.is_empty() {
        Check::pass(CheckId::PdfSignatures, "the PDF has no signatures")
    } else {
        Check::pass(CheckId::PdfSignatures, format!("{fields} signature(s) in form fields"))
    };
    if orphans > 0 || found.truncated || found.fields_truncated || !found.problems.is_empty() {
        let mut why = Vec::new();
        if orphans > 0 {
            why.push(format!("{orphans} signature dictionary(ies) that no form field references"));
        }
        if found.truncated {
            why.push(format!("more than {} signatures: the rest were not verified", crate::limits::MAX_PDF_SIGNATURES));
        }
        if found.fields_truncated {
            why.push(format!(
                "more than {} form fields, or fields nested deeper than {} levels: the rest were not searched for signatures",
                crate::limits::MAX_PDF_FIELDS,
                find::MAX_FIELD_DEPTH
            ));
        }
        why.extend(found.problems.iter().cloned());
        let message = format!("{fields} signature(s) in form fields; {}", why.join("; "));
        // A limit hit leaves signatures unverified or unsearched: a failure, not a caveat.
        sig_check =
            if found.truncated || found.fields_truncated { Check::fail(CheckId::PdfSignatures, message) } else { Check::warn(CheckId::PdfSignatures, message) };
    }
    ins.checks.push(sig_check);
    ins.signatures = found.sigs.len();

    // Two signatures must not share one gap.
    let mut gaps: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let ranges: Vec<_> = found.sigs.iter().map(|s| check_byte_range(&pdf, &s.dict).1).collect();
    for br in ranges.iter().flatten() {
        *gaps.entry((br.a, br.b)).or_default() += 1;
    }
    let mut outcomes = Vec::new();
    for (i, s) in found.sigs.iter().enumerate() {
        let shared = ranges[i].is_some_and(|br| gaps.get(&(br.a, br.b)).copied().unwrap_or(0) > 1);
        let what = if s.doc_timestamp { "document timestamp" } else { "signature" };
        let label = match (&s.field, s.orphan) {
            (Some(f), _) => format!("{what} '{f}'"),
            (None, true) => format!("{what} in object {} that no field references", s.sig_id.map(|i| i.num).unwrap_or(0)),
            (None, false) => what.to_string(),
        };
        outcomes.push(signature::verify_one(&pdf, s, shared, label, pre, ctx));
    }

    // Document-level: revocation and levels, then changes after each signature.
    let ltv_node = ltv::judge(&pdf, &dss, &mut outcomes, ctx);
    let last = pdf.revisions().len().saturating_sub(1);
    // A document timestamp attests the revision it covers as a signature
    // does (ETSI EN 319 142-1 §5.4), so the changes after it are judged the
    // same way; it carries no DocMDP or FieldMDP of its own.
    for o in outcomes.iter_mut() {
        let signed = match o.coverage {
            Some(Coverage::EntireFile) => last,
            Some(Coverage::EntireRevision(r)) => r,
            Some(Coverage::ContiguousBlockFromStart) => {
                if let Some(br) = o.byte_range {
                    o.node.check(modifications::unrelated_revision_check(&pdf, br.end(), Attestation::of(o.doc_timestamp)));
                }
                continue;
            }
            _ => continue,
        };
        let by = Attestation::of(o.doc_timestamp);
        let changes = modifications::changes_after(&pdf, signed);
        o.node.check(modifications::changes_check(&changes, by));
        if changes.later_revisions > 0 {
            o.node.check(modifications::shadow_check(&changes, o.docmdp, by));
        }
        if let Some(c) = modifications::docmdp_check(&changes, o.docmdp, &o.locked_fields) {
            o.node.check(c);
        }
    }
    ins.children.extend(outcomes.into_iter().map(|o| o.node));
    if ltv_node.facts.iter().any(|f| f.name == "dss" && f.display_value() == "true") {
        ins.children.push(ltv_node);
    }

    let (files, problems) = embedded::embedded_files(&pdf);
    if let Some(c) = embedded::embedded_check(&files, &problems) {
        ins.checks.push(c);
    }
    ins
}
