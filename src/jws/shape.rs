//! Whether text has the shape of a compact JWS (RFC 7515 §7.1): base64url
//! segments separated by dots, the first of which decodes to a JSON object.
//!
//! Used to recognise a token before it is verified strictly: a standalone
//! file, or a token response's `access_token`, which may also be an opaque
//! string (RFC 6749 §1.4) that is no JWS at all. The header is judged by its
//! decoded bytes, not by the `eyJ` that `{"` happens to encode to: a header
//! written `{ "alg": ... }` or with a newline after `{` is still JSON
//! (RFC 8259 §2 allows whitespace around every token).

use crate::encoding::b64url_decode;

/// How many leading characters of the header segment are decoded to find its
/// first non-whitespace byte (a multiple of 4: whole base64 groups, no padding).
const PREFIX_CHARS: usize = 64;

/// True when `text` looks like a compact JWS (or JWE): only base64url
/// characters, dots and (tolerated, rejected later) padding, at least one dot,
/// and a first segment whose decoded bytes begin, after JSON whitespace, with `{`.
pub fn looks_like_compact(text: &str) -> bool {
    if !text.contains('.') || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'=') {
        return false;
    }
    let header = text.split('.').next().unwrap_or_default().trim_end_matches('=');
    let n = header.len().min(PREFIX_CHARS) / 4 * 4;
    if n == 0 {
        return false;
    }
    match b64url_decode(&header[..n]) {
        Ok(bytes) => bytes.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')) == Some(&b'{'),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::b64url_encode;

    fn token(header: &str) -> String {
        format!("{}.{}.c2ln", b64url_encode(header.as_bytes()), b64url_encode(b"{}"))
    }

    #[test]
    fn the_header_is_judged_by_its_decoded_bytes() {
        assert!(looks_like_compact(&token(r#"{"alg":"RS256"}"#)));
        assert!(looks_like_compact(&token(r#"{ "alg": "RS256" }"#)));
        assert!(looks_like_compact(&token("\n\t{\n  \"alg\": \"RS256\"\n}")));
        assert!(!token(r#"{ "alg": "RS256" }"#).starts_with("eyJ"));
        // Opaque access tokens (RFC 6749 §1.4) and other text.
        assert!(!looks_like_compact("SlAV32hkKG"));
        assert!(!looks_like_compact("2YotnFZFEjr1zCsicMWpAA.x.y"));
        assert!(!looks_like_compact(&token("[1]")));
        assert!(!looks_like_compact("eyJ.e30.AA"));
        assert!(!looks_like_compact("eyJhbGciOiJSUzI1NiJ9 .e30.AA"));
    }
}
