//! Splitting and decoding a compact JWS (RFC 7515 §7.1, §5.2 steps 1-4).

use crate::checks::CheckId;
use crate::encoding::b64url_decode;
use crate::json::{self, JsonError};
use crate::limits::MAX_JWS_BYTES;
use crate::report::{Check, Fact};
use serde_json::{Map, Value};

/// A compact JWS whose structure is sound; nothing about it is trusted yet.
#[derive(Debug, Clone)]
pub struct ParsedJws {
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: the exact signed bytes.
    pub signing_input: String,
    pub header: Map<String, Value>,
    /// The payload as JSON claims, when it is a JSON object.
    pub claims: Option<Map<String, Value>>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// Decodes a compact JWS strictly. Returns the checks made (each rule's pass or
/// its failure) and the parsed token when every structural rule passed.
///
/// A payload that is not a JSON object is reported as `jwt.claims` but does not
/// stop signature verification: it is still a JWS.
pub fn parse_compact(text: &str) -> (Vec<Check>, Option<ParsedJws>) {
    let mut checks = Vec::new();
    // 1. Length, before any splitting or decoding (bounded work).
    if text.len() > MAX_JWS_BYTES {
        checks.push(
            Check::fail(CheckId::JwsSize, format!("the token is {} bytes, over the {MAX_JWS_BYTES}-byte limit; it was not decoded", text.len()))
                .with(Fact::int("length", text.len() as i64))
                .with(Fact::int("limit", MAX_JWS_BYTES as i64)),
        );
        return (checks, None);
    }
    checks.push(Check::pass(CheckId::JwsSize, format!("{} bytes, within the {MAX_JWS_BYTES}-byte limit", text.len())));

    // 2. Exactly three segments.
    let dots = text.bytes().filter(|&b| b == b'.').count();
    if dots != 2 {
        let why = if dots == 4 {
            "5 segments: this is a JWE (an encrypted token), not a JWS; sigaudit verifies signatures and cannot decrypt".to_string()
        } else {
            format!("{} segments; a compact JWS has exactly 3 (header.payload.signature)", dots + 1)
        };
        checks.push(Check::fail(CheckId::JwsSegments, why).with(Fact::int("segments", dots as i64 + 1)));
        return (checks, None);
    }
    // Two dots were counted, so both splits succeed.
    let Some((h64, rest)) = text.split_once('.') else { return (checks, None) };
    let Some((p64, s64)) = rest.split_once('.') else { return (checks, None) };
    if h64.is_empty() {
        checks.push(Check::fail(CheckId::JwsSegments, "the header segment is empty"));
        return (checks, None);
    }
    if p64.is_empty() {
        checks.push(Check::fail(CheckId::JwsSegments, "the payload segment is empty: a detached-payload JWS (RFC 7515 Appendix F) has nothing to verify here"));
        return (checks, None);
    }
    checks.push(Check::pass(CheckId::JwsSegments, "3 segments"));

    // 3. Strict base64url for each segment.
    let mut decoded = Vec::with_capacity(3);
    for (name, seg) in [("header", h64), ("payload", p64), ("signature", s64)] {
        match b64url_decode(seg) {
            Ok(bytes) => decoded.push(bytes),
            Err(why) => {
                checks.push(Check::fail(CheckId::JwsBase64, format!("the {name} segment is not strict base64url without padding: {why}")));
                return (checks, None);
            }
        }
    }
    checks.push(Check::pass(CheckId::JwsBase64, "all segments are strict base64url"));
    let signature = decoded.pop().unwrap_or_default();
    let payload = decoded.pop().unwrap_or_default();
    let header_bytes = decoded.pop().unwrap_or_default();

    // 4. UTF-8 of header and payload.
    for (name, bytes) in [("header", &header_bytes), ("payload", &payload)] {
        if let Err(e) = std::str::from_utf8(bytes) {
            checks.push(Check::fail(CheckId::JwsUtf8, format!("the {name} is not UTF-8 (invalid byte at offset {})", e.valid_up_to())));
            return (checks, None);
        }
    }
    checks.push(Check::pass(CheckId::JwsUtf8, "header and payload are UTF-8"));

    // 5. JSON without duplicate members.
    let header = match json::parse(&header_bytes) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            checks.push(Check::fail(CheckId::JwsHeader, format!("the header is {}, not a JSON object", json::type_name(&other))));
            return (checks, None);
        }
        Err(JsonError::DuplicateMember { name }) => {
            checks.push(Check::fail(
                CheckId::JwsDuplicateMember,
                format!("the header has the member \"{name}\" twice; parsers disagree on which one counts, so the token is rejected"),
            ));
            return (checks, None);
        }
        Err(e) => {
            checks.push(Check::fail(CheckId::JwsHeader, format!("the header is {e}")));
            return (checks, None);
        }
    };
    let claims = match json::parse(&payload) {
        Ok(Value::Object(map)) => {
            checks.push(Check::pass(CheckId::JwsDuplicateMember, "no duplicate member names in header or payload"));
            checks.push(Check::pass(CheckId::JwtClaims, format!("the payload is a JSON object with {} claims", map.len())));
            Some(map)
        }
        Ok(other) => {
            checks.push(Check::pass(CheckId::JwsDuplicateMember, "no duplicate member names in header or payload"));
            checks.push(Check::fail(CheckId::JwtClaims, format!("the payload is {}, not a JSON object of claims", json::type_name(&other))));
            None
        }
        Err(JsonError::DuplicateMember { name }) => {
            checks.push(Check::fail(
                CheckId::JwsDuplicateMember,
                format!("the payload has the claim \"{name}\" twice; parsers disagree on which one counts, so the claims are rejected"),
            ));
            None
        }
        Err(e) => {
            checks.push(Check::pass(CheckId::JwsDuplicateMember, "no duplicate member names in the header"));
            checks.push(Check::fail(CheckId::JwtClaims, format!("the payload is {e}")));
            None
        }
    };
    let signing_input = format!("{h64}.{p64}");
    (checks, Some(ParsedJws { signing_input, header, claims, payload, signature }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::b64url_encode;
    use crate::report::Status;

    fn jws(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", b64url_encode(header.as_bytes()), b64url_encode(payload.as_bytes()), b64url_encode(b"sig"))
    }

    fn failed(text: &str) -> Vec<CheckId> {
        parse_compact(text).0.into_iter().filter(|c| c.status == Status::Fail).map(|c| c.id).collect()
    }

    #[test]
    fn structural_rules_have_their_own_ids() {
        assert!(failed(&jws(r#"{"alg":"RS256"}"#, r#"{"a":1}"#)).is_empty());
        assert_eq!(failed("a.b"), vec![CheckId::JwsSegments]);
        assert_eq!(failed("a.b.c.d.e"), vec![CheckId::JwsSegments]);
        assert_eq!(failed("eyJ9.e30=.AA"), vec![CheckId::JwsBase64]);
        let non_utf8 = format!("{}.{}.AA", b64url_encode(b"{\"alg\":\"\xff\"}"), b64url_encode(b"{}"));
        assert_eq!(failed(&non_utf8), vec![CheckId::JwsUtf8]);
        assert_eq!(failed(&jws(r#"{"alg":"RS256","alg":"none"}"#, "{}")), vec![CheckId::JwsDuplicateMember]);
        assert_eq!(failed(&jws(r#"{"alg":"RS256"}"#, r#"{"sub":"a","sub":"b"}"#)), vec![CheckId::JwsDuplicateMember]);
        assert_eq!(failed(&jws(r#"["alg"]"#, "{}")), vec![CheckId::JwsHeader]);
        assert_eq!(failed(&jws(r#"{"alg":"RS256"}"#, "[1]")), vec![CheckId::JwtClaims]);
        let huge = "a".repeat(MAX_JWS_BYTES + 1);
        assert_eq!(failed(&huge), vec![CheckId::JwsSize]);
    }
}
