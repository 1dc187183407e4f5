//! `azp`, the authorized party of an id_token (OIDC Core §2, §3.1.3.7 steps 4-5).
//!
//! Step 4: an id_token with several audiences SHOULD carry `azp` (else a
//! warning: which of the audiences the token was issued to is not said).
//! Step 5: an `azp` that is present SHOULD be the client's id; with expected
//! audiences given (--audience), an `azp` naming none of them is a token
//! issued to another party and fails.

use crate::checks::CheckId;
use crate::report::{Check, Fact};
use serde_json::{Map, Value};

fn quoted(list: &[String]) -> String {
    list.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
}

/// `jwt.azp` for an id_token, or `None` when there is nothing to judge
/// (no azp and at most one audience, or an azp but no expected audience).
pub fn check_azp(claims: &Map<String, Value>, expected: &[String]) -> Option<Check> {
    let audiences = match claims.get("aud") {
        Some(Value::Array(items)) => items.len(),
        Some(_) => 1,
        None => 0,
    };
    match claims.get("azp") {
        None if audiences > 1 => Some(Check::warn(
            CheckId::JwtAzp,
            format!("the id_token has {audiences} audiences but no azp, which OIDC Core §3.1.3.7 step 4 says should then be present: it does not say which party it was issued to"),
        )),
        None => None,
        // Nothing to compare it with: the claim is shown on the token node.
        Some(Value::String(_)) if expected.is_empty() => None,
        Some(Value::String(azp)) if expected.contains(azp) => {
            Some(Check::pass(CheckId::JwtAzp, format!("azp \"{azp}\" is an expected audience")).with(Fact::text("azp", azp.clone())))
        }
        Some(Value::String(azp)) => Some(
            Check::fail(
                CheckId::JwtAzp,
                format!(
                    "azp is \"{azp}\", not the expected {}: the id_token was issued to another party (OIDC Core §3.1.3.7 step 5)",
                    if expected.len() == 1 { format!("client \"{}\"", expected[0]) } else { format!("audiences {}", quoted(expected)) }
                ),
            )
            .with(Fact::text("azp", azp.clone()))
            .with(Fact::list("expected", expected.to_vec())),
        ),
        Some(other) => Some(Check::fail(CheckId::JwtAzp, format!("azp is {}, not a string (OIDC Core §2)", crate::json::type_name(other)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use serde_json::json;

    fn status(claims: Value, expected: &[&str]) -> Option<Status> {
        let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        check_azp(claims.as_object().unwrap(), &expected).map(|c| c.status)
    }

    #[test]
    fn azp_names_an_expected_audience() {
        assert_eq!(status(json!({"aud": "client"}), &["client"]), None);
        assert_eq!(status(json!({"aud": ["client", "api"]}), &[]), Some(Status::Warn));
        assert_eq!(status(json!({"aud": ["client", "api"], "azp": "client"}), &["client"]), Some(Status::Pass));
        assert_eq!(status(json!({"aud": "client", "azp": "client"}), &[]), None);
        assert_eq!(status(json!({"aud": ["client", "api"], "azp": "api"}), &["client"]), Some(Status::Fail));
        assert_eq!(status(json!({"aud": "client", "azp": "other"}), &["x", "client"]), Some(Status::Fail));
        assert_eq!(status(json!({"aud": "client", "azp": 5}), &[]), Some(Status::Fail));
    }
}
