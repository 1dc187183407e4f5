//! OCSP responses (RFC 6960 §4.2): parsing into what the checks need.
//!
//! ```text
//! OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
//! ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
//! BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm AlgorithmIdentifier,
//!                                  signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
//! ResponseData ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, responderID ResponderID,
//!                             producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse,
//!                             responseExtensions [1] EXPLICIT Extensions OPTIONAL }
//! ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }
//! SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime,
//!                               nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, singleExtensions [1] EXPLICIT Extensions OPTIONAL }
//! CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
//!                       issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
//! CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }
//! ```

pub mod verify;

use crate::asn1::{parse_exact, Asn1Error, Budget, Element, ErrorKind, Tag};
use crate::time::UnixTime;
use crate::x509::Certificate;
use std::sync::Arc;

/// id-pkix-ocsp-basic.
pub const OID_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";
/// id-pkix-ocsp-nonce (RFC 6960 §4.4.1, RFC 8954).
pub const OID_NONCE: &str = "1.3.6.1.5.5.7.48.1.2";

/// How the response names its signer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponderId {
    /// The DER of the responder's subject Name, and its RFC 5280 §7.1
    /// comparable form ([`crate::x509::name_match::comparable`]), computed
    /// once when the response is parsed rather than once per candidate
    /// certificate per token.
    ByName { der: Vec<u8>, comparable: Vec<u8> },
    /// SHA-1 of the responder's subjectPublicKey BIT STRING value.
    ByKey(Vec<u8>),
}

/// certStatus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertStatus {
    Good,
    Revoked { time: UnixTime, reason: Option<u64> },
    Unknown,
}

/// One SingleResponse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleResponse {
    /// CertID hashAlgorithm OID.
    pub hash_alg: String,
    pub issuer_name_hash: Vec<u8>,
    pub issuer_key_hash: Vec<u8>,
    /// serialNumber content octets.
    pub serial: Vec<u8>,
    pub status: CertStatus,
    pub this_update: UnixTime,
    pub next_update: Option<UnixTime>,
    /// singleExtensions (RFC 6960 §4.4: CRL entry extensions may appear here).
    pub extensions: Vec<Extension>,
    /// The invalidityDate single extension (RFC 5280 §5.3.2, RFC 6960 §4.4.5):
    /// when the key is known or suspected to have been compromised or the
    /// certificate otherwise became invalid, which may be before the
    /// revocation time.
    pub invalidity_date: Option<UnixTime>,
    /// The archiveCutoff single extension (RFC 6960 §4.4.4): the responder
    /// keeps the status of certificates that expired at or after this time,
    /// so an answer produced after a certificate expired still speaks for it
    /// when its notAfter is not before the cutoff.
    pub archive_cutoff: Option<UnixTime>,
}

/// id-ce-invalidityDate (RFC 5280 §5.3.2).
pub const OID_INVALIDITY_DATE: &str = "2.5.29.24";
/// id-pkix-ocsp-archive-cutoff (RFC 6960 §4.4.4).
pub const OID_ARCHIVE_CUTOFF: &str = "1.3.6.1.5.5.7.48.1.6";

/// A response extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extension {
    pub oid: String,
    pub critical: bool,
    /// extnValue contents.
    pub value: Vec<u8>,
}

/// A BasicOCSPResponse.
#[derive(Clone, Debug)]
pub struct BasicResponse {
    /// The exact bytes of tbsResponseData, which the signature covers.
    pub tbs: Vec<u8>,
    pub responder: ResponderId,
    pub produced_at: UnixTime,
    pub responses: Vec<SingleResponse>,
    pub extensions: Vec<Extension>,
    pub signature_alg: String,
    pub signature_alg_params: Option<Vec<u8>>,
    pub signature: Vec<u8>,
    pub certs: Vec<Arc<Certificate>>,
}

/// A parsed OCSPResponse.
#[derive(Clone, Debug)]
pub struct OcspResponse {
    /// responseStatus (0 = successful).
    pub status: u64,
    pub basic: Option<BasicResponse>,
}

/// The name of a responseStatus value (RFC 6960 §4.2.1).
pub fn status_name(status: u64) -> &'static str {
    match status {
        0 => "successful",
        1 => "malformedRequest",
        2 => "internalError",
        3 => "tryLater",
        5 => "sigRequired",
        6 => "unauthorized",
        _ => "an undefined status",
    }
}

/// The name of a CRLReason (RFC 5280 §5.3.1).
pub fn reason_name(reason: u64) -> &'static str {
    match reason {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "an undefined reason",
    }
}

fn bad(el: &Element<'_>, what: &'static str) -> Asn1Error {
    Asn1Error { offset: el.offset, kind: ErrorKind::BadValue(what) }
}

fn extensions(el: &Element<'_>) -> Result<Vec<Extension>, Asn1Error> {
    let mut out = Vec::new();
    for ext in el.explicit_inner()?.sequence("Extensions")? {
        let parts = ext.sequence("Extension")?;
        let oid = parts.first().ok_or_else(|| bad(&ext, "Extension"))?.oid()?;
        let (critical, value_el) = match parts.len() {
            2 => (false, &parts[1]),
            3 => (parts[1].boolean()?, &parts[2]),
            _ => return Err(bad(&ext, "Extension")),
        };
        out.push(Extension { oid, critical, value: value_el.octets()?.into_owned() });
    }
    Ok(out)
}

fn single(el: &Element<'_>) -> Result<SingleResponse, Asn1Error> {
    let parts = el.sequence("SingleResponse")?;
    if parts.len() < 3 {
        return Err(bad(el, "SingleResponse"));
    }
    let cert_id = parts[0].sequence("CertID")?;
    if cert_id.len() != 4 {
        return Err(bad(&parts[0], "CertID"));
    }
    let hash_alg = cert_id[0].sequence("AlgorithmIdentifier")?.first().ok_or_else(|| bad(&cert_id[0], "AlgorithmIdentifier"))?.oid()?;
    let status = match (&parts[1].tag.class, parts[1].tag.number) {
        (crate::asn1::Class::Context, 0) => CertStatus::Good,
        (crate::asn1::Class::Context, 1) => {
            let info = parts[1].child_vec()?;
            let time = info.first().ok_or_else(|| bad(&parts[1], "RevokedInfo"))?.time()?;
            let reason = match info.get(1) {
                Some(r) if r.is_context(0) => Some(r.explicit_inner()?.small_uint()?),
                _ => None,
            };
            CertStatus::Revoked { time, reason }
        }
        (crate::asn1::Class::Context, 2) => CertStatus::Unknown,
        _ => return Err(bad(&parts[1], "CertStatus")),
    };
    let this_update = parts[2].time()?;
    let mut next_update = None;
    let mut exts = Vec::new();
    for extra in &parts[3..] {
        if extra.is_context(0) {
            next_update = Some(extra.explicit_inner()?.time()?);
        } else if extra.is_context(1) {
            exts = extensions(extra)?;
        }
    }
    // invalidityDate and archiveCutoff ::= GeneralizedTime. A malformed one
    // rejects the response: the first may say the key was bad earlier, the
    // second decides what a late answer is worth.
    let generalized = |oid: &str, what: &'static str| exts.iter().find(|e| e.oid == oid).map(|e| crate::asn1::generalized_time(&e.value, what)).transpose();
    let invalidity_date = generalized(OID_INVALIDITY_DATE, "invalidityDate")?;
    let archive_cutoff = generalized(OID_ARCHIVE_CUTOFF, "archiveCutoff")?;
    Ok(SingleResponse {
        hash_alg,
        issuer_name_hash: cert_id[1].octets()?.into_owned(),
        issuer_key_hash: cert_id[2].octets()?.into_owned(),
        serial: cert_id[3].integer_bytes()?.to_vec(),
        status,
        this_update,
        next_update,
        extensions: exts,
        invalidity_date,
        archive_cutoff,
    })
}

fn basic(der: &[u8]) -> Result<BasicResponse, Asn1Error> {
    let budget = Budget::new();
    let top = parse_exact(der, &budget)?;
    let parts = top.sequence("BasicOCSPResponse")?;
    if parts.len() < 3 {
        return Err(bad(&top, "BasicOCSPResponse"));
    }
    let tbs_el = &parts[0];
    let data = tbs_el.sequence("ResponseData")?;
    let mut i = 0;
    if data.first().is_some_and(|e| e.is_context(0)) {
        let v = data[0].explicit_inner()?.small_uint()?;
        if v != 0 {
            return Err(bad(&data[0], "ResponseData version (only v1 exists)"));
        }
        i = 1;
    }
    let rid = data.get(i).ok_or_else(|| bad(tbs_el, "ResponderID"))?;
    let responder = if rid.is_context(1) {
        let der = rid.explicit_inner()?.expect(Tag::SEQUENCE, "Name")?.raw.to_vec();
        let comparable = crate::x509::name_match::comparable(&der);
        ResponderId::ByName { der, comparable }
    } else if rid.is_context(2) {
        ResponderId::ByKey(rid.explicit_inner()?.octets()?.into_owned())
    } else {
        return Err(bad(rid, "ResponderID"));
    };
    let produced_at = data.get(i + 1).ok_or_else(|| bad(tbs_el, "producedAt"))?.time()?;
    let responses = data.get(i + 2).ok_or_else(|| bad(tbs_el, "responses"))?.sequence("responses")?.iter().map(single).collect::<Result<Vec<_>, _>>()?;
    let mut exts = Vec::new();
    for extra in data.iter().skip(i + 3) {
        if extra.is_context(1) {
            exts = extensions(extra)?;
        }
    }
    let alg = parts[1].sequence("AlgorithmIdentifier")?;
    let signature_alg = alg.first().ok_or_else(|| bad(&parts[1], "AlgorithmIdentifier"))?.oid()?;
    let signature_alg_params = alg.get(1).filter(|p| p.tag != Tag::NULL).map(|p| p.content.to_vec());
    let signature = parts[2].bit_string_octets()?.into_owned();
    let mut certs = Vec::new();
    if let Some(c) = parts.get(3).filter(|c| c.is_context(0)) {
        for cert_el in c.explicit_inner()?.sequence("certs")? {
            let cert = crate::cache::certificate(cert_el.raw).map_err(|_| bad(&cert_el, "certificate in certs"))?;
            certs.push(cert);
        }
    }
    Ok(BasicResponse { tbs: tbs_el.raw.to_vec(), responder, produced_at, responses, extensions: exts, signature_alg, signature_alg_params, signature, certs })
}

/// Parses an OCSPResponse (DER; BER lengths are tolerated by the reader).
pub fn parse(der: &[u8]) -> Result<OcspResponse, Asn1Error> {
    let budget = Budget::new();
    let top = parse_exact(der, &budget)?;
    let parts = top.sequence("OCSPResponse")?;
    let status = parts.first().ok_or_else(|| bad(&top, "OCSPResponse"))?.expect(Tag::ENUMERATED, "responseStatus")?.small_uint()?;
    let Some(rb) = parts.get(1) else {
        return Ok(OcspResponse { status, basic: None });
    };
    if !rb.is_context(0) {
        return Err(bad(rb, "responseBytes"));
    }
    let bytes = rb.explicit_inner()?;
    let rb_parts = bytes.sequence("ResponseBytes")?;
    if rb_parts.len() != 2 {
        return Err(bad(&bytes, "ResponseBytes"));
    }
    let rtype = rb_parts[0].oid()?;
    if rtype != OID_BASIC {
        return Err(Asn1Error { offset: rb_parts[0].offset, kind: ErrorKind::Unexpected { expected: "id-pkix-ocsp-basic", found: rtype } });
    }
    let inner = rb_parts[1].octets()?;
    let basic = basic(&inner).map_err(|mut e| {
        // Offsets inside the response OCTET STRING are relative to it; make them absolute when we can.
        if let std::borrow::Cow::Borrowed(_) = inner {
            e.offset += rb_parts[1].offset + (rb_parts[1].raw.len() - inner.len());
        }
        e
    })?;
    Ok(OcspResponse { status, basic: Some(basic) })
}
