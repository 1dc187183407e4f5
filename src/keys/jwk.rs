//! JSON Web Keys (RFC 7517) and key sets.

use super::{KeyEntry, KeyStore, SkippedKey};
use crate::checks::CheckId;
use crate::crypto::{Curve, PublicKey};
use crate::encoding::{b64_decode_lenient_ws, b64url_decode, b64url_encode};
use crate::limits::MAX_JWKS_KEYS;
use crate::report::{Check, Fact};
use serde_json::{Map, Value};

/// Metadata of a JWK that decides how it may be used.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JwkMeta {
    pub kty: String,
    /// `use` (RFC 7517 §4.2): "sig" or "enc".
    pub key_use: Option<String>,
    /// `key_ops` (RFC 7517 §4.3).
    pub key_ops: Option<Vec<String>>,
    /// `alg` (RFC 7517 §4.4): when present, the only algorithm the key may be used with.
    pub alg: Option<String>,
    /// Private members (d, p, q, ...) were present: a published key set must not have them.
    pub has_private: bool,
    /// The JWK's `kid`: which JWK a token's kid selects when a key is listed twice.
    pub kid: Option<String>,
    /// `x5t` (RFC 7517 §4.8) as written: compared with a token header's x5t
    /// when the JWK carries no certificate.
    pub x5t: Option<String>,
    /// `x5t#S256` (RFC 7517 §4.9) as written.
    pub x5t_s256: Option<String>,
}

/// Why a JWK cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwkError {
    NotAnObject,
    MissingMember(&'static str),
    BadMember {
        member: &'static str,
        reason: String,
    },
    /// kty oct: a shared secret, never used to verify (HMAC is rejected).
    Symmetric,
    UnsupportedKty(String),
    UnsupportedCurve(String),
}

impl JwkMeta {
    /// True unless `use` is absent or "sig" and `key_ops` is absent or holds
    /// "verify" (RFC 7517 §4.2-4.3): an unknown use is no permission to verify.
    pub fn forbids_verify(&self) -> bool {
        self.key_use.as_deref().is_some_and(|u| u != "sig") || self.key_ops.as_ref().is_some_and(|ops| !ops.iter().any(|o| o == "verify"))
    }
}

impl std::fmt::Display for JwkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwkError::NotAnObject => f.write_str("the key is not a JSON object"),
            JwkError::MissingMember(m) => write!(f, "the key has no \"{m}\" member"),
            JwkError::BadMember { member, reason } => write!(f, "\"{member}\" is malformed: {reason}"),
            JwkError::Symmetric => f.write_str("kty \"oct\" is a shared secret; sigaudit never verifies with symmetric keys"),
            JwkError::UnsupportedKty(k) => write!(f, "kty \"{k}\" is not supported"),
            JwkError::UnsupportedCurve(c) => write!(f, "curve \"{c}\" is not supported"),
        }
    }
}

fn member_b64url(obj: &Map<String, Value>, member: &'static str) -> Result<Vec<u8>, JwkError> {
    let text = obj.get(member).ok_or(JwkError::MissingMember(member))?;
    let text = text.as_str().ok_or(JwkError::BadMember { member, reason: "not a string".into() })?;
    b64url_decode(text).map_err(|reason| JwkError::BadMember { member, reason })
}

fn key_from_members(obj: &Map<String, Value>, kty: &str) -> Result<PublicKey, JwkError> {
    match kty {
        "RSA" => Ok(PublicKey::rsa(&member_b64url(obj, "n")?, &member_b64url(obj, "e")?)),
        "EC" => {
            let crv = obj.get("crv").and_then(Value::as_str).ok_or(JwkError::MissingMember("crv"))?;
            let curve = Curve::from_jwk(crv).ok_or_else(|| JwkError::UnsupportedCurve(crv.to_string()))?;
            let x = member_b64url(obj, "x")?;
            let y = member_b64url(obj, "y")?;
            let len = curve.coordinate_len();
            if x.len() != len || y.len() != len {
                return Err(JwkError::BadMember { member: "x", reason: format!("{crv} coordinates are {len} bytes each (RFC 7518 §6.2.1.2)") });
            }
            let mut point = vec![4u8];
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            Ok(PublicKey::Ec { curve, point })
        }
        "OKP" => {
            let crv = obj.get("crv").and_then(Value::as_str).ok_or(JwkError::MissingMember("crv"))?;
            if crv != "Ed25519" {
                return Err(JwkError::UnsupportedCurve(crv.to_string()));
            }
            let x = member_b64url(obj, "x")?;
            if x.len() != 32 {
                return Err(JwkError::BadMember { member: "x", reason: "an Ed25519 key is 32 bytes".into() });
            }
            Ok(PublicKey::Ed25519(x))
        }
        "oct" => Err(JwkError::Symmetric),
        other => Err(JwkError::UnsupportedKty(other.to_string())),
    }
}

/// A thumbprint as the broker (hex) or RFC 7517 (base64url) writes it.
fn thumbprint_matches(claimed: &str, digest: &[u8]) -> bool {
    crate::encoding::hex_eq_ignore_case(claimed, digest) || claimed == b64url_encode(digest)
}

/// Parses one JWK into a key entry. `origin` names the source for messages.
pub fn parse_jwk(value: &Value, origin: &str) -> Result<KeyEntry, JwkError> {
    let obj = value.as_object().ok_or(JwkError::NotAnObject)?;
    let kty = obj.get("kty").and_then(Value::as_str).ok_or(JwkError::MissingMember("kty"))?.to_string();
    let str_member = |m: &str| obj.get(m).and_then(Value::as_str).map(str::to_string);
    // use, key_ops and alg restrict the key (RFC 7517 §4.2-4.4): a malformed one
    // is not "no restriction", so the key is skipped.
    let restriction = |member: &'static str| match obj.get(member) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(JwkError::BadMember { member, reason: format!("{}, not a string", crate::json::type_name(other)) }),
    };
    let key_ops = match obj.get("key_ops") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
                .ok_or(JwkError::BadMember { member: "key_ops", reason: "not an array of strings".into() })?,
        ),
        Some(other) => return Err(JwkError::BadMember { member: "key_ops", reason: format!("{}, not an array of strings", crate::json::type_name(other)) }),
    };
    let meta = JwkMeta {
        kty: kty.clone(),
        key_use: restriction("use")?,
        key_ops,
        alg: restriction("alg")?,
        has_private: ["d", "p", "q", "dp", "dq", "qi", "k"].iter().any(|m| obj.contains_key(*m)),
        kid: str_member("kid"),
        // The thumbprints name the key's certificate (RFC 7517 §4.8-4.9): a
        // malformed one is not "no thumbprint", so the key is skipped.
        x5t: restriction("x5t")?,
        x5t_s256: restriction("x5t#S256")?,
    };

    // The x5c certificate (RFC 7517 §4.7: standard base64 DER, first = the key's own).
    let mut x5c = Vec::new();
    match obj.get("x5c") {
        None => {}
        Some(Value::Array(items)) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let text = item.as_str().ok_or(JwkError::BadMember { member: "x5c", reason: format!("entry {i} is not a string") })?;
                let der = b64_decode_lenient_ws(text).map_err(|reason| JwkError::BadMember { member: "x5c", reason })?;
                let cert = crate::cache::certificate(&der).map_err(|e| JwkError::BadMember { member: "x5c", reason: format!("entry {i}: {e}") })?;
                x5c.push(cert);
            }
        }
        Some(_) => return Err(JwkError::BadMember { member: "x5c", reason: "not a non-empty array".into() }),
    }
    let chain = if x5c.len() > 1 { x5c.split_off(1) } else { Vec::new() };
    let cert = x5c.pop();

    let own_key = match key_from_members(obj, &kty) {
        Ok(k) => Some(k),
        // A JWK may carry only x5c (RFC 7517 §4.7); then the certificate's key is the key.
        Err(JwkError::MissingMember(_)) if cert.is_some() => None,
        Err(e) => return Err(e),
    };

    let mut source_checks = Vec::new();
    let mut binding_broken = false;
    let key = match (&own_key, &cert) {
        (Some(k), Some(c)) => {
            if *k == c.key {
                source_checks.push(
                    Check::pass(CheckId::JwkX5cKeyMatch, "the JWK's public key equals the key of its x5c certificate")
                        .with(Fact::text("certificate", c.subject.clone())),
                );
            } else {
                binding_broken = true;
                source_checks.push(
                    Check::fail(
                        CheckId::JwkX5cKeyMatch,
                        "the JWK's public key differs from the key of its own x5c certificate; the certificate says nothing about this key",
                    )
                    .with(Fact::text("jwk_key", k.describe()))
                    .with(Fact::text("certificate_key", c.key.describe()))
                    .with(Fact::text("certificate", c.subject.clone())),
                );
            }
            k.clone()
        }
        (Some(k), None) => k.clone(),
        (None, Some(c)) => c.key.clone(),
        (None, None) => return Err(JwkError::MissingMember("n")),
    };

    // x5t / x5t#S256 against the x5c certificate (RFC 7517 §4.8-4.9).
    if let Some(c) = &cert {
        for (member, claimed, digest, hash) in [("x5t", &meta.x5t, c.sha1.as_slice(), "SHA-1"), ("x5t#S256", &meta.x5t_s256, c.sha256.as_slice(), "SHA-256")] {
            let Some(claimed) = claimed else { continue };
            if thumbprint_matches(claimed, digest) {
                source_checks.push(Check::pass(CheckId::JwkX5t, format!("{member} equals the {hash} thumbprint of the x5c certificate")));
            } else {
                binding_broken = true;
                source_checks.push(
                    Check::fail(CheckId::JwkX5t, format!("{member} does not match the x5c certificate (its {hash} thumbprint differs)"))
                        .with(Fact::text(member, claimed.clone()))
                        .with(Fact::digest(format!("certificate_{}", hash.to_ascii_lowercase().replace('-', "")), hash, digest)),
                );
            }
        }
    }

    let mut entry = KeyEntry::new(key, origin.to_string());
    if let Some(kid) = str_member("kid") {
        entry.kids.push(kid);
    }
    if let Some(c) = &cert {
        let tp = c.thumbprint_sha1_hex();
        if !entry.kids.contains(&tp) && !binding_broken {
            entry.kids.push(tp);
        }
    }
    entry.cert = cert;
    entry.chain = chain;
    entry.jwk_all = vec![meta.clone()];
    entry.jwk = Some(meta);
    entry.source_checks = source_checks;
    entry.cert_binding_broken = binding_broken;
    Ok(entry)
}

/// Parses a JWKS (`{"keys": [...]}`) into a store; unusable keys are listed as
/// skipped with the reason instead of failing the whole set.
pub fn parse_jwks(value: &Value, file: &str, trusted: bool) -> Result<KeyStore, String> {
    let keys = value.get("keys").and_then(Value::as_array).ok_or_else(|| "not a JWKS: no \"keys\" array".to_string())?;
    if keys.len() > MAX_JWKS_KEYS {
        return Err(format!("{} keys, over the limit of {MAX_JWKS_KEYS}", keys.len()));
    }
    let mut store = KeyStore::default();
    for (i, k) in keys.iter().enumerate() {
        let origin = format!("JWKS '{file}' key #{}", i + 1);
        match parse_jwk(k, &origin) {
            Ok(mut entry) => {
                if trusted {
                    entry.trusted_from = Some(file.to_string());
                }
                store.add(entry)
            }
            Err(e) => store.skipped.push(SkippedKey { kid: k.get("kid").and_then(Value::as_str).map(str::to_string), origin, reason: e.to_string() }),
        }
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rsa(extra: Value) -> Value {
        let mut j = json!({"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "k"});
        j.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        j
    }

    #[test]
    fn malformed_restrictions_skip_the_key() {
        for extra in [
            json!({"use": ["enc"]}),
            json!({"key_ops": "encrypt"}),
            json!({"key_ops": ["verify", 5]}),
            json!({"alg": 5}),
            json!({"x5t": 5}),
            json!({"x5t#S256": ["AA"]}),
        ] {
            assert!(matches!(parse_jwk(&rsa(extra.clone()), "t"), Err(JwkError::BadMember { .. })), "{extra}");
        }
    }

    #[test]
    fn only_sig_and_verify_permit_verification() {
        let forbids = |extra: Value| parse_jwk(&rsa(extra), "t").unwrap().jwk.unwrap().forbids_verify();
        assert!(!forbids(json!({})));
        assert!(!forbids(json!({"use": "sig", "key_ops": ["verify"]})));
        assert!(forbids(json!({"use": "enc"})));
        assert!(forbids(json!({"use": "ENC"})));
        assert!(forbids(json!({"use": "SIG"})));
        assert!(forbids(json!({"use": "enc", "key_ops": ["verify"]})));
        assert!(forbids(json!({"key_ops": ["encrypt"]})));
    }
}
