//! The trust section of a token: who the signing key belongs to.
//!
//! The binding chain the broker describes (broker.md §3): header kid -> JWK ->
//! x5c certificate -> (certificate path to an anchor, environment pin) -> OCSP
//! CertID matches the certificate -> status good -> response signed by an
//! authorised responder. Each link is a check; the section ends in one
//! `jws.key_trusted` verdict for the token, naming what made the key trusted.

use crate::checks::CheckId;
use crate::encoding::b64_decode_lenient_ws;
use crate::env::{check_pin, PinRole};
use crate::jwt::TokenRole;
use crate::keys::{KeyEntry, KeyStore};
use crate::ocsp::verify::{check_ocsp, OcspContext, DEFAULT_OCSP_SKEW_SECS};
use crate::ocsp::OcspResponse;
use crate::pki::{validate_path, PathInput, Usage};
use crate::policy::Policy;
use crate::report::{Check, Fact, Node, NodeKind, Status};
use crate::time::UnixTime;
use crate::x509::Certificate;
use serde_json::{Map, Value};
use std::sync::Arc;

/// An OCSP response found in the evidence.
pub struct OcspSource {
    pub der: Vec<u8>,
    /// "from 'resp.json' member transaction_token_ocsp_resp", "file 'x.ocsp'".
    pub source: String,
    /// The container (token response, workflow result) it came with.
    pub container: Option<usize>,
    /// The parsed response, when it parses (shared through the policy's cache).
    pub parsed: Option<Arc<OcspResponse>>,
    /// The DER's SHA-256 and the parse result, when a cache computed them.
    shared: Option<([u8; 32], crate::cache::SharedOcsp)>,
}

impl OcspSource {
    pub fn new(der: Vec<u8>, source: String, container: Option<usize>) -> OcspSource {
        let (digest, result) = crate::cache::ocsp_response(&der);
        let parsed = result.as_ref().ok().cloned();
        let shared = digest.map(|d| (d, result));
        OcspSource { der, source, container, parsed, shared }
    }

    /// Judges this response for a certificate (see [`crate::ocsp::verify::check_ocsp`]).
    pub fn check(&self, ctx: &OcspContext<'_>) -> (Node, crate::ocsp::verify::OcspOutcome) {
        match &self.shared {
            Some((digest, parsed)) => crate::ocsp::verify::check_parsed(Some(*digest), parsed, &self.source, ctx),
            None => check_ocsp(&self.der, &self.source, ctx),
        }
    }

    /// True when a SingleResponse names this certificate's serial.
    fn mentions(&self, cert: &Certificate) -> bool {
        self.parsed.as_ref().and_then(|p| p.basic.as_ref()).is_some_and(|b| b.responses.iter().any(|r| crate::x509::serial_eq(&r.serial, &cert.serial)))
    }
}

/// Everything a token is verified against.
pub struct Context<'a> {
    pub keys: &'a KeyStore,
    pub policy: &'a Policy,
    /// Every certificate in the evidence (candidate intermediates and responders).
    pub pool: &'a [Arc<Certificate>],
    pub ocsp: &'a [OcspSource],
}

/// The token-specific inputs of the trust section.
pub struct TrustInput<'a> {
    pub entry: &'a KeyEntry,
    pub kid: Option<&'a str>,
    pub role: TokenRole,
    pub claims: Option<&'a Map<String, Value>>,
    pub container: Option<usize>,
    pub validation_time: Option<UnixTime>,
    pub signing_time: Option<UnixTime>,
}

/// What the section decided.
pub struct TrustOutcome {
    pub node: Node,
    /// `jws.key_trusted` for the token node.
    pub verdict: Check,
    /// Indices into `Context::ocsp` that were used.
    pub used_ocsp: Vec<usize>,
}

fn pin_role(role: TokenRole) -> PinRole {
    match role {
        TokenRole::TransactionToken | TokenRole::WorkflowToken => PinRole::Transaction,
        _ => PinRole::TokenSigning,
    }
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

/// Facts describing the key that verified a token.
pub fn signing_key_facts(entry: &KeyEntry) -> Vec<Fact> {
    key_facts(entry)
}

/// Builds the trust section for the key that verified a token's signature.
pub fn trust_section(input: &TrustInput<'_>, ctx: &Context<'_>) -> TrustOutcome {
    let entry = input.entry;
    let policy = ctx.policy;
    let mut node = Node::new(NodeKind::SigningKey, format!("signing key {} ({})", entry.label(), entry.key.describe()));
    node.facts = key_facts(entry);
    node.checks.extend(entry.source_checks.iter().cloned());
    let cert = entry.cert.as_ref().filter(|_| !entry.cert_binding_broken);
    let mut chain_steps = vec![format!("kid {}", input.kid.unwrap_or("(none)")), format!("key from {}", entry.origins.join(", "))];

    if let (Some(kid), Some(cert)) = (input.kid, cert) {
        if crate::encoding::hex_eq_ignore_case(kid, &cert.sha1) {
            node.check(Check::pass(CheckId::JwsKidThumbprint, "kid is the SHA-1 thumbprint of the signing certificate"));
        } else {
            node.check(
                Check::warn(CheckId::JwsKidThumbprint, "kid is not the SHA-1 thumbprint of the signing certificate, as the broker's kids are")
                    .with(Fact::text("kid", kid))
                    .with(Fact::text("certificate_sha1", cert.thumbprint_sha1_hex())),
            );
        }
    }

    // Environment pin.
    let mut pinned_exact = false;
    let mut pin_failed = false;
    let mut pinned_by_dn = false;
    if let Some(env) = policy.env {
        let outcome = check_pin(env.profile(), pin_role(input.role), entry);
        pinned_exact = outcome.trusted;
        pin_failed = outcome.check.status == Status::Fail;
        pinned_by_dn = outcome.check.status == Status::Pass && !outcome.trusted;
        node.check(outcome.check);
    }
    let trusted_otherwise = pinned_exact || entry.trusted_from.is_some();

    // Certification path.
    let mut chain_trusted = false;
    let mut chain_failed = false;
    let mut anchor_name = None;
    let mut path_anchor: Option<Arc<Certificate>> = None;
    let mut issuer = None;
    let mut above: Vec<Arc<Certificate>> = Vec::new();
    // The key source's own chain (a JWKS x5c, a header x5c[1..]) and every certificate of the
    // evidence: candidate issuers for the path and for the OCSP CertID and responder.
    let mut intermediates: Vec<Arc<Certificate>> = entry.chain.clone();
    intermediates.extend(ctx.pool.iter().filter(|c| !entry.chain.iter().any(|e| e.sha256 == c.sha256)).cloned());
    if let Some(cert) = cert {
        chain_steps.push(format!("certificate SHA-1 {}", cert.thumbprint_sha1_hex()));
        match input.validation_time.or(input.signing_time) {
            None => node.check(Check::indeterminate(CheckId::ChainValidity, "no validation time: the token has no iat to take as its signing time")),
            Some(vt) => {
                let result = validate_path(&PathInput {
                    target: cert,
                    intermediates: &intermediates,
                    anchors: &policy.anchors,
                    validation_time: vt,
                    signing_time: input.signing_time,
                    usage: Usage::Signer,
                });
                chain_trusted = result.trusted();
                chain_failed = result.checks.iter().any(|c| c.status == Status::Fail);
                anchor_name = result.anchor.as_ref().map(|a| a.subject.clone());
                path_anchor = result.anchor.clone();
                issuer = result.issuer().cloned();
                above = result.path.get(1..).unwrap_or_default().to_vec();
                for c in result.checks {
                    // A key trusted by an exact pin or --jwks needs no anchor (the
                    // --trust anchors may be there for other evidence, such as
                    // the OCES root of a transaction token beside an id_token); say so instead.
                    if c.id == CheckId::ChainAnchor && c.status == Status::Indeterminate && trusted_otherwise {
                        let why = if policy.anchors.is_empty() { "no --trust was given" } else { "no --trust anchor is its root" };
                        node.fact(Fact::text("chain", format!("not judged against an anchor: the key is trusted by pin or --jwks, and {why}")));
                        continue;
                    }
                    node.check(c);
                }
                if let Some(a) = &anchor_name {
                    chain_steps.push(format!("chains to anchor '{a}'"));
                }
            }
        }
    }

    // Revocation: OCSP for transaction-signing certificates (and any other
    // certificate an OCSP response in the evidence speaks about).
    let mut used = Vec::new();
    let expects_ocsp = matches!(input.role, TokenRole::TransactionToken | TokenRole::WorkflowToken);
    let in_container = |i: usize| input.container.is_some() && ctx.ocsp[i].container == input.container;
    if cert.is_none() && expects_ocsp {
        // A transaction or workflow token's revocation status is that of its
        // signing certificate (broker.md §3 rule 5); a bare key has none.
        let own: Vec<String> = (0..ctx.ocsp.len()).filter(|&i| in_container(i)).map(|i| ctx.ocsp[i].source.clone()).collect();
        let also = if own.is_empty() { String::new() } else { format!("; its own OCSP response ({}) cannot be matched to it", own.join(", ")) };
        node.check(Check::indeterminate(
            CheckId::OcspPresent,
            format!(
                "the signing key has no certificate in the evidence (a bare key): the {} certificate's revocation status cannot be checked{also}",
                input.role.name()
            ),
        ));
    }
    if let Some(cert) = cert {
        // A container's response is the transaction or workflow token's own (the
        // token endpoint's transaction_token_ocsp_resp, a result's ocspResponse),
        // checked even when it names another certificate (that fails); other
        // tokens of the container (an id_token beside it) take it only when it
        // is about their certificate.
        let own: Vec<usize> = (0..ctx.ocsp.len()).filter(|&i| in_container(i) && (expects_ocsp || ctx.ocsp[i].mentions(cert))).collect();
        let candidates: Vec<usize> =
            if own.is_empty() { (0..ctx.ocsp.len()).filter(|&i| ctx.ocsp[i].container.is_none() && ctx.ocsp[i].mentions(cert)).collect() } else { own };
        let nonce_claim = input.claims.and_then(|c| c.get("signing_cert_ocsp_nonce"));
        let expected_nonce = nonce_claim.and_then(Value::as_str).and_then(|s| b64_decode_lenient_ws(s).ok());
        if nonce_claim.is_some() && expected_nonce.is_none() {
            node.check(Check::fail(CheckId::OcspNonce, "signing_cert_ocsp_nonce is not base64"));
        }
        if candidates.is_empty() && expects_ocsp {
            node.check(Check::indeterminate(
                CheckId::OcspPresent,
                format!("no OCSP response for the {} certificate was supplied: its revocation status at signing is unknown", input.role.name()),
            ));
        }
        for &i in &candidates {
            let src = &ctx.ocsp[i];
            let octx = OcspContext {
                cert,
                issuer: issuer.as_ref(),
                above: &above,
                pool: &intermediates,
                anchors: &policy.anchors,
                path_anchor: path_anchor.as_ref(),
                signing_time: input.signing_time,
                validation_time: input.validation_time.unwrap_or(UnixTime(0)),
                expected_nonce: expected_nonce.clone(),
                skew: policy.ocsp_skew.unwrap_or(DEFAULT_OCSP_SKEW_SECS),
                archival: false,
            };
            let (onode, outcome) = src.check(&octx);
            if outcome.good {
                chain_steps.push(format!("OCSP CertID serial {} ({})", outcome.serial.clone().unwrap_or_default(), src.source));
                chain_steps.push("status good".into());
                if let (Some(r), Some(a)) = (&outcome.responder, &outcome.authorization) {
                    chain_steps.push(format!("signed by '{r}', {a}"));
                }
            }
            node.children.push(onode);
            used.push(i);
        }
    }
    node.fact(Fact::list("binding_chain", chain_steps));

    let verdict = if pin_failed {
        Check::fail(CheckId::JwsKeyTrusted, "the signing key is not one the environment profile pins (see the env pin check)")
    } else if pinned_exact {
        let id = match pin_role(input.role) {
            PinRole::TokenSigning => CheckId::EnvTokenKeyPin,
            PinRole::Transaction => CheckId::EnvTransactionCertPin,
        };
        Check::pass(CheckId::JwsKeyTrusted, format!("trusted through the {} profile's pin ({id})", policy.env.map(|e| e.name()).unwrap_or_default()))
    } else if chain_trusted && (pinned_by_dn || entry.trusted_from.is_some()) {
        let via = if pinned_by_dn { " and its subject DN is the profile's pinned DN".to_string() } else { String::new() };
        Check::pass(
            CheckId::JwsKeyTrusted,
            format!("trusted: the certificate chains to the trust anchor '{}'{via} (chain.anchor)", anchor_name.unwrap_or_default()),
        )
    } else if let Some(file) = &entry.trusted_from {
        Check::pass(CheckId::JwsKeyTrusted, format!("trusted: the key was supplied with --jwks '{file}'"))
    } else if chain_failed {
        Check::fail(CheckId::JwsKeyTrusted, "not trusted: the signing certificate's path fails (see the chain checks)")
    } else if let (true, Some(cert)) = (chain_trusted, cert) {
        // A CA vouches for whom it issued a certificate to, not that its holder is
        // this token's issuer: any holder of a certificate under the same anchor
        // could have put a key in the evidence (the token's own x5c header, a key
        // file in the bundle). The issuer's identity comes from a pin or a key set
        // the user supplied (broker.md §3 rule 2, OIDC Core §3.1.3.7 step 6).
        Check::indeterminate(
            CheckId::JwsKeyTrusted,
            format!(
                "the signing certificate '{}' chains to the trust anchor '{}', but the key comes from the evidence ({}), and a CA vouches only for whom it issued the certificate to, not that its holder issues these tokens: give --env (the environment's pinned signer) or the issuer's key set with --jwks",
                cert.subject,
                anchor_name.unwrap_or_default(),
                entry.origins.join(", ")
            ),
        )
    } else if !policy.anchors.is_empty() && cert.is_some() {
        Check::indeterminate(
            CheckId::JwsKeyTrusted,
            "the signature is valid, but the signing certificate does not chain to any supplied trust anchor (see chain.anchor)",
        )
    } else {
        Check::indeterminate(
            CheckId::JwsKeyTrusted,
            "the signature is valid, but nothing establishes that this key belongs to the issuer: give --env or the issuer's key set with --jwks",
        )
        .with(Fact::list("sources", entry.origins.clone()))
    };
    TrustOutcome { node, verdict, used_ocsp: used }
}

/// An OCSP response no token used, judged for the first supplied certificate it
/// names (its issuer found by path building), at the validation time.
pub fn standalone_ocsp(src: &OcspSource, pool: &[Arc<Certificate>], policy: &Policy) -> Option<Node> {
    let cert = pool.iter().find(|c| src.mentions(c))?;
    let at = match policy.time {
        crate::policy::ValidationTime::At(t) => t,
        // No token gives a signing time here: the response's own production time is the best one.
        crate::policy::ValidationTime::Signing => src.parsed.as_ref()?.basic.as_ref()?.produced_at,
    };
    let path = validate_path(&PathInput {
        target: cert,
        intermediates: pool,
        anchors: &policy.anchors,
        validation_time: at,
        signing_time: None,
        usage: Usage::Signer,
    });
    let issuer = path.issuer().cloned();
    let octx = OcspContext {
        cert,
        issuer: issuer.as_ref(),
        above: path.path.get(1..).unwrap_or_default(),
        pool,
        anchors: &policy.anchors,
        path_anchor: path.anchor.as_ref(),
        signing_time: None,
        validation_time: at,
        expected_nonce: None,
        skew: policy.ocsp_skew.unwrap_or(DEFAULT_OCSP_SKEW_SECS),
        archival: false,
    };
    let (mut node, _) = check_ocsp(&src.der, &src.source, &octx);
    node.subject = format!("{} for certificate '{}'", node.subject, cert.subject);
    Some(node)
}
