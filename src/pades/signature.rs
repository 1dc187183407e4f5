//! One signature of a PDF: dictionary, ByteRange and coverage, the CMS
//! (integrity, signer, ESS binding, signature), its timestamps, and the
//! signer's certificate path at the best proof-of-existence time.

use super::byterange::{check_byte_range, check_contents_gap, check_coverage, ByteRange, Coverage};
use super::find::{text_of, FoundSig};
use super::modifications::FieldLock;
use super::timestamp::{verify_timestamp, Imprinted};
use super::Context;
use crate::checks::CheckId;
use crate::cms::attributes::{content_type, message_digest, revocation_info_archival, signature_timestamps, signing_time};
use crate::cms::signer::{ess_binding, find_signer_certificate, verify_signature, Covered, EssBinding};
use crate::cms::{self, SignedData, OID_DATA};
use crate::crypto::Hash;
use crate::pdf::Pdf;
use crate::pki::{validate_path, PathInput, Usage};
use crate::policy::ValidationTime;
use crate::report::{Check, Fact, Node, NodeKind};
use crate::time::UnixTime;
use crate::x509::sigalg::digest_algorithm;
use crate::x509::Certificate;
use std::sync::Arc;

/// What a verified signature established, for the document-level checks.
pub struct SignatureOutcome {
    pub node: Node,
    pub byte_range: Option<ByteRange>,
    pub coverage: Option<Coverage>,
    /// The decoded /Contents (CMS plus padding): what /VRI keys hash.
    pub contents: Option<Vec<u8>>,
    /// The signer's certificate path (signer first).
    pub path: Vec<Arc<Certificate>>,
    /// The best proof-of-existence time: a valid timestamp's genTime.
    pub poe: Option<UnixTime>,
    /// A signature timestamp whose imprint and signature hold.
    pub timestamped: bool,
    /// CRLs and OCSP responses inside the CMS (revocation-info-archival and the crls field).
    pub crls: Vec<Vec<u8>>,
    pub ocsps: Vec<Vec<u8>>,
    /// DocMDP /P of a certification signature.
    pub docmdp: Option<i64>,
    /// The FieldMDP transforms and /Lock dictionaries (empty: no field is locked).
    pub locked_fields: Vec<FieldLock>,
    /// Integrity and signature verified.
    pub intact: bool,
    /// ESS signing-certificate-v2 present and matching.
    pub ess_ok: bool,
    pub subfilter: String,
    pub doc_timestamp: bool,
    /// The time this signature is judged at (for revocation).
    pub judged_at: Option<UnixTime>,
}

fn name_str(pdf: &Pdf<'_>, d: &crate::pdf::Dict, key: &[u8]) -> Option<String> {
    let v = pdf.resolve(d.get(key)?).ok()?;
    v.as_name().map(|n| String::from_utf8_lossy(n).into_owned())
}

/// `D:YYYYMMDDHHmmSSOHH'mm` (ISO 32000-1 §7.9.4) as a time, when complete enough.
pub fn pdf_date(text: &str) -> Option<UnixTime> {
    let t = text.strip_prefix("D:").unwrap_or(text);
    let digits = |r: std::ops::Range<usize>, default: u32| -> Option<u32> {
        match t.get(r) {
            Some(s) if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() => s.parse().ok(),
            Some(_) => None,
            None => Some(default),
        }
    };
    let year = digits(0..4, 0)? as i64;
    let (mo, d, h, mi, s) = (digits(4..6, 1)?, digits(6..8, 1)?, digits(8..10, 0)?, digits(10..12, 0)?, digits(12..14, 0)?);
    let local = UnixTime::from_civil(year, mo, d, h, mi, s)?;
    let offset = match t.as_bytes().get(14) {
        Some(&sign @ (b'+' | b'-')) => {
            let oh = t.get(15..17)?.parse::<i64>().ok()?;
            let om = t.get(18..20).and_then(|m| m.parse::<i64>().ok()).unwrap_or(0);
            let v = oh * 3600 + om * 60;
            if sign == b'+' {
                v
            } else {
                -v
            }
        }
        _ => 0,
    };
    Some(UnixTime(local.0 - offset))
}

/// DocMDP /P and FieldMDP locks from the signature's /Reference and its
/// field's /Lock (ISO 32000-1 §12.8.2.2-4, §12.7.4.5 Table 233). Each lock
/// dictionary is kept as it is: /Action /All locks every field, /Include the
/// fields named in /Fields, /Exclude every field except those (Table 256).
fn transforms(pdf: &Pdf<'_>, found: &FoundSig) -> (Option<i64>, Vec<FieldLock>) {
    let mut docmdp = None;
    let mut lock_dicts = Vec::new();
    if let Some(refs) = found.dict.get(b"Reference").and_then(|r| pdf.resolve(r).ok()) {
        for r in refs.as_array().unwrap_or(&[]) {
            let Ok(r) = pdf.resolve(r) else { continue };
            let Some(rd) = r.as_dict() else { continue };
            let params = rd.get(b"TransformParams").and_then(|p| pdf.resolve(p).ok()).and_then(|p| p.as_dict().cloned());
            match rd.get_name(b"TransformMethod") {
                Some(b"DocMDP") => docmdp = Some(params.as_ref().and_then(|p| p.get_int(b"P")).unwrap_or(2)),
                Some(b"FieldMDP") => lock_dicts.extend(params),
                _ => {}
            }
        }
    }
    lock_dicts.extend(found.lock.clone());
    let mut locks = Vec::new();
    for l in lock_dicts {
        let fields = l
            .get(b"Fields")
            .and_then(|f| pdf.resolve(f).ok())
            .and_then(|f| {
                f.as_array()
                    .map(|a| a.iter().filter_map(|x| pdf.resolve(x).ok()).filter_map(|x| x.as_str().map(|s| super::find::text(&s.bytes))).collect::<Vec<_>>())
            })
            .unwrap_or_default();
        match l.get_name(b"Action") {
            Some(b"All") => locks.push(FieldLock::All),
            Some(b"Include") => locks.push(FieldLock::Include(fields)),
            Some(b"Exclude") => locks.push(FieldLock::Exclude(fields)),
            _ => {}
        }
    }
    // Duplicates (the same lock in /Reference and /Lock) say nothing new.
    locks.dedup();
    (docmdp, locks)
}

/// Verifies one signature or document timestamp.
pub fn verify_one(pdf: &Pdf<'_>, found: &FoundSig, shared_gap: bool, label: String, pre: &super::hashing::Prehashed, ctx: &Context<'_>) -> SignatureOutcome {
    let data = pdf.data();
    let kind = if found.doc_timestamp { NodeKind::DocTimestamp } else { NodeKind::Signature };
    let mut node = Node::new(kind, label);
    let subfilter = name_str(pdf, &found.dict, b"SubFilter").unwrap_or_default();
    let (docmdp, locked_fields) = transforms(pdf, found);
    let mut out = SignatureOutcome {
        node: Node::new(kind, String::new()),
        byte_range: None,
        coverage: None,
        contents: None,
        path: Vec::new(),
        poe: None,
        timestamped: false,
        crls: Vec::new(),
        ocsps: Vec::new(),
        docmdp,
        locked_fields,
        intact: false,
        ess_ok: false,
        subfilter: subfilter.clone(),
        doc_timestamp: found.doc_timestamp,
        judged_at: None,
    };

    // Descriptive facts (ISO 32000-1 §12.8.1 Table 252).
    if let Some(f) = &found.field {
        node.fact(Fact::text("field", f.clone()));
    }
    node.fact(Fact::text("sub_filter", subfilter.clone()));
    let claimed_time = text_of(pdf, &found.dict, b"M").and_then(|m| {
        node.fact(Fact::text("M", m.clone()));
        pdf_date(&m)
    });
    if let Some(t) = claimed_time {
        node.fact(Fact::time("claimed_signing_time", t));
    }
    for key in ["Name", "Reason", "Location", "ContactInfo"] {
        if let Some(v) = text_of(pdf, &found.dict, key.as_bytes()) {
            node.fact(Fact::text(key.to_ascii_lowercase(), v));
        }
    }
    node.fact(Fact::text(
        "kind",
        match (found.doc_timestamp, docmdp) {
            (true, _) => "document timestamp".to_string(),
            (false, Some(p)) => format!("certification signature (DocMDP /P {p})"),
            (false, None) => "approval signature".into(),
        },
    ));

    // SubFilter.
    let legacy = matches!(subfilter.as_str(), "adbe.pkcs7.sha1" | "adbe.x509.rsa_sha1");
    match subfilter.as_str() {
        _ if found.unparsable.is_some() => {}
        "ETSI.CAdES.detached" | "adbe.pkcs7.detached" | "ETSI.RFC3161" => node.check(Check::pass(CheckId::SigSubfilter, format!("SubFilter {subfilter}"))),
        "adbe.pkcs7.sha1" | "adbe.x509.rsa_sha1" => {
            node.check(Check::warn(CheckId::SigSubfilter, format!("SubFilter {subfilter} is a legacy SHA-1 format (deprecated since PDF 2.0)")))
        }
        other => node.check(Check::indeterminate(CheckId::SigSubfilter, format!("SubFilter '{other}' is not a format sigaudit verifies"))),
    }

    // ByteRange, gap, coverage.
    let (br_check, br) = check_byte_range(pdf, &found.dict);
    let Some(br) = br else {
        node.check(br_check);
        out.node = node;
        return out;
    };
    if let Some(err) = &found.unparsable {
        // The dictionary does not parse: its ByteRange was read from the raw bytes.
        node.check(br_check);
        node.check(Check::fail(
            CheckId::SigContentsGap,
            format!("/Contents is not a valid hexadecimal string, so the signature dictionary does not parse: {err}"),
        ));
        node.check(Check::fail(CheckId::SigCoverage, "coverage is UNCLEAR: the gap holds no valid /Contents").with(Fact::text("coverage", "UNCLEAR")));
        node.check(Check::fail(CheckId::CmsFormat, "there is no readable CMS in /Contents"));
        out.node = node;
        return out;
    }
    out.byte_range = Some(br);
    let (mut gap_check, contents, gap_exact) = check_contents_gap(&found.dict, &br);
    if shared_gap {
        node.check(Check::fail(CheckId::SigByteRange, "another signature uses the same /ByteRange gap: one /Contents cannot hold two signatures"));
        node.check(gap_check);
        out.node = node;
        return out;
    }
    node.check(br_check);
    // The CMS must be followed by zero padding only (judged once the CMS parses).
    let mut padding_ok = true;
    let cms_bytes = match contents.as_deref().map(cms::strip_pdf_padding) {
        Some(Ok((cms, zeros))) => {
            padding_ok = zeros;
            Some(cms.to_vec())
        }
        _ => None,
    };
    if gap_exact && !padding_ok && cms_bytes.as_deref().is_some_and(|c| cms::parse(c).is_ok()) {
        gap_check = Check::fail(CheckId::SigContentsGap, "/Contents holds non-zero bytes after the CMS: data is smuggled into the unsigned gap");
    }
    node.check(gap_check);
    let (cov_check, coverage) = check_coverage(pdf, &br, gap_exact, super::Attestation::of(found.doc_timestamp));
    node.check(cov_check);
    out.coverage = Some(coverage);
    out.contents = contents.clone();
    if legacy && subfilter == "adbe.x509.rsa_sha1" {
        node.check(Check::indeterminate(CheckId::CmsFormat, "adbe.x509.rsa_sha1 holds a bare PKCS#1 signature, not CMS; it is not verified"));
        out.node = node;
        return out;
    }
    let Some(cms_bytes) = cms_bytes else {
        node.check(Check::fail(
            CheckId::CmsFormat,
            if contents.as_ref().is_some_and(|c| c.is_empty()) {
                "/Contents is empty: there is no signature".to_string()
            } else {
                "/Contents holds no CMS structure".to_string()
            },
        ));
        out.node = node;
        return out;
    };
    let sd = match cms::parse(&cms_bytes) {
        Ok(sd) => sd,
        Err(e) => {
            node.check(Check::fail(CheckId::CmsFormat, format!("/Contents is not a CMS SignedData: {e}")));
            out.node = node;
            return out;
        }
    };

    if found.doc_timestamp {
        let ts = verify_timestamp(&cms_bytes, Imprinted::Parts(br.slices(data)), "document timestamp token".into(), ctx);
        node.check(Check::pass(CheckId::CmsFormat, "/Contents holds a timestamp token"));
        out.intact = ts.gen_time.is_some();
        // A document timestamp made after the validation time is no proof of
        // existence at it (tst.gen_time warns).
        out.poe = ts.gen_time.filter(|_| !ts.after_validation_time);
        out.timestamped = ts.valid;
        out.judged_at = out.poe;
        node.checks.extend(ts.node.checks);
        node.facts.extend(ts.node.facts);
        node.children.extend(ts.node.children);
        out.node = node;
        return out;
    }
    verify_cms(pdf, &sd, &br, &subfilter, claimed_time, &mut node, &mut out, pre, ctx);
    out.node = node;
    out
}

#[allow(clippy::too_many_arguments)]
fn verify_cms(
    pdf: &Pdf<'_>,
    sd: &SignedData,
    br: &ByteRange,
    subfilter: &str,
    claimed_time: Option<UnixTime>,
    node: &mut Node,
    out: &mut SignatureOutcome,
    pre: &super::hashing::Prehashed,
    ctx: &Context<'_>,
) {
    let data = pdf.data();
    let si = match sd.signer_infos.as_slice() {
        [si] => si,
        other => {
            node.check(Check::fail(CheckId::CmsFormat, format!("the CMS has {} SignerInfos; a PDF signature has exactly one", other.len())));
            return;
        }
    };
    let problems = crate::cms::signer::consistency_problems(sd, si);
    if !problems.is_empty() {
        node.check(Check::fail(CheckId::CmsFormat, format!("the CMS contradicts itself: {}", problems.join("; "))));
        return;
    }
    node.check(Check::pass(CheckId::CmsFormat, format!("a CMS SignedData ({}) with one SignerInfo", if sd.ber { "BER, indefinite lengths" } else { "DER" })));
    for bad in &sd.bad_certificates {
        node.fact(Fact::text("unparsable_certificate", bad.clone()));
    }

    // Digest algorithm and the integrity of the signed bytes.
    let Some(hash) = digest_algorithm(&si.digest_alg) else {
        node.check(Check::fail(CheckId::CmsDigestAlgorithm, format!("digest algorithm {} is not supported", si.digest_alg)));
        return;
    };
    node.check(if hash == Hash::Sha1 {
        Check::warn(CheckId::CmsDigestAlgorithm, "SHA-1 digest: collision-prone, not acceptable for new signatures")
    } else {
        Check::pass(CheckId::CmsDigestAlgorithm, format!("digest algorithm {}", hash.name()))
    });
    // adbe.pkcs7.sha1 signs eContent = SHA-1(ranges); the others sign the ranges directly.
    let (signed_content, content_digest): (Option<Vec<u8>>, Vec<u8>) = if subfilter == "adbe.pkcs7.sha1" {
        let inner = Hash::Sha1.digest_parts(&br.slices(data));
        if sd.econtent.as_deref() != Some(inner.as_slice()) {
            node.check(Check::fail(CheckId::CmsMessageDigest, "the encapsulated SHA-1 of the signed bytes does not match the document"));
            return;
        }
        let d = hash.digest(&inner);
        (Some(inner), d)
    } else {
        (None, pre.digest(data, br, hash))
    };
    let mut intact = false;
    match message_digest(si) {
        Ok(Some(md)) if md == content_digest => {
            intact = true;
            node.check(
                Check::pass(CheckId::CmsMessageDigest, format!("the {} digest of the signed bytes equals message-digest: the document is intact", hash.name()))
                    .with(Fact::digest("digest", hash.name(), &content_digest)),
            )
        }
        Ok(Some(md)) => node.check(
            Check::fail(CheckId::CmsMessageDigest, "the signed bytes do not match message-digest: the document was changed after signing")
                .with(Fact::digest("expected", hash.name(), &md))
                .with(Fact::digest("actual", hash.name(), &content_digest)),
        ),
        Ok(None) => node.check(Check::fail(CheckId::CmsMessageDigest, "the CMS has no message-digest signed attribute")),
        Err(why) => node.check(Check::fail(CheckId::CmsMessageDigest, why)),
    }
    match content_type(si) {
        Ok(Some(t)) if t == OID_DATA => node.check(Check::pass(CheckId::CmsContentType, "content-type is id-data")),
        Ok(Some(t)) => node.check(Check::fail(CheckId::CmsContentType, format!("content-type is {t}, not id-data"))),
        Ok(None) => node.check(Check::fail(CheckId::CmsContentType, "the content-type signed attribute is missing (RFC 5652 §11.1)")),
        Err(why) => node.check(Check::fail(CheckId::CmsContentType, why)),
    }

    // The signer.
    let Some(cert) = find_signer_certificate(sd, si, ctx.pool) else {
        node.check(Check::indeterminate(CheckId::CmsSignerCertificate, "the certificate the SignerInfo names is neither in the CMS nor in the evidence"));
        return;
    };
    node.check(
        Check::pass(CheckId::CmsSignerCertificate, format!("signed by '{}'", cert.subject))
            .with(Fact::text("signer", cert.subject.clone()))
            .with(Fact::text("signer_serial", cert.serial_hex()))
            .with(Fact::sha256("signer_sha256", &cert.sha256))
            .with(Fact::period("signer_validity", cert.not_before, cert.not_after)),
    );
    match ess_binding(si, &cert) {
        EssBinding::Bound { attribute } => {
            out.ess_ok = attribute == "signing-certificate-v2";
            node.check(Check::pass(CheckId::CmsSigningCertificate, format!("{attribute} binds the signer certificate by hash")));
        }
        EssBinding::NotFirst { attribute, position, count } => node.check(Check::fail(
            CheckId::CmsSigningCertificate,
            format!(
                "the first certificate reference of {attribute} (the one that identifies the signing certificate, RFC 5035 §3) names another certificate than the signer's; the signer certificate matches only reference {position} of {count}, a place for the other certificates of the path: the signature binds another signing certificate, the signer certificate was substituted"
            ),
        )),
        EssBinding::IssuerSerialMismatch { attribute } => node.check(
            Check::fail(
                CheckId::CmsSigningCertificate,
                format!("the first certificate reference of {attribute} names the signer certificate by hash, but its issuerSerial names another issuer or serial number: the reference contradicts itself (ETSI EN 319 102-1 §5.2.3.4)"),
            )
            .with(Fact::text("signer_issuer", cert.issuer.clone()))
            .with(Fact::text("signer_serial", cert.serial_hex())),
        ),
        EssBinding::Empty { attribute } => node.check(Check::fail(CheckId::CmsSigningCertificate, format!("{attribute} holds no certificate reference: it binds no signer certificate"))),
        EssBinding::Other { attribute } => node.check(Check::fail(
            CheckId::CmsSigningCertificate,
            format!("{attribute} names another certificate than the signer's: the signer certificate was substituted"),
        )),
        EssBinding::Absent if subfilter == "ETSI.CAdES.detached" => node.check(Check::fail(
            CheckId::CmsSigningCertificate,
            "no signing-certificate-v2 attribute: PAdES (ETSI.CAdES.detached) requires the signer certificate to be bound",
        )),
        EssBinding::Absent => node.check(Check::warn(
            CheckId::CmsSigningCertificate,
            "no ESS signing-certificate attribute binds the signer certificate (allowed for this SubFilter, weaker)",
        )),
        EssBinding::Malformed(why) => node.check(Check::fail(CheckId::CmsSigningCertificate, why)),
    }
    match verify_signature(si, &cert, signed_content.as_deref()) {
        Ok((alg, covered)) => {
            let note = if covered == Covered::SignedAttributesReencoded { " (over the DER re-encoding of BER signed attributes)" } else { "" };
            node.check(Check::pass(CheckId::CmsSignature, format!("the {} signature verifies{note}", alg.name)));
            out.intact = intact;
        }
        Err(why) => node.check(Check::fail(CheckId::CmsSignature, why)),
    }
    match signing_time(si) {
        Ok(Some(t)) if subfilter == "ETSI.CAdES.detached" => node.check(
            Check::warn(CheckId::CmsSigningTime, "a CMS signing-time attribute is present; PAdES baseline puts the claimed time in /M only")
                .with(Fact::time("cms_signing_time", t)),
        ),
        Ok(Some(t)) => {
            node.check(Check::pass(CheckId::CmsSigningTime, format!("CMS signing-time {t} (usual for {subfilter})")).with(Fact::time("cms_signing_time", t)))
        }
        Ok(None) => node.check(Check::pass(CheckId::CmsSigningTime, "no CMS signing-time attribute")),
        Err(why) => node.check(Check::fail(CheckId::CmsSigningTime, why)),
    }

    // Revocation data carried in the CMS.
    match revocation_info_archival(si) {
        Ok((crls, ocsps)) => {
            out.crls.extend(crls);
            out.ocsps.extend(ocsps);
        }
        Err(why) => node.fact(Fact::text("revocation_info_archival", format!("unreadable: {why}"))),
    }
    out.crls.extend(sd.crls.iter().cloned());
    out.ocsps.extend(sd.ocsp_responses.iter().cloned());

    // Signature timestamps: proof of existence.
    for (i, token) in signature_timestamps(si).iter().enumerate() {
        let ts = verify_timestamp(token, Imprinted::Bytes(&si.signature), format!("signature timestamp {}", i + 1), ctx);
        if ts.valid {
            // The document carries a signature timestamp (the baseline level
            // counts it), but one made after the validation time proves no
            // existence at it (tst.gen_time warns): the signer is then judged
            // at the validation time, never later.
            out.timestamped = true;
            if !ts.after_validation_time {
                out.poe = Some(out.poe.map_or(ts.gen_time.unwrap_or(UnixTime(i64::MAX)), |p| p.min(ts.gen_time.unwrap_or(p))));
            }
        }
        node.children.push(ts.node);
    }

    // The signer's path, at the proven time when there is one.
    let (vt, st, why) = match (out.poe, ctx.policy.time) {
        (Some(poe), _) => (poe, Some(poe), "the signature timestamp's time (proof of existence)"),
        (None, ValidationTime::At(t)) => (t, None, "the validation time"),
        (None, ValidationTime::Signing) => match claimed_time {
            Some(m) => (m, Some(m), "the signing time the signature claims (/M)"),
            None => {
                node.check(Check::indeterminate(CheckId::ChainValidity, "no signing time: the signature has neither a timestamp nor /M"));
                return;
            }
        },
    };
    out.judged_at = Some(vt);
    // With --at signing each signature has its own validation time: say which
    // (the page marks it on the timeline, as it does a token's iat).
    if matches!(ctx.policy.time, ValidationTime::Signing) {
        node.fact(Fact::time("validation_time", vt));
        node.fact(Fact::text("validation_time_source", why));
    }
    let mut intermediates = sd.certificates.clone();
    intermediates.extend(ctx.pool.iter().cloned());
    intermediates.extend(ctx.dss_certs.iter().cloned());
    let result = validate_path(&PathInput {
        target: &cert,
        intermediates: &intermediates,
        anchors: ctx.anchors,
        validation_time: vt,
        signing_time: st,
        usage: Usage::Signer,
    });
    let mut cnode = Node::new(NodeKind::SigningKey, format!("signer certificate '{}' judged at {vt} ({why})", cert.subject));
    cnode.checks = result.checks;
    out.path = result.path;
    node.children.push(cnode);
}
