//! Protected-header rules (RFC 7515 §4.1, RFC 7797, RFC 8725 §3.1, §3.10).

use super::alg::{AlgRejection, JwsAlg};
use super::member_types::wrong_types;
use crate::checks::CheckId;
use crate::report::{Check, Fact};
use serde_json::{Map, Value};

/// Header parameters this verifier understands when listed in `crit`.
/// Only RFC 7797's `b64`, and only so that `b64: false` is rejected by its own rule.
const UNDERSTOOD_CRIT: &[&str] = &["b64"];

/// Header parameters registered by RFC 7515/7516/7518: `crit` must not list them (§4.1.11).
const REGISTERED: &[&str] =
    &["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"];

/// What the header says about the key, for key selection.
#[derive(Debug, Clone, Default)]
pub struct KeyHints {
    pub kid: Option<String>,
    pub x5t: Option<String>,
    pub x5t_s256: Option<String>,
    /// base64 (standard) DER certificates from the header's `x5c`.
    pub x5c: Vec<String>,
}

/// Checks `alg`, `crit`, `b64` and the URL/embedded-key members. Returns the
/// checks, the algorithm when acceptable, and the key hints.
pub fn check_header(header: &Map<String, Value>) -> (Vec<Check>, Option<JwsAlg>, KeyHints) {
    let mut checks = Vec::new();
    let str_member = |name: &str| header.get(name).and_then(Value::as_str).map(str::to_string);
    let hints = KeyHints {
        kid: str_member("kid"),
        x5t: str_member("x5t"),
        x5t_s256: str_member("x5t#S256"),
        x5c: header.get("x5c").and_then(Value::as_array).map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default(),
    };

    // alg
    let alg = match header.get("alg") {
        None => {
            checks.push(Check::fail(CheckId::JwsHeader, "the header has no \"alg\" member (RFC 7515 §4.1.1 requires it)"));
            None
        }
        Some(Value::String(a)) => match JwsAlg::parse(a) {
            Ok(alg) => {
                checks.push(Check::pass(CheckId::JwsAlg, format!("{} is an accepted asymmetric algorithm", alg.name())));
                Some(alg)
            }
            Err(AlgRejection::None) => {
                checks.push(
                    Check::fail(CheckId::JwsAlg, format!("alg \"{a}\" means an unsigned token; it proves nothing and is rejected (RFC 8725 §3.1)"))
                        .with(Fact::text("alg", a.as_str())),
                );
                None
            }
            Err(AlgRejection::Hmac(h)) => {
                checks.push(
                    Check::fail(
                        CheckId::JwsAlg,
                        format!("alg {h} is a shared-secret MAC; a public key must never verify it (algorithm confusion, RFC 8725 §2.1)"),
                    )
                    .with(Fact::text("alg", h)),
                );
                None
            }
            Err(AlgRejection::Unknown(u)) => {
                checks.push(
                    Check::fail(CheckId::JwsAlg, format!("alg \"{u}\" is not one sigaudit verifies (RS256/384/512, PS256/384/512, ES256, ES384, EdDSA)"))
                        .with(Fact::text("alg", u)),
                );
                None
            }
        },
        Some(other) => {
            checks.push(Check::fail(CheckId::JwsHeader, format!("\"alg\" is {}, not a string", crate::json::type_name(other))));
            None
        }
    };
    // Registered members of the wrong type fail here, never silently dropped (RFC 7515 §4.1).
    let wrong = wrong_types(header);
    for w in &wrong {
        checks.push(Check::fail(CheckId::JwsHeader, w.to_string()).with(Fact::text("member", w.member)));
    }
    if alg.is_some() && wrong.is_empty() {
        checks.push(Check::pass(CheckId::JwsHeader, "the header is a JSON object with a string alg, and every registered member has its defined type"));
    }

    // crit (RFC 7515 §4.1.11); a crit that is not an array was reported with the member types.
    match header.get("crit") {
        None => checks.push(Check::pass(CheckId::JwsCrit, "no critical header extensions")),
        Some(v) if !v.is_array() => {}
        Some(Value::Array(items)) if !items.is_empty() => {
            let mut problems = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(name) if REGISTERED.contains(&name) => problems.push(format!("\"{name}\" is a registered parameter and must not be listed")),
                    Some(name) if !UNDERSTOOD_CRIT.contains(&name) => problems.push(format!("\"{name}\" is not understood by this verifier")),
                    Some(name) if !header.contains_key(name) => problems.push(format!("\"{name}\" is listed but absent from the header")),
                    Some(_) => {}
                    None => problems.push(format!("entry {item} is not a string")),
                }
            }
            if problems.is_empty() {
                checks.push(Check::pass(CheckId::JwsCrit, "every critical header extension is understood"));
            } else {
                checks.push(Check::fail(
                    CheckId::JwsCrit,
                    format!("critical header extensions must be understood or the token rejected (RFC 7515 §4.1.11): {}", problems.join("; ")),
                ));
            }
        }
        Some(_) => checks.push(Check::fail(CheckId::JwsCrit, "\"crit\" is an empty array; it must list at least one name (RFC 7515 §4.1.11)")),
    }

    // b64 (RFC 7797 §3)
    match header.get("b64") {
        None => {}
        Some(Value::Bool(true)) => checks.push(Check::pass(CheckId::JwsB64, "b64 is true: the payload is base64url-encoded")),
        Some(Value::Bool(false)) => {
            checks.push(Check::fail(CheckId::JwsB64, "b64 is false: an unencoded payload (RFC 7797) changes what was signed and is not accepted for tokens"))
        }
        Some(other) => checks.push(Check::fail(CheckId::JwsB64, format!("b64 is {}, not a boolean", crate::json::type_name(other)))),
    }

    // Key URLs and embedded keys are never followed or trusted (RFC 8725 §3.10).
    let followed: Vec<&str> = ["jku", "x5u", "jwk"].into_iter().filter(|m| header.contains_key(*m)).collect();
    if !followed.is_empty() {
        checks.push(Check::warn(
            CheckId::JwsHeader,
            format!(
                "the header carries {}; sigaudit never fetches key URLs or trusts embedded keys, and selected the key from supplied evidence only",
                followed.join(", ")
            ),
        ));
    }
    (checks, alg, hints)
}
