//! Unsigned PDFs beside results that speak about PDFs (broker.md §4, §5).
//!
//! A result that presents a PDF as *the signed one* (a sign-service result's
//! `padesSignedPdf`, a workflow PAdES result's sealed `padesDocument`) makes a
//! claim the PDF itself must bear out: with no signature the claim is false.
//! A sign-service result also commits by hash to its original
//! (`unsignedDocumentSha256`) and its signed PDF (`signedDocumentSha256`),
//! and by bytes to the original its `padesAppendix` was appended to
//! (`padesSignedPdf` without the appendix: the revision the signature
//! extends, broker.md §5); only the PDFs those name are accounted for by it,
//! not every unsigned PDF that happens to be in the same bundle.

use super::collect::SignResult;
use crate::binding::Document;
use crate::checks::CheckId;
use crate::crypto::sha256;
use crate::report::{Check, Status};
use std::collections::BTreeSet;

/// A PDF presented as signed (`claim` names the member and who presents it)
/// has no signature: its passing `pdf.signatures` ("no signatures") becomes a failure.
pub(super) fn signed_claim_false(checks: &mut [Check], claim: &str) {
    for c in checks.iter_mut().filter(|c| c.id == CheckId::PdfSignatures && c.status == Status::Pass) {
        c.status = Status::Fail;
        c.message = format!("{claim}, but it has no signature: that claim is false");
    }
}

/// The documents a sign-service PAdES result accounts for: those whose
/// SHA-256 it declares (`unsignedDocumentSha256` or `signedDocumentSha256`),
/// and the original that `padesSignedPdf` extends by `padesAppendix` (its
/// bytes before the appendix), which is what was signed whatever
/// `unsignedDocumentSha256` says (`signservice.hash` judges that claim, and
/// `signservice.appendix` the bytes).
pub(super) fn bound_by_sign_service(results: &[SignResult], docs: &[Document]) -> BTreeSet<usize> {
    let mut hashes: Vec<Vec<u8>> = Vec::new();
    for r in results {
        let SignResult::Pades { flow, .. } = r else { continue };
        hashes.extend([flow.unsigned_sha256.clone(), flow.signed_sha256.clone()].into_iter().flatten());
        if let (Some(signed), Some(app)) = (&flow.signed_pdf, &flow.appendix) {
            // Hashed only when a supplied document has the original's length:
            // padesSignedPdf can be tens of megabytes.
            let original = signed.len() - app.len().min(signed.len());
            if !app.is_empty() && signed.ends_with(app) && docs.iter().any(|d| d.size == original as u64) {
                hashes.push(sha256(&signed[..original]).to_vec());
            }
        }
    }
    (0..docs.len()).filter(|&d| hashes.iter().any(|h| h.as_slice() == docs[d].sha256.as_slice())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signservice::PadesFlow;

    fn doc(name: &str, sha256: [u8; 32]) -> Document {
        Document { name: name.into(), title: None, sha256, size: 1, is_pdf: true }
    }

    #[test]
    fn only_the_documents_a_result_names_are_bound() {
        let flow = PadesFlow {
            unsigned_sha256: Some(vec![1; 32]),
            signed_sha256: Some(vec![2; 32]),
            signed_pdf: None,
            appendix: None,
            description: None,
            problems: Vec::new(),
        };
        let results = [SignResult::Pades { flow, container: 0, signed_document: None }];
        let docs = [doc("'original.pdf'", [1; 32]), doc("'unrelated.pdf'", [3; 32]), doc("'signed.pdf'", [2; 32])];
        assert_eq!(bound_by_sign_service(&results, &docs), BTreeSet::from([0, 2]));
    }

    /// The original that padesSignedPdf extends by padesAppendix is bound by
    /// those bytes even when unsignedDocumentSha256 names another document.
    #[test]
    fn the_original_the_appendix_extends_is_bound() {
        let (original, appendix) = (b"%PDF-1.7 original".to_vec(), b"\n% appended update".to_vec());
        let signed = [original.clone(), appendix.clone()].concat();
        let flow = PadesFlow {
            unsigned_sha256: Some(vec![1; 32]),
            signed_sha256: Some(sha256(&signed).to_vec()),
            signed_pdf: Some(signed),
            appendix: Some(appendix),
            description: None,
            problems: Vec::new(),
        };
        let results = [SignResult::Pades { flow, container: 0, signed_document: None }];
        let docs = [doc("'other.pdf'", sha256(b"%PDF-1.7 other")), Document { size: original.len() as u64, ..doc("'original.pdf'", sha256(&original)) }];
        assert_eq!(bound_by_sign_service(&results, &docs), BTreeSet::from([1]));
    }

    #[test]
    fn a_signed_claim_without_signature_fails() {
        let mut checks = vec![Check::pass(CheckId::PdfSignatures, "the PDF has no signatures"), Check::pass(CheckId::PdfStructure, "fine")];
        signed_claim_false(&mut checks, "'r.json' padesSignedPdf is presented as the signed PDF");
        assert_eq!(checks[0].status, Status::Fail);
        assert!(checks[0].message.contains("'r.json' padesSignedPdf"));
        assert_eq!(checks[1].status, Status::Pass);
    }
}
