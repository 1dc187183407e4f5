//! What kind of token a JWS is: decided by where it came from, else by its header and claims.

use serde_json::{Map, Value};

/// The kinds of broker token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRole {
    IdToken,
    AccessToken,
    TransactionToken,
    WorkflowToken,
    /// A JWT we verify generically.
    Jwt,
}

impl TokenRole {
    pub fn name(self) -> &'static str {
        match self {
            TokenRole::IdToken => "id_token",
            TokenRole::AccessToken => "access token",
            TokenRole::TransactionToken => "transaction token",
            TokenRole::WorkflowToken => "workflow token",
            TokenRole::Jwt => "JWT",
        }
    }

    /// "an id_token", "a transaction token".
    pub fn with_article(self) -> String {
        match self {
            TokenRole::IdToken | TokenRole::AccessToken => format!("an {}", self.name()),
            _ => format!("a {}", self.name()),
        }
    }

    /// Infers the role of a standalone token: `typ: at+jwt` (RFC 9068 §2.1) is an
    /// access token; `token_type: workflow_token_v1` a workflow token;
    /// `signing_cert_ocsp_nonce` / `transaction_actions` a transaction token;
    /// `at_hash`, `nonce`, `idtoken_type` or `auth_time` with `aud` an id_token.
    pub fn infer(header: &Map<String, Value>, claims: Option<&Map<String, Value>>) -> TokenRole {
        let typ = header.get("typ").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        if typ == "at+jwt" || typ == "application/at+jwt" {
            return TokenRole::AccessToken;
        }
        let Some(c) = claims else { return TokenRole::Jwt };
        if c.get("token_type").and_then(Value::as_str) == Some("workflow_token_v1") || c.contains_key("document_1") {
            return TokenRole::WorkflowToken;
        }
        if c.contains_key("signing_cert_ocsp_nonce") || c.contains_key("transaction_actions") {
            return TokenRole::TransactionToken;
        }
        if c.contains_key("at_hash") || c.contains_key("idtoken_type") || c.contains_key("nonce") || (c.contains_key("auth_time") && c.contains_key("aud")) {
            return TokenRole::IdToken;
        }
        TokenRole::Jwt
    }
}
