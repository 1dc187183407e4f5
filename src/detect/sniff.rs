//! Recognising binary and text forms by their first bytes.

use super::Detected;
use crate::encoding::b64_decode_lenient_ws;
use crate::x509::pem;

/// `%PDF-` within the first 1024 bytes (ISO 32000-1 §7.5.2; readers tolerate leading junk).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// A DER TLV header: (tag, header length, content length), definite lengths only.
fn der_header(bytes: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *bytes.first()?;
    let first = *bytes.get(1)? as usize;
    if first < 0x80 {
        return Some((tag, 2, first));
    }
    let n = first & 0x7f;
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | *bytes.get(2 + i)? as usize;
    }
    Some((tag, 2 + n, len))
}

/// OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ... OPTIONAL }
/// (RFC 6960 §4.2.1): a SEQUENCE whose first element is an ENUMERATED.
fn looks_like_ocsp(bytes: &[u8]) -> bool {
    match der_header(bytes) {
        Some((0x30, hl, len)) if hl + len == bytes.len() => {
            matches!(der_header(&bytes[hl..]), Some((0x0a, _, 1)))
        }
        _ => false,
    }
}

/// A certificate or an OCSP response in DER.
pub fn der(bytes: &[u8]) -> Option<Detected> {
    if bytes.first() != Some(&0x30) {
        return None;
    }
    if looks_like_ocsp(bytes) {
        return Some(Detected::Ocsp(bytes.to_vec()));
    }
    let binary = std::str::from_utf8(bytes).is_err();
    match der_header(bytes) {
        Some((0x30, hl, len)) if hl + len == bytes.len() => match crate::cache::certificate(bytes) {
            Ok(c) => Some(Detected::Certificates(vec![c])),
            Err(e) => Some(Detected::Malformed { what: "DER structure (not a certificate or OCSP response)", reason: e.to_string(), json: false }),
        },
        // A DER SEQUENCE whose declared length does not fit the file: cut short, or with bytes after it.
        Some((0x30, hl, len)) if binary && (0x81..=0x84).contains(&bytes[1]) => Some(Detected::Malformed {
            what: "DER structure (a certificate or an OCSP response)",
            reason: if hl + len > bytes.len() {
                format!("truncated: it declares {} bytes but the file has {}", hl + len, bytes.len())
            } else {
                format!("{} bytes follow the {}-byte structure", bytes.len() - hl - len, hl + len)
            },
            json: false,
        }),
        _ => None,
    }
}

/// A compact JWS: base64url segments separated by dots, the header a JSON
/// object (whatever whitespace it is written with; see [`crate::jws::shape`]).
pub fn looks_like_jws(text: &str) -> bool {
    crate::jws::shape::looks_like_compact(text)
}

/// Certificates (and nothing else we use) from PEM text.
pub fn pem_text(text: &str) -> Detected {
    match pem::parse(text) {
        Err(e) => Detected::Malformed { what: "PEM", reason: e.to_string(), json: false },
        Ok(blocks) => {
            let mut certs = Vec::new();
            for b in &blocks {
                if b.label.ends_with("CERTIFICATE") {
                    match crate::cache::certificate(&b.der) {
                        Ok(c) => certs.push(c),
                        Err(e) => return Detected::Malformed { what: "PEM certificate", reason: e.to_string(), json: false },
                    }
                }
            }
            if certs.is_empty() {
                let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
                Detected::Unrecognised(format!("PEM without a certificate (blocks: {})", labels.join(", ")))
            } else {
                Detected::Certificates(certs)
            }
        }
    }
}

/// Base64 text that decodes to a certificate or an OCSP response (the broker's
/// `workflow_token.ocsp` attachment and stored `ocspResponse` fields look like this).
pub fn base64_der(text: &str) -> Option<Detected> {
    if !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' || b.is_ascii_whitespace()) {
        return None;
    }
    let bytes = b64_decode_lenient_ws(text).ok()?;
    der(&bytes)
}
