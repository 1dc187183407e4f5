//! The older Sign service's results (broker.md §5).
//!
//! - PAdES flow: `unsignedDocumentSha256` and `signedDocumentSha256` (base64
//!   SHA-256), `padesSignedPdf` (base64 PDF), `padesAppendix` (base64 bytes
//!   appended to the original as an incremental update). Original ++ appendix
//!   must be the signed PDF byte for byte; the signed PDF is then verified as PAdES.
//! - SEID-SDO flow: `documentHashes`, `merchantSignatures`, `endUserSignatures`
//!   (base64 BER CMS, detached signatures over the document: their
//!   message-digest must equal the document hash).

use crate::checks::CheckId;
use crate::cms::attributes::message_digest;
use crate::cms::signer::{find_signer_certificate, verify_signature};
use crate::cms::{self};
use crate::crypto::sha256;
use crate::encoding::b64_decode_lenient_ws;
use crate::pki::{validate_path, PathInput, Usage};
use crate::report::{Check, Fact, Node, NodeKind, Status};
use crate::time::UnixTime;
use crate::x509::sigalg::digest_algorithm;
use crate::x509::Certificate;
use serde_json::Value;
use std::sync::Arc;

/// A PAdES-flow result, decoded.
#[derive(Clone, Debug)]
pub struct PadesFlow {
    pub unsigned_sha256: Option<Vec<u8>>,
    pub signed_sha256: Option<Vec<u8>>,
    pub signed_pdf: Option<Vec<u8>>,
    pub appendix: Option<Vec<u8>>,
    pub description: Option<String>,
    pub problems: Vec<String>,
}

/// A SEID-SDO-flow result, decoded.
#[derive(Clone, Debug)]
pub struct SdoFlow {
    pub document_hashes: Vec<Option<Vec<u8>>>,
    /// (which list, index, CMS bytes or why not).
    pub signatures: Vec<SdoSignature>,
}

/// One signature of a SEID-SDO result: (which list, index, CMS bytes or why not).
pub type SdoSignature = (&'static str, usize, Result<Vec<u8>, String>);

fn b64_field(obj: &serde_json::Map<String, Value>, name: &str, problems: &mut Vec<String>) -> Option<Vec<u8>> {
    let v = obj.get(name)?.as_str()?;
    match b64_decode_lenient_ws(v) {
        Ok(b) => Some(b),
        Err(e) => {
            problems.push(format!("{name} is not base64: {e}"));
            None
        }
    }
}

/// Reads a PAdES-flow result object.
pub fn pades_flow(obj: &serde_json::Map<String, Value>) -> PadesFlow {
    let mut problems = Vec::new();
    PadesFlow {
        unsigned_sha256: b64_field(obj, "unsignedDocumentSha256", &mut problems),
        signed_sha256: b64_field(obj, "signedDocumentSha256", &mut problems),
        signed_pdf: b64_field(obj, "padesSignedPdf", &mut problems),
        appendix: b64_field(obj, "padesAppendix", &mut problems),
        description: obj.get("description").and_then(Value::as_str).map(str::to_string),
        problems,
    }
}

/// Reads a SEID-SDO-flow result object.
pub fn sdo_flow(obj: &serde_json::Map<String, Value>) -> SdoFlow {
    let hashes = obj
        .get("documentHashes")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|h| h.as_str().and_then(|s| b64_decode_lenient_ws(s).ok())).collect())
        .unwrap_or_default();
    let mut signatures = Vec::new();
    for list in ["merchantSignatures", "endUserSignatures"] {
        for (i, v) in obj.get(list).and_then(Value::as_array).into_iter().flatten().enumerate() {
            let cms = v.as_str().ok_or_else(|| "not a string".to_string()).and_then(|s| b64_decode_lenient_ws(s).map_err(|e| format!("not base64: {e}")));
            signatures.push((if list == "merchantSignatures" { "merchant" } else { "end user" }, i, cms));
        }
    }
    SdoFlow { document_hashes: hashes, signatures }
}

/// `signservice.hash` and `signservice.appendix` for a PAdES flow, given the
/// SHA-256 and bytes of every other supplied document.
pub fn check_pades_flow(flow: &PadesFlow, documents: &[(String, &[u8])]) -> Vec<Check> {
    let mut checks = Vec::new();
    for p in &flow.problems {
        checks.push(Check::fail(CheckId::SignServiceHash, p.clone()));
    }
    // The signed PDF against its declared hash.
    if let (Some(pdf), Some(declared)) = (&flow.signed_pdf, &flow.signed_sha256) {
        let actual = sha256(pdf);
        checks.push(if actual.as_slice() == declared.as_slice() {
            Check::pass(CheckId::SignServiceHash, "signedDocumentSha256 is the SHA-256 of padesSignedPdf")
        } else {
            Check::fail(CheckId::SignServiceHash, "signedDocumentSha256 is not the SHA-256 of padesSignedPdf")
                .with(Fact::sha256("declared", declared))
                .with(Fact::sha256("actual", &actual))
        });
    }
    if flow.signed_sha256.is_none() {
        checks.push(Check::fail(CheckId::SignServiceHash, "the result has no signedDocumentSha256: nothing in it commits to the signed PDF's bytes"));
    }
    // The original.
    let original = flow.unsigned_sha256.as_ref().and_then(|h| documents.iter().find(|(_, b)| sha256(b).as_slice() == h.as_slice()));
    match (&flow.unsigned_sha256, original) {
        (Some(_), Some((name, _))) => {
            checks.push(Check::pass(CheckId::SignServiceHash, format!("unsignedDocumentSha256 is the SHA-256 of the supplied original {name}")))
        }
        (Some(h), None) if documents.is_empty() => checks.push(
            Check::indeterminate(CheckId::SignServiceHash, "the original document was not supplied: unsignedDocumentSha256 cannot be checked")
                .with(Fact::sha256("declared", h)),
        ),
        (Some(h), None) => checks.push(
            Check::fail(CheckId::SignServiceHash, "no supplied document has the SHA-256 that unsignedDocumentSha256 declares")
                .with(Fact::sha256("declared", h))
                .with(Fact::list("supplied", documents.iter().map(|(n, b)| format!("{n} {}", hex::encode(sha256(b)))).collect())),
        ),
        (None, _) => checks.push(Check::fail(CheckId::SignServiceHash, "the result has no unsignedDocumentSha256")),
    }
    // original ++ appendix == signed, with the declared original or the only candidate.
    let base: Option<&[u8]> = original.map(|(_, b)| *b).or(if documents.len() == 1 { Some(documents[0].1) } else { None });
    match (base, &flow.appendix, &flow.signed_pdf) {
        (Some(orig), Some(app), Some(signed)) => {
            let ok = orig.len() + app.len() == signed.len() && signed.starts_with(orig) && signed.ends_with(app);
            checks.push(if ok {
                Check::pass(
                    CheckId::SignServiceAppendix,
                    format!("the original ({} bytes) followed by padesAppendix ({} bytes) is padesSignedPdf byte for byte", orig.len(), app.len()),
                )
            } else {
                let first_diff = orig.iter().chain(app.iter()).zip(signed.iter()).position(|(a, b)| a != b).unwrap_or(orig.len().min(signed.len()));
                Check::fail(
                    CheckId::SignServiceAppendix,
                    format!("the original followed by padesAppendix is not padesSignedPdf (first difference at byte {first_diff})"),
                )
            });
        }
        (None, Some(_), Some(_)) => {
            checks.push(Check::indeterminate(CheckId::SignServiceAppendix, "the original document was not supplied: the appendix cannot be checked"))
        }
        _ => checks.push(Check::fail(CheckId::SignServiceAppendix, "the result lacks padesAppendix or padesSignedPdf")),
    }
    checks
}

/// `signservice.cms` for each SEID-SDO signature, with its signer's path.
pub fn check_sdo_flow(flow: &SdoFlow, pool: &[Arc<Certificate>], anchors: &[Arc<Certificate>], at: Option<UnixTime>) -> (Vec<Check>, Vec<Node>) {
    let mut checks = Vec::new();
    let mut nodes = Vec::new();
    if flow.signatures.is_empty() {
        checks.push(Check::fail(CheckId::SignServiceCms, "the result holds no merchantSignatures or endUserSignatures"));
    }
    for (who, i, cms_bytes) in &flow.signatures {
        let label = format!("{who} signature {}", i + 1);
        let expected = flow.document_hashes.get(*i).cloned().flatten();
        let cms_bytes = match cms_bytes {
            Ok(b) => b,
            Err(e) => {
                checks.push(Check::fail(CheckId::SignServiceCms, format!("{label}: {e}")));
                continue;
            }
        };
        let sd = match cms::parse(cms_bytes) {
            Ok(sd) => sd,
            Err(e) => {
                checks.push(Check::fail(CheckId::SignServiceCms, format!("{label} is not a CMS SignedData: {e}")));
                continue;
            }
        };
        let Some(si) = sd.signer_infos.first() else {
            checks.push(Check::fail(CheckId::SignServiceCms, format!("{label} has no SignerInfo")));
            continue;
        };
        let problems = crate::cms::signer::consistency_problems(&sd, si);
        if !problems.is_empty() {
            checks.push(Check::fail(CheckId::SignServiceCms, format!("{label}: the CMS contradicts itself: {}", problems.join("; "))));
            continue;
        }
        let Some(cert) = find_signer_certificate(&sd, si, pool) else {
            checks.push(Check::indeterminate(CheckId::SignServiceCms, format!("{label}: the signer certificate is not in the CMS or the evidence")));
            continue;
        };
        let md = message_digest(si).ok().flatten();
        let sig = verify_signature(si, &cert, sd.econtent.as_deref());
        let hash_name = digest_algorithm(&si.digest_alg).map(|h| h.name()).unwrap_or("?");
        let facts = [Fact::text("signer", cert.subject.clone()), Fact::text("encoding", if sd.ber { "BER (indefinite lengths)" } else { "DER" })];
        let check = match (sig, md, expected) {
            (Err(why), _, _) => Check::fail(CheckId::SignServiceCms, format!("{label}: {why}")),
            (Ok(_), None, _) => Check::fail(CheckId::SignServiceCms, format!("{label} has no message-digest attribute")),
            (Ok(_), Some(_), None) => Check::fail(CheckId::SignServiceCms, format!("{label} has no matching entry in documentHashes")),
            (Ok(_), Some(md), Some(h)) if md == h => {
                Check::pass(CheckId::SignServiceCms, format!("{label} by '{}' verifies and signs the document hash ({hash_name})", cert.subject))
            }
            (Ok(_), Some(md), Some(h)) => Check::fail(CheckId::SignServiceCms, format!("{label} verifies, but signs another digest than documentHashes[{i}]"))
                .with(Fact::digest("signed", hash_name, &md))
                .with(Fact::digest("document_hash", hash_name, &h)),
        };
        checks.push(check.with_all(facts));
        if let Some(vt) = at {
            let mut intermediates = sd.certificates.clone();
            intermediates.extend(pool.iter().cloned());
            let path = validate_path(&PathInput {
                target: &cert,
                intermediates: &intermediates,
                anchors,
                validation_time: vt,
                signing_time: None,
                usage: Usage::Signer,
            });
            let mut n = Node::new(NodeKind::SigningKey, format!("{label} signer certificate '{}'", cert.subject));
            n.checks = path.checks;
            if n.checks.iter().any(|c| c.status != Status::Pass) || !n.checks.is_empty() {
                nodes.push(n);
            }
        }
    }
    (checks, nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn flow(signed_sha256: bool) -> PadesFlow {
        let original = b"%PDF-1.7 original".to_vec();
        let appendix = b"\n% appended update".to_vec();
        let signed = [original.clone(), appendix.clone()].concat();
        PadesFlow {
            unsigned_sha256: Some(sha256(&original).to_vec()),
            signed_sha256: signed_sha256.then(|| sha256(&signed).to_vec()),
            signed_pdf: Some(signed),
            appendix: Some(appendix),
            description: None,
            problems: Vec::new(),
        }
    }

    /// broker.md §5: SHA-256(signed) = signedDocumentSha256. A result without
    /// the member commits to nothing about the signed PDF: it fails, it is not skipped.
    #[test]
    fn a_missing_signed_document_sha256_fails() {
        let original = b"%PDF-1.7 original".to_vec();
        let docs = [("original.pdf".to_string(), original.as_slice())];
        let with = check_pades_flow(&flow(true), &docs);
        assert!(with.iter().all(|c| c.status == Status::Pass), "{with:?}");
        let without = check_pades_flow(&flow(false), &docs);
        assert!(
            without.iter().any(|c| c.id == CheckId::SignServiceHash && c.status == Status::Fail && c.message.contains("no signedDocumentSha256")),
            "{without:?}"
        );
    }
}
