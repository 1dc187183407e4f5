//! RFC 3161 timestamp tokens: signature timestamps (the hash of a SignerInfo's
//! signature value, ETSI EN 319 122-1 §5.3) and document timestamps (the hash of
//! the ByteRange bytes, ETSI.RFC3161, ISO 32000-2 §12.8.5).

use super::Context;
use crate::checks::CheckId;
use crate::cms::attributes::message_digest;
use crate::cms::signer::{ess_binding, find_signer_certificate, verify_signature, EssBinding};
use crate::cms::tst::{parse_tst_info, OID_TST_INFO};
use crate::cms::{self};
use crate::crypto::Hash;
use crate::pki::{validate_path, PathInput, Usage};
use crate::policy::{Policy, ValidationTime};
use crate::report::{Check, Fact, Node, NodeKind, Status};
use crate::time::{describe_duration, UnixTime};
use crate::x509::sigalg::digest_algorithm;

/// What a verified timestamp proves.
pub struct TimestampOutcome {
    pub node: Node,
    /// genTime, when the token's integrity (imprint and signature) holds.
    pub gen_time: Option<UnixTime>,
    /// True when every check passed (the time is proven).
    pub valid: bool,
    /// genTime lies after the validation time (beyond the leeway): the token
    /// proves nothing about existence at the validation time, so it is no
    /// proof of existence for the judgement (see [`gen_time_check`]).
    pub after_validation_time: bool,
}

/// The name of a hash that is recognised only to be refused: MD5 and MD2
/// (as a digest or inside a signature algorithm), broken by collisions and
/// not acceptable for any signature or time-stamp (ETSI TS 119 312). The CMS
/// signer check refuses them the same way (an unsupported digest fails).
fn broken_hash_name(oid: &str) -> Option<&'static str> {
    match oid {
        "1.2.840.113549.2.5" | "1.2.840.113549.1.1.4" => Some("MD5"),
        "1.2.840.113549.2.2" | "1.2.840.113549.1.1.2" => Some("MD2"),
        _ => None,
    }
}

/// tst.signature's sentence for a TSA that signed with a broken hash.
fn broken_tsa_algorithm(name: &str) -> String {
    format!("the TSA signed TSTInfo with {name}, which is broken and not acceptable for time-stamps (ETSI TS 119 312)")
}

/// `tst.gen_time`: what a time-stamp proves is that the data existed at
/// genTime, so it is proof of existence at the validation time only when
/// genTime is at or before it (ETSI EN 319 102-1 §5.6.2: a proof of existence
/// used in validation is not later than the validation time). A later token
/// proves nothing then, whatever it proves afterwards: it warns, and the
/// caller does not use it as the time the signer is judged at, so a verdict
/// that depended on it (a certificate expired by the validation time) becomes
/// what the validation time alone gives. The policy's leeway absorbs clock
/// differences, as for a token's `iat`. With `--at signing` the validation
/// time is the signing time this very token proves: genTime is the
/// validation time, never after it.
fn gen_time_check(gen_time: UnixTime, policy: &Policy) -> (Check, bool) {
    let id = CheckId::TstGenTime;
    match policy.time {
        ValidationTime::Signing => {
            (Check::pass(id, format!("genTime {gen_time} is the validation time: validation is at the signing time (--at signing), which this time-stamp proves")), false)
        }
        ValidationTime::At(t) if gen_time.0 > t.0.saturating_add(policy.leeway as i64) => (
            Check::warn(
                id,
                format!(
                    "genTime {gen_time} is {} after the validation time {t}: a time-stamp made later proves no existence at the validation time (ETSI EN 319 102-1 §5.6.2), so it is not used as proof of existence",
                    describe_duration(gen_time.0 - t.0)
                ),
            )
            .with(Fact::time("gen_time", gen_time))
            .with(Fact::time("validation_time", t)),
            true,
        ),
        ValidationTime::At(t) => (Check::pass(id, format!("genTime {gen_time} is not after the validation time {t}")), false),
    }
}

/// What the token must vouch for: the bytes whose hash the imprint carries.
pub enum Imprinted<'d> {
    /// The octets of a SignerInfo's signature value.
    Bytes(&'d [u8]),
    /// Several slices hashed as one (a document timestamp's ByteRange).
    Parts([&'d [u8]; 2]),
}

/// Verifies one timestamp token.
pub fn verify_timestamp(token: &[u8], what: Imprinted<'_>, subject: String, ctx: &Context<'_>) -> TimestampOutcome {
    let mut node = Node::new(NodeKind::Timestamp, subject);
    let mut out = TimestampOutcome { node: Node::new(NodeKind::Timestamp, String::new()), gen_time: None, valid: false, after_validation_time: false };
    let sd = match cms::parse(token) {
        Ok(sd) => sd,
        Err(e) => {
            node.check(Check::fail(CheckId::TstFormat, format!("the timestamp token is not a CMS SignedData: {e}")));
            out.node = node;
            return out;
        }
    };
    let tst = match (&sd.econtent, sd.econtent_type.as_str(), sd.signer_infos.as_slice()) {
        (Some(content), OID_TST_INFO, [_]) => match parse_tst_info(content) {
            Ok(t) => t,
            Err(e) => {
                node.check(Check::fail(CheckId::TstFormat, format!("TSTInfo is malformed: {e}")));
                out.node = node;
                return out;
            }
        },
        (_, t, sis) => {
            node.check(Check::fail(
                CheckId::TstFormat,
                format!("not a timestamp token: content type {t}, {} signers (TSTInfo and exactly one signer required)", sis.len()),
            ));
            out.node = node;
            return out;
        }
    };
    let problems = crate::cms::signer::consistency_problems(&sd, &sd.signer_infos[0]);
    if !problems.is_empty() {
        node.check(Check::fail(CheckId::TstFormat, format!("the timestamp token contradicts itself: {}", problems.join("; "))));
        out.node = node;
        return out;
    }
    node.check(Check::pass(CheckId::TstFormat, "a CMS SignedData over TSTInfo"));
    node.fact(Fact::time("gen_time", tst.gen_time));
    node.fact(Fact::text("policy", tst.policy.clone()));
    node.fact(Fact::text("serial", hex::encode_upper(&tst.serial)));
    if let Some(acc) = tst.accuracy_secs {
        node.fact(Fact::int("accuracy_seconds", acc as i64));
    }

    // messageImprint: its hash must be one ETSI TS 119 312 accepts.
    let imprint_ok = match digest_algorithm(&tst.hash_alg) {
        None => {
            node.check(Check::fail(
                CheckId::TstImprint,
                match broken_hash_name(&tst.hash_alg) {
                    Some(name) => {
                        format!("messageImprint uses {name}, which is broken and not acceptable for time-stamps (ETSI TS 119 312): the token proves nothing")
                    }
                    None => format!("messageImprint uses the unsupported hash {}", tst.hash_alg),
                },
            ));
            false
        }
        Some(h) => {
            let actual = match what {
                Imprinted::Bytes(b) => h.digest(b),
                Imprinted::Parts(p) => h.digest_parts(&p),
            };
            let facts = [Fact::digest("expected", h.name(), &tst.hashed_message), Fact::digest("actual", h.name(), &actual)];
            if actual != tst.hashed_message {
                node.check(Check::fail(CheckId::TstImprint, "messageImprint does not match: the token timestamps something else").with_all(facts));
                false
            } else if h == Hash::Sha1 {
                node.check(
                    Check::warn(
                        CheckId::TstImprint,
                        "messageImprint (SHA-1) matches what is timestamped, but SHA-1 is collision-prone and not acceptable for new time-stamps (ETSI TS 119 312)",
                    )
                    .with_all(facts),
                );
                true
            } else {
                node.check(Check::pass(CheckId::TstImprint, format!("messageImprint ({}) matches what is timestamped", h.name())).with_all(facts));
                true
            }
        }
    };

    // The TSA's signature over TSTInfo.
    let si = &sd.signer_infos[0];
    let Some(tsa) = find_signer_certificate(&sd, si, ctx.pool) else {
        node.check(Check::indeterminate(CheckId::TstSignature, "the TSA certificate is neither in the token nor in the evidence"));
        out.node = node;
        return out;
    };
    node.fact(Fact::text("tsa", tsa.subject.clone()));
    let content = sd.econtent.as_deref().unwrap_or_default();
    let sig_ok = match digest_algorithm(&si.digest_alg) {
        None => {
            node.check(Check::fail(
                CheckId::TstSignature,
                match broken_hash_name(&si.digest_alg).or_else(|| broken_hash_name(&si.signature_alg)) {
                    Some(name) => broken_tsa_algorithm(name),
                    None => format!("the token's digest algorithm {} is not supported", si.digest_alg),
                },
            ));
            false
        }
        Some(h) => {
            let md_ok = match message_digest(si) {
                Ok(Some(md)) => h.digest(content) == md,
                _ => si.signed_attrs_received.is_none(),
            };
            match (md_ok, verify_signature(si, &tsa, Some(content))) {
                (true, Ok((alg, _))) if alg.weak.is_some() || h == Hash::Sha1 => {
                    node.check(Check::warn(
                        CheckId::TstSignature,
                        format!(
                            "the {} signature of '{}' over TSTInfo verifies, but SHA-1 is collision-prone and not acceptable for new time-stamps (ETSI TS 119 312)",
                            alg.name, tsa.subject
                        ),
                    ));
                    true
                }
                (true, Ok((alg, _))) => {
                    node.check(Check::pass(CheckId::TstSignature, format!("the {} signature of '{}' over TSTInfo verifies", alg.name, tsa.subject)));
                    true
                }
                (false, _) => {
                    node.check(Check::fail(CheckId::TstSignature, "the token's message-digest does not match its TSTInfo"));
                    false
                }
                (true, Err(why)) => {
                    node.check(Check::fail(
                        CheckId::TstSignature,
                        match broken_hash_name(&si.signature_alg) {
                            Some(name) => broken_tsa_algorithm(name),
                            None => format!("the TSA signature does not verify: {why}"),
                        },
                    ));
                    false
                }
            }
        }
    };

    // The TSA certificate bound by the signed attributes: RFC 3161 §2.4.2 requires
    // ESS signing-certificate (RFC 5816 §2.2.1 allows -v2) so that the TSA
    // certificate cannot be substituted under the same key.
    let id = CheckId::TstSigningCertificate;
    let ess_check = match ess_binding(si, &tsa) {
        EssBinding::Bound { attribute } => Check::pass(id, format!("{attribute} names the TSA certificate")),
        EssBinding::Absent => Check::warn(
            id,
            "the token has no ESS signing-certificate attribute, which RFC 3161 §2.4.2 requires: nothing binds the TSA certificate beyond its issuer and serial number",
        ),
        EssBinding::NotFirst { attribute, position, count } => Check::fail(
            id,
            format!("the first reference of the token's {attribute} names another certificate than the TSA's, which matches only reference {position} of {count}: the TSA certificate was substituted"),
        ),
        EssBinding::IssuerSerialMismatch { attribute } => Check::fail(
            id,
            format!("the token's {attribute} names the TSA certificate by hash, but its issuerSerial names another issuer or serial number: the reference contradicts itself"),
        ),
        EssBinding::Empty { attribute } => Check::fail(id, format!("the token's {attribute} holds no certificate reference")),
        EssBinding::Other { attribute } => {
            Check::fail(id, format!("the token's {attribute} names another certificate than the TSA's: the TSA certificate was substituted"))
        }
        EssBinding::Malformed(why) => Check::fail(id, format!("the token's signing-certificate attribute is malformed: {why}")),
    };
    let ess_ok = ess_check.status != Status::Fail;
    node.check(ess_check);

    // The TSA certificate: timestamping EKU and its path at genTime.
    let path = validate_path(&PathInput {
        target: &tsa,
        intermediates: &[sd.certificates.clone(), ctx.pool.to_vec(), ctx.dss_certs.to_vec()].concat(),
        anchors: ctx.anchors,
        validation_time: tst.gen_time,
        signing_time: Some(tst.gen_time),
        usage: Usage::TimeStamping,
    });
    let worst = path.checks.iter().map(|c| c.status).max().unwrap_or(Status::Pass);
    let eku_critical = tsa.extensions.extended_key_usage_critical;
    let mut cert_node = Node::new(NodeKind::SigningKey, format!("TSA certificate '{}'", tsa.subject));
    cert_node.checks = path.checks;
    let cert_check = match worst {
        Status::Pass | Status::Warn if eku_critical => Check::pass(
            CheckId::TstCertificate,
            format!("the TSA certificate may sign timestamps and chains to '{}' at genTime", path.anchor.as_ref().map(|a| a.subject.as_str()).unwrap_or("")),
        ),
        Status::Pass | Status::Warn => {
            Check::fail(CheckId::TstCertificate, "the TSA certificate's extKeyUsage is not marked critical, as RFC 3161 §2.3 requires")
        }
        Status::Indeterminate => Check::indeterminate(CheckId::TstCertificate, "the TSA certificate's path could not be established (see its chain checks)"),
        Status::Fail => Check::fail(CheckId::TstCertificate, "the TSA certificate fails its checks (see its chain checks)"),
    };
    let trusted = cert_check.status == Status::Pass;
    node.check(cert_check);
    node.children.push(cert_node);
    // genTime against the validation time. The TSA's own path stays judged at
    // genTime above: that is when the TSA signed, whatever the validation time.
    let (time_check, after) = gen_time_check(tst.gen_time, ctx.policy);
    node.check(time_check);
    out.after_validation_time = after;
    if imprint_ok && sig_ok {
        out.gen_time = Some(tst.gen_time);
    }
    out.valid = imprint_ok && sig_ok && ess_ok && trusted;
    out.node = node;
    out
}
