//! Strict text encodings: base64url (JWS), base64 (JSON fields, PEM), hex.
//!
//! Strict means canonical: no padding where none is allowed, no non-zero
//! trailing bits, no whitespace. Two different strings must never decode to
//! the same bytes inside a signed structure (RFC 7515 §2, RFC 4648 §3.5).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

const URL_NO_PAD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

const STD_ANY_PAD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(false),
);

/// Decodes base64url without padding, rejecting any non-canonical form.
pub fn b64url_decode(text: &str) -> Result<Vec<u8>, String> {
    URL_NO_PAD.decode(text).map_err(|e| e.to_string())
}

/// Encodes base64url without padding.
pub fn b64url_encode(bytes: &[u8]) -> String {
    URL_NO_PAD.encode(bytes)
}

/// Decodes standard base64 (padding optional). ASCII whitespace is removed first,
/// because base64 stored in files and JSON is often wrapped at 64 or 76 columns.
pub fn b64_decode_lenient_ws(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STD_ANY_PAD.decode(compact.as_bytes()).map_err(|e| e.to_string())
}

/// Encodes standard base64 with padding.
pub fn b64_encode(bytes: &[u8]) -> String {
    STD_ANY_PAD.encode(bytes)
}

/// Uppercase hex, as the broker writes thumbprints and kids.
pub fn hex_upper(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_is_strict() {
        assert_eq!(b64url_decode("eyJhIjoxfQ").unwrap(), b"{\"a\":1}");
        assert!(b64url_decode("eyJhIjoxfQ==").is_err(), "padding");
        assert!(b64url_decode("eyJhIjoxfQ+").is_err(), "standard alphabet");
        assert!(b64url_decode("eyJhIjoxfR").is_err(), "non-zero trailing bits");
        assert!(b64url_decode("eyJh Ijox").is_err(), "whitespace");
    }

    #[test]
    fn base64_tolerates_line_wrapping_only() {
        assert_eq!(b64_decode_lenient_ws("aGVs\nbG8=").unwrap(), b"hello");
        assert_eq!(b64_decode_lenient_ws("aGVsbG8").unwrap(), b"hello");
        assert!(b64_decode_lenient_ws("aGVsbG8_").is_err());
    }
}
