//! Long-term validation data (ETSI EN 319 142-1 §5.4; pades.md "Long-term
//! validation data"): the DSS (/Certs, /OCSPs, /CRLs, /VRI), revocation data
//! inside the CMS, revocation of the signer chain at the proof-of-existence
//! time, and the PAdES baseline level reached.

use super::signature::SignatureOutcome;
use super::Context;
use crate::checks::CheckId;
use crate::crypto::sha1;
use crate::ocsp::verify::{check_ocsp, OcspContext, DEFAULT_OCSP_SKEW_SECS};
use crate::pdf::{Dict, Object, Pdf};
use crate::report::{Check, Fact, FactValue, Node, NodeKind, Status};
use crate::time::UnixTime;
use crate::x509::crl::Crl;
use crate::x509::Certificate;
use std::sync::Arc;

/// The Document Security Store (ISO 32000-2 §12.8.4.3).
#[derive(Debug, Default)]
pub struct Dss {
    pub present: bool,
    /// The first revision whose catalog has /DSS.
    pub revision: Option<usize>,
    pub certs: Vec<Arc<Certificate>>,
    pub ocsps: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
    /// /VRI keys (uppercase hex SHA-1 of a signature's /Contents).
    pub vri_keys: Vec<String>,
    pub problems: Vec<String>,
}

fn streams(pdf: &Pdf<'_>, dict: &Dict, key: &[u8], problems: &mut Vec<String>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Some(arr) = dict.get(key).and_then(|a| pdf.resolve(a).ok()) else { return out };
    for item in arr.as_array().unwrap_or(&[]) {
        match pdf.resolve(item) {
            Ok(Object::Stream(s)) => match pdf.decode_stream(&s) {
                Ok(bytes) => out.push(bytes),
                Err(e) => problems.push(format!("DSS /{}: {e}", String::from_utf8_lossy(key))),
            },
            Ok(other) => problems.push(format!("DSS /{} holds a {}, not a stream", String::from_utf8_lossy(key), other.type_name())),
            Err(e) => problems.push(format!("DSS /{}: {e}", String::from_utf8_lossy(key))),
        }
    }
    out
}

/// Reads the DSS of the latest revision.
pub fn read_dss(pdf: &Pdf<'_>) -> Dss {
    let mut dss = Dss::default();
    let Ok(catalog) = pdf.catalog() else { return dss };
    let Some(d) = catalog.get(b"DSS").and_then(|d| pdf.resolve(d).ok()).and_then(|d| d.as_dict().cloned()) else { return dss };
    dss.present = true;
    dss.revision = (0..pdf.revisions().len()).find(|&i| pdf.catalog_as_of(i).is_ok_and(|c| c.get(b"DSS").is_some()));
    for der in streams(pdf, &d, b"Certs", &mut dss.problems) {
        match Certificate::from_der(&der) {
            Ok(c) => dss.certs.push(Arc::new(c)),
            Err(e) => dss.problems.push(format!("DSS certificate: {e}")),
        }
    }
    dss.ocsps = streams(pdf, &d, b"OCSPs", &mut dss.problems);
    dss.crls = streams(pdf, &d, b"CRLs", &mut dss.problems);
    if let Some(vri) = d.get(b"VRI").and_then(|v| pdf.resolve(v).ok()).and_then(|v| v.as_dict().cloned()) {
        for (k, v) in vri.entries() {
            dss.vri_keys.push(String::from_utf8_lossy(k).to_ascii_uppercase());
            if let Some(vd) = pdf.resolve(v).ok().and_then(|v| v.as_dict().cloned()) {
                dss.ocsps.extend(streams(pdf, &vd, b"OCSP", &mut dss.problems));
                dss.crls.extend(streams(pdf, &vd, b"CRL", &mut dss.problems));
                for der in streams(pdf, &vd, b"Cert", &mut dss.problems) {
                    if let Ok(c) = Certificate::from_der(&der) {
                        dss.certs.push(Arc::new(c));
                    }
                }
            }
        }
    }
    dss
}

/// How one certificate's status at a time was established.
enum CertStatus {
    /// How it was shown, when that evidence was made, and the name of that time (OCSP producedAt, CRL thisUpdate).
    Good(String, UnixTime, &'static str),
    Revoked(String),
    Unknown,
}

/// How a certificate was shown unrevoked, when that evidence was made, and
/// the name of that time (`ocsp_produced_at`, `crl_this_update`).
type Shown = (String, UnixTime, &'static str);

/// Authentic evidence that a certificate was not revoked (nor on hold) at a
/// time: an OCSP "good" answer or a validly signed complete CRL that does not
/// list it. Its thisUpdate, and how a sentence names it.
type Release = (UnixTime, String);

/// What lifts a certificateHold shown by an answer or CRL of `held_at` (its
/// thisUpdate) for the judgement at `at`: certificateHold is the one
/// temporary reason (RFC 5280 §5.3.1), and a released hold answers good (RFC
/// 6960 §2.2), so evidence made after `held_at` and at or before `at` that
/// shows the certificate unrevoked lifts it. `Err` holds the first release
/// made only after `at`, if any: it shows the hold released after the time
/// the certificate is judged at, when it was still suspended.
fn release_of(releases: &[Release], held_at: UnixTime, at: UnixTime) -> Result<&Release, Option<&Release>> {
    releases.iter().find(|(t, _)| *t > held_at && *t <= at).ok_or_else(|| releases.iter().find(|(t, _)| *t > at))
}

/// How a hold that no release made by `at` lifts reads, with the release made after it if there is one.
fn not_released(late: Option<&Release>, at: UnixTime) -> String {
    late.map(|(_, how)| format!(" (not released by {at}: only later evidence does, {how})")).unwrap_or_default()
}

/// What the validly signed CRLs of a certificate's issuer say about it.
struct CrlFindings {
    /// Every revocation at or before the time judged at.
    revoked: Vec<String>,
    /// The first CRL that covers that time and shows the certificate unrevoked.
    good: Option<Shown>,
    /// Why CRLs of the issuer were not taken as showing it unrevoked.
    notes: Vec<String>,
    /// The CRLs that show it unrevoked (not listing it, complete for it), whatever their time.
    releases: Vec<Release>,
    /// The certificateHolds that a release lifted.
    lifted: Vec<String>,
}

/// What the validly signed CRLs of `cert`'s issuer say about it at `at`.
/// Every CRL is read: a CRL issued before the revocation (which does not list
/// it yet) does not outweigh a later one that does (RFC 5280 §6.3). An entry
/// removeFromCRL (delta CRLs) is no revocation; a certificateHold is lifted by
/// a later CRL, issued at or before `at`, that no longer lists the
/// certificate, or by an authentic OCSP answer of that time saying good (one
/// of `ocsp_releases`; see [`release_of`]). An entry counts from its
/// invalidityDate when that is earlier than its revocationDate (RFC 5280
/// §5.3.2).
///
/// A CRL counts only when its issuer may sign CRLs: keyUsage, if present,
/// must have cRLSign (RFC 5280 §6.3.3(f)). A CRL with a critical extension
/// this verifier does not process is not used at all (§5.2). A delta CRL or
/// one whose issuingDistributionPoint does not cover the certificate
/// (§5.2.4, §5.2.5, §6.3.3(b)) never shows it unrevoked, but its entries
/// still count as revocations. Of the CRLs that show it unrevoked, one issued
/// by `made_by` (the validation time, see [`check_revocation`]) is preferred
/// to a later one.
fn crl_status(crls: &[Crl], cert: &Certificate, issuer: &Certificate, at: UnixTime, made_by: Option<UnixTime>, ocsp_releases: &[Release]) -> CrlFindings {
    let mut notes: Vec<String> = Vec::new();
    let may_sign_crls = !matches!(issuer.extensions.key_usage, Some(ku) if ku & (1 << 6) == 0);
    let signed: Vec<&Crl> = crls
        .iter()
        .filter(|c| cert.issuer_is(&c.issuer_der))
        .filter(|crl| {
            crate::x509::sigalg::signature_algorithm(&crl.signature_alg, crl.signature_alg_params.as_deref())
                .is_ok_and(|alg| crate::crypto::verify(&issuer.key, alg.scheme, &crl.tbs, &crl.signature).is_ok())
        })
        .filter(|crl| {
            if !may_sign_crls {
                notes.push(format!("the CRL of {} was not used: its issuer's keyUsage lacks cRLSign (RFC 5280 §6.3.3(f))", crl.this_update));
            } else if !crl.scope.unknown_critical.is_empty() {
                notes.push(format!(
                    "the CRL of {} was not used: it has a critical extension this verifier does not process ({}; RFC 5280 §5.2)",
                    crl.this_update,
                    crl.scope.unknown_critical.join(", ")
                ));
            }
            may_sign_crls && crl.scope.unknown_critical.is_empty()
        })
        .collect();
    let releases: Vec<Release> = signed
        .iter()
        .filter(|l| l.revocation_of(&cert.serial).is_none() && l.incomplete_for(cert).is_none())
        .map(|l| (l.this_update, format!("the CRL of {} does not list it", l.this_update)))
        .collect();
    let all_releases: Vec<Release> = releases.iter().chain(ocsp_releases).cloned().collect();
    let mut revoked: Vec<String> = Vec::new();
    let mut lifted: Vec<String> = Vec::new();
    let mut good: Option<Shown> = None;
    let in_time = |t: UnixTime| made_by.map_or(true, |m| t <= m);
    for crl in &signed {
        if let Some(entry) = crl.revocation_of(&cert.serial) {
            let reason = entry.reason;
            let t = entry.revocation_date;
            let release = (reason == Some(6)).then(|| release_of(&all_releases, crl.this_update, at));
            if let (true, Some(Ok((_, how)))) = (entry.effective_time() <= at, &release) {
                let line = format!("on hold since {t} (the CRL of {}), released: {how}", crl.this_update);
                if !lifted.contains(&line) {
                    lifted.push(line);
                }
            } else if entry.effective_time() <= at && reason != Some(8) {
                let why = reason.map(|r| format!(", reason {}", crate::ocsp::reason_name(r as u64))).unwrap_or_default();
                let invalid = match entry.invalidity_date {
                    Some(i) if i < t => format!(", its key invalid since {i} (invalidityDate, RFC 5280 §5.3.2)"),
                    _ => String::new(),
                };
                let late = match release {
                    Some(Err(late)) => not_released(late, at),
                    _ => String::new(),
                };
                let line = format!("listed on the CRL of {} as revoked at {t}{why}{invalid}{late}", crl.this_update);
                if !revoked.contains(&line) {
                    revoked.push(line);
                }
                continue;
            }
        }
        let covers = crl.this_update >= at || crl.next_update.is_some_and(|n| n >= at);
        if !covers || good.as_ref().is_some_and(|(_, t, _)| in_time(*t) || !in_time(crl.this_update)) {
            continue;
        }
        match crl.incomplete_for(cert) {
            None => good = Some((format!("CRL issued {}", crl.this_update), crl.this_update, "crl_this_update")),
            Some(why) => notes.push(format!("the CRL of {} does not show it unrevoked: {why}", crl.this_update)),
        }
    }
    CrlFindings { revoked, good, notes, releases, lifted }
}

/// Whether an OCSP response's node shows it authentic: well formed, about this
/// certificate, signed by a responder that may answer for it.
fn ocsp_authentic(node: &Node) -> bool {
    let passed = |id: CheckId| node.checks.iter().any(|c| c.id == id && c.status == Status::Pass);
    let broken = node.checks.iter().any(|c| {
        matches!(
            c.id,
            CheckId::OcspFormat
                | CheckId::OcspResponseStatus
                | CheckId::OcspCertId
                | CheckId::OcspSignature
                | CheckId::OcspResponderAuthorized
                | CheckId::OcspResponderValidity
        ) && matches!(c.status, Status::Fail | Status::Indeterminate)
    });
    passed(CheckId::OcspSignature) && passed(CheckId::OcspResponderAuthorized) && !broken
}

/// Revocation of `path` (signer first, anchor excluded) at `at`, from `ocsps` and `crls`.
/// Returns the check, a node for every OCSP response about a certificate of
/// the path, and whether every certificate was shown unrevoked.
/// Every source is consulted: a revocation at or before `at` in any authentic
/// OCSP response or validly signed CRL wins over any number of "good" answers
/// (RFC 5280 §6.3; ETSI EN 319 102-1 revocation checking). The one exception
/// is certificateHold, a temporary suspension (RFC 5280 §5.3.1): an OCSP
/// answer or CRL entry on hold is lifted by authentic evidence made after it
/// and at or before `at` that shows the certificate unrevoked (an OCSP answer
/// "good", RFC 6960 §2.2, or a CRL not listing it; see [`release_of`]); the
/// lifted hold answer's `ocsp.status` then passes, naming the release. A hold
/// shown released only by evidence made after `at` stays a revocation: the
/// certificate was suspended then. No other reason is ever lifted.
///
/// Evidence made after the validation time. With `--at <time>` the report
/// judges the signature as of that time, but a good status may come from an
/// OCSP response produced (producedAt), or a CRL issued (thisUpdate), later
/// than it (beyond the leeway); evidence made by the validation time is
/// preferred when there is some. Such evidence is still used, and
/// `ltv.revocation` warns (it does not pass with a note, nor turn
/// indeterminate): a good status later means the certificate was not revoked
/// at `at`, because a revocation is permanent (RFC 5280 §3.3), so the
/// conclusion stands; but it is not a conclusion anyone could have reached at
/// the validation time, which is what the report claims to be as of (ETSI EN
/// 319 102-1 §5.6.2 asks for evidence that existed by the validation time),
/// and the one exception to permanence, a certificateHold released before
/// the response was made, answers good afterwards too. So the reader is told,
/// with producedAt / thisUpdate and the validation time as evidence. With
/// `--at signing` the validation time is the signing time, and long-term
/// validation data is always fetched after it (the point of B-LT): nothing
/// is reported. Broker tokens' OCSP responses are not judged here: their
/// freshness follows broker.md §3 (thisUpdate - skew <= iat <= nextUpdate, a
/// response normally produced after `iat`) in [`crate::ocsp::verify`], and
/// stays so.
pub fn check_revocation(
    path: &[Arc<Certificate>],
    anchors: &[Arc<Certificate>],
    at: UnixTime,
    ocsps: &[Vec<u8>],
    crls: &[Vec<u8>],
    ctx: &Context<'_>,
    source: &str,
) -> (Check, Vec<Node>, bool) {
    let parsed_crls: Vec<Crl> = crls.iter().filter_map(|d| Crl::from_der(d).ok()).collect();
    let responder_pool: Vec<Arc<Certificate>> = ctx.pool.iter().chain(ctx.dss_certs.iter()).cloned().collect();
    let mut nodes = Vec::new();
    let mut lines = Vec::new();
    let mut revoked = Vec::new();
    let mut missing = Vec::new();
    // The anchor the path reached: the only trusted certificate that may sign
    // OCSP responses for its certificates without delegation (RFC 6960 §4.2.2.2).
    let path_anchor = path.last().and_then(|l| crate::pki::path::anchor_of(l, anchors));
    // The latest time evidence may have been made and be as of the validation time.
    let (validation_time, made_by) = match ctx.policy.time {
        crate::policy::ValidationTime::At(t) => (Some(t), Some(UnixTime(t.0.saturating_add(ctx.policy.leeway as i64)))),
        crate::policy::ValidationTime::Signing => (None, None),
    };
    let in_time = |t: UnixTime| made_by.map_or(true, |m| t <= m);
    let mut late: Vec<String> = Vec::new();
    let mut late_facts: Vec<Fact> = Vec::new();
    // certificateHolds lifted by the time judged at, per certificate.
    let mut held: Vec<String> = Vec::new();
    for (i, cert) in path.iter().enumerate() {
        // A trust anchor is a name and a key (RFC 5280 §6.1.1(d)): a certificate
        // with an anchor's subject and key is that anchor, whatever its encoding.
        if crate::pki::path::anchor_of(cert, anchors).is_some() {
            continue;
        }
        let issuer = path.get(i + 1);
        // A self-issued certificate at the top of a path (a root that is not an
        // anchor) has no issuer to ask; one inside the path (key rollover) does.
        if issuer.is_none() && cert.is_self_issued() {
            continue;
        }
        let Some(issuer) = issuer else {
            missing.push(format!("'{}' (its issuer is unknown)", cert.subject));
            continue;
        };
        let mut good: Option<Shown> = None;
        let mut revocations: Vec<String> = Vec::new();
        let mut seen: Vec<&[u8]> = Vec::new();
        // OCSP answers on hold (node index, response index, thisUpdate, hold time, sentence) and authentic good answers.
        let mut holds: Vec<(usize, usize, UnixTime, UnixTime, String)> = Vec::new();
        let mut ocsp_releases: Vec<Release> = Vec::new();
        let first_node = nodes.len();
        for (k, der) in ocsps.iter().enumerate() {
            // The same response in the DSS and in the CMS is judged once.
            if seen.contains(&der.as_slice()) {
                continue;
            }
            seen.push(der);
            let Ok(resp) = crate::ocsp::parse(der) else { continue };
            let mentions = resp.basic.as_ref().is_some_and(|b| b.responses.iter().any(|r| crate::x509::serial_eq(&r.serial, &cert.serial)));
            if !mentions {
                continue;
            }
            let octx = OcspContext {
                cert,
                issuer: Some(issuer),
                above: &path[i + 1..],
                pool: &responder_pool,
                anchors,
                path_anchor: path_anchor.as_ref(),
                signing_time: Some(at),
                validation_time: at,
                expected_nonce: None,
                skew: ctx.policy.ocsp_skew.unwrap_or(DEFAULT_OCSP_SKEW_SECS),
                archival: true,
            };
            let (onode, outcome) = check_ocsp(der, &format!("{source} #{} for '{}'", k + 1, cert.subject), &octx);
            // An answer made after the certificate expired fails ocsp.freshness
            // and, without an archiveCutoff, says nothing; it lifts no hold either.
            let after_expiry = outcome.single.as_ref().is_some_and(|r| crate::ocsp::verify::made_after_expiry(r, cert));
            let verdict = onode.verdict();
            let decisive = outcome.good && !matches!(verdict, Some(Status::Fail) | Some(Status::Indeterminate));
            // ocsp.status fails for "revoked" at or before `at` (and for "unknown", which is no revocation).
            let says_revoked = onode.facts.iter().any(|f| f.name == "cert_status" && f.value == FactValue::Text("revoked".into()))
                && onode.checks.iter().any(|c| c.id == CheckId::OcspStatus && c.status == Status::Fail);
            let authentic = ocsp_authentic(&onode);
            let single = outcome.single.as_ref();
            if let (true, false, Some(r)) = (authentic, after_expiry, single.filter(|r| r.status == crate::ocsp::CertStatus::Good)) {
                ocsp_releases.push((r.this_update, format!("OCSP #{} of {} shows good", k + 1, r.this_update)));
            }
            if says_revoked && authentic {
                let revoked = match single.map(|r| &r.status) {
                    Some(crate::ocsp::CertStatus::Revoked { time, reason }) => Some((*time, *reason)),
                    _ => None,
                };
                let when = revoked.map(|(t, _)| format!(" at {t}")).unwrap_or_default();
                let why = revoked.and_then(|(_, r)| r).map(|r| format!(", reason {}", crate::ocsp::reason_name(r))).unwrap_or_default();
                let line = format!("OCSP #{} says revoked{when}{why}", k + 1);
                match (single, revoked) {
                    // certificateHold: judged once every release is known (below).
                    (Some(r), Some((since, Some(6)))) => holds.push((nodes.len(), k, r.this_update, since, line)),
                    _ => revocations.push(line),
                }
            } else if decisive && good.as_ref().map_or(true, |(_, t, _)| !in_time(*t)) {
                let produced = resp.basic.as_ref().map(|b| b.produced_at).unwrap_or(UnixTime(i64::MAX));
                if good.is_none() || in_time(produced) {
                    good = Some((format!("OCSP #{} (good)", k + 1), produced, "ocsp_produced_at"));
                }
            }
            nodes.push(onode);
        }
        let crl = crl_status(&parsed_crls, cert, issuer, at, made_by, &ocsp_releases);
        let releases: Vec<Release> = ocsp_releases.iter().chain(&crl.releases).cloned().collect();
        let mut lifted: Vec<String> = Vec::new();
        for (n, k, held_at, since, line) in holds {
            match release_of(&releases, held_at, at) {
                Ok((released_at, how)) => {
                    // The answer is true of its time, but the hold is no revocation at `at`.
                    let lift = format!("on hold since {since} (certificateHold, thisUpdate {held_at}), released: {how}");
                    if let Some(c) = nodes[n].checks.iter_mut().find(|c| c.id == CheckId::OcspStatus) {
                        c.status = Status::Pass;
                        c.message =
                            format!("the certificate was {lift}, by {at}: a hold is temporary (RFC 5280 §5.3.1, RFC 6960 §2.2), so it is no revocation then");
                        c.evidence.push(Fact::time("released_at", *released_at));
                    }
                    lifted.push(format!("OCSP #{} says {lift}", k + 1));
                }
                Err(late) => revocations.push(format!("{line}{}", not_released(late, at))),
            }
        }
        lifted.extend(crl.lifted);
        revocations.extend(crl.revoked);
        let (crl_good, crl_notes) = (crl.good, crl.notes);
        // An OCSP response first, a CRL next, evidence made by the validation time before later evidence.
        let best = [good, crl_good].into_iter().flatten().min_by_key(|(_, t, _)| !in_time(*t));
        let status = if !revocations.is_empty() {
            let overruled = best.map(|(g, _, _)| format!(" (overruling {g})")).unwrap_or_default();
            CertStatus::Revoked(format!("{}{overruled}", revocations.join(", ")))
        } else if let Some((g, t, what)) = best {
            CertStatus::Good(g, t, what)
        } else {
            CertStatus::Unknown
        };
        // A response stale for `at` (its nextUpdate before it) says nothing about
        // that time. In long-term validation data it is one source among several,
        // not a defect of the signature: it is not used (ETSI EN 319 102-1 §5.2.5),
        // and the certificate's status comes from the other evidence; where none
        // decides it, the staleness leaves it undecided rather than failed.
        let decided_by = match &status {
            CertStatus::Good(how, _, _) | CertStatus::Revoked(how) => Some(how.clone()),
            CertStatus::Unknown => None,
        };
        for c in nodes[first_node..].iter_mut().flat_map(|n| n.checks.iter_mut()).filter(|c| c.id == CheckId::OcspFreshness && c.status == Status::Fail) {
            match &decided_by {
                Some(how) => {
                    c.status = Status::Warn;
                    c.message = format!("{}; it is not used, and other evidence decides the certificate's status ({how})", c.message);
                }
                None => {
                    c.status = Status::Indeterminate;
                    c.message = format!("{}; it is not used, and no other evidence speaks for that time", c.message);
                }
            }
        }
        match status {
            CertStatus::Good(how, made, what) => {
                if !in_time(made) {
                    late.push(format!("'{}': {how}, made {made}", cert.subject));
                    late_facts.push(Fact::time(what, made));
                }
                if lifted.is_empty() {
                    lines.push(format!("'{}': {how}", cert.subject))
                } else {
                    lines.push(format!("'{}': {how}; {}", cert.subject, lifted.join("; ")));
                    held.push(format!("'{}': {}", cert.subject, lifted.join("; ")));
                }
            }
            CertStatus::Revoked(how) => revoked.push(format!("'{}': {how}", cert.subject)),
            CertStatus::Unknown if crl_notes.is_empty() => missing.push(format!("'{}'", cert.subject)),
            CertStatus::Unknown => missing.push(format!("'{}' ({})", cert.subject, crl_notes.join("; "))),
        }
    }
    let id = CheckId::LtvRevocation;
    let released = if held.is_empty() { String::new() } else { format!("; a certificateHold was released by then: {}", held.join("; ")) };
    let check = if !revoked.is_empty() {
        Check::fail(id, format!("a certificate of the signer's chain was revoked at {at}: {}", revoked.join("; ")))
    } else if path.is_empty() {
        Check::indeterminate(id, "the signer's chain is unknown, so its revocation cannot be judged")
    } else if !missing.is_empty() {
        Check::indeterminate(id, format!("no usable revocation data (OCSP or CRL) for {} at {at}: not revoked cannot be shown", missing.join(", ")))
    } else if let (false, Some(vt)) = (late.is_empty(), validation_time) {
        Check::warn(
            id,
            format!(
                "the signer's chain was not revoked at {at}, but only evidence made after the validation time {vt} shows it: {}; a good status then implies not revoked at {at}, yet nobody could have shown it at the validation time (ETSI EN 319 102-1 §5.6.2){released}",
                late.join("; ")
            ),
        )
        .with(Fact::list("sources", lines))
        .with(Fact::time("validation_time", vt))
        .with_all(late_facts)
    } else {
        Check::pass(id, format!("the signer's chain was not revoked at {at}{released}")).with(Fact::list("sources", lines))
    };
    let complete = matches!(check.status, Status::Pass | Status::Warn);
    (check, nodes, complete)
}

/// Uppercase hex SHA-1 of a signature's /Contents: its /VRI key.
pub fn vri_key(contents: &[u8]) -> String {
    hex::encode_upper(sha1(contents))
}

/// Adds `ltv.revocation` and `ltv.level` to each signature's node.
pub fn judge(pdf: &Pdf<'_>, dss: &Dss, sigs: &mut [SignatureOutcome], ctx: &Context<'_>) -> Node {
    let mut node = Node::new(NodeKind::Revocation, "long-term validation data");
    node.fact(Fact::bool("dss", dss.present));
    if dss.present {
        node.fact(Fact::int("dss_certificates", dss.certs.len() as i64));
        node.fact(Fact::int("dss_ocsp_responses", dss.ocsps.len() as i64));
        node.fact(Fact::int("dss_crls", dss.crls.len() as i64));
        node.fact(Fact::int("dss_vri_entries", dss.vri_keys.len() as i64));
    }
    for p in &dss.problems {
        node.fact(Fact::text("dss_problem", p.clone()));
    }
    // Every revocation datum in the document.
    let mut all_ocsps: Vec<Vec<u8>> = dss.ocsps.clone();
    let mut all_crls: Vec<Vec<u8>> = dss.crls.clone();
    for s in sigs.iter() {
        all_ocsps.extend(s.ocsps.iter().cloned());
        all_crls.extend(s.crls.iter().cloned());
    }
    // Revision index where each valid document timestamp sits.
    let doc_ts_revisions: Vec<usize> = sigs
        .iter()
        .filter(|s| s.doc_timestamp && s.timestamped)
        .filter_map(|s| match s.coverage {
            Some(super::byterange::Coverage::EntireRevision(i)) => Some(i),
            Some(super::byterange::Coverage::EntireFile) => Some(pdf.revisions().len().saturating_sub(1)),
            _ => None,
        })
        .collect();
    for s in sigs.iter_mut().filter(|s| !s.doc_timestamp) {
        if s.path.is_empty() {
            continue;
        }
        let at = s.judged_at.unwrap_or(UnixTime(0));
        let (check, onodes, _) = check_revocation(&s.path, ctx.anchors, at, &all_ocsps, &all_crls, ctx, "revocation data");
        let mut rnode = Node::new(NodeKind::Revocation, format!("revocation of the signer chain at {at}"));
        rnode.children = onodes;
        s.node.check(check);
        if !rnode.children.is_empty() {
            s.node.children.push(rnode);
        }
        // The baseline level (ETSI EN 319 142-1 §6).
        let sig_revision = match s.coverage {
            Some(super::byterange::Coverage::EntireRevision(i)) => Some(i),
            Some(super::byterange::Coverage::EntireFile) => Some(pdf.revisions().len().saturating_sub(1)),
            _ => None,
        };
        let doc_ts_after = |rev: Option<usize>| rev.is_some_and(|r| doc_ts_revisions.iter().any(|&t| t > r));
        let b_b = s.intact && s.ess_ok && s.subfilter == "ETSI.CAdES.detached";
        let b_t = b_b && (s.timestamped || doc_ts_after(sig_revision));
        let (_, _, dss_complete) = if dss.present {
            check_revocation(&s.path, ctx.anchors, at, &dss.ocsps, &dss.crls, ctx, "DSS")
        } else {
            (Check::indeterminate(CheckId::LtvRevocation, ""), Vec::new(), false)
        };
        let b_lt = b_t && dss_complete;
        let b_lta = b_lt && doc_ts_after(dss.revision.map(|r| r.max(sig_revision.unwrap_or(0))).or(sig_revision));
        let (level, message) = if !s.intact {
            ("none", "not a PAdES baseline signature: it is not intact and valid".to_string())
        } else if s.subfilter != "ETSI.CAdES.detached" {
            ("none", format!("not a PAdES baseline signature: baseline requires SubFilter ETSI.CAdES.detached, not {}", s.subfilter))
        } else if !b_b {
            ("none", "not a PAdES baseline signature: no signing-certificate-v2 binds the signer certificate".to_string())
        } else if b_lta {
            ("B-LTA", "PAdES baseline B-LTA reached, the highest level".to_string())
        } else if b_lt {
            ("B-LT", "PAdES baseline B-LT reached; B-LTA needs a document timestamp over the DSS".to_string())
        } else if b_t {
            ("B-T", "PAdES baseline B-T reached; B-LT needs revocation data for the whole chain in the DSS".to_string())
        } else {
            ("B-B", "PAdES baseline B-B reached; B-T needs a signature timestamp or a document timestamp".to_string())
        };
        s.node.check(Check::pass(CheckId::LtvLevel, message).with(Fact::text("pades_level", level)));
        let key = s.contents.as_deref().map(vri_key);
        if let Some(k) = key {
            if dss.vri_keys.contains(&k) {
                s.node.fact(Fact::text("vri", k));
            }
        }
    }
    node
}
