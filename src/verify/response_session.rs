//! `binding.token_response_session`: the tokens of one token endpoint response
//! are about one login (broker.md §1-§3).
//!
//! A token response is the answer to one authorization request: its id_token,
//! access token and transaction token are issued for the same user at the same
//! identity provider in the same flow. `at_hash` binds only the access token to
//! the id_token, and only when the id_token carries it; nothing else links a
//! transaction token to the id_token beside it. A response assembled from one
//! user's login and another user's signing would otherwise pass.
//!
//! Only claims that the broker defines on both tokens of a pair are compared,
//! and only when both tokens carry them:
//! - every pair: `sub` (OIDC Core §2; RFC 9068 §2.2 for a JWT access token) and
//!   `idp` (broker.md §2, §3; the real PP access token carries it too);
//! - id_token and transaction token: also `identity_type`, `nonce` (both
//!   answer the one authorization request, OIDC Core §3.1.2.1) and the MitID
//!   identity claims `mitid.uuid` and `mitid.identity_name` (broker.md §3: "MitID
//!   claims as in the id_token").
//!
//! Session and transaction ids are not compared: `neb_sid` is defined on the
//! id_token only, and `transaction_id` names each token's own broker
//! transaction, not a shared one.

use super::collect::{Container, Slot};
use super::token::TokenOutcome;
use crate::checks::CheckId;
use crate::jwt::TokenRole;
use crate::report::{Check, Fact, NodeKind};
use serde_json::{Map, Value};

/// Claims compared between any two tokens of a response.
const EVERY_PAIR: &[&str] = &["sub", "idp"];
/// Claims compared between the id_token and the transaction token in addition.
const ID_AND_TRANSACTION: &[&str] = &["identity_type", "nonce", "mitid.uuid", "mitid.identity_name"];

/// The roles whose tokens this link compares, in the order they are named.
const ROLES: &[TokenRole] = &[TokenRole::IdToken, TokenRole::AccessToken, TokenRole::TransactionToken];

/// The claims both roles define, for a pair of tokens of one response.
fn shared_claims(a: TokenRole, b: TokenRole) -> Vec<&'static str> {
    let mut names = EVERY_PAIR.to_vec();
    let pair = [a, b];
    if pair.contains(&TokenRole::IdToken) && pair.contains(&TokenRole::TransactionToken) {
        names.extend_from_slice(ID_AND_TRANSACTION);
    }
    names
}

/// A claim value in a sentence: strings bare, anything else as JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One token of a response: its role, its member name and its claims.
struct Member<'a> {
    role: TokenRole,
    origin: &'a str,
    claims: &'a Map<String, Value>,
}

impl Member<'_> {
    fn label(&self) -> String {
        format!("{} ({})", self.role.name(), self.origin)
    }
}

/// Compares two tokens of one response; returns the compared claim names and
/// the differences found.
fn compare(a: &Member<'_>, b: &Member<'_>) -> (Vec<&'static str>, Vec<Check>) {
    let mut compared = Vec::new();
    let mut problems = Vec::new();
    for name in shared_claims(a.role, b.role) {
        let (Some(va), Some(vb)) = (a.claims.get(name), b.claims.get(name)) else { continue };
        compared.push(name);
        if va != vb {
            problems.push(
                Check::fail(
                    CheckId::BindingTokenResponseSession,
                    format!(
                        "the {} says {name} \"{}\" but the {} says {name} \"{}\": the tokens of one token response come from one login of one user (broker.md §1), so these were not issued together",
                        a.label(),
                        shown(va),
                        b.label(),
                        shown(vb)
                    ),
                )
                .with_all([
                    Fact::text("claim", name),
                    Fact::text(format!("{}_value", a.role.name().replace(' ', "_")), shown(va)),
                    Fact::text(format!("{}_value", b.role.name().replace(' ', "_")), shown(vb)),
                ]),
            );
        }
    }
    (compared, problems)
}

/// Adds `binding.token_response_session` to each token response node holding
/// two or more tokens with readable claims: a failure per differing claim, or
/// one pass naming what was compared. An opaque access token or an undecodable
/// token has no claims to compare; its own checks say why.
pub fn link_response_session(slots: &[Slot], outcomes: &[TokenOutcome], containers: &mut [Container]) {
    for (c, container) in containers.iter_mut().enumerate() {
        let node = &mut container.node;
        if node.kind != NodeKind::TokenResponse {
            continue;
        }
        let mut members: Vec<Member<'_>> = Vec::new();
        for role in ROLES {
            for (k, o) in outcomes.iter().enumerate() {
                if slots[k].container != Some(c) || slots[k].role != Some(*role) {
                    continue;
                }
                if let Some(claims) = &o.claims {
                    members.push(Member { role: *role, origin: &slots[k].origin, claims });
                }
            }
        }
        let mut compared: Vec<String> = Vec::new();
        let mut problems: Vec<Check> = Vec::new();
        for i in 0..members.len() {
            for j in i + 1..members.len() {
                let (names, found) = compare(&members[i], &members[j]);
                if !names.is_empty() {
                    compared.push(format!("{} and {}: {}", members[i].role.name(), members[j].role.name(), names.join(", ")));
                }
                problems.extend(found);
            }
        }
        if !problems.is_empty() {
            node.checks.extend(problems);
        } else if !compared.is_empty() {
            node.check(Check::pass(
                CheckId::BindingTokenResponseSession,
                format!("the tokens of this response are about the same login ({})", compared.join("; ")),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn access_token_shares_only_sub_and_idp() {
        assert_eq!(shared_claims(TokenRole::IdToken, TokenRole::AccessToken), vec!["sub", "idp"]);
        assert_eq!(shared_claims(TokenRole::AccessToken, TokenRole::TransactionToken), vec!["sub", "idp"]);
        assert!(shared_claims(TokenRole::TransactionToken, TokenRole::IdToken).contains(&"mitid.uuid"));
    }

    #[test]
    fn differing_sub_fails_and_names_both_tokens() {
        let a = claims(json!({"sub": "x", "idp": "mitid", "nonce": "n1"}));
        let b = claims(json!({"sub": "y", "idp": "mitid", "nonce": "n1"}));
        let (names, problems) = compare(
            &Member { role: TokenRole::IdToken, origin: "member id_token", claims: &a },
            &Member { role: TokenRole::TransactionToken, origin: "member transaction_token", claims: &b },
        );
        assert_eq!(names, vec!["sub", "idp", "nonce"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("id_token (member id_token) says sub \"x\""), "{}", problems[0].message);
        assert!(problems[0].message.contains("transaction token (member transaction_token) says sub \"y\""));
    }

    #[test]
    fn a_claim_one_token_lacks_is_not_compared() {
        let a = claims(json!({"sub": "x", "nonce": "n1"}));
        let b = claims(json!({"sub": "x"}));
        let (names, problems) = compare(
            &Member { role: TokenRole::IdToken, origin: "member id_token", claims: &a },
            &Member { role: TokenRole::TransactionToken, origin: "member transaction_token", claims: &b },
        );
        assert_eq!(names, vec!["sub"]);
        assert!(problems.is_empty());
    }
}
