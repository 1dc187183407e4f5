//! `jws.token_response_key`: the id_token and the access token of one token
//! response are signed with the same key (broker.md §2).
//!
//! The broker signs both tokens of a response with its one token-signing key.
//! Tokens of one response that verified under different keys did not come
//! from one broker response as documented: the response was assembled from
//! tokens of different origins, so the link fails. The same key listed under
//! two kids is the same signer, written inconsistently: a warning.

use super::collect::Slot;
use super::token::TokenOutcome;
use crate::checks::CheckId;
use crate::jwt::TokenRole;
use crate::report::{Check, Fact, Node};

fn kid_words(kid: Option<&str>) -> String {
    kid.map(|k| format!("kid {k}")).unwrap_or_else(|| "no kid".into())
}

/// Adds `jws.token_response_key` to the id_token of each token response whose
/// id_token and access token both verified (an unverified or opaque token has
/// no key to compare; its own checks say why).
pub fn link_response_key(slots: &[Slot], outcomes: &[TokenOutcome], nodes: &mut [Node]) {
    for (k, id) in outcomes.iter().enumerate() {
        let Some(c) = slots[k].container.filter(|_| id.role == TokenRole::IdToken) else { continue };
        let Some(j) = (0..outcomes.len()).find(|&j| j != k && slots[j].container == Some(c) && outcomes[j].role == TokenRole::AccessToken) else {
            continue;
        };
        let access = &outcomes[j];
        let (Some(id_key), Some(at_key)) = (&id.signing_key, &access.signing_key) else { continue };
        let facts = [
            Fact::text("id_token_key", format!("{} ({})", id_key.label(), kid_words(id.kid.as_deref()))),
            Fact::text("access_token_key", format!("{} ({})", at_key.label(), kid_words(access.kid.as_deref()))),
        ];
        let check = if id_key.key != at_key.key {
            Check::fail(
                CheckId::JwsTokenResponseKey,
                format!(
                    "the id_token verified with key {} but the access token of the same response with key {}: the broker signs both with one key (broker.md §2), so these tokens were not issued in one response",
                    id_key.label(),
                    at_key.label()
                ),
            )
        } else if id.kid != access.kid {
            Check::warn(
                CheckId::JwsTokenResponseKey,
                format!(
                    "both tokens verified with the same key, but the id_token names it by {} and the access token by {}",
                    kid_words(id.kid.as_deref()),
                    kid_words(access.kid.as_deref())
                ),
            )
        } else {
            Check::pass(
                CheckId::JwsTokenResponseKey,
                format!("the id_token and the access token verified with the same key {} ({})", id_key.label(), kid_words(id.kid.as_deref())),
            )
        };
        nodes[k].check(check.with_all(facts));
    }
}
