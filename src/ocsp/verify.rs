//! Judging an OCSP response for one certificate, rule by rule, exactly as the
//! broker prescribes (broker.md §3 rule 5) and RFC 6960 defines.

use super::{reason_name, status_name, BasicResponse, CertStatus, ResponderId, SingleResponse, OID_ARCHIVE_CUTOFF, OID_INVALIDITY_DATE, OID_NONCE};
use crate::asn1::{parse_exact, Budget, Tag};
use crate::checks::CheckId;
use crate::crypto::{self, sha1, VerifyError};
use crate::report::{Check, Fact, Node, NodeKind, Status};
use crate::time::{describe_duration, UnixTime};
use crate::x509::sigalg::{digest_algorithm, signature_algorithm};
use crate::x509::Certificate;
use std::sync::Arc;

/// Default allowance for an OCSP thisUpdate later than the signing time: 300 s.
/// The broker fetches the response right after signing, so thisUpdate can trail
/// iat by seconds; five minutes absorbs clock differences without letting a
/// response from much later vouch for an earlier signature.
pub const DEFAULT_OCSP_SKEW_SECS: u32 = 300;

/// What the checks need besides the response.
pub struct OcspContext<'a> {
    /// The certificate whose status is asked.
    pub cert: &'a Arc<Certificate>,
    /// Its issuer, when the path found it.
    pub issuer: Option<&'a Arc<Certificate>>,
    /// The certificates above it in the path found (its issuer first, the
    /// anchor last when one was reached): their nameConstraints bind a
    /// delegated responder too, whose certificate is part of a path from the
    /// CA (RFC 6960 §4.2.2.2, RFC 5280 §4.2.1.10).
    pub above: &'a [Arc<Certificate>],
    /// Every other certificate in the evidence (responder candidates).
    pub pool: &'a [Arc<Certificate>],
    pub anchors: &'a [Arc<Certificate>],
    /// The trust anchor the certificate's own path reached, if any: the only
    /// locally trusted certificate that may sign for it (RFC 6960 §4.2.2.2).
    pub path_anchor: Option<&'a Arc<Certificate>>,
    /// The time the status must cover (a token's iat); else the validation time.
    pub signing_time: Option<UnixTime>,
    pub validation_time: UnixTime,
    /// The nonce the token says the broker sent (`signing_cert_ocsp_nonce`), decoded.
    pub expected_nonce: Option<Vec<u8>>,
    pub skew: u32,
    /// Long-term validation data: the response may have been fetched any time
    /// after the signing time; it must only not be stale for it.
    pub archival: bool,
}

/// What the response established, for the binding-chain summary.
#[derive(Clone, Debug, Default)]
pub struct OcspOutcome {
    pub good: bool,
    pub serial: Option<String>,
    pub responder: Option<String>,
    pub authorization: Option<String>,
    /// The SingleResponse the CertID matched, whatever it says (its status,
    /// revocation reason and thisUpdate), authentic or not: the caller judges
    /// that from the node's checks.
    pub single: Option<SingleResponse>,
}

/// Finds the SingleResponse for `cert` and reports how it was matched.
fn cert_id(basic: &BasicResponse, ctx: &OcspContext<'_>) -> (Check, Option<SingleResponse>) {
    let id = CheckId::OcspCertId;
    let cert = ctx.cert;
    let same_serial: Vec<&SingleResponse> = basic.responses.iter().filter(|r| crate::x509::serial_eq(&r.serial, &cert.serial)).collect();
    if same_serial.is_empty() {
        let listed: Vec<String> = basic.responses.iter().map(|r| hex::encode_upper(&r.serial)).collect();
        return (
            Check::fail(id, format!("the response has no status for serial {}: it is about another certificate", cert.serial_hex()))
                .with(Fact::text("certificate_serial", cert.serial_hex()))
                .with(Fact::list("response_serials", listed)),
            None,
        );
    }
    let mut reasons = Vec::new();
    for r in same_serial {
        let Some(hash) = digest_algorithm(&r.hash_alg) else {
            reasons.push(format!("CertID hash algorithm {} is not supported", r.hash_alg));
            continue;
        };
        // issuerNameHash covers the issuer's subject DN, which is the leaf's issuer DN (RFC 6960 §4.1.1).
        let name_ok = crate::cache::certificate_digest(cert, crate::cache::CertPart::IssuerName, hash) == r.issuer_name_hash;
        let (key_ok, how) = match ctx.issuer {
            Some(issuer) => (
                crate::cache::certificate_digest(issuer, crate::cache::CertPart::PublicKeyBits, hash) == r.issuer_key_hash,
                format!("issuerNameHash and issuerKeyHash recomputed with {} from the issuer certificate '{}'", hash.name(), issuer.subject),
            ),
            None => match &cert.extensions.authority_key_id {
                Some(aki) => (
                    *aki == r.issuer_key_hash,
                    format!(
                        "issuerNameHash recomputed with {}; the issuer certificate was not supplied, so issuerKeyHash was compared with the certificate's authorityKeyIdentifier",
                        hash.name()
                    ),
                ),
                None => (false, "the issuer certificate was not supplied and the certificate has no authorityKeyIdentifier".into()),
            },
        };
        if name_ok && key_ok {
            let status = if ctx.issuer.is_some() { Status::Pass } else { Status::Warn };
            return (
                Check::new(id, status, format!("the CertID names this certificate: serial {}; {how}", cert.serial_hex()))
                    .with(Fact::text("serial", cert.serial_hex()))
                    .with(Fact::text("hash_algorithm", hash.name())),
                Some(r.clone()),
            );
        }
        reasons.push(if !name_ok {
            format!(
                "serial {} matches but issuerNameHash is not the hash of '{}': the response is about a certificate of another CA",
                cert.serial_hex(),
                cert.issuer
            )
        } else {
            format!("serial {} matches but issuerKeyHash does not identify the issuer's key ({how})", cert.serial_hex())
        });
    }
    (Check::fail(id, reasons.join("; ")), None)
}

/// `ocsp.status` (RFC 6960 §2.2). A revocation after the signing time leaves
/// the signature standing (a warning) only when that time can be relied on:
/// a token's `iat` is claimed by the holder of the signing key, so when the
/// reason is, or may be, a compromise of that key (keyCompromise,
/// cACompromise, aACompromise, unspecified or none given, RFC 5280 §5.3.1),
/// whoever holds the key could have written an earlier `iat`, and the
/// revocation fails. `time_claimed` is false for times proven otherwise
/// (a PAdES signature's timestamp).
///
/// The revocation counts from the earlier of revocationTime and the
/// invalidityDate single extension (RFC 5280 §5.3.2, RFC 6960 §4.4.5): a
/// certificate that became invalid before the signing time, even if the CA
/// revoked it later, did not vouch for that signature (the CRL rule in
/// [`crate::x509::crl`] is the same). A critical single extension other than
/// invalidityDate makes the status unusable (RFC 6960 §4.4, RFC 5280 §4.2).
/// "Revoked" with reason removeFromCRL is indeterminate: that reason only
/// ever takes an entry off a delta CRL (a hold released, RFC 5280 §5.3.1),
/// so the answer says both revoked and not.
fn status_check(r: &SingleResponse, signing_time: Option<UnixTime>, time_claimed: bool) -> Check {
    let id = CheckId::OcspStatus;
    let unknown_critical: Vec<&str> =
        r.extensions.iter().filter(|e| e.critical && e.oid != OID_INVALIDITY_DATE && e.oid != OID_ARCHIVE_CUTOFF).map(|e| e.oid.as_str()).collect();
    if !unknown_critical.is_empty() {
        return Check::fail(
            id,
            format!(
                "the certificate's status carries critical single extension(s) {} that sigaudit does not recognise: RFC 6960 §4.4 forbids ignoring them, so the status cannot be relied on",
                unknown_critical.join(", ")
            ),
        );
    }
    match &r.status {
        CertStatus::Good => Check::pass(id, "the certificate's status is good"),
        CertStatus::Unknown => Check::fail(id, "the responder does not know this certificate (status unknown)"),
        CertStatus::Revoked { time, reason } => {
            let reason_text = reason.map(|r| format!(", reason {}", reason_name(r))).unwrap_or_default();
            let mut facts = vec![Fact::time("revocation_time", *time), Fact::text("reason", reason.map(reason_name).unwrap_or("not given"))];
            // From when the certificate must be taken as revoked.
            let (from, invalid_text) = match r.invalidity_date {
                Some(i) if i < *time => {
                    facts.push(Fact::time("invalidity_date", i));
                    (i, format!(", its key invalid since {i} (invalidityDate, RFC 5280 §5.3.2)"))
                }
                _ => (*time, String::new()),
            };
            if *reason == Some(REASON_REMOVE_FROM_CRL) {
                return Check::indeterminate(
                    id,
                    format!(
                        "the responder answers revoked at {time} with reason removeFromCRL, which RFC 5280 §5.3.1 reserves for delta CRL entries that take a certificate off hold: the answer contradicts itself, so it shows the certificate neither revoked nor unrevoked"
                    ),
                )
                .with_all(facts);
            }
            let compromise = matches!(reason, None | Some(0) | Some(1) | Some(2) | Some(10));
            match signing_time {
                Some(st) if from > st && time_claimed && compromise => Check::fail(
                    id,
                    format!(
                        "the certificate was REVOKED at {time}{}{invalid_text}, after the claimed signing time {st}; but that time is claimed by whoever held the key, and a compromised key can claim any time: the revocation stands",
                        if reason_text.is_empty() { ", no reason given".to_string() } else { reason_text.clone() }
                    ),
                )
                .with_all(facts),
                Some(st) if from > st => Check::warn(
                    id,
                    format!("the certificate was revoked at {time}{reason_text}{invalid_text}, after the signing time {st}: the signature predates the revocation"),
                )
                .with_all(facts),
                Some(st) if *time > st => Check::fail(
                    id,
                    format!("the certificate was REVOKED at {time}{reason_text}, after the signing time {st}, but its key was invalid since {from} (invalidityDate, RFC 5280 §5.3.2), before it: the certificate did not vouch for this signature"),
                )
                .with_all(facts),
                _ => Check::fail(id, format!("the certificate was REVOKED at {time}{reason_text}{invalid_text}")).with_all(facts),
            }
        }
    }
}

/// How a delegated responder's names break the nameConstraints of the
/// certificates above it (`above`: its issuer first, the anchor included, as
/// in `chain.name_constraints`); empty when they do not.
fn outside_name_constraints(responder: &Certificate, above: &[Arc<Certificate>]) -> Vec<String> {
    use crate::x509::name_constraints::{check, names_of};
    if above.iter().all(|c| c.extensions.name_constraints.is_none()) {
        return Vec::new();
    }
    let names = names_of(responder);
    above
        .iter()
        .filter_map(|c| c.extensions.name_constraints.as_ref().map(|nc| (c, nc)))
        .flat_map(|(c, nc)| check(nc, &names).into_iter().map(move |v| format!("those of '{}': {v}", c.subject)))
        .collect()
}

/// CRLReason removeFromCRL (RFC 5280 §5.3.1).
const REASON_REMOVE_FROM_CRL: u64 = 8;

/// RFC 6960 §4.4.4: a responder need not keep the status of expired
/// certificates, and one that answers from CRLs says "good" for any serial
/// it no longer lists; an answer made after the certificate's notAfter
/// speaks for it only under an archiveCutoff at or before notAfter. True
/// when it cannot.
pub fn made_after_expiry(r: &SingleResponse, cert: &Certificate) -> bool {
    r.this_update > cert.not_after && !r.archive_cutoff.is_some_and(|c| c <= cert.not_after)
}

/// `ocsp.freshness`. In long-term validation data (`archival`) a response
/// stale for the time judged, or made after the certificate expired
/// ([`made_after_expiry`]), fails here; the caller decides what that means
/// beside the other evidence (see `pades::ltv::check_revocation`).
fn freshness(r: &SingleResponse, basic: &BasicResponse, ctx: &OcspContext<'_>) -> Check {
    let id = CheckId::OcspFreshness;
    let (t, what) = match ctx.signing_time {
        Some(st) if ctx.archival => (st, "the time the signature is judged at"),
        Some(st) => (st, "the signing time (iat)"),
        None => (ctx.validation_time, "the validation time"),
    };
    let skew = ctx.skew as i64;
    let mut facts = vec![Fact::time("this_update", r.this_update), Fact::time("produced_at", basic.produced_at), Fact::time("reference_time", t)];
    if let Some(n) = r.next_update {
        facts.push(Fact::period("ocsp_validity", r.this_update, n));
    }
    if ctx.archival {
        return match r.next_update {
            Some(n) if n < t && r.this_update < t => {
                Check::fail(id, format!("the response is stale: it speaks for {} .. {n}, before {what} {t}", r.this_update)).with_all(facts)
            }
            _ if made_after_expiry(r, ctx.cert) => Check::fail(
                id,
                format!(
                    "the response (thisUpdate {}) was made after the certificate expired ({}) and has no archiveCutoff at or before that (RFC 6960 §4.4.4): a responder may no longer know an expired certificate, so its answer does not speak for {t}",
                    r.this_update, ctx.cert.not_after
                ),
            )
            .with_all(facts),
            _ => {
                Check::pass(id, format!("the response (thisUpdate {}) speaks for {what} {t} or later: good then means not revoked at that time", r.this_update))
                    .with_all(facts)
            }
        };
    }
    if r.this_update.0 - skew > t.0 {
        return Check::fail(
            id,
            format!(
                "thisUpdate {} is {} after {what} {t} (allowed: {} s): the response does not speak for that time",
                r.this_update,
                describe_duration(r.this_update.0 - t.0),
                ctx.skew
            ),
        )
        .with_all(facts);
    }
    match r.next_update {
        Some(n) if n < t => {
            Check::fail(id, format!("the response is stale: nextUpdate {n} is {} before {what} {t}", describe_duration(t.0 - n.0))).with_all(facts)
        }
        Some(n) => Check::pass(
            id,
            format!(
                "thisUpdate {} - {} s <= {what} {t} <= nextUpdate {n}; produced {} {} it",
                r.this_update,
                ctx.skew,
                describe_duration(basic.produced_at.0 - t.0),
                if basic.produced_at >= t { "after" } else { "before" }
            ),
        )
        .with_all(facts),
        None => Check::warn(id, format!("the response has no nextUpdate; thisUpdate {} is consistent with {what} {t}", r.this_update)).with_all(facts),
    }
}

fn nonce_check(basic: &BasicResponse, expected: Option<&[u8]>) -> Option<Check> {
    let id = CheckId::OcspNonce;
    let ext = basic.extensions.iter().find(|e| e.oid == OID_NONCE);
    let expected = expected?;
    let Some(ext) = ext else {
        return Some(Check::fail(id, "the token names an OCSP nonce (signing_cert_ocsp_nonce) but the response has no nonce extension"));
    };
    // RFC 8954: extnValue holds an OCTET STRING; older responders put the bytes directly.
    let budget = Budget::new();
    let inner = parse_exact(&ext.value, &budget).ok().filter(|e| e.tag == Tag::OCTET_STRING).map(|e| e.content.to_vec());
    let matches = inner.as_deref() == Some(expected) || ext.value == expected;
    let facts = [
        Fact::text("expected", crate::encoding::b64_encode(expected)),
        Fact::text("actual", crate::encoding::b64_encode(inner.as_deref().unwrap_or(&ext.value))),
    ];
    Some(if matches {
        Check::pass(id, "the response's nonce equals the token's signing_cert_ocsp_nonce: it was fetched for this signing").with_all(facts)
    } else {
        Check::fail(id, "the response's nonce differs from the token's signing_cert_ocsp_nonce: it was not fetched for this signing").with_all(facts)
    })
}

/// Certificates the ResponderID names, best first.
fn responder_candidates(basic: &BasicResponse, ctx: &OcspContext<'_>) -> Vec<Arc<Certificate>> {
    let mut all: Vec<Arc<Certificate>> = basic.certs.clone();
    all.extend(ctx.issuer.cloned());
    all.extend(ctx.pool.iter().cloned());
    all.extend(ctx.anchors.iter().cloned());
    let mut out: Vec<Arc<Certificate>> = Vec::new();
    for c in all {
        let named = match &basic.responder {
            ResponderId::ByName { der, comparable } => c.subject_matches(der, comparable),
            ResponderId::ByKey(hash) => sha1(&c.public_key_bits).as_slice() == hash.as_slice(),
        };
        if named && !out.iter().any(|o| o.der == c.der) {
            out.push(c);
        }
    }
    out
}

fn responder_label(basic: &BasicResponse) -> String {
    match &basic.responder {
        ResponderId::ByName { der: name, .. } => crate::cache::name_text(name, || {
            match <x509_parser::x509::X509Name as x509_parser::prelude::FromDer<x509_parser::error::X509Error>>::from_der(name) {
                Ok((_, n)) => crate::x509::render_name(&n),
                Err(_) => "an unparsable name".into(),
            }
        }),
        ResponderId::ByKey(hash) => format!("key SHA-1 {}", hex::encode_upper(hash)),
    }
}

/// Verifies an OCSP response for `ctx.cert`. Returns the node and what it established.
pub fn check_ocsp(der: &[u8], source: &str, ctx: &OcspContext<'_>) -> (Node, OcspOutcome) {
    let (digest, parsed) = crate::cache::ocsp_response(der);
    check_parsed(digest, &parsed, source, ctx)
}

/// [`check_ocsp`] on a response already parsed (through [`crate::cache::ocsp_response`]);
/// `digest` is the DER's SHA-256 that keys the cached signature check.
pub fn check_parsed(digest: Option<[u8; 32]>, parsed: &crate::cache::SharedOcsp, source: &str, ctx: &OcspContext<'_>) -> (Node, OcspOutcome) {
    let mut node = Node::new(NodeKind::Ocsp, format!("OCSP response {source}"));
    let mut outcome = OcspOutcome::default();
    let resp = match parsed {
        Ok(r) => r,
        Err(e) => {
            node.check(Check::fail(CheckId::OcspFormat, format!("not a well-formed OCSP response: {e}")));
            return (node, outcome);
        }
    };
    if resp.status != 0 {
        node.check(Check::pass(CheckId::OcspFormat, "a well-formed OCSPResponse"));
        node.check(Check::fail(
            CheckId::OcspResponseStatus,
            format!("responseStatus is {} ({}): the responder gave no status", resp.status, status_name(resp.status)),
        ));
        return (node, outcome);
    }
    let Some(basic) = &resp.basic else {
        node.check(Check::fail(CheckId::OcspFormat, "responseStatus is successful but responseBytes is missing"));
        return (node, outcome);
    };
    // RFC 6960 §4.4 (and RFC 5280 §4.2): a critical extension the client does
    // not recognise must not be ignored; the only response extension
    // understood here is the nonce.
    let unknown_critical: Vec<String> = basic.extensions.iter().filter(|e| e.critical && e.oid != OID_NONCE).map(|e| e.oid.to_string()).collect();
    node.check(if unknown_critical.is_empty() {
        Check::pass(CheckId::OcspFormat, format!("a well-formed BasicOCSPResponse with {} SingleResponse(s)", basic.responses.len()))
    } else {
        Check::fail(
            CheckId::OcspFormat,
            format!(
                "the response carries critical extension(s) {} that sigaudit does not recognise: RFC 6960 §4.4 forbids ignoring them, so the response cannot be relied on",
                unknown_critical.join(", ")
            ),
        )
    });
    node.check(Check::pass(CheckId::OcspResponseStatus, "responseStatus is successful"));
    node.fact(Fact::time("produced_at", basic.produced_at));
    let label = responder_label(basic);
    node.fact(Fact::text("responder", label.clone()));
    for e in &basic.extensions {
        node.fact(Fact::text("extension", format!("{}{}", e.oid, if e.critical { " (critical)" } else { "" })));
    }

    // Which SingleResponse, and what it says.
    let (id_check, single) = cert_id(basic, ctx);
    node.check(id_check);
    if let Some(r) = &single {
        node.fact(Fact::text(
            "cert_status",
            match &r.status {
                CertStatus::Good => "good".to_string(),
                CertStatus::Revoked { .. } => "revoked".into(),
                CertStatus::Unknown => "unknown".into(),
            },
        ));
        let st = status_check(r, ctx.signing_time, !ctx.archival);
        outcome.good = st.status != Status::Fail && matches!(r.status, CertStatus::Good);
        outcome.serial = Some(ctx.cert.serial_hex());
        outcome.single = Some(r.clone());
        node.check(st);
        node.check(freshness(r, basic, ctx));
    }
    if let Some(c) = nonce_check(basic, ctx.expected_nonce.as_deref()) {
        node.check(c);
    }

    // Signature, responder, authorisation.
    let alg = match signature_algorithm(&basic.signature_alg, basic.signature_alg_params.as_deref()) {
        Ok(a) => a,
        Err(e) => {
            node.check(Check::fail(CheckId::OcspSignature, format!("the response's signature algorithm cannot be verified: {e}")));
            return (node, outcome);
        }
    };
    let candidates = responder_candidates(basic, ctx);
    let mut signer = None;
    let mut errors = Vec::new();
    for c in &candidates {
        match crate::cache::ocsp_signature(digest, c, || crypto::verify(&c.key, alg.scheme, &basic.tbs, &basic.signature)) {
            Ok(()) => {
                signer = Some(c.clone());
                break;
            }
            Err(VerifyError::BadSignature) => errors.push(format!("'{}': signature does not verify", c.subject)),
            Err(e) => errors.push(format!("'{}': {e}", c.subject)),
        }
    }
    let Some(responder) = signer else {
        if candidates.is_empty() {
            node.check(Check::indeterminate(
                CheckId::OcspSignature,
                format!("the responder certificate ({label}) is neither in the response nor in the evidence: the signature cannot be checked"),
            ));
        } else {
            node.check(Check::fail(CheckId::OcspSignature, format!("the response signature does not verify: {}", errors.join("; "))));
        }
        return (node, outcome);
    };
    node.check(
        Check::pass(CheckId::OcspSignature, format!("the {} signature verifies with the responder certificate '{}'", alg.name, responder.subject))
            .with(Fact::sha256("responder_sha256", &responder.sha256)),
    );
    outcome.responder = Some(responder.subject.clone());

    // RFC 6960 §4.2.2.2: who may sign.
    let issuer_key_matches = ctx.issuer.is_some_and(|i| i.key == responder.key && i.same_subject(&responder))
        || (ctx.cert.issuer_name_is(&responder)
            && ctx.cert.extensions.authority_key_id.as_ref().is_some_and(|aki| sha1(&responder.public_key_bits).as_slice() == aki.as_slice()));
    let auth = if issuer_key_matches {
        outcome.authorization = Some("the issuing CA itself".into());
        Check::pass(CheckId::OcspResponderAuthorized, "the response is signed by the issuing CA itself")
    } else if ctx.path_anchor.is_some_and(|a| a.der == responder.der) {
        outcome.authorization = Some("a locally trusted responder".into());
        Check::pass(CheckId::OcspResponderAuthorized, "the responder is the trust anchor (--trust) of the certificate's own path")
    } else if !(responder.issuer_der == ctx.cert.issuer_der || responder.issuer_cmp == ctx.cert.issuer_cmp) {
        Check::fail(
            CheckId::OcspResponderAuthorized,
            format!(
                "the responder '{}' was issued by '{}', not by the certificate's CA '{}': it may not answer for it",
                responder.subject, responder.issuer, ctx.cert.issuer
            ),
        )
    } else if let Some(issuer) = ctx.issuer {
        let eku = responder.extensions.extended_key_usage.as_deref().unwrap_or(&[]);
        let outside = outside_name_constraints(&responder, ctx.above);
        match crate::cache::certificate_signature(&responder, issuer) {
            Err(why) => Check::fail(
                CheckId::OcspResponderAuthorized,
                format!("the responder certificate names the CA as issuer but its signature does not verify with the CA's key: {why}"),
            ),
            Ok(_) if !eku.iter().any(|o| o == "1.3.6.1.5.5.7.3.9") => Check::fail(
                CheckId::OcspResponderAuthorized,
                format!("the responder '{}' is issued by the CA but lacks id-kp-OCSPSigning: it is not a designated responder", responder.subject),
            ),
            // RFC 5280 §4.2.1.3: a key whose keyUsage is present signs anything other
            // than certificates and CRLs, such as OCSP responses (RFC 6960 §4.2.2.2),
            // only with digitalSignature asserted. An absent keyUsage restricts nothing.
            Ok(_) if responder.extensions.key_usage.is_some_and(|ku| ku & 1 == 0) => Check::fail(
                CheckId::OcspResponderAuthorized,
                format!(
                    "the delegated responder '{}' has id-kp-OCSPSigning, but its keyUsage lacks digitalSignature: its key may not sign OCSP responses (RFC 5280 §4.2.1.3, RFC 6960 §4.2.2.2)",
                    responder.subject
                ),
            ),
            // RFC 6960 §4.2.2.2 makes the delegate's certificate part of a path
            // from the CA: RFC 5280 §4.2 forbids using a certificate with a
            // critical extension the verifier does not recognise.
            Ok(_) if !responder.extensions.unknown_critical.is_empty() => Check::fail(
                CheckId::OcspResponderAuthorized,
                format!(
                    "the delegated responder '{}' has the critical extension(s) {}, which sigaudit does not recognise: RFC 5280 §4.2 forbids using such a certificate",
                    responder.subject,
                    responder.extensions.unknown_critical.join(", ")
                ),
            ),
            Ok(_) if !outside.is_empty() => Check::fail(
                CheckId::OcspResponderAuthorized,
                format!(
                    "the delegated responder '{}' lies outside the name constraints of the CA's path: {} (RFC 5280 §4.2.1.10; the delegate's certificate is part of a path from the CA, RFC 6960 §4.2.2.2)",
                    responder.subject,
                    outside.join("; ")
                ),
            ),
            Ok(_) => {
                outcome.authorization = Some("a delegated responder issued by the CA with id-kp-OCSPSigning".into());
                Check::pass(CheckId::OcspResponderAuthorized, "the responder is a delegate issued directly by the certificate's CA, with id-kp-OCSPSigning")
            }
        }
    } else {
        Check::indeterminate(
            CheckId::OcspResponderAuthorized,
            "the responder names the certificate's CA as its issuer, but the CA certificate was not supplied: its delegation cannot be verified",
        )
    };
    node.check(auth);

    // The responder's own certificate when the response was produced.
    let at = basic.produced_at;
    let valid = at >= responder.not_before && at <= responder.not_after;
    let period = Fact::period("responder_validity", responder.not_before, responder.not_after);
    node.check(if !valid {
        Check::fail(
            CheckId::OcspResponderValidity,
            format!("the responder certificate was not valid when the response was produced ({at}); valid {} .. {}", responder.not_before, responder.not_after),
        )
        .with(period)
    } else if responder.extensions.ocsp_nocheck || outcome.authorization.as_deref() == Some("the issuing CA itself") {
        Check::pass(
            CheckId::OcspResponderValidity,
            format!(
                "the responder certificate was valid at producedAt {at}{}",
                if responder.extensions.ocsp_nocheck { "; it carries id-pkix-ocsp-nocheck, so it needs no revocation check of its own" } else { "" }
            ),
        )
        .with(period)
    } else {
        Check::warn(
            CheckId::OcspResponderValidity,
            format!("the responder certificate was valid at producedAt {at}, but it lacks id-pkix-ocsp-nocheck and its own revocation status is not checked"),
        )
        .with(period)
    });
    (node, outcome)
}
