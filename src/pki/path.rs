//! Certification path building and validation (RFC 5280 §6) as a pure function
//! of (target, candidate intermediates, trust anchors, times, required usage).
//!
//! Building walks from the target towards an anchor through certificates whose
//! subject matches the current issuer name (RFC 5280 §7.1) and whose
//! subjectKeyIdentifier fits the authorityKeyIdentifier, verifying each
//! signature on the way, and backtracks (RFC 4158): when a path that reaches
//! an anchor does not validate (an expired or unsuitable certificate on it),
//! the other candidates are tried. Self-issued certificates that are not
//! anchors (key rollover) are ordinary links. A budget caps the signature
//! checks so hostile bundles cannot make it spin. The first valid path is the
//! result; failing that, the least bad path that reached an anchor, or the
//! longest partial path, is judged rule by rule, each rule with its own check id.

use crate::checks::CheckId;
use crate::crypto::{self, PublicKey, VerifyError};
use crate::limits::{MAX_PATH_CERTS, MAX_PATH_SIGNATURES};
use crate::report::{Check, Fact, Status};
use crate::time::UnixTime;
use crate::x509::sigalg::signature_algorithm;
use crate::x509::Certificate;
use std::sync::Arc;

/// What the end-entity certificate must be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    /// Sign documents and tokens: keyUsage digitalSignature or nonRepudiation.
    Signer,
    /// Sign OCSP responses: extKeyUsage id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
    OcspResponder,
    /// Sign timestamps: extKeyUsage id-kp-timeStamping (RFC 3161 §2.3).
    TimeStamping,
}

const EKU_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
const EKU_TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";

/// Inputs of one path validation.
pub struct PathInput<'a> {
    pub target: &'a Arc<Certificate>,
    pub intermediates: &'a [Arc<Certificate>],
    pub anchors: &'a [Arc<Certificate>],
    /// The time the evidence is judged at.
    pub validation_time: UnixTime,
    /// When the target's key signed (a token's iat, a timestamp's genTime), if known.
    pub signing_time: Option<UnixTime>,
    pub usage: Usage,
}

/// The path and its judgement.
pub struct PathResult {
    pub checks: Vec<Check>,
    /// Target first; ends with the anchor when one was reached.
    pub path: Vec<Arc<Certificate>>,
    pub anchor: Option<Arc<Certificate>>,
}

impl PathResult {
    /// True when an anchor was reached and no check failed or stayed undecided.
    pub fn trusted(&self) -> bool {
        self.anchor.is_some() && self.checks.iter().all(|c| matches!(c.status, Status::Pass | Status::Warn))
    }
    /// The issuer of the target, when the path found it.
    pub fn issuer(&self) -> Option<&Arc<Certificate>> {
        self.path.get(1)
    }
}

/// The trust anchor `cert` is, if any: the same certificate, or one with the
/// same subject name (RFC 5280 §7.1) and public key. RFC 5280 §6.1.1(d): a
/// trust anchor is a name and a key; the certificate that carries them may
/// be re-issued or re-encoded.
pub fn anchor_of(cert: &Certificate, anchors: &[Arc<Certificate>]) -> Option<Arc<Certificate>> {
    anchors.iter().find(|a| a.der == cert.der || (a.key == cert.key && a.same_subject(cert))).cloned()
}

/// Whether `issuer` may be the issuer of `cert` by names and key identifiers.
fn names_chain(cert: &Certificate, issuer: &Certificate) -> bool {
    if !cert.issuer_name_is(issuer) {
        return false;
    }
    match (&cert.extensions.authority_key_id, &issuer.extensions.subject_key_id) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

/// Verifies `cert`'s signature with `issuer_key`.
pub fn verify_cert_signature(cert: &Certificate, issuer_key: &PublicKey) -> Result<String, String> {
    let alg = signature_algorithm(&cert.signature_alg, cert.signature_alg_params.as_deref()).map_err(|e| e.to_string())?;
    crypto::verify(issuer_key, alg.scheme, &cert.tbs, &cert.signature).map_err(|e| match e {
        VerifyError::BadSignature => "the signature does not verify".to_string(),
        other => other.to_string(),
    })?;
    Ok(alg.name)
}

/// The signature checks of one path building, each (certificate, issuer)
/// pair verified once: building and judging every candidate path share them.
#[derive(Default)]
struct Links(Vec<([u8; 32], [u8; 32], LinkResult)>);

/// A link's signature algorithm and whether it is weak, or why it fails.
type LinkResult = Result<(String, bool), String>;

impl Links {
    fn known(&self, cert: &Certificate, issuer: &Certificate) -> Option<&LinkResult> {
        self.0.iter().find(|(c, i, _)| *c == cert.sha256 && *i == issuer.sha256).map(|(_, _, r)| r)
    }

    /// The signature algorithm and whether it is weak, or why the signature fails.
    fn verify(&mut self, cert: &Certificate, issuer: &Certificate) -> LinkResult {
        if let Some(r) = self.known(cert, issuer) {
            return r.clone();
        }
        let r = crate::cache::certificate_signature_info(cert, issuer);
        self.0.push((cert.sha256, issuer.sha256, r.clone()));
        r
    }
}

/// A path that reached an anchor, judged.
struct Judged {
    path: Vec<Arc<Certificate>>,
    anchor: Arc<Certificate>,
    checks: Vec<Check>,
}

impl Judged {
    fn worst(&self) -> Status {
        self.checks.iter().map(|c| c.status).max().unwrap_or(Status::Pass)
    }

    fn valid(&self) -> bool {
        self.worst() <= Status::Warn
    }

    /// "A -> B -> C: chain.validity fail (...)" for the report of alternatives.
    fn summary(&self) -> String {
        let names: Vec<String> = self.path.iter().map(|c| format!("'{}'", c.subject)).collect();
        let problems: Vec<String> =
            self.checks.iter().filter(|c| c.status > Status::Warn).map(|c| format!("{} {}: {}", c.id.as_str(), c.status.as_str(), c.message)).collect();
        format!("{}: {}", names.join(" -> "), problems.join("; "))
    }
}

/// Depth-first path building with backtracking (RFC 4158 §2, §3): every
/// certificate whose subject and key identifier fit the current issuer is
/// tried in turn, in input order (anchors first), and every path that
/// reaches an anchor is judged in full; the first valid one ends the search.
struct Builder<'a> {
    input: &'a PathInput<'a>,
    /// Anchors then intermediates, each certificate once.
    candidates: Vec<Arc<Certificate>>,
    signatures_left: usize,
    links: Links,
    /// The longest partial path, shown when no path reaches an anchor.
    best: Vec<Arc<Certificate>>,
    /// A path reached [`MAX_PATH_CERTS`] with an issuer still to find.
    too_long: bool,
    /// Paths that reached an anchor but do not validate, in the order found.
    rejected: Vec<Judged>,
}

impl Builder<'_> {
    /// Extends `path` from its last certificate; a valid judged path ends the search.
    fn extend(&mut self, path: &mut Vec<Arc<Certificate>>) -> Option<Judged> {
        if path.len() > self.best.len() {
            self.best = path.clone();
        }
        let current = path.last().cloned()?;
        if let Some(anchor) = anchor_of(&current, self.input.anchors) {
            let mut checks = vec![reached_check(path, &anchor)];
            checks.extend(judge(path, true, self.input, &mut self.links));
            let judged = Judged { path: path.clone(), anchor, checks };
            if judged.valid() {
                return Some(judged);
            }
            self.rejected.push(judged);
            return None;
        }
        let fits: Vec<Arc<Certificate>> =
            self.candidates.iter().filter(|c| names_chain(&current, c) && !path.iter().any(|p| p.der == c.der)).cloned().collect();
        if path.len() >= MAX_PATH_CERTS {
            self.too_long |= !fits.is_empty();
            return None;
        }
        // A self-issued certificate (subject = issuer, RFC 5280 §6.1) that is not
        // an anchor is an ordinary link: a key rollover certificate is signed by
        // the old key and names the same CA as its issuer.
        for cand in fits {
            if self.links.known(&current, &cand).is_none() {
                if self.signatures_left == 0 {
                    return None;
                }
                self.signatures_left -= 1;
            }
            if self.links.verify(&current, &cand).is_err() {
                continue;
            }
            path.push(cand);
            if let Some(found) = self.extend(path) {
                return Some(found);
            }
            path.pop();
        }
        None
    }
}

/// Builds and judges the path. When several paths reach an anchor, the first
/// valid one is the result; when none is valid, the one whose worst check is
/// least severe (the first found among equals), with the others listed in
/// chain.anchor's `other_paths` fact.
pub fn validate_path(input: &PathInput<'_>) -> PathResult {
    let mut candidates: Vec<Arc<Certificate>> = Vec::new();
    for c in input.anchors.iter().chain(input.intermediates.iter()) {
        if !candidates.iter().any(|k| k.der == c.der) {
            candidates.push(c.clone());
        }
    }
    let mut builder =
        Builder { input, candidates, signatures_left: MAX_PATH_SIGNATURES, links: Links::default(), best: Vec::new(), too_long: false, rejected: Vec::new() };
    let mut path = vec![input.target.clone()];
    if let Some(found) = builder.extend(&mut path) {
        return PathResult { checks: found.checks, path: found.path, anchor: Some(found.anchor) };
    }
    if !builder.rejected.is_empty() {
        let mut rejected = std::mem::take(&mut builder.rejected);
        let pick = (0..rejected.len()).min_by_key(|&i| (rejected[i].worst(), i)).unwrap_or(0);
        let mut chosen = rejected.remove(pick);
        if !rejected.is_empty() {
            let others = Fact::list("other_paths", rejected.iter().map(Judged::summary).collect());
            if let Some(c) = chosen.checks.iter_mut().find(|c| c.id == CheckId::ChainAnchor) {
                c.evidence.push(others);
            }
        }
        return PathResult { checks: chosen.checks, path: chosen.path, anchor: Some(chosen.anchor) };
    }
    let exhausted = builder.signatures_left == 0;
    // Extend the best partial path by names alone, to show the broken link:
    // a path can reach an anchor by name while a signature on the way fails.
    let path = complete_by_name(std::mem::take(&mut builder.best), input);
    let anchor = path.last().and_then(|c| anchor_of(c, input.anchors));
    let mut checks = Vec::new();
    checks.push(anchor_check(&path, anchor.as_ref(), input, (exhausted, builder.too_long)));
    checks.extend(judge(&path, anchor.is_some(), input, &mut builder.links));
    PathResult { checks, path, anchor }
}

/// Follows issuer names through the candidates when signatures did not lead to
/// an anchor, so the report can show the broken link.
fn complete_by_name(mut path: Vec<Arc<Certificate>>, input: &PathInput<'_>) -> Vec<Arc<Certificate>> {
    while path.len() < MAX_PATH_CERTS {
        let Some(last) = path.last() else { break };
        // A self-issued certificate ends the display: most are roots.
        if anchor_of(last, input.anchors).is_some() || last.is_self_issued() {
            break;
        }
        let next = input.anchors.iter().chain(input.intermediates.iter()).find(|c| last.issuer_name_is(c) && !path.iter().any(|p| p.der == c.der)).cloned();
        match next {
            Some(n) => path.push(n),
            None => break,
        }
    }
    path
}

/// chain.anchor for a path whose signatures all verified up to `anchor`.
fn reached_check(path: &[Arc<Certificate>], anchor: &Arc<Certificate>) -> Check {
    Check::pass(CheckId::ChainAnchor, format!("chains to the trust anchor '{}' in {} certificates", anchor.subject, path.len()))
        .with(Fact::text("anchor", anchor.subject.clone()))
        .with(Fact::sha256("anchor_sha256", &anchor.sha256))
}

/// `limits`: whether path building ran out of signature checks, and whether
/// a path reached [`MAX_PATH_CERTS`] with an issuer still to find.
/// Here no path's signatures reached an anchor: an anchor at the end of
/// `path` was reached by names alone.
fn anchor_check(path: &[Arc<Certificate>], anchor: Option<&Arc<Certificate>>, input: &PathInput<'_>, limits: (bool, bool)) -> Check {
    let id = CheckId::ChainAnchor;
    let (exhausted, too_long) = limits;
    // A limit hit is the reason no verified path was found: say so, even when names alone reach an anchor.
    if exhausted {
        let facts = [Fact::list("path", path.iter().map(|c| c.subject.clone()).collect())];
        return Check::fail(id, format!("path building gave up after {MAX_PATH_SIGNATURES} signature checks")).with_all(facts);
    }
    if too_long && anchor.is_none() {
        let facts = [Fact::list("path", path.iter().map(|c| c.subject.clone()).collect())];
        return Check::fail(id, format!("no path to a trust anchor within {MAX_PATH_CERTS} certificates: a longer path is not built")).with_all(facts);
    }
    if let Some(a) = anchor {
        let how = " by issuer names (a signature on the way fails: see chain.signature)";
        return Check::pass(id, format!("chains to the trust anchor '{}' in {} certificates{how}", a.subject, path.len()))
            .with(Fact::text("anchor", a.subject.clone()))
            .with(Fact::sha256("anchor_sha256", &a.sha256));
    }
    let top = path.last().unwrap_or(input.target);
    let facts = [Fact::list("path", path.iter().map(|c| c.subject.clone()).collect())];
    if input.anchors.is_empty() {
        return Check::indeterminate(id, "no trust anchor supplied (--trust): the certificate's chain cannot be judged").with_all(facts);
    }
    let why = if top.is_self_issued() {
        format!("the chain ends at the self-issued '{}', which is not a supplied trust anchor", top.subject)
    } else {
        format!("the issuer '{}' of '{}' was not supplied and is not a trust anchor", top.issuer, top.subject)
    };
    Check::indeterminate(id, format!("does not chain to any supplied trust anchor: {why}")).with_all(facts)
}

/// The rules over a path (target first). The anchor itself (last, when
/// reached) is trusted as given: only its validity is noted.
fn judge(path: &[Arc<Certificate>], reached_anchor: bool, input: &PathInput<'_>, links: &mut Links) -> Vec<Check> {
    let mut checks = Vec::new();
    let judged = if reached_anchor { path.len() - 1 } else { path.len() };
    let label = |c: &Certificate| format!("'{}'", c.subject);

    // Names, key identifiers and signatures of each link.
    let mut name_problems = Vec::new();
    let mut kid_problems = Vec::new();
    let mut kid_links = 0;
    let mut sig_problems = Vec::new();
    let mut sig_names = Vec::new();
    let mut weak = Vec::new();
    for pair in path.windows(2) {
        let (cert, issuer) = (&pair[0], &pair[1]);
        if !cert.issuer_name_is(issuer) {
            name_problems.push(format!("{} names issuer '{}' but the next certificate is {}", label(cert), cert.issuer, label(issuer)));
        }
        if let (Some(aki), Some(ski)) = (&cert.extensions.authority_key_id, &issuer.extensions.subject_key_id) {
            kid_links += 1;
            if aki != ski {
                kid_problems.push(format!("{}: AKI {} != SKI {} of {}", label(cert), hex::encode(aki), hex::encode(ski), label(issuer)));
            }
        }
        match links.verify(cert, issuer) {
            Ok((alg, is_weak)) => {
                if is_weak {
                    weak.push(format!("{} is signed with {alg}", label(cert)));
                }
                sig_names.push(format!("{} by {} ({alg})", label(cert), label(issuer)));
            }
            Err(why) => sig_problems.push(format!("{} by {}: {why}", label(cert), label(issuer))),
        }
    }
    if path.len() > 1 {
        checks.push(if name_problems.is_empty() {
            Check::pass(CheckId::ChainName, format!("issuer and subject names chain over {} links", path.len() - 1))
        } else {
            Check::fail(CheckId::ChainName, name_problems.join("; "))
        });
        if kid_links > 0 {
            checks.push(if kid_problems.is_empty() {
                Check::pass(CheckId::ChainKeyIdentifier, "authority and subject key identifiers match")
            } else {
                Check::fail(CheckId::ChainKeyIdentifier, kid_problems.join("; "))
            });
        }
        checks.push(if sig_problems.is_empty() {
            Check::pass(CheckId::ChainSignature, "every certificate signature verifies").with(Fact::list("links", sig_names))
        } else {
            Check::fail(CheckId::ChainSignature, sig_problems.join("; "))
        });
    }

    // Validity: at the signing time (fail) and at the validation time (indeterminate).
    let mut validity_fail = Vec::new();
    let mut validity_undecided = Vec::new();
    let mut periods = Vec::new();
    for (i, cert) in path.iter().enumerate() {
        periods.push(Fact::period(format!("validity {}", cert.subject), cert.not_before, cert.not_after));
        let is_anchor = reached_anchor && i == path.len() - 1;
        let within = |t: UnixTime| t >= cert.not_before && t <= cert.not_after;
        let describe = |t: UnixTime| {
            if t < cert.not_before {
                format!("not valid before {}", cert.not_before)
            } else {
                format!("expired {}", cert.not_after)
            }
        };
        if let Some(st) = input.signing_time {
            if !within(st) {
                let msg = format!("{} was {} at the signing time {st}", label(cert), describe(st));
                if is_anchor {
                    validity_undecided.push(msg);
                } else {
                    validity_fail.push(msg);
                }
                continue;
            }
        }
        let vt = input.validation_time;
        if !within(vt) {
            validity_undecided.push(format!("{} is {} at the validation time {vt}", label(cert), describe(vt)));
        }
    }
    checks.push(if !validity_fail.is_empty() {
        Check::fail(CheckId::ChainValidity, validity_fail.join("; ")).with_all(periods)
    } else if !validity_undecided.is_empty() {
        Check::indeterminate(
            CheckId::ChainValidity,
            format!(
                "{}; a certificate outside its validity proves nothing at that time unless the signature is shown to be older (use --at signing or a timestamped time)",
                validity_undecided.join("; ")
            ),
        )
        .with_all(periods)
    } else {
        let when = match input.signing_time {
            Some(st) if st != input.validation_time => format!("at the signing time {st} and the validation time {}", input.validation_time),
            _ => format!("at {}", input.validation_time),
        };
        Check::pass(CheckId::ChainValidity, format!("every certificate is within its validity {when}")).with_all(periods)
    });

    // CA constraints of the issuing certificates (not the target, not the anchor).
    let mut bc_problems = Vec::new();
    let mut ku_problems = Vec::new();
    for (i, cert) in path.iter().enumerate().take(judged).skip(1) {
        match cert.extensions.basic_constraints {
            Some((true, path_len)) => {
                // Intermediates below this CA (excluding the target) that count
                // towards its path length: self-issued ones do not (RFC 5280 §6.1.4(l)).
                let below = path[1..i].iter().filter(|c| !c.is_self_issued()).count();
                if let Some(max) = path_len {
                    if below as u32 > max {
                        bc_problems.push(format!("{} allows {max} intermediate CAs below it, the path has {below}", label(cert)));
                    }
                }
            }
            _ if cert.version < 3 => bc_problems.push(format!("{} is a version {} certificate and cannot be a CA", label(cert), cert.version)),
            _ => bc_problems.push(format!("{} issues certificates but is not a CA (basicConstraints cA is not set)", label(cert))),
        }
        if let Some(ku) = cert.extensions.key_usage {
            if (ku >> 5) & 1 == 0 {
                ku_problems.push(format!("{} is not allowed to sign certificates (keyUsage lacks keyCertSign)", label(cert)));
            }
        }
    }
    if judged > 1 {
        checks.push(if bc_problems.is_empty() {
            Check::pass(CheckId::ChainBasicConstraints, "every issuing certificate is a CA within its path length")
        } else {
            Check::fail(CheckId::ChainBasicConstraints, bc_problems.join("; "))
        });
    }

    if let Some(check) = name_constraints_check(path) {
        checks.push(check);
    }

    // The end entity's usage.
    let target = &path[0];
    let ku = target.extensions.key_usage;
    let eku = target.extensions.extended_key_usage.as_deref();
    match input.usage {
        Usage::Signer => {
            if let Some(bits) = ku {
                if bits & 0b11 == 0 {
                    ku_problems.push(format!("{} may not sign (keyUsage has neither digitalSignature nor nonRepudiation)", label(target)));
                }
            }
        }
        Usage::OcspResponder | Usage::TimeStamping => {
            let (needed, name) =
                if input.usage == Usage::OcspResponder { (EKU_OCSP_SIGNING, "id-kp-OCSPSigning") } else { (EKU_TIME_STAMPING, "id-kp-timeStamping") };
            if !eku.is_some_and(|e| e.iter().any(|o| o == needed)) {
                ku_problems.push(format!("{} lacks the extended key usage {name}", label(target)));
            } else if input.usage == Usage::TimeStamping && eku.is_some_and(|e| e.iter().any(|o| o != needed)) {
                // RFC 3161 §2.3: the TSA certificate's extKeyUsage holds id-kp-timeStamping only.
                ku_problems.push(format!("{} has other extended key usages beside {name}, which RFC 3161 §2.3 forbids for a TSA", label(target)));
            }
            if let Some(bits) = ku {
                if input.usage == Usage::OcspResponder && bits & 1 == 0 {
                    // RFC 5280 §4.2.1.3: OCSP responses are signed under digitalSignature.
                    ku_problems.push(format!("{} may not sign OCSP responses (keyUsage lacks digitalSignature)", label(target)));
                } else if bits & 0b11 == 0 {
                    ku_problems.push(format!("{} may not sign (keyUsage has neither digitalSignature nor nonRepudiation)", label(target)));
                }
            }
        }
    }
    checks.push(if ku_problems.is_empty() {
        Check::pass(CheckId::ChainKeyUsage, "key usages allow every certificate its role")
    } else {
        Check::fail(CheckId::ChainKeyUsage, ku_problems.join("; "))
    });

    // Unknown critical extensions and weak algorithms (anchor excluded).
    let mut critical = Vec::new();
    let mut small_keys = Vec::new();
    for cert in path.iter().take(judged) {
        for oid in &cert.extensions.unknown_critical {
            critical.push(format!("{} has the critical extension {oid}", label(cert)));
        }
        if let PublicKey::Rsa { .. } = cert.key {
            if cert.key.bits() < 2048 {
                small_keys.push(format!("{} has an RSA key of {} bits", label(cert), cert.key.bits()));
            }
        }
    }
    checks.push(if critical.is_empty() {
        Check::pass(CheckId::ChainCriticalExtension, "no unknown critical extensions")
    } else {
        Check::fail(CheckId::ChainCriticalExtension, format!("{}: a verifier must reject what it does not understand", critical.join("; ")))
    });
    checks.push(if !small_keys.is_empty() {
        Check::fail(CheckId::ChainAlgorithm, format!("{} (at least 2048 bits are required)", small_keys.join("; ")))
    } else if !weak.is_empty() {
        Check::warn(CheckId::ChainAlgorithm, format!("{}: SHA-1 is collision-prone and not acceptable for new signatures", weak.join("; ")))
    } else {
        Check::pass(CheckId::ChainAlgorithm, "keys and signature algorithms are strong")
    });
    checks
}

/// chain.name_constraints (RFC 5280 §6.1.3(b)(c), §6.1.4(g)), only when a
/// certificate above the target carries nameConstraints. The constraints of
/// each such certificate apply to every certificate below it in the path,
/// not to itself; a self-issued certificate other than the target is exempt
/// (§6.1.3(b)). Judging each certificate's constraints separately is the
/// intersection of §6.1.4(g). The anchor's own constraints count too: a root
/// that names its subtrees is taken at its word (as OpenSSL does).
///
/// An end-entity target that carries nameConstraints itself warns: §4.2.1.10
/// says the extension "MUST be used only in a CA certificate", and a
/// certificate that issues nothing has nothing for it to constrain, so the
/// CA issued a certificate outside the profile (OpenSSL ignores it).
fn name_constraints_check(path: &[Arc<Certificate>]) -> Option<Check> {
    use crate::x509::name_constraints::{check, names_of};
    let constrainers: Vec<usize> = (1..path.len()).filter(|&i| path[i].extensions.name_constraints.is_some()).collect();
    let target = path.first()?;
    let own = (target.extensions.name_constraints.is_some() && !target.extensions.basic_constraints.is_some_and(|(ca, _)| ca)).then(|| {
        format!("{} is not a CA but carries nameConstraints, which RFC 5280 §4.2.1.10 allows only in CA certificates: they constrain nothing", target.label())
    });
    if constrainers.is_empty() {
        return own.map(|why| Check::warn(CheckId::ChainNameConstraints, why).with(Fact::text("target", target.label())));
    }
    let label = |c: &Certificate| format!("'{}'", c.subject);
    let names: Vec<Vec<_>> = path.iter().map(|c| names_of(c)).collect();
    let mut problems = Vec::new();
    let mut judged = Vec::new();
    for &i in &constrainers {
        let Some(nc) = path[i].extensions.name_constraints.as_ref() else { continue };
        for (j, cert) in path.iter().enumerate().take(i) {
            if j > 0 && cert.is_self_issued() {
                continue;
            }
            let listed: Vec<String> = names[j].iter().map(|n| n.to_string()).collect();
            judged.push(format!("{} under {}: {}", label(cert), label(&path[i]), if listed.is_empty() { "no names".to_string() } else { listed.join(", ") }));
            for v in check(nc, &names[j]) {
                problems.push(format!("{} violates the name constraints of {}: {v}", label(cert), label(&path[i])));
            }
        }
    }
    let facts = [Fact::list("constrained_by", constrainers.iter().map(|&i| path[i].label()).collect()), Fact::list("names", judged)];
    Some(if !problems.is_empty() {
        problems.extend(own);
        Check::fail(CheckId::ChainNameConstraints, problems.join("; ")).with_all(facts)
    } else if let Some(why) = own {
        Check::warn(CheckId::ChainNameConstraints, format!("every certificate's names lie within the name constraints of the certificates above it, but {why}"))
            .with_all(facts)
    } else {
        Check::pass(CheckId::ChainNameConstraints, "every certificate's names lie within the name constraints of the certificates above it").with_all(facts)
    })
}
