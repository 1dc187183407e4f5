//! Input detection: what each supplied file is.
//!
//! Recognised: compact JWS; token endpoint responses and their error form;
//! workflow API responses (workflow token result, PAdES result, status, create
//! request); JWKS and single JWKs; PEM / DER / base64 X.509 certificates and
//! bundles; OCSP responses as DER or base64; PDFs; Altinn 3 instance metadata,
//! signature records, signee state and events. Anything else is reported by
//! name as unrecognised. Detection only classifies and decodes containers;
//! verification happens elsewhere.

mod json_kinds;
mod sniff;

pub use json_kinds::{ResultInfo, StatusSignature, TokenResponse, WorkflowStatus};
pub use sniff::is_pdf;

use crate::evidence::Blob;
use crate::json::{self, JsonError};
use crate::x509::{pem, Certificate};
use serde_json::Value;
use std::sync::Arc;

/// What a file was recognised as, with its decoded content.
#[derive(Debug, Clone)]
pub enum Detected {
    /// A compact JWS (the trimmed text).
    Jws(String),
    TokenResponse(TokenResponse),
    /// `{"error": ...}` from a token endpoint (e.g. CIBA `authorization_pending`).
    TokenError {
        error: String,
        description: Option<String>,
    },
    /// `{"workflowToken", "ocspResponse", "publicSigningCertPem", "workflowResultInfo"}`.
    WorkflowTokenResult {
        token: Option<String>,
        ocsp_b64: Option<String>,
        cert_pem: Option<String>,
        info: Option<ResultInfo>,
        problems: Vec<String>,
    },
    /// `{"padesDocument": {"padesB64"}, "workflowResultInfo"}`.
    WorkflowPadesResult {
        pdf: Result<Vec<u8>, String>,
        info: Option<ResultInfo>,
    },
    WorkflowStatus(WorkflowStatus),
    /// `{"title", "pdfList": [{"title", "pdfBase64"}]}`: the original PDFs, titled.
    WorkflowCreateRequest {
        title: Option<String>,
        pdfs: Vec<(String, Result<Vec<u8>, String>)>,
    },
    /// A sign-service PAdES-flow result (broker.md §5).
    SignServicePades(crate::signservice::PadesFlow),
    /// A sign-service SEID-SDO-flow result (broker.md §5).
    SignServiceSdo(crate::signservice::SdoFlow),
    Jwks(Value),
    Jwk(Value),
    /// One or more certificates (PEM bundle, DER, or base64 DER).
    Certificates(Vec<Arc<Certificate>>),
    /// An OCSPResponse (DER), from a DER file or base64 text.
    Ocsp(Vec<u8>),
    Pdf,
    /// Altinn 3: instance metadata, a signature record, signee state or instance events (src/altinn).
    Altinn(crate::altinn::AltinnDoc),
    /// Recognised by its form but broken: which check reports it, and why.
    Malformed {
        what: &'static str,
        reason: String,
        json: bool,
    },
    /// Not a kind of evidence sigaudit knows; the reason is a hint.
    Unrecognised(String),
}

impl Detected {
    /// The kind in words, for the input summary.
    pub fn describe(&self) -> String {
        match self {
            Detected::Jws(_) => "compact JWS".into(),
            Detected::TokenResponse(r) => {
                let mut parts = Vec::new();
                for (name, present) in [
                    ("id_token", r.id_token.is_some()),
                    ("access_token", r.access_token.is_some()),
                    ("transaction_token", r.transaction_token.is_some()),
                    ("OCSP response", r.ocsp_b64.is_some()),
                ] {
                    if present {
                        parts.push(name);
                    }
                }
                format!("token endpoint response ({})", parts.join(", "))
            }
            Detected::TokenError { error, .. } => format!("token endpoint error response ({error})"),
            Detected::WorkflowTokenResult { .. } => "workflow token result".into(),
            Detected::WorkflowPadesResult { .. } => "workflow PAdES result".into(),
            Detected::WorkflowStatus(_) => "workflow status".into(),
            Detected::SignServicePades(_) => "sign-service PAdES result".into(),
            Detected::SignServiceSdo(s) => format!("sign-service SEID-SDO result ({} signatures)", s.signatures.len()),
            Detected::WorkflowCreateRequest { pdfs, .. } => format!("workflow create request ({} PDFs)", pdfs.len()),
            Detected::Jwks(v) => format!("JWKS ({} keys)", v.get("keys").and_then(Value::as_array).map(Vec::len).unwrap_or(0)),
            Detected::Jwk(_) => "JWK".into(),
            Detected::Certificates(c) if c.len() == 1 => "X.509 certificate".into(),
            Detected::Certificates(c) => format!("X.509 certificate bundle ({} certificates)", c.len()),
            Detected::Ocsp(_) => "OCSP response".into(),
            Detected::Pdf => "PDF".into(),
            Detected::Altinn(doc) => doc.describe(),
            Detected::Malformed { what, .. } => format!("malformed {what}"),
            Detected::Unrecognised(_) => "unrecognised".into(),
        }
    }
}

/// Classifies one file.
pub fn detect(blob: &Blob) -> Detected {
    let bytes = blob.bytes.as_slice();
    if sniff::is_pdf(bytes) {
        return Detected::Pdf;
    }
    if let Some(d) = sniff::der(bytes) {
        return d;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(body) else {
        return Detected::Unrecognised("binary data that is neither a PDF nor DER (certificate or OCSP response)".into());
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Detected::Unrecognised("the file is empty".into());
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return match json::parse_str(trimmed) {
            Ok(value) => json_kinds::classify(value),
            Err(e) => {
                let hint = if matches!(e, JsonError::DuplicateMember { .. }) { "JSON with a duplicate member name (ambiguous: rejected)" } else { "JSON" };
                Detected::Malformed { what: hint, reason: e.to_string(), json: true }
            }
        };
    }
    if sniff::looks_like_jws(trimmed) {
        return Detected::Jws(trimmed.to_string());
    }
    if pem::looks_like_pem(trimmed) {
        return sniff::pem_text(trimmed);
    }
    if let Some(d) = sniff::base64_der(trimmed) {
        return d;
    }
    Detected::Unrecognised("text that is not JSON, a JWS, PEM or base64 DER".into())
}
