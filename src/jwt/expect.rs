//! Claims compared with what the caller expects (broker.md §3 rule 1 and 3;
//! OIDC Core §3.1.3.7). A check is made only when an expectation was given;
//! the claim values are always shown as facts.

use super::numeric::numeric_date;
use super::TokenRole;
use crate::checks::CheckId;
use crate::policy::{NsisLevel, Policy};
use crate::report::{Check, Fact};
use serde_json::{Map, Value};

fn claim_str<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

fn equal_check(id: CheckId, claims: &Map<String, Value>, claim: &str, expected: &str, what: &str) -> Check {
    match claims.get(claim) {
        None => Check::fail(id, format!("expected {what} \"{expected}\", but the token has no {claim} claim")).with(Fact::text("expected", expected)),
        Some(Value::String(actual)) if actual == expected => Check::pass(id, format!("{claim} is the expected {what} \"{expected}\"")),
        Some(Value::String(actual)) => Check::fail(id, format!("{claim} is \"{actual}\", expected \"{expected}\""))
            .with(Fact::text("expected", expected))
            .with(Fact::text("actual", actual.clone())),
        Some(other) => Check::fail(id, format!("{claim} is {}, not a string", crate::json::type_name(other))),
    }
}

/// All expectation checks that apply to a token of this role.
pub fn check_expectations(claims: &Map<String, Value>, role: TokenRole, policy: &Policy) -> Vec<Check> {
    let mut checks = Vec::new();

    if let Some(iss) = policy.expected_issuer() {
        let source = match (&policy.issuer, policy.env) {
            (Some(_), _) => "issuer".to_string(),
            (None, Some(env)) => format!("{} issuer", env.profile().title),
            _ => "issuer".into(),
        };
        checks.push(equal_check(CheckId::JwtIss, claims, "iss", iss, &source));
    }

    if !policy.audience.is_empty() {
        checks.push(audience_check(claims, role, &policy.audience));
    }
    if role == TokenRole::IdToken {
        checks.extend(super::azp::check_azp(claims, &policy.audience));
    }

    if let Some(nonce) = &policy.nonce {
        if matches!(role, TokenRole::IdToken | TokenRole::TransactionToken) {
            checks.push(equal_check(CheckId::JwtNonce, claims, "nonce", nonce, "nonce"));
        }
    }

    if let Some(max_age) = policy.max_auth_age {
        if matches!(role, TokenRole::IdToken | TokenRole::TransactionToken) {
            checks.push(auth_age_check(claims, max_age, policy.leeway));
        }
    }

    if let Some(min) = policy.min_level {
        match role {
            TokenRole::AccessToken => {}
            // A workflow token has no level of its own: each signer's is in
            // signature_N.UserClaims (broker.md §4).
            TokenRole::WorkflowToken => checks.extend(signer_levels(claims, min)),
            _ => checks.push(level_check(claims, min)),
        }
    }

    if let Some(idp) = &policy.idp {
        if role != TokenRole::WorkflowToken {
            checks.push(equal_check(CheckId::JwtIdp, claims, "idp", idp, "identity provider"));
        }
    }
    if let Some(t) = &policy.identity_type {
        if matches!(role, TokenRole::IdToken | TokenRole::TransactionToken) {
            checks.push(equal_check(CheckId::JwtIdentityType, claims, "identity_type", t, "identity type"));
        }
    }

    if let Some(text) = &policy.reference_text {
        if role == TokenRole::IdToken {
            match claim_str(claims, "idtoken_type") {
                Some("ciba") => checks.push(Check::pass(CheckId::JwtCiba, "idtoken_type is ciba")),
                other => checks.push(Check::fail(
                    CheckId::JwtCiba,
                    format!("a CIBA reference text was expected, but idtoken_type is {}", other.map(|o| format!("\"{o}\"")).unwrap_or_else(|| "absent".into())),
                )),
            }
            checks.push(equal_check(CheckId::JwtReferenceText, claims, "mitid.reference_text", text, "reference text"));
        }
    }
    checks
}

/// `aud` contains an expected audience (RFC 7519 §4.1.3): any of `expected`
/// passes, as a relying party may be known by several identifiers (a client id
/// for transaction tokens, the organisation TIN for a workflow token). Access
/// tokens without `aud` are compared by `client_id` (the broker's at+jwt carries
/// no aud). With one expected value the messages name it alone.
fn audience_check(claims: &Map<String, Value>, role: TokenRole, expected: &[String]) -> Check {
    let id = CheckId::JwtAud;
    let single = expected.len() == 1;
    // The one expected value (messages with several name the list instead).
    let e = expected.first().map(String::as_str).unwrap_or_default();
    let list = expected.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(", ");
    let say = |one: String, several: String| if single { one } else { several };
    let expected_fact = || if single { Fact::text("expected", e) } else { Fact::list("expected", expected.to_vec()) };
    let wanted = |a: &str| expected.iter().any(|x| x == a);
    match claims.get("aud") {
        Some(Value::String(a)) if wanted(a) => {
            Check::pass(id, say(format!("aud is the expected audience \"{e}\""), format!("aud \"{a}\" is one of the expected audiences {list}")))
        }
        Some(Value::String(a)) => Check::fail(id, say(format!("aud is \"{a}\", expected \"{e}\""), format!("aud is \"{a}\", expected one of {list}")))
            .with(expected_fact())
            .with(Fact::text("actual", a.clone())),
        Some(Value::Array(items)) => {
            let auds: Vec<String> = items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
            if auds.len() != items.len() {
                Check::fail(id, "aud is an array with non-string members")
            } else if let Some(hit) = auds.iter().find(|a| wanted(a)) {
                Check::pass(
                    id,
                    say(format!("aud contains the expected audience \"{e}\""), format!("aud contains \"{hit}\", one of the expected audiences {list}")),
                )
            } else {
                Check::fail(id, say(format!("aud does not contain \"{e}\""), format!("aud contains none of the expected audiences {list}")))
                    .with(expected_fact())
                    .with(Fact::list("actual", auds))
            }
        }
        None if role == TokenRole::AccessToken => match claim_str(claims, "client_id") {
            Some(c) if wanted(c) => Check::pass(
                id,
                say(
                    format!("the access token has no aud; its client_id is the expected \"{e}\""),
                    format!("the access token has no aud; its client_id \"{c}\" is one of the expected audiences {list}"),
                ),
            ),
            Some(c) => Check::fail(
                id,
                say(
                    format!("the access token has no aud and its client_id is \"{c}\", expected \"{e}\""),
                    format!("the access token has no aud and its client_id is \"{c}\", expected one of {list}"),
                ),
            )
            .with(expected_fact())
            .with(Fact::text("actual", c)),
            None => Check::fail(id, "the access token has neither aud nor client_id"),
        },
        None => Check::fail(
            id,
            say(format!("expected audience \"{e}\", but the token has no aud"), format!("expected one of the audiences {list}, but the token has no aud")),
        ),
        Some(other) => Check::fail(id, format!("aud is {}, not a string or array", crate::json::type_name(other))),
    }
}

/// `iat - auth_time <= max_age` (+ leeway): the user authenticated recently
/// enough before the token was issued (OIDC Core §3.1.2.1 max_age, §3.1.3.7 step 13).
fn auth_age_check(claims: &Map<String, Value>, max_age: u64, leeway: u32) -> Check {
    let id = CheckId::JwtAuthTime;
    let auth = claims.get("auth_time").map(numeric_date);
    let iat = claims.get("iat").map(numeric_date);
    match (auth, iat) {
        (None, _) => Check::fail(id, "a maximum authentication age was given, but the token has no auth_time"),
        (Some(Err(why)), _) => Check::fail(id, format!("auth_time is not a NumericDate: {why}")),
        (_, None) | (_, Some(Err(_))) => Check::fail(id, "auth_time cannot be judged without a valid iat"),
        (Some(Ok((auth, form))), Some(Ok((iat, _)))) => {
            let age = iat.saturating_sub(auth);
            let max = i64::try_from(max_age).unwrap_or(i64::MAX);
            let facts = [
                Fact::time("auth_time", crate::time::UnixTime(auth)),
                Fact::time("iat", crate::time::UnixTime(iat)),
                Fact::int("age_seconds", age),
                Fact::int("max_age_seconds", max),
            ];
            if age > max.saturating_add(leeway as i64) {
                Check::fail(id, format!("the user authenticated {age} s before the token was issued, over the maximum of {max_age} s")).with_all(facts)
            } else if age < -(leeway as i64) {
                Check::fail(id, format!("auth_time{} is {} s after iat", form.note(), -age)).with_all(facts)
            } else {
                Check::pass(id, format!("authenticated {age} s before issuance{} (maximum {max_age} s)", form.note())).with_all(facts)
            }
        }
    }
}

/// The NSIS level in `loa` (or `acr`) is at least `min`.
/// `jwt.level` for each signer of a workflow token: the loa of every
/// `signature_N` claim's UserClaims (a JSON string, or an object). Malformed
/// signature claims are reported by `binding.workflow_claims`.
fn signer_levels(claims: &Map<String, Value>, min: NsisLevel) -> Vec<Check> {
    let (sigs, _) = crate::binding::workflow::signatures(claims);
    let mut out = Vec::new();
    for sig in &sigs {
        let mut c = match &sig.user_claims {
            Some(u) => level_check(u, min),
            None => Check::fail(CheckId::JwtLevel, format!("a minimum level {} was required, but it has no UserClaims", min.name())),
        };
        c.message = format!("signature_{}: {}", sig.n, c.message);
        out.push(c);
    }
    if out.is_empty() {
        out.push(Check::fail(CheckId::JwtLevel, format!("a minimum level {} was required, but the workflow token lists no readable signature_N", min.name())));
    }
    out
}

fn level_check(claims: &Map<String, Value>, min: NsisLevel) -> Check {
    let id = CheckId::JwtLevel;
    let (name, value) = match (claim_str(claims, "loa"), claim_str(claims, "acr")) {
        (Some(l), _) => ("loa", l),
        (None, Some(a)) => ("acr", a),
        (None, None) => return Check::fail(id, format!("a minimum level {} was required, but the token has neither loa nor acr", min.name())),
    };
    match NsisLevel::parse(value) {
        None => Check::fail(id, format!("{name} \"{value}\" is not an NSIS level (Low, Substantial, High)")),
        Some(level) if level >= min => Check::pass(id, format!("{name} is {} (at least {})", level.name(), min.name())).with(Fact::text(name, value)),
        Some(level) => Check::fail(id, format!("{name} is {}, below the required {}", level.name(), min.name()))
            .with(Fact::text(name, value))
            .with(Fact::text("required", min.name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{FactValue, Status};
    use crate::Options;
    use serde_json::json;

    fn policy(audience: &[&str]) -> Policy {
        let opts = Options { at: Some("2025-03-10T09:00:00Z".into()), audience: Some(audience.iter().map(|s| s.to_string()).collect()), ..Default::default() };
        Policy::from_options(&opts, &[], &[]).unwrap()
    }

    fn aud_check(claims: Value, role: TokenRole, audience: &[&str]) -> Check {
        let Value::Object(map) = claims else { panic!("claims must be an object") };
        let checks = check_expectations(&map, role, &policy(audience));
        let mut aud: Vec<Check> = checks.into_iter().filter(|c| c.id == CheckId::JwtAud).collect();
        assert_eq!(aud.len(), 1);
        aud.remove(0)
    }

    fn expected_fact(c: &Check) -> &FactValue {
        &c.evidence.iter().find(|f| f.name == "expected").expect("an expected fact").value
    }

    #[test]
    fn one_audience_keeps_its_messages() {
        let c = aud_check(json!({"aud": "client"}), TokenRole::IdToken, &["client"]);
        assert_eq!((c.status, c.message.as_str()), (Status::Pass, "aud is the expected audience \"client\""));
        let c = aud_check(json!({"aud": "other"}), TokenRole::IdToken, &["client"]);
        assert_eq!((c.status, c.message.as_str()), (Status::Fail, "aud is \"other\", expected \"client\""));
        assert_eq!(expected_fact(&c), &FactValue::Text("client".into()));
        let c = aud_check(json!({"aud": ["x", "client"]}), TokenRole::IdToken, &["client"]);
        assert_eq!((c.status, c.message.as_str()), (Status::Pass, "aud contains the expected audience \"client\""));
        let c = aud_check(json!({}), TokenRole::TransactionToken, &["client"]);
        assert_eq!((c.status, c.message.as_str()), (Status::Fail, "expected audience \"client\", but the token has no aud"));
    }

    #[test]
    fn any_of_several_audiences_passes() {
        // A workflow bundle: the workflow token is for the organisation, the
        // signer's transaction token for the client.
        let both = ["client", "DK29915938"];
        let c = aud_check(json!({"aud": "DK29915938"}), TokenRole::WorkflowToken, &both);
        assert_eq!((c.status, c.message.as_str()), (Status::Pass, "aud \"DK29915938\" is one of the expected audiences \"client\", \"DK29915938\""));
        let c = aud_check(json!({"aud": "client"}), TokenRole::TransactionToken, &both);
        assert_eq!(c.status, Status::Pass);
        let c = aud_check(json!({"aud": ["resource", "DK29915938"]}), TokenRole::IdToken, &both);
        assert_eq!((c.status, c.message.as_str()), (Status::Pass, "aud contains \"DK29915938\", one of the expected audiences \"client\", \"DK29915938\""));
    }

    #[test]
    fn none_of_several_audiences_fails() {
        let both = ["client", "DK29915938"];
        let c = aud_check(json!({"aud": "other"}), TokenRole::IdToken, &both);
        assert_eq!((c.status, c.message.as_str()), (Status::Fail, "aud is \"other\", expected one of \"client\", \"DK29915938\""));
        assert_eq!(expected_fact(&c), &FactValue::List(vec!["client".into(), "DK29915938".into()]));
        let c = aud_check(json!({"aud": ["x", "y"]}), TokenRole::IdToken, &both);
        assert_eq!((c.status, c.message.as_str()), (Status::Fail, "aud contains none of the expected audiences \"client\", \"DK29915938\""));
        assert_eq!(expected_fact(&c), &FactValue::List(vec!["client".into(), "DK29915938".into()]));
        let c = aud_check(json!({}), TokenRole::WorkflowToken, &both);
        assert_eq!((c.status, c.message.as_str()), (Status::Fail, "expected one of the audiences \"client\", \"DK29915938\", but the token has no aud"));
        let c = aud_check(json!({"aud": ["client", 7]}), TokenRole::IdToken, &both);
        assert_eq!((c.status, c.message.as_str()), (Status::Fail, "aud is an array with non-string members"));
    }

    #[test]
    fn access_token_client_id_any_of() {
        let both = ["client", "other-client"];
        let c = aud_check(json!({"client_id": "other-client"}), TokenRole::AccessToken, &both);
        assert_eq!(
            (c.status, c.message.as_str()),
            (Status::Pass, "the access token has no aud; its client_id \"other-client\" is one of the expected audiences \"client\", \"other-client\"")
        );
        let c = aud_check(json!({"client_id": "third"}), TokenRole::AccessToken, &both);
        assert_eq!(
            (c.status, c.message.as_str()),
            (Status::Fail, "the access token has no aud and its client_id is \"third\", expected one of \"client\", \"other-client\"")
        );
        assert_eq!(expected_fact(&c), &FactValue::List(vec!["client".into(), "other-client".into()]));
        let c = aud_check(json!({"client_id": "client"}), TokenRole::AccessToken, &["client"]);
        assert_eq!((c.status, c.message.as_str()), (Status::Pass, "the access token has no aud; its client_id is the expected \"client\""));
        let c = aud_check(json!({"client_id": "third"}), TokenRole::AccessToken, &["client"]);
        assert_eq!((c.status, c.message.as_str()), (Status::Fail, "the access token has no aud and its client_id is \"third\", expected \"client\""));
        // Only an access token falls back to client_id.
        let c = aud_check(json!({"client_id": "client"}), TokenRole::IdToken, &both);
        assert_eq!(c.status, Status::Fail);
    }

    #[test]
    fn no_audience_no_check() {
        let opts = Options { at: Some("2025-03-10T09:00:00Z".into()), ..Default::default() };
        let p = Policy::from_options(&opts, &[], &[]).unwrap();
        let Value::Object(map) = json!({"aud": "x"}) else { unreachable!() };
        assert!(check_expectations(&map, TokenRole::IdToken, &p).iter().all(|c| c.id != CheckId::JwtAud));
    }
}
