//! One token, end to end: structure, header, key, signature, trust, claims.

use crate::checks::CheckId;
use crate::crypto::{self, VerifyError};
use crate::encoding::b64_decode_lenient_ws;
use crate::env::{check_pin, PinRole};
use crate::jws::header::check_header;
use crate::jws::{parse_compact, JwsAlg};
use crate::jwt::expect::check_expectations;
use crate::jwt::times::check_times;
use crate::jwt::TokenRole;
use crate::keys::select::select;
use crate::keys::{KeyEntry, KeyStore};
use crate::policy::Policy;
use crate::report::{Check, Fact, Node, NodeKind};
use crate::time::UnixTime;
use crate::x509::Certificate;
use serde_json::{Map, Value};
use std::sync::Arc;

/// A token to verify and where it came from.
pub struct TokenInput<'a> {
    pub text: &'a str,
    /// The role its container gives it (a token response's `id_token` member), if any.
    pub role: Option<TokenRole>,
    /// Where it came from, in words: "'resp.json' member id_token".
    pub origin: String,
}

/// What verifying a token established, for the cross-checks that follow.
pub struct TokenOutcome {
    pub node: Node,
    pub role: TokenRole,
    pub alg: Option<JwsAlg>,
    pub claims: Option<Map<String, Value>>,
    pub signature_valid: bool,
    pub signing_key: Option<KeyEntry>,
    pub validation_time: Option<UnixTime>,
    pub compact: String,
}

fn node_kind(role: TokenRole) -> NodeKind {
    match role {
        TokenRole::IdToken => NodeKind::IdToken,
        TokenRole::AccessToken => NodeKind::AccessToken,
        TokenRole::TransactionToken => NodeKind::TransactionToken,
        TokenRole::WorkflowToken => NodeKind::WorkflowToken,
        TokenRole::Jwt => NodeKind::Jwt,
    }
}

fn pin_role(role: TokenRole) -> PinRole {
    match role {
        TokenRole::TransactionToken | TokenRole::WorkflowToken => PinRole::Transaction,
        _ => PinRole::TokenSigning,
    }
}

/// Claims shown on the token node as plain facts (not judgements).
const SHOWN_CLAIMS: &[&str] = &[
    "iss", "sub", "aud", "client_id", "idp", "identity_type", "loa", "acr", "ial", "amr", "idtoken_type",
    "mitid.identity_name", "mitid.reference_text", "transaction_id", "transaction_actions", "transaction_text_type",
    "workflow_id", "workflow_title", "workflow_signature_transaction_id", "organization_tin", "token_type",
];

fn claim_facts(claims: &Map<String, Value>) -> Vec<Fact> {
    let mut facts = Vec::new();
    for name in SHOWN_CLAIMS {
        match claims.get(*name) {
            Some(Value::String(s)) => facts.push(Fact::text(*name, s.clone())),
            Some(Value::Array(a)) => {
                facts.push(Fact::list(*name, a.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect()))
            }
            Some(Value::Number(n)) => facts.push(Fact::text(*name, n.to_string())),
            _ => {}
        }
    }
    for name in ["iat", "nbf", "exp", "auth_time"] {
        if let Some(Ok((t, _))) = claims.get(name).map(crate::jwt::numeric::numeric_date) {
            facts.push(Fact::time(name, UnixTime(t)));
        }
    }
    facts
}

/// The header's x5c certificate, added as an untrusted key source (RFC 8725 §3.10:
/// it can be pinned or chained, never trusted by itself).
fn header_certificate(header: &Map<String, Value>) -> Option<Result<Arc<Certificate>, String>> {
    let first = header.get("x5c")?.as_array()?.first()?;
    let b64 = first.as_str()?;
    Some(
        b64_decode_lenient_ws(b64)
            .map_err(|e| format!("x5c is not base64: {e}"))
            .and_then(|der| Certificate::from_der(&der).map_err(|e| e.to_string()))
            .map(Arc::new),
    )
}

fn typ_check(header: &Map<String, Value>, role: TokenRole) -> Check {
    let typ = header.get("typ").and_then(Value::as_str).unwrap_or("");
    let norm = typ.to_ascii_lowercase();
    let norm = norm.strip_prefix("application/").unwrap_or(&norm);
    let is_at = norm == "at+jwt";
    match (role, is_at) {
        (TokenRole::AccessToken, true) => Check::pass(CheckId::JwsTyp, "typ at+jwt marks an access token"),
        (TokenRole::AccessToken, false) => Check::warn(
            CheckId::JwsTyp,
            format!("an access token should carry typ at+jwt (RFC 9068 §2.1); this one has {}", if typ.is_empty() { "none".into() } else { format!("\"{typ}\"") }),
        ),
        (role, true) => Check::fail(
            CheckId::JwsTyp,
            format!("typ at+jwt marks an access token, but this was presented as {}: a token substitution (RFC 8725 §3.11)", role.with_article()),
        ),
        (role, false) => Check::pass(
            CheckId::JwsTyp,
            format!("typ {} fits {}", if typ.is_empty() { "(absent)".into() } else { format!("\"{typ}\"") }, role.with_article()),
        ),
    }
}

/// Whether a key may verify a signature with `alg`: the checks for that, and
/// whether they all passed.
fn key_suitability(entry: &KeyEntry, alg: JwsAlg) -> (Vec<Check>, bool) {
    let mut checks = Vec::new();
    let mut ok = true;
    if let Some(meta) = &entry.jwk {
        let ops_forbid = meta.key_ops.as_ref().is_some_and(|ops| !ops.iter().any(|o| o == "verify"));
        if meta.key_use.as_deref() == Some("enc") || ops_forbid {
            ok = false;
            checks.push(Check::fail(
                CheckId::JwsKeyUse,
                format!(
                    "key {} is an encryption key ({}); it must never verify a signature (RFC 7517 §4.2)",
                    entry.label(),
                    if ops_forbid { "key_ops without verify" } else { "use: enc" }
                ),
            ));
        } else {
            checks.push(Check::pass(CheckId::JwsKeyUse, format!("key {} is a signature key", entry.label())));
        }
        if let Some(jwk_alg) = meta.alg.as_deref().filter(|a| *a != alg.name()) {
            ok = false;
            checks.push(Check::fail(
                CheckId::JwsKeyType,
                format!("the token says {} but the JWK allows only {jwk_alg} (RFC 7517 §4.4)", alg.name()),
            ));
        }
    }
    match alg.fits(&entry.key) {
        Ok(()) if ok => checks.push(Check::pass(CheckId::JwsKeyType, format!("{} fits the {} key", alg.name(), entry.key.describe()))),
        Ok(()) => {}
        Err(why) => {
            ok = false;
            checks.push(Check::fail(CheckId::JwsKeyType, why));
        }
    }
    if let crypto::PublicKey::Rsa { .. } = entry.key {
        let bits = entry.key.bits();
        if bits < 2048 {
            ok = false;
            checks.push(Check::fail(CheckId::JwsKeyStrength, format!("the RSA key has {bits} bits; at least 2048 are required (RFC 7518 §3.3)")));
        } else {
            checks.push(Check::pass(CheckId::JwsKeyStrength, format!("RSA {bits} bits")));
        }
    }
    (checks, ok)
}

fn key_facts(entry: &KeyEntry) -> Vec<Fact> {
    let mut facts = vec![Fact::text("key", entry.key.describe()), Fact::list("kids", entry.kids.clone()), Fact::list("sources", entry.origins.clone())];
    if let Some(c) = &entry.cert {
        facts.push(Fact::text("certificate_subject", c.subject.clone()));
        facts.push(Fact::text("certificate_issuer", c.issuer.clone()));
        facts.push(Fact::text("certificate_serial", c.serial_hex()));
        facts.push(Fact::period("certificate_validity", c.not_before, c.not_after));
        facts.push(Fact::sha1("certificate_sha1", &c.sha1));
        facts.push(Fact::sha256("certificate_sha256", &c.sha256));
    }
    facts
}

/// The signing key's own node: where it came from, its certificate, pins.
/// Returns the node and the trust verdict for the token.
fn key_node(entry: &KeyEntry, kid: Option<&str>, role: TokenRole, policy: &Policy) -> (Node, Check) {
    let mut node = Node::new(NodeKind::SigningKey, format!("signing key {} ({})", entry.label(), entry.key.describe()));
    node.facts = key_facts(entry);
    node.checks.extend(entry.source_checks.iter().cloned());
    if let (Some(kid), Some(cert)) = (kid, entry.cert.as_ref().filter(|_| !entry.cert_binding_broken)) {
        let tp = cert.thumbprint_sha1_hex();
        if kid.eq_ignore_ascii_case(&tp) {
            node.check(Check::pass(CheckId::JwsKidThumbprint, "kid is the SHA-1 thumbprint of the signing certificate"));
        } else {
            node.check(
                Check::warn(CheckId::JwsKidThumbprint, "kid is not the SHA-1 thumbprint of the signing certificate, as the broker's kids are")
                    .with(Fact::text("kid", kid))
                    .with(Fact::text("certificate_sha1", tp)),
            );
        }
    }
    let mut pinned = false;
    let mut pin_failed = false;
    if let Some(env) = policy.env {
        let outcome = check_pin(env.profile(), pin_role(role), entry);
        pinned = outcome.trusted;
        pin_failed = outcome.check.status == crate::report::Status::Fail;
        node.check(outcome.check);
    }
    let trust = if pin_failed {
        Check::fail(CheckId::JwsKeyTrusted, "the signing key is not the one the environment profile pins (env pin failed)")
    } else if pinned {
        let id = match pin_role(role) {
            PinRole::TokenSigning => CheckId::EnvTokenKeyPin,
            PinRole::Transaction => CheckId::EnvTransactionCertPin,
        };
        Check::pass(
            CheckId::JwsKeyTrusted,
            format!("trusted through the {} profile's pin ({id})", policy.env.map(|e| e.name()).unwrap_or_default()),
        )
    } else if let Some(file) = &entry.trusted_from {
        Check::pass(CheckId::JwsKeyTrusted, format!("trusted: the key was supplied with --jwks '{file}'"))
    } else {
        Check::indeterminate(
            CheckId::JwsKeyTrusted,
            "the signature is valid, but nothing establishes that this key belongs to the issuer: give --env, the issuer's key set with --jwks, or its CA with --trust",
        )
        .with(Fact::list("sources", entry.origins.clone()))
    };
    (node, trust)
}

/// Verifies one token.
pub fn verify_token(input: &TokenInput<'_>, keys: &KeyStore, policy: &Policy) -> TokenOutcome {
    let (format_checks, parsed) = parse_compact(input.text);
    let mut outcome = TokenOutcome {
        node: Node::new(NodeKind::Jwt, String::new()),
        role: input.role.unwrap_or(TokenRole::Jwt),
        alg: None,
        claims: None,
        signature_valid: false,
        signing_key: None,
        validation_time: None,
        compact: input.text.to_string(),
    };
    let Some(jws) = parsed else {
        outcome.node = Node::new(node_kind(outcome.role), format!("{} from {}", outcome.role.name(), input.origin));
        outcome.node.checks = format_checks;
        return outcome;
    };
    let role = input.role.unwrap_or_else(|| TokenRole::infer(&jws.header, jws.claims.as_ref()));
    outcome.role = role;
    let (header_checks, alg, hints) = check_header(&jws.header);
    let kid_words = hints.kid.as_ref().map(|k| format!(" (kid {k})")).unwrap_or_default();
    let mut node = Node::new(node_kind(role), format!("{} from {}{kid_words}", role.name(), input.origin));
    if let Some(a) = jws.header.get("alg").and_then(Value::as_str) {
        node.fact(Fact::text("alg", a));
    }
    if let Some(k) = &hints.kid {
        node.fact(Fact::text("kid", k.clone()));
    }
    node.checks = format_checks;
    node.checks.extend(header_checks);
    node.check(typ_check(&jws.header, role));
    if let Some(c) = &jws.claims {
        node.facts.extend(claim_facts(c));
    }

    // Key selection and signature.
    let header_ok = alg.is_some() && !node.checks.iter().any(|c| c.status == crate::report::Status::Fail && matches!(c.id, CheckId::JwsCrit | CheckId::JwsB64 | CheckId::JwsHeader));
    if let (Some(alg), true) = (alg, header_ok) {
        outcome.alg = Some(alg);
        let mut local;
        let mut store = keys;
        let mut header_cert_sha = None;
        match header_certificate(&jws.header) {
            Some(Ok(cert)) => {
                header_cert_sha = Some(cert.sha256);
                local = keys.clone();
                local.add_certificate(cert, format!("x5c in the header of the {}", role.name()), None);
                store = &local;
            }
            Some(Err(why)) => node.check(Check::fail(CheckId::JwsHeader, format!("the header's x5c is unusable: {why}"))),
            None => {}
        }
        match select(store, &hints, header_cert_sha) {
            Err(why) => node.check(Check::indeterminate(CheckId::JwsKey, format!("{why}: the signature cannot be checked"))),
            Ok(selection) => {
                node.check(Check::pass(CheckId::JwsKey, format!("key selected by {}", selection.how)));
                let mut attempts = Vec::new();
                let mut verified: Option<(usize, Vec<Check>)> = None;
                for &i in &selection.indices {
                    let entry = &store.entries[i];
                    let (suit, ok) = key_suitability(entry, alg);
                    if !ok {
                        attempts.push((i, suit, None));
                        continue;
                    }
                    match crypto::verify(&entry.key, alg.scheme(), jws.signing_input.as_bytes(), &jws.signature) {
                        Ok(()) => {
                            verified = Some((i, suit));
                            break;
                        }
                        Err(e) => attempts.push((i, suit, Some(e))),
                    }
                }
                match verified {
                    Some((i, suit)) => {
                        let entry = &store.entries[i];
                        node.checks.extend(suit);
                        node.check(
                            Check::pass(CheckId::JwsSignature, format!("the {} signature is valid under key {}", alg.name(), entry.label()))
                                .with_all(key_facts(entry)),
                        );
                        let (knode, trust) = key_node(entry, hints.kid.as_deref(), role, policy);
                        node.check(trust);
                        node.children.push(knode);
                        outcome.signature_valid = true;
                        outcome.signing_key = Some(entry.clone());
                    }
                    None if attempts.len() == 1 => {
                        let (i, suit, err) = attempts.pop().unwrap_or((0, Vec::new(), None));
                        node.checks.extend(suit);
                        if let Some(err) = err {
                            let entry = &store.entries[i];
                            let msg = match err {
                                VerifyError::BadSignature => format!("the {} signature does NOT verify under key {}: the token was altered or signed by another key", alg.name(), entry.label()),
                                other => format!("the signature could not be verified under key {}: {other}", entry.label()),
                            };
                            node.check(Check::fail(CheckId::JwsSignature, msg).with_all(key_facts(entry)));
                        }
                    }
                    None => {
                        let reasons: Vec<String> = attempts
                            .iter()
                            .map(|(i, suit, err)| {
                                let why = err.as_ref().map(|e| e.to_string()).unwrap_or_else(|| {
                                    suit.iter().filter(|c| c.status == crate::report::Status::Fail).map(|c| c.message.clone()).collect::<Vec<_>>().join("; ")
                                });
                                format!("{}: {why}", store.entries[*i].label())
                            })
                            .collect();
                        node.check(
                            Check::fail(CheckId::JwsSignature, format!("none of the {} candidate keys verifies the signature", attempts.len()))
                                .with(Fact::list("attempts", reasons)),
                        );
                    }
                }
            }
        }
    }

    // Claims.
    if let Some(claims) = &jws.claims {
        let times = check_times(claims, role, policy.time, policy.leeway);
        node.checks.extend(times.checks);
        outcome.validation_time = times.validation_time;
        node.checks.extend(check_expectations(claims, role, policy));
    }
    outcome.claims = jws.claims;
    outcome.node = node;
    outcome
}
