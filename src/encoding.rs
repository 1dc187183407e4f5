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
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::RequireNone).with_decode_allow_trailing_bits(false),
);

const STD_ANY_PAD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(true).with_decode_padding_mode(DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(false),
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
    // Most text has no whitespace: decode it as it is; only on failure look for
    // whitespace to remove (the result and the error are the same as always removing it).
    match STD_ANY_PAD.decode(text.as_bytes()) {
        Ok(v) => return Ok(v),
        Err(e) if !text.bytes().any(|b| b.is_ascii_whitespace()) => return Err(e.to_string()),
        Err(_) => {}
    }
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STD_ANY_PAD.decode(compact.as_bytes()).map_err(|e| e.to_string())
}

/// Encodes standard base64 with padding.
pub fn b64_encode(bytes: &[u8]) -> String {
    STD_ANY_PAD.encode(bytes)
}

/// Uppercase hex, as the broker writes thumbprints and kids.
pub fn hex_upper(bytes: &[u8]) -> String {
    hex_with(bytes, b"0123456789ABCDEF")
}

/// Lowercase hex (the same text as `hex::encode`, without its per-character collection).
pub fn hex_lower(bytes: &[u8]) -> String {
    hex_with(bytes, b"0123456789abcdef")
}

fn hex_with(bytes: &[u8], digits: &[u8; 16]) -> String {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(digits[(b >> 4) as usize]);
        out.push(digits[(b & 15) as usize]);
    }
    // Only ASCII digits were written.
    String::from_utf8(out).unwrap_or_default()
}

/// True when `text` is the hex of `bytes`, in either case (no allocation).
pub fn hex_eq_ignore_case(text: &str, bytes: &[u8]) -> bool {
    let t = text.as_bytes();
    t.len() == bytes.len() * 2
        && bytes.iter().zip(t.chunks_exact(2)).all(|(&b, pair)| {
            let hi = b"0123456789abcdef"[(b >> 4) as usize];
            let lo = b"0123456789abcdef"[(b & 15) as usize];
            pair[0].to_ascii_lowercase() == hi && pair[1].to_ascii_lowercase() == lo
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_hex_is_the_hex_crate() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        assert_eq!(hex_lower(&bytes), hex::encode(&bytes));
        assert_eq!(hex_upper(&bytes), hex::encode_upper(&bytes));
        assert!(hex_eq_ignore_case(&hex::encode_upper(&bytes), &bytes));
        assert!(hex_eq_ignore_case(&hex::encode(&bytes), &bytes));
        assert!(!hex_eq_ignore_case(&hex::encode(&bytes[1..]), &bytes));
        assert!(!hex_eq_ignore_case("zz", &[0]));
    }

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
