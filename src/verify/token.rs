//! One token, end to end: structure, header, key, signature, trust, claims.

use super::header_cert::check_header_cert;
use super::trust::{signing_key_facts, trust_section, Context, TrustInput};
use crate::checks::CheckId;
use crate::crypto::{self, VerifyError};
use crate::encoding::b64_decode_lenient_ws;
use crate::jws::header::check_header;
use crate::jws::{parse_compact, JwsAlg};
use crate::jwt::expect::check_expectations;
use crate::jwt::times::check_times;
use crate::jwt::TokenRole;
use crate::keys::select::select;
use crate::keys::KeyEntry;
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
    /// The container (token response, workflow result) it came in.
    pub container: Option<usize>,
}

/// What verifying a token established, for the cross-checks that follow.
pub struct TokenOutcome {
    pub node: Node,
    pub role: TokenRole,
    pub alg: Option<JwsAlg>,
    pub claims: Option<Map<String, Value>>,
    pub signature_valid: bool,
    pub signing_key: Option<KeyEntry>,
    /// The header's kid, when it is a string.
    pub kid: Option<String>,
    pub validation_time: Option<UnixTime>,
    pub compact: String,
    /// OCSP responses (indices into the context's list) its trust section used.
    pub used_ocsp: Vec<usize>,
}

impl TokenOutcome {
    /// An outcome with nothing established yet: no algorithm, claims, key or
    /// time, and the signature not valid; verification fills it in.
    fn unverified(node: Node, role: TokenRole, compact: &str) -> TokenOutcome {
        TokenOutcome {
            node,
            role,
            alg: None,
            claims: None,
            signature_valid: false,
            signing_key: None,
            kid: None,
            validation_time: None,
            compact: compact.to_string(),
            used_ocsp: Vec::new(),
        }
    }
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

/// Claims shown on the token node as plain facts (not judgements).
const SHOWN_CLAIMS: &[&str] = &[
    "iss",
    "sub",
    "aud",
    "azp",
    "client_id",
    "idp",
    "identity_type",
    "loa",
    "acr",
    "ial",
    "amr",
    "idtoken_type",
    "mitid.identity_name",
    "mitid.reference_text",
    "transaction_id",
    "transaction_actions",
    "transaction_text_type",
    "workflow_id",
    "workflow_title",
    "workflow_signature_transaction_id",
    "organization_tin",
    "token_type",
];

fn claim_facts(claims: &Map<String, Value>) -> Vec<Fact> {
    let mut facts = Vec::new();
    for name in SHOWN_CLAIMS {
        match claims.get(*name) {
            Some(Value::String(s)) => facts.push(Fact::text(*name, s.clone())),
            Some(Value::Array(a)) => facts.push(Fact::list(*name, a.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect())),
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

/// The header's x5c certificate and the rest of its chain, added as an untrusted
/// key source (RFC 8725 §3.10: it can be pinned or chained, never trusted by
/// itself). x5c[1..] are the certificates that certify x5c[0] (RFC 7515 §4.1.6):
/// candidate issuers for path building and for OCSP, never trust anchors.
type HeaderChain = (Arc<Certificate>, Vec<Arc<Certificate>>);

fn header_certificate(header: &Map<String, Value>) -> Option<Result<HeaderChain, String>> {
    let list = header.get("x5c")?.as_array()?;
    list.first()?.as_str()?;
    let decode = |i: usize, v: &Value| -> Result<Arc<Certificate>, String> {
        let b64 = v.as_str().ok_or_else(|| format!("x5c[{i}] is not a string"))?;
        let der = b64_decode_lenient_ws(b64).map_err(|e| format!("x5c[{i}] is not base64: {e}"))?;
        crate::cache::certificate(&der).map_err(|e| format!("x5c[{i}]: {e}"))
    };
    let mut certs = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        match decode(i, v) {
            Ok(c) => certs.push(c),
            Err(why) => return Some(Err(why)),
        }
    }
    let first = certs.remove(0);
    Some(Ok((first, certs)))
}

fn typ_check(header: &Map<String, Value>, role: TokenRole) -> Check {
    // typ is a string (RFC 7515 §4.1.9); jws.header fails any other type, and a
    // member that is present is never judged as if it were absent.
    if let Some(other) = header.get("typ").filter(|v| !v.is_string()) {
        return Check::fail(
            CheckId::JwsTyp,
            format!(
                "typ is present but is {}, not a string (RFC 7515 §4.1.9): it cannot show whether this token fits {}",
                crate::json::type_name(other),
                role.with_article()
            ),
        );
    }
    let typ = header.get("typ").and_then(Value::as_str).unwrap_or("");
    let norm = typ.to_ascii_lowercase();
    let norm = norm.strip_prefix("application/").unwrap_or(&norm);
    let is_at = norm == "at+jwt";
    match (role, is_at) {
        (TokenRole::AccessToken, true) => Check::pass(CheckId::JwsTyp, "typ at+jwt marks an access token"),
        // Only a token response's access_token member gets this role without
        // typ at+jwt; a JWT access token without it is rejected (RFC 9068 §4).
        (TokenRole::AccessToken, false) => Check::fail(
            CheckId::JwsTyp,
            format!(
                "a JWT access token must carry typ at+jwt and is otherwise rejected (RFC 9068 §2.1, §4); this one has {}",
                if typ.is_empty() { "none".into() } else { format!("\"{typ}\"") }
            ),
        ),
        (role, true) => Check::fail(
            CheckId::JwsTyp,
            format!("typ at+jwt marks an access token, but this was presented as {}: a token substitution (RFC 8725 §3.11)", role.with_article()),
        ),
        (role, false) => {
            Check::pass(CheckId::JwsTyp, format!("typ {} fits {}", if typ.is_empty() { "(absent)".into() } else { format!("\"{typ}\"") }, role.with_article()))
        }
    }
}

/// Whether a key may verify a signature with `alg`: the checks for that, and
/// whether they all passed.
fn key_suitability(entry: &KeyEntry, alg: JwsAlg, kid: Option<&str>) -> (Vec<Check>, bool) {
    let mut checks = Vec::new();
    let mut ok = true;
    if let Some(meta) = &entry.jwk {
        if meta.forbids_verify() {
            ok = false;
            let why = if meta.key_use.as_deref() == Some("enc") {
                format!("key {} is an encryption key (use: enc); it must never verify a signature (RFC 7517 §4.2)", entry.label())
            } else if let Some(u) = meta.key_use.as_deref().filter(|u| *u != "sig") {
                format!("key {} has use \"{u}\", not \"sig\"; only a signature key verifies a signature (RFC 7517 §4.2)", entry.label())
            } else {
                format!("key {} does not allow verification (its key_ops lack \"verify\", RFC 7517 §4.3)", entry.label())
            };
            checks.push(Check::fail(CheckId::JwsKeyUse, why));
        } else {
            checks.push(Check::pass(CheckId::JwsKeyUse, format!("key {} is a signature key", entry.label())));
        }
        // alg is judged by the JWK the token's kid names (a key may be listed
        // twice with different algs); it fits when one of those JWKs allows it.
        let judging = entry.jwk_for(kid);
        if !judging.is_empty() && !judging.iter().any(|m| !matches!(m.alg.as_deref(), Some(a) if a != alg.name())) {
            ok = false;
            let allowed: Vec<&str> = judging.iter().filter_map(|m| m.alg.as_deref()).collect();
            checks.push(Check::fail(
                CheckId::JwsKeyType,
                format!("the token says {} but the JWK allows only {} (RFC 7517 §4.4)", alg.name(), allowed.join(" or ")),
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

/// A token response's access token that is not a JWS: an opaque string is a
/// legitimate access token (RFC 6749 §1.4, §5.1), not a malformed JWS. It has
/// no signature or claims to verify; an id_token's at_hash can still bind it
/// (OIDC Core §3.1.3.6: the hash is over its ASCII octets).
fn opaque_access_token(input: &TokenInput<'_>) -> Node {
    let mut node = Node::new(NodeKind::AccessToken, format!("access token from {} (opaque)", input.origin));
    node.fact(Fact::int("length", input.text.len() as i64));
    node.check(Check::warn(
        CheckId::JwsOpaqueAccessToken,
        "the access token is opaque, not a JWS (RFC 6749 §1.4): it is legitimate but carries no signature or claims, so nothing about it can be verified except an id_token's at_hash",
    ));
    node
}

/// Verifies one token.
pub fn verify_token(input: &TokenInput<'_>, ctx: &Context<'_>) -> TokenOutcome {
    let (keys, policy) = (ctx.keys, ctx.policy);
    if input.role == Some(TokenRole::AccessToken) && !crate::jws::shape::looks_like_compact(input.text) {
        return TokenOutcome::unverified(opaque_access_token(input), TokenRole::AccessToken, input.text);
    }
    let (format_checks, parsed) = parse_compact(input.text);
    let mut outcome = TokenOutcome::unverified(Node::new(NodeKind::Jwt, String::new()), input.role.unwrap_or(TokenRole::Jwt), input.text);
    let Some(jws) = parsed else {
        outcome.node = Node::new(node_kind(outcome.role), format!("{} from {}", outcome.role.name(), input.origin));
        outcome.node.checks = format_checks;
        return outcome;
    };
    // A token that declares itself a workflow token (token_type workflow_token_v1, broker.md §4)
    // is judged as one wherever it was delivered, so the workflow checks run on it.
    let declared_workflow = jws.claims.as_ref().is_some_and(|c| c.get("token_type").and_then(Value::as_str) == Some("workflow_token_v1"));
    let misplaced = input.role.filter(|r| declared_workflow && *r != TokenRole::WorkflowToken);
    let role = if declared_workflow { TokenRole::WorkflowToken } else { input.role.unwrap_or_else(|| TokenRole::infer(&jws.header, jws.claims.as_ref())) };
    outcome.role = role;
    let (header_checks, alg, hints) = check_header(&jws.header);
    outcome.kid = hints.kid.clone();
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
    if let Some(r) = misplaced {
        node.check(Check::fail(
            CheckId::BindingWorkflowClaims,
            format!(
                "its token_type is workflow_token_v1, so it is a workflow token (broker.md §4), yet it was delivered as {} ({})",
                r.with_article(),
                input.origin
            ),
        ));
    }
    if let Some(c) = &jws.claims {
        node.facts.extend(claim_facts(c));
    }

    // Times first: the trust section judges certificates at the same validation time.
    let times = jws.claims.as_ref().map(|claims| check_times(claims, role, policy.time, policy.leeway));
    let validation_time = times.as_ref().and_then(|t| t.validation_time).or(match policy.time {
        crate::policy::ValidationTime::At(t) => Some(t),
        crate::policy::ValidationTime::Signing => None,
    });
    let signing_time = times.as_ref().and_then(|t| t.iat);

    // Key selection and signature.
    let header_ok = alg.is_some()
        && !node.checks.iter().any(|c| c.status == crate::report::Status::Fail && matches!(c.id, CheckId::JwsCrit | CheckId::JwsB64 | CheckId::JwsHeader));
    if let (Some(alg), true) = (alg, header_ok) {
        outcome.alg = Some(alg);
        let mut local;
        let mut store = keys;
        let mut header_cert_sha = None;
        let mut header_cert = None;
        match header_certificate(&jws.header) {
            Some(Ok((cert, chain))) => {
                header_cert_sha = Some(cert.sha256);
                header_cert = Some(cert.clone());
                local = keys.clone();
                local.add_certificate_chain(cert, chain, format!("x5c in the header of the {}", role.name()), None);
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
                    let (suit, ok) = key_suitability(entry, alg, hints.kid.as_deref());
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
                                .with_all(signing_key_facts(entry)),
                        );
                        node.checks.extend(check_header_cert(&hints, header_cert.as_deref(), entry));
                        let trust = trust_section(
                            &TrustInput {
                                entry,
                                kid: hints.kid.as_deref(),
                                role,
                                claims: jws.claims.as_ref(),
                                container: input.container,
                                validation_time,
                                signing_time,
                            },
                            ctx,
                        );
                        node.check(trust.verdict);
                        node.children.push(trust.node);
                        outcome.used_ocsp = trust.used_ocsp;
                        outcome.signature_valid = true;
                        outcome.signing_key = Some(entry.clone());
                    }
                    None if attempts.len() == 1 => {
                        let (i, suit, err) = attempts.pop().unwrap_or((0, Vec::new(), None));
                        node.checks.extend(suit);
                        if let Some(err) = err {
                            let entry = &store.entries[i];
                            let msg = match err {
                                VerifyError::BadSignature => format!(
                                    "the {} signature does NOT verify under key {}: the token was altered or signed by another key",
                                    alg.name(),
                                    entry.label()
                                ),
                                other => format!("the signature could not be verified under key {}: {other}", entry.label()),
                            };
                            node.check(Check::fail(CheckId::JwsSignature, msg).with_all(signing_key_facts(entry)));
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
                            Check::fail(
                                CheckId::JwsSignature,
                                format!("none of the {} candidate keys verifies the signature (key selected by {})", attempts.len(), selection.how),
                            )
                            .with(Fact::list("attempts", reasons)),
                        );
                    }
                }
            }
        }
    }

    // Claims.
    if let (Some(claims), Some(times)) = (&jws.claims, times) {
        node.checks.extend(times.checks);
        outcome.validation_time = times.validation_time;
        node.checks.extend(check_expectations(claims, role, policy));
    }
    outcome.claims = jws.claims;
    outcome.node = node;
    outcome
}
