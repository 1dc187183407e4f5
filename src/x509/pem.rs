//! PEM (RFC 7468): the blocks of a text file, strictly decoded.

use crate::encoding::b64_decode_lenient_ws;
use crate::limits::MAX_PEM_BLOCKS;

/// One `-----BEGIN LABEL-----` ... `-----END LABEL-----` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemBlock {
    pub label: String,
    pub der: Vec<u8>,
}

/// Why PEM text was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PemError {
    /// A BEGIN line without its END line.
    Unterminated { label: String },
    /// END label differs from BEGIN label.
    LabelMismatch { begin: String, end: String },
    /// The base64 body does not decode.
    Base64 { label: String, reason: String },
    /// More blocks than [`MAX_PEM_BLOCKS`].
    TooManyBlocks,
}

impl std::fmt::Display for PemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PemError::Unterminated { label } => write!(f, "PEM block '{label}' has no END line"),
            PemError::LabelMismatch { begin, end } => write!(f, "PEM block begins '{begin}' but ends '{end}'"),
            PemError::Base64 { label, reason } => write!(f, "PEM block '{label}' is not valid base64: {reason}"),
            PemError::TooManyBlocks => write!(f, "more than {MAX_PEM_BLOCKS} PEM blocks"),
        }
    }
}

/// True when the text contains a PEM BEGIN line.
pub fn looks_like_pem(text: &str) -> bool {
    text.contains("-----BEGIN ")
}

/// All PEM blocks of `text`, in order. Text between blocks (OpenSSL's
/// "subject=..." comments) is ignored, as RFC 7468 §2 allows.
pub fn parse(text: &str) -> Result<Vec<PemBlock>, PemError> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        if blocks.len() >= MAX_PEM_BLOCKS {
            return Err(PemError::TooManyBlocks);
        }
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else {
            return Err(PemError::Unterminated { label: String::new() });
        };
        let label = after[..label_end].to_string();
        let body_start = &after[label_end + 5..];
        let Some(end) = body_start.find("-----END ") else {
            return Err(PemError::Unterminated { label });
        };
        let body = &body_start[..end];
        let end_rest = &body_start[end + 9..];
        let end_label_len = end_rest.find("-----").ok_or(PemError::Unterminated { label: label.clone() })?;
        let end_label = &end_rest[..end_label_len];
        if end_label != label {
            return Err(PemError::LabelMismatch { begin: label, end: end_label.to_string() });
        }
        // Encapsulated headers (RFC 1421 "Proc-Type:") are not part of RFC 7468 certificates.
        let der = b64_decode_lenient_ws(body).map_err(|reason| PemError::Base64 { label: label.clone(), reason })?;
        blocks.push(PemBlock { label, der });
        rest = &end_rest[end_label_len + 5..];
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bundles_and_rejects_broken_blocks() {
        let two = "subject=x\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n\
                   -----BEGIN PUBLIC KEY-----\nAw==\n-----END PUBLIC KEY-----\n";
        let b = parse(two).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].der, vec![0, 1, 2]);
        assert_eq!(b[1].label, "PUBLIC KEY");
        assert!(matches!(parse("-----BEGIN CERTIFICATE-----\nAAEC\n"), Err(PemError::Unterminated { .. })));
        assert!(matches!(parse("-----BEGIN CERTIFICATE-----\nAAEC\n-----END X-----"), Err(PemError::LabelMismatch { .. })));
        assert!(matches!(parse("-----BEGIN CERTIFICATE-----\nA!EC\n-----END CERTIFICATE-----"), Err(PemError::Base64 { .. })));
    }
}
