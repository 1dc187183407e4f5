//! Document hash claims in broker tokens (broker.md §3, §4).
//!
//! - `transaction_text_sha256`: **base64** SHA-256 of the signed bytes.
//! - `workflow_pdf_title_and_sha256`: a JSON *string* holding `{title: hex}`.
//! - `document_N` (workflow tokens): JSON strings `{"title", "sha256Hex"}`.

use crate::checks::CheckId;
use crate::encoding::b64_decode_lenient_ws;
use crate::report::Check;
use serde_json::{Map, Value};

/// Which claim a hash came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimKind {
    /// `transaction_text_sha256`, with `transaction_text_type` (pdf, text, ...).
    TransactionText { text_type: Option<String> },
    /// One pair of `workflow_pdf_title_and_sha256`.
    WorkflowPdf,
    /// `document_N` of a workflow token.
    WorkflowDocument { n: usize },
}

/// One document a token commits to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocClaim {
    /// The claim's name as shown to people ("document_2", "transaction_text_sha256").
    pub claim: String,
    pub kind: ClaimKind,
    pub title: Option<String>,
    pub sha256: [u8; 32],
}

impl DocClaim {
    /// The check id that reports this claim's binding.
    pub fn check_id(&self) -> CheckId {
        match self.kind {
            ClaimKind::TransactionText { .. } => CheckId::BindingDocumentSha256,
            _ => CheckId::BindingWorkflowDocument,
        }
    }
    /// Whether a PDF is expected (else text or anything).
    pub fn expects_pdf(&self) -> bool {
        match &self.kind {
            ClaimKind::TransactionText { text_type } => text_type.as_deref().map_or(true, |t| t.eq_ignore_ascii_case("pdf")),
            _ => true,
        }
    }
}

fn hex32(text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

/// A JSON value that the broker stores as a JSON string holding JSON; a plain
/// object is accepted too (some archives store it decoded).
fn nested_json(v: &Value) -> Result<Value, String> {
    match v {
        Value::String(s) => crate::json::parse_str(s).map_err(|e| e.to_string()),
        Value::Object(_) => Ok(v.clone()),
        other => Err(format!("{} instead of a JSON string", crate::json::type_name(other))),
    }
}

/// Extracts every document claim of a token. Malformed claims become failed checks.
pub fn extract_document_claims(claims: &Map<String, Value>) -> (Vec<DocClaim>, Vec<Check>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();

    if let Some(v) = claims.get("transaction_text_sha256") {
        let text_type = claims.get("transaction_text_type").and_then(Value::as_str).map(str::to_string);
        let decoded = v.as_str().and_then(|s| b64_decode_lenient_ws(s).ok().or_else(|| crate::encoding::b64url_decode(s).ok()));
        match decoded.and_then(|b| <[u8; 32]>::try_from(b).ok()) {
            Some(sha256) => out.push(DocClaim { claim: "transaction_text_sha256".into(), kind: ClaimKind::TransactionText { text_type }, title: None, sha256 }),
            None => problems.push(Check::fail(CheckId::BindingDocumentSha256, format!("transaction_text_sha256 is not base64 of a 32-byte SHA-256: {v}"))),
        }
    }

    if let Some(v) = claims.get("workflow_pdf_title_and_sha256") {
        match nested_json(v) {
            Ok(Value::Object(map)) => {
                for (title, hash) in &map {
                    match hash.as_str().and_then(hex32) {
                        Some(sha256) => out.push(DocClaim {
                            claim: format!("workflow_pdf_title_and_sha256[\"{title}\"]"),
                            kind: ClaimKind::WorkflowPdf,
                            title: Some(title.clone()),
                            sha256,
                        }),
                        None => problems.push(Check::fail(
                            CheckId::BindingWorkflowClaims,
                            format!("workflow_pdf_title_and_sha256: the hash of \"{title}\" is not 64 hex digits"),
                        )),
                    }
                }
            }
            Ok(other) => problems.push(Check::fail(
                CheckId::BindingWorkflowClaims,
                format!("workflow_pdf_title_and_sha256 holds {}, not an object of title -> hash", crate::json::type_name(&other)),
            )),
            Err(why) => problems
                .push(Check::fail(CheckId::BindingWorkflowClaims, format!("workflow_pdf_title_and_sha256 is not a JSON string holding an object: {why}"))),
        }
    }

    for (name, v) in claims {
        let Some(n) = name.strip_prefix("document_").and_then(|n| n.parse::<usize>().ok()) else { continue };
        let parsed = nested_json(v).and_then(|doc| {
            let title = doc.get("title").and_then(Value::as_str).map(str::to_string).ok_or("no \"title\" string")?;
            let sha = doc.get("sha256Hex").and_then(Value::as_str).and_then(hex32).ok_or("no 64-hex-digit \"sha256Hex\"")?;
            Ok::<_, String>((title, sha))
        });
        match parsed {
            Ok((title, sha256)) => out.push(DocClaim { claim: name.clone(), kind: ClaimKind::WorkflowDocument { n }, title: Some(title), sha256 }),
            Err(why) => problems.push(Check::fail(CheckId::BindingWorkflowClaims, format!("{name} is malformed: {why}"))),
        }
    }
    // Numbered claims in numeric order (document_2 before document_10).
    out.sort_by_key(|c| match c.kind {
        ClaimKind::TransactionText { .. } => (0, 0),
        ClaimKind::WorkflowPdf => (1, 0),
        ClaimKind::WorkflowDocument { n } => (2, n),
    });
    (out, problems)
}
